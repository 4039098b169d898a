"""Pure codec of a serial barcode scanner: bytes ⇄ scans. No I/O, no clock of its own.

A serial (or USB-CDC) scanner sends each decoded code as one *frame*::

    [AIM identifier, e.g. "]Q1"] data [suffix]

* suffix (``[scanner] suffix``): ``cr`` 0D (the factory default of most engines), ``lf`` 0A,
  ``crlf`` 0D 0A, or ``none`` — then a silence longer than the inter-character timeout ends
  the frame;
* data: UTF-8, or GB18030 (GB 18030-2022) from scanners set to the Chinese code page; decoded
  UTF-8 first (strict), GB18030 second. ASCII is both. Anything else is a
  :class:`~.errors.ScanDecodeError`;
* lenience: empty frames are ignored; a CR or LF left at the start of a frame (a CRLF scanner on
  a CR/LF setting) is dropped, and so is a CR before the LF in ``lf`` mode.

:class:`ScanFramer` cuts a byte stream into frames. Times are passed in (seconds, any monotonic
clock), so the timing rules are tested without sleeping:

* with a suffix, a frame that stops arriving for more than ``inter_char_timeout_s`` is a
  :class:`~.errors.PartialScanError` (its bytes are dropped);
* without one, that silence ends the frame;
* more than ``max_frame_bytes`` without a suffix is a :class:`~.errors.ScanTooLongError`; the
  rest up to the next suffix (or silence) is skipped.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass

from kiosk.devices.scanner.base import Scan
from kiosk.devices.scanner.errors import (PartialScanError, ScanDecodeError, ScanFrameError,
                                          ScanTooLongError)
from kiosk.devices.scanner.symbology import AimMode, check_identifier, split_symbology

#: A QR Code holds at most 7089 digits (version 40-L, ISO/IEC 18004 Table 7); with the
#: identifier and the suffix that fits comfortably.
MAX_FRAME_BYTES = 8192

#: Control characters allowed in a scan: TAB, LF, CR, and the ISO/IEC 15434 / GS1 separators
#: EOT (04), GS (1D, FNC1 in GS1 element strings) and RS (1E).
ALLOWED_CONTROLS = frozenset("\t\n\r\x04\x1d\x1e")


class Suffix(enum.StrEnum):
    """``[scanner] suffix``: the terminator after each code."""

    CR = "cr"
    LF = "lf"
    CRLF = "crlf"
    NONE = "none"

    @property
    def terminator(self) -> bytes:
        """The bytes on the wire: 0D, 0A, 0D 0A, or b"" for NONE."""
        return {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "none": b""}[self.value]


def encode_scan(text: str, suffix: Suffix = Suffix.CR, aim: str | None = None,
                encoding: str = "utf-8") -> bytes:
    """The exact bytes a scanner sends for ``text``: identifier + data + suffix.

    Args:
        text: the code's data.
        suffix: the terminator.
        aim: an AIM identifier to prepend ("]Q1"), or None.
        encoding: "utf-8" or "gb18030".

    Raises:
        ValueError: a malformed identifier, an unknown encoding, or text the encoding cannot
            represent (``UnicodeEncodeError`` is a ValueError).
    """
    if encoding not in ("utf-8", "gb18030"):
        raise ValueError(f"encoding must be utf-8 or gb18030, not {encoding!r}")
    prefix = b"" if aim is None else check_identifier(aim).encode("ascii")
    return prefix + text.encode(encoding) + suffix.terminator


def _decode_text(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise ScanDecodeError("neither UTF-8 nor GB18030", len(raw),
                                  utf8_error.start) from utf8_error


def decode_scan(raw: bytes, aim: AimMode = AimMode.AUTO) -> Scan:
    """One frame (suffix removed) → :class:`~.base.Scan` with ``source="serial"``.

    Raises:
        ScanDecodeError: not UTF-8 nor GB18030, or a forbidden control character.
        SymbologyIdentifierError: see :func:`~.symbology.split_symbology`.
    """
    text, encoding = _decode_text(raw)
    for index, char in enumerate(text):
        if (char < " " or char == "\x7f") and char not in ALLOWED_CONTROLS:
            raise ScanDecodeError(f"control character U+{ord(char):04X} at {index}", len(raw),
                                  index)
    symbology, data = split_symbology(text, aim, len(raw))
    return Scan(text=data, symbology=symbology, source="serial", encoding=encoding)


@dataclass(frozen=True)
class FramerConfig:
    """Framing rules: the suffix, the inter-character timeout (seconds) and the size limit."""

    suffix: Suffix = Suffix.CR
    inter_char_timeout_s: float = 0.05
    max_frame_bytes: int = MAX_FRAME_BYTES


FrameItem = bytes | ScanFrameError


class ScanFramer:
    """Bytes in (with the time they arrived), frames or framing errors out, in order.

    ``feed(data, now)`` then ``expire(now)`` whenever time passes (the link calls it after each
    read slice); ``pop()`` returns the next complete frame (``bytes``, suffix removed), a
    :class:`~.errors.ScanFrameError` to report, or None.
    """

    def __init__(self, config: FramerConfig) -> None:
        self.config = config
        self._buffer = bytearray()
        self._last_byte_at = 0.0
        self._skipping = False
        self._out: deque[FrameItem] = deque()

    @property
    def buffered(self) -> int:
        """Bytes of an unfinished frame."""
        return len(self._buffer)

    def reset(self) -> None:
        """Forget the unfinished frame and pending output (after reopening the port)."""
        self._buffer.clear()
        self._skipping = False
        self._out.clear()

    def _emit(self, frame: bytes) -> None:
        if self.config.suffix is Suffix.LF and frame.endswith(b"\r"):
            frame = frame[:-1]
        if self._skipping:
            self._skipping = False
            return
        frame = frame.lstrip(b"\r\n")
        if frame:
            self._out.append(frame)

    def feed(self, data: bytes, now: float) -> None:
        """Add bytes received at ``now`` (seconds)."""
        if not data:
            return
        self.expire(now)
        self._last_byte_at = now
        terminator = self.config.suffix.terminator
        self._buffer += data
        if terminator:
            while True:
                end = self._buffer.find(terminator)
                if end < 0:
                    break
                frame = bytes(self._buffer[:end])
                del self._buffer[:end + len(terminator)]
                self._emit(frame)
        limit = self.config.max_frame_bytes
        if len(self._buffer) > limit:
            if not self._skipping:
                self._out.append(ScanTooLongError(len(self._buffer), limit))
            self._skipping = True
            # keep a possible half terminator (CR of CRLF) at the end
            keep = len(terminator) - 1
            del self._buffer[:len(self._buffer) - keep]

    def expire(self, now: float) -> None:
        """Apply the inter-character timeout at ``now``: end a suffix-less frame, or report a
        frame whose suffix never came."""
        if not self._buffer and not self._skipping:
            return
        gap = now - self._last_byte_at
        if gap <= self.config.inter_char_timeout_s:
            return
        frame = bytes(self._buffer)
        self._buffer.clear()
        if self.config.suffix is Suffix.NONE:
            self._emit(frame)
            return
        if self._skipping:
            self._skipping = False
            return
        if frame.strip(b"\r\n"):
            self._out.append(PartialScanError(len(frame), gap))

    def pop(self) -> FrameItem | None:
        """The next frame or framing error, or None."""
        return self._out.popleft() if self._out else None

    def next_deadline(self) -> float | None:
        """When :meth:`expire` will next act (seconds), or None with nothing buffered."""
        if not self._buffer and not self._skipping:
            return None
        return self._last_byte_at + self.config.inter_char_timeout_s
