"""Home (attract) screen: what a station must publish and a jobseeker wants, on one screen.

* the station name and China time; the invitation to lay the ID card — until the services are
  up (``ready``, set by the app) it says 系统正在启动 with a busy bar instead, and a tile only
  says so when tapped (after a failed start: ``startup_error``);
* 长辈模式 as a large tile beside the invitation;
* the service tiles: data, :data:`HOME_TILES` (one line per service, reading order); each
  becomes a :class:`HomeTileButton` in ``services_grid``, reachable as ``ids[<widget_id>]``
  (``btn_search`` …) like a kv widget; in 长辈模式 tiles show their title only;
* a gentle board that turns every :data:`BOARD_ROTATE_S` seconds (on the wall clock's 20 s
  marks, with the clock's minute: one redraw) between today's newest
  vacancies (``catalog.newest``) and the next fairs near the station (``fairs.board``). It
  never steals a touch: it is not a button, its height never changes (each row shows its
  whole text, wrapped, never "…"; as many rows as the height holds; in 长辈模式 a vacancy row
  shows the vacancy's title without the employer), and it does not turn for
  :data:`BOARD_TOUCH_PAUSE_S` seconds after any touch;
* the station's address, opening hours, services, rules and complaint channel, from
  ``[station]`` (``address``, ``opening_hours``, ``services``, ``rules``, ``complaint``,
  ``hotline``): 人社部发〔2022〕38号 asks stations to publish service rules, hotline and complaint
  channel;
* the status line (network, reader, printer), the demo card and the language switch.

Portrait: the board and the station information fill the space below the tiles. Landscape:
they form a column beside the tiles, and in 长辈模式 nothing needs scrolling (tested).
Placing a card on this screen starts the registration journey (the engine's default card route).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from kiosk.domain.china_time import format_china
from kiosk.domain.i18n_marker import N_
from kiosk.services.health import HealthReport
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language, fair_day, fair_when
from kiosk.ui.widgets import TileButton

from kiosk.screens.base import KioskScreen, load_kv

logger = logging.getLogger(__name__)

#: Seconds a board page stays before the next one. 20 s: time for a slow reader to take in a
#: page of five titles with their details; and each turn redraws the whole window (Kivy has no
#: partial redraw), ~35 ms of CPU with software GL on a 2-core terminal — at 10 s the turns
#: alone were 0.6 points of idle CPU (issue 23). The pages turn when the wall clock crosses a
#: multiple of it (:00, :20, :40 of each minute: :meth:`HomeScreen.tick`), so the turn at :00
#: and the clock's new minute are drawn in one frame: 3 redraws a minute while idle, not 4.
#: A divisor of 60 keeps that so.
BOARD_ROTATE_S = 20.0
#: Seconds after any touch on the screen during which the board does not turn.
BOARD_TOUCH_PAUSE_S = 20.0
#: Rows read for a board page; shown: as many as the board's height holds (3 at least).
BOARD_ROWS = 5
#: Seconds after which the board is read again (new vacancies, fairs).
BOARD_RELOAD_S = 300.0


@dataclass(frozen=True)
class HomeTile:
    """One service tile: ``widget_id`` (``ids`` key), the journey it starts (``service``), its
    title and subtitle (message ids, translated when shown), and the filled (primary) style."""

    widget_id: str
    service: str
    title: str
    subtitle: str
    primary: bool = True


#: The home screen's service tiles in reading order. A new service is one line here.
HOME_TILES: tuple[HomeTile, ...] = (
    HomeTile("btn_search", "search", N_("找工作"), N_("按岗位、地区、工资查找")),
    HomeTile("btn_gigs", "gigs", N_("零工"), N_("今日零工：附近日结、钟点工")),
    HomeTile("btn_register", "register", N_("求职登记"), N_("刷身份证登记求职意向")),
    HomeTile("btn_match", "match", N_("为我推荐"), N_("按您的意向推荐岗位")),
    HomeTile("btn_policy", "policies", N_("政策咨询"), N_("就业创业补贴政策"), False),
    HomeTile("btn_training", "training", N_("技能培训"), N_("免费培训与补贴"), False),
    HomeTile("btn_fairs", "fairs", N_("招聘会"), N_("近期招聘会、报名与签到"), False),
    HomeTile("btn_assist", "assistance", N_("就业帮办"), N_("失业登记、补贴申领等"), False),
    HomeTile("btn_applications", "applications", N_("就业援助办理"),
             N_("失业登记、灵活就业登记、困难认定")),
    HomeTile("btn_application_query", "application_query", N_("办件查询"),
             N_("查看办理进度、补打回执"), False),
    HomeTile("btn_interests", "interests", N_("兴趣探索"), N_("看看适合做哪类工作"), False),
    HomeTile("btn_resume", "resume", N_("求职简历"), N_("做一份简历，打印或发到手机"), False),
    HomeTile("btn_guidance", "guidance", N_("预约职业指导"), N_("约职业指导师面对面聊"), False),
    HomeTile("btn_employer", "employer", N_("用工单位/雇主"), N_("发布招聘、零工，预订招聘会展位"),
             False),
)


class HomeTileButton(TileButton):
    """A :class:`HomeTile` on screen: ``title_id``/``subtitle_id`` are message ids (the kv rule
    translates them and follows language switches); ``subtitle_live`` replaces the subtitle
    while set (e.g. the next fair's date)."""

    title_id = StringProperty("")
    subtitle_id = StringProperty("")
    subtitle_live = StringProperty("")
    service = StringProperty("")


load_kv(__file__)


class HomeScreen(KioskScreen):
    clock_text = StringProperty("")
    status_text = StringProperty("")
    notice_text = StringProperty("")
    demo_card = BooleanProperty(False)
    ready = BooleanProperty(False)           # services built and started (set by the app)
    startup_error = StringProperty("")      # why the start failed (set by the app)
    fair_subtitle = StringProperty("")      # the next fair near the station ("" when none)
    portrait = BooleanProperty(True)        # height >= width
    board_title = StringProperty("")        # "今日新岗位" / "最新岗位" / "近期招聘会"
    board_page = StringProperty("")         # "1/2"
    board_rows = ListProperty([])           # [(title, detail), …] shown (≤ board_capacity)
    board_capacity = NumericProperty(3)     # rows the board's height holds
    address_text = StringProperty("")
    hours_text = StringProperty("")
    services_text = StringProperty("")
    rules_text = StringProperty("")
    complaint_no = StringProperty("")       # 12333 (the kv line is translated on a switch)
    hotline_no = StringProperty("")
    language = StringProperty("zh_CN")      # the app's language (bound in home.kv)
    text_body = NumericProperty(0)          # the theme's body and small text sizes (home.kv)
    text_small = NumericProperty(0)
    elderly = BooleanProperty(False)        # 长辈模式 (home.kv): board rows without the employer
    prompt_key = "home"

    def __init__(self, **kwargs: Any) -> None:
        self._pages: list[tuple[str, list[tuple[str, ...]]]] = []   # before the kv rule runs
        self._page = 0
        self._last_touch = float("-inf")
        self._turn_slot: int | None = None      # wall-clock BOARD_ROTATE_S slot of the page
        self._loaded_at = float("-inf")
        self._health: HealthReport | None = None
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget: Any) -> None:
        super().on_kv_post(base_widget)
        grid = self.ids.services_grid
        for tile in HOME_TILES:
            button = HomeTileButton(title_id=tile.title, subtitle_id=tile.subtitle,
                                    service=tile.service, primary=tile.primary)
            button.bind(on_release=lambda b: self.open_service(b.service))
            grid.add_widget(button)
            self.ids[tile.widget_id] = button
        self.ids.board.bind(size=self._board_resized)
        self.bind(text_body=self._board_resized, text_small=self._board_resized,   # 长辈模式
                  elderly=self._board_resized)
        self.show_station()
        self._show_page()                   # "岗位信息正在更新" until the board is read

    def on_language(self, *_args: object) -> None:
        self.load_board()                   # the board's texts follow a language switch
        if self._health is not None:        # and so does the status line
            self.show_health(self._health)

    def _board_resized(self, board: Any, _value: float) -> None:
        self._show_page()                   # rows wrap: how many fit follows the board's size

    def on_size(self, *_args: object) -> None:
        self.portrait = self.height >= self.width

    def tile(self, service: str) -> HomeTileButton | None:
        """The tile that starts ``service`` (None when there is none)."""
        return next((b for b in self.ids.services_grid.children
                     if isinstance(b, HomeTileButton) and b.service == service), None)

    def open_service(self, service: str) -> None:
        """A service button ("search", "register", …): start its journey."""
        if not self.ready:
            self.notice_text = self.startup_error or _("系统正在启动，请稍候…")
            return
        if self.nav is None or not self.nav.has_journey(service):
            return
        self.nav.start(service)

    # ---- lifecycle ----------------------------------------------------------------------------
    def wipe(self) -> None:
        """The next person sees the top of home: tiles and station information scrolled back
        (a tile scrolled out of view is a tile that seems missing)."""
        for name in ("home_scroll", "info_scroll"):
            view = self.ids.get(name)
            if view is not None:
                view.scroll_y = 1

    def on_pre_enter(self, *args: object) -> None:
        self._turn_slot = None                  # the first turn at the next boundary
        self.tick()
        self.show_station()
        self.demo_card = bool(self.services is not None and self.services.demo_card_reader)
        self.load_board()

    def on_ready(self, _screen: object, ready: bool) -> None:
        if ready:
            if self.notice_text == _("系统正在启动，请稍候…"):    # said after an early tap
                self.notice_text = ""
            self.load_board()

    def on_touch_down(self, touch: Any) -> bool:
        self._last_touch = time.monotonic()      # the board holds still while someone is here
        return bool(super().on_touch_down(touch))

    # ---- the station's published information ----------------------------------------------------
    def show_station(self) -> None:
        """Address, opening hours, services, rules and complaint channel from ``[station]``."""
        if self.services is None:
            return
        station = self.services.settings.station
        self.address_text = station.address
        self.hours_text = station.opening_hours
        self.services_text = "、".join(station.service_items)
        self.rules_text = "；".join(station.rule_items)
        self.complaint_no, self.hotline_no = station.complaint, station.hotline

    # ---- the board ---------------------------------------------------------------------------------
    def load_board(self) -> None:
        """Read the newest vacancies and the next fairs in the background, then show page 1."""
        services = self.services
        catalog = getattr(services, "catalog", None)
        fairs = getattr(services, "fairs", None)
        if not self.ready or (catalog is None and fairs is None):
            return

        def read() -> tuple[list, list]:
            return (catalog.newest(BOARD_ROWS) if catalog is not None else [],
                    fairs.board(limit=BOARD_ROWS) if fairs is not None else [])

        self._loaded_at = time.monotonic()
        run_in_background(read, self._board_read, self._board_failed)

    def _board_failed(self, exc: BaseException) -> None:
        logger.warning("home board not loaded: %s", type(exc).__name__)

    def _board_read(self, result: tuple[list, list]) -> None:
        from kiosk.ui.vacancy_list import row_data

        hits, fairs = result
        self._next_fair(fairs)
        pages: list[tuple[str, list[tuple[str, ...]]]] = []     # rows: (title, detail[, 长辈模式 title])
        if hits:
            today = all(h.posting_age_days is not None and h.posting_age_days <= 0 for h in hits)
            rows: list[tuple[str, ...]] = []
            for hit in hits:                # (no posting age: the board's title says it)
                data = row_data(hit.vacancy, hit.distance_km)
                rows.append((f"{data['title']} · {data['employer']}", data["meta"], data["title"]))
            pages.append((_("今日新岗位") if today else _("最新岗位"), rows))
        if fairs:
            bar = " | " if current_language() == "en" else "｜"
            pages.append((_("近期招聘会"), [
                (f"{_(f.kind.name_zh)}{bar}{f.title}", f"{fair_when(f)} · {f.venue.name}")
                for f in fairs]))
        self._pages = pages
        self._page = 0
        self._show_page()

    def _show_page(self) -> None:
        if not self._pages:
            self.board_title, self.board_page, self.board_rows = _("今日新岗位"), "", [
                (_("岗位信息正在更新"), _("点击“找工作”查看全部岗位"))]
        else:
            title, rows = self._pages[self._page]
            self.board_title = title
            self.board_page = (f"{self._page + 1}/{len(self._pages)}" if len(self._pages) > 1
                               else "")
            self.board_rows = [(row[2] if self.elderly and len(row) > 2 else row[0], row[1])
                               for row in rows[:BOARD_ROWS]]
        self.board_rows = self._fit_rows(self.board_rows)
        self.board_capacity = max(1, len(self.board_rows))

    def _fit_rows(self, rows: list) -> list:
        """Fill the board's row slots with ``rows`` ([(title, detail), …]) whole and wrapped,
        as many as fit the board's height (the first one always). Returns the rows shown."""
        board = self.ids.board
        pad_x = board.padding[0] + board.padding[2]
        free = board.height - self.ids.board_head.height - board.padding[1] - board.padding[3]
        used = 0.0
        shown: list[tuple[str, str]] = []
        for slot in range(BOARD_ROWS):
            row = self.ids[f"board_row_{slot}"]
            title, detail = rows[slot] if slot < len(rows) else ("", "")
            row.title, row.detail = title, detail
            if not title:
                continue
            for label in (row.ids.board_row_title, row.ids.board_row_detail):
                label.width = max(1, board.width - pad_x)   # as the layout will set it
                label.texture_update()                      # its height now, not next frame
            used += row.height
            if shown and used > free:                       # the rest does not fit
                row.title = row.detail = ""
                for rest in range(slot + 1, BOARD_ROWS):
                    self.ids[f"board_row_{rest}"].title = ""
                    self.ids[f"board_row_{rest}"].detail = ""
                break
            shown.append((title, detail))
        return shown

    def rotate_board(self, now: float | None = None) -> bool:
        """The next page, unless the screen was touched in the last :data:`BOARD_TOUCH_PAUSE_S`
        seconds (``now``: monotonic seconds, for tests). True when the page changed."""
        now = time.monotonic() if now is None else now
        if not self._pages or now - self._loaded_at > BOARD_RELOAD_S:
            self.load_board()               # still empty (catalog syncing) or due again
        if len(self._pages) < 2 or now - self._last_touch < BOARD_TOUCH_PAUSE_S:
            return False
        self._page = (self._page + 1) % len(self._pages)
        self._show_page()
        return True

    def _next_fair(self, board: list) -> None:
        """The fairs tile's line for the next fair near the station."""
        self.fair_subtitle = (_("下一场：{} {}", fair_day(board[0]), _(board[0].kind.name_zh))
                              if board else "")

    def on_fair_subtitle(self, _screen: object, text: str) -> None:
        tile = self.tile("fairs")
        if tile is not None:
            tile.subtitle_live = text

    def show_health(self, report: HealthReport) -> None:
        """Small print: network, reader, printer, pending items (in the session's language);
        platform notices."""
        self._health = report
        self.status_text = " · ".join(_(m, *a) for m, a in report.home_parts())
        if self.startup_error or not self.ready:
            return  # the start-up message stays until the services are up
        notices = self.services.notices if self.services is not None else []
        self.notice_text = "\n".join(notices)

    def tick(self, wall: float | None = None) -> bool:
        """Called once a second by the app while home is shown (``wall``: ``time.time()`` s,
        for tests): the clock (China time whatever the host zone; a fixed-size label: no
        texture growth, Kivy #2215) and, when ``wall`` has crossed a multiple of
        :data:`BOARD_ROTATE_S` since the last call, the board's next page
        (:meth:`rotate_board`) — both changed in the same frame, so the turn at each full
        minute costs no redraw of its own. True when the page turned."""
        wall = time.time() if wall is None else wall
        self.clock_text = format_china(wall)
        slot = int(wall // BOARD_ROTATE_S)
        due = self._turn_slot is not None and slot != self._turn_slot
        self._turn_slot = slot
        return self.rotate_board() if due else False


SCREENS = {"home": HomeScreen}
