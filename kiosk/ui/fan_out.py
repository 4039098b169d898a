"""Property changes that reach many kv rules (长辈模式, the language), safe from a garbage
collection on another thread.

A kv rule binds a widget's property to, say, ``app.theme.body`` and holds the widget through a
weak proxy. A widget that is garbage — in a reference cycle, as most Kivy widgets are — keeps
its bindings until the cyclic collector frees it and its weakref callback unbinds them
(``kivy.uix.widget._widget_destructor``). CPython collects on whichever thread is allocating:
if that is another thread (the card reader's, the outbox worker's…) while the UI thread is
dispatching the change, the UI thread can call the rule of a widget freed a moment before —
``ReferenceError: weakly-referenced object no longer exists`` from ``kivy/lang/builder.py``
``call_fn`` — and the rest of the change is not applied (seen once in the UI tests toggling
长辈模式; reproduced outside the app with a thread allocating: 29 of 400 changes failed, 0
under :func:`collected_first`).

:func:`collected_first` turns the automatic collector off, waits for a collection already
running on another thread to finish (it clears the weakrefs of all its garbage first and
only then runs their callbacks, one by one, giving up the interpreter lock between them: a
change dispatched meanwhile meets widgets already dead and not yet unbound), runs a full
collection itself (the dead widgets' bindings are removed), and keeps the collector off while
the change fans out; reference counting still frees what has no cycle. Collections are
followed with a :data:`gc.callbacks` hook. Costs one full collection (tens of ms) per switch.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: how long (s) to wait at most for another thread's collection to end (one takes milliseconds)
WAIT_FOR_COLLECTION_S = 1.0

_lock = threading.Lock()
_running = 0                     # collections between their "start" and "stop" callbacks


def _track(phase: str, _info: dict[str, Any]) -> None:
    global _running
    with _lock:
        _running += 1 if phase == "start" else -1


gc.callbacks.append(_track)


def collection_running() -> bool:
    """True while a garbage collection is in progress on some thread."""
    return _running > 0


@contextmanager
def collected_first() -> Iterator[None]:
    """``with collected_first(): theme.elderly = True`` — the collector off, any running
    collection finished, a full collection done; then no collection inside."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        deadline = time.monotonic() + WAIT_FOR_COLLECTION_S
        while collection_running() and time.monotonic() < deadline:
            time.sleep(0.001)        # the collecting thread needs the interpreter lock to finish
        gc.collect()
        yield
    finally:
        if enabled:
            gc.enable()
