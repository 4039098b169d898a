"""The out-of-service face (issue 16) in the real app under Xvfb: a non-SQLite outbox.db makes
the start fail → 暂停服务 in Chinese and English with the hotline and 12333, no service can be
tapped, no exception name or path in any widget text, the corner gesture still opens the PIN
screen; once the file is moved away the app recovers by itself.

The app runs in a child process (one Kivy window per process; the shared ``ui`` app of
tests/ui must stay healthy), driven with the tests/ui harness; the child prints one JSON line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]
REPO = Path(__file__).resolve().parents[2]

CHILD = r'''
import json, sys, time
from pathlib import Path

root = Path(sys.argv[1])
from kiosk.bootstrap import build_services
from kiosk.services.cjk_font import resolve_cjk_font
from kiosk.settings import load_settings
from kiosk.ui.kivy_env import WindowPlan, prepare_kivy

settings = load_settings(root / "site.toml", environ={})
services = build_services(settings, devices=False, platform=False)
font = resolve_cjk_font("", root / "fonts")
bold = resolve_cjk_font("", root / "fonts", bold=True)
prepare_kivy(root / "kivy", WindowPlan((1080, 1920), False), 60, True)

from kivy.base import EventLoop, runTouchApp
from kivy.uix.behaviors import ButtonBehavior

import kiosk.app
from kiosk.app import KioskApp
from tests.ui.harness import UiDriver

kiosk.app.RETRY_START_S = (1.0,)
app = KioskApp(services, font.path, bold.path)
app._run_prepare()
runTouchApp(embedded=True)
ui = UiDriver(app)
ui.pump(5)
out = {}


def service_button(text):
    return next(w for w in ui.walk() if isinstance(w, ButtonBehavior) and w.text == text)


ui.wait_until(lambda: app.out_of_service is not None and app.out_of_service.shown, 60,
              "out of service")   # the overlays are built when the start fails
ui.pump(5)
out["failed_message"] = app.startup_error or ""
out["texts"] = ui.texts()
out["overlay_texts"] = [t for t in app.out_of_service.texts() if t]
out["services_tapped"] = []
for text in ("找工作", "求职登记", "为我推荐"):
    ui.tap(service_button(text))
    ui.pump(10)
    out["services_tapped"].append([text, app.sm.current, app.services.session.current is not None])
win = EventLoop.window
ui.long_press(30, win.height - 30, 3.1)
ui.long_press(win.width - 30, win.height - 30, 3.1)
ui.wait_until(lambda: app.sm.current == "maintenance_pin", 10, "PIN screen")
out["pin_screen_overlay_shown"] = app.out_of_service.shown
for digit in "2468":  # the demo terminal's PIN
    ui.tap(ui.find(text=digit, within=app.sm.current_screen.ids.keypad))
ui.tap(id="key_ok")
maint = ui.wait_screen("maintenance", 20)
ui.wait_until(lambda: "Start-up failed" in maint.system_text and not maint.busy, 30, "status")
out["maintenance_system_text"] = maint.system_text
app.show_screen("home")
ui.pump(3)
out["back_home_overlay_shown"] = app.out_of_service.shown
for name in ("outbox.db", "outbox.db-wal", "outbox.db-shm"):
    (root / "data" / name).unlink(missing_ok=True)
started = time.monotonic()
ui.wait_until(lambda: app.ready and not app.out_of_service.shown, 60, "recovery")
out["recovered_after_s"] = round(time.monotonic() - started, 1)
ui.pump(5)
out["recovered_notice"] = app.sm.get_screen("home").notice_text
out["recovered_shown"] = app.out_of_service.shown
ui.tap(service_button("找工作"))
ui.wait_until(lambda: app.sm.current != "home", 15, "a journey starts")
out["after_recovery_screen"] = app.sm.current
print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)
app.services.stop()
'''


def test_out_of_service_face_blocks_services_hides_errors_and_recovers(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "outbox.db").write_bytes(b"this is not an SQLite database " * 100)
    (tmp_path / "site.toml").write_text(f'[paths]\ndata_dir = "{data}"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=170,
                            env=dict(os.environ, KIVY_NO_ARGS="1"))
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, result.stderr[-3000:]
    out = json.loads(lines[0][len("RESULT "):])

    assert "OutboxCorrupt" in out["failed_message"]  # kept for the log and maintenance
    shown = "\n".join(out["texts"])
    for secret in ("OutboxCorrupt", "Error", "SQLITE", "outbox.db", str(data), "Traceback"):
        assert secret not in shown, secret
    overlay = "\n".join(out["overlay_texts"])
    for needed in ("暂停服务", "Out of service", "020-12345678", "12333"):
        assert needed in overlay, needed
    assert out["services_tapped"] == [["找工作", "home", False], ["求职登记", "home", False],
                                      ["为我推荐", "home", False]]
    assert out["pin_screen_overlay_shown"] is False  # the technician gesture still works
    assert "启动失败 Start-up failed: 暂停服务：终端启动失败（OutboxCorrupt）" in \
        out["maintenance_system_text"]  # the cause is for the technician
    assert out["back_home_overlay_shown"] is True
    assert out["recovered_after_s"] < 30
    assert out["recovered_shown"] is False and "暂停服务" not in out["recovered_notice"]
    assert out["after_recovery_screen"] != "home"
