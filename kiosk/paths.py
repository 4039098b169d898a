"""Where the kiosk keeps its data: databases, logs, keys, slips (platformdirs or configured)."""

from __future__ import annotations

from pathlib import Path

from kiosk.settings import APP_NAME, ConfigError, Settings

__all__ = ["APP_NAME", "data_dir", "log_dir"]


def data_dir(settings: Settings) -> Path:
    """The data folder, created with mode 0700 (it holds keys and personal data in transit).

    Raises:
        ConfigError: ``paths.data_dir`` cannot be created (read-only or missing parent).
    """
    configured = settings.paths.data_dir
    if configured:
        path = settings.resolve(configured)
    else:  # imported here: a configured terminal's start-up does not pay its import
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME))
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ConfigError("paths.data_dir", f"cannot create {path} ({exc.strerror})",
                          settings.site_file or "<defaults>") from exc
    return path


def log_dir(settings: Settings) -> Path:
    path = data_dir(settings) / "logs"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
