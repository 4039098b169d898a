"""失业登记, 灵活就业登记, 就业困难人员 self-check + 认定 and 办件查询, headless on the real engine
(tests/journeys/conftest.py: recording display, fake card gate, injected clock; no sleeps)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain import applications as rules
from kiosk.services.applications import ApplicationOutcome
from kiosk.services.journeys import application_flow as flow
from kiosk.services.journeys.declared.application_query import ApplicationQuery
from tests.journeys.conftest import card_file, resident

TODAY = date(2026, 12, 1)
PREFILL = {"known": True, "hukou_division": "440106", "residence_division": "440106",
           "education_code": "30", "registration_status": "none",
           "last_unemployment_registration": "2025-06-01", "hardship_certified": False}
NO = {k: False for k in flow.NOT_UNEMPLOYED_QUESTIONS}


def to_form(kiosk, journey: str, card=None, prefill=PREFILL, answers=NO):
    engine, display = kiosk.engine, kiosk.display
    engine.start(journey)
    screen, values = display.last()
    assert screen == "application_guide"
    assert values["guide"].who_zh and values["time_limit"].working_days >= 1
    engine.next()
    kiosk.read_card(card)
    screen, values = display.last()
    assert screen == "application_checks" and values["prefill_done"] is False
    engine.send("prefilled", prefill=prefill, station_division="440106", today=TODAY)
    engine.send("checked", answers=answers, resides_in_guangdong=True)
    return display.last()


def test_unemployment_registration_guide_to_done(kiosk):
    engine, display = kiosk.engine, kiosk.display
    screen, values = to_form(kiosk, "unemployment")
    assert screen == "application_form"
    assert set(values["choices"]) == {"education_code", "reason_code", "unemployed_since",
                                      "health_code", "claims_insurance"}
    assert values["draft"].hukou_division == "440106" and values["draft"].education_code == "30"
    engine.send("form_done")
    _, shown = display.last("update")
    assert shown["problems"] == ["请填写手机号码", "请填写失业原因", "请填写失业时间", "请填写健康状况"]
    engine.send("answered", phone="13812345678", reason_code="21",
                unemployed_since="2026-11-01", health_code="1", claims_insurance="yes")
    engine.send("answered", reason_code="99")                    # not on the list: ignored
    assert flow.part(engine.journey).draft.reason_code == "21"
    engine.send("form_done")
    screen, values = display.last()
    assert screen == "application_review"
    assert values["lines_zh"][:2] == ["办理事项：失业登记", "手机号码：138 1234 5678"]
    assert "失业原因：被企业解除或终止劳动关系" in values["lines_zh"]
    sub = flow.submission(engine.journey)
    assert (sub.draft.kind, sub.sensitive_consent, sub.consent["purposes"]) == (
        rules.UNEMPLOYMENT, None, ["assistance"])
    outcome = ApplicationOutcome(False, "GD-TEST-0001-R20261201-0001", rules.UNEMPLOYMENT)
    engine.send("submitted", outcome=outcome)
    screen, values = display.last()
    assert (screen, values["outcome"]) == ("application_done", outcome)
    engine.back()                                   # history cleared: back goes home
    assert display.last()[0] == "home"


def test_disability_details_only_after_the_separate_consent(kiosk):
    engine, display = kiosk.engine, kiosk.display
    to_form(kiosk, "unemployment")
    engine.send("answered", health_code="6")
    _, shown = display.last("update")
    assert shown["ask_sensitive_consent"] is True
    assert "disability_category" not in shown["choices"]
    engine.send("sensitive_consent", agreed=True)
    app = flow.part(engine.journey)
    assert app.sensitive_consent["purposes"] == ["sensitive_key_group"]
    screen, shown = display.last()
    assert screen == "application_form" and "disability_category" in shown["choices"]
    engine.send("answered", disability_document="disability_certificate")
    _, shown = display.last("update")
    assert set(shown["choices"]["disability_grade"]) == {"1", "2", "3", "4"}
    engine.send("answered", disability_category="4", disability_grade="3", phone="13812345678",
                reason_code="22", unemployed_since="2026-10-01")
    engine.send("form_done")
    assert display.last()[0] == "application_review"
    assert flow.submission(engine.journey).sensitive_consent is app.sensitive_consent
    engine.back()
    engine.send("sensitive_consent", agreed=False)          # withdrawn: sensitive answers gone
    d = app.draft
    assert (d.health_code, d.disability_category, app.sensitive_consent) == ("", "", None)
    engine.send("answered", health_code="6")
    engine.send("form_done")
    assert display.last("update")[1]["problems"][-1].startswith("所选内容涉及敏感个人信息")


def test_local_checks_block_with_every_reason(kiosk):
    screen, values = to_form(kiosk, "unemployment",
                             answers={**NO, "student": True, "pension": True})
    assert screen == "application_checks"
    assert [f.code for f in values["failures"]] == ["not_unemployed:pension",
                                                    "not_unemployed:student"]
    kiosk.engine.finish("home")


def test_under_16_from_the_card_is_blocked(kiosk):
    young = resident()
    young = type(young).from_json({**young.to_json(reveal=True), "birth_date": "2010-12-02"}) \
        if hasattr(young, "to_json") else young
    screen, values = to_form(kiosk, "flexible_employment", card=young)
    assert screen == "application_checks"
    assert [f.code for f in values["failures"]] == ["working_age"]


def test_flexible_employment_form_and_offline_prefill(kiosk):
    engine, display = kiosk.engine, kiosk.display
    screen, values = to_form(kiosk, "flexible_employment", prefill=None,
                             answers={"employed": True})       # not asked for this item
    assert screen == "application_form"
    d = values["draft"]
    assert (d.hukou_division, d.residence_division, d.workplace_division) == (
        "449901", "440106", "440106")                            # ID prefix / station
    assert set(values["choices"]) == {"education_code", "flexible_type", "started_on"}
    assert list(values["choices"]["started_on"])[:2] == ["2026-12-01", "2026-11-01"]
    engine.send("answered", phone="13812345678", education_code="60", flexible_type="platform",
                started_on="2026-11-01")
    engine.send("form_done")
    assert display.last()[1]["lines_zh"][5:7] == [
        "灵活就业类型：新就业形态/平台就业（外卖、网约车、快递、网络主播等）", "开始时间：2026-11-01"]


def test_hardship_self_check_sensitive_questions_after_consent_then_apply(kiosk):
    engine, display = kiosk.engine, kiosk.display
    screen, values = to_form(kiosk, "hardship")
    assert screen == "hardship_check"
    assert set(values["questions"]) == set(flow.PLAIN_DECLARATIONS)   # none sensitive yet
    assert values["ask_sensitive_consent"] is True
    engine.send("sensitive_consent", agreed=True)
    screen, values = display.last()                 # the step again, now with every question
    assert screen == "hardship_check" and values["ask_sensitive_consent"] is False
    assert set(values["questions"]) == set(flow.DECLARATION_QUESTIONS)
    engine.send("self_checked", declared=["released_prisoner", "landless_farmer"], veteran=False)
    screen, values = display.last()
    assert screen == "hardship_check" and values["offer_application"] is True
    text = "".join(values["lines_zh"])
    assert text.startswith("您可能属于：第（六）类 失地农民") and "第（七）类" in text
    assert "第（九）类 刑满释放人员" in text and "您符合" not in text
    assert values["contains_sensitive"] is True
    engine.send("apply")
    screen, values = display.last()
    assert screen == "application_form" and values["draft"].categories == (6, 7, 9)
    engine.send("answered", phone="13812345678")
    engine.send("form_done")
    screen, values = display.last()
    assert screen == "application_review"
    assert values["lines_zh"][5] == ("可能属于的类别：第（六）类 失地农民；第（七）类 连续失业1年以上人员；"
                                     "第（九）类 刑满释放人员")
    assert flow.submission(engine.journey).sensitive_consent is not None


def test_hardship_without_sensitive_consent_counts_no_sensitive_answer(kiosk):
    engine, display = kiosk.engine, kiosk.display
    to_form(kiosk, "hardship")
    engine.send("sensitive_consent", agreed=False)
    engine.send("self_checked", declared=["released_prisoner"], veteran=True)
    values = display.last()[1]
    assert "刑满释放" not in "".join(values["lines_zh"]) and values["contains_sensitive"] is False
    assert flow.part(engine.journey).draft.categories == (7, 11)     # the platform's date + veteran


def test_hardship_non_guangdong_hukou_is_blocked(kiosk):
    outside = {**PREFILL, "hukou_division": "510104"}
    screen, values = to_form(kiosk, "hardship", prefill=outside)
    assert [f.code for f in values["failures"]] == ["hukou_outside_guangdong"]
    assert values["failures"][0].instead_zh.startswith("您可以办理失业登记")


def test_application_query_lists_and_is_wiped(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("application_query")
    kiosk.read_card()
    screen, values = display.last()
    assert (screen, values["applications"], values["offline"]) == ("application_query", None,
                                                                  False)
    engine.send("queried", applications=None)
    assert display.last("update")[1]["offline"] is True
    apps = [{"application_no": "APP-440106-000001", "state": "accepted"}]
    engine.send("queried", applications=apps)
    assert display.last("update")[1]["applications"] == apps
    engine.send("reprinted", application_no="APP-440106-000001")
    assert display.last("update") == ("application_query", {"reprinted": "APP-440106-000001"})
    journey = engine.journey
    query = journey.part(ApplicationQuery)
    engine.finish("query-done")
    assert query.applications is None and query.reprinted == []


def test_session_end_wipes_every_answer(kiosk):
    engine = kiosk.engine
    to_form(kiosk, "unemployment")
    engine.send("answered", phone="13812345678", health_code="6")
    engine.send("sensitive_consent", agreed=True)
    app = flow.part(engine.journey)
    engine.tick()
    kiosk.clock.now += 10_000
    engine.tick()                                   # walked away: idle timeout ends it
    assert (app.draft.phone, app.draft.health_code, app.sensitive_consent, app.prefill) == (
        "", "", None, None)


@pytest.mark.parametrize("stem", ["foreign_permanent_2017", "hk_macao_taiwan"])
def test_other_cards_get_a_six_digit_hukou(kiosk, stem):
    screen, values = to_form(kiosk, "unemployment", card=card_file(stem), prefill=None)
    assert screen == "application_form"
    assert len(values["draft"].hukou_division) == 6 and values["draft"].hukou_division.isdigit()
