"""``kiosk doctor [--json]``: check everything the kiosk needs to serve — config, maintenance PIN,
font, display, card reader, printer, platform, clock, time zone, disk, data-folder permissions,
outbox database and key, catalog, audio — one line per check with a fix for each failure
(Chinese first, then English); ``[WARN]`` lines (time zone, stale catalog) do not fail it.

Exit status: 0 everything needed works, 1 something needed is broken, 2 the configuration is
invalid. With ``--json`` one object ``{"ok": bool, "checks": [{"name", "ok", "detail", "fix",
"required"}]}``; the names are stable: config, maintenance_pin, font, display, card_reader,
printer, platform, clock, timezone, disk, data_dir, outbox_db, outbox_key, catalog, audio.
"""

from __future__ import annotations

import argparse
import json

from kiosk.cli.context import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("doctor", help="check the terminal (终端自检) with fixes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import doctor_adapters
    from kiosk.services.maintenance.doctor import run_doctor

    report = run_doctor(load(args), doctor_adapters())
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        for line in report.lines():
            print(line)
        print("全部正常 all checks passed" if report.ok else "有故障 something is broken")
    return 0 if report.ok else 1
