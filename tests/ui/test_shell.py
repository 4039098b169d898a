"""The Kivy shell: home screen content, window policy, session idle countdown and wipe."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.ui
REPO = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")


def _tiles_whole(home) -> None:
    """Issue 17 item 8: every service tile shows its whole title and subtitle (no "…", each
    label's text inside its box, every drawn line together the whole text), and the two top
    tiles (the card invitation and 长辈模式) are equally tall; every board row is whole too."""
    from kiosk.screens.home import HOME_TILES
    from kiosk.ui.line_break import rendered_lines

    for tile in HOME_TILES:
        button = home.ids[tile.widget_id]
        for label in (button.ids.big_title, button.ids.sub):
            if not label.text:
                continue
            assert "…" not in label.text and "..." not in label.text, label.text
            drawn = "".join(rendered_lines(label)).replace(" ", "")
            assert drawn == label.text.replace(" ", "").replace("\n", ""), (label.text, drawn)
            tw, th = label.texture_size
            assert tw <= label.width + 2 and th <= label.height + 2, (label.text, label.size, label.texture_size)
            assert label.y >= button.y - 1 and label.top <= button.top + 1, (label.text, button.size)
    assert abs(home.ids.card_invite.height - home.ids.elderly_toggle.height) < 1, (
        home.ids.card_invite.height, home.ids.elderly_toggle.height)
    assert abs(home.ids.card_invite.y - home.ids.elderly_toggle.y) < 1
    board = home.ids.board                  # and every board row its whole text, on the board
    for slot in range(len(home.board_rows)):
        row = home.ids[f"board_row_{slot}"]
        assert row.title and row.y >= board.y - 1, (slot, row.title, row.y, board.y)
        for label in (row.ids.board_row_title, row.ids.board_row_detail):
            drawn = "".join(rendered_lines(label)).replace(" ", "")
            assert drawn == label.text.replace(" ", ""), (label.text, drawn)      # no "…" (距…)
            assert label.texture_size[1] <= label.height + 2, (label.text, label.size, label.texture_size)


def test_home_shows_station_and_main_services(ui):
    """Issue 17 item 10: the station's published information, the board of newest vacancies
    and next fairs (turning never moves a tile nor takes a tap), 系统正在启动 until ready."""
    import time

    from kiosk.screens.home import HOME_TILES

    home = ui.wait_screen("home")
    services = ui.app.services
    ui.wait_until(lambda: services.fairs.store.count() >= 4 and services.catalog.count(), 30,
                  "catalog and fairs synced")
    home.load_board()
    ui.wait_until(lambda: home.board_title == "最新岗位" and len(home.board_rows) >= 3
                  and home.board_page == "1/2", 15, "board of newest vacancies, then fairs")
    texts = ui.texts(home)
    assert "天河区天河南街道就业驿站" in texts
    for tile in HOME_TILES:
        assert home.ids[tile.widget_id].text == tile.title
    assert any("请将身份证放在" in t for t in texts)
    station = services.settings.station
    for line in (f"地址：{station.address}", f"开放时间：{station.opening_hours}",
                 "服务项目：求职登记、岗位信息与推荐、职业指导、政策咨询、技能培训报名、就业援助、招聘会、零工对接",
                 f"服务规则：{'；'.join(station.rule_items)}",
                 "投诉监督：12333　驿站电话：020-12345678"):
        assert line in texts, line
    newest = services.catalog.newest(3)
    assert home.ids.board_row_0.title == f"{newest[0].vacancy.title} · {newest[0].vacancy.employer}"
    assert "元/月" in home.ids.board_row_0.detail
    assert home.ids.elderly_toggle.text == "长辈模式" and home.ids.elderly_toggle.height >= 120
    board = home.ids.board
    before = {t.widget_id: tuple(home.ids[t.widget_id].pos) for t in HOME_TILES}
    size = tuple(board.size)
    assert home.rotate_board(now=time.monotonic() + 60)           # nobody touched: it turns
    assert home.board_title == "近期招聘会"
    assert home.ids.board_row_0.title.startswith("社区微型招聘会｜")
    ui.pump(3)
    assert {t.widget_id: tuple(home.ids[t.widget_id].pos) for t in HOME_TILES} == before
    assert tuple(board.size) == size
    ui.screenshot("home-board-fairs")
    ui.tap(id="btn_policy")                                       # right after a turn
    ui.wait_screen("policies")
    ui.reset()
    ui.tap(home.ids.board)                                        # a touch on the board
    assert home.rotate_board() is False                           # holds still while touched
    assert ui.app.sm.current == "home"                            # and is not a button
    _tiles_whole(home)
    ui.screenshot("home")
    ui.set_size(1920, 1080)
    _tiles_whole(home)
    ui.screenshot("home")
    ui.app.set_language("en")                                     # English labels fit too
    try:
        from tests.ui.audit import audit, full_width_findings, line_break_findings

        ui.pump(5)
        assert home.ids.btn_search.text == "Find a job" and home.ids.info_heading.text
        assert home.ids.info_complaint.text == "Complaints: 12333   Station phone: 020-12345678"
        assert home.ids.info_address.text == f"Address: {station.address}"    # half-width
        ui.wait_until(lambda: home.board_title == "Newest vacancies", 10, "board in English")
        assert "/ month" in home.ids.board_row_0.detail or "CNY" in home.ids.board_row_0.detail
        # Issue 17 item 8: the station's English name, the status line in English.
        assert home.ids.station_label.text == station.name_en
        ui.wait_until(lambda: "OK" in home.status_text or "Printer" in home.status_text, 5,
                      "status line in English")
        assert not HAN.search(home.status_text), home.status_text
        ui.wait_until(lambda: home.fair_subtitle.startswith("Next: "), 10, "next fair in English")
        assert not HAN.search(home.fair_subtitle), home.fair_subtitle     # "Next: Wed 2 Dec …"
        for size in ((1920, 1080), (1080, 1920)):
            ui.set_size(*size)
            _tiles_whole(home)
            ui.screenshot("home-english")
            found = audit(ui.app.root, "home en", False) + line_break_findings(ui.app.root, "home en") \
                + full_width_findings(ui.app.root, "home en")
            assert found == [], "\n".join(map(str, found))
        ui.set_size(1920, 1080)
    finally:
        ui.app.set_language("zh_CN")
    assert home.ids.station_label.text == station.name and HAN.search(home.status_text)
    bar = home.ids.starting_bar
    home.ready = False                                            # as between first frame and up
    try:
        # Issue 23: it stands still (no redraw) for its first second, then jumps a quarter
        # every 0.4 s; a start quicker than that never moves it. (Read before any frame: the
        # second is real time.)
        assert bar.active and (bar.delay_s, bar.value, bar._stepper) == (1.0, 0, None)
        delayed = bar._delayed
        assert delayed is not None and delayed.timeout == 1.0
        delayed.cancel()
        delayed.get_callback()(1.0)                               # the second is over
        assert bar._delayed is None and bar._stepper.timeout == 0.4
        bar._step(0.4)
        bar._step(0.4)
        assert bar.value == 50
        ui.pump(3)
        assert home.ids.invite.text == "系统正在启动，请稍候…"
        ui.tap(id="btn_search")
        assert ui.app.sm.current == "home" and home.notice_text == "系统正在启动，请稍候…"
        ui.screenshot("home-starting")
    finally:
        home.ready = True
    assert home.notice_text == "" and home.ids.invite.text == "请将身份证放在下方感应区"
    assert (bar.value, bar._stepper, bar._delayed) == (0, None, None)    # stopped at 0


def test_board_turns_at_the_wall_clocks_20_s_marks(ui, monkeypatch):
    """Issue 23 (idle CPU): the board turns when the wall clock crosses :00, :20 or :40, in
    the same tick that shows the new minute, so the two changes cost one redraw."""
    from kiosk.domain.china_time import format_china

    home = ui.wait_screen("home")
    turns: list[float] = []
    monkeypatch.setattr(home, "rotate_board", lambda: turns.append(1.0) or True)
    minute = 1_800_000_000.0                          # a full minute (and a 20 s mark)
    home.tick(minute - 0.6)                           # after real ticks: a slot of its own
    turns.clear()
    assert home.tick(minute - 0.6) is False and turns == []
    assert home.clock_text == format_china(minute - 0.6)
    assert home.tick(minute + 0.4) is True and turns == [1.0]      # the turn and the minute
    assert home.clock_text == format_china(minute + 0.4) != format_china(minute - 0.6)
    assert [home.tick(minute + s) for s in (1.4, 10.0, 19.9)] == [False, False, False]
    assert home.tick(minute + 20.0) is True and home.tick(minute + 40.3) is True
    assert len(turns) == 3


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


def test_switches_collect_garbage_only_when_they_change_something(ui, monkeypatch):
    """A full collection (kiosk.ui.fan_out) is paid for 长辈模式 or language changes only:
    a session ending with both at their defaults collects nothing."""
    import contextlib

    import kiosk.app

    collected = []

    @contextlib.contextmanager
    def counted():
        collected.append(1)
        yield

    monkeypatch.setattr(kiosk.app, "collected_first", counted)
    ui.app.finish_session("test")
    assert collected == []
    ui.tap(id="elderly_toggle")
    ui.app.set_language("en")
    ui.app.set_language("en")
    assert len(collected) == 2
    ui.app.finish_session("test")           # both back to the defaults: two changes
    assert len(collected) == 4 and not ui.app.theme.elderly and ui.app.language == "zh_CN"


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
