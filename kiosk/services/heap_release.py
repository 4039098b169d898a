"""Give memory freed by a burst of work back to the operating system.

After a catalog sync (thousands of rows decoded from JSON, normalised and written), CPython has
freed the objects but glibc's allocator keeps the freed pages in the process, so the terminal's
resident memory stays at the sync's peak for the rest of the day. glibc's ``malloc_trim(0)``
(malloc(3), glibc ≥ 2.8) returns the free pages at the top of the heap and, since glibc 2.8,
whole free pages inside it. Elsewhere (musl, macOS) there is no such call and this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
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
