"""Prometheus metrics of the kiosk (issue 21): a custom collector over the services' state,
the text exposition, a loopback endpoint, a node_exporter textfile, and the background service
that runs them. See :mod:`.collector` for the list of metrics."""

from __future__ import annotations

from kiosk.services.metrics.collector import (DEVICE_STATES, KioskCollector, MetricsSources)
from kiosk.services.metrics.exposition import (MetricsServer, build_registry, render, serve,
                                               serving_enabled, write_textfile)
from kiosk.services.metrics.service import QualityService

__all__ = ["KioskCollector", "MetricsSources", "DEVICE_STATES", "build_registry", "render",
           "serve", "serving_enabled", "write_textfile", "MetricsServer", "QualityService"]
