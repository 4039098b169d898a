"""Printing referral slips: layout + encode + the printer worker, behind one object for the UI.

Usage from a screen (never blocks the UI thread)::

    printer = build_printer(settings)
    printer.submit(referral, on_done=lambda result, error: ...)   # called on the worker thread

or ``future = printer.submit(referral)`` and poll ``future.done()`` from a Kivy clock. The
blocking :meth:`ReceiptPrinter.print_slip` is for the CLI and tests.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable

from kiosk.devices.printer.device import JobReport, PrinterDevice
from kiosk.devices.printer.errors import PrinterError, PrinterTimeout
from kiosk.devices.printer.factory import build_connector, profile_from_settings
from kiosk.devices.printer.profile import PaperProfile
from kiosk.devices.printer.status import PrinterStatus
from kiosk.devices.printer.worker import PrinterWorker
from kiosk.paths import data_dir
from kiosk.services.slip.encode import encode_slip
from kiosk.services.slip.layout import SlipLayout, layout_slip
from kiosk.services.slip.referral import Referral
from kiosk.settings import Settings

log = logging.getLogger(__name__)

#: Extra seconds a blocking caller waits beyond the worker's own job timeout.
WAIT_MARGIN_S = 1.0


@dataclass(frozen=True)
class PrintResult:
    """A slip that was sent.

    Attributes:
        referral_id: the referral printed.
        bytes_sent: job size in bytes.
        seconds: wall time of status check + write, in seconds.
        status: the status read before printing (``unknown`` on write-only connectors).
        warnings_zh: Chinese warnings to show (paper near end, status unknown).
        preview_files: ``.bin`` and ``.png`` written by the preview printer; () otherwise.
        substituted: characters printed as "〓".
    """

    referral_id: str
    bytes_sent: int
    seconds: float
    status: PrinterStatus
    warnings_zh: tuple[str, ...] = ()
    preview_files: tuple[Path, ...] = ()
    substituted: int = 0

    @property
    def preview_png(self) -> Path | None:
        return next((p for p in self.preview_files if p.suffix == ".png"), None)


class ReceiptPrinter:
    """The kiosk's slip printer: one worker thread, a per-job timeout, typed errors.

    Args:
        device: the printer behind its connector.
        profile: paper profile used for layout and encoding.
        job_timeout_s: seconds a job (status + write) may take.
    """

    def __init__(self, device: PrinterDevice, profile: PaperProfile,
                 job_timeout_s: float = 20.0) -> None:
        self.device = device
        self.profile = profile
        self.job_timeout_s = job_timeout_s
        self._worker = PrinterWorker(job_timeout_s, on_timeout=device.connector.abort)

    @property
    def connector(self):
        """The connector (a PreviewConnector offers ``set_state`` to simulate states)."""
        return self.device.connector

    def status_async(self) -> Future[PrinterStatus]:
        """Real-time status on the worker; the future may fail with PrinterError."""
        return self._worker.submit(self.device.status)

    def status(self) -> PrinterStatus:
        """Blocking status (CLI, maintenance screen off the UI thread).

        Raises:
            PrinterConnectionError: cannot open the link. PrinterTimeout, PrinterBusy.
        """
        return self._wait(self.status_async())

    def submit(self, referral: Referral,
               on_done: Callable[[PrintResult | None, Exception | None], None] | None = None,
               ) -> Future[PrintResult]:
        """Lay out, encode and print ``referral`` on the worker.

        ``on_done(result, error)`` runs on the worker thread (schedule UI work with Kivy's
        ``Clock.schedule_once``); exactly one of the two is None. ``error`` is a PrinterError
        subclass (PaperEnd, CoverOpen, PrinterNotAnswering, PrinterTimeout, …) or a SlipError.
        """
        return self._submit(lambda: self._print(referral), on_done)

    def submit_layout(self, layout: SlipLayout, slip_id: str,
                      on_done: Callable[[PrintResult | None, Exception | None], None] | None = None,
                      ) -> Future[PrintResult]:
        """Encode and print an already laid-out slip (the 招聘会报到码, a résumé …) on the worker,
        as :meth:`submit`. ``slip_id`` names it in the result and the log (no personal data)."""
        return self._submit(lambda: self._print_layout(layout, slip_id), on_done)

    def _submit(self, job: Callable[[], PrintResult],
                on_done: Callable[[PrintResult | None, Exception | None], None] | None,
                ) -> Future[PrintResult]:
        future = self._worker.submit(job)
        if on_done is not None:
            def report(f: Future[PrintResult]) -> None:
                exc = f.exception()
                on_done(None if exc else f.result(), exc if isinstance(exc, Exception) else None)

            future.add_done_callback(report)
        return future

    def print_slip(self, referral: Referral) -> PrintResult:
        """Blocking :meth:`submit`. Raises the job's PrinterError / SlipError."""
        return self._wait(self.submit(referral))

    def print_bytes(self, job: bytes) -> JobReport:
        """Send ready-made job bytes (e.g. a test page) through the worker, blocking."""
        return self._wait(self._worker.submit(lambda: self.device.print_job(job)))

    def close(self) -> None:
        self._worker.close()

    def _wait(self, future: Future):
        try:
            return future.result(timeout=self.job_timeout_s + WAIT_MARGIN_S)
        except FutureTimeout as exc:
            raise PrinterTimeout("no answer from the printer worker", self.device.name,
                                 self.job_timeout_s) from exc

    def _print(self, referral: Referral) -> PrintResult:
        return self._print_layout(layout_slip(referral, self.profile), referral.referral_id)

    def _print_layout(self, layout: SlipLayout, slip_id: str) -> PrintResult:
        job = encode_slip(layout, self.profile)
        try:
            report = self.device.print_job(job)
        except PrinterError as exc:
            # str(exc), not the object: a kept log record would hold the session alive
            log.warning("slip %s not printed: %s", slip_id, str(exc))
            raise
        return PrintResult(slip_id, report.bytes_sent, report.seconds,
                           report.status, report.warnings_zh, report.outputs,
                           layout.substituted)


def build_printer(settings: Settings) -> ReceiptPrinter:
    """The configured :class:`ReceiptPrinter` from ``[printer]`` (preview output goes to
    ``preview_dir`` or ``<data_dir>/slips``).

    Raises:
        ConfigError: an impossible column count for the paper.
    """
    cfg = settings.printer
    profile = profile_from_settings(cfg)
    preview_dir = settings.resolve(cfg.preview_dir) if cfg.preview_dir else data_dir(settings) / "slips"
    connector = build_connector(cfg, profile, preview_dir)
    return ReceiptPrinter(PrinterDevice(connector), profile, cfg.job_timeout_s)
