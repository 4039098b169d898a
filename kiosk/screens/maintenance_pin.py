"""Maintenance PIN keypad: reached only by the hidden corner gesture (kiosk/ui/corner_gesture).

The PIN is checked by :class:`kiosk.services.maintenance.pin.PinGate` (salted scrypt hash, 5
wrong PINs lock entry for a growing period, every attempt logged without the PIN) off the UI
thread. Without ``maintenance.pin_hash`` the default PIN 2468 works only on a demo terminal
(simulated reader and embedded sandbox, see ``doctor.demo_mode``); otherwise entry is refused
with the command to set one. The keypad leaves for home after 60 s without a touch.
"""

from __future__ import annotations

import time

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.maintenance.doctor import demo_mode
from kiosk.services.maintenance.pin import LOCKOUT_FILE, PinGate
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _

load_kv(__file__)

MAX_DIGITS = 8
IDLE_S = 60.0


class MaintenancePinScreen(KioskScreen):
    dots = StringProperty("")
    message = StringProperty("")
    _pin = ""
    _gate: PinGate | None = None
    _checking = False
    _last_touch = 0.0
    _timer = None

    def gate(self) -> PinGate:
        """The lock-out state is kept in ``<data_dir>/pin-lockout.json`` (survives restarts)."""
        if self._gate is None:
            settings = self.services.settings
            self._gate = PinGate(settings.maintenance.pin_hash, demo_mode(settings),
                                 state_file=self.services.data_dir / LOCKOUT_FILE)
        return self._gate

    def on_pre_enter(self, *args: object) -> None:
        self.wipe()
        if not self.gate().configured:
            self.message = _("未设置维护 PIN，请运行 kiosk maintenance set-pin\nNo PIN set: run "
                             "`kiosk maintenance set-pin`")
        self._last_touch = time.monotonic()
        self._timer = Clock.schedule_interval(self._check_idle, 1.0)

    def on_leave(self, *args: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.wipe()

    def on_touch_down(self, touch) -> bool:  # noqa: ANN001
        self._last_touch = time.monotonic()
        return super().on_touch_down(touch)

    def _check_idle(self, _dt: float) -> None:
        if time.monotonic() - self._last_touch > IDLE_S:
            self.leave()

    def wipe(self) -> None:
        self._pin = ""
        self.dots = ""
        self.message = ""

    def digit(self, d: str) -> None:
        if self._checking or len(self._pin) >= MAX_DIGITS:
            return
        self._pin += d
        self.dots = "●" * len(self._pin)

    def backspace(self) -> None:
        self._pin = self._pin[:-1]
        self.dots = "●" * len(self._pin)

    def submit(self) -> None:
        if self._checking or not self._pin:
            return
        pin, self._pin, self.dots = self._pin, "", ""
        self._checking = True
        self.message = _("正在核对… Checking…")
        run_in_background(lambda: self.gate().try_pin(pin), self._checked, self._failed)

    def _checked(self, attempt) -> None:  # noqa: ANN001 - PinAttempt
        self._checking = False
        if attempt.ok:
            self.message = ""
            self.shell.show_screen("maintenance")
        elif attempt.locked_for_s > 0:
            self.message = _("错误次数过多，请 {s} 秒后再试\nToo many wrong PINs: wait {s} s").format(
                s=int(attempt.locked_for_s + 0.999))
        elif not self.gate().configured:
            self.message = _("未设置维护 PIN，请运行 kiosk maintenance set-pin\nNo PIN set: run "
                             "`kiosk maintenance set-pin`")
        else:
            self.message = _("PIN 错误（{n}/5）\nWrong PIN ({n}/5)").format(n=attempt.failures)

    def _failed(self, exc: BaseException) -> None:
        self._checking = False
        self.message = _("PIN 配置无效，请重新设置\nInvalid PIN configuration: set it again")

    def leave(self) -> None:
        self.nav.finish("maintenance")


SCREENS = {"maintenance_pin": MaintenancePinScreen}
