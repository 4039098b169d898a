"""``kiosk sandbox``: run the sandbox platform (docs/openapi.yaml) as a standalone server.

``kiosk sandbox serve [--host 127.0.0.1] [--port N] [--seed CSV] [--db PATH] [--limit N]``
provisions this terminal (``[station].terminal_id`` and its device secret), seeds the demo
data (or a CSV in the columns of ../shared/data/vacancies_clean.csv) and serves until Ctrl-C.
``kiosk sandbox faults KEY=VALUE ...`` flips fault switches of a running sandbox, sending the
admin token from ``<data_dir>/sandbox.token`` (0600), which ``serve`` and the embedded sandbox
make. ``kiosk sandbox casework NO [STATE] [--reason TEXT] [--missing ITEM …]`` moves an
application (办件) through its case states (the casework switch; same token). Every expected
failure (port in use, unknown host, bad database, unreachable sandbox,
wrong token) is one line on stderr and exit 1; a usage error is exit 2.
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import sys
from pathlib import Path
from typing import Any

import requests

from kiosk.cli.context import int_range, load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sandbox", help="run the sandbox platform (demo and tests)")
    sub = parser.add_subparsers(dest="sandbox_command", metavar="ACTION")
    sub.required = True
    serve = sub.add_parser("serve", help="serve the platform API on loopback until Ctrl-C")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; keep it on loopback)")
    serve.add_argument("--port", type=int_range(0, 65535), default=8765,
                       help="TCP port (default 8765, 0 = free)")
    serve.add_argument("--seed", metavar="CSV", type=Path,
                       help="seed vacancies from a CSV in the columns of vacancies_clean.csv")
    serve.add_argument("--limit", type=int_range(1, 10_000_000), default=None,
                       help="seed at most N CSV rows")
    serve.add_argument("--db", metavar="PATH", type=Path,
                       help="SQLite file (default <data_dir>/sandbox.db)")
    serve.set_defaults(func=_serve)
    faults = sub.add_parser("faults", help="show or set fault switches of a running sandbox")
    faults.add_argument("--url", default="http://127.0.0.1:8765",
                        help="the sandbox origin (default http://127.0.0.1:8765)")
    faults.add_argument("switches", nargs="*", metavar="KEY=VALUE",
                        help="e.g. error_rate=0.2 latency_ms=500 down=true (none: show)")
    faults.set_defaults(func=_faults)
    casework = sub.add_parser(
        "casework", help="move an application (办件) of a running sandbox to another state")
    casework.add_argument("--url", default="http://127.0.0.1:8765",
                          help="the sandbox origin (default http://127.0.0.1:8765)")
    casework.add_argument("application_no", help="e.g. APP-440106-000001")
    casework.add_argument("state", nargs="?", default=None,
                          help="target state (accepted, needs_materials, completed, not_accepted, "
                               "preliminary_review, public_notice, final_review, certified, "
                               "refused, cancelled); none = the next one on the usual path")
    casework.add_argument("--reason", default="", help="why (not_accepted, refused)")
    casework.add_argument("--missing", action="append", default=[], metavar="ITEM",
                          help="a missing document (needs_materials; repeat for every item)")
    casework.set_defaults(func=_casework)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _listen_error(host: str, port: int, exc: OSError) -> str:
    return f"无法监听 cannot listen on {host}:{port}: {exc.strerror or exc}"


def _cannot_listen(host: str, port: int) -> str:
    """"" when ``host:port`` can be bound (checked before the database is touched), else the
    one-line message (port in use, address not on this machine, unknown host name)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, UnicodeError) as exc:      # socket.gaierror is an OSError
        if isinstance(exc, UnicodeError):
            return f"无法监听 cannot listen on {host}:{port}: not a valid host name"
        return _listen_error(host, port, exc)
    return ""


def _serve(args: argparse.Namespace) -> int:
    from kiosk.platform.credentials import secret_path
    from kiosk.platform.errors import PlatformError
    from kiosk.platform.sandbox.embedded import SandboxServer, prepare_sandbox
    from kiosk.platform.sandbox.seed import SeedError, seed_csv

    settings = load(args, console=True)
    problem = _cannot_listen(args.host, args.port)
    if problem:
        return _fail(problem)
    try:
        platform = prepare_sandbox(settings, args.db)
    except PlatformError as exc:                 # DeviceSecretError, SeedError
        return _fail(f"沙箱无法启动 sandbox cannot start: {exc}")
    except (OSError, ValueError, sqlite3.Error) as exc:
        return _fail(f"沙箱数据库或令牌文件不可用 sandbox database or token unusable: "
                     f"{args.db or 'sandbox.db'}: {exc.__class__.__name__}: {exc}")
    if args.seed:
        try:
            count = seed_csv(platform.store, args.seed, limit=args.limit)
        except SeedError as exc:
            platform.store.close()
            return _fail(str(exc))
        print(f"seeded {count} vacancies from {args.seed}")
    try:
        server = SandboxServer(platform, args.host, args.port)
    except OSError as exc:                       # taken between the check and now
        platform.store.close()
        return _fail(_listen_error(args.host, args.port, exc))
    print(f"sandbox platform: {server.base_url}  (terminal {settings.station.terminal_id}, "
          f"secret {secret_path(settings)}, {platform.store.vacancy_count()} vacancies)")
    print(f"verification pages: {server.origin}/verify/<referral_id>?t=<token>; Ctrl-C stops")
    try:
        server.start()
        server.serve_forever()
    except PlatformError as exc:
        return _fail(f"沙箱无法启动 sandbox cannot start: {exc}")
    finally:
        server.stop()
    return 0


def _value(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _casework(args: argparse.Namespace) -> int:
    """``kiosk sandbox casework NO [STATE] [--reason …] [--missing …]`` (the casework switch of
    ``kiosk/platform/sandbox/routes/applications.py``)."""
    from kiosk.platform.sandbox.embedded import admin_token_path, load_admin_token
    from kiosk.platform.sandbox.routes.admin import TOKEN_HEADER

    settings = load(args)
    path = admin_token_path(settings)
    try:
        token = load_admin_token(path)
    except (OSError, ValueError) as exc:
        return _fail(f"沙箱管理令牌不可读 sandbox admin token unreadable: {path} "
                     f"({exc.__class__.__name__}); start the sandbox with this configuration")
    url = f"{args.url.rstrip('/')}/_sandbox/applications/{args.application_no}/state"
    try:
        resp = requests.post(url, json={"state": args.state, "reason": args.reason,
                                        "missing_items": args.missing},
                             headers={TOKEN_HEADER: token}, timeout=(3.05, 5))
        body = resp.json()
    except requests.RequestException as exc:
        return _fail(f"sandbox not reachable at {args.url}: {exc.__class__.__name__}")
    except ValueError:
        return _fail(f"{args.url} is not a sandbox: HTTP {resp.status_code}, not JSON")
    if not resp.ok:
        code = body.get("code", resp.status_code) if isinstance(body, dict) else resp.status_code
        detail = body.get("detail", "") if isinstance(body, dict) else ""
        return _fail(f"沙箱拒绝 sandbox refused: {code}: {detail}")
    print(json.dumps({k: body.get(k) for k in ("application_no", "state", "state_label",
                                                "reason", "missing_items", "appeal_until")},
                     ensure_ascii=False, indent=2))
    return 0


def _faults(args: argparse.Namespace) -> int:
    from kiosk.platform.sandbox.embedded import admin_token_path, load_admin_token
    from kiosk.platform.sandbox.routes.admin import TOKEN_HEADER

    settings = load(args)
    path = admin_token_path(settings)
    try:
        token = load_admin_token(path)
    except (OSError, ValueError) as exc:
        return _fail(f"沙箱管理令牌不可读 sandbox admin token unreadable: {path} "
                     f"({exc.__class__.__name__}); start the sandbox with this configuration")
    url = args.url.rstrip("/") + "/_sandbox/faults"
    headers = {TOKEN_HEADER: token}
    try:
        if args.switches:
            changes: dict[str, Any] = {}
            for item in args.switches:
                key, sep, value = item.partition("=")
                if not sep:
                    print(f"expected KEY=VALUE, got {item!r}", file=sys.stderr)
                    return 2
                changes[key] = _value(value)
            resp = requests.put(url, json=changes, headers=headers, timeout=(3.05, 5))
        else:
            resp = requests.get(url, headers=headers, timeout=(3.05, 5))
    except (requests.RequestException, ValueError) as exc:
        return _fail(f"sandbox not reachable at {args.url}: {exc.__class__.__name__}")
    try:
        body = resp.json()
    except ValueError:
        return _fail(f"{args.url} is not a sandbox: HTTP {resp.status_code}, not JSON")
    if not resp.ok:
        code = body.get("code", resp.status_code) if isinstance(body, dict) else resp.status_code
        detail = body.get("detail", "") if isinstance(body, dict) else ""
        return _fail(f"沙箱拒绝 sandbox refused: {code}: {detail}")
    print(json.dumps(body, ensure_ascii=False, indent=2))
    return 0
