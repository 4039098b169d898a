"""用工单位/雇主 by touch (issue 19), one lean journey: the home tile → consent → the handler's
card → 单位 → the 统一社会信用代码 on the code keyboard (a wrong letter is pointed out, then
corrected) → the unit's name on the pinyin keyboard → a 零工 on two days by pick-lists → the review →
提交审核 through the outbox → the posting number, the manage QR and the slip; then the sandbox's
casework publishes it and the next catalog sync brings it to the kiosk as a gig.

Driven in landscape and 长辈模式 (the strictest audit: 60 dp targets, 24 px text); every new
screen is audited on the way and photographed (``tests/artifacts/employer-*-landscape.png``)."""

from __future__ import annotations

import pytest
import requests
from kivy.uix.scrollview import ScrollView

from kiosk.domain.china_time import china_now
from kiosk.services.journeys.declared.employer import EmployerState
from kiosk.services.posting_form import work_days
from tests.ui.audit import audit

pytestmark = pytest.mark.ui

CODE = "91440101MA5CJQ4N59"


def _audited(ui, name: str) -> None:
    ui.pump(3)
    findings = audit(ui.app.root, name, ui.app.theme.elderly)
    assert findings == [], "\n".join(map(str, findings))


def _key(keyboard, label: str):
    return next(k for k in keyboard.walk(restrict=True) if getattr(k, "text", None) == label)


def test_unit_posts_a_gig_casework_publishes_it_and_the_catalog_has_it(ui):
    from tests.ui.test_jobs_journey import _decode_screen_qr, _slips

    services = ui.app.services
    before = len(_slips(ui))
    ui.set_size(1920, 1080)
    ui.tap(id="elderly_toggle")
    assert ui.app.theme.elderly
    tile = ui.app.sm.current_screen.ids.btn_employer
    scroller = tile.parent
    while not isinstance(scroller, ScrollView):
        scroller = scroller.parent
    scroller.scroll_to(tile, animate=False)                     # the last row of the home grid
    ui.pump(3)
    ui.tap(tile)
    scroller.scroll_y = 1                                       # home as the next test finds it
    ui.wait_screen("consent")
    ui.tap(id="agree_button")
    ui.wait_screen("card_read")
    services.demo_place_card()
    screen = ui.wait_screen("employer")
    ui.wait_until(lambda: screen.step == "kind", 10, "kind step")
    _audited(ui, "employer-kind")
    ui.screenshot("employer-kind")
    ui.tap(id="kind_unit")
    ui.wait_until(lambda: screen.step == "licence", 5, "licence step")
    keyboard = screen.ids.code_keyboard
    for ch in CODE[:9] + "O":                                   # O instead of A …
        ui.tap(_key(keyboard, ch))
    assert screen.problem.startswith("含有不能使用的字母：O（是数字0吗？）")
    ui.screenshot("employer-licence-wrong-letter")
    ui.tap(_key(keyboard, "删除"))
    for ch in CODE[9:]:
        ui.tap(_key(keyboard, ch))
    assert screen.code == CODE and screen.problem == ""
    _audited(ui, "employer-licence")
    ui.tap(id="code_next")
    ui.wait_until(lambda: screen.step == "unit_name", 5, "unit name step")
    names = screen.ids.name_keyboard
    ui.wait_until(lambda: names.candidates_source is not None, 10, "name candidates")
    for letters, word in (("gz", "广州"), ("yxgs", "有限公司")):
        for letter in letters:
            ui.tap(_key(names, letter.upper()))
        ui.tap(_key(names, word))
    assert screen.name_shown == "广州有限公司"
    ui.screenshot("employer-unit-name")
    _audited(ui, "employer-unit-name")
    ui.tap(id="name_next")

    form = ui.wait_screen("employer_posting")
    ui.tap(text="保洁员")
    _audited(ui, "employer-posting-job")
    ui.tap(id="posting_next")                                   # → 用工方式 / 人数 (零工)
    ui.tap(text="2人")
    ui.tap(id="posting_next")                                   # → 工资 (元/天 already)
    for digit in "200":
        ui.tap(_key(form.ids.pay_keypad, digit))
    assert form.pay_note.startswith("不低于当地最低工资标准")
    ui.screenshot("employer-posting-pay")
    ui.tap(id="posting_next")                                   # → today 08:00 8 h 日结
    tomorrow, tomorrow_label = work_days(china_now().date())[1]
    ui.tap(text=tomorrow_label)                                 # … and tomorrow: two days
    assert form._draft.work_dates == (china_now().date().isoformat(), tomorrow)
    _audited(ui, "employer-posting-time")
    ui.tap(id="posting_next")                                   # → the station's address
    assert form.ids.station_tile.selected
    ui.tap(id="posting_next")
    ui.tap(text="身体健康")
    ui.tap(id="posting_next")                                   # → the contact phone
    for digit in "13800138000":
        ui.tap(_key(form.ids.contact_keypad, digit))
    ui.screenshot("employer-posting-details")
    _audited(ui, "employer-posting-details")
    ui.tap(id="posting_next")

    # 详细说明 through the employer's phone: the QR is the platform's form; the phone submits
    describe = ui.wait_screen("employer_description")
    ui.wait_until(lambda: describe.qr_data, 10, "hand-off QR")
    url = describe.qr_data
    assert url.startswith(services.sandbox.base_url + "/text-handoffs/") and url.endswith("/page")
    assert _decode_screen_qr(ui.screenshot("employer-description-qr-landscape")) == [url]
    _audited(ui, "employer-description-qr")
    ui.set_size(1080, 1920)
    ui.pump(3)
    ui.screenshot("employer-description-qr-portrait")
    ui.set_size(1920, 1080)
    typed = "写字楼保洁，早8点到晚5点。\n有事打13912345678"
    assert requests.post(url, data={"text": typed}, timeout=5).status_code == 200
    describe._poll()                                            # the next poll, not in 2 s
    ui.wait_until(lambda: describe.received, 10, "the text from the phone")
    assert describe.received_text == "写字楼保洁，早8点到晚5点。\n有事打139****5678"
    assert describe.notes_text == "说明中有手机号码，已隐去（联系电话在“联系电话”一步填写）"
    assert describe.qr_data == ""
    ui.screenshot("employer-description-received-landscape")
    _audited(ui, "employer-description-received")
    ui.tap(id="description_take")

    review = ui.wait_screen("employer_review")
    assert "保洁员（零工）" in review.summary_text and "138****8000" in review.summary_text
    assert "详细说明：写字楼保洁，早8点到晚5点。\n有事打139****5678" in review.summary_text
    assert "（共2天） 08:00 起 8小时" in review.summary_text
    assert review.pay_flag == ""
    _audited(ui, "employer-review")
    ui.screenshot("employer-review")
    scroll = review.ids.review_scroll
    last = review.ids["review_pay_note" if review.pay_note else "review_summary"]
    scroll.scroll_y = 0                                         # scrolled to the end:
    ui.pump(2)
    _, last_y = last.to_window(last.x, last.y)                  # the last line stands whole
    assert last_y >= scroll.to_window(scroll.x, scroll.y)[1] + 1, (last_y, scroll.y)
    ui.screenshot("employer-review-end")
    scroll.scroll_y = 1
    ui.tap(id="review_submit")
    done = ui.wait_screen("employer_done", 20)
    outcome = services.session.current.part(EmployerState).outcome
    assert outcome.delivered and outcome.posting_no.startswith("ZP-440106-")
    assert done.number_text == f"信息编号 {outcome.posting_no}"
    ui.wait_until(lambda: "已打印" in done.print_text, 20, "slip printed")
    shot = ui.screenshot("employer-done")
    assert outcome.manage_url in _decode_screen_qr(shot)
    slips = _slips(ui)
    assert len(slips) == before + 1 and outcome.posting_no.encode() in slips[-1].read_bytes()
    _audited(ui, "employer-done")
    ui.tap(id="done_finish")
    ui.wait_screen("rating")                                    # 好差评 (issue 21), one tap
    ui.tap(id="skip_button")
    ui.wait_screen("home")
    assert not ui.app.theme.elderly                             # reset with the session

    _audit_decision(services, outcome.posting_no, "published")
    services.sync_catalog()
    gig = services.catalog.get(outcome.posting_no)
    assert gig is not None and gig.is_gig
    assert (gig.title, gig.employer, gig.places_left, gig.salary_text()) == (
        "保洁员", "广州有限公司", 2, "200元/天")
    second = services.catalog.get(f"{outcome.posting_no}-{tomorrow.replace('-', '')}")
    assert second is not None and (second.work_date, second.places_left) == (tomorrow, 2)
    _audit_decision(services, outcome.posting_no, "withdrawn")  # leave the board as it was
    services.sync_catalog()
    assert services.catalog.get(outcome.posting_no) is None
    assert services.catalog.get(second.id) is None


def test_progress_line_lists_every_day_of_a_gig():
    from kiosk.platform.models import PostingStatus
    from kiosk.screens.employer import status_line

    posting = PostingStatus(posting_no="ZP-440106-000001", status="published", title="保洁员",
                            kind="gig", headcount=2, work_date="2026-12-02",
                            work_dates=["2026-12-02", "2026-12-03"], places_left=3,
                            received_at="2026-12-01T02:00:00Z", updated_at="2026-12-01T02:00:00Z")
    assert status_line(posting) == "ZP-440106-000001  保洁员（零工 2026-12-02、12-03）  已发布  余3人"
    one_day = posting.model_copy(update={"work_dates": [], "status": "pending_review"})
    assert status_line(one_day) == "ZP-440106-000001  保洁员（零工 2026-12-02）  待审核"


def _audit_decision(services, posting_no: str, status: str) -> None:
    """The sandbox's casework switch, as a demo operator uses it."""
    sandbox = services.sandbox
    resp = requests.put(f"{sandbox.origin}/_sandbox/employer-postings/{posting_no}",
                        json={"status": status},
                        headers={"X-Sandbox-Token": sandbox.platform.admin_token}, timeout=5)
    assert resp.status_code == 200, resp.text
