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
from kiosk.domain.china_time import CHINA_TZ, format_china_iso


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
    print(text_report(figures))
    return 0


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} s"


def text_report(figures: dict) -> str:  # type: ignore[type-arg]
    """The human-readable form of the ``--json`` document."""
    t = figures["transactions"]
    r = figures["ratings"]
    lines = [
        f"统计区间 period: {format_china_iso(figures['since'], empty='全部 all kept')} – "
        f"{format_china_iso(figures['until'])} (北京时间 China time)",
        f"业务 transactions {t['total']}: 完成 completed {t['completed']} · 中途离开 abandoned "
        f"{t['abandoned']} · 失败 failed {t['failed']} · 进行中 open {t['open']}",
        f"完成率 completion rate {_pct(t['completion_rate'])} · 用时中位数 median "
        f"{_s(t['duration_s']['median_s'])} · P90 {_s(t['duration_s']['p90_s'])}",
        "",
        f"{'业务 kind':<40}{'total':>7}{'done':>7}{'left':>7}{'fail':>7}{'rate':>9}"
        f"{'median':>9}{'p90':>8}",
    ]
    for kind, k in figures["by_kind"].items():
        lines.append(f"{kind:<40}{k['total']:>7}{k['completed']:>7}{k['abandoned']:>7}"
                     f"{k['failed']:>7}{_pct(k['completion_rate']):>9}"
                     f"{_s(k['duration_s']['median_s']):>9}{_s(k['duration_s']['p90_s']):>8}")
    levels = " · ".join(f"{lv}★ {n}" for lv, n in r["by_level"].items())
    lines += [
        "",
        f"好差评 ratings {r['count']} ({levels}); 满意率 satisfaction {_pct(r['satisfaction_rate'])}"
        f" · 差评 bad {r['bad']} · 参评率 rated {_pct(r['rated_share'])}",
        "设备故障 device fault minutes: " + " · ".join(
            f"{device} {minutes:.1f}" for device, minutes in figures["device_fault_minutes"].items()),
        f"语言 languages: 中文 {figures['languages']['zh_CN']} · English "
        f"{figures['languages']['en']} · 长辈模式 elderly mode {figures['elderly_mode']}",
    ]
    return "\n".join(lines)
