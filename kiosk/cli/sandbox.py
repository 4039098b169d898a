"""``kiosk sandbox``: run the sandbox platform (docs/openapi.yaml) as a standalone server.

``kiosk sandbox serve [--host 127.0.0.1] [--port N] [--seed CSV] [--db PATH] [--limit N]``
provisions this terminal (``[station].terminal_id`` and its device secret), seeds the demo
data (or a CSV in the columns of ../shared/data/vacancies_clean.csv) and serves until Ctrl-C.
``kiosk sandbox faults KEY=VALUE ...`` flips fault switches of a running sandbox.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import requests

from kiosk.cli.context import load, int_range


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sandbox", help="run the sandbox platform (demo and tests)")
    sub = parser.add_subparsers(dest="sandbox_command", metavar="ACTION")
    sub.required = True
    serve = sub.add_parser("serve", help="serve the platform API on loopback until Ctrl-C")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; keep it on loopback)")
    serve.add_argument("--port", type=int_range(0, 65535), default=8765, help="TCP port (default 8765, 0 = free)")
    serve.add_argument("--seed", metavar="CSV", type=Path,
                       help="seed vacancies from a CSV in the columns of vacancies_clean.csv")
    serve.add_argument("--limit", type=int_range(1, 10_000_000), default=None, help="seed at most N CSV rows")
    serve.add_argument("--db", metavar="PATH", type=Path,
                       help="SQLite file (default <data_dir>/sandbox.db)")
    serve.set_defaults(func=_serve)
    faults = sub.add_parser("faults", help="show or set fault switches of a running sandbox")
    faults.add_argument("--url", default="http://127.0.0.1:8765",
                        help="the sandbox origin (default http://127.0.0.1:8765)")
    faults.add_argument("switches", nargs="*", metavar="KEY=VALUE",
                        help="e.g. error_rate=0.2 latency_ms=500 down=true (none: show)")
    faults.set_defaults(func=_faults)


def _serve(args: argparse.Namespace) -> int:
    from kiosk.platform.credentials import secret_path
    from kiosk.platform.sandbox.embedded import SandboxServer, prepare_sandbox
    from kiosk.platform.sandbox.seed import SeedError, seed_csv

    settings = load(args, console=True)
    platform = prepare_sandbox(settings, args.db)
    if args.seed:
        try:
            count = seed_csv(platform.store, args.seed, limit=args.limit)
        except SeedError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(f"seeded {count} vacancies from {args.seed}")
    server = SandboxServer(platform, args.host, args.port)
    print(f"sandbox platform: {server.base_url}  (terminal {settings.station.terminal_id}, "
          f"secret {secret_path(settings)}, {platform.store.vacancy_count()} vacancies)")
    print(f"verification pages: {server.origin}/verify/<referral_id>; Ctrl-C stops")
    server.start()
    try:
        server.serve_forever()
    finally:
        server.stop()
    return 0


def _value(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _faults(args: argparse.Namespace) -> int:
    url = args.url.rstrip("/") + "/_sandbox/faults"
    try:
        if args.switches:
            changes = {}
            for item in args.switches:
                key, sep, value = item.partition("=")
                if not sep:
                    print(f"expected KEY=VALUE, got {item!r}", file=sys.stderr)
                    return 2
                changes[key] = _value(value)
            resp = requests.put(url, json=changes, timeout=(3.05, 5))
        else:
            resp = requests.get(url, timeout=(3.05, 5))
    except requests.RequestException as exc:
        print(f"sandbox not reachable at {args.url}: {exc.__class__.__name__}", file=sys.stderr)
        return 1
    print(json.dumps(resp.json(), ensure_ascii=False, indent=2))
    return 0 if resp.ok else 1
