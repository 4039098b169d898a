"""The receipt printer's port: what the slip service uses of a printer device.

:class:`PrinterPort` is implemented by :class:`kiosk.devices.printer.device.PrinterDevice`
over any :class:`~kiosk.devices.printer.connectors.Connector` (USB, serial, network, the
preview file). Both calls block for up to the connector's timeouts: call them only from the
printer worker thread (:mod:`kiosk.devices.printer.worker`), never from the UI. Errors are
:class:`~kiosk.devices.printer.errors.PrinterError` subclasses carrying ``message_zh``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.devices.printer.device import JobReport
    from kiosk.devices.printer.status import PrinterStatus


class PrinterPort(Protocol):
    @property
    def name(self) -> str:
        """The connector's name for logs and the technician view (no personal data)."""

    def status(self) -> PrinterStatus:
        """Real-time status (DLE EOT 1–4).

        Raises:
            PrinterNotAnswering, PrinterConnectionError."""

    def print_job(self, job: bytes) -> JobReport:
        """Check ready, send ``job`` (ESC/POS bytes), confirm it was taken.

        Raises:
            PaperEnd, CoverOpen, PrinterOffline, PrinterFault, PrinterNotAnswering,
            PrinterConnectionError."""
