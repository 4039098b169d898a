"""Typed errors of the barcode-scanner driver (one root, :class:`ScannerError`).

Leaves carry data (lengths, offsets, timeouts, the URL), never the scanned text: a code may be a
personal token. Each class has ``message_zh``, the sentence a screen shows (Chinese first; the
English ``str()`` is for technicians and logs).
"""

from __future__ import annotations


class ScannerError(Exception):
    """Root of every error raised by :mod:`kiosk.devices.scanner`."""

    message_zh = "扫码器故障，请使用身份证或联系工作人员"


class ScannerUnavailable(ScannerError):
    """The port cannot be opened, or the device disappeared (unplugged, no permission).

    Attributes: ``url`` (the pyserial URL) and ``reason``.
    """

    message_zh = "扫码器未连接，请使用身份证或联系工作人员"

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"scanner at {url} unavailable: {reason}")


class ScannerNotConfigured(ScannerError):
    """A one-shot read was asked of a kiosk without a scanner (``mode = "none"``, or
    ``enabled = false``), or of the keyboard wedge (its keys come through the UI)."""

    message_zh = "本机未配置扫码器，请使用身份证"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"no scanner to read from: {reason}")


class ScannerBusy(ScannerError):
    """:meth:`SerialScanner.read_once` was called while the reader thread owns the port."""


class ScannerTimeout(ScannerError):
    """No scan within ``timeout_s`` seconds (:meth:`SerialScanner.read_once`)."""

    message_zh = "未扫描到条码"

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        super().__init__(f"no scan within {timeout_s:.3f} s")


class ScanFrameError(ScannerError):
    """A frame on the wire is not a usable scan (garbled, cut short, too long, bad identifier).

    Attributes: ``reason`` (words) and ``length`` (bytes received, suffix excluded).
    """

    message_zh = "未能识别，请重新扫描"

    def __init__(self, reason: str, length: int) -> None:
        self.reason = reason
        self.length = length
        super().__init__(f"bad scan ({length} bytes): {reason}")


class ScanDecodeError(ScanFrameError):
    """The bytes are neither UTF-8 nor GB18030 (GB 18030-2022), or hold a control character
    other than TAB, LF, CR, EOT, GS, RS (the separators of ISO/IEC 15434 and GS1 data).

    ``offset`` is the index of the first offending byte (UTF-8 view) or character.
    """

    def __init__(self, reason: str, length: int, offset: int) -> None:
        self.offset = offset
        super().__init__(reason, length)


class PartialScanError(ScanFrameError):
    """Bytes arrived but the suffix did not: the line went quiet for ``gap_s`` seconds (more
    than the inter-character timeout) in mid-frame. The bytes are discarded."""

    def __init__(self, length: int, gap_s: float) -> None:
        self.gap_s = gap_s
        super().__init__(f"no suffix after {gap_s * 1000:.0f} ms of silence (partial read)", length)


class ScanTooLongError(ScanFrameError):
    """More than ``limit`` bytes without a suffix; the driver skips to the next suffix."""

    def __init__(self, length: int, limit: int) -> None:
        self.limit = limit
        super().__init__(f"longer than {limit} bytes without a suffix", length)


class SymbologyIdentifierError(ScanFrameError):
    """``aim_prefix = "on"`` and the frame does not start with a valid AIM symbology identifier
    (``]`` + a code character of ISO/IEC 15424 + modifier), or nothing follows it."""
