"""Home (attract) screen: station name, time, device/network state, invitation to place the
ID card, the service tiles, and the language and 长辈模式 switches.

The tiles are data: :data:`HOME_TILES` (one line per service, in reading order); each becomes a
:class:`HomeTileButton` in the ``services_grid`` and is reachable as ``ids[<widget_id>]``
(``btn_search`` …) like a kv widget.

Placing a card on this screen starts the registration journey (the journey engine's default
card route). A service button starts its journey (``nav.start(name)``) once the services are up
(``ready``, set by the app); before that, or after a failed start (``startup_error``), the
button only says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.china_time import format_china
from kiosk.domain.i18n_marker import N_
from kiosk.services.health import HealthReport
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _
from kiosk.ui.widgets import TileButton

from kiosk.screens.base import KioskScreen, load_kv


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
    prompt_key = "home"

    def on_kv_post(self, base_widget: Any) -> None:
        super().on_kv_post(base_widget)
        grid = self.ids.services_grid
        for tile in HOME_TILES:
            button = HomeTileButton(title_id=tile.title, subtitle_id=tile.subtitle,
                                    service=tile.service, primary=tile.primary)
            button.bind(on_release=lambda b: self.open_service(b.service))
            grid.add_widget(button)
            self.ids[tile.widget_id] = button

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

    def on_pre_enter(self, *args: object) -> None:
        self.update_clock()
        self.demo_card = bool(self.services is not None and self.services.demo_card_reader)
        fairs = getattr(self.services, "fairs", None)
        if fairs is not None:
            run_in_background(lambda: fairs.board(limit=1), self._next_fair,
                              lambda _e: setattr(self, "fair_subtitle", ""))

    def _next_fair(self, board: list) -> None:
        """The fairs tile's line for the next fair near the station."""
        self.fair_subtitle = (_("下一场：{} {}", board[0].day_text(), _(board[0].kind.name_zh))
                              if board else "")

    def on_fair_subtitle(self, _screen: object, text: str) -> None:
        tile = self.tile("fairs")
        if tile is not None:
            tile.subtitle_live = text

    def show_health(self, report: HealthReport) -> None:
        """Small print: network, reader, printer, pending items; platform notices."""
        self.status_text = report.home_line_zh()
        if self.startup_error or not self.ready:
            return  # the start-up message stays until the services are up
        notices = self.services.notices if self.services is not None else []
        self.notice_text = "\n".join(notices)

    def update_clock(self) -> None:
        """Called once per second by the app (a fixed-size label: no texture growth, #2215)."""
        self.clock_text = format_china(time.time())  # China time whatever the host zone


SCREENS = {"home": HomeScreen}
