"""Typed errors of the slip service (one root, :class:`SlipError`)."""

from __future__ import annotations


class SlipError(Exception):
    """Root of slip layout/encoding errors."""


class ReferralFormatError(SlipError, ValueError):
    """The referral JSON is wrong. ``field`` is a dotted path such as "vacancy.title"."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"referral {field or '<root>'}: {reason}" if field else
                         f"referral: {reason}")


class UnprintableTextError(SlipError):
    """Text reached the encoder with a character outside the GB18030 2-byte area.

    ``position`` is the index in the line; the character itself is not stored (it may be
    part of a name).
    """

    def __init__(self, position: int, codepoint: int) -> None:
        self.position = position
        self.codepoint = codepoint
        super().__init__(f"U+{codepoint:04X} at {position} needs a 4-byte GB18030 code")


class QrTooLargeError(SlipError):
    """The QR code of ``payload_bytes`` needs ``modules`` modules (ISO/IEC 18004 version
    ``version``, quiet zone included) that at ``module_dots`` do not fit ``paper_dots``."""

    def __init__(self, payload_bytes: int, version: int, modules: int, module_dots: int,
                 paper_dots: int) -> None:
        self.payload_bytes = payload_bytes
        self.version = version
        super().__init__(f"QR code of {payload_bytes} bytes (version {version}, {modules} "
                         f"modules × {module_dots} dots) is wider than the paper ({paper_dots} "
                         "dots); shorten the URL")
