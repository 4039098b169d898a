"""Home (attract) screen: station name, time, device/network state, invitation to place the
ID card, the six main services, and the language and 长辈模式 switches.

Placing a card on this screen starts the registration journey (the app routes card events).
"""

from __future__ import annotations

import time

from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    clock_text = StringProperty("")
    status_text = StringProperty("")
    notice_text = StringProperty("")
    demo_card = BooleanProperty(False)
    prompt_key = "home"

    def on_pre_enter(self, *args: object) -> None:
        self.update_clock()
        self.demo_card = bool(self.services is not None and self.services.demo_card_reader)

    def show_health(self, report: object) -> None:
        """Small print: network, reader, printer, pending items; platform notices."""
        self.status_text = report.home_line_zh()
        from kivy.app import App

        app = App.get_running_app()
        if app is not None and (app.startup_error or not app.ready):
            return  # the start-up message stays until the services are up
        notices = self.services.notices if self.services is not None else []
        self.notice_text = "\n".join(notices)

    def update_clock(self) -> None:
        """Called once per second by the app (a fixed-size label: no texture growth, #2215)."""
        self.clock_text = time.strftime("%Y-%m-%d  %H:%M")
