"""The ``kiosk`` command: ``kiosk [--config PATH] <command> ...``.

Each command lives in its own module under ``kiosk/cli/`` and exposes
``register(subparsers)``, which adds its parser and sets ``func(args) -> int`` as default.
Exit status: 0 success, 1 the action failed (a message on stderr), 2 bad usage or config.
Every expected failure is one line on stderr (:mod:`kiosk.cli.failures`), never a traceback;
``KIOSK_DEBUG=1`` re-raises unexpected errors for developers.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__, dataclass_code_cache

# Before the settings are imported: their 38 dataclasses are the first ones defined (issue 23).
dataclass_code_cache.install()

from kiosk.settings import ConfigError  # noqa: E402

# Command modules, in the order their help is shown.
COMMAND_MODULES = ("run", "card", "scanner", "printer", "slip", "sandbox", "vacancies", "outbox",
                   "doctor", "maintenance", "assistance", "employer", "stats", "metrics",
                   "resume", "migrate")


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (skipping ``--config PATH``), if it is a known one."""
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--config":
            skip = True
            continue
        if token.startswith("-"):
            continue
        return token if token in COMMAND_MODULES else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``kiosk`` parser; with ``only``, just that command's module is imported (start-up
    time: the other commands pull in python-escpos, FastAPI, pypinyin …)."""
    # python-escpos logs through the root logger at import time; a bare root logger would make
    # the stdlib install its own stderr handler (basicConfig). Ours are added by context.load.
    logging.getLogger().addHandler(logging.NullHandler())
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="就业驿站自助服务终端 / Employment-station self-service kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", metavar="PATH",
                        help="site configuration file overriding config/kiosk.toml "
                             "(default: $KIOSK_CONFIG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in (only,) if only else COMMAND_MODULES:
        importlib.import_module(f"kiosk.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_chosen_command(argv))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `kiosk … | head`: the reader went away; stop quietly like other Unix tools.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # noqa: BLE001 - one line for the technician, traceback to the log
        return _report_failure(exc)


def _report_failure(exc: Exception) -> int:
    import os

    from kiosk.cli.failures import describe_failure, internal_error_line

    message = describe_failure(exc)
    if message is not None:
        print(message, file=sys.stderr)
        return 1
    if os.environ.get("KIOSK_DEBUG") == "1":
        raise exc
    _log_to_files(exc)
    print(internal_error_line(exc, "logs/kiosk.log"), file=sys.stderr)
    return 1


def _log_to_files(exc: Exception) -> None:
    """The traceback of a bug to the log files only (never to the technician's console)."""
    record = logging.LogRecord("kiosk.cli", logging.ERROR, __file__, 0,
                               "command failed unexpectedly", None,
                               (type(exc), exc, exc.__traceback__))
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            handler.handle(record)
