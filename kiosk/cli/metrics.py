"""``kiosk metrics``: print the current Prometheus exposition once (issue 21).

When the running kiosk serves metrics (``[metrics] serve``), its endpoint is read: live device
states, process uptime and memory. Otherwise (or with ``--offline``) the figures come from the
data folder: transaction counters and histograms, ratings, outbox depth, catalog sync age and
the device states the kiosk last recorded; no process metrics. Which one is said on stderr.
Exit status: 0, 1 nothing could be read, 2 bad usage or config.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from contextlib import ExitStack
from typing import Any

from kiosk.cli.context import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("metrics", help="print the Prometheus metrics once (监控指标)")
    parser.add_argument("--offline", action="store_true",
                        help="read the data folder even if the kiosk serves metrics")
    parser.set_defaults(func=cmd_metrics)


def cmd_metrics(args: argparse.Namespace) -> int:
    from kiosk.services.metrics import serving_enabled

    settings = load(args)
    if not args.offline and serving_enabled(settings):
        m = settings.metrics
        host = f"[{m.bind}]" if ":" in m.bind else m.bind
        url = f"http://{host}:{m.port}/metrics"
        try:
            with urllib.request.urlopen(url, timeout=3.0) as response:  # noqa: S310 - loopback
                sys.stdout.write(response.read().decode("utf-8"))
            print(f"# 来自运行中的终端 from the running kiosk at {url}", file=sys.stderr)
            return 0
        except (OSError, urllib.error.URLError) as exc:
            print(f"# 终端未提供指标 kiosk not serving at {url} ({type(exc).__name__}); "
                  "reading the data folder", file=sys.stderr)
    return offline_exposition(settings)


def offline_exposition(settings: Any) -> int:
    from kiosk.paths import data_dir
    from kiosk.services.metrics import MetricsSources, build_registry, render
    from kiosk.services.transactions import RecordsError, open_store

    folder = data_dir(settings)
    with ExitStack() as stack:
        try:
            store = open_store(settings)
        except RecordsError as exc:
            print(f"统计记录无法读取 cannot read the records: {exc}", file=sys.stderr)
            return 1
        stack.callback(store.close)
        outbox = None
        if (folder / "outbox.db").exists():
            from kiosk.services.outbox import OutboxError, open_outbox

            try:
                outbox = open_outbox(settings, recover=False)
                stack.callback(outbox.close)
            except OutboxError as exc:
                print(f"# 离线队列无法读取 outbox unreadable: {type(exc).__name__}", file=sys.stderr)
        catalog_synced = None
        if (folder / "catalog.sqlite3").exists():
            from kiosk.services.catalog import VacancyCatalog

            catalog = VacancyCatalog(folder / "catalog.sqlite3")
            stack.callback(catalog.close)
            catalog_synced = catalog.last_synced_at
        sources = MetricsSources(terminal_id=settings.station.terminal_id, records=store,
                                 outbox=outbox, catalog_synced_at=catalog_synced)
        sys.stdout.write(render(build_registry(sources)))
    print(f"# 来自数据目录 from the data folder {folder}", file=sys.stderr)
    return 0
