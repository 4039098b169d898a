"""A private, persistent cache of python-escpos's parsed printer capabilities.

python-escpos 3.1 parses its ``capabilities.json`` with pure-Python YAML when it is imported
(~0.3–0.4 s on a 2-core terminal, more under load) and caches the result as a pickle in
``$ESCPOS_CAPABILITIES_PICKLE_DIR`` — by default a fresh ``mkdtemp()`` folder on every start, so
the cache never hits (and one more folder is left in /tmp per start).

:func:`prepare` (call it before the first ``import escpos``) points python-escpos at
``<user cache dir>/escpos`` (platformdirs; 0700, owned by the kiosk user: a pickle is only
ever loaded from a folder no one else can write) when a complete, current pickle is there.
Otherwise python-escpos writes a new one into a private temporary folder and :func:`publish`
(call it after the import) moves it into the cache with an atomic rename — python-escpos writes
in place, so two kiosk processes starting together could otherwise read a half-written pickle.
An operator's own ``ESCPOS_CAPABILITIES_PICKLE_DIR`` is left alone. Problems with the cache
folder are logged (warning) and python-escpos's default is kept; nothing is raised.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import platform
import shutil
import stat
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
_pending: tuple[Path, Path] | None = None     # (temporary folder, cache folder)
_set_here = False                             # prepare() set ENV (publish() takes it back)


def _pickle_name() -> str:
    return f"{platform.python_version()}.capabilities.pickle"


def _capabilities_json() -> Path | None:
    spec = importlib.util.find_spec("escpos")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "capabilities.json"


def default_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("gd-employment-kiosk")) / "escpos"


def prepare(folder: Path | None = None) -> Path | None:
    """Set :data:`ENV` before escpos is imported; returns the folder python-escpos will read
    (the cache, or a temporary folder to be published), None when left to its default."""
    global _pending, _set_here
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    folder = folder or default_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            log.warning("escpos cache folder is not private; not used")
            return None
        cached = folder / _pickle_name()
        source = _capabilities_json()
        current = cached.exists() and (source is None or not source.exists()
                                       or cached.stat().st_mtime >= source.stat().st_mtime)
        if current:
            os.environ[ENV] = str(folder)
            _set_here = True
            return folder
        temporary = Path(tempfile.mkdtemp(prefix="kiosk-escpos-"))
    except OSError as exc:
        log.warning("escpos cache folder unusable (%s)", type(exc).__name__)
        return None
    _pending = (temporary, folder)
    os.environ[ENV] = str(temporary)
    _set_here = True
    return temporary


def publish() -> None:
    """After ``import escpos``: move a freshly written pickle into the cache (atomic rename),
    and take back the setting :func:`prepare` made. python-escpos reads it only while it is
    imported; left in the environment, every child process (a `kiosk` subcommand, the
    installed package's run as another user, a test's subprocess) would inherit a folder it
    may not write or that no longer exists, and fail to import escpos."""
    global _pending, _set_here
    pending, _pending = _pending, None
    try:
        if pending is not None:
            temporary, folder = pending
            try:
                written = temporary / _pickle_name()
                if written.exists() and written.stat().st_size > 0:
                    os.replace(written, folder / _pickle_name())
            except OSError as exc:
                log.warning("escpos capabilities not cached (%s)", type(exc).__name__)
            finally:
                shutil.rmtree(temporary, ignore_errors=True)
    finally:
        if _set_here:
            os.environ.pop(ENV, None)
            _set_here = False
