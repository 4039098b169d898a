"""Home (attract) screen: station name, time, device/network state, invitation to place the
ID card, the six main services, and the language and 长辈模式 switches.

Placing a card on this screen starts the registration journey (the app routes card events).
"""

from __future__ import annotations

import time

from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    clock_text = StringProperty("")
    status_text = StringProperty("")
    notice_text = StringProperty("")
    prompt_key = "home"

    def on_pre_enter(self, *args: object) -> None:
        self.update_clock()

    def update_clock(self) -> None:
        """Called once per second by the app (a fixed-size label: no texture growth, #2215)."""
        self.clock_text = time.strftime("%Y-%m-%d  %H:%M")
