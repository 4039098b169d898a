"""Where the kiosk keeps its data: databases, logs, keys, slips (platformdirs or configured)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from kiosk.settings import Settings

APP_NAME = "gd-employment-kiosk"


def data_dir(settings: Settings) -> Path:
    """The data folder, created with mode 0700 (it holds keys and personal data in transit)."""
    configured = settings.paths.data_dir
    path = settings.resolve(configured) if configured else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def log_dir(settings: Settings) -> Path:
    path = data_dir(settings) / "logs"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
