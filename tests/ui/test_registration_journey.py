"""Journey 1 (issue 8): consent, card reading, 求职登记, and nothing left when the person leaves.

Driven as a person would: taps on widgets, the card laid on the simulated reader (its
pseudo-terminal), the embedded sandbox platform. Every screen is saved in portrait and
landscape under tests/artifacts/ and audited (touch targets, text size, overflow, contrast).
"""

from __future__ import annotations

import gc
import json
import weakref
from itertools import count
from pathlib import Path

import pytest
from PIL import Image

from kiosk.devices.idcard.numbers import gb11643_check_char
from kiosk.services.journeys.declared.registration import RegistrationDraft
from kiosk.services.registration_form import continue_url
from tests.ui.audit import audit

pytestmark = pytest.mark.ui
REPO = Path(__file__).resolve().parents[2]
DEMO_CARD = REPO / "assets" / "demo" / "cards" / "resident.json"
_serial = count(1)


def make_card(tmp_path: Path, name: str = "梁志强") -> tuple[Path, dict]:
    """A resident card with a fresh valid GB 11643 number (each test is a new person; address
    code 4499xx, which no one holds: assets/demo/README.md)."""
    data = json.loads(DEMO_CARD.read_text(encoding="utf-8"))
    first17 = f"44990119850612{next(_serial) + 300:03d}"
    data.update(name=name, id_number=first17 + gb11643_check_char(first17), gender_code="1",
                gender="男", birth_date="1985-06-12")
    path = tmp_path / f"card-{data['id_number']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, data


@pytest.fixture
def journey(ui):
    """The app at home; afterwards the card is taken away, faults cleared, sandbox up."""
    services = ui.app.services
    simulator = services.card.reader.simulator
    wait_s = services.registration.wait_s
    services.registration.wait_s = 1.5
    yield ui
    services.sandbox.faults.down = False
    services.registration.wait_s = wait_s
    simulator.clear_fault()
    services.demo_remove_card()
    ui.app.finish_session("test")
    ui.pump(3)


HEADER_BLUE = (12, 75, 155)   # theme.primary: the HeaderBar across the top of every screen


def shoot(ui, name: str, findings: list) -> None:
    """Save portrait and landscape pictures of the current screen and audit both.

    Right after a resize Xvfb may hand back a frame of the old size (garbage PNG): the
    picture is retaken until its top band shows the header bar's blue.
    """
    for size in ((1080, 1920), (1920, 1080)):
        ui.set_size(*size)
        for _attempt in range(10):
            path = ui.screenshot(name)
            with Image.open(path) as image:
                if image.convert("RGB").getpixel((size[0] // 2, 8)) == HEADER_BLUE:
                    break
            ui.pump(5)
        else:
            raise AssertionError(f"no valid {size} screenshot of {name}")
        findings.extend(audit(ui.app.root, name, ui.app.theme.elderly))
    ui.set_size(1080, 1920)


def press(ui, keypad, keys: str) -> None:
    for key in keys:
        ui.tap(ui.find(text="删除" if key == "\b" else key.upper(), within=keypad))


def tile(ui, grid, caption: str):
    """The choice tile showing ``caption`` once the grid has been laid out."""
    ui.pump(3)
    return next(w for w in grid.children if getattr(w, "caption", None) == caption)


def on_glass(widget, scroll) -> bool:
    """``widget`` lies wholly inside the visible part of ``scroll`` (seen without scrolling)."""
    x, y = widget.to_window(widget.x, widget.y)
    sx, sy = scroll.to_window(scroll.x, scroll.y)
    return sx <= x and x + widget.width <= sx + scroll.width + 1 and \
        sy <= y and y + widget.height <= sy + scroll.height + 1


def tile_geometry(form) -> list[tuple]:
    """(caption, window x, window y, width, height) of every tile on the 职业 step."""
    return [(t.caption, *(round(v) for v in (*t.to_window(t.x, t.y), t.width, t.height)))
            for t in form.occupation_tiles()]


def pick_occupations(ui, form, findings: list | None) -> None:
    """职业 (issue 17 item 1): everyday names without typing; ticking moves nothing; rows and
    columns aligned; the pinyin search finds an official category as well."""
    from kiosk.ui.job_pictogram import SHAPES, JobGroupHeader

    ui.pump(3)
    earlier = list(form.occupation_picks)        # 更新登记: the earlier answers' categories
    codes = list(form._form().get("desired_occupations", []))
    headers = [w.group for w in ui.walk(form.ids.occupation_list) if isinstance(w, JobGroupHeader)]
    if earlier:                                  # shown ticked above the groups
        assert headers.pop(0) == "official" and form.occupation_tiles()[0].value == earlier[0]
        assert form.occupation_tiles()[0].selected
    assert headers[:3] == ["popular", "care", "cleaning_security"] and len(headers) == 14
    assert all(SHAPES[group] for group in headers)                 # a pictogram each
    cleaner = next(t for t in form.occupation_tiles() if t.caption == "保洁员")
    assert on_glass(cleaner, form.ids.occupation_scroll)          # no search needed
    before = tile_geometry(form)
    ui.tap(cleaner)
    ui.tap(tile(ui, cleaner.parent, "保安员"))
    ui.pump(2)
    assert tile_geometry(form) == before                           # same sizes, same places
    grid = cleaner.parent                                          # 保洁保安: 5 tiles, 3 columns
    cells = sorted((round(t.x), round(t.top), round(t.height)) for t in grid.tiles())
    assert len({c[2] for c in cells}) == 1                         # one height: rows line up
    assert len({c[1] for c in cells}) == -(-len(cells) // grid.cols)   # whole rows …
    assert len({c[0] for c in cells}) == grid.cols                     # … in aligned columns
    assert form.occupation_picks == [*earlier, "cleaner", "security_guard"]
    assert form._form()["desired_occupations"] == [*codes, "4-09", "4-07"]
    if findings is not None:
        shoot(ui, "register-occupation", findings)
    press(ui, form.ids.letter_keypad, "bj")
    shown = [t.caption for t in form.occupation_tiles()]
    assert shown[:2] == ["保洁员", "保健按摩师"] and form.occupation_tiles()[0].selected
    press(ui, form.ids.letter_keypad, "\b\bcy")
    shown = [t.caption for t in form.occupation_tiles()]
    assert shown == ["服务员（传菜员）", "住宿和餐饮服务人员"]
    ui.tap(form.occupation_tiles()[1])
    if findings is not None:
        shoot(ui, "register-occupation-search", findings)
    assert form._form()["desired_occupations"] == [*codes, "4-09", "4-07", "4-03"]


def read_card(ui, card_path: Path) -> None:
    """From home: 求职登记 → agree → lay the card → the form (after the lookup)."""
    ui.tap(id="btn_register")
    ui.wait_screen("consent")
    ui.tap(id="agree_button")
    ui.wait_screen("card_read")
    ui.app.services.demo_place_card(card_path)


def key_layout(display, keypad) -> list:
    """Window position and size of a keypad's display and of each of its keys."""
    return [(tuple(w.to_window(*w.pos)), tuple(w.size)) for w in (display, *keypad.children)]


def fill_form(ui, findings: list | None = None, phone: str = "13812345678") -> None:
    form = ui.wait_screen("register_form")
    ui.wait_until(lambda: form.step == "phone", 15, "phone step")
    display, keypad = form.ids.phone_display, form.ids.phone_keypad
    if findings is not None:
        shoot(ui, "register-phone-empty", findings)
        # issue 17 item 5: the hint says where the keypad is, and typing moves nothing
        for size, hint, hint_en in (
                ((1920, 1080), "请点击右侧数字键输入", "Tap the number keys on the right"),
                ((1080, 1920), "请点击下方数字键输入", "Tap the number keys below")):
            ui.set_size(*size)
            ui.pump(3)
            assert (display.value, display.hint) == ("", hint)
            ui.app.set_language("en")
            assert display.hint == hint_en
            ui.app.set_language("zh_CN")
            before = key_layout(display, keypad)
            press(ui, keypad, phone[:2])
            assert display.value == phone[:2] and key_layout(display, keypad) == before
            ui.tap(ui.find(text="清空", within=keypad))
            assert display.value == "" and key_layout(display, keypad) == before
    press(ui, form.ids.phone_keypad, phone[:5])
    ui.tap(id="next_button")
    assert form.step == "phone" and "11位" in form.error_text   # too short: stays, says why
    press(ui, form.ids.phone_keypad, phone[5:])
    assert form.ids.phone_display.value == f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    if findings is not None:
        shoot(ui, "register-phone", findings)
    ui.tap(id="next_button")
    assert form.step == "education"
    ui.tap(tile(ui, form.ids.education_tiles, "大专"))
    if findings is not None:
        shoot(ui, "register-education", findings)
    ui.tap(id="next_button")
    assert form.step == "occupation"
    pick_occupations(ui, form, findings)
    ui.tap(id="next_button")
    assert form.step == "division", (form.error_text, form.occupation_picks)
    picker = form.ids.division_picker
    ui.tap(tile(ui, picker.ids.tiles, "广州市"))
    ui.tap(tile(ui, picker.ids.tiles, "天河区"))
    ui.tap(tile(ui, picker.ids.tiles, "天河南街道"))
    ui.tap(id="up_button")
    ui.tap(id="up_button")
    ui.tap(tile(ui, picker.ids.tiles, "东莞市"))      # no county level: towns at once
    ui.tap(tile(ui, picker.ids.tiles, "虎门镇"))
    assert picker.selected == ["440106008", "441900121"]
    if findings is not None:
        shoot(ui, "register-division", findings)
    ui.tap(id="next_button")
    assert form.step == "terms"
    ui.tap(tile(ui, form.ids.salary_tiles, "4000–6000元"))
    ui.tap(tile(ui, form.ids.type_tiles, "全职"))
    ui.tap(tile(ui, form.ids.availability_tiles, "一周内"))
    if findings is not None:
        shoot(ui, "register-terms", findings)
    ui.tap(id="next_button")
    assert form.step == "groups"
    ui.tap(tile(ui, form.ids.group_tiles, "农民工"))
    if findings is not None:
        shoot(ui, "register-groups", findings)
    ui.tap(id="next_button")
    ui.wait_screen("register_review")


def test_consent_declined_reads_nothing(journey):
    ui = journey
    services = ui.app.services
    before = len(services.sandbox.casework.registrations())
    last_read = services.card.last_read_at
    services.demo_place_card()                       # a card laid on the home screen
    consent = ui.wait_screen("consent")
    assert services.session.current is not None
    # the card is on the reader already: the button does not ask for it (issue 17 item 4)
    ui.wait_until(lambda: consent.card_on_reader, 5, "card on the reader")
    assert consent.ids.agree_button.subtitle == "将读取感应区上的身份证"
    findings: list = []
    shoot(ui, "consent-card-on-reader", findings)
    assert findings == [], "\n".join(map(str, findings))
    texts = "\n".join(ui.texts())
    for part in ("读取内容", "用途", "接收方", "保存期限", "您可以拒绝", "人工窗口"):
        assert part in texts
    ui.tap(id="decline_button")
    ui.wait_screen("home")
    ui.pump(30)
    assert services.session.current is None
    assert services.card.reader.read_allowed is False
    assert services.card.last_read_at == last_read
    assert len(services.sandbox.casework.registrations()) == before


def test_happy_path_online_registration_in_sandbox(journey, tmp_path):
    ui = journey
    services = ui.app.services
    findings: list = []
    card_path, card = make_card(tmp_path)
    ui.tap(id="btn_register")
    ui.wait_screen("consent")
    shoot(ui, "consent", findings)
    ui.tap(id="agree_button")
    ui.wait_screen("card_read")
    assert services.session.current.consent["purposes"] == ["registration"]
    shoot(ui, "card-read-waiting", findings)
    services.demo_place_card(card_path)
    fill_form(ui, findings)
    texts = "\n".join(ui.texts())
    assert "梁*强" in texts and "4499**********" + card["id_number"][-4:] in texts
    # the number just typed, in full for checking (issue 17 item 9), on the 手机号码 row
    assert "138 1234 5678" in texts and "138****5678" not in texts
    assert "广州市天河区天河南街道、东莞市虎门镇" in texts
    assert "保洁员、保安员、住宿和餐饮服务人员" in texts                 # the names picked
    assert "梁志强" not in texts and card["id_number"] not in texts
    shoot(ui, "register-review", findings)
    from kiosk.screens.register_review import ReviewRowView
    rows = [w for w in ui.walk(ui.app.sm.current_screen) if isinstance(w, ReviewRowView) and w.editable]
    assert rows
    for row in rows:                        # label and value level with the 修改 button
        for label in (row.ids.row_label, row.ids.row_value):
            assert abs(label.center_y - row.ids.edit_button.center_y) < 2, (row.label, label.y)
    ui.tap(id="submit_button")
    done = ui.wait_screen("register_done")
    assert done.delivered and done.registration_no.startswith("REG-")
    rows = [r for r in services.sandbox.casework.registrations()
            if r["registration_no"] == done.registration_no]
    assert len(rows) == 1
    assert rows[0]["masked_name"] == "梁*强" and rows[0]["masked_phone"] == "138****5678"
    assert f"登记号：{done.registration_no}" in ui.texts()
    assert sum(done.registration_no in t for t in ui.texts(done)) == 1     # shown once
    assert done.message == "请记下您的登记号，以后办理和查询时使用"
    assert done.qr_data == continue_url(services.verify_url_template(), done.registration_no)
    assert done.ids.qr.texture is not None and "138" not in done.qr_data
    shoot(ui, "register-done", findings)
    ui.tap(id="finish_button")
    ui.wait_screen("rating")                       # 好差评 (issue 21): skipped with one tap
    shoot(ui, "rating", findings)
    ui.tap(id="skip_button")
    ui.wait_screen("home")
    assert services.session.current is None
    assert findings == [], "\n".join(map(str, findings))


def test_offline_registration_goes_to_outbox(journey, tmp_path):
    ui = journey
    services = ui.app.services
    findings: list = []
    card_path, _card = make_card(tmp_path, "何丽")
    services.sandbox.faults.down = True
    pending = services.outbox.status().pending
    read_card(ui, card_path)
    fill_form(ui)
    ui.tap(id="submit_button")
    done = ui.wait_screen("register_done", timeout=30)
    assert not done.delivered and done.registration_no == "" and done.qr_data == ""
    assert done.receipt_no and f"回执号：{done.receipt_no}" in ui.texts()
    assert "网络恢复后将自动提交" in done.message
    assert sum(done.receipt_no in t for t in ui.texts(done)) == 1          # shown once
    assert services.outbox.status().pending + services.outbox.status().in_flight >= pending + 1
    shoot(ui, "register-done-offline", findings)
    assert findings == [], "\n".join(map(str, findings))


def test_read_failure_then_retry(journey, tmp_path):
    ui = journey
    services = ui.app.services
    simulator = services.card.reader.simulator
    findings: list = []
    card_path, _card = make_card(tmp_path, "黄海")
    simulator.set_fault("read_fail")                  # every READ fails until cleared
    read_card(ui, card_path)
    screen = ui.app.sm.current_screen
    ui.wait_until(lambda: screen.state == "problem", 15, "read failure shown")
    assert screen.problem == "read_failed"
    assert "读卡失败，请拿开身份证后重新放置" in ui.texts()
    assert services.session.current.identity is None
    shoot(ui, "card-read-failed", findings)
    services.demo_remove_card()                      # as asked: take it away …
    simulator.clear_fault()
    ui.tap(id="retry_button")
    assert screen.state == "waiting"
    services.demo_place_card(card_path)              # … and lay it down again
    form = ui.wait_screen("register_form")
    ui.wait_until(lambda: form.step == "phone", 15, "phone step")
    assert services.session.current.identity.name == "黄海"
    assert findings == [], "\n".join(map(str, findings))


def test_expired_card_and_unavailable_reader_send_to_staff(journey, tmp_path):
    ui = journey
    services = ui.app.services
    findings: list = []
    card_path, card = make_card(tmp_path, "吴敏")
    card.update(valid_from="2005-01-01", valid_until="2015-01-01")
    card_path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    read_card(ui, card_path)
    screen = ui.app.sm.current_screen
    ui.wait_until(lambda: screen.state == "problem", 15, "expiry shown")
    assert screen.problem == "card_expired" and services.session.current.identity is None
    assert "您的身份证已过有效期，请到人工窗口办理" in ui.texts()
    assert ui.find(id="retry_button").opacity == 0       # nothing to retry: the counter
    shoot(ui, "card-read-expired", findings)
    ui.tap(id="problem_home_button")
    ui.wait_screen("home")
    assert services.session.current is None
    services.demo_remove_card()
    simulator = services.card.reader.simulator
    simulator.unplug()
    try:
        ui.tap(id="btn_register")
        ui.tap(id="agree_button")
        screen = ui.wait_screen("card_read")
        ui.wait_until(lambda: screen.problem == "reader_unavailable", 15, "reader unavailable")
        assert "读卡器暂时无法使用，请联系工作人员" in ui.texts()
        shoot(ui, "card-read-unavailable", findings)
    finally:
        simulator.replug()
    ui.wait_until(lambda: screen.state == "waiting", 15, "reader back")
    assert findings == [], "\n".join(map(str, findings))


def test_already_registered_offers_update(journey, tmp_path):
    ui = journey
    services = ui.app.services
    findings: list = []
    card_path, _card = make_card(tmp_path, "周建国")
    from kiosk.domain.identity_card import IdentityCard

    first = services.registration.submit(
        IdentityCard.from_json(json.loads(card_path.read_text("utf-8"))),
        {"phone": "13900001111", "education_code": "60", "desired_occupations": ["6-31"],
         "employment_type": "FULL_TIME"})
    assert first.delivered and first.status == "created"
    read_card(ui, card_path)
    existing = ui.wait_screen("register_existing", timeout=20)
    assert existing.registration_no == first.registration_no
    assert any("已登记" in t for t in ui.texts())
    shoot(ui, "register-existing", findings)
    ui.tap(id="update_button")
    form = ui.wait_screen("register_form")                     # 更新: the earlier answers
    ui.wait_until(lambda: form.step == "phone", 15, "phone step")
    assert (form.previous_phone, form.phone_digits) == ("139****1111", "")
    assert "原登记手机 139****1111，请输入您现在使用的手机号码" in ui.texts()
    shoot(ui, "register-update-phone", findings)              # issue 17 item 9: the pre-fill
    draft = services.session.current.part(RegistrationDraft).form
    assert (draft["education_code"], draft["desired_occupations"],
            draft["employment_type"]) == ("60", ["6-31"], "FULL_TIME")
    fill_form(ui, phone="13700002222")
    ui.tap(id="submit_button")
    done = ui.wait_screen("register_done")
    assert done.registration_no == first.registration_no and "已更新" in done.message
    rows = [r for r in services.sandbox.casework.registrations()
            if r["registration_no"] == first.registration_no]
    assert len(rows) == 1 and rows[0]["masked_phone"] == "137****2222"
    assert findings == [], "\n".join(map(str, findings))


def _all_widgets(root):
    """Every widget under ``root``, including screens a ScreenManager is not showing."""
    from kivy.uix.screenmanager import ScreenManager

    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(widget.children)
        if isinstance(widget, ScreenManager):
            stack.extend(s for s in widget.screens if s.parent is None)


def _values(widget):
    for name in widget.properties():
        try:
            yield name, getattr(widget, name)
        except Exception:  # noqa: BLE001 - a property that cannot be read holds nothing
            continue


def test_walk_away_mid_form_leaves_nothing(journey, tmp_path):
    ui = journey
    services = ui.app.services
    session_service = services.session
    card_path, card = make_card(tmp_path, "林秀英")
    read_card(ui, card_path)
    form = ui.wait_screen("register_form")
    ui.wait_until(lambda: form.step == "phone", 15, "phone step")
    press(ui, form.ids.phone_keypad, "13612348765")
    ui.tap(id="next_button")
    ui.tap(tile(ui, form.ids.education_tiles, "本科"))
    ui.tap(id="next_button")
    services.demo_remove_card()                      # taking the card does not end the form
    ui.pump(30)
    assert ui.app.sm.current == "register_form" and form.step == "occupation"
    secrets = ("林秀英", "林*英", card["id_number"], "136 1234 8765", "13612348765",
               "136****8765", "4499**********" + card["id_number"][-4:])

    def leaks():
        return [(type(w).__name__, name, str(value)[:60])
                for w in _all_widgets(ui.app.root) for name, value in _values(w)
                for secret in secrets if secret in str(value)]

    assert {leak[1] for leak in leaks()} >= {"identity_line", "phone_digits"}  # the scan sees
    session_ref = weakref.ref(session_service.current)
    clock = {"now": session_service._clock()}
    original = session_service._clock
    session_service._clock = lambda: clock["now"]
    try:
        clock["now"] += session_service.idle_timeout_s + 1
        ui.wait_until(lambda: ui.app.overlay.opacity == 1, 20, "countdown overlay")
        clock["now"] += session_service.countdown_s + 1
        ui.wait_until(lambda: session_service.current is None, 20, "session end")
    finally:
        session_service._clock = original
    ui.wait_screen("home")
    ui.screenshot("walk-away-home")
    gc.collect()
    assert session_ref() is None, gc.get_referrers(session_ref())
    assert leaks() == []
    assert ui.find(id="invite").text.startswith("请将身份证放在")


def test_form_steps_pass_the_audit_in_elderly_mode(journey, tmp_path):
    ui = journey
    findings: list = []
    card_path, _card = make_card(tmp_path, "郑大伯")
    ui.tap(id="elderly_toggle")
    assert ui.app.theme.elderly
    read_card(ui, card_path)
    form = ui.wait_screen("register_form")
    ui.wait_until(lambda: form.step == "phone", 15, "phone step")
    for step in ("phone", "education", "occupation", "division", "terms", "groups"):
        form.show_step(step)
        shoot(ui, f"register-{step}-elderly", findings)
        if step == "occupation":                 # 保洁 in sight without typing, bigger text too
            ui.pump(2)
            cleaner = next(t for t in form.occupation_tiles() if t.caption == "保洁员")
            assert on_glass(cleaner, form.ids.occupation_scroll)
    assert ui.app.services.session.timeout_s() == ui.app.services.session.elderly_idle_timeout_s
    # 首页 on a started form asks first; 长辈模式 stays on after leaving (issue 17 item 6)
    leave = ui.app.leave_form
    form.show_step("education")
    ui.pump(2)
    ui.tap(id="home_button")
    ui.wait_until(lambda: leave.opacity == 1, 5, "the leave question")
    stay, go = leave.ids.stay_button, leave.ids.leave_button
    texts = ui.texts(leave)
    assert "要退出吗？" in texts and "继续填写" in texts and "退出并清除" in texts
    assert stay.y > go.y and go.y >= 0 and stay.top <= ui.app.root.height   # in view, in order
    assert ui.app.sm.current == "register_form" and ui.app.services.session.current is not None
    for size in ((1920, 1080), (1080, 1920)):          # (shoot() wants the header's blue)
        ui.set_size(*size)
        ui.screenshot("leave-form-elderly")
        findings.extend(audit(ui.app.root, f"leave-form-{size}", True))
    ui.tap(stay)                                          # 继续填写: the form as it was
    ui.pump(2)
    assert leave.opacity == 0 and form.step == "education"
    assert ui.app.sm.current == "register_form" and ui.app.services.session.current is not None
    ui.tap(id="home_button")
    ui.wait_until(lambda: leave.opacity == 1, 5, "the leave question again")
    ui.tap(leave.ids.leave_button)                        # 退出并清除
    ui.wait_screen("home")
    assert ui.app.services.session.current is None and leave.opacity == 0
    assert ui.app.theme.elderly and "长辈模式 ✓" in ui.texts()
    ui.app._last_activity -= ui.app.services.session.elderly_idle_timeout_s + 1
    ui.app._tick(0)                                       # nobody touched it since: off again
    assert not ui.app.theme.elderly
    assert findings == [], "\n".join(map(str, findings))
