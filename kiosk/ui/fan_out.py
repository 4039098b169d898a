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

:func:`collected_first` runs a full collection first (the dead widgets' bindings are removed)
and keeps the collector off while the change fans out; reference counting still frees what
has no cycle. Costs one full collection (tens of ms) per switch.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collected_first() -> Iterator[None]:
    """``with collected_first(): theme.elderly = True`` — collect, then no collection inside."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
