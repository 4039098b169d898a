"""零工 on the journey engine, headless (issue 19): the board's first choices, a gig's detail,
one-tap 报名 after the identity (card or 居民身份电子凭证, the same consent notice), the done
step with the number, a gig filled meanwhile (notice + the next gigs), refusals, 返回."""

from __future__ import annotations

import json

import pytest

from kiosk.devices.idcard.model import IdentityCard
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog.search import SearchHit
from kiosk.services.gig_signup import MESSAGES, SignupOutcome
from kiosk.services.journeys.declared.gigs import GigBoardState
from tests.journeys.conftest import DEMO_CARDS, resident


def gig(n: int = 1, places: int = 3) -> Vacancy:
    return Vacancy(id=f"GIG-{n}", title="日结装卸工", employer="汇盈物流有限公司（演示）",
                   city="广州市", district="天河区", salary_min=220, salary_max=220,
                   salary_unit="DAY", kind="gig", work_date="2026-12-01", start_time="08:00",
                   duration_hours=8.0, places_left=places, settlement="DAILY")


def hit(v: Vacancy, km: float) -> SearchHit:
    return SearchHit(v, 0, km, 1)


def to_detail(kiosk, v: Vacancy | None = None, km: float = 0.85) -> None:
    kiosk.engine.start("gigs")
    kiosk.engine.send("chosen", gig=v or gig(), distance_km=km)


def test_board_first_choices_today_nearby_then_other_windows(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("gigs")
    assert display.last() == ("gigs", {"window": "today", "nearby": True, "notice": "",
                                       "next": []})
    engine.send("window", window="week", nearby=False)
    assert display.last("update") == ("gigs", {"window": "week", "nearby": False, "notice": "",
                                               "next": []})
    state = engine.journey.part(GigBoardState)
    assert (state.window, state.nearby) == ("week", False)
    with pytest.raises(ValueError, match="unknown gig window"):
        engine.send("window", window="month")
    assert (state.window, state.nearby) == ("week", False)
    engine.send("chosen", gig=gig(), distance_km=1.2)
    engine.back()
    assert display.last() == ("gigs", {"window": "week", "nearby": False, "notice": "",
                                       "next": []})


def test_only_a_gig_can_be_chosen(kiosk):
    kiosk.engine.start("gigs")
    job = Vacancy(id="J1", title="仓管", employer="示例公司", city="广州市")
    with pytest.raises(TypeError):
        kiosk.engine.send("chosen", gig=job)
    with pytest.raises(ValueError):
        kiosk.engine.send("sign_up")              # nothing chosen yet
    assert kiosk.display.current == "gigs"


def test_detail_sign_up_with_the_card_then_done_with_the_number(kiosk):
    engine, display = kiosk.engine, kiosk.display
    to_detail(kiosk)
    assert display.last() == ("gig_detail", {"gig": gig(), "distance_km": 0.85,
                                             "step": "detail", "message": ""})
    engine.send("sign_up")
    assert display.current == "consent"
    assert display.last()[1] == {"purposes": ("gig_signup",), "card_on_reader": False}
    assert kiosk.card.allowed == [False]
    kiosk.read_card(resident("陈小满"))
    screen, values = display.last()
    assert screen == "gig_detail" and values["step"] == "signup"
    assert values["gig"] == gig() and values["card"].name == "陈小满" and values["phone"] == ""
    assert (values["window"], values["nearby"]) == ("today", True)
    journey = engine.journey
    assert journey.consent["purposes"] == ["gig_signup"]
    assert kiosk.card.allowed[-1] is False                # read once, reading forbidden again
    done = SignupOutcome("confirmed", gig(places=2), "BM-440106-20261201-0007", 2,
                         "2026-12-01T02:00:00Z")
    engine.send("signed", outcome=done, next=[])
    screen, values = display.last()
    assert screen == "gig_done" and values["outcome"] is done
    assert values["card"].name == "陈小满"
    assert journey.history == []                          # 返回 never signs up twice
    engine.back()
    assert display.current == "home" and engine.journey is journey   # the session stays
    engine.finish("gig-done")
    assert display.current == "rating"                    # 好差评 (issue 21), one tap skips
    engine.skip_rating()
    assert journey.identity is None and not journey.has_part(GigBoardState)
    assert display.calls[-1] == ("ended", "gig-done", {})


def test_sign_up_with_the_eid_on_the_card_step(kiosk):
    engine, display = kiosk.engine, kiosk.display
    data = json.loads((DEMO_CARDS / "resident.json").read_text(encoding="utf-8"))
    to_detail(kiosk)
    engine.send("sign_up")
    engine.agree()
    assert engine.eid_identity(IdentityCard.from_json({**data, "card_type": "e_id"})) is True
    screen, values = display.last()
    assert screen == "gig_detail" and values["step"] == "signup"
    assert values["card"].card_type.value == "e_id"


def test_back_from_the_notice_returns_to_the_gig_and_decline_ends(kiosk):
    engine, display = kiosk.engine, kiosk.display
    to_detail(kiosk)
    engine.send("sign_up")
    engine.back()
    assert display.last()[0] == "gig_detail" and display.last()[1]["step"] == "detail"
    engine.send("sign_up")
    engine.decline()
    assert display.calls[-1] == ("ended", "declined", {}) and engine.journey is None


def test_full_meanwhile_says_so_and_offers_the_next_then_one_tap(kiosk):
    engine, display = kiosk.engine, kiosk.display
    to_detail(kiosk)
    engine.send("sign_up")
    kiosk.read_card()
    offered = [hit(gig(2), 0.4), hit(gig(3), 1.9)]
    engine.send("signed", outcome=SignupOutcome("full", gig(places=0)), next=offered)
    screen, values = display.last()
    assert screen == "gigs"
    assert values["notice"] == MESSAGES["full"] == "这份零工刚刚报满了，看看下面这些："
    assert values["next"] == offered
    assert engine.journey.history == []
    engine.send("chosen", gig=gig(2), distance_km=0.4)
    engine.send("sign_up")                                 # identity kept: no notice again
    screen, values = display.last()
    assert screen == "gig_detail" and values["step"] == "signup" and values["gig"] == gig(2)
    assert "consent" not in display.screens()[-2:]
    engine.send("signed", outcome=SignupOutcome("confirmed", gig(2, 2), "BM-2", 2), next=[])
    assert display.current == "gig_done"
    engine.go("board")                                     # 看看其他零工
    assert display.last() == ("gigs", {"window": "today", "nearby": True, "notice": "",
                                       "next": []})


@pytest.mark.parametrize("state", ["exists", "gone", "offline"])
def test_refusals_stay_on_the_gig_with_the_message_and_retry(kiosk, state):
    engine, display = kiosk.engine, kiosk.display
    to_detail(kiosk)
    engine.send("sign_up")
    kiosk.read_card()
    engine.send("signed", outcome=SignupOutcome(state, gig()), next=[])
    assert display.last("update") == ("gig_detail", {"message": MESSAGES[state],
                                                     "state": state})
    assert display.current == "gig_detail"
    shown = len(display.screens())
    engine.send("sign_up")                                  # 报名 again: straight to signing up
    assert len(display.screens()) == shown + 1
    assert display.last()[1]["step"] == "signup"
    engine.back()
    assert display.last()[1]["step"] == "detail"


def test_signed_needs_an_outcome(kiosk):
    to_detail(kiosk)
    with pytest.raises(TypeError):
        kiosk.engine.send("signed", outcome="confirmed")


def test_a_full_gig_completes_no_transaction_so_no_rating(kiosk):
    engine, display = kiosk.engine, kiosk.display
    to_detail(kiosk)
    engine.send("sign_up")
    kiosk.read_card()
    engine.send("signed", outcome=SignupOutcome("full", gig(places=0)), next=[])
    engine.finish("home")
    assert display.calls[-1] == ("ended", "home", {})       # straight home: nothing to rate
    assert "rating" not in display.screens()
