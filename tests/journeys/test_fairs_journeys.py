"""招聘会, 签到 and the 居民身份电子凭证 login on the journey engine, headless (recording display,
fake card gate, injected clock)."""

from __future__ import annotations

import json
from dataclasses import replace

from kiosk.devices.idcard.model import CardType, IdentityCard
from kiosk.services.fairs import CheckinOutcome, SignupOutcome
from kiosk.services.journeys.declared.fairs import FairVisit
from kiosk.services.journeys.spec import IdentityNeed
from tests.journeys.conftest import DEMO_CARDS, card_file


def e_id() -> IdentityCard:
    data = json.loads((DEMO_CARDS / "resident.json").read_text(encoding="utf-8"))
    return IdentityCard.from_json({**data, "card_type": "e_id"})


def test_fair_list_detail_then_sign_up_with_the_eid(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("fairs")
    assert display.current == "fairs"
    engine.send("open_fair", fair_id="DEMO-20261201-C")
    assert display.last() == ("fair_detail", {"fair_id": "DEMO-20261201-C"})
    engine.next()
    assert display.current == "consent"
    assert display.last()[1] == {"purposes": ("fair_signup",), "card_on_reader": False}
    engine.agree()
    assert display.current == "card_read" and kiosk.card.reading
    assert engine.eid_identity(e_id()) is True                 # the second way in
    screen, values = display.last()
    assert screen == "fair_signup" and values["fair_id"] == "DEMO-20261201-C"
    assert values["card"].card_type is CardType.E_ID and values["outcome"] is None
    assert values["consent"]["purposes"] == ["fair_signup"]
    assert kiosk.card.allowed[-1] is False                     # the reader stops reading
    assert engine.eid_identity(e_id()) is False                # once per session
    outcome = SignupOutcome()                                  # a refusal is not remembered
    engine.send("signed_up", outcome=outcome)
    assert display.last("update") == ("fair_signup", {"outcome": outcome})
    journey = engine.journey
    engine.finish("fair-signed-up")
    assert journey.identity is None and not journey.has_part(FairVisit)
    assert display.calls[-1] == ("ended", "fair-signed-up", {})


def test_eid_needs_the_consent_of_this_session(kiosk):
    engine = kiosk.engine
    engine.start("fairs")
    engine.send("open_fair", fair_id="F")
    engine.next()
    assert engine.eid_identity(e_id()) is False                # still on the notice
    assert engine.journey.identity is None


def test_eid_counts_as_a_resident_card_for_the_journeys_kinds(kiosk):
    engine = kiosk.engine
    spec = engine.journeys["referral"]
    engine.journeys["referral"] = replace(spec, identity=IdentityNeed(
        ("referral",), frozenset({CardType.RESIDENT})))
    from kiosk.domain.vacancy import Vacancy

    engine.start("referral", vacancy=Vacancy("V1", "仓管", "示例公司", "广州市"))
    engine.agree()
    assert engine.eid_identity(e_id()) is True
    assert kiosk.display.current == "referral"


def test_eid_refused_where_only_other_card_kinds_are_accepted(kiosk):
    engine = kiosk.engine
    spec = engine.journeys["fairs"]
    engine.journeys["fairs"] = replace(spec, identity=IdentityNeed(
        ("fair_signup",), frozenset({CardType.HK_MACAO_TAIWAN})))
    engine.start("fairs")
    engine.send("open_fair", fair_id="F")
    engine.next()
    engine.agree()
    assert engine.eid_identity(e_id()) is False
    assert kiosk.display.last("update") == ("card_read", {"problem": "card_kind"})


def test_a_fair_post_opens_the_usual_vacancy_detail(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("fairs")
    engine.send("open_fair", fair_id="F")
    engine.send("open_post", vacancy="V", distance_km=1.2, age_days=3)
    assert display.last() == ("vacancy_detail", {"vacancy": "V", "distance_km": 1.2,
                                                 "age_days": 3})
    engine.back()
    assert display.last() == ("fair_detail", {"fair_id": "F"})


def test_checkin_by_scan_needs_no_card_and_by_card_after_consent(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("fair_checkin")
    assert display.last() == ("fair_checkin", {"card": None})
    refused = CheckinOutcome("refused")
    engine.send("checked_in", outcome=refused)
    assert display.last("update") == ("fair_checkin", {"outcome": refused})
    engine.next()
    assert display.current == "consent"
    assert display.last()[1] == {"purposes": ("fair_checkin",), "card_on_reader": False}
    kiosk.read_card(card_file("resident"))
    screen, values = display.last()
    assert screen == "fair_checkin" and values["card"].card_type is CardType.RESIDENT


def test_the_eid_screen_replaces_the_card_screen_and_back_returns_to_it(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("fairs")
    engine.send("open_fair", fair_id="F")
    engine.next()
    engine.eid_login()                                         # no consent yet: nothing
    assert display.current == "consent"
    engine.agree()
    engine.eid_login()
    assert display.current == "eid_login" and engine.screen == "eid_login"
    assert kiosk.card.allowed[-1] is False                     # no card read meanwhile
    kiosk.place()                                              # a card now changes nothing
    assert engine.journey.identity is None
    engine.back()
    assert display.current == "card_read" and kiosk.card.reading
    engine.eid_login()
    assert engine.eid_identity(e_id()) is True
    assert display.current == "fair_signup"
    engine.back()
    assert display.last() == ("fair_detail", {"fair_id": "F"})  # consent/card/e-ID not in history
