"""用工单位/雇主 on the journey engine, headless (recording display, fake card gate, injected
clock): the handler's card after the consent, 单位 with the licence code checked offline (each
plain-Chinese reason), the unit's name, the posting, the minimum-wage flag on the review, the
result; 个人雇主 without a code; 我的发布; 预订招聘会展位 with its rules; the wipe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.platform.errors import PlatformUnavailable
from kiosk.platform.fair_wire import BoothBooking
from kiosk.platform.handoff_wire import TextHandoff, TextHandoffState
from kiosk.services.employer_postings import PostingDraft, PostingOutcome, posting_payload
from kiosk.services.fairs.service import BoothOutcome
from kiosk.services.journeys.declared.employer import (BOOTH_NEEDS_CREDIT_CODE, NAME_MISSING,
                                                       EmployerState, state_of)
from kiosk.services.posting_form import summary_lines
from kiosk.services.text_handoff import HandoffOutcome, HandoffQr, TextHandoffService
from tests.journeys.conftest import CONSENT_TIME, resident

CODE = "91440101MA5CJQ4N59"                       # GB 32100 valid, inner GB 11714 check fine
INNER_WRONG = "914401011234567801"                # valid outer check, GB 11714 check wrong
REGISTRATION_NO = "440106000000010"               # 15 digits, ISO 7064 MOD 11,10 valid
UNIT = "广州市示例物业管理有限公司"


def _to_kind(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("employer")
    assert display.last() == ("consent", {"purposes": ("employer_posting",),
                                          "card_on_reader": False})
    kiosk.read_card(resident("王大明"))
    screen, values = display.last()
    assert screen == "employer" and values["step"] == "kind"
    assert values["card"].name == "王大明"
    assert engine.journey.consent["purposes"] == ["employer_posting"]


def _draft(**changes) -> PostingDraft:
    base = PostingDraft(job_id="cleaner", headcount=2, pay=200, pay_unit="DAY", gig=True,
                        work_date="2026-12-02", start_time="08:00", duration_hours=8,
                        settlement="DAILY", division_code="440106",
                        address="广州市天河区天河南二路 示例地址", contact_phone="13800138000",
                        requirements=("能吃苦耐劳",))
    return base.with_(**changes)


@pytest.mark.parametrize(("typed", "reason"), [
    ("91440101MA5CJQ4N5", "长度不对"),
    ("91440101MO5CJQ4N59", "含有不能使用的字母：O（是数字0吗？）"),
    ("91440101MA5CJQ4N58", "校验位不对，请核对营业执照"),
    ("440106000000011", "校验位不对，请核对营业执照"),
])
def test_a_wrong_licence_code_stays_with_its_plain_chinese_reason(kiosk, typed, reason):
    _to_kind(kiosk)
    kiosk.engine.send("kind_chosen", kind="unit")
    assert kiosk.display.last()[1]["step"] == "licence"
    kiosk.engine.send("code_entered", code=typed)
    screen, values = kiosk.display.last("update")
    assert screen == "employer" and values["problem"].startswith(reason)
    assert kiosk.display.current == "employer"
    assert kiosk.engine.journey.step == "licence"


def test_unit_posts_a_gig_code_normalised_warning_shown_pay_flagged_then_done(kiosk):
    engine, display = kiosk.engine, kiosk.display
    _to_kind(kiosk)
    engine.send("kind_chosen", kind="unit")
    engine.send("code_entered", code=" ９１４４０１０１１２３４５６７８０１ ")   # full-width, spaces
    screen, values = display.last()
    assert screen == "employer" and values["step"] == "unit_name"
    assert values["code"] == INNER_WRONG
    assert values["warnings"] == ("第9至17位（组织机构代码）的校验位对不上，请再核对一次",)
    engine.send("name_entered", name="  ")
    assert display.last("update")[1] == {"problem": NAME_MISSING, "name": ""}
    engine.send("name_entered", name=UNIT)
    screen, values = display.last()
    assert screen == "employer_posting" and values["problems"] == []
    assert (values["draft"].employer_kind, values["draft"].credit_code,
            values["draft"].employer_name) == ("unit", INNER_WRONG, UNIT)

    engine.send("posting_filled", draft=PostingDraft(job_id="cleaner", pay=0, work_date=""))
    screen, values = display.last("update")
    assert values["problems"] == ["请填写工资", "请选择上工日期", "请选择工作地点",
                                  "请填写联系电话（手机11位或座机）"]
    assert display.current == "employer_posting"

    # 100 元/天 for 8 h in 广州 is below 22.2 元/小时 × 8
    engine.send("posting_filled", draft=_draft(pay=100))
    assert display.current == "employer_description"              # 详细说明: optional
    engine.send("description_skipped")
    screen, values = display.last()
    assert screen == "employer_review"
    assert values["pay_flag"] == ("工资低于当地最低工资标准177.6元/天（非全日制22.2元/小时 × 8小时），"
                                  "请调整后再提交")
    assert values["draft"].employer_name == UNIT                 # the screen cannot change it
    assert engine.journey.phone == "13800138000"
    engine.back()
    assert display.current == "employer_description"
    engine.back()
    assert display.current == "employer_posting"
    assert display.last()[1]["draft"].pay == 100                 # the draft is kept for 修改
    engine.send("posting_filled", draft=_draft(pay=200, employer_name="别的名字"))
    engine.send("description_skipped")
    screen, values = display.last()
    assert values["pay_flag"] == "" and values["pay_note"] == "不低于当地最低工资标准177.6元/天"
    assert values["draft"].employer_name == UNIT

    refused = PostingOutcome(False, "R-1", refused=True, refusal_zh="这条招聘信息已经提交过")
    engine.send("refused", outcome=refused)
    assert display.last("update") == ("employer_review", {"refusal": "这条招聘信息已经提交过"})
    outcome = PostingOutcome(True, "R-2", "ZP-440106-000001", "https://platform/manage/ZP")
    engine.send("submitted", outcome=outcome)
    screen, values = display.last()
    assert screen == "employer_done" and values["outcome"] is outcome
    assert values["draft"].pay == 200
    assert engine.journey.history == []                          # 返回 cannot resubmit
    journey = engine.journey
    engine.finish("employer-done")                            # 完成: the 好差评 step first
    screen, values = display.last()
    assert screen == "rating" and values["transaction_no"] == "ZP-440106-000001"
    engine.skip_rating()
    assert display.calls[-1] == ("ended", "employer-done", {})
    assert journey.identity is None and not journey.has_part(EmployerState)


def test_individual_employer_goes_straight_to_the_posting(kiosk):
    _to_kind(kiosk)
    kiosk.engine.send("kind_chosen", kind="individual")
    screen, values = kiosk.display.last()
    assert screen == "employer_posting"
    assert (values["draft"].employer_kind, values["draft"].credit_code) == ("individual", "")
    kiosk.engine.send("posting_filled", draft=_draft(more_dates=("2026-12-05", "2026-12-03")))
    assert kiosk.display.current == "employer_description"
    kiosk.engine.send("description_skipped")
    screen, values = kiosk.display.last()
    assert screen == "employer_review"
    assert values["draft"].work_dates == ("2026-12-02", "2026-12-03", "2026-12-05")
    gig = posting_payload(resident("王大明"), values["draft"], CONSENT_TIME)["gig"]
    assert (gig["work_date"], gig["more_dates"]) == ("2026-12-02", ["2026-12-03", "2026-12-05"])


def test_station_input_is_the_default_place(kiosk):
    kiosk.engine.start("employer", station={"division_code": "440106", "address": "天河南二路",
                                            "latitude": 23.1365, "longitude": 0})
    draft = state_of(kiosk.engine.journey).draft
    assert (draft.division_code, draft.address, draft.latitude, draft.longitude) == (
        "440106", "天河南二路", 23.1365, None)


def test_progress_query_shows_what_the_platform_answers(kiosk):
    _to_kind(kiosk)
    kiosk.engine.send("kind_chosen", kind="progress")
    screen, values = kiosk.display.last()
    assert screen == "employer_progress" and values["postings"] is None
    assert values["card"].name == "王大明"
    kiosk.engine.send("progress_loaded", postings=["p1", "p2"])
    assert kiosk.display.last("update") == ("employer_progress", {"postings": ["p1", "p2"]})
    kiosk.engine.back()
    assert kiosk.display.last()[1]["step"] == "kind"


def _booking(status: str = "booked") -> BoothBooking:
    return BoothBooking(booking_id="B1", fair_id="F1", booth="A03", status=status,
                        booked_at="2026-12-01T02:00:00Z", cancel_until="2026-12-03T10:00:00Z")


def test_booth_needs_an_18_character_code_then_books_and_cancels(kiosk):
    engine, display = kiosk.engine, kiosk.display
    _to_kind(kiosk)
    engine.send("kind_chosen", kind="booth")
    assert display.last()[1]["purpose"] == "booth"
    engine.send("code_entered", code=REGISTRATION_NO)         # valid, but not for a booth
    assert display.last("update")[1]["problem"] == BOOTH_NEEDS_CREDIT_CODE
    engine.send("code_entered", code=CODE)
    engine.send("name_entered", name=UNIT)
    screen, values = display.last()
    assert screen == "employer_booth"
    assert values == {"code": CODE, "name": UNIT, "bookings": {}, "phone": ""}
    booked = BoothOutcome(booking=_booking())
    engine.send("booth_booked", outcome=booked)
    assert display.last("update") == ("employer_booth", {"outcome": booked,
                                                          "bookings": {"F1": _booking()}})
    refused = BoothOutcome()
    engine.send("booth_booked", outcome=refused)
    assert display.last("update")[1]["bookings"] == {"F1": _booking()}
    cancelled = BoothOutcome(booking=_booking("cancelled"))
    engine.send("booth_cancelled", outcome=cancelled)
    assert display.last("update")[1]["bookings"] == {}


def test_the_posting_is_one_transaction_from_the_form_to_submitted(kiosk):
    from kiosk.services.journeys.declared.employer import JOURNEY

    txn = JOURNEY.transaction
    assert txn is not None
    assert (txn.kind, txn.completes_on, txn.starts_at) == ("posting", ("submitted",), "posting")
    _to_kind(kiosk)
    kiosk.engine.send("kind_chosen", kind="individual")
    queued = PostingOutcome(False, "R-9")                       # offline: the outbox item
    ref = txn.number(kiosk.engine.journey, {"outcome": queued})
    assert ref is not None and ref.number in ("", None) and ref.kind == "posting:individual"
    refused = PostingOutcome(False, "R-8", refused=True, refusal_zh="x")
    assert txn.number(kiosk.engine.journey, {"outcome": refused}) is None


class _Phone:
    """A fake platform for the text hand-off: what the phone submitted, and a clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 2, 0, 0, tzinfo=UTC)
        self.text: str | None = None
        self.down = False
        self.made: list[tuple[str, int, str]] = []

    def clock(self) -> datetime:
        return self.now

    def create_text_handoff(self, purpose, max_chars, prompt=""):
        if self.down:
            raise PlatformUnavailable("no answer")
        self.made.append((purpose, max_chars, prompt))
        return TextHandoff(handoff_id="A" * 21 + str(len(self.made)),
                           url=f"https://platform/v1/text-handoffs/{len(self.made)}/page",
                           expires_at="2026-12-01T02:15:00.000000Z", max_chars=max_chars,
                           poll_after_ms=2000)

    def text_handoff(self, handoff_id):
        if self.down:
            raise PlatformUnavailable("no answer")
        status = "received" if self.text is not None else "waiting"
        return TextHandoffState(handoff_id=handoff_id, status=status, text=self.text,
                                expires_at="2026-12-01T02:15:00.000000Z")


def _to_description(kiosk):
    _to_kind(kiosk)
    kiosk.engine.send("kind_chosen", kind="individual")
    kiosk.engine.send("posting_filled", draft=_draft())
    screen, values = kiosk.display.last()
    assert screen == "employer_description"
    assert values["prompt"] == "保洁员（零工）的详细说明：工作内容、时间安排、待遇等"
    assert (values["link"], values["outcome"]) == (None, None)


def test_description_from_the_phone_is_confirmed_masked_and_goes_into_the_payload(kiosk):
    """QR → the phone submits → the kiosk polls (injected clock) → shown for confirmation with
    the personal numbers found → 使用 → the draft, then the posting payload, carry it masked."""
    engine, display = kiosk.engine, kiosk.display
    phone = _Phone()
    service = TextHandoffService(lambda: phone, now=phone.clock)
    _to_description(kiosk)
    prompt = display.last()[1]["prompt"]
    link = service.start(prompt)
    assert isinstance(link, HandoffQr) and link.ok
    assert phone.made == [("posting_description", 500, prompt[:60])]
    assert (link.url, link.poll_after_s, link.max_chars) == (
        "https://platform/v1/text-handoffs/1/page", 2.0, 500)
    engine.send("handoff_started", link=link)
    screen, values = display.last("update")
    assert values["link"] is link and values["outcome"].status == "waiting"
    assert values["outcome"].message_zh == "请用手机扫描二维码填写"
    engine.send("handoff_polled", outcome=service.poll(link))
    assert display.last("update")[1]["outcome"].status == "waiting"
    phone.text = "早8点到晚5点，包午餐。\r\n有事打13912345678，身份证440106199001011234\x07"
    phone.now += timedelta(minutes=3)
    outcome = service.poll(link)
    assert (outcome.status, outcome.personal) == ("received", ("id_number", "phone"))
    assert outcome.text == "早8点到晚5点，包午餐。\n有事打13912345678，身份证440106199001011234"
    assert outcome.masked_text == "早8点到晚5点，包午餐。\n有事打139****5678，身份证4401**********1234"
    assert outcome.notes_zh == ("说明中有身份证号码，已隐去",
                                "说明中有手机号码，已隐去（联系电话在“联系电话”一步填写）")
    engine.send("handoff_polled", outcome=outcome)
    screen, values = display.last("update")
    assert values == {"outcome": outcome, "link": None}        # the QR goes, the text shows
    engine.send("description_taken")
    screen, values = display.last()
    assert screen == "employer_review"
    draft = values["draft"]
    assert draft.description == "早8点到晚5点，包午餐。\n有事打139****5678，身份证4401**********1234"
    payload = posting_payload(resident("王大明"), draft, phone.now)
    assert payload["description"] == draft.description
    assert ("详细说明", draft.description) in summary_lines(draft, "王*明")
    engine.back()                                              # 修改: the step again, a new QR
    screen, values = display.last()
    assert screen == "employer_description" and values["draft"].description == draft.description
    engine.send("description_removed")
    assert display.last("update")[1]["draft"].description == ""
    engine.send("description_skipped")
    assert display.last()[1]["draft"].description == ""


def test_description_qr_expires_by_the_clock_offline_says_so_and_skipping_is_allowed(kiosk):
    engine, display = kiosk.engine, kiosk.display
    phone = _Phone()
    service = TextHandoffService(lambda: phone, now=phone.clock)
    _to_description(kiosk)
    link = service.start()
    engine.send("handoff_started", link=link)
    phone.now += timedelta(minutes=15)                         # expires_at 02:15:00 reached
    phone.text = "too late"
    expired = service.poll(link)
    assert expired.status == "expired" and expired.final
    engine.send("handoff_polled", outcome=expired)
    values = display.last("update")[1]
    assert values["link"] is None
    assert values["outcome"].message_zh == "二维码已过期，请点“重新生成二维码”，或跳过这一步"
    engine.send("handoff_polled", outcome=service.poll(link))   # a late answer: ignored
    assert display.last("update")[1] == {}
    with pytest.raises(TypeError):
        engine.send("description_taken")                       # nothing was received
    # a new QR; the network goes: one lost poll is retried, the third in a row gives up
    phone.now -= timedelta(minutes=15)
    again = service.start()
    engine.send("handoff_started", link=again)
    phone.down = True
    assert [service.poll(again).status for _ in range(3)] == ["waiting", "waiting", "offline"]
    offline = service.start()
    assert isinstance(offline, HandoffOutcome) and offline.status == "offline"
    engine.send("handoff_started", link=offline)
    values = display.last("update")[1]
    assert values["link"] is None
    assert values["outcome"].message_zh == "网络暂不可用，不能用手机填写。可以跳过这一步，不影响发布"
    no_client = TextHandoffService(lambda: None, now=phone.clock)
    assert no_client.start().status == "offline"
    engine.send("description_skipped")
    screen, values = display.last()
    assert screen == "employer_review" and values["draft"].description == ""
