"""Give memory freed by a burst of work back to the operating system.

After a catalog sync (thousands of rows decoded from JSON, normalised and written), CPython has
freed the objects but glibc's allocator keeps the freed pages in the process, so the terminal's
resident memory stays at the sync's peak for the rest of the day. glibc's ``malloc_trim(0)``
(malloc(3), glibc ≥ 2.8) returns the free pages at the top of the heap and, since glibc 2.8,
whole free pages inside it. Elsewhere (musl, macOS) there is no such call and this does nothing.

:func:`configure_malloc` sets two of glibc's allocator parameters (mallopt(3)) before the
kiosk starts its threads:

* ``M_ARENA_MAX`` = 2 (glibc ≥ 2.10). By default glibc gives up to 8 × cores arenas, one per
  thread that allocates while another holds an arena; the kiosk's dozen threads (card reader,
  scanner, printer, outbox, sync, heartbeat…) allocate little each, and every arena keeps its
  own freed pages. Python objects come from CPython's own allocator, serialised by the GIL, so
  the cap costs no measurable contention.
* ``M_MMAP_THRESHOLD`` = 128 KiB, fixed. glibc raises the threshold whenever a large mapped
  block is freed (up to 32 MiB), after which large temporary buffers — the search index read
  from its builder process (~9 MB), a feed page — come from the heap and stay resident once
  freed; fixed, every block of 128 KiB or more is mapped and unmapped on free.

Measured with ``bench/bench_idle.py`` (remote shape, the real catalog synced, 2026-12-01):
idle RSS 300 → 290 MB with the arena cap, then 275 → 266 MB with the fixed threshold (the
step between: the sync moved to a child process, :mod:`kiosk.services.catalog.sync_job`).
"""

from __future__ import annotations

import ctypes
import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)


#: mallopt(3) parameter numbers (glibc's malloc.h)
M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3


def _find_libc() -> str:
    import ctypes.util   # runs a subprocess: only when the process's own symbols lack libc

    return ctypes.util.find_library("c") or "libc.so.6"


@lru_cache(maxsize=1)
def _libc() -> Any:
    """The C library's symbols: the process's own first (no ``ldconfig`` subprocess, which
    ``find_library`` runs: ~15 ms of start-up), by name second; None without ``malloc_trim``."""
    for find in (lambda: None, _find_libc):
        try:
            libc = ctypes.CDLL(find())
        except OSError:
            continue
        if hasattr(libc, "malloc_trim"):
            return libc
    return None


def release_freed_memory() -> bool:
    """Call glibc ``malloc_trim(0)``; True when memory was returned, False when there was none to
    return or the C library has no ``malloc_trim``. Never raises. Takes a few ms."""
    libc = _libc()
    if libc is None:
        return False
    try:
        return bool(libc.malloc_trim(0))
    except (OSError, ValueError) as exc:  # a foreign libc answering oddly: keep running
        log.debug("malloc_trim failed: %s", type(exc).__name__)
        return False


def configure_malloc(arenas: int = 2, mmap_threshold: int = 128 * 1024) -> bool:
    """Cap glibc's malloc arenas at ``arenas`` and fix its mmap threshold at ``mmap_threshold``
    bytes (see the module docstring). Call before starting threads: arenas made already stay.
    True when the C library took both; False without glibc's ``mallopt`` or when it refused
    one. Never raises."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    try:
        return (bool(libc.mallopt(M_ARENA_MAX, int(arenas)))
                and bool(libc.mallopt(M_MMAP_THRESHOLD, int(mmap_threshold))))
    except (OSError, ValueError) as exc:
        log.debug("mallopt failed: %s", type(exc).__name__)
        return False
