"""The serial scanner: scans read on its own thread, with events, and reopened after unplug.

After :meth:`SerialScanner.start` a daemon thread ("scanner-reader") owns the
:class:`~.link.ScannerLink` and calls the listeners **on that thread**:

* ``on_status(state)`` — CONNECTING → READY; DISCONNECTED when the port fails or vanishes;
* ``on_scan(scan)`` — one per frame, in the order scanned;
* ``on_error(exc)`` — every bad frame (:class:`~.errors.ScanFrameError`: garbled, partial, too
  long, missing identifier) is reported; a port that stays unavailable is reported once until
  it has opened again.

Unplugging: any I/O failure closes the port, the state becomes DISCONNECTED, and the thread
tries the URL again every ``reopen_interval_s`` seconds; when it opens, READY again. A frame cut
by the unplug is dropped (the framer is reset on reopen).

:meth:`SerialScanner.read_once` is the blocking one-shot read of ``kiosk scanner read`` (not
while the thread runs).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from collections.abc import Callable

import serial

from kiosk.devices.scanner.base import Scan, ScannerListener, ScannerMode, ScannerState
from kiosk.devices.scanner.errors import (ScanFrameError, ScannerBusy, ScannerError,
                                          ScannerTimeout, ScannerUnavailable)
from kiosk.devices.scanner.link import Clock, LinkConfig, ScannerLink, SerialFactory
from kiosk.devices.scanner.listeners import ListenerSet

log = logging.getLogger(__name__)

#: How long one read call of the thread waits (seconds) when nothing arrives. stop() cancels
#: the read (:meth:`ScannerLink.cancel_read`), so this bounds stop() only on ports without
#: pyserial's cancel_read; idle, the thread wakes twice a second (issue 23: idle CPU).
READ_SLICE_S = 0.5


@dataclass(frozen=True)
class SerialScannerConfig(LinkConfig):
    """:class:`~.link.LinkConfig` plus ``reopen_interval_s`` (seconds between reopen tries)."""

    reopen_interval_s: float = 1.0


class SerialScanner:
    """A scanner on a pyserial URL; implements :class:`~.base.BarcodeScanner`. Thread-safe."""

    def __init__(self, config: SerialScannerConfig, *,
                 serial_factory: SerialFactory = serial.serial_for_url,
                 clock: Clock = time.monotonic,
                 on_close: tuple[Callable[[], None], ...] = ()) -> None:
        self.config = config
        self.link = ScannerLink(config, serial_factory, clock)
        self.simulator: object | None = None  # the demo simulator, set by the factory
        self._clock = clock
        self._on_close = on_close
        self._events = ListenerSet()
        self._io = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unavailable_reported = False

    # -- the port -----------------------------------------------------------------------------
    @property
    def mode(self) -> ScannerMode:
        return ScannerMode.SERIAL

    @property
    def state(self) -> ScannerState:
        return self._events.state

    def describe(self) -> str:
        """e.g. "serial /dev/ttyACM0 9600 Bd, suffix CR, AIM auto" ("simulator" for the demo's)."""
        text = self.config.describe()
        return text.replace(self.config.url, "simulator") if self.simulator is not None else text

    def add_listener(self, listener: ScannerListener) -> None:
        self._events.add(listener)

    def remove_listener(self, listener: ScannerListener) -> None:
        self._events.remove(listener)

    # -- the thread ---------------------------------------------------------------------------
    def _report(self, exc: ScannerError) -> None:
        if isinstance(exc, ScannerUnavailable):
            if self._unavailable_reported:
                return
            self._unavailable_reported = True
        log.warning("scanner: %s", exc)
        self._events.emit_error(exc)

    def _step(self) -> float:
        """One iteration with the I/O lock held; returns how long to wait before the next."""
        if not self.link.is_open:
            try:
                self.link.open()
            except ScannerUnavailable as exc:
                self._events.set_state(ScannerState.DISCONNECTED)
                self._report(exc)
                return self.config.reopen_interval_s
            self._unavailable_reported = False
            self._events.set_state(ScannerState.READY)
            return 0.0
        try:
            scan = self.link.next_scan(READ_SLICE_S)
        except ScannerUnavailable as exc:
            self.link.close()
            self._events.set_state(ScannerState.DISCONNECTED)
            self._report(exc)
            return self.config.reopen_interval_s
        except ScanFrameError as exc:
            self._report(exc)
            return 0.0
        if scan is not None:
            self._events.emit_scan(scan)
        return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._io:
                wait = self._step()
            if wait:
                self._stop.wait(wait)

    def start(self) -> None:
        """Start the reader thread (idempotent). Events follow on that thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._events.set_state(ScannerState.CONNECTING)
        self._thread = threading.Thread(target=self._run, name="scanner-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and close the port (the read in progress is cancelled: returns within
        milliseconds; at most one read slice on a port that cannot cancel)."""
        self._stop.set()
        self.link.cancel_read()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=READ_SLICE_S + 2)
            self._thread = None
        with self._io:
            self.link.close()
        self._events.set_state(ScannerState.STOPPED)

    def close(self) -> None:
        """:meth:`stop`, then release what the factory attached (the demo simulator)."""
        self.stop()
        for hook in self._on_close:
            hook()

    def __enter__(self) -> SerialScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one-shot use (CLI, doctor) -----------------------------------------------------------
    def _ensure_idle(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise ScannerBusy("the reader thread owns the scanner; stop() it first")

    def read_once(self, timeout_s: float) -> Scan:
        """Open the port, wait up to ``timeout_s`` seconds for one scan, return it (blocking;
        not for the UI thread). The port stays open until :meth:`close`.

        Raises:
            ScannerBusy: the reader thread is running.
            ScannerUnavailable: the port cannot be opened or failed.
            ScannerTimeout: no scan within ``timeout_s``.
            ScanFrameError: the frame that arrived is not a usable scan (its leaves).
        """
        self._ensure_idle()
        deadline = self._clock() + timeout_s
        with self._io:
            self.link.open()
            while True:
                left = deadline - self._clock()
                if left <= 0:
                    raise ScannerTimeout(timeout_s)
                scan = self.link.next_scan(min(left, READ_SLICE_S))
                if scan is not None:
                    return scan

    def probe(self) -> None:
        """Open and close the port (doctor): a scanner answers nothing, so this is all there is
        to test. Raises :class:`ScannerBusy` or :class:`ScannerUnavailable`."""
        self._ensure_idle()
        with self._io:
            self.link.open()
            self.link.close()
