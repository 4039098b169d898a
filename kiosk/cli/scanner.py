"""``kiosk scanner …``: the barcode scanner from the command line.

* ``kiosk scanner simulate --code TEXT [--suffix cr|lf|crlf|none] [--aim ]Q1]
  [--encoding utf-8|gb18030]`` — serve a simulated serial scanner on a pty; the first stdout
  line is ``PORT=<path>``; ``TEXT`` is scanned once a host opens the port, then one scan per
  line of standard input; runs until SIGINT/SIGTERM (end of input does not stop it). With
  ``--faults``, input lines starting with ``!`` are fault commands for technicians:
  ``!garbled``, ``!partial TEXT``, ``!raw HEX``, ``!unplug``, ``!replug`` (``!!…`` scans a
  text starting with ``!``).
* ``kiosk scanner read [--port URL] [--timeout SECONDS] [--suffix …] [--json]`` — wait for one
  scan and print it (``{"text": …, "symbology": "]Q1" or null}`` with ``--json``). Exit 1 with
  a one-line message on timeout or a scanner error.

``--port`` defaults to ``[scanner] port`` ("simulator" starts the demo simulator); suffix and
``aim_prefix`` come from ``[scanner]`` unless given.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from kiosk.cli.context import load
from kiosk.devices.scanner.errors import ScannerError, ScannerNotConfigured
from kiosk.devices.scanner.factory import serial_config
from kiosk.devices.scanner.frames import Suffix
from kiosk.devices.scanner.reader import SerialScanner
from kiosk.devices.scanner.simulator import ScannerSimulator
from kiosk.devices.scanner.symbology import check_identifier
from kiosk.settings import replace_option

DEFAULT_READ_TIMEOUT_S = 30.0
SUFFIXES = [s.value for s in Suffix]


def _identifier(text: str) -> str:
    try:
        return check_identifier(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from exc
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 86400 seconds")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("scanner", help="barcode scanner: simulate, read one scan")
    sub = parser.add_subparsers(dest="scanner_command", metavar="ACTION")
    sub.required = True

    simulate = sub.add_parser("simulate", help="serve a simulated serial scanner on a pty")
    simulate.add_argument("--code", required=True, metavar="TEXT",
                          help="first code to scan (then one per line of standard input)")
    simulate.add_argument("--suffix", choices=SUFFIXES, default="cr",
                          help="terminator after each code (default cr)")
    simulate.add_argument("--aim", type=_identifier, metavar="ID",
                          help="AIM symbology identifier to prepend, e.g. ]Q1 (ISO/IEC 15424)")
    simulate.add_argument("--encoding", choices=("utf-8", "gb18030"), default="utf-8",
                          help="code page of the text (default utf-8)")
    simulate.add_argument("--faults", action="store_true",
                          help="input lines starting with '!' are faults: !garbled, "
                               "!partial TEXT, !raw HEX, !unplug, !replug")
    simulate.set_defaults(func=cmd_simulate)

    read = sub.add_parser("read", help="wait for one scan and print it")
    read.add_argument("--port", metavar="URL", help="pyserial URL (default: [scanner] port)")
    read.add_argument("--timeout", type=_seconds, default=DEFAULT_READ_TIMEOUT_S,
                      metavar="SECONDS",
                      help=f"how long to wait for a scan (default {DEFAULT_READ_TIMEOUT_S:g})")
    read.add_argument("--suffix", choices=SUFFIXES, help="terminator (default: [scanner] suffix)")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.set_defaults(func=cmd_read)


def _fail(exc: Exception) -> int:
    message = getattr(exc, "message_zh", "")
    print(f"error: {message + ' ' if message else ''}{exc}".replace("\n", " "), file=sys.stderr)
    return 1


def cmd_read(args: argparse.Namespace) -> int:
    settings = load(args)
    if args.port:
        settings = replace_option(settings, "scanner.port", args.port)
    if args.suffix:
        settings = replace_option(settings, "scanner.suffix", args.suffix)
    section = settings.scanner
    if not args.port and (not section.enabled or section.mode != "serial"):
        reason = ("scanner.enabled = false" if not section.enabled
                  else f'scanner.mode = "{section.mode}"; give --port URL')
        return _fail(ScannerNotConfigured(reason))
    on_close: tuple[Callable[[], None], ...] = ()
    simulator = None
    if section.port == "simulator":
        simulator = ScannerSimulator(suffix=Suffix(section.suffix)).start()
        on_close = (simulator.close,)
    scanner = SerialScanner(serial_config(section, simulator.port if simulator else None),
                            on_close=on_close)
    try:
        scan = scanner.read_once(args.timeout)
    except ScannerError as exc:
        return _fail(exc)
    finally:
        scanner.close()
    if args.json:
        print(json.dumps(scan.to_json(), ensure_ascii=False))
    else:
        print(f"text: {scan.text}")
        print(f"symbology: {scan.symbology or '-'}"
              + (f" ({scan.symbology_name})" if scan.symbology else ""))
    return 0


def _fault(simulator: ScannerSimulator, command: str) -> str:
    """Apply one ``!`` command; returns what was done (for stderr)."""
    name, _, argument = command.partition(" ")
    if name == "garbled":
        return f"sent garbled bytes {simulator.garbled().hex(' ')}"
    if name == "partial" and argument:
        return f"sent a partial scan {simulator.partial(argument).hex(' ')}"
    if name == "raw" and argument:
        data = bytes.fromhex(argument)
        simulator.send_raw(data)
        return f"sent {len(data)} raw bytes"
    if name == "unplug":
        simulator.unplug()
        return "unplugged (the port path is gone)"
    if name == "replug":
        simulator.replug()
        return "plugged in again"
    raise ValueError(f"unknown fault {command!r}: !garbled, !partial TEXT, !raw HEX, !unplug, "
                     "!replug")


def _scan_lines(simulator: ScannerSimulator, stream: TextIO, faults: bool = False) -> None:
    for line in stream:
        text = line.rstrip("\r\n")
        if not text:
            continue
        try:
            if faults and text.startswith("!") and not text.startswith("!!"):
                print(_fault(simulator, text[1:].strip()), file=sys.stderr, flush=True)
                continue
            simulator.scan(text[1:] if faults and text.startswith("!!") else text)
        except ValueError as exc:  # bad hex, unknown fault, text the encoding cannot hold
            print(f"error: {exc}", file=sys.stderr, flush=True)


def cmd_simulate(args: argparse.Namespace) -> int:
    load(args)
    try:
        simulator = ScannerSimulator(suffix=Suffix(args.suffix), aim=args.aim,
                                     encoding=args.encoding)
        simulator.frame(args.code)
    except ValueError as exc:
        return _fail(exc)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with simulator:
        print(f"PORT={simulator.port}", flush=True)
        simulator.scan(args.code)
        threading.Thread(target=_scan_lines, args=(simulator, sys.stdin, args.faults),
                         name="scanner-stdin", daemon=True).start()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0
