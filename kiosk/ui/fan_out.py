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

:func:`collected_first` turns the automatic collector off (no new automatic collection starts
on any thread), then runs a full collection itself, again until one really ran on its own thread:
:func:`gc.collect` returns at once, collecting nothing, while another thread's collection is in
progress — which clears the weakrefs of all its garbage first and only then runs their
callbacks, one by one, giving up the interpreter lock between them, so a change dispatched
meanwhile meets widgets already dead and not yet unbound. Whether a call really collected is
told by the ``start`` phase of a :data:`gc.callbacks` hook, which CPython calls on the
collecting thread (a counter of running collections, as before, missed a collection whose
``start`` callback had not yet run: 1 change in 100 failed in the unit test under the full
suite's load). Once the UI thread's own collection has run, no other is in progress and none
starts while the change fans out with the collector off; reference counting still frees what
has no cycle. Costs one full collection (tens of ms) per switch that changes something.
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

_this_thread = threading.local()   # .collected: a collection ran on this thread since reset


def _track(phase: str, _info: dict[str, Any]) -> None:
    if phase == "start":           # called on the collecting thread
        _this_thread.collected = True


gc.callbacks.append(_track)


@contextmanager
def collected_first() -> Iterator[None]:
    """``with collected_first(): theme.elderly = True`` — the collector off, a full collection
    run on this thread (after any other thread's has ended; at most
    :data:`WAIT_FOR_COLLECTION_S`); then no collection inside."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        deadline = time.monotonic() + WAIT_FOR_COLLECTION_S
        while True:
            _this_thread.collected = False
            gc.collect()
            if _this_thread.collected or time.monotonic() >= deadline:
                break
            time.sleep(0.001)        # the collecting thread needs the interpreter lock to finish
        yield
    finally:
        if enabled:
            gc.enable()
