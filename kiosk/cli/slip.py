"""``kiosk slip render``: lay out and encode a referral slip to a file (no printer needed).

    kiosk slip render --referral FILE.json --paper 58|80 --out FILE.bin [--png FILE.png]
                      [--columns N] [--qr native|raster] [--no-cutter]

Exit status: 0 written, 1 the referral is invalid or a file cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.context import int_range
from kiosk.cli.input_files import InputFileError, read_json_file

from kiosk.devices.printer.errors import PreviewRenderError
from kiosk.devices.printer.profile import paper_profile
from kiosk.devices.printer.render import render_escpos
from kiosk.services.slip import Referral, SlipError, encode_slip, layout_slip


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("slip", help="referral slips (就业岗位推荐单)")
    sub = parser.add_subparsers(dest="slip_command", metavar="ACTION")
    sub.required = True
    render = sub.add_parser("render", help="write a slip's ESC/POS bytes (and a PNG preview)")
    render.add_argument("--referral", required=True, type=Path, metavar="FILE.json")
    render.add_argument("--paper", required=True, type=int, choices=(58, 80))
    render.add_argument("--out", required=True, type=Path, metavar="FILE.bin")
    render.add_argument("--png", type=Path, metavar="FILE.png")
    render.add_argument("--columns", type=int_range(0, 100), default=0,
                        help="ASCII columns per line (0 = 32 for 58 mm, 48 for 80 mm; 42 Epson)")
    render.add_argument("--qr", choices=("native", "raster"), default="native")
    render.add_argument("--no-cutter", action="store_true", help="feed only, no GS V cut")
    render.set_defaults(func=run_render)


def run_render(args: argparse.Namespace) -> int:
    try:
        profile = paper_profile(args.paper, args.columns, cutter=not args.no_cutter, qr=args.qr)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        referral = Referral.from_json(read_json_file(args.referral))
        layout = layout_slip(referral, profile)
        job = encode_slip(layout, profile)
        args.out.write_bytes(job)
        if args.png:
            render_escpos(job, profile).save(args.png)
    except (InputFileError, SlipError, PreviewRenderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # --out / --png cannot be written
        print(f"error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    note = f", {layout.substituted} character(s) printed as 〓" if layout.substituted else ""
    print(f"{args.out}: {len(job)} bytes, {len(layout.lines)} lines at {profile.columns} columns"
          f"{note}" + (f"; preview {args.png}" if args.png else ""))
    return 0
