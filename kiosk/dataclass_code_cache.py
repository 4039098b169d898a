"""Compiled code for the methods ``dataclasses`` generates, kept on disk like ``.pyc`` files
(issue 23: every service button working within a second of start).

Why: for every ``@dataclass`` the standard library writes the source of ``__init__``,
``__repr__``, ``__eq__`` (and, frozen, ``__setattr__``, ``__delattr__``, ``__hash__``) and
compiles each with ``exec`` when the class is defined — at every start, since ``.pyc`` files
keep the module's code, not this generated code. On the 2-core terminal (2 × Intel Xeon
2.8 GHz, Python 3.11.7, 2026-12-03) ``kiosk run`` defines 38 dataclasses before its first frame
(46.6 ms, the settings) and 121 more on the start-up worker before the buttons work
(117 ms); 70 % of that is compiling ~900 small sources (~85 µs each).

How: :func:`install` maps the cache file and puts a ``exec`` of its own into the
``dataclasses`` module's namespace (the module looks ``exec`` up there before the builtins;
CPython 3.11 calls it once per generated method, 3.13 once per class, both as
``exec(source, globals, namespace)``). A source found in the cache runs its stored code object;
any other source is compiled as before, so a stale or partial cache only costs the time it
would have saved. The code stored is exactly ``compile(source, "<string>", "exec",
dont_inherit=True)``, what ``exec(source)`` compiles from the ``dataclasses`` module (which has
no ``__future__`` imports), so classes are the same with and without the cache (tested).
:func:`release` (``kiosk run``: :data:`STARTUP_WINDOW_S` after start) unmaps the file and
takes the hook out.

File (``<package>/__pycache__/dataclass-code.<cache_tag>.bin``, written by
``python -m kiosk.dataclass_code_cache``: ``scripts/setup.sh``, the Debian package's
``postinst``, ``bench/bench_startup.py``; 1.5 MB for ~1,340 sources)::

    offset 0   4 bytes  b"KDC1"
    offset 4   4 bytes  importlib.util.MAGIC_NUMBER of the Python that wrote it
    offset 8   4 bytes  n, little-endian: length of the index
    offset 12  n bytes  marshal of {crc32(source as UTF-8): (offset, length), ...}
    then                per source, at its offset: marshal of (source, code object)

The entry's own source is compared with the one asked for, so a CRC-32 collision runs the
compiler, never foreign code. A file of another Python (magic number), of another layout, or
unreadable is ignored (:func:`install` returns False). The file is as trusted as the ``.pyc``
files beside it (same folder, same owner): marshal data is code.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import logging
import marshal
import mmap
import os
import struct
import sys
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = b"KDC1"
HEADER = struct.Struct("<4s4sI")
#: seconds after ``kiosk run`` starts when the cache is released: the first frame, the
#: start-up worker and demo mode's sandbox start are over well before
STARTUP_WINDOW_S = 60.0
#: modules the builder does not import: the app opens the window; ``__main__`` runs the CLI
NOT_IMPORTED = ("kiosk.app", "kiosk.__main__")


def default_path() -> Path:
    """Where the cache of this Python lives: ``kiosk/__pycache__/dataclass-code.<tag>.bin``."""
    tag = sys.implementation.cache_tag or "unknown"
    return Path(__file__).resolve().parent / "__pycache__" / f"dataclass-code.{tag}.bin"


def _magic() -> bytes:
    from importlib.util import MAGIC_NUMBER

    return MAGIC_NUMBER


def _compile(source: str) -> Any:
    return compile(source, "<string>", "exec", dont_inherit=True)


class _Cache:
    """The mapped file: lookups by source text, counted (``hits``, ``misses``)."""

    def __init__(self, mapped: mmap.mmap, index: dict[int, tuple[int, int]]) -> None:
        self._mapped: mmap.mmap | None = mapped
        self._index = index
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def code_for(self, source: str) -> Any:
        """The stored code of ``source``, or it compiled now (a miss)."""
        place = self._index.get(zlib.crc32(source.encode("utf-8")))
        if place is not None:
            with self._lock:
                entry = None
                if self._mapped is not None:
                    offset, length = place
                    try:
                        entry = marshal.loads(self._mapped[offset:offset + length])
                    except (EOFError, ValueError, TypeError):
                        entry = None
            if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == source:
                self.hits += 1
                return entry[1]
        self.misses += 1
        return _compile(source)

    def close(self) -> None:
        with self._lock:
            if self._mapped is not None:
                self._mapped.close()
                self._mapped = None


_active: _Cache | None = None


def _cached_exec(source: Any, globals: Any = None, locals: Any = None) -> None:  # noqa: A002
    """``exec`` as the ``dataclasses`` module calls it, with the source's code from the cache."""
    cache = _active
    if cache is not None and isinstance(source, str):
        source = cache.code_for(source)
    builtins.exec(source, globals, locals)


def read_index(path: Path) -> tuple[mmap.mmap, dict[int, tuple[int, int]]]:
    """Map ``path`` and read its index.

    Raises:
        OSError: the file cannot be opened or mapped.
        ValueError: not a cache of this Python (layout, magic number) or a damaged index.
    """
    with open(path, "rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        if len(mapped) < HEADER.size:
            raise ValueError("shorter than the header")
        kind, magic, length = HEADER.unpack_from(mapped, 0)
        if kind != FORMAT or magic != _magic():
            raise ValueError("another layout or another Python's magic number")
        try:
            index = marshal.loads(mapped[HEADER.size:HEADER.size + length])
        except (EOFError, ValueError, TypeError) as exc:
            raise ValueError(f"damaged index ({exc})") from exc
        if not isinstance(index, dict):
            raise ValueError("damaged index")
    except ValueError:
        mapped.close()
        raise
    return mapped, index


def install(path: Path | None = None) -> bool:
    """Use the cache at ``path`` (default :func:`default_path`) for the dataclasses defined from
    now on. Returns whether it is in use: False (nothing changed) when the file is missing,
    unreadable or not for this Python — never an error, the classes are then compiled as
    before — and while another ``exec`` hook is in ``dataclasses`` (:func:`main` recording).
    Installing again replaces the previous cache."""
    global _active
    hook = vars(dataclasses).get("exec")
    if hook is not None and hook is not _cached_exec:
        return False          # another hook (the builder recording the sources) stays
    target = default_path() if path is None else Path(path)
    try:
        mapped, index = read_index(target)
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as exc:
        log.info("dataclass code cache %s not used: %s", target, exc)
        return False
    release()
    _active = _Cache(mapped, index)
    dataclasses.exec = _cached_exec  # type: ignore[attr-defined]
    return True


def release() -> tuple[int, int]:
    """Stop using the cache: unmap the file and take the hook out of ``dataclasses``. Returns
    the (hits, misses) counted since :func:`install`; (0, 0) when none was installed."""
    global _active
    cache, _active = _active, None
    if vars(dataclasses).get("exec") is _cached_exec:
        del dataclasses.exec  # type: ignore[attr-defined]
    if cache is None:
        return 0, 0
    cache.close()
    log.debug("dataclass code cache released: %d hits, %d misses", cache.hits, cache.misses)
    return cache.hits, cache.misses


def stats() -> tuple[int, int]:
    """(hits, misses) of the cache in use, (0, 0) when none is."""
    cache = _active
    return (cache.hits, cache.misses) if cache is not None else (0, 0)


def write_cache(path: Path, sources: list[str]) -> int:
    """Compile ``sources`` and write them as a cache file at ``path`` (atomically: a ``.tmp``
    of its own beside it, then renamed). Returns the number of entries (duplicates and CRC-32 collisions
    after the first are left out: they are compiled at run time).

    Raises:
        OSError: the folder cannot be created or written.
        SyntaxError: a source does not compile (not one ``dataclasses`` generated).
    """
    index: dict[int, tuple[int, int]] = {}
    blobs: list[bytes] = []
    for source in dict.fromkeys(sources):
        key = zlib.crc32(source.encode("utf-8"))
        if key in index:
            continue
        blob = marshal.dumps((source, _compile(source)))
        index[key] = (0, len(blob))
        blobs.append(blob)
    # Offsets are marshal ints of fixed size (5 bytes below 2**31), so the index's length is
    # known before its values: place the entries after it.
    body_start = HEADER.size + len(marshal.dumps(index))
    offset = body_start
    for key, blob in zip(index, blobs, strict=True):
        index[key] = (offset, len(blob))
        offset += len(blob)
    encoded = marshal.dumps(index)
    if HEADER.size + len(encoded) != body_start:
        raise OSError("dataclass code cache too large to index (offsets past 2 GiB)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A temporary name of its own: two builders at once (setup.sh beside a benchmark) never
    # write into one file; the last rename wins and either file is whole.
    fd, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(HEADER.pack(FORMAT, _magic(), len(encoded)))
            out.write(encoded)
            for blob in blobs:
                out.write(blob)
        os.chmod(temporary, 0o644)    # as the .pyc files beside it (mkstemp makes 0600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return len(index)


def record_package_sources(package: str = "kiosk") -> tuple[list[str], list[str]]:
    """Import every module of ``package`` (but :data:`NOT_IMPORTED`) and return the sources
    ``dataclasses`` generated meanwhile, and the modules that failed to import (name and
    exception type; their classes are compiled at run time)."""
    import importlib
    import pkgutil

    seen: list[str] = []

    def recording_exec(source: Any, globals: Any = None, locals: Any = None) -> None:  # noqa: A002
        if isinstance(source, str):
            seen.append(source)
        builtins.exec(source, globals, locals)

    failed: list[str] = []
    root = importlib.import_module(package)
    dataclasses.exec = recording_exec  # type: ignore[attr-defined]
    try:
        for info in pkgutil.walk_packages(root.__path__, package + ".",
                                          onerror=lambda name: failed.append(name)):
            if info.name in NOT_IMPORTED or info.name.endswith(".__main__"):
                continue
            try:
                importlib.import_module(info.name)
            except Exception as exc:  # noqa: BLE001 - reported; the rest is still cached
                failed.append(f"{info.name} ({type(exc).__name__})")
    finally:
        if vars(dataclasses).get("exec") is recording_exec:
            del dataclasses.exec  # type: ignore[attr-defined]
    return seen, failed


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.dataclass_code_cache [--output PATH]``: build the cache of this Python
    from every module of the ``kiosk`` package. Exit 0 (one line on stdout), 1 when it cannot
    be written (one line on stderr)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kiosk.dataclass_code_cache",
                                     description="compile the methods dataclasses generate, "
                                                 "for faster starts")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"cache file (default {default_path()})")
    args = parser.parse_args(argv)
    target = args.output or default_path()
    with tempfile.TemporaryDirectory(prefix="kiosk-dataclass-cache-") as kivy_home:
        # Importing the screens imports Kivy (no window): its config and logs go to a folder
        # of its own, and what it logs nowhere (no handler: not logging's last resort either).
        os.environ.update(KIVY_HOME=kivy_home, KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1",
                          KIVY_NO_FILELOG="1")
        logging.getLogger().addHandler(logging.NullHandler())
        # The package's own copy of this module (``-m`` runs another, ``__main__``): the one
        # kiosk.cli calls install() on, which must leave the recording hook in place.
        from kiosk import dataclass_code_cache as package_module

        sources, failed = package_module.record_package_sources()
    try:
        written = write_cache(target, sources)
    except (OSError, SyntaxError) as exc:
        # sys.__stderr__: importing Kivy's widgets replaced sys.stderr with its logger
        print(f"数据类代码缓存写入失败 dataclass code cache not written: {target}: {exc}",
              file=sys.__stderr__)
        return 1
    print(f"dataclass code cache: {written} sources -> {target}"
          + (f" ({len(failed)} module(s) not imported: {', '.join(failed)})" if failed else ""),
          file=sys.__stdout__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
