"""kiosk.services.registration_form: validation, pinyin search, picker levels, review rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.domain.codes import everyday_jobs
from kiosk.domain.codes.occupations import MIDDLES
from kiosk.services.registration import registration_payload
from kiosk.services.registration_form import (FormError, consent_purposes, continue_url,
                                              division_children, everyday_groups,
                                              format_phone_entry, occupation_choice,
                                              occupation_codes, occupation_picks,
                                              official_choices, review_rows, search_occupations,
                                              toggle_limited, validate_form, validate_phone)

CARD = Path(__file__).resolve().parents[2] / "assets" / "demo" / "cards" / "resident.json"


@pytest.mark.parametrize("text,expected", [("13812345678", "13812345678"),
                                           ("138 1234 5678", "13812345678"),
                                           ("19900001111", "19900001111")])
def test_valid_mobile_numbers(text, expected):
    assert validate_phone(text) == expected


@pytest.mark.parametrize("text,message", [("", "请输入手机号码"),
                                          ("1381234567", "手机号码应为11位数字，请检查后重新输入"),
                                          ("12812345678", "请输入以13–19开头的11位手机号码"),
                                          ("0201234567a", "手机号码应为11位数字，请检查后重新输入")])
def test_invalid_mobile_numbers_say_why(text, message):
    with pytest.raises(FormError) as info:
        validate_phone(text)
    assert info.value.field == "phone" and info.value.message_zh == message


def test_phone_entry_grouping():
    assert format_phone_entry("13812345678") == "138 1234 5678"
    assert format_phone_entry("1381") == "138 1"


def _found(query: str) -> list[tuple[str, str]]:
    """(value, matched synonym) of every choice the 职业 step shows for ``query``."""
    return [(c.value, c.matched) for c in search_occupations(query)]


def test_initials_bj_find_the_cleaner_first_and_no_cross_word_category():
    # 保洁员 and 保健按摩师 by their names, 装卸搬运工 by its synonym 搬家, 客房服务员 by 酒店保洁;
    # no 飞机和船舶技术人员 any more ("bj" there is 舶 + 技, across two words)
    expected = [("cleaner", ""), ("massage_therapist", ""), ("loader", "搬家"),
                ("room_attendant", "酒店保洁")]
    assert _found("BJ") == _found("bj") == _found(" b j ") == expected


def test_full_pinyin_and_hanzi():
    assert _found("baoan") == [("security_guard", "")]
    assert _found("保洁") == [("cleaner", ""), ("room_attendant", "酒店保洁")]
    assert _found("清洁") == [("cleaner", "清洁")]


@pytest.mark.parametrize("query,value,matched", [
    ("门卫", "security_guard", "门卫"), ("mw", "security_guard", "门卫"),
    ("anbao", "security_guard", "安保"), ("操作工", "factory_worker", "操作工"),
    ("lsx", "factory_worker", "流水线"), ("育婴师", "maternity_nanny", "育婴师"),
    ("muying", "maternity_nanny", "母婴护理"), ("打扫卫生", "cleaner", "打扫卫生"),
])
def test_synonyms_find_the_everyday_job_and_say_which(query, value, matched):
    assert _found(query)[0] == (value, matched)


def test_official_names_by_hanzi_initials_and_full_pinyin_come_after_everyday_jobs():
    assert _found("住宿和餐饮服务人员") == [("4-03", "")]
    for query in ("餐饮", "canyin", "zhusu"):
        assert _found(query) == [("4-03", "")], query
    # "cy": 服务员 (synonym 传菜员) first, then the category (a part of its name starts with cy)
    assert _found("CY") == [("waiter", "传菜员"), ("4-03", "")]
    assert _found("zs") == [("4-03", ""), ("6-27", "")]     # 住宿…, 再生资源…
    assert [c.code for c in search_occupations("jz")] == ["4-10", "6-29", "2-06", "6-29"]
    assert search_occupations("qqqq") == []


def test_browse_lists_everyday_jobs_by_group_and_all_79_categories_apart():
    groups = everyday_groups()
    assert [g[0] for g in groups] == ["popular"] + [g[0] for g in everyday_jobs.GROUPS]
    assert [c.name for c in groups[0][3]] == [
        "保洁员", "保安员", "普工", "厨师", "服务员", "快递员", "外卖骑手", "司机", "仓管员",
        "月嫂/育婴员", "护工", "电工", "焊工", "销售", "客服", "文员"]     # 常见工作 first
    assert groups[2][:2] == ("cleaning_security", "保洁保安")
    assert [c.name for c in groups[2][3]][:2] == ["保洁员", "保安员"]      # … and in its group
    assert sum(len(g[3]) for g in groups[1:]) == len(everyday_jobs.JOBS)
    assert [c.value for c in search_occupations("")] == [j.id for j in everyday_jobs.JOBS]
    official = official_choices()
    assert len(official) == 79 and official[0].code == "4-01" and official[-1].code == "7-04"
    assert all(c.official and c.value == c.code for c in official)


def test_every_name_the_issue_lists_is_a_tile_with_its_classification_code():
    codes = {"保洁员": "4-09", "保安员": "4-07", "普工": "6-31", "厨师": "4-03", "服务员": "4-03",
             "快递员": "4-02", "外卖骑手": "4-02", "司机": "4-02", "仓管员": "4-02",
             "月嫂/育婴员": "4-10", "护工": "4-14", "电工": "6-31", "焊工": "6-18", "销售": "4-01",
             "客服": "4-01", "文员": "3-01"}
    popular = {c.name: c.code for c in everyday_groups()[0][3]}
    assert popular == codes
    tiles = {c.name: c.code for _g, _zh, _en, jobs in everyday_groups() for c in jobs}
    assert all(code in MIDDLES for code in tiles.values())
    assert all(everyday_jobs.BY_ID[c.value].name_en for g in everyday_groups() for c in g[3])


def test_picks_map_to_codes_each_once_and_the_payload_stays_in_the_contract():
    picks = ["cook", "waiter", "security_guard", "4-09", "cleaner"]
    assert occupation_codes(picks) == ["4-03", "4-07", "4-09"]
    assert occupation_choice("4-09").name == "水利、环境和公共设施管理服务人员"
    with pytest.raises(FormError) as info:
        occupation_codes(["astronaut"])
    assert info.value.field == "desired_jobs"
    assert occupation_picks({"desired_occupations": ["6-31"]}) == ["6-31"]   # filled elsewhere
    assert occupation_picks({"desired_jobs": ["cook"], "desired_occupations": ["4-03"]}) == ["cook"]
    from kiosk.domain.identity_card import IdentityCard

    card = IdentityCard.from_json(json.loads(CARD.read_text("utf-8")))
    form = {"phone": "13812345678", "education_code": "30", "desired_jobs": picks,
            "desired_occupations": occupation_codes(picks), "employment_type": "FULL_TIME"}
    payload = registration_payload(card, form, {"purposes": ["registration"]})
    assert payload["desired_occupations"] == ["4-03", "4-07", "4-09"]
    assert "desired_jobs" not in payload       # the picks stay on the terminal
    rows = {label: value for _s, label, value in review_rows(card, form)}
    assert rows["想做的工作"] == "厨师、服务员、保安员、水利、环境和公共设施管理服务人员、保洁员"


def test_division_levels_skip_county_for_dongguan_and_zhongshan():
    assert len(division_children("")) == 21
    assert division_children("4401")["440106"] == "天河区"
    assert division_children("440106")["440106008"] == "天河南街道"
    assert division_children("4419")["441900121"] == "虎门镇"
    assert division_children("4420")["442000001"] == "石岐街道"
    assert division_children("440106008") == {}


def test_toggle_limited_adds_removes_and_refuses_a_sixth():
    values = ["a", "b", "c", "d", "e"]
    assert toggle_limited(values, "c", 5) == ["a", "b", "d", "e"]
    with pytest.raises(FormError) as info:
        toggle_limited(values, "f", 5)
    assert info.value.message_zh == "最多选择5项，请先取消一项"


def test_validate_form_names_the_first_missing_field():
    form = {"phone": "13812345678"}
    with pytest.raises(FormError) as info:
        validate_form(form)
    assert info.value.field == "education_code"
    form.update(education_code="30", desired_occupations=["4-03"], employment_type="FULL_TIME")
    validate_form(form)


def test_review_rows_mask_the_identity_and_show_the_phone_in_full():
    from kiosk.domain.identity_card import IdentityCard

    card = IdentityCard.from_json(json.loads(CARD.read_text("utf-8")))
    rows = review_rows(card, {"phone": "13812345678", "education_code": "30",
                              "desired_occupations": ["4-03"], "desired_divisions": ["4419"],
                              "salary_min": 4000, "salary_max": 6000,
                              "employment_type": "PART_TIME", "availability": "WEEK",
                              "key_groups": ["VETERAN"]})
    values = {label: value for _section, label, value in rows}
    assert values == {"姓名": "陈*满", "证件号码": "4499**********4525", "手机号码": "138 1234 5678",
                      "学历": "大专", "想做的工作": "住宿和餐饮服务人员", "希望工作地点": "东莞市",
                      "期望月薪": "4000–6000元", "工作类型": "兼职", "到岗时间": "一周内",
                      "重点群体": "退役军人"}


def test_key_groups_add_the_sensitive_purpose():
    assert consent_purposes(["registration"], {}) == ["registration"]
    assert consent_purposes(["registration"], {"key_groups": ["DISABLED"]}) == \
        ["registration", "sensitive_key_group"]


def test_continue_url_has_only_the_registration_number():
    assert continue_url("https://jy.gd.example/verify/{referral_id}", "REG-440106-000001") == \
        "https://jy.gd.example/jobseeker/continue/REG-440106-000001"
