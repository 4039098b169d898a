"""Listener fan-out shared by the scanner implementations (a listener's bug never stops one)."""

from __future__ import annotations

import logging
import threading

from kiosk.devices.scanner.base import Scan, ScannerListener, ScannerState
from kiosk.devices.scanner.errors import ScannerError

log = logging.getLogger(__name__)


class ListenerSet:
    """Listeners plus the current state; ``emit_*`` call every listener on the calling thread."""

    def __init__(self, state: ScannerState = ScannerState.STOPPED) -> None:
        self._listeners: list[ScannerListener] = []
        self._lock = threading.Lock()
        self.state = state

    def add(self, listener: ScannerListener) -> None:
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def remove(self, listener: ScannerListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _each(self) -> list[ScannerListener]:
        with self._lock:
            return list(self._listeners)

    def emit_scan(self, scan: Scan) -> None:
        for listener in self._each():
            try:
                listener.on_scan(scan)
            except Exception:  # noqa: BLE001 - a listener bug must not kill the scanner
                log.exception("scanner listener on_scan failed")

    def emit_error(self, exc: ScannerError) -> None:
        for listener in self._each():
            try:
                listener.on_error(exc)
            except Exception:  # noqa: BLE001 - a listener bug must not kill the scanner
                log.exception("scanner listener on_error failed")

    def set_state(self, state: ScannerState) -> None:
        """Change the state and tell the listeners (nothing when unchanged)."""
        if state is self.state:
            return
        self.state = state
        log.info("scanner state: %s", state.value)
        for listener in self._each():
            try:
                listener.on_status(state)
            except Exception:  # noqa: BLE001 - a listener bug must not kill the scanner
                log.exception("scanner listener on_status failed")
