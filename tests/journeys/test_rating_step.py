"""好差评 after every completed transaction (issue 21), headless on the real engine and
declarations with the real per-transaction records (in-memory store, a recording outbox):
the rating step after each transaction kind bound to that transaction's number, the 差评
reasons, skip (one tap) and idle paths, several transactions in one session, a technician's
end, a journey declared in a test getting the step by declaring only, and nothing of a
rating left for the next person."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.domain import applications as rules
from kiosk.domain.vacancy import Vacancy
from kiosk.services.applications import ApplicationOutcome
from kiosk.services.assistance import AssistanceOutcome
from kiosk.services.fairs import SignupOutcome
from kiosk.services.gig_signup import SignupOutcome as GigSignupOutcome
from kiosk.services.journeys.engine import JourneyEngine
from kiosk.services.journeys.spec import (JourneySpec, RATING_STEP, Stay, Step, Transaction,
                                          TransactionRef, outcome_number)
from kiosk.services.referrals import ReferralTicket
from kiosk.services.registration import RegistrationOutcome
from kiosk.services.session import SessionService
from kiosk.services.transactions import TransactionLog, TransactionStore
from kiosk.services.transactions.journeys import JourneyTransactions
from tests.journeys.conftest import CONSENT_TIME, Clock, FakeCard, Kiosk, Recorder, resident
from tests.journeys.test_engine import VACANCY
from tests.quality.test_journey_transactions import Outbox

FAIR = "DEMO-20261201-C"


@pytest.fixture
def rated(kiosk: Kiosk) -> tuple[TransactionStore, Outbox]:
    store = TransactionStore(":memory:")
    outbox = Outbox()
    log = TransactionLog(store, outbox, clock=kiosk.clock, monotonic=kiosk.clock)
    observer = JourneyTransactions(log, kiosk.session, outbox=outbox)
    kiosk.engine.add_observer(observer)
    kiosk.engine.attach_ratings(observer)
    kiosk.session.add_end_listener(log.session_ended)
    return store, outbox


# ---- one completed transaction of each kind ---------------------------------------------------
def _registration(kiosk: Kiosk) -> None:
    kiosk.engine.start("register")
    kiosk.read_card(resident())
    kiosk.engine.identity_shown()
    kiosk.engine.send("submitted", outcome=RegistrationOutcome(True, "RC-1", "REG-440106-000007",
                                                               "created"))


def _referral(kiosk: Kiosk, outbox: Outbox) -> None:
    kiosk.engine.start("referral", vacancy=VACANCY)
    kiosk.read_card(resident())
    kiosk.engine.identity_shown()
    kiosk.engine.send("phone_entered", phone="13912345678")
    ticket = ReferralTicket("GD-DEMO-0001-20261201-0004", "V-1", "https://p.invalid/v", "", "",
                            "RC-4", 44, None)
    kiosk.engine.send("created", ticket=ticket)
    outbox.delivered[44] = {"referral_id": ticket.referral_id, "status": "issued"}


def _assistance(kiosk: Kiosk, card_read: bool = False) -> None:
    kiosk.engine.start("assistance")
    kiosk.engine.send("chosen", kind="career_guidance_appointment")
    if not card_read:                                          # one read per session
        kiosk.read_card(resident())
        kiosk.engine.identity_shown()
    kiosk.engine.send("submitted", phone="13712345678",
                      outcome=AssistanceOutcome(True, "RC-3", "TKT-440106-000003"))


def _application(journey: str, kind: str) -> Any:
    def run(kiosk: Kiosk) -> None:
        kiosk.engine.start(journey)
        kiosk.engine.next()
        kiosk.read_card(resident())
        kiosk.engine.send("submitted", outcome=ApplicationOutcome(
            True, "RC-5", kind, {"application_no": f"SQ-{kind[:4].upper()}-0005",
                                 "state": "accepted", "kind": kind}))
    return run


def _fair_signup(kiosk: Kiosk) -> None:
    kiosk.engine.start("fairs")
    kiosk.engine.send("open_fair", fair_id=FAIR)
    kiosk.engine.next()
    kiosk.read_card(resident())
    kiosk.engine.identity_shown()
    kiosk.engine.send("signed_up", outcome=SignupOutcome(slip=object(),   # type: ignore[arg-type]
                                                         signup_id=f"FS-{FAIR}-0a1b2c3d"))


def _gig_signup(kiosk: Kiosk) -> None:
    gig = Vacancy(id="GIG-1", title="日结装卸工", employer="汇盈物流有限公司（演示）", city="广州市",
                  kind="gig", places_left=3)
    kiosk.engine.start("gigs")
    kiosk.engine.send("chosen", gig=gig, distance_km=0.4)
    kiosk.engine.send("sign_up")
    kiosk.read_card(resident())
    kiosk.engine.send("signed", outcome=GigSignupOutcome("confirmed", gig,
                                                         "BM-440106-20261201-0007", 1), next=[])


KINDS = [
    ("registration", _registration, "求职登记", "REG-440106-000007"),
    ("referral", None, "申请推荐", "GD-DEMO-0001-20261201-0004"),
    ("assistance:career_guidance_appointment", _assistance, "就业帮办", "TKT-440106-000003"),
    ("application:unemployment_registration",
     _application("unemployment", rules.UNEMPLOYMENT), "失业登记", "SQ-UNEM-0005"),
    ("application:flexible_employment_registration",
     _application("flexible_employment", rules.FLEXIBLE), "灵活就业登记", "SQ-FLEX-0005"),
    ("application:hardship_certification",
     _application("hardship", rules.HARDSHIP), "就业困难人员认定", "SQ-HARD-0005"),
    ("fair_signup", _fair_signup, "招聘会", f"FS-{FAIR}-0a1b2c3d"),
    ("gig_signup", _gig_signup, "零工", "BM-440106-20261201-0007"),
]


@pytest.mark.parametrize(("kind", "run", "title", "number"), KINDS, ids=[k[0] for k in KINDS])
def test_each_completed_transaction_is_rated_bound_to_its_number(kiosk, rated, kind, run, title,
                                                                  number):
    store, outbox = rated
    engine, display = kiosk.engine, kiosk.display
    if run is None:
        _referral(kiosk, outbox)
    else:
        run(kiosk)
    assert display.current != RATING_STEP                      # the done screen comes first
    kiosk.clock.now += 20
    engine.finish("finished")                                  # 完成
    screen, values = display.last()
    assert screen == RATING_STEP and engine.screen == RATING_STEP
    assert values["service"] == title and values["left"] == 1 and values["level"] is None
    engine.rate(4)                                             # one tap
    assert display.calls[-1] == ("ended", "finished", {}) and engine.journey is None
    [record] = [r for r in store.records() if r.outcome == "completed"]
    assert (record.kind, record.rating, record.rating_state) == (kind, 4, "queued")
    [(item_kind, payload)] = outbox.queued
    assert item_kind == "rating"
    assert (payload["transaction_no"], payload["transaction_kind"], payload["level"],
            payload["reasons"]) == (number, kind, 4, [])


def test_a_bad_rating_asks_reasons_and_sends_them(kiosk, rated):
    store, outbox = rated
    _registration(kiosk)
    kiosk.engine.finish("finished")
    kiosk.engine.rate(2)                                       # 不满意: reasons are asked
    assert kiosk.display.last("update") == (RATING_STEP, {"level": 2})
    assert outbox.queued == [] and kiosk.engine.journey.rating_level == 2
    kiosk.engine.rate_reasons(["too_slow", "device_fault", "no_such_reason"])
    payload = outbox.queued[0][1]
    assert (payload["level"], payload["reasons"]) == (2, [])   # unknown code: the level only
    assert kiosk.display.calls[-1] == ("ended", "finished", {})
    assert store.records()[0].rating == 2


def test_bad_rating_reasons_are_sent_sorted(kiosk, rated):
    _store, outbox = rated
    _registration(kiosk)
    kiosk.engine.finish("home")
    kiosk.engine.rate(1)
    kiosk.engine.rate_reasons(["too_slow", "device_fault"])
    payload = outbox.queued[0][1]
    assert (payload["level"], payload["reasons"]) == (1, ["device_fault", "too_slow"])
    assert kiosk.display.calls[-1] == ("ended", "home", {})


def test_skip_is_one_tap_and_sends_nothing(kiosk, rated):
    store, outbox = rated
    _registration(kiosk)
    kiosk.engine.finish("finished")
    kiosk.engine.skip_rating()
    assert kiosk.display.calls[-1] == ("ended", "finished", {}) and kiosk.engine.journey is None
    assert outbox.queued == [] and store.records()[0].rating is None
    assert store.records()[0].outcome == "completed"


def test_skip_after_a_bad_level_sends_the_level_without_reasons(kiosk, rated):
    _store, outbox = rated
    _registration(kiosk)
    kiosk.engine.finish("finished")
    kiosk.engine.rate(1)
    kiosk.engine.skip_rating()                                 # 不选原因，直接提交
    assert [p["level"] for _k, p in outbox.queued] == [1]
    assert kiosk.display.calls[-1] == ("ended", "finished", {})


def test_the_idle_timeout_skips_the_rating(kiosk, rated):
    store, outbox = rated
    _registration(kiosk)
    kiosk.engine.finish("finished")
    assert kiosk.display.current == RATING_STEP
    kiosk.clock.now += 200                                     # idle + countdown over
    kiosk.engine.tick()
    assert kiosk.display.calls[-1] == ("ended", "idle", {}) and kiosk.engine.journey is None
    assert outbox.queued == [] and store.records()[0].rating is None


def test_the_idle_timeout_after_a_bad_level_still_sends_it(kiosk, rated):
    _store, outbox = rated
    _registration(kiosk)
    kiosk.engine.finish("finished")
    kiosk.engine.rate(2)
    kiosk.clock.now += 200
    kiosk.engine.tick()
    assert [(p["level"], p["reasons"]) for _k, p in outbox.queued] == [(2, [])]
    assert kiosk.display.calls[-1] == ("ended", "idle", {})


def test_walking_away_on_the_done_screen_asks_nothing(kiosk, rated):
    _store, outbox = rated
    _registration(kiosk)
    kiosk.clock.now += 200
    kiosk.engine.tick()
    assert RATING_STEP not in kiosk.display.screens() and outbox.queued == []


def test_a_technician_end_asks_nothing(kiosk, rated):
    _registration(kiosk)
    kiosk.engine.finish("maintenance")
    assert RATING_STEP not in kiosk.display.screens()
    assert kiosk.display.calls[-1] == ("ended", "maintenance", {})


def test_two_transactions_in_one_session_are_rated_one_after_the_other(kiosk, rated):
    store, outbox = rated
    _registration(kiosk)
    _assistance(kiosk, card_read=True)
    kiosk.engine.finish("assistance-done")
    assert kiosk.display.last() == (RATING_STEP, {
        "service": "求职登记", "journey": "register", "kind": "registration",
        "transaction_no": "REG-440106-000007", "left": 2, "level": None})
    kiosk.engine.rate(5)
    screen, values = kiosk.display.last()
    assert (screen, values["service"], values["left"]) == (RATING_STEP, "就业帮办", 1)
    kiosk.engine.skip_rating()                                 # one tap ends it all
    assert [p["transaction_no"] for _k, p in outbox.queued] == ["REG-440106-000007"]
    assert kiosk.display.calls[-1] == ("ended", "assistance-done", {})
    assert [r.rating for r in store.records()] == [5, None]


def test_a_refused_sign_up_or_an_unfinished_journey_is_not_rated(kiosk, rated):
    store, _outbox = rated
    kiosk.engine.start("fairs")
    kiosk.engine.send("open_fair", fair_id=FAIR)
    kiosk.engine.next()
    kiosk.read_card(resident())
    kiosk.engine.identity_shown()
    kiosk.engine.send("signed_up", outcome=SignupOutcome())    # refused (full, offline …)
    kiosk.engine.start("register")                             # left half-way
    kiosk.engine.finish("finished")
    assert RATING_STEP not in kiosk.display.screens()
    assert sorted((r.kind, r.outcome) for r in store.records()) == [
        ("fair_signup", "abandoned"), ("registration", "abandoned")]


def test_browsing_fairs_is_no_transaction(kiosk, rated):
    store, _outbox = rated
    kiosk.engine.start("fairs")
    kiosk.engine.send("open_fair", fair_id=FAIR)
    kiosk.engine.finish("finished")
    assert store.records() == []


def test_an_offline_transaction_rating_is_held_until_it_reaches_the_platform(kiosk, rated):
    store, outbox = rated
    kiosk.engine.start("register")
    kiosk.read_card(resident())
    kiosk.engine.identity_shown()
    kiosk.engine.send("submitted", outcome=RegistrationOutcome(False, "RC-1"))
    kiosk.engine.finish("finished")
    assert kiosk.display.last()[1]["transaction_no"] == ""     # no number yet: no phone QR
    kiosk.engine.rate(3)
    assert store.records()[0].rating_state == "held" and outbox.queued == []
    outbox.delivered[11] = {"registration_no": "REG-440106-000011", "status": "created"}
    assert store is not None and kiosk.engine.journey is None
    log = TransactionLog(store, outbox, clock=kiosk.clock)     # upkeep after the session
    assert log.release_held() == 1
    assert outbox.queued[0][1]["transaction_no"] == "REG-440106-000011"


def test_nothing_of_a_rating_is_left_for_the_next_person(kiosk, rated):
    _registration(kiosk)
    kiosk.engine.finish("finished")
    kiosk.engine.rate(2)
    journey = kiosk.engine.journey
    kiosk.engine.rate_reasons(["not_done"])
    assert journey.ratings_due == [] and journey.rating_level is None and journey.ending == ""
    kiosk.engine.start("search")                               # the next person
    assert kiosk.engine.journey is not journey and kiosk.engine.journey.ratings_due == []
    kiosk.engine.finish("finished")
    assert kiosk.display.calls[-1] == ("ended", "finished", {})  # nothing to rate


def test_a_new_journey_gets_the_rating_step_by_declaring_its_transaction():
    clock = Clock()
    session = SessionService(60, 120, 15, clock=clock)
    posting = JourneySpec(
        name="posting", title_zh="发布招聘信息", steps=(Step("post"), Step("posted")),
        events={"submitted": lambda _j, _v: Stay({})},
        transaction=Transaction("employer_posting", ("submitted",), outcome_number("posting_no")))
    engine = JourneyEngine(session, {"posting": posting}, card=lambda: FakeCard(),
                           now=lambda: CONSENT_TIME)
    display = Recorder()
    engine.attach(display)
    sent: list[tuple[Any, int, tuple[str, ...]]] = []

    class Sink:
        def rate(self, due, level, reasons):
            sent.append((due.ref, level, reasons))
            return "queued"

    engine.attach_ratings(Sink())
    engine.start("posting")
    outcome = type("PostingOutcome", (), {"delivered": True, "posting_no": "ZP-0001",
                                          "receipt_no": "RC-7", "refused": False})()
    engine.send("submitted", outcome=outcome)
    engine.next()
    engine.next()                                              # past the last step: the end
    assert display.current == RATING_STEP and display.last()[1]["service"] == "发布招聘信息"
    engine.rate(5)
    assert sent == [(TransactionRef("employer_posting", "ZP-0001", None, "RC-7"), 5, ())]
    assert display.calls[-1] == ("ended", "finished", {})
