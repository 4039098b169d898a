"""``kiosk stats [--since DATE] [--json]``: the station's service figures from the
per-transaction records (issue 21) — counts per kind and outcome, completion rate, median and
p90 duration, 好差评 satisfaction rate, device-fault minutes per device.

``DATE`` is ``YYYY-MM-DD``, a day in China Standard Time (from 00:00 CST); without it every
record kept (``transactions.retention_days``) counts. The JSON keys are documented in
:meth:`kiosk.services.transactions.stats.StationStats.as_json` and stay stable.
Exit status: 0, 1 the records cannot be read, 2 bad usage or config.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from kiosk.cli.context import load
from kiosk.domain.china_time import CHINA_TZ
from kiosk.services.transactions.report import report_text


def china_date(text: str) -> float:
    """An argparse ``type``: ``2026-11-01`` → epoch seconds of 00:00 CST that day."""
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD, not {text!r}") from exc
    return day.replace(tzinfo=CHINA_TZ).timestamp()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("stats", help="service figures: transactions, ratings, faults "
                                                 "(服务统计)")
    parser.add_argument("--since", type=china_date, metavar="DATE",
                        help="only transactions started on or after this day (YYYY-MM-DD, CST)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=cmd_stats)


def cmd_stats(args: argparse.Namespace) -> int:
    from kiosk.services.transactions import RecordsError, open_store, station_stats

    settings = load(args)
    try:
        store = open_store(settings)
        try:
            figures = station_stats(store, since=args.since).as_json()
        finally:
            store.close()
    except RecordsError as exc:
        print(f"统计记录无法读取 cannot read the records: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    print(report_text(figures))
    return 0
