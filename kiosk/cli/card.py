"""``kiosk card …``: the ID-card reader from the command line.

* ``kiosk card simulate --card FILE.json [--baud N] [--no-pace]`` — serve a simulated reader on a
  pty; the first stdout line is ``PORT=<path>``; runs until SIGINT/SIGTERM.
* ``kiosk card read [--port URL] [--timeout SECONDS] [--json] [--reveal]`` — wait for a card,
  read it once, print it (one JSON object with ``--json``); name, numbers and address are masked
  unless ``--reveal``. A "read failed" reply (SW3 0x41: the card moved) is retried within
  ``--timeout``, as the kiosk does. Exit 1 with a one-line message on timeout or reader error.
* ``kiosk card status [--port URL]`` — SAM status (11 FF) and SAM ID (12 FF).
* ``kiosk card ports [--json]`` — serial ports with USB VID:PID (``serial.tools.list_ports``).

``--port`` defaults to ``[card_reader] port``; "simulator" starts the demo simulator.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from serial.tools import list_ports

from kiosk.cli.context import float_range, load
from kiosk.cli.input_files import InputFileError, read_json_file
from kiosk.devices.idcard.errors import CardReaderError
from kiosk.domain.identity_card import CardDataError  # a card file's JSON (both flavours)
from kiosk.devices.idcard.simulator import CardSimulator
from kiosk.settings import replace_option

DEFAULT_READ_TIMEOUT_S = 30.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("card", help="ID-card reader: read, simulate, list ports")
    sub = parser.add_subparsers(dest="card_command", metavar="ACTION")
    sub.required = True

    simulate = sub.add_parser("simulate", help="serve a simulated GA 467 reader on a pty")
    simulate.add_argument("--card", required=True, metavar="FILE.json",
                          help="card to lay on the reader (keys of `kiosk card read --json`)")
    simulate.add_argument("--baud", type=int, default=115200, metavar="N",
                          choices=(9600, 19200, 38400, 57600, 115200),
                          help="pace bytes at N baud, 8N1 (default 115200)")
    simulate.add_argument("--no-pace", action="store_true", help="send replies at once")
    simulate.set_defaults(func=cmd_simulate)

    read = sub.add_parser("read", help="wait for a card and read it once")
    read.add_argument("--port", metavar="URL", help="pyserial URL (default: [card_reader] port)")
    read.add_argument("--timeout", type=float_range(0, 3600), default=DEFAULT_READ_TIMEOUT_S,
                      metavar="SECONDS",
                      help=f"how long to wait for a card (default {DEFAULT_READ_TIMEOUT_S:g})")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument("--reveal", action="store_true",
                      help="print name, numbers and address unmasked (personal data!)")
    read.set_defaults(func=cmd_read)

    status = sub.add_parser("status", help="SAM status and SAM ID")
    status.add_argument("--port", metavar="URL", help="pyserial URL (default: [card_reader] port)")
    status.set_defaults(func=cmd_status)

    ports = sub.add_parser("ports", help="list serial ports with USB VID:PID")
    ports.add_argument("--json", action="store_true", help="print a JSON array")
    ports.set_defaults(func=cmd_ports)


def _reader(args: argparse.Namespace):  # -> CardReader
    from kiosk.bootstrap import open_card_reader  # the composition root names the adapter

    settings = load(args)
    if args.port:
        settings = replace_option(settings, "card_reader.port", args.port)
    return open_card_reader(settings)


def _fail(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 1


def cmd_read(args: argparse.Namespace) -> int:
    reader = _reader(args)
    try:
        card = reader.read_once(args.timeout)
    except CardReaderError as exc:
        return _fail(exc)
    finally:
        reader.close()
    data = card.to_json(reveal=args.reveal)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        for key, value in data.items():
            print(f"{key}: {'' if value is None else value}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    reader = _reader(args)
    try:
        info = reader.sam_status()
    except CardReaderError as exc:
        return _fail(exc)
    finally:
        reader.close()
    print(f"SAM status: {info.status:#04x} {info.description}")
    if info.sam_id:
        print(f"SAM ID: {info.sam_id}")
    return 0 if info.ok else 1


def cmd_simulate(args: argparse.Namespace) -> int:
    try:
        card = read_json_file(Path(args.card))
        if not isinstance(card, dict):
            raise InputFileError(args.card, "须为 JSON 对象 must be a JSON object (the keys of "
                                            "`kiosk card read --json`)")
        simulator = CardSimulator(card, baudrate=args.baud, pace=not args.no_pace)
    except (InputFileError, CardDataError) as exc:
        return _fail(exc)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with simulator:
        print(f"PORT={simulator.port}", flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0


def port_rows() -> list[dict[str, Any]]:
    """One dict per serial port: device, vid_pid ("10c4:ea60" or null), description, …"""
    rows = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        vid_pid = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None else None
        rows.append({"device": port.device, "vid_pid": vid_pid, "description": port.description,
                     "manufacturer": port.manufacturer, "product": port.product,
                     "serial_number": port.serial_number, "location": port.location,
                     "hwgrep": f"hwgrep://{vid_pid}" if vid_pid else None})
    return rows


def cmd_ports(args: argparse.Namespace) -> int:
    rows = port_rows()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("no serial ports found")
    for row in rows:
        print(f"{row['device']}\t{row['vid_pid'] or '-'}\t{row['description']}")
    return 0
