"""ESC/POS receipt printer: command bytes, real-time status, connectors, preview, worker.

See ``docs/printing.md``. Nothing here knows about referrals; the slip service
(:mod:`kiosk.services.slip`) lays out and encodes slips and drives this package.
"""

from typing import TYPE_CHECKING, Any

from kiosk.devices.printer.connectors import (Connector, FileConnector, NetworkConnector,
                                              SerialConnector, UsbConnector)
from kiosk.devices.printer.device import JobReport, PrinterDevice, check_ready, query_status
from kiosk.devices.printer.errors import (CoverOpen, PaperEnd, PreviewRenderError, PrinterBusy,
                                          PrinterConnectionError, PrinterError, PrinterFault,
                                          PrinterNotAnswering, PrinterOffline, PrinterTimeout)
from kiosk.devices.printer.preview import PREVIEW_STATES, PreviewConnector
from kiosk.devices.printer.profile import PaperProfile, paper_profile
from kiosk.devices.printer.status import PrinterStatus, parse_status
from kiosk.devices.printer.worker import PrinterWorker

if TYPE_CHECKING:
    from kiosk.devices.printer.render import render_escpos


def __getattr__(name: str) -> Any:
    """``render_escpos`` on first use (PEP 562): it imports Pillow, which neither the start-up
    path nor a real printer needs (issue 23)."""
    if name == "render_escpos":
        from kiosk.devices.printer.render import render_escpos

        return render_escpos
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Connector", "FileConnector", "NetworkConnector", "SerialConnector", "UsbConnector",
    "JobReport", "PrinterDevice", "check_ready", "query_status",
    "CoverOpen", "PaperEnd", "PreviewRenderError", "PrinterBusy", "PrinterConnectionError",
    "PrinterError", "PrinterFault", "PrinterNotAnswering", "PrinterOffline", "PrinterTimeout",
    "PREVIEW_STATES", "PreviewConnector", "PaperProfile", "paper_profile", "render_escpos",
    "PrinterStatus", "parse_status", "PrinterWorker",
]
