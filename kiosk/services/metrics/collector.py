"""The kiosk's Prometheus metrics, read from the services at every scrape (issue 21).

:class:`KioskCollector` is a ``prometheus_client`` custom collector: nothing is cached, each
``collect()`` asks the sources for their state now, so a scrape, ``kiosk metrics`` and the
node_exporter textfile all show current values. Counters and the duration histogram come from
the persistent totals in ``transactions.db`` (they survive restarts and the retention purge).

Metrics (names per the Prometheus conventions: ``kiosk_`` prefix, ``_total`` counters, base
units ``_seconds`` / ``_bytes``):

=============================================  =========  ==============================
name                                           type       labels
=============================================  =========  ==============================
kiosk_build_info                               gauge      version, terminal_id
kiosk_device_up                                gauge      device (card_reader, printer, scanner)
kiosk_device_state                             gauge      device, state (1 = current state)
kiosk_device_faults_total                      counter    device
kiosk_printer_paper_near_end                   gauge      —
kiosk_printer_paper_end                        gauge      —
kiosk_platform_reachable                       gauge      — (absent until first contact)
kiosk_platform_last_success_timestamp_seconds  gauge      — (absent before the first success)
kiosk_outbox_items                             gauge      state (pending, in_flight, dead, delivered)
kiosk_outbox_oldest_pending_age_seconds        gauge      — (0 = nothing waiting)
kiosk_catalog_last_sync_age_seconds            gauge      — (+Inf = never synced)
kiosk_sessions_total                           counter    end_reason
kiosk_last_session_timestamp_seconds           gauge      — (first start if no session yet)
kiosk_transactions_total                       counter    kind, outcome
kiosk_transaction_duration_seconds             histogram  kind, outcome
kiosk_ratings_total                            counter    level (1–5, 5 = 非常满意)
kiosk_ratings_held                             gauge      — (waiting for their transaction)
kiosk_restarts_total                           counter    —
kiosk_uptime_seconds                           gauge      — (the serving process only)
kiosk_process_*                                (prometheus_client ProcessCollector, serving
                                               process only: resident_memory_bytes, cpu, fds)
kiosk_metrics_source_up                        gauge      source (1 = read, 0 = failed)
=============================================  =========  ==============================

A source that fails is reported as ``kiosk_metrics_source_up{source} 0`` (and logged at
DEBUG); the other metrics are still served. No metric or label carries personal data.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from collections.abc import Callable, Iterator

from prometheus_client.core import (CounterMetricFamily, GaugeMetricFamily,
                                    HistogramMetricFamily, Metric)
from prometheus_client.registry import Collector

from kiosk import __version__
from kiosk.services.transactions.models import FAULT_STATES
from kiosk.services.transactions.ratings import LEVELS
from kiosk.services.transactions.store import DURATION_BUCKETS_S, TransactionStore

logger = logging.getLogger(__name__)

#: Every state a device can report (the ``state`` label values of ``kiosk_device_state``).
DEVICE_STATES: dict[str, tuple[str, ...]] = {
    # kiosk.devices.idcard.reader.ReaderState
    "card_reader": ("stopped", "connecting", "disconnected", "sam_fault", "ready", "card_present"),
    # kiosk.services.health.printer_state keys
    "printer": ("ok", "near_end", "paper_end", "cover_open", "offline", "unknown"),
    # kiosk.devices.scanner ScannerState
    "scanner": ("stopped", "connecting", "ready", "disconnected", "absent"),
}
#: States in which a device does its job (``kiosk_device_up`` 1).
UP_STATES: dict[str, frozenset[str]] = {
    "card_reader": frozenset({"ready", "card_present"}),
    "printer": frozenset({"ok", "near_end"}),
    "scanner": frozenset({"ready"}),
}
#: States meaning "not installed / not running": no ``kiosk_device_up`` sample is exported.
NOT_PRESENT = frozenset({"absent"})
OUTBOX_STATES = ("pending", "in_flight", "dead", "delivered")


@dataclass
class MetricsSources:
    """Where the collector reads from; every part is optional.

    Attributes:
        terminal_id: ``[station].terminal_id`` (a label of ``kiosk_build_info``).
        records: the transaction records (counters, histogram, last device states).
        device_states: ``() -> {"card_reader": "ready", "printer": "near_end", …}`` live from
            the running services; None = the last states recorded in ``records``.
        outbox: ``status()`` and ``items(state, limit)`` (:class:`~kiosk.services.outbox.Outbox`).
        catalog_synced_at: ``() -> "2026-11-30T08:00:00Z" | None``.
        process_started: ``time.monotonic()`` when the serving process started; None = not the
            kiosk process (``kiosk metrics`` from a shell): no uptime/process metrics.
        clock: epoch seconds.
    """

    terminal_id: str = ""
    records: TransactionStore | None = None
    device_states: Callable[[], dict[str, str]] | None = None
    outbox: Any = None
    catalog_synced_at: Callable[[], str | None] | None = None
    process_started: float | None = None
    clock: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic


class KioskCollector(Collector):
    """The custom collector; register it in a ``CollectorRegistry`` (see :mod:`.exposition`)."""

    def __init__(self, sources: MetricsSources) -> None:
        self.sources = sources

    def describe(self) -> list[Metric]:
        # Not listing metrics at registration: the registry would otherwise call collect()
        # (and read every source) just to learn the names.
        return []

    def collect(self) -> Iterator[Metric]:
        s = self.sources
        up = GaugeMetricFamily("kiosk_metrics_source_up",
                               "1 when the source could be read for this scrape", labels=["source"])
        info = GaugeMetricFamily("kiosk_build_info", "Kiosk software version and terminal id",
                                 labels=["version", "terminal_id"])
        info.add_metric([__version__, s.terminal_id], 1)
        yield info
        parts = (("devices", self._devices, s.device_states is not None or s.records is not None),
                 ("outbox", self._outbox, s.outbox is not None),
                 ("catalog", self._catalog, s.catalog_synced_at is not None),
                 ("records", self._records, s.records is not None),
                 ("process", self._process, s.process_started is not None))
        for name, part, configured in parts:
            if not configured:
                continue
            try:
                metrics = list(part())
            except Exception as exc:  # noqa: BLE001 - one broken source must not empty the scrape
                logger.debug("metrics source %s failed: %s", name, type(exc).__name__)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from metrics
        yield up

    # -- parts ------------------------------------------------------------------------------

    def _devices(self) -> Iterator[Metric]:
        s = self.sources
        if s.device_states is not None:
            states = dict(s.device_states())
        elif s.records is not None:
            states = {device: row[0] for device, row in s.records.device_states().items()}
        else:
            states = {}
        up = GaugeMetricFamily("kiosk_device_up", "1 when the device is working", labels=["device"])
        state = GaugeMetricFamily("kiosk_device_state", "1 for the device's current state",
                                  labels=["device", "state"])
        for device, known in DEVICE_STATES.items():
            current = states.get(device)
            if current is None:
                continue
            for name in known + ((current,) if current not in known else ()):
                state.add_metric([device, name], 1 if name == current else 0)
            if current not in NOT_PRESENT:
                up.add_metric([device], 1 if current in UP_STATES[device] else 0)
        printer = states.get("printer")
        near = GaugeMetricFamily("kiosk_printer_paper_near_end",
                                 "1 when the printer reports paper near its end")
        end = GaugeMetricFamily("kiosk_printer_paper_end", "1 when the printer is out of paper")
        if printer is not None:
            near.add_metric([], 1 if printer == "near_end" else 0)
            end.add_metric([], 1 if printer == "paper_end" else 0)
        yield from (up, state, near, end)

    def _outbox(self) -> Iterator[Metric]:
        outbox = self.sources.outbox
        if outbox is None:
            return
        status = outbox.status()
        items = GaugeMetricFamily("kiosk_outbox_items", "Outbox items by state", labels=["state"])
        for name in OUTBOX_STATES:
            items.add_metric([name], getattr(status, name))
        yield items
        now = self.sources.clock()
        waiting = [item.created_at for state in ("pending", "in_flight")
                   for item in outbox.items(state, limit=1)]
        yield GaugeMetricFamily("kiosk_outbox_oldest_pending_age_seconds",
                                "Age of the oldest item not yet acknowledged (0 = none)",
                                value=max(0.0, now - min(waiting)) if waiting else 0.0)
        if status.platform_reachable is not None:
            yield GaugeMetricFamily("kiosk_platform_reachable",
                                    "1 when the last send or probe got an answer from the platform",
                                    value=1 if status.platform_reachable else 0)
        if status.last_success_at is not None:
            yield GaugeMetricFamily("kiosk_platform_last_success_timestamp_seconds",
                                    "Unix time of the last acknowledged send",
                                    value=status.last_success_at)

    def _catalog(self) -> Iterator[Metric]:
        read = self.sources.catalog_synced_at
        if read is None:
            return
        synced = read()
        age = math.inf
        if synced:
            when = datetime.fromisoformat(synced.replace("Z", "+00:00")).timestamp()
            age = max(0.0, self.sources.clock() - when)
        yield GaugeMetricFamily("kiosk_catalog_last_sync_age_seconds",
                                "Seconds since the vacancy catalog last synced (+Inf = never)",
                                value=age)

    def _records(self) -> Iterator[Metric]:
        store = self.sources.records
        if store is None:
            return
        sessions = CounterMetricFamily("kiosk_sessions", "Jobseeker sessions ended, by reason",
                                       labels=["end_reason"])
        for labels, value in store.counters("sessions"):
            sessions.add_metric([labels["end_reason"]], value)
        yield sessions
        last = store.meta("last_session_at") or store.meta("first_started_at")
        if last is not None:
            yield GaugeMetricFamily("kiosk_last_session_timestamp_seconds",
                                    "Unix time the last session ended (the first start if none)",
                                    value=float(last))
        txns = CounterMetricFamily("kiosk_transactions", "Transactions finished, by kind and outcome",
                                   labels=["kind", "outcome"])
        for labels, value in store.counters("transactions"):
            txns.add_metric([labels["kind"], labels["outcome"]], value)
        yield txns
        yield self._histogram(store)
        ratings = CounterMetricFamily("kiosk_ratings", "好差评 ratings by level (5 = 非常满意)",
                                      labels=["level"])
        given = {labels["level"]: value for labels, value in store.counters("ratings")}
        for level in sorted(LEVELS):
            ratings.add_metric([str(level)], given.get(str(level), 0.0))
        yield ratings
        held = store.query("SELECT COUNT(*) FROM transactions WHERE rating_state = 'held'")
        yield GaugeMetricFamily("kiosk_ratings_held",
                                "Ratings waiting for their transaction to reach the platform",
                                value=held[0][0])
        faults = CounterMetricFamily("kiosk_device_faults", "Device fault episodes",
                                     labels=["device"])
        counted = {labels["device"]: value for labels, value in store.counters("device_faults")}
        for device in sorted(set(FAULT_STATES) | set(counted)):
            faults.add_metric([device], counted.get(device, 0.0))
        yield faults
        starts = sum(value for _labels, value in store.counters("starts"))
        yield CounterMetricFamily("kiosk_restarts", "Starts of the kiosk app after the first",
                                  value=max(0.0, starts - 1))

    @staticmethod
    def _histogram(store: TransactionStore) -> Metric:
        hist = HistogramMetricFamily("kiosk_transaction_duration_seconds",
                                     "Duration of finished transactions", labels=["kind", "outcome"])
        buckets: dict[tuple[str, str], list[tuple[str, float]]] = {}
        for labels, value in store.counters("duration_bucket"):
            buckets.setdefault((labels["kind"], labels["outcome"]), []).append((labels["le"], value))
        sums = {(labels["kind"], labels["outcome"]): value
                for labels, value in store.counters("duration_sum")}
        for key, rows in sorted(buckets.items()):
            counts = {float(le): value for le, value in rows}
            series = [(repr(bound), counts.get(bound, 0.0)) for bound in DURATION_BUCKETS_S]
            series.append(("+Inf", counts.get(math.inf, 0.0)))
            hist.add_metric(list(key), series, sum_value=sums.get(key, 0.0))
        return hist

    def _process(self) -> Iterator[Metric]:
        started = self.sources.process_started
        if started is None:
            return
        yield GaugeMetricFamily("kiosk_uptime_seconds", "Seconds since the kiosk process started",
                                value=max(0.0, self.sources.monotonic() - started))


__all__ = ["KioskCollector", "MetricsSources", "DEVICE_STATES", "UP_STATES", "OUTBOX_STATES"]
