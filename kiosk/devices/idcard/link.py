"""One request/reply exchange with a GA 467 reader over pyserial, with its timeouts.

:class:`SerialLink` owns the port (opened by ``serial.serial_for_url``: a device path,
``hwgrep://VID:PID``, ``socket://host:port``, ``loop://``) and performs
:meth:`SerialLink.transact`: flush stale input, write the request, collect bytes until one
checksum-verified reply frame is complete.

Timeouts (seconds):
* per command: ``command_timeout_s`` (the SAM's processing budget) plus the wire time of the
  request and of the largest reply that command can get at the configured baud rate (8N1,
  10 bits per byte) — 30 01 at 9600 Bd thus gets 1.36 s more than 20 01 (§6.1, §6.2);
* inter-byte: once a frame has started, a gap longer than ``inter_byte_timeout_s`` ends the wait
  with :class:`TruncatedFrameError`.

Errors: :class:`ReaderUnavailable` (port cannot be opened, or I/O failed: the port is closed and
must be reopened), :class:`ReaderTimeout`, :class:`FrameError` and its leaves. Not thread-safe;
:class:`~kiosk.devices.idcard.reader.CardReader` serialises access.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

import serial

from kiosk.devices.idcard.errors import ReaderTimeout, ReaderUnavailable, TruncatedFrameError
from kiosk.devices.idcard.frames import Command, FrameDecoder, Reply, build_request

log = logging.getLogger(__name__)

# Largest reply each command can get (bytes on the wire, §3.1); anything else: 11.
REPLY_SIZES = {Command.READ_SAM_ID: 27, Command.FIND_CARD: 15, Command.SELECT_CARD: 19,
               Command.READ_TEXT_PHOTO: 1295, Command.READ_APPENDED_ADDRESS: 81,
               Command.READ_TEXT_PHOTO_FINGERPRINT: 2321}
REQUEST_SIZE = 10

try:  # pyserial's POSIX backend lets termios.error (not an OSError) escape on a vanished tty
    import termios
    TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError,
                                                         termios.error)
except ImportError:  # Windows
    TRANSPORT_ERRORS = (serial.SerialException, OSError)
#: what opening a port may raise (a malformed pyserial URL is a ValueError)
OPEN_ERRORS: tuple[type[BaseException], ...] = (*TRANSPORT_ERRORS, ValueError)


@dataclass(frozen=True)
class LinkConfig:
    """Serial settings. ``url`` is any pyserial URL; times are in seconds."""

    url: str
    baudrate: int = 115200
    command_timeout_s: float = 2.0
    inter_byte_timeout_s: float = 0.05

    def wire_time_s(self, n_bytes: int) -> float:
        """Seconds ``n_bytes`` take on the wire at 8N1 (10 bits per byte)."""
        return n_bytes * 10 / self.baudrate

    def timeout_for(self, command: Command) -> float:
        """Whole-reply timeout for ``command`` in seconds (see module docstring)."""
        return self.command_timeout_s + self.wire_time_s(REQUEST_SIZE + REPLY_SIZES.get(command, 11))


SerialFactory = Callable[..., Any]


class SerialLink:
    """The port and the exchange of one frame pair. ``serial_factory`` defaults to
    ``serial.serial_for_url`` and receives ``(url, baudrate=…, timeout=…, write_timeout=…)``."""

    def __init__(self, config: LinkConfig,
                 serial_factory: SerialFactory = serial.serial_for_url) -> None:
        self.config = config
        self._factory = serial_factory
        self._port: Any = None
        self._decoder = FrameDecoder("reply")
        # port.read() blocks at most this long, so gaps are measured to within half a timeout
        self._slice_s = max(config.inter_byte_timeout_s / 2, 0.001)

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def open(self) -> None:
        """Open the port if closed (8N1, no flow control). Raises :class:`ReaderUnavailable`."""
        if self._port is not None:
            return
        try:
            self._port = self._factory(self.config.url, baudrate=self.config.baudrate,
                                       bytesize=8, parity="N", stopbits=1,
                                       timeout=self._slice_s,
                                       write_timeout=self.config.command_timeout_s)
        except OPEN_ERRORS as exc:
            raise ReaderUnavailable(self.config.url, str(exc)) from exc
        log.debug("ID-card reader port opened: %s at %d Bd", self.config.url, self.config.baudrate)

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except TRANSPORT_ERRORS as exc:
                log.debug("closing the reader port failed: %s", exc)

    def transact(self, command: Command, data: bytes = b"", timeout_s: float | None = None) -> Reply:
        """Send ``command`` and return its checksum-verified reply (SW3 not yet judged).

        Raises:
            ReaderUnavailable: the port is closed or I/O failed (the port is then closed).
            ReaderTimeout: no frame started within ``timeout_s`` (default :meth:`LinkConfig.timeout_for`).
            TruncatedFrameError: a frame started but stalled beyond the inter-byte timeout.
            FrameError: the reply failed its length or checksum test.
        """
        if self._port is None:
            raise ReaderUnavailable(self.config.url, "port not open")
        timeout = self.config.timeout_for(command) if timeout_s is None else timeout_s
        gap_limit = self.config.inter_byte_timeout_s
        decoder = self._decoder
        port = self._port
        try:
            port.reset_input_buffer()
            decoder.reset()
            port.write(build_request(command, data))
            start = last_byte = time.monotonic()
            while True:
                frame = decoder.next_frame()
                if frame is not None:
                    return frame  # type: ignore[return-value]
                now = time.monotonic()
                if decoder.in_frame and now - last_byte > gap_limit:
                    raise TruncatedFrameError(decoder.buffered, decoder.expected_size, now - last_byte)
                if now - start > timeout:
                    if decoder.in_frame:
                        raise TruncatedFrameError(decoder.buffered, decoder.expected_size,
                                                  now - last_byte)
                    raise ReaderTimeout(command.label, timeout)
                chunk = port.read(port.in_waiting or 1)
                if chunk:
                    last_byte = time.monotonic()
                    decoder.feed(chunk)
        except TRANSPORT_ERRORS as exc:
            self.close()
            raise ReaderUnavailable(self.config.url, str(exc)) from exc
