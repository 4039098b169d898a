"""居民身份电子凭证 (e-ID) login: the second way in on the identity step, after the same consent.

Shown by the engine in place of the card screen (``nav.eid_login()``; 返回 → the card screen).
Two ways at once: the screen shows the platform's QR for the phone's e-ID app and polls it
(:meth:`kiosk.services.eid_login.EidLogin.poll`, every ``poll_after_s``), and it listens to the
scanner for the code the phone shows (:meth:`~kiosk.services.eid_login.EidLogin.redeem`). The
identity goes to ``nav.eid_identity(card)`` — the engine keeps it exactly as a card read. An
expired or used code says so with 重试 (a new QR). A scan that is not an e-ID code says
这不是本站的二维码 and nothing happens. Demo (embedded sandbox): 演示：手机确认 plays the phone
approving the QR, 演示：手机出示电子凭证码 scans a fresh code of the demo person.

Values: none. Nothing personal is kept on the screen (the identity is handed over at once).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.devices.scanner.base import ListenerBase, Scan
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.eid_login import EidOutcome, EidQr
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.i18n import _, current_language
from kiosk.ui.qr_image import QrImage  # noqa: F401  (kv rule)

logger = logging.getLogger(__name__)

load_kv(__file__)


class _ScanListener(ListenerBase):
    """Scanner events (scanner thread) → the screen (UI thread)."""

    def __init__(self, screen: EidLoginScreen) -> None:
        self._deliver = on_main_thread(screen.scanned)

    def on_scan(self, scan: Scan) -> None:
        self._deliver(scan.text)


class EidLoginScreen(KioskScreen):
    qr_data = StringProperty("")
    message = StringProperty("")
    failed = BooleanProperty(False)
    busy = BooleanProperty(False)
    demo = BooleanProperty(False)
    scanner_present = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._qr: EidQr | None = None
        self._poll_ev: Any = None
        self._token = 0
        self._listener = _ScanListener(self)
        self._listening = False

    # ---- lifecycle ----------------------------------------------------------------------------
    def show(self, values: Mapping[str, object]) -> None:
        self.demo = bool(self.services is not None and self.services.sandbox is not None)
        scanner = getattr(self.services, "scanner", None)
        self.scanner_present = scanner is not None and str(getattr(scanner, "state", "")) != "absent"
        if scanner is not None and not self._listening:
            scanner.add_listener(self._listener)
            self._listening = True
        self.start_qr()

    def start_qr(self) -> None:
        """A new QR (also 重试)."""
        self._stop_polling()
        self._token += 1
        token = self._token
        self._qr = None
        self.qr_data, self.failed, self.busy = "", False, True
        self.message = _("正在获取二维码…")
        eid = getattr(self.services, "eid", None)
        if eid is None:
            self._final(EidOutcome("offline"))
            return
        run_in_background(eid.start, lambda r: self._started(token, r),
                          lambda _e: self._final(EidOutcome("offline")))

    def _started(self, token: int, result: EidQr | EidOutcome) -> None:
        if token != self._token:
            return
        self.busy = False
        if isinstance(result, EidOutcome):
            self._final(result)
            return
        self._qr = result
        self.qr_data = result.payload
        self.message = self._text(EidOutcome("pending"))
        self._poll_ev = Clock.schedule_interval(lambda _dt: self._poll(), result.poll_after_s)

    def _poll(self) -> None:
        qr, token = self._qr, self._token
        if qr is None or self.busy:
            return
        self.busy = True
        run_in_background(lambda: self.services.eid.poll(qr, datetime.now(UTC)),
                          lambda outcome: self._polled(token, outcome),
                          lambda _e: setattr(self, "busy", False))

    def _polled(self, token: int, outcome: EidOutcome) -> None:
        if token != self._token:
            return
        self.busy = False
        if outcome.final:
            self._final(outcome)

    # ---- the phone's code, scanned --------------------------------------------------------------
    def scanned(self, text: str) -> None:
        if self.manager is not None and self.manager.current != self.name:
            return
        token = self._token
        run_in_background(lambda: self.services.eid.redeem(text),
                          lambda outcome: self._redeemed(token, outcome),
                          lambda _e: self._final(EidOutcome("offline")))

    def _redeemed(self, token: int, outcome: EidOutcome) -> None:
        if token != self._token:
            return
        if outcome.status == "not_ours":
            self.message = self._text(outcome)       # nothing happens; the QR stays usable
            return
        self._final(outcome)

    # ---- outcomes ------------------------------------------------------------------------------
    def _final(self, outcome: EidOutcome) -> None:
        self._stop_polling()
        self.busy = False
        if outcome.status == "approved" and outcome.identity is not None:
            self._token += 1
            self.message = self._text(outcome)
            self.nav.eid_identity(outcome.identity)
            return
        self.qr_data = ""
        self.failed = True
        self.message = self._text(outcome)

    @staticmethod
    def _text(outcome: EidOutcome) -> str:
        return outcome.message_en if current_language() == "en" else outcome.message_zh

    # ---- demo: the sandbox plays the phone ---------------------------------------------------------
    def demo_approve(self) -> None:
        qr = self._qr
        if qr is not None and self.services is not None:
            run_in_background(lambda: self.services.demo_eid_approve(qr.session_id))

    def demo_phone_code(self) -> None:
        if self.services is not None:
            run_in_background(self.services.demo_eid_code, self._demo_code)

    def _demo_code(self, code: str | None) -> None:
        if code and not (self.services is not None and self.services.demo_scan(code)):
            self.scanned(code)      # no scanner simulator: hand the code over directly

    def _stop_polling(self) -> None:
        if self._poll_ev is not None:
            self._poll_ev.cancel()
            self._poll_ev = None

    def on_leave(self, *_args: Any) -> None:
        self._stop_polling()
        self._token += 1
        scanner = getattr(self.services, "scanner", None)
        if scanner is not None and self._listening:
            scanner.remove_listener(self._listener)
            self._listening = False

    def wipe(self) -> None:
        self.on_leave()
        self._qr = None
        self.qr_data = self.message = ""
        self.failed = self.busy = False


SCREENS = {"eid_login": EidLoginScreen}
