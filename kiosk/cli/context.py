"""What every command needs first: the settings (parsed once) and logging configured."""

from __future__ import annotations

import argparse

from kiosk.logging_setup import configure_logging
from kiosk.paths import log_dir
from kiosk.settings import Settings, load_settings


def load(args: argparse.Namespace, *, console: bool = False) -> Settings:
    """Load settings from ``--config``/``$KIOSK_CONFIG`` and configure logging.

    Raises:
        ConfigError: the configuration is invalid (``kiosk.cli.main`` prints it, exit 2).
    """
    settings = load_settings(getattr(args, "config", None))
    configure_logging(log_dir(settings), settings.logging.level, settings.logging.max_bytes,
                      settings.logging.backup_count, console=console)
    return settings


def int_range(low: int, high: int):  # noqa: ANN201 - an argparse ``type``
    """An argparse ``type`` for whole numbers in ``[low, high]`` (a clear usage error, never an
    OverflowError from SQLite or a socket later)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def float_range(low: float, high: float):  # noqa: ANN201 - an argparse ``type``
    """An argparse ``type`` for numbers of seconds in ``(low, high]`` (no NaN, no infinity, no
    negative wait that would make a loop spin or never end)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
        if not low < value <= high:  # also False for NaN
            raise argparse.ArgumentTypeError(f"must be more than {low:g} and at most {high:g}")
        return value

    return parse
