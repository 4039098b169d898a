"""``kiosk maintenance set-pin [--pin-stdin]``: set the technician PIN of maintenance mode.

The PIN (4–8 digits) is read twice from the terminal without echo (``getpass``), or once from
standard input with ``--pin-stdin`` (scripts: ``echo 135790 | kiosk maintenance set-pin
--pin-stdin``). Only its salted scrypt hash is written, as ``maintenance.pin_hash`` in the site
file (``--config`` / ``$KIOSK_CONFIG``, else ``<data_dir>/site.toml``); the running kiosk uses
it after its next start.

Exit status: 0 written, 1 the PINs differ / bad format / file not writable, 2 bad config.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.cli.context import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("maintenance", help="maintenance mode: set the technician PIN")
    sub = parser.add_subparsers(dest="maintenance_command", metavar="ACTION")
    sub.required = True
    set_pin = sub.add_parser("set-pin", help="set the maintenance PIN (4-8 digits; 设置维护密码)")
    set_pin.add_argument("--pin-stdin", action="store_true",
                         help="read the PIN from the first line of standard input")
    set_pin.set_defaults(func=cmd_set_pin)


def _read_pin(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        print("没有终端，无法隐藏输入；脚本请用 --pin-stdin / no terminal: use --pin-stdin in scripts",
              file=sys.stderr)
        return None
    first = getpass.getpass("新维护 PIN / new maintenance PIN (4-8 digits): ")
    second = getpass.getpass("再输一次 / again: ")
    if first != second:
        print("两次输入不一致 the PINs differ", file=sys.stderr)
        return None
    return first


def cmd_set_pin(args: argparse.Namespace) -> int:
    from kiosk.services.maintenance.pin import PinFormatError, hash_pin
    from kiosk.services.maintenance.site_file import SiteFileError, apply_site_changes

    settings = load(args)
    pin = _read_pin(args.pin_stdin)
    if pin is None:
        return 1
    try:
        apply_site_changes(settings, {"maintenance.pin_hash": hash_pin(pin)})
    except PinFormatError:
        print("PIN 须为 4 到 8 位数字 the PIN must be 4 to 8 digits", file=sys.stderr)
        return 1
    except SiteFileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"维护 PIN 已保存 maintenance PIN saved to {settings.site_file} (重启后生效 "
          "takes effect at the next start)")
    return 0
