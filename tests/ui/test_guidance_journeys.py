"""职业指导 at the kiosk by touch (issue 22): 兴趣探索 answered to its result, whose reason then
shows in 为我推荐; screenshots in both orientations. The rules are tested headless in
``tests/journeys/test_interests_journey.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.services.journeys.declared.interests import InterestExploration
from kiosk.services.journeys.declared.resume import ResumeDraft

pytestmark = pytest.mark.ui


def test_interest_exploration_by_touch_both_orientations(ui):
    ui.set_size(1920, 1080)
    ui.tap(id="btn_interests")
    ui.wait_screen("interest_intro")
    ui.screenshot("interests-intro-landscape")
    ui.tap(id="begin")
    item = ui.wait_screen("interest_item")
    ui.screenshot("interests-item-landscape")
    for _ in range(6):                                  # one statement of each type: 喜欢
        ui.tap(id="answer_like")
    ui.tap(id="answer_dislike")                          # R2
    assert item.progress_text.startswith("第 8 题")
    ui.set_size(1080, 1920)
    ui.pump(3)
    ui.screenshot("interests-item-portrait")
    ui.tap(id="stop_items")
    result = ui.wait_screen("interest_result")
    ui.wait_until(lambda: not result.busy, 10, "vacancies for the interests")
    assert result.summary_text == "根据您回答的 7 题（共 30 题），结果如下："
    assert result.types_text.startswith("1.动脑钻研型")    # I, A, S, E, C: 1 like each; R 1 of 2
    assert result.ids.vacancies.data
    ui.screenshot("interests-result-portrait")
    ui.set_size(1920, 1080)
    ui.pump(3)
    ui.screenshot("interests-result-landscape")
    assert ui.app.nav.journey.part(InterestExploration).result.top == ("I", "A", "S")


def _audited(ui, name: str) -> None:
    from tests.ui.audit import audit

    ui.pump(3)
    findings = audit(ui.app.root, name, ui.app.theme.elderly)
    assert findings == [], "\n".join(map(str, findings))


def _tap_home_tile(ui, widget_id: str) -> None:
    """The last tiles sit below the fold once the home grid has 13: scroll to it, then tap."""
    from kivy.uix.scrollview import ScrollView

    tile = ui.find(id=widget_id)
    parent = tile.parent
    while parent is not None and not isinstance(parent, ScrollView):
        parent = parent.parent
    if parent is not None:
        parent.scroll_to(tile, padding=20, animate=False)
        ui.pump(3)
    ui.tap(tile)


def _cancel_label(ui, screen, booking_no: str) -> str:
    button = next(w for w in ui.walk(screen) if booking_no in str(getattr(w, "subtitle", "")))
    return str(button.text)


def test_resume_printed_then_an_adviser_booked_by_touch(ui):
    """求职简历: pick-list steps → the preview (the paper itself; 姓名 only once ticked) → printed
    (decoded: the name, never the ID number) and handed to the phone (the QR on screen is the
    platform's PDF link); then 预约职业指导 in 长辈模式: a slot → identity → booked, slip printed
    (time, desk, how to cancel) → 取消我的预约 → cancelled, slip printed. Landscape and
    portrait, both modes audited."""
    import requests

    from tests.ui.test_jobs_journey import _identify, _slips
    from tests.platform.test_fairs_flow import _decoder

    services = ui.app.services
    ui.wait_until(lambda: services.guidance.open_slots(), 30, "adviser slots synced")
    before = len(_slips(ui))
    ui.set_size(1920, 1080)
    _tap_home_tile(ui, "btn_resume")
    _identify(ui)
    card = services.session.current.identity
    form = ui.wait_screen("resume_form")
    ui.wait_until(lambda: services.session.current.part(ResumeDraft).prefill_done, 15, "prefill")
    ui.tap(text="家政服务员")
    ui.tap(text="3年")
    assert any(getattr(w, "caption", "") == "家政服务员 3年" and w.selected     # ticked (a drawn ✓)
               for w in ui.walk(form))
    ui.screenshot("resume-jobs")
    _audited(ui, "resume_form:jobs")
    ui.tap(id="resume_next")
    ui.tap(text="会说粤语")
    ui.tap(text="健康证")
    ui.tap(id="resume_next")
    ui.tap(text="全职")
    _audited(ui, "resume_form:wanted")
    ui.tap(id="resume_next")
    preview = ui.wait_screen("resume_preview")
    ui.wait_until(lambda: preview.paper is not None, 15, "paper drawn")
    paper = "\n".join(preview.paper_lines)
    assert "家政服务员" in paper and "会说粤语" in paper and "健康证" in paper and "全职" in paper
    assert card.name not in paper and card.id_number not in paper
    ui.tap(id="tick_name")
    ui.wait_until(lambda: card.name in "\n".join(preview.paper_lines), 10, "name ticked")
    ui.wait_until(lambda: not preview.busy, 15, "paper redrawn")
    ui.screenshot("resume-preview")
    _audited(ui, "resume_preview")
    ui.tap(id="resume_print")
    ui.wait_until(lambda: "已打印" in preview.print_text, 20, "résumé printed")
    slips = _slips(ui)
    assert len(slips) == before + 1
    printed = "".join(_decoder().decode(slips[-1].read_bytes()).texts)
    assert card.name in printed and "家政服务员" in printed and card.id_number not in printed
    ui.tap(id="resume_phone")
    ui.wait_until(lambda: preview.qr_data, 15, "phone link")
    assert preview.ids.resume_qr.data == preview.qr_data        # the QR drawn is the link
    pdf = requests.get(preview.qr_data, timeout=10)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ui.tap(id="resume_finish")
    ui.wait_screen("home")

    _tap_home_tile(ui, "btn_guidance")
    slots = ui.wait_screen("guidance_slots")
    ui.set_size(1080, 1920)
    ui.tap(id="elderly_toggle")
    assert ui.app.theme.elderly and services.voice.enabled
    heard = len(services.voice.history)
    ui.pump(3)
    ui.wait_until(lambda: len(slots.ids.slot_list.children) >= 2, 10, "slots listed")
    _audited(ui, "guidance_slots")
    # the soonest slot still cancellable at the kiosk for the rest of this test (the demo's
    # cancel deadline is 2 h before the start: before 09:30 China time today's 09:30 slot is
    # bookable but its 取消 is rightly disabled)
    soon = services.guidance.clock() + timedelta(minutes=10)
    first = next(s for s in services.guidance.open_slots() if s.cancellable_until > soon)
    ui.tap(text=next(t for t in ui.texts(slots) if t.startswith(first.when_text())))
    _identify(ui)
    book = ui.wait_screen("guidance_book", 20)
    ui.wait_until(lambda: book.done, 15, "booked")
    ui.wait_until(lambda: "已打印" in book.print_text, 20, "booking slip printed")
    assert book.booking_no and "陈*满" in book.person_text
    slip = "".join(_decoder().decode(_slips(ui)[-1].read_bytes()).texts)
    assert book.booking_no in slip and first.desk in slip and "如需取消" in slip
    ui.screenshot("guidance-booked-elderly")
    said = services.voice.history[heard:]
    assert said.index("consent") < said.index("place_card") < said.index("guidance_booked")
    ui.set_size(1920, 1080)
    ui.pump(3)
    _audited(ui, "guidance_book:landscape")
    ui.tap(id="back")                                  # 取消我的预约: the card of this session
    ui.wait_screen("guidance_slots")
    _audited(ui, "guidance_slots:landscape")
    ui.tap(id="guidance_mine")
    mine = ui.wait_screen("guidance_mine")
    ui.wait_until(lambda: mine.ids.booking_list.children, 15, "the person's bookings")
    ui.tap(text=_cancel_label(ui, mine, book.booking_no))
    ui.wait_until(lambda: mine.done_text, 15, "cancelled")
    ui.wait_until(lambda: "已打印" in mine.print_text, 20, "cancellation slip printed")
    assert "职业指导预约已取消" in "".join(_decoder().decode(_slips(ui)[-1].read_bytes()).texts)
    assert services.guidance.slot(first.id).places_left == first.places_left
    ui.screenshot("guidance-cancelled-elderly")
    _audited(ui, "guidance_mine")
    ui.tap(id="mine_finish")
    ui.wait_screen("rating")                       # 好差评 of the booking, skipped with one tap
    ui.tap(id="skip_button")
    ui.wait_screen("home")
    assert not ui.app.theme.elderly
    assert "陈*满" not in " ".join(ui.texts())
