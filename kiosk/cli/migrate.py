"""``kiosk migrate [--backup LABEL] [--json]``: bring the databases in the data folder to this
version's schemas (the Debian package's postinst runs it on an upgrade, with the old version as
``LABEL``; see :mod:`kiosk.services.data_migration`). Run it while the kiosk is stopped.

Output: one line per database (``outbox: schema 1 → 1, backup …``); with ``--json`` one object
``{"ok": bool, "databases": [{"name", "path", "from_version", "to_version", "backup"}],
"error": str}``. Exit status: 0 done (also when there is no database yet), 1 a backup or
migration failed, 2 bad configuration or label.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from kiosk.cli.context import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("migrate", help="migrate the databases (数据库迁移) after an upgrade")
    parser.add_argument("--backup", metavar="LABEL", default="",
                        help="first copy each database to <data_dir>/backup/LABEL/ (e.g. the old version)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.services.data_migration import MigrationError, migrate_databases

    settings = load(args)
    try:
        results = migrate_databases(settings, args.backup)
    except ValueError as exc:
        print(f"备份标签无效 invalid --backup: {exc}", file=sys.stderr)
        return 2
    except MigrationError as exc:
        if args.json:
            print(json.dumps({"ok": False, "databases": [], "error": str(exc)}, ensure_ascii=False))
        print(f"数据库迁移失败 migration failed: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"ok": True, "databases": [asdict(r) for r in results], "error": ""},
                         ensure_ascii=False))
        return 0
    if not results:
        print("没有需要迁移的数据库 no database yet")
    for r in results:
        backup = f", 备份 backup {r.backup}" if r.backup else ""
        print(f"{r.name}: 架构 schema {r.from_version} → {r.to_version}{backup}")
    return 0
