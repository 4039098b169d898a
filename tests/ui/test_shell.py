"""The Kivy shell: home screen content, window policy, session idle countdown and wipe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.ui
REPO = Path(__file__).resolve().parents[2]


def test_home_shows_station_and_main_services(ui):
    home = ui.wait_screen("home")
    texts = ui.texts(home)
    assert "天河区天河南街道就业驿站" in texts
    for service in ("找工作", "求职登记", "为我推荐", "政策咨询", "技能培训", "就业帮办"):
        assert service in texts
    assert any("请将身份证放在" in t for t in texts)
    ui.screenshot("home")
    ui.set_size(1920, 1080)
    ui.screenshot("home")


def test_escape_and_window_close_do_not_quit(ui):
    from kivy.core.window import Window

    assert Window.dispatch("on_request_close") is True
    assert ui.app.allow_close is False


def test_idle_countdown_then_wipe_returns_home(ui):
    session = ui.app.services.session
    clock = {"now": 1000.0}
    original = session._clock
    session._clock = lambda: clock["now"]
    try:
        from kiosk.services.journeys.declared.registration import RegistrationDraft

        session.start()
        session.current.part(RegistrationDraft).form["phone"] = "13812345678"
        clock["now"] += session.idle_timeout_s + 1
        ui.wait_until(lambda: ui.app.overlay.opacity == 1, 20, "countdown overlay")
        assert any("您还在使用吗" in t for t in ui.texts(ui.app.overlay))
        ui.screenshot("idle-countdown")
        ui.tap(id="continue_button", )
        assert ui.app.overlay.opacity == 0 and session.current is not None
        clock["now"] += session.idle_timeout_s + session.countdown_s + 1
        ui.wait_until(lambda: session.current is None, 20, "session end")
        ui.wait_screen("home")
        assert all("13812345678" not in t for t in ui.texts())
    finally:
        session._clock = original


def test_elderly_toggle_scales_text(ui):
    normal = ui.app.theme.body
    ui.tap(id="elderly_toggle")
    assert ui.app.theme.elderly and ui.app.theme.body >= normal * 1.5
    ui.screenshot("home-elderly")
    ui.app.finish_session("test")
    assert not ui.app.theme.elderly


def test_kiosk_run_smoke_screenshot(tmp_path):
    """`kiosk run --exit-after 8 --screenshot x.png` under Xvfb yields the home screen PNG."""
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    shot = tmp_path / "x.png"
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(site), "run",
                             "--exit-after", "8", "--screenshot", str(shot),
                             "--orientation", "portrait"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    image = Image.open(shot)
    assert image.size == (1080, 1920)
    # The blue banner with the station name is drawn at the top.
    assert image.getpixel((540, 20))[:3] == (12, 75, 155)
