"""Typed errors of the receipt-printer driver (one root, :class:`PrinterError`).

Every leaf carries the data a screen or a technician needs (connector name, status, detail);
the original exception (pyusb, pyserial, socket, OSError) is chained with ``raise … from``.
Messages never contain personal data: the driver only sees encoded job bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.devices.printer.status import PrinterStatus


class PrinterError(Exception):
    """Root of all printer errors. ``connector`` names the configured connector ("usb", …)."""

    message_zh = "打印机故障，请联系工作人员"

    def __init__(self, detail: str, connector: str = "") -> None:
        self.detail = detail
        self.connector = connector
        prefix = f"[{connector}] " if connector else ""
        super().__init__(prefix + detail)


class PrinterConnectionError(PrinterError):
    """The device cannot be opened or a transfer failed (not found, access denied, unplugged)."""

    message_zh = "打印机未连接，请联系工作人员"


class PrinterOffline(PrinterError):
    """The printer answered and reports itself offline (DLE EOT 1 bit 3) without a known cause."""

    message_zh = "打印机暂停工作，请联系工作人员"

    def __init__(self, detail: str, connector: str = "",
                 status: PrinterStatus | None = None) -> None:
        super().__init__(detail, connector)
        self.status = status


class PrinterNotAnswering(PrinterOffline):
    """A bidirectional connector got no valid reply to DLE EOT: state unknown, job refused."""

    message_zh = "打印机无响应，请联系工作人员"


class PaperEnd(PrinterOffline):
    """Roll paper end (DLE EOT 4 bits 5-6, or DLE EOT 2 bit 5): job refused."""

    message_zh = "打印纸已用完，请联系工作人员更换"


class CoverOpen(PrinterOffline):
    """Printer cover open (DLE EOT 2 bit 2): job refused."""

    message_zh = "打印机盖未合上，请联系工作人员"


class PrinterFault(PrinterOffline):
    """An error occurred (DLE EOT 2 bit 6): cutter jam, overheat or unrecoverable error."""

    message_zh = "打印机故障（切刀或过热），请联系工作人员"


class PrinterTimeout(PrinterError):
    """A job or a transfer did not finish within its time limit (``timeout_s``, seconds)."""

    message_zh = "打印超时，请联系工作人员"

    def __init__(self, detail: str, connector: str = "", timeout_s: float = 0.0) -> None:
        super().__init__(detail, connector)
        self.timeout_s = timeout_s


class PrinterBusy(PrinterError):
    """An earlier job is still stuck on the worker; new jobs are refused until it ends."""

    message_zh = "打印机忙，请稍后再试"


class PreviewRenderError(PrinterError):
    """The preview PNG could not be drawn (no CJK font found by fontconfig, bad raster data)."""
