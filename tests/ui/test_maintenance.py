"""Maintenance mode in the running app: corner gesture + PIN, actions against the simulated
reader, the preview printer and the embedded sandbox, settings, timeout, restart policy."""

from __future__ import annotations

import time
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from kivy.base import EventLoop

from kiosk.services.transactions import station_stats
from kiosk.services.transactions.report import report_text
from kiosk.settings import replace_option
from tests.ui.audit import audit

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def _enter_pin(ui, pin: str) -> None:
    for d in pin:
        ui.tap(ui.find(text=d, within=ui.app.sm.current_screen.ids.keypad))
    ui.tap(id="key_ok")


def _open(ui):
    ui.app.open_maintenance()
    ui.wait_screen("maintenance_pin")
    _enter_pin(ui, "2468")
    screen = ui.wait_screen("maintenance")
    ui.wait_until(lambda: "SAM" in screen.reader_text and not screen.busy, 20, "status")
    return screen


def _tap(ui, id: str) -> None:
    """Scroll the maintenance body until the widget is visible, then tap it."""
    screen = ui.app.sm.current_screen
    widget = screen.ids[id]
    if widget.parent is not None and "maint_scroll" in screen.ids:
        screen.ids.maint_scroll.scroll_to(widget, padding=20, animate=False)
        ui.pump(3)
    ui.tap(widget)


def _set(ui, option, value):
    services = ui.app.services
    services.apply_settings(replace_option(services.settings, option, value), [option])


def test_corner_gesture_and_pin_open_maintenance(ui):
    win = EventLoop.window
    ui.long_press(30, win.height - 30, 3.1)        # top-left
    assert ui.app.sm.current == "home"
    ui.long_press(win.width - 30, win.height - 30, 3.1)  # then top-right
    screen = ui.wait_screen("maintenance_pin")
    ui.screenshot("maintenance-pin")
    _enter_pin(ui, "1111")
    ui.wait_until(lambda: "PIN 错误（1/5）" in screen.message, 10, "wrong-PIN message")
    assert screen.dots == ""
    _enter_pin(ui, "2468")
    maint = ui.wait_screen("maintenance")
    ui.wait_until(lambda: "SAM" in maint.reader_text and not maint.busy, 20, "status")
    assert "0x90" in maint.reader_text and "preview" in maint.printer_text
    assert "可达" in maint.platform_text or "未知" in maint.platform_text
    assert "磁盘可用 Disk free" in maint.system_text
    assert maint.scanner_text.startswith("已连接，工作正常 connected\n方式 Mode: serial simulator")
    assert maint.scanner_text.endswith("Optional hardware, the kiosk works without one")
    assert ui.find(id="scanner_status").text == maint.scanner_text        # drawn, not just set
    ui.wait_until(lambda: "好差评 ratings" in maint.stats_text, 10, "service figures")
    records = ui.app.services.transactions                               # issue 21: kiosk stats
    expected = report_text(station_stats(records.store).as_json(), table=False).splitlines()
    shown = maint.stats_text.splitlines()
    assert shown[1:] == expected[1:]                 # all but the period's end (now) are equal
    assert shown[1].startswith("业务 transactions ") and "满意率 satisfaction" in maint.stats_text
    assert ui.find(id="stats_view").text == maint.stats_text
    ui.screenshot("maintenance")
    findings = audit(ui.app.root, "maintenance", False)
    assert findings == [], "\n".join(map(str, findings))
    simulator = ui.app.services.scanner.simulator                          # unplugged: a fault
    simulator.unplug()
    try:
        ui.wait_until(lambda: ui.app.services.scanner.state == "disconnected", 10, "unplug seen")
        _tap(ui, "btn_refresh")
        ui.wait_until(lambda: maint.scanner_text.startswith("已配置但无法连接") and not maint.busy,
                      20, "scanner fault shown")
        assert ui.app.services.health().scanner == "disconnected"
        ui.screenshot("maintenance-scanner-fault")
    finally:
        simulator.replug()
    ui.wait_until(lambda: ui.app.services.scanner.state == "ready", 10, "scanner back")
    maint.ids.maint_scroll.scroll_y = 1
    ui.set_size(1920, 1080)
    ui.screenshot("maintenance")
    ui.app.open_maintenance()  # ignored while inside
    assert ui.app.sm.current == "maintenance"
    ui.tap(id="maint_leave")
    ui.wait_screen("home")


def test_pin_screen_landscape_and_cancel(ui):
    ui.set_size(1920, 1080)
    ui.app.open_maintenance()
    ui.wait_screen("maintenance_pin")
    ui.screenshot("maintenance-pin")
    findings = audit(ui.app.root, "maintenance_pin", False)
    assert findings == [], "\n".join(map(str, findings))
    ui.tap(id="pin_cancel")
    ui.wait_screen("home")


def test_actions_against_simulated_devices(ui):
    services = ui.app.services
    screen = _open(ui)
    _tap(ui, "btn_test_print")
    ui.wait_until(lambda: screen.result_text == "测试页已打印" and not screen.busy, 20, "print")
    written = services.printer.connector.last_outputs[0]
    assert "打印测试 PRINT TEST".encode("gb18030") in written.read_bytes()

    services.printer.connector.set_state("paper_end")
    _tap(ui, "btn_test_print")
    ui.wait_until(lambda: "paper_end" in screen.printer_text and not screen.busy, 20, "refresh")
    assert screen.result_text == "打印纸已用完，请联系工作人员更换"
    services.printer.connector.set_state("ok")
    _tap(ui, "btn_resume_printer")
    ui.wait_until(lambda: screen.result_text == "打印机已恢复，可以打印" and not screen.busy, 20,
                  "resume")
    assert services.health().printer == "ok"

    services.demo_place_card()
    _tap(ui, "btn_test_read")
    ui.wait_until(lambda: screen.result_text.startswith("读卡正常: 陈*满 4499"), 20, "test read")
    assert ui.app.sm.current == "maintenance" and services.session.current is None
    ui.screenshot("maintenance-test-read")
    services.demo_remove_card()

    _tap(ui, "btn_sync")
    ui.wait_until(lambda: "心跳已发送" in screen.result_text and not screen.busy, 30, "sync")
    log = services.data_dir / "logs" / "kiosk.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as fh:
        fh.write("2026-03-14 10:00:00 WARNING test: escaped 449901199203154525 13812345678\n")
    _tap(ui, "btn_logs")
    ui.wait_until(lambda: "escaped" in screen.logs_text, 20, "logs")
    assert screen.logs_text.splitlines()[-1].endswith("escaped 4499**********4525 138****5678")
    screen.ids.maint_scroll.scroll_to(screen.ids.logs_view, animate=False)
    ui.screenshot("maintenance-logs")
    ui.tap(id="maint_leave")
    ui.wait_screen("home")
    shown = "\n".join(ui.texts(screen))
    assert "陈*满" not in shown and screen.logs_text == ""


def test_settings_are_validated_saved_and_applied(ui):
    services = ui.app.services
    site = Path(services.settings.site_file)
    screen = _open(ui)
    screen.ids.station_input.text = "天河南驿站"
    _tap(ui, "btn_save_settings")
    ui.wait_until(lambda: screen.settings_message.startswith("未保存 Not saved: station.name"),
                  10, f"refusal, got {screen.settings_message!r}")
    screen.ids.station_input.text = "天河区天河南街道就业驿站"
    screen.ids.idle_input.text = "75"
    _tap(ui, "btn_save_settings")
    ui.wait_until(lambda: screen.settings_message == "已保存", 10, "saved")
    assert services.session.idle_timeout_s == 75
    assert tomllib.loads(site.read_text(encoding="utf-8"))["session"]["idle_timeout_s"] == 75
    screen.ids.idle_input.text = "60"
    _tap(ui, "btn_save_settings")
    ui.wait_until(lambda: services.session.idle_timeout_s == 60, 10, "restored")
    ui.tap(id="maint_leave")
    ui.wait_screen("home")


def test_maintenance_times_out_to_home(ui):
    original = ui.app.services.settings.maintenance.timeout_s
    _open(ui)
    _set(ui, "maintenance.timeout_s", 2)
    try:
        ui.wait_screen("home", timeout=10)
    finally:
        _set(ui, "maintenance.timeout_s", original)


def test_restart_and_exit_need_a_second_tap(ui, monkeypatch):
    calls = []
    monkeypatch.setattr(ui.app, "restart_app", lambda reason: calls.append(("restart", reason)))
    monkeypatch.setattr(ui.app, "technician_exit", lambda: calls.append(("exit",)))
    _open(ui)
    ui.tap(id="btn_restart")
    assert calls == [] and ui.find(id="btn_restart").text.startswith("再点一次确认重启")
    ui.tap(id="btn_restart")
    ui.tap(id="btn_exit_desktop")
    ui.tap(id="btn_exit_desktop")
    assert calls == [("restart", "maintenance"), ("exit",)]
    ui.tap(id="maint_leave")
    ui.wait_screen("home")


def test_nightly_restart_check_in_the_app(ui, monkeypatch):
    calls = []
    monkeypatch.setattr(ui.app, "restart_app", lambda reason: calls.append(reason))
    monkeypatch.setattr(ui.app, "_started_at", time.monotonic() - 7200)
    original = ui.app.services.settings.maintenance.nightly_restart_hour
    _set(ui, "maintenance.nightly_restart_hour", datetime.now().hour)
    try:
        ui.app.services.session.start()
        assert ui.app.check_nightly_restart() is False and calls == []
        ui.app.finish_session("test")
        if datetime.now().minute == 59 and datetime.now().second > 55:
            pytest.skip("hour boundary")
        assert ui.app.check_nightly_restart() is True and calls == ["nightly"]
    finally:
        _set(ui, "maintenance.nightly_restart_hour", original)


def test_home_shows_platform_notice(ui):
    services = ui.app.services
    services.notices = ["今晚22:00系统维护，届时暂停服务"]
    try:
        ui.app.sm.current_screen.show_health(services.health())
        ui.wait_until(lambda: ui._try_find(None, "今晚22:00系统维护"), 5, "notice")
    finally:
        services.notices = []


def test_five_wrong_pins_lock_entry(ui):
    ui.app.open_maintenance()
    screen = ui.wait_screen("maintenance_pin")
    try:
        for n in range(1, 5):
            _enter_pin(ui, "9999")
            ui.wait_until(lambda n=n: f"（{n}/5）" in screen.message, 10, f"failure {n}")
        _enter_pin(ui, "9999")
        ui.wait_until(lambda: "请 60 秒后再试" in screen.message, 10, "lock")
        _enter_pin(ui, "2468")  # even the right PIN is refused while locked
        ui.wait_until(lambda: "秒后再试" in screen.message and not screen._checking, 10, "locked")
        assert ui.app.sm.current == "maintenance_pin"
        ui.screenshot("maintenance-pin-locked")
    finally:
        screen._gate = None  # a fresh gate for later tests (the lock-out lives with the app)
        ui.tap(id="pin_cancel")
        ui.wait_screen("home")


def test_corner_sequence_rule():
    from kiosk.ui.corner_gesture import CornerSequence

    seq = CornerSequence(clock=lambda: 0.0)
    assert not seq.pressed("top_right", 0, 5)          # right first: nothing
    assert not seq.pressed("top_left", 0, 2.9)         # too short
    assert not seq.pressed("top_right", 3, 6.5)
    assert not seq.pressed("top_left", 10, 13)
    assert not seq.pressed("top_right", 23.5, 27)      # started 10.5 s after: too late
    assert not seq.pressed("top_left", 30, 33)
    assert not seq.pressed("top_right", 34, 36.9)      # held under 3 s
    assert seq.pressed("top_right", 42.9, 46)          # 9.9 s after the left press ended
    assert not seq.pressed("top_right", 47, 50)        # the sequence starts over
