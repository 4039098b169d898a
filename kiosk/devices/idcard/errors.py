"""Typed errors of the ID-card reader (one root, :class:`CardReaderError`).

Messages and attributes never carry personal data: a frame error keeps at most the 10-byte
frame header (preamble, length, SW1–SW3 or CMD/Para), never the 256-byte text block.
"""

from __future__ import annotations

from kiosk.domain.identity_card import CardDataError as IdentityDataError

WAIT_FOR_CARD = "wait for card"  # ReaderTimeout.command of CardReader.read_once


class CardReaderError(Exception):
    """Root of every error raised by :mod:`kiosk.devices.idcard`."""


class FrameError(CardReaderError):
    """A frame on the wire is malformed (GA 467 framing, ``idcard-protocol.md`` §1).

    Attributes:
        reason: what is wrong, in words.
        header: up to the first 10 bytes of the offending frame (no payload).
    """

    def __init__(self, reason: str, header: bytes = b"") -> None:
        self.reason = reason
        self.header = bytes(header[:10])
        suffix = f" (header {self.header.hex(' ')})" if self.header else ""
        super().__init__(f"bad frame: {reason}{suffix}")


class ChecksumError(FrameError):
    """The XOR checksum (bytes 5 … n-2) does not match the last byte of the frame."""

    def __init__(self, expected: int, actual: int, header: bytes = b"") -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(f"checksum {actual:#04x}, computed {expected:#04x}", header)


class FrameLengthError(FrameError):
    """The length field is outside what GA 467 allows for this direction."""

    def __init__(self, length: int, minimum: int, maximum: int, header: bytes = b"") -> None:
        self.length = length
        super().__init__(f"length field {length} outside {minimum}..{maximum}", header)


class TruncatedFrameError(FrameError):
    """A reply stopped arriving mid-frame for longer than the inter-byte timeout."""

    def __init__(self, received: int, expected: int | None, gap_s: float) -> None:
        self.received = received
        self.expected = expected
        self.gap_s = gap_s
        want = "?" if expected is None else str(expected)
        super().__init__(f"reply stopped after {received} of {want} bytes "
                         f"(no byte for {gap_s * 1000:.0f} ms)")


class PayloadError(FrameError):
    """A reply's data part does not have the layout its command promises (e.g. TL/PL of 30 01)."""


class ReaderTimeout(CardReaderError):
    """No reply (or no card, for :meth:`CardReader.read_once`) within the time allowed.

    Attributes: ``command`` (e.g. "20 01", or "wait for card"), ``timeout_s`` (seconds).
    """

    def __init__(self, command: str, timeout_s: float) -> None:
        self.command = command
        self.timeout_s = timeout_s
        what = "no card placed" if command == WAIT_FOR_CARD else f"no reply to {command}"
        super().__init__(f"{what} within {timeout_s:.3f} s")


class SamError(CardReaderError):
    """The SAM answered with a status (SW3) other than the one the command expects.

    Attributes:
        command: "CMD Para" in hex, e.g. "30 01".
        status: the SW3 byte (``frames.Status`` value when known).
        sw1, sw2: forwarded card status words, kept for diagnostics (§1.3).
        description: the meaning of ``status`` from ``idcard-protocol.md`` §2.
    """

    def __init__(self, command: str, status: int, sw1: int = 0, sw2: int = 0,
                 description: str = "") -> None:
        self.command = command
        self.status = status
        self.sw1 = sw1
        self.sw2 = sw2
        self.description = description
        super().__init__(f"SAM status {status:#04x} for {command}: {description} "
                         f"(SW1 SW2 = {sw1:02X} {sw2:02X})")


class ReaderUnavailable(CardReaderError):
    """The serial port cannot be opened, or the device disappeared (unplugged, no permission)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"ID-card reader at {url} unavailable: {reason}")


class ReaderBusy(CardReaderError):
    """A one-shot operation was asked for while the polling thread owns the reader."""


class CardDataError(CardReaderError, IdentityDataError):
    """The 256-byte text block read from the SAM has a field that cannot be decoded.

    Attributes: ``field`` (e.g. "birth_date") and ``reason``; the value itself is not kept.
    A scripted card's JSON raises the domain's ``kiosk.domain.identity_card.CardDataError``
    (this class's base): catch that one to handle both.
    """

    def __init__(self, field: str, reason: str) -> None:
        IdentityDataError.__init__(self, field, reason)


class PhotoDecodeError(CardReaderError):
    """The vendor's WLT decoder hook failed (it raises this, or the reader wraps its OSError)."""
