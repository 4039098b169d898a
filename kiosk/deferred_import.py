"""A module imported when one of its names is first used, not when its importer is (issue 23:
every service button working within a second of start).

The services built on the start-up worker reach the platform's wire models (pydantic, ~90
models) only when a request is sent or an answer parsed; importing them with the services cost
the worker ~180 ms on 2 × AMD EPYC (2026-12-02: building the services in one process, median
of 5 runs 550 → 371 ms), before any button worked. A module that names
them through :func:`deferred_module` pays that on its first use instead: the station-info fetch
that :meth:`Services.start` runs in the background right after start-up, or a tool's first call.

Usage (mypy checks the real module's names)::

    if TYPE_CHECKING:
        from kiosk.platform import models
    else:
        models = deferred_module("kiosk.platform.models")

Thread-safe: the first use calls :func:`importlib.import_module`, whose per-module import lock
makes a second thread wait until the first has run the module (a thread never sees it half
executed). ``importlib.util.LazyLoader`` is not used because on Python 3.11 a thread can see
the module before its body has run (CPython gh-114763, fixed in 3.12 and later).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, cast


class _DeferredModule:
    """Stands for module ``name`` until an attribute is read; then every read is the module's.

    Raises:
        ImportError (or what the module's body raises): on the first read, as ``import``
            would have.
        AttributeError: the module has no such name.
    """

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<deferred module {self._name!r} ({state})>"


def deferred_module(name: str) -> ModuleType:
    """Module ``name`` (absolute, e.g. ``"kiosk.platform.models"``), imported on the first
    attribute read. Nothing is imported or checked here: a wrong name fails at that first read
    with :class:`ModuleNotFoundError`."""
    return cast(ModuleType, _DeferredModule(name))
