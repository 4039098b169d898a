"""Every journey's steps, the consent gate, the identity rules, the one-read rule, back, the
walk-away wipe and "after registering, continue to what you came for" — headless, against the
real engine and the declared journeys (tests/journeys/conftest.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from kiosk.domain.identity_card import CardType
from kiosk.domain.matching import JobseekerProfile
from kiosk.domain.vacancy import Vacancy
from kiosk.services.assistance import AssistanceOutcome
from kiosk.services.card_events import CardEvent
from kiosk.services.consent import CONSENT_VERSION
from kiosk.services.journeys.declared import load_journeys
from kiosk.services.journeys.declared.assistance import AssistanceChoice, assistance_request
from kiosk.services.journeys.declared.referral import ReferralState, referral_request
from kiosk.platform.models import RegistrationAnswers
from kiosk.services.journeys.declared.registration import SEND_KEYS, RegistrationDraft, submission
from kiosk.services.journeys.engine import JourneyEngine, JourneyError
from kiosk.services.journeys.spec import (GoTo, IdentityNeed, JourneySpec, Step, Stay,
                                          Transition)
from kiosk.services.referrals import ReferralTicket
from kiosk.services.registration import RegistrationOutcome
from kiosk.services.registration_form import FormError
from kiosk.services.session import IdleState
from tests.journeys.conftest import CONSENT_TIME, card_file, resident

VACANCY = Vacancy(id="V-1", title="保洁员", employer="天河物业", city="广州市")
FORM = {"phone": "13812345678", "education_code": "60", "desired_occupations": ["4-09"],
        "desired_divisions": ["440106"], "salary_min": 3000, "salary_max": 5000,
        "employment_type": "FULL_TIME", "availability": "WEEK", "key_groups": []}


def _ticket(vacancy_id: str = "V-1", referral_id: str = "R-0001") -> ReferralTicket:
    return ReferralTicket(referral_id, vacancy_id, "https://p.invalid/verify/" + referral_id,
                          "2026-12-01T10:00:00+08:00", "2026-12-31", "RC-1", 1, None)


def test_every_declared_journey_and_its_screens():
    journeys = load_journeys()
    assert sorted(journeys) == ["application_query", "applications", "assistance", "employer",
                                "fair_checkin", "fairs", "flexible_employment", "gigs", "guidance",
                                "hardship", "interests", "match", "policies", "referral", "register",
                                "resume", "search", "training", "unemployment"]
    assert journeys["register"].screens == ("register_form", "register_review", "register_done",
                                            "register_existing")
    assert journeys["assistance"].screens == ("assistance", "assistance_done")
    needs = {name: spec.identity.purposes if spec.identity else None
             for name, spec in journeys.items()}
    assert needs == {"application_query": ("assistance",), "applications": None,
                     "flexible_employment": ("assistance",),
                     "hardship": ("assistance",), "unemployment": ("assistance",),
                     "assistance": ("assistance",), "fair_checkin": ("fair_checkin",),
                     "employer": ("employer_posting",),
                     "fairs": ("fair_signup",), "gigs": ("gig_signup",), "interests": None,
                     "match": ("registration",),
                     "policies": None, "referral": ("referral",), "register": ("registration",),
                     "search": None, "training": None, "guidance": ("guidance_booking",),
                     "resume": ("resume",)}


# ---- 求职登记 -----------------------------------------------------------------------------
def test_registration_steps_consent_card_form_review_done(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("register")
    assert display.current == "consent" and display.last()[1] == {"purposes": ("registration",),
                                                                   "card_on_reader": False}
    assert kiosk.card.allowed == [False]              # showing the notice forbids reading
    engine.agree()
    journey = engine.journey
    assert journey.consent["purposes"] == ["registration"]
    assert journey.consent["version"] == CONSENT_VERSION
    assert journey.consent["accepted_at"] == "2026-12-01T10:00:00Z"
    assert kiosk.card.reading and display.current == "card_read"
    card = resident()
    kiosk.place(card)
    assert journey.identity is card and not kiosk.card.reading       # one read, then closed
    assert display.last("update") == ("card_read", {"state": "done"})
    assert display.current == "card_read"                            # "请取回身份证" shown
    engine.identity_shown()
    screen, values = display.last()
    assert screen == "register_form" and values["card"] is card and values["lookup_done"] is False
    form = values["form"]
    assert form is journey.part(RegistrationDraft).form              # the screen fills the draft
    engine.send("looked_up", registered=False, registration_no="")
    assert display.last("update") == ("register_form", {"step": "phone"})
    form.update(FORM)
    engine.next()
    assert display.last() == ("register_review", {"card": card, "form": form})
    outcome = RegistrationOutcome(True, "RC-1", "REG-1", "created")
    engine.send("submitted", outcome=outcome)
    assert display.last() == ("register_done", {"outcome": outcome, "continue_to": ""})
    engine.back()                                                    # done cleared the history
    assert display.current == "home" and engine.journey is journey
    engine.finish("finished")
    assert display.current == "rating"                               # 好差评 first (issue 21)
    engine.skip_rating()
    assert display.calls[-1] == ("ended", "finished", {}) and engine.journey is None
    assert display.screens() == ["consent", "card_read", "register_form", "register_review",
                                 "register_done", "home", "rating"]


def test_registration_payload_from_the_session_only(kiosk):
    kiosk.engine.start("register")
    card = resident()
    kiosk.read_card(card)
    journey = kiosk.engine.journey
    with pytest.raises(FormError) as missing:
        submission(journey)
    assert missing.value.field == "phone"
    journey.part(RegistrationDraft).form.update(FORM, key_groups=["MIGRANT_WORKER"],
                                                 screen_note="not sent")
    parts = submission(journey)
    assert parts.card is card
    assert parts.form == {**FORM, "key_groups": ["MIGRANT_WORKER"]}        # availability sent too
    # a 重点群体 was chosen: the separate consent purpose (PIPL Art. 29) is added
    assert parts.consent["purposes"] == ["registration", "sensitive_key_group"]
    assert journey.consent["purposes"] == ["registration"]                # the record is kept


def test_already_registered_branch_then_update(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("register")
    kiosk.read_card()
    answers = RegistrationAnswers(
        phone_masked="139****1111", education_code="60", desired_occupations=["6-31", "x"],
        desired_divisions=["440106", "999999"], employment_type="PART_TIME",
        expected_salary={"min": 4000, "max": 6000, "unit": "MONTH"}, availability="within_week")
    engine.send("looked_up", registered=True, registration_no="REG-9", answers=answers)
    assert display.last() == ("register_existing", {"registration_no": "REG-9"})
    engine.send("update")
    screen, values = display.last()
    assert screen == "register_form" and values["step"] == "phone" and values["lookup_done"]
    assert engine.journey.part(RegistrationDraft).updating
    # the earlier answers pre-filled (unknown codes left out, no phone, no 重点群体)
    assert values["form"] == {"previous_phone_masked": "139****1111", "education_code": "60",
                              "desired_occupations": ["6-31"], "desired_divisions": ["440106"],
                              "salary_min": 4000, "salary_max": 6000,
                              "employment_type": "PART_TIME", "availability": "WEEK"}
    assert "previous_phone_masked" not in SEND_KEYS
    engine.back()
    assert display.current == "home"                                  # never back to 已登记


def test_review_edit_goes_back_to_the_form_step(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("register")
    kiosk.read_card()
    engine.send("looked_up", registered=False)
    engine.journey.part(RegistrationDraft).form.update(FORM)
    engine.next()
    engine.back(step="occupation")
    screen, values = display.last()
    assert screen == "register_form" and values["step"] == "occupation"


# ---- the consent gate and the card ---------------------------------------------------------
def test_a_card_without_consent_is_never_kept(kiosk):
    engine = kiosk.engine
    engine.start("register")
    kiosk.place()                                   # lying on the reader on the notice
    assert engine.journey.identity is None and engine.journey.consent is None
    engine.agree()
    engine.back()                                   # 返回 from the card screen withdraws it
    assert kiosk.display.current == "consent" and engine.journey.consent is None
    assert not kiosk.card.reading
    engine.journey.step = "card_read"               # even if a screen got out of step:
    kiosk.place()
    assert engine.journey.identity is None          # no consent, no card


def test_decline_reads_nothing_and_ends_the_session(kiosk):
    kiosk.engine.start("match")
    kiosk.engine.decline()
    assert kiosk.engine.journey is None and not kiosk.card.reading
    assert kiosk.display.calls[-1] == ("ended", "declined", {})


def test_card_problems_are_shown_and_keep_nothing(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("register")
    engine.agree()
    kiosk.place(problem="card_expired")
    assert display.last("update") == ("card_read", {"event": CardEvent(
        "placed", card=display.last("update")[1]["event"].card, problem="card_expired")})
    assert engine.journey.identity is None
    engine.card_event(CardEvent("problem", problem="read_failed"))
    assert display.last("update")[1]["event"].problem == "read_failed"
    engine.retry_card()
    assert kiosk.card.reading
    kiosk.place()
    assert engine.journey.identity is not None


def test_only_one_read_per_session(kiosk):
    engine = kiosk.engine
    engine.start("register")
    first = resident("陈小满")
    kiosk.read_card(first)
    engine.journey.step = "card_read"
    kiosk.place(resident("别人"))
    assert engine.journey.identity is first


def test_card_kinds_a_journey_does_not_accept(kiosk):
    engine = kiosk.engine
    only_resident = JourneySpec(
        name="gig", title_zh="零工报名", identity=IdentityNeed(("gig",), frozenset({CardType.RESIDENT})),
        steps=(Step("gig", needs_identity=True),))
    engine.journeys["gig"] = only_resident
    engine.start("gig")
    engine.agree()
    assert engine.journey.consent["purposes"] == ["gig"]
    kiosk.place(card_file("hk_macao_taiwan"))
    assert kiosk.display.last("update") == ("card_read", {"problem": "card_kind"})
    assert engine.journey.identity is None
    kiosk.place(resident())
    assert engine.journey.identity is not None


def test_reader_unavailable_is_told_to_the_card_screen(kiosk):
    kiosk.card.last_state = "disconnected"
    kiosk.engine.start("referral", vacancy=VACANCY)
    kiosk.engine.agree()
    assert kiosk.display.last() == ("card_read", {"reader_available": False})


def test_a_card_on_the_home_screen_starts_registration(kiosk):
    kiosk.engine.card_event(CardEvent("detected"))
    assert kiosk.display.current == "consent" and kiosk.engine.journey.current == "register"
    kiosk.engine.back()                               # back home: the session stays
    assert kiosk.display.current == "home" and kiosk.engine.journey is not None
    kiosk.engine.card_event(CardEvent("state", state="ready"))
    assert kiosk.display.current == "home"            # a reader state is no person


def test_the_notice_knows_whether_the_card_already_lies_on_the_reader(kiosk):
    """Issue 17 item 4: laid on the home screen, the card is on the reader when the notice shows
    (its button then says the card there will be read); taken away and laid again meanwhile,
    the notice is told."""
    kiosk.card.card_present = True                    # CardService sets it before the event
    kiosk.engine.card_event(CardEvent("detected"))
    assert kiosk.display.last() == ("consent", {"purposes": ("registration",),
                                                "card_on_reader": True})
    kiosk.card.card_present = False
    kiosk.engine.card_event(CardEvent("removed"))
    assert kiosk.display.last("update") == ("consent", {"card_on_reader": False})
    kiosk.engine.card_event(CardEvent("detected"))
    assert kiosk.display.last("update") == ("consent", {"card_on_reader": True})
    assert kiosk.display.screens() == ["consent"] and kiosk.card.allowed[-1] is False


def test_card_events_elsewhere_change_nothing(kiosk):
    kiosk.engine.start("search")
    kiosk.engine.card_event(CardEvent("placed", card=resident()))
    assert kiosk.display.screens() == ["search"] and kiosk.engine.journey.identity is None


# ---- 找工作 → 申请推荐 ----------------------------------------------------------------------
def test_search_detail_referral_and_back(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("search")
    engine.go("vacancy_detail", vacancy=VACANCY, distance_km=1.5, age_days=2)
    engine.start("referral", vacancy=VACANCY)
    assert display.current == "consent" and display.last()[1] == {"purposes": ("referral",), "card_on_reader": False}
    engine.back()
    assert display.last() == ("vacancy_detail", {"vacancy": VACANCY, "distance_km": 1.5,
                                                 "age_days": 2})
    engine.start("referral", vacancy=VACANCY)
    card = resident()
    kiosk.read_card(card)
    assert display.last() == ("referral", {"vacancy": VACANCY, "card": card, "phone": "",
                                           "ticket": None})
    journey = engine.journey
    with pytest.raises(ValueError):
        referral_request(journey)                     # no phone yet
    engine.send("phone_entered", phone="13912345678")
    request = referral_request(journey)
    assert (request.card, request.phone, request.vacancy, request.registration_no) == \
        (card, "13912345678", VACANCY, None)
    ticket = _ticket()
    engine.send("created", ticket=ticket)
    assert display.last("update") == ("referral", {"ticket": ticket})
    engine.send("printer_outcome", state="printed")
    assert journey.part(ReferralState).print_states == {"R-0001": "printed"}
    engine.back()                                     # consent and card left the history
    assert display.current == "vacancy_detail"
    engine.start("referral", vacancy=VACANCY)         # applying again: the same ticket
    assert display.last()[1]["ticket"] is ticket and display.last()[1]["phone"] == "13912345678"
    assert journey.part(ReferralState).referral_ids == ["R-0001"]
    engine.back()
    engine.back()
    assert display.current == "search"
    engine.back()
    assert display.current == "home"


def test_referral_uses_the_registration_number_and_phone_of_the_session(kiosk):
    engine = kiosk.engine
    engine.start("register")
    kiosk.read_card()
    draft = engine.journey.part(RegistrationDraft)
    draft.form.update(FORM)
    engine.send("submitted", outcome=RegistrationOutcome(True, "RC-1", "REG-7", "created"))
    engine.start("referral", vacancy=VACANCY)
    assert kiosk.display.last()[1]["phone"] == "13812345678"          # no second consent
    assert referral_request(engine.journey).registration_no == "REG-7"


# ---- 为我推荐 and "continue after registering" ---------------------------------------------
def test_match_without_a_form_registers_first_then_offers_match(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("match")
    assert display.last()[1] == {"purposes": ("registration",), "card_on_reader": False}
    card = resident()
    kiosk.read_card(card)
    assert display.last() == ("match", {"card": card, "profile": None})
    engine.send("register_first")
    screen, values = display.last()
    assert screen == "register_form" and values["card"] is card      # no second card read
    assert engine.journey.continue_to == "match"
    engine.back()
    assert display.current == "match"                                 # 返回 to what they came for
    engine.send("register_first")
    engine.journey.part(RegistrationDraft).form.update(FORM)
    engine.next()
    outcome = RegistrationOutcome(False, "RC-2")
    engine.send("submitted", outcome=outcome)
    assert display.last() == ("register_done", {"outcome": outcome, "continue_to": "match"})
    engine.start("match")
    screen, values = display.last()
    assert screen == "match" and isinstance(values["profile"], JobseekerProfile)
    assert values["profile"].desired_occupations == ("4-09",)
    assert values["profile"].expected_salary == 3000
    engine.go("vacancy_detail", vacancy=VACANCY, distance_km=None)
    engine.back()
    assert display.current == "match"


# ---- 就业帮办 ------------------------------------------------------------------------------
def test_assistance_choose_identify_phone_done(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("assistance")
    assert display.last() == ("assistance", {"step": "choose"})
    engine.send("chosen", kind="subsidy_application")
    assert display.last() == ("consent", {"purposes": ("assistance",),
                                          "card_on_reader": False})
    card = resident()
    kiosk.read_card(card)
    assert display.last() == ("assistance", {"kind": "subsidy_application", "card": card,
                                             "phone": ""})
    request = assistance_request(engine.journey, "13712345678")
    assert request.consent == engine.journey.consent and request.kind == "subsidy_application"
    outcome = AssistanceOutcome(True, "RC-3", "T-1")
    engine.send("submitted", phone="13712345678", outcome=outcome)
    assert display.last() == ("assistance_done", {"kind": "subsidy_application",
                                                  "outcome": outcome})
    assert engine.journey.phone == "13712345678"
    engine.back()
    assert display.last() == ("assistance", {"step": "choose"})
    engine.send("chosen", kind="unemployment_registration")          # card already read
    assert display.last()[0] == "assistance" and display.last()[1]["phone"] == "13712345678"
    assert engine.journey.part(AssistanceChoice).kind == "unemployment_registration"
    with pytest.raises(KeyError):
        engine.send("chosen", kind="no_such_service")


def test_assistance_after_registration_sends_a_fresh_assistance_consent(kiosk):
    engine = kiosk.engine
    engine.start("register")
    kiosk.read_card()
    engine.start("assistance")
    engine.send("chosen", kind="subsidy_application")
    assert assistance_request(engine.journey, "13700000000").consent is None


def test_policies_and_training_need_no_card(kiosk):
    engine, display = kiosk.engine, kiosk.display
    for name, detail in (("policies", "policy_detail"), ("training", "course_detail")):
        engine.start(name)
        engine.go(detail, item={"title": "x"})
        assert display.last() == (detail, {"item": {"title": "x"}})
        engine.finish("home")
    assert "consent" not in display.screens() and not kiosk.card.allowed[:-1].count(True)


# ---- walk-away wipe ------------------------------------------------------------------------
def test_walking_away_mid_form_wipes_everything(kiosk):
    engine, clock = kiosk.engine, kiosk.clock
    engine.start("register")
    kiosk.read_card()
    journey = engine.journey
    draft = journey.part(RegistrationDraft)
    draft.form.update(FORM)
    journey.phone = "13812345678"
    assert engine.tick()[0] is IdleState.ACTIVE
    clock.now += 61
    state, left = engine.tick()
    assert state is IdleState.COUNTDOWN and left == pytest.approx(14.0)
    assert engine.journey is journey
    clock.now += 15
    assert engine.tick()[0] is IdleState.EXPIRED
    assert engine.journey is None and kiosk.display.calls[-1] == ("ended", "idle", {})
    assert journey.identity is None and journey.consent is None and journey.phone == ""
    assert draft.form == {} and journey.history == []
    assert not kiosk.card.reading
    ref = weakref.ref(journey)
    del journey, draft
    gc.collect()
    assert ref() is None


def test_a_touch_or_a_placed_card_keeps_the_session_but_reader_noise_does_not(kiosk):
    engine, clock = kiosk.engine, kiosk.clock
    engine.start("search")
    clock.now += 50
    engine.touch()
    clock.now += 50
    assert engine.tick()[0] is IdleState.ACTIVE
    engine.card_event(CardEvent("state", state="ready"))
    engine.card_event(CardEvent("problem", problem="read_failed"))
    clock.now += 15
    assert engine.tick()[0] is IdleState.COUNTDOWN
    engine.card_event(CardEvent("placed", card=resident()))
    assert engine.tick()[0] is IdleState.ACTIVE


def test_elderly_mode_waits_longer(kiosk):
    kiosk.engine.start("search")
    kiosk.session.elderly = True
    kiosk.clock.now += 100
    assert kiosk.engine.tick()[0] is IdleState.ACTIVE


# ---- a new journey is one declaration ------------------------------------------------------
def test_a_new_journey_declared_as_data_runs_without_any_other_change(kiosk):
    def picked(journey, values) -> Transition:
        if values.get("slot") == "full":
            return Stay({"error": "已约满"})
        return GoTo("booked", {"slot": values["slot"]}, remember=False)

    engine = kiosk.engine
    engine.journeys["booking"] = JourneySpec(
        name="booking", title_zh="预约指导", identity=IdentityNeed(("booking",)),
        steps=(Step("booking_slots", needs_identity=True,
                    view=lambda j: {"who": j.identity.masked_name}),
               Step("booked", remember=False)),
        events={"picked": picked})
    engine.start("booking")
    kiosk.read_card(resident("陈小满"))
    assert kiosk.display.last() == ("booking_slots", {"who": "陈*满"})
    engine.send("picked", slot="full")
    assert kiosk.display.last("update") == ("booking_slots", {"error": "已约满"})
    engine.send("picked", slot="周二 10:00")
    assert kiosk.display.last() == ("booked", {"slot": "周二 10:00"})
    engine.next()                                     # after the last step: the session ends
    assert engine.journey is None and kiosk.display.calls[-1] == ("ended", "finished", {})


def test_undeclared_journeys_and_events_are_errors(kiosk):
    with pytest.raises(JourneyError):
        kiosk.engine.start("nope")
    kiosk.engine.start("search")
    with pytest.raises(JourneyError):
        kiosk.engine.send("nope")


def test_consent_time_comes_from_the_injected_clock(kiosk):
    kiosk.engine.start("register")
    kiosk.engine.agree()
    assert kiosk.engine.journey.consent["accepted_at"] == CONSENT_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_engine_is_built_with_every_journey():
    from kiosk.bootstrap import build_journey_engine
    from kiosk.services.session import SessionService

    engine = build_journey_engine(SessionService(60, 120, 15))
    assert isinstance(engine, JourneyEngine) and engine.has_journey("register")
