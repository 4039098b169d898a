"""The keyboard-wedge scanner: a :class:`~.base.BarcodeScanner` fed with key events by the UI.

The device layer cannot see the keyboard (the window does), so the UI adapter
(``kiosk/ui/scanner_wedge.py``) hands every key to :meth:`KeyboardWedgeScanner.key`,
:meth:`~KeyboardWedgeScanner.enter`, :meth:`~KeyboardWedgeScanner.other` and
:meth:`~KeyboardWedgeScanner.poll`, swallows them, and delivers the :class:`~.base.Typed`
keys these return to the focused field. Recognised scans go to the listeners' ``on_scan`` **on
the thread that fed the key** (the UI thread). While stopped, keys are not classified: every
call returns them as typed at once.
"""

from __future__ import annotations

import logging
import threading

from kiosk.devices.scanner.base import ENTER, ScannerListener, ScannerMode, ScannerState, Typed
from kiosk.devices.scanner.listeners import ListenerSet
from kiosk.devices.scanner.symbology import AimMode
from kiosk.devices.scanner.wedge import (WedgeClassifier, WedgeOutput, WedgeRejected, WedgeScan,
                                         WedgeTiming)

log = logging.getLogger(__name__)


class KeyboardWedgeScanner:
    """USB keyboard-wedge scanner; implements :class:`~.base.KeyboardWedgePort`. Thresholds
    from ``[scanner] wedge_*`` (see :mod:`.wedge`)."""

    def __init__(self, timing: WedgeTiming | None = None, aim: AimMode = AimMode.AUTO) -> None:
        self.classifier = WedgeClassifier(timing, aim)
        self._events = ListenerSet()
        self._lock = threading.Lock()
        self._started = False

    @property
    def mode(self) -> ScannerMode:
        return ScannerMode.KEYBOARD

    @property
    def state(self) -> ScannerState:
        return self._events.state

    def describe(self) -> str:
        t = self.classifier.timing
        return (f"keyboard wedge: gaps ≤ {t.max_gap_ms:g} ms, mean ≤ {t.mean_gap_ms:g} ms, "
                f"≥ {t.min_length} characters + Enter, AIM {self.classifier.aim.value}")

    def add_listener(self, listener: ScannerListener) -> None:
        self._events.add(listener)

    def remove_listener(self, listener: ScannerListener) -> None:
        self._events.remove(listener)

    def start(self) -> None:
        """Begin classifying keys (state READY)."""
        self._started = True
        self._events.set_state(ScannerState.READY)

    def stop(self) -> None:
        """Stop classifying; keys still held are dropped (they may be half a scan)."""
        self._started = False
        with self._lock:
            self.classifier = WedgeClassifier(self.classifier.timing, self.classifier.aim)
        self._events.set_state(ScannerState.STOPPED)

    def close(self) -> None:
        self.stop()

    # -- fed by the UI ------------------------------------------------------------------------
    def _deliver(self, outputs: list[WedgeOutput]) -> list[Typed]:
        typed: list[Typed] = []
        for output in outputs:
            if isinstance(output, WedgeScan):
                log.debug("wedge scan: %d characters, symbology %s", len(output.scan.text),
                          output.scan.symbology)
                self._events.emit_scan(output.scan)
            elif isinstance(output, WedgeRejected):
                self._events.emit_error(output.error)
            else:
                typed.append(output)
        return typed

    def key(self, char: str, at_s: float) -> list[Typed]:
        """A text key at ``at_s`` (seconds, monotonic). Returns keys to deliver as typed."""
        if not self._started:
            return [Typed((char,))]
        with self._lock:
            outputs = self.classifier.key(char, at_s)
        return self._deliver(outputs)

    def enter(self, at_s: float) -> list[Typed]:
        """The Enter key at ``at_s``. Returns keys to deliver as typed (maybe this Enter)."""
        if not self._started:
            return [Typed((ENTER,))]
        with self._lock:
            outputs = self.classifier.enter(at_s)
        return self._deliver(outputs)

    def other(self, at_s: float) -> list[Typed]:
        """A non-text key: returns the held keys to deliver *before* passing that key on."""
        with self._lock:
            outputs = self.classifier.other(at_s)
        return self._deliver(outputs)

    def poll(self, now_s: float) -> list[Typed]:
        """Call at :meth:`next_deadline`: returns held keys that turned out typed."""
        with self._lock:
            outputs = self.classifier.poll(now_s)
        return self._deliver(outputs)

    def next_deadline(self) -> float | None:
        """When to call :meth:`poll` next (seconds, same clock as the events), or None."""
        with self._lock:
            return self.classifier.next_deadline()
