"""What issue 21 runs in the background of the kiosk process: the metrics endpoint, the
node_exporter textfile, and the upkeep of the transaction records.

:class:`QualityService` is built by the composition root (``kiosk/bootstrap.py``) from the
running services and started with them:

* the loopback endpoint when :func:`~.exposition.serving_enabled` (a port in use: a warning);
* every ``metrics.textfile_interval_s`` seconds ``<metrics.textfile_dir>/kiosk.prom``;
* every :data:`PRINTER_REFRESH_S` seconds the printer's status (paper near end / end);
* every :data:`UPKEEP_INTERVAL_S` seconds: the devices' current states into the fault log
  (``kiosk stats`` fault minutes), held ratings released to the outbox, and records older than
  ``transactions.retention_days`` purged.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from collections.abc import Callable

from kiosk.services.metrics.collector import MetricsSources
from kiosk.services.metrics.exposition import (MetricsServer, build_registry, serve,
                                               serving_enabled, write_textfile)
from kiosk.services.periodic import PeriodicTask
from kiosk.services.transactions.recorder import TransactionLog
from kiosk.services.transactions.store import RecordsError
from kiosk.settings import Settings

logger = logging.getLogger(__name__)

UPKEEP_INTERVAL_S = 30.0
#: Seconds between printer status queries (DLE EOT through the printer worker) for the metrics.
PRINTER_REFRESH_S = 60.0


class QualityService:
    """Args:
        settings: the running settings (``[metrics]``, ``[transactions]``).
        sources: what the collector reads (live device states, outbox, catalog, records).
        log: the transaction log to keep up (None: no upkeep).
        refresh_printer: asks the printer for its status (blocking; e.g.
            ``Services.refresh_printer_status``), called every :data:`PRINTER_REFRESH_S`.
    """

    def __init__(self, settings: Settings, sources: MetricsSources,
                 log: TransactionLog | None = None,
                 refresh_printer: Callable[[], object] | None = None) -> None:
        self.settings = settings
        self.sources = sources
        self.log = log
        self.refresh_printer = refresh_printer
        self.registry = build_registry(sources)
        self.server: MetricsServer | None = None
        self._tasks: list[PeriodicTask] = []
        self._last_purge = float("-inf")

    def start(self) -> None:
        """Start the endpoint (if enabled) and the periodic tasks. Never raises for a busy port."""
        if serving_enabled(self.settings):
            self.server = serve(self.registry, self.settings.metrics)
        folder = self.settings.metrics.textfile_dir
        if folder:
            self._start_task("metrics-textfile", lambda: self.write_textfile(Path(folder)),
                             self.settings.metrics.textfile_interval_s)
        if self.log is not None:
            self._start_task("transaction-upkeep", self.upkeep, UPKEEP_INTERVAL_S)
        if self.refresh_printer is not None:
            self._start_task("printer-status", self.refresh_printer, PRINTER_REFRESH_S)

    def _start_task(self, name: str, fn: Callable[[], object], interval_s: float) -> None:
        task = PeriodicTask(name, fn, interval_s, expected=(OSError, RecordsError, ValueError))
        task.start()
        self._tasks.append(task)

    def write_textfile(self, folder: Path) -> Path:
        """Write the textfile now (raises OSError: logged by the periodic task)."""
        return write_textfile(self.registry, folder)

    def upkeep(self) -> None:
        """Record device states, release held ratings, purge old records (hourly)."""
        assert self.log is not None
        if self.sources.device_states is not None:
            for device, state in self.sources.device_states().items():
                self.log.observe_device(device, state)
        self.log.release_held()
        if time.monotonic() - self._last_purge >= 3600.0:
            self.log.purge(self.settings.transactions.retention_days)
            self._last_purge = time.monotonic()

    def stop(self) -> None:
        for task in self._tasks:
            task.stop()
        self._tasks.clear()
        if self.server is not None:
            self.server.stop()
            self.server = None


__all__ = ["QualityService", "UPKEEP_INTERVAL_S", "PRINTER_REFRESH_S"]
