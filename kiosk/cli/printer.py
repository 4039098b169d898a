"""``kiosk printer``: check and exercise the configured receipt printer.

    kiosk printer status                 real-time status (DLE EOT 1/2/4)
    kiosk printer test [--referral F]    print a test slip and report status and result
                       [--simulate STATE]  (preview connector only: ok, paper_end, …)

Exit status: 0 printed / printer ready, 1 refused or failed (reason on stderr), 2 bad config.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.context import load
from kiosk.cli.input_files import InputFileError, read_json_file
from kiosk.devices.printer.errors import PrinterError
from kiosk.devices.printer.preview import PREVIEW_STATES, PreviewConnector
from kiosk.services.slip import Referral, SlipError
from kiosk.settings import PROJECT_ROOT

DEMO_REFERRAL = PROJECT_ROOT / "assets" / "demo" / "referral.example.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("printer", help="receipt printer status and test slip")
    sub = parser.add_subparsers(dest="printer_command", metavar="ACTION")
    sub.required = True
    status = sub.add_parser("status", help="show the printer's real-time status")
    status.set_defaults(func=run_status)
    test = sub.add_parser("test", help="print a test slip on the configured printer")
    test.add_argument("--referral", type=Path, default=DEMO_REFERRAL, metavar="FILE.json")
    test.add_argument("--simulate", choices=sorted(PREVIEW_STATES),
                      help="preview connector: simulate this printer state")
    test.set_defaults(func=run_test)


def _printer(args: argparse.Namespace):  # -> ReceiptPrinter
    from kiosk.bootstrap import open_printer  # the composition root names the adapter

    return open_printer(load(args))


def _describe(printer) -> str:
    p = printer.profile
    return (f"connector {printer.device.name}, {p.paper_mm} mm, {p.columns} columns, "
            f"{'cutter' if p.cutter else 'no cutter'}, QR {'native' if p.qr_native else 'raster'}")


def run_status(args: argparse.Namespace) -> int:
    printer = _printer(args)
    print(_describe(printer))
    try:
        status = printer.status()
    except PrinterError as exc:
        print(f"{exc.message_zh} ({exc})", file=sys.stderr)
        return 1
    finally:
        printer.close()
    print(f"status: {status.summary()} — {status.message_zh()}")
    return 0 if status.ready else 1


def run_test(args: argparse.Namespace) -> int:
    printer = _printer(args)
    print(_describe(printer))
    try:
        if args.simulate:
            if not isinstance(printer.connector, PreviewConnector):
                print("--simulate needs [printer] connector = \"preview\"", file=sys.stderr)
                return 2
            printer.connector.set_state(args.simulate)
        referral = Referral.from_json(read_json_file(args.referral))
        status = printer.status()
        print(f"status before: {status.summary()} — {status.message_zh()}")
        result = printer.print_slip(referral)
    except PrinterError as exc:
        print(f"not printed: {exc.message_zh} ({exc})", file=sys.stderr)
        return 1
    except (InputFileError, SlipError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        printer.close()
    print(f"printed {result.bytes_sent} bytes in {result.seconds:.2f} s")
    for warning in result.warnings_zh:
        print(f"warning: {warning}")
    for path in result.preview_files:
        print(f"preview: {path}")
    return 0
