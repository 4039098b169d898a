"""求职简历 and 预约职业指导 on the journey engine, headless (recording display, fake card gate,
injected clock): the steps in order, what each screen is shown with, the preview's paper lines
(姓名 / 联系电话 only when ticked, the ID number never — at 58 and 80 mm), the phone payload, the
booking and cancelling branch, and the wipe at the end."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kiosk.devices.printer.profile import paper_profile
from kiosk.domain.guidance import AdviserSlot
from kiosk.services.guidance import BookingOutcome
from kiosk.services.journeys.declared.guidance import GuidanceVisit, transaction_no
from kiosk.services.journeys.declared.registration import RegistrationDraft
from kiosk.services.journeys.declared.resume import ResumeDraft
from kiosk.services.resume_handoff import ShareOutcome, make_resume, paper_lines, share_payload
from kiosk.services.slip.guidance import GuidanceSlip

STATION = "天河区天河南街道就业驿站"
TODAY = date(2026, 12, 1)
PREFILL = {"known": True, "education_code": "61", "residence_division": "440106"}


def _resume_from(values: dict, card) -> object:
    return make_resume(card, station_name=STATION, today=TODAY, show_name=values["show_name"],
                       show_phone=values["show_phone"], phone=values["phone"],
                       answers=values["answers"], prefill=values["prefill"])


def _walk_to_preview(kiosk) -> dict:
    engine, display = kiosk.engine, kiosk.display
    engine.start("resume")
    assert display.current == "consent"
    assert display.last()[1] == {"purposes": ("resume",), "card_on_reader": False}
    kiosk.read_card()
    screen, values = display.last()
    assert screen == "resume_form" and values["step"] == "jobs"
    assert values["prefill_done"] is False and values["answers"]["past_jobs"] == []
    engine.send("prefilled", prefill=PREFILL)
    assert display.last("update")[1]["answers"]["wanted_places"] == ["440106"]  # near home
    engine.send("job_added", job="cleaner", years=6)
    engine.send("job_added", job="housekeeper", years=0.5)
    engine.send("job_added", job="cleaner", years=8)          # the same job again: replaced
    engine.send("job_removed", index=5)                        # no such entry: nothing
    assert display.last("update")[1]["answers"]["past_jobs"] == [("housekeeper", 0.5),
                                                                 ("cleaner", 8.0)]
    engine.next()
    assert display.last() [1]["step"] == "skills"
    engine.send("toggled", field="skills", value="会说粤语")
    engine.send("toggled", field="skills", value="能上夜班")
    engine.send("toggled", field="skills", value="能上夜班")   # toggled off again
    engine.send("toggled", field="certificates", value="健康证")
    engine.next()
    assert display.last()[1]["step"] == "wanted"
    engine.send("toggled", field="wanted_jobs", value="housekeeper")
    engine.send("chosen", field="employment_type", value="FULL_TIME")
    engine.send("chosen", field="salary_min", value=4500)
    engine.send("phone_entered", phone="13900139000")
    engine.next()
    screen, values = display.last()
    assert screen == "resume_preview"
    return values


def test_resume_preview_is_the_paper_and_never_shows_the_id_number(kiosk):
    values = _walk_to_preview(kiosk)
    card = kiosk.engine.journey.identity
    assert (values["show_name"], values["show_phone"], values["share"]) == (False, False, None)
    assert values["phone"] == "13900139000" and values["prefill"] == PREFILL
    resume = _resume_from(values, card)
    for columns in (32, 48):
        lines = paper_lines(resume, paper_profile(80, columns))
        text = "\n".join(lines)
        assert lines[0].strip() == "求职简历"
        for expected in ("性别：", "年龄：", "学历：", "普通高中", "现居住：", "广州市天河区",
                         "· 家政服务员  不满1年", "· 保洁员  8年", "会说粤语", "健康证",
                         "想做：", "全职", "4500元/月以上"):
            assert expected in text, (columns, expected)
        assert "能上夜班" not in text
        assert "姓名" not in text and card.name not in text
        assert "联系电话" not in text and "13900139000" not in text
        assert card.id_number not in text and card.id_number[-4:] not in text
    kiosk.engine.send("ticked", show_name=True, show_phone=True)
    ticked = kiosk.display.last("update")[1]
    assert (ticked["show_name"], ticked["show_phone"]) == (True, True)
    named = _resume_from(ticked, card)
    for paper in (58, 80):
        text = "\n".join(paper_lines(named, paper_profile(paper)))
        assert "姓名：" in text and card.name in text
        assert "13900139000" in text.replace(" ", "")
        assert card.id_number not in text
    payload = share_payload(named)
    assert payload["person"]["name"] == card.name and payload["person"]["phone"] == "13900139000"
    assert "id_number" not in str(payload) and card.id_number not in str(payload)
    assert payload["past_jobs"] == [{"job": "家政服务员", "years": 0.5},
                                    {"job": "保洁员", "years": 8.0}]
    assert payload["wanted"]["salary"] == "4500元/月以上"
    assert "name" not in share_payload(_resume_from(values, card))["person"]


def test_resume_share_link_is_dropped_when_the_paper_changes_and_everything_is_wiped(kiosk):
    _walk_to_preview(kiosk)
    engine = kiosk.engine
    link = ShareOutcome(url="https://platform.example/resumes/abc.pdf", expires_at="x")
    engine.send("shared", outcome=link)
    assert engine.journey.part(ResumeDraft).share is link
    engine.send("shared", outcome=ShareOutcome(message_zh="网络暂不可用"))   # a failure: kept
    assert engine.journey.part(ResumeDraft).share is link
    engine.send("ticked", show_name=True)
    assert kiosk.display.last("update")[1]["share"] is None          # the old paper's link
    engine.send("printed", state="printed")
    engine.back()
    assert kiosk.display.last()[1]["step"] == "wanted"               # back to the last step
    journey = engine.journey
    engine.finish("resume-done")
    assert journey.identity is None and not journey.has_part(ResumeDraft) and journey.phone == ""
    assert kiosk.display.calls[-1] == ("ended", "resume-done", {})


def test_resume_after_registering_starts_from_the_registration_answers(kiosk):
    engine = kiosk.engine
    engine.start("register")
    kiosk.read_card()
    form = engine.journey.part(RegistrationDraft).form
    form.update({"phone": "13800138000", "education_code": "21",
                 "desired_occupations": ["4-09"], "desired_divisions": ["440106"],
                 "salary_min": 5000, "employment_type": "PART_TIME"})
    engine.start("resume")                                     # the card is kept: no notice
    screen, values = kiosk.display.last()
    assert screen == "resume_form" and values["step"] == "jobs"
    answers = values["answers"]
    assert answers["wanted_jobs"] and answers["wanted_places"] == ["440106"]
    assert (answers["salary_min"], answers["employment_type"]) == (5000, "PART_TIME")
    assert answers["education_code"] == "21" and values["phone"] == "13800138000"


def test_resume_takes_the_everyday_jobs_picked_at_registration(kiosk):
    engine = kiosk.engine
    engine.start("register")
    kiosk.read_card()
    form = engine.journey.part(RegistrationDraft).form
    form.update({"phone": "13800138000", "education_code": "21",
                 "desired_jobs": ["security_guard", "cook", "6-29"],
                 "desired_occupations": ["4-07", "4-03", "6-29"]})
    engine.start("resume")
    # the jobs as picked; the category 建筑施工人员 (6-29) as its first everyday job, 水电工
    assert kiosk.display.last()[1]["answers"]["wanted_jobs"] == [
        "security_guard", "cook", "plumber_electrician"]


def _slot(slot_id: str = "GS-20261202-0930") -> AdviserSlot:
    start = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
    return AdviserSlot(slot_id, start, start + timedelta(minutes=45), "李老师", "1号职业指导室",
                       "求职方向与简历", 1, 1, start, start - timedelta(hours=2))


def _outcome(booking_no: str, cancelled: bool = False) -> BookingOutcome:
    return BookingOutcome(slip=GuidanceSlip(booking_no, _slot(), datetime(2026, 12, 1, 2, tzinfo=UTC),
                                            STATION, "020-12345678", "陈小满", cancelled))


def test_book_a_slot_after_the_card_then_cancel_it_in_the_same_session(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("guidance")
    assert display.current == "guidance_slots"
    engine.send("pick", slot_id="GS-20261202-0930")
    assert display.current == "consent"
    assert display.last()[1] == {"purposes": ("guidance_booking",), "card_on_reader": False}
    kiosk.read_card()
    screen, values = display.last()
    assert screen == "guidance_book" and values["slot_id"] == "GS-20261202-0930"
    assert values["outcome"] is None and values["consent"]["purposes"] == ["guidance_booking"]
    assert values["card"].name == "陈小满"
    assert transaction_no(engine.journey) == ""
    refused = BookingOutcome()
    engine.send("booked", outcome=refused)                     # a refusal is not remembered
    assert transaction_no(engine.journey) == ""
    booked = _outcome("ZD20261201000042")
    engine.send("booked", outcome=booked)
    assert display.last("update") == ("guidance_book", {"outcome": booked})
    assert transaction_no(engine.journey) == "ZD20261201000042"
    engine.back()
    assert display.current == "guidance_slots"
    engine.send("pick", slot_id="GS-20261202-0930")             # no second notice, no rebooking
    assert display.current == "guidance_book" and display.last()[1]["outcome"] is booked
    engine.send("mine")
    screen, values = display.last()
    assert screen == "guidance_mine" and values["cancelled"] == []
    engine.send("cancelled", outcome=_outcome("ZD20261201000042", cancelled=True))
    assert display.last("update")[1]["cancelled"] == ["ZD20261201000042"]
    visit = engine.journey.part(GuidanceVisit)
    assert visit.outcomes == {}
    journey = engine.journey
    engine.finish("guidance-done")
    engine.skip_rating()                                       # the 好差评 step: one tap
    assert journey.identity is None and not journey.has_part(GuidanceVisit)


def test_cancel_branch_asks_for_the_card_again(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("guidance")
    engine.send("mine")
    assert display.current == "consent"
    engine.decline()                                           # 不同意: nothing read, the end
    assert display.calls[-1] == ("ended", "declined", {}) and kiosk.card.allowed[-1] is False
    engine.start("guidance")
    engine.send("mine")
    kiosk.read_card()
    screen, values = display.last()
    assert screen == "guidance_mine" and values["card"].name == "陈小满"


def test_a_booking_is_one_transaction_rated_by_its_booking_number(kiosk):
    from kiosk.services.journeys.spec import RATING_STEP
    from kiosk.services.transactions import TransactionLog, TransactionStore
    from kiosk.services.transactions.journeys import JourneyTransactions
    from tests.quality.test_journey_transactions import Outbox

    store, outbox = TransactionStore(":memory:"), Outbox()
    log = TransactionLog(store, outbox, clock=kiosk.clock, monotonic=kiosk.clock)
    observer = JourneyTransactions(log, kiosk.session, outbox=outbox)
    kiosk.engine.add_observer(observer)
    kiosk.engine.attach_ratings(observer)
    kiosk.session.add_end_listener(log.session_ended)
    engine = kiosk.engine
    engine.start("guidance")
    engine.send("pick", slot_id="GS-20261202-0930")
    kiosk.read_card()
    engine.send("booked", outcome=BookingOutcome())            # refused: nothing completed
    engine.send("booked", outcome=_outcome("ZD20261201000042"))
    engine.finish("guidance-done")
    screen, values = kiosk.display.last()
    assert screen == RATING_STEP
    assert (values["kind"], values["transaction_no"]) == ("guidance_booking", "ZD20261201000042")
    engine.rate(5)
    assert [p["transaction_no"] for _k, p in outbox.queued] == ["ZD20261201000042"]
    assert [(r.kind, r.rating) for r in store.records()] == [("guidance_booking", 5)]
