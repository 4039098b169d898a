"""The scanner's serial port (pyserial) and the framing of what it receives.

:class:`ScannerLink` opens any pyserial URL with ``serial.serial_for_url`` — a device path
(``/dev/ttyACM0``, a udev ``by-id`` link), ``hwgrep://VID:PID``, ``socket://host:port``,
``loop://`` — at 8N1 without flow control, and turns the bytes into scans with
:class:`~.frames.ScanFramer` and :func:`~.frames.decode_scan`. A scanner is one-way: the link
never writes.

:meth:`ScannerLink.next_scan` waits at most ``timeout_s`` seconds and returns a
:class:`~.base.Scan`, None (nothing yet), or raises the next framing error; frames already
received stay queued for the next call, so one garbled frame never hides the scan after it.

Errors: :class:`~.errors.ScannerUnavailable` (open failed, or I/O failed: the port is then
closed), :class:`~.errors.ScanFrameError` and its leaves. Not thread-safe; the reader thread
owns its link.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

import serial

from kiosk.devices.scanner.base import Scan
from kiosk.devices.scanner.errors import ScanFrameError, ScannerUnavailable
from kiosk.devices.scanner.frames import (MAX_FRAME_BYTES, FramerConfig, ScanFramer, Suffix,
                                          decode_scan)
from kiosk.devices.scanner.symbology import AimMode

log = logging.getLogger(__name__)

try:  # pyserial's POSIX backend lets termios.error (not an OSError) escape on a vanished tty
    import termios
    TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError,
                                                         termios.error)
except ImportError:  # pragma: no cover - Windows
    TRANSPORT_ERRORS = (serial.SerialException, OSError)
#: What opening a URL can raise (ValueError: a malformed URL or setting).
OPEN_ERRORS: tuple[type[BaseException], ...] = (*TRANSPORT_ERRORS, ValueError)

SerialFactory = Callable[..., Any]
Clock = Callable[[], float]


@dataclass(frozen=True)
class LinkConfig:
    """Serial settings and framing. ``url`` is any pyserial URL; times in seconds."""

    url: str
    baudrate: int = 9600
    suffix: Suffix = Suffix.CR
    aim: AimMode = AimMode.AUTO
    inter_char_timeout_s: float = 0.05
    max_frame_bytes: int = MAX_FRAME_BYTES

    @property
    def framer(self) -> FramerConfig:
        return FramerConfig(self.suffix, self.inter_char_timeout_s, self.max_frame_bytes)

    def describe(self) -> str:
        """e.g. "serial /dev/ttyACM0 9600 Bd, suffix CR, AIM auto"."""
        return (f"serial {self.url} {self.baudrate} Bd, suffix {self.suffix.name}, "
                f"AIM {self.aim.value}")


class ScannerLink:
    """The port plus its framer. ``serial_factory`` defaults to ``serial.serial_for_url`` and
    receives ``(url, baudrate=…, bytesize=8, parity="N", stopbits=1, timeout=…)``; ``clock``
    (seconds) defaults to ``time.monotonic``."""

    def __init__(self, config: LinkConfig, serial_factory: SerialFactory = serial.serial_for_url,
                 clock: Clock = time.monotonic) -> None:
        self.config = config
        self._factory = serial_factory
        self._clock = clock
        self._port: Any = None
        self.framer = ScanFramer(config.framer)
        # while a frame is half received port.read() blocks at most this long, so silences are
        # measured to within it (idle, it waits up to the caller's deadline: _set_read_timeout)
        self._slice_s = min(max(config.inter_char_timeout_s / 2, 0.001), 0.05)
        self._read_timeout = self._slice_s   # what the open port's timeout is set to
        self._cancelled = False              # cancel_read() asked next_scan to return

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def open(self) -> None:
        """Open the port if closed (8N1, no flow control). Raises :class:`ScannerUnavailable`."""
        if self._port is not None:
            return
        try:
            self._port = self._factory(self.config.url, baudrate=self.config.baudrate,
                                       bytesize=8, parity="N", stopbits=1, timeout=self._slice_s)
        except OPEN_ERRORS as exc:
            raise ScannerUnavailable(self.config.url, str(exc)) from exc
        self._read_timeout = self._slice_s
        self.framer.reset()
        log.debug("scanner port opened: %s", self.config.describe())

    def close(self) -> None:
        port, self._port = self._port, None
        self._cancelled = False
        if port is not None:
            try:
                port.close()
            except TRANSPORT_ERRORS as exc:
                log.debug("closing the scanner port failed: %s", exc)

    def _next_queued(self) -> Scan | None:
        """Decode the next queued frame; raises its framing/decoding error."""
        item = self.framer.pop()
        if item is None:
            return None
        if isinstance(item, ScanFrameError):
            raise item
        scan = decode_scan(item, self.config.aim)
        log.debug("scan: %d bytes, %s, symbology %s", len(item), scan.encoding, scan.symbology)
        return scan

    def _set_read_timeout(self, port: Any, deadline: float) -> None:
        """How long the next ``port.read`` may block (seconds): the short slice while a frame
        is half received (its inter-character timeout is measured to within it), else up to
        ``deadline`` — an idle reader wakes once per call, not 40 times a second (issue 23:
        idle CPU). A byte arriving ends either wait at once. The port is reconfigured only
        when the value changes (pyserial applies it with tcsetattr)."""
        wait = self._slice_s
        if self.framer.next_deadline() is None:
            wait = max(self._slice_s, round(deadline - self._clock(), 2))
        if wait != self._read_timeout:
            port.timeout = wait
            self._read_timeout = wait

    def cancel_read(self) -> None:
        """From another thread: make the current (or next) :meth:`next_scan` return None now.
        pyserial's ``cancel_read`` (POSIX ports, ``loop://``) ends a blocked ``port.read`` at
        once; on a port without it (``socket://``) the read in progress finishes first (at
        most the caller's ``timeout_s``). A frame half received stays in the framer."""
        self._cancelled = True
        cancel = getattr(self._port, "cancel_read", None)
        if cancel is not None:
            try:
                cancel()
            except TRANSPORT_ERRORS as exc:
                log.debug("cancelling the scanner read failed: %s", exc)

    def next_scan(self, timeout_s: float) -> Scan | None:
        """The next scan within ``timeout_s`` seconds, or None.

        Raises:
            ScannerUnavailable: the port is closed or I/O failed (the port is then closed).
            ScanFrameError: the next frame is garbled, partial, too long, or lacks a required
                symbology identifier (its leaves).
        """
        if self._port is None:
            raise ScannerUnavailable(self.config.url, "port not open")
        deadline = self._clock() + timeout_s
        port = self._port
        while True:
            scan = self._next_queued()
            if scan is not None:
                return scan
            try:
                self._set_read_timeout(port, deadline)
                chunk = port.read(port.in_waiting or 1)
            except TRANSPORT_ERRORS as exc:
                self.close()
                raise ScannerUnavailable(self.config.url, str(exc) or type(exc).__name__) from exc
            now = self._clock()
            if chunk:
                self.framer.feed(chunk, now)
            self.framer.expire(now)
            scan = self._next_queued()
            if scan is not None:
                return scan
            if self._cancelled:
                self._cancelled = False
                return None
            if now >= deadline:
                return None
