"""Rendering, serving and writing the metrics: the text exposition format, a loopback HTTP
endpoint and a node_exporter textfile (issue 21).

* :func:`build_registry` — a private ``CollectorRegistry`` with :class:`KioskCollector` and,
  for the kiosk process itself, ``prometheus_client``'s ``ProcessCollector`` under the ``kiosk``
  namespace (``kiosk_process_resident_memory_bytes``, ``…_cpu_seconds_total``, ``…_open_fds``).
  The library's default registry (and its Python GC collectors) is not used.
* :func:`render` — the Prometheus text format 0.0.4 (``text/plain; version=0.0.4``).
* :func:`serve` — ``prometheus_client.start_http_server`` on ``[metrics] bind:port``; a port in
  use is a logged warning and ``None``, never an exception (issue 21, "bad input").
* :func:`write_textfile` — ``<textfile_dir>/kiosk.prom``, written atomically (temporary file +
  rename, as node_exporter's textfile collector requires).
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client import start_http_server, write_to_textfile

from kiosk.services.metrics.collector import KioskCollector, MetricsSources
from kiosk.settings import MetricsSettings, Settings

logger = logging.getLogger(__name__)

TEXTFILE_NAME = "kiosk.prom"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def build_registry(sources: MetricsSources) -> CollectorRegistry:
    """A registry with the kiosk collector (and process metrics when ``process_started``)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(KioskCollector(sources))
    if sources.process_started is not None:
        ProcessCollector(namespace="kiosk", registry=registry)
    return registry


def render(registry: CollectorRegistry) -> str:
    """The current exposition as text (UTF-8; label values may hold Chinese)."""
    return generate_latest(registry).decode("utf-8")


def serving_enabled(settings: Settings) -> bool:
    """``[metrics] serve``: "on", "off", or "auto" = on unless the platform is the embedded demo
    sandbox (``platform.base_url = "embedded"``)."""
    mode = settings.metrics.serve
    if mode == "auto":
        return settings.platform.base_url != "embedded"
    return mode == "on"


@dataclass
class MetricsServer:
    """A running endpoint: ``url`` and ``stop()``."""

    server: Any
    thread: Any
    url: str

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5.0)


def serve(registry: CollectorRegistry, metrics: MetricsSettings) -> MetricsServer | None:
    """Serve ``/metrics`` on ``metrics.bind:metrics.port`` (loopback, validated by the
    settings) on a daemon thread. Returns None, with a warning logged, when the port is taken
    or the address cannot be bound."""
    try:
        server, thread = start_http_server(metrics.port, addr=metrics.bind, registry=registry)
    except OSError as exc:
        reason = ("端口已被占用 port already in use" if exc.errno == errno.EADDRINUSE
                  else exc.strerror or type(exc).__name__)
        logger.warning("指标服务未启动 metrics endpoint not started on %s:%d: %s "
                       "(set [metrics] port in the site file; the kiosk runs on without it)",
                       metrics.bind, metrics.port, reason)
        return None
    host = f"[{metrics.bind}]" if ":" in metrics.bind else metrics.bind
    url = f"http://{host}:{server.server_port}/metrics"
    logger.info("metrics served at %s", url)
    return MetricsServer(server, thread, url)


def write_textfile(registry: CollectorRegistry, folder: Path) -> Path:
    """Write ``<folder>/kiosk.prom`` atomically; returns its path. Raises OSError."""
    path = folder / TEXTFILE_NAME
    write_to_textfile(str(path), registry)
    return path


__all__ = ["build_registry", "render", "serve", "serving_enabled", "write_textfile",
           "MetricsServer", "TEXTFILE_NAME", "CONTENT_TYPE"]
