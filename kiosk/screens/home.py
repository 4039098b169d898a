"""Home (attract) screen: station name, time, device/network state, invitation to place the
ID card, the six main services, and the language and 长辈模式 switches.

Placing a card on this screen starts the registration journey (the journey engine's default
card route). A service button starts its journey (``nav.start(name)``) once the services are up
(``ready``, set by the app); before that, or after a failed start (``startup_error``), the
button only says so.
"""

from __future__ import annotations

import time

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.china_time import format_china
from kiosk.services.health import HealthReport
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _

from kiosk.screens.base import KioskScreen, load_kv

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
        """The home board's line for the next fair near the station."""
        self.fair_subtitle = (_("下一场：{} {}", board[0].day_text(), _(board[0].kind.name_zh))
                              if board else "")

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
