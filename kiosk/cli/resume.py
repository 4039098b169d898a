"""``kiosk resume render``: lay out and encode a 求职简历 for the receipt printer (no printer needed).

    kiosk resume render --resume FILE.json --paper 58|80 --out FILE.bin [--png FILE.png]
                        [--columns N] [--qr native|raster] [--no-cutter]

Input keys: ``docs/resume.md`` (example ``assets/demo/resume.example.json``). The name and phone
are printed only when ``show_name`` / ``show_phone`` are true; the ID number never.
Exit status: 0 written, 1 the résumé is invalid or a file cannot be written, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli.context import int_range
from kiosk.devices.printer.errors import PreviewRenderError
from kiosk.devices.printer.profile import paper_profile
from kiosk.devices.printer.render import render_escpos
from kiosk.services.slip import SlipError, encode_slip
from kiosk.services.slip.resume import Resume, layout_resume


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("resume", help="résumés (求职简历) for the receipt printer")
    sub = parser.add_subparsers(dest="resume_command", metavar="ACTION")
    sub.required = True
    render = sub.add_parser("render", help="write a résumé's ESC/POS bytes (and a PNG preview)")
    render.add_argument("--resume", required=True, type=Path, metavar="FILE.json")
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
        resume = Resume.from_json(json.loads(args.resume.read_text(encoding="utf-8")))
        layout = layout_resume(resume, profile)
        job = encode_slip(layout, profile)
        args.out.write_bytes(job)
        if args.png:
            render_escpos(job, profile).save(args.png)
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except (UnicodeDecodeError, json.JSONDecodeError):
        print(f"error: {args.resume} is not UTF-8 JSON", file=sys.stderr)
        return 1
    except (SlipError, PreviewRenderError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    note = f", {layout.substituted} character(s) printed as 〓" if layout.substituted else ""
    print(f"{args.out}: {len(job)} bytes, {len(layout.lines)} lines at {profile.columns} columns"
          f"{note}" + (f"; preview {args.png}" if args.png else ""))
    return 0
