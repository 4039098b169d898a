"""Writing settings changed on site to the site TOML file (never to ``config/kiosk.toml``).

The file is :attr:`kiosk.settings.Settings.site_file`: the ``--config`` / ``$KIOSK_CONFIG``
file, or ``<data_dir>/site.toml`` (loaded at start when it exists). Each change is validated
with :func:`kiosk.settings.replace_option` (the same rules as the file) before anything is
written; the file is then rewritten atomically (temporary file in the same folder, ``fsync``,
``os.replace``) with mode 0600, since it may hold the PIN hash. ``tomli-w`` writes the TOML;
comments in a hand-written site file are not kept (the keys and values are).
"""

from __future__ import annotations

import logging
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any
from collections.abc import Mapping

import tomli_w

from kiosk.settings import ConfigError, Settings, replace_option

logger = logging.getLogger(__name__)

#: Options technicians change on the maintenance screen, with whether a restart is needed.
SITE_OPTIONS: dict[str, bool] = {
    "station.name": False,
    "card_reader.port": True,
    "printer.paper": True,
    "printer.columns": True,
    "session.idle_timeout_s": False,
}


class SiteFileError(Exception):
    """The site file cannot be read or written.

    Attributes:
        path: the file.
        reason: what went wrong (an OS error text or "not valid TOML").
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"站点配置文件无法写入 site file {path}: {reason}")


def site_file_path(settings: Settings) -> Path:
    """The file on-site changes go to (see the module docstring).

    Raises:
        SiteFileError: the settings were not loaded with ``load_settings`` (no site file known).
    """
    if not settings.site_file:
        raise SiteFileError(Path(""), "no site file known (settings not from load_settings)")
    return Path(settings.site_file)


def read_site_file(path: Path) -> dict[str, dict[str, Any]]:
    """The site file's tables (``{}`` when it does not exist yet).

    Raises:
        SiteFileError: unreadable or not valid TOML.
    """
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise SiteFileError(path, f"not valid TOML: {exc}") from exc
    except OSError as exc:
        raise SiteFileError(path, exc.strerror or str(exc)) from exc


def apply_site_changes(settings: Settings, changes: Mapping[str, Any]) -> Settings:
    """Validate ``changes`` (``{"section.key": value}``), write them to the site file, and
    return the new settings (to hand to ``Services.apply_settings``).

    Nothing is written when any change is invalid.

    Raises:
        ConfigError: an unknown option or an invalid value (``option`` names it).
        SiteFileError: the file cannot be read or written.
    """
    new = settings
    for option, value in changes.items():
        new = replace_option(new, option, value)
    path = site_file_path(settings)
    data = read_site_file(path)
    for option, value in changes.items():
        section, _, key = option.partition(".")
        table = data.setdefault(section, {})
        if not isinstance(table, dict):
            raise ConfigError(section, "must be a table [" + section + "]", str(path))
        table[key] = value
    write_site_file(path, data)
    logger.info("site settings changed in %s: %s", path, ", ".join(sorted(changes)))
    return new


def write_site_file(path: Path, data: Mapping[str, Any]) -> None:
    """Atomically replace ``path`` with ``data`` as TOML (mode 0600).

    Raises:
        SiteFileError: the folder is not writable, the disk is full, …
    """
    text = tomli_w.dumps(dict(data))
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".site-", suffix=".toml", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SiteFileError(path, exc.strerror or str(exc)) from exc
