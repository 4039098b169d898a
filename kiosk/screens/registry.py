"""Every screen, found where it is declared.

Each module under ``kiosk/screens/`` that defines screens lists them in a module-level
``SCREENS`` mapping (name → class), a dict literal with string keys. :func:`screen_index` reads
those names from the sources without importing anything, so the app imports a screen's module
only when the screen is first shown (issue 23: an idle terminal holds no code, kv rules or
widgets for screens nobody opened; about 5 MB). :func:`screen_classes` imports every module and
returns them all (tests, tools); the app builds each screen once (Kivy screens that are
rebuilt leak, kivy#949/#7991). Which screen follows which is not decided here: the journeys
declare it
(:mod:`kiosk.services.journeys.declared`), and :func:`missing_screens` checks that every screen a
journey names exists.
"""

from __future__ import annotations

import ast
import importlib
import logging
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.screens.base import KioskScreen

log = logging.getLogger(__name__)

#: modules that declare no screens of their own
_NOT_SCREENS = frozenset({"base", "registry"})
_FOLDER = Path(__file__).parent


def screen_modules() -> list[str]:
    """The names of the modules that may declare screens ("applications", "home", …), sorted;
    nothing is imported."""
    return sorted(info.name for info in pkgutil.iter_modules([str(_FOLDER)])
                  if info.name not in _NOT_SCREENS)


def declared_names(module_name: str) -> list[str] | None:
    """The screen names ``kiosk/screens/<module_name>.py`` declares, read from its source (the
    top-level ``SCREENS = {...}`` statement, parsed with :mod:`ast`; ~0.1 ms a module), or
    None when that cannot be read: no source file (bytecode only), or ``SCREENS`` is not a
    dict literal with string keys (the module must then be imported to know)."""
    try:
        source = (_FOLDER / f"{module_name}.py").read_text(encoding="utf-8")
    except OSError:
        return None
    start = source.find("\nSCREENS = ")
    if start < 0:
        return [] if "SCREENS" not in source else None
    try:
        statement = ast.parse(source[start + 1:]).body[0]
    except SyntaxError:
        return None
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Dict) or not all(
            isinstance(key, ast.Constant) and isinstance(key.value, str) for key in value.keys):
        return None
    return [key.value for key in value.keys]  # type: ignore[union-attr]


@dataclass(frozen=True)
class ScreenIndex:
    """Where each screen is declared, read from the sources (:func:`screen_index`).

    ``modules`` maps screen name → module name; ``unreadable`` lists the modules whose names
    :func:`declared_names` could not read (they are imported when a name is not found)."""

    modules: dict[str, str]
    unreadable: tuple[str, ...]


@lru_cache(maxsize=1)
def screen_index() -> ScreenIndex:
    """Every screen module's declared names, nothing imported (~3 ms for all 34 modules on a
    2-core terminal). Cached: the sources do not change while the kiosk runs."""
    modules: dict[str, str] = {}
    unreadable: list[str] = []
    for module_name in screen_modules():
        names = declared_names(module_name)
        if names is None:
            log.debug("screens of %s not readable from its source: imported when needed",
                      module_name)
            unreadable.append(module_name)
            continue
        for name in names:
            modules.setdefault(name, module_name)
    return ScreenIndex(modules, tuple(unreadable))


def declared_in(module_name: str, found: dict[str, type[KioskScreen]]) -> None:
    """Import ``kiosk.screens.<module_name>`` and add its ``SCREENS`` to ``found``.

    Raises:
        ValueError: a screen name already in ``found`` with another class.
    """
    module = importlib.import_module(f"kiosk.screens.{module_name}")
    for name, cls in getattr(module, "SCREENS", {}).items():
        if name in found and found[name] is not cls:
            raise ValueError(f"screen {name!r} declared twice ({module_name})")
        found[name] = cls


def screen_classes() -> dict[str, type[KioskScreen]]:
    """Every declared screen by name, in module-name order (``home`` first).

    Raises:
        ValueError: two modules declare the same screen name.
    """
    found: dict[str, type[KioskScreen]] = {}
    for module_name in screen_modules():
        declared_in(module_name, found)
    home = found.pop("home", None)
    return ({"home": home} if home is not None else {}) | found


def missing_screens(journey_screens: Iterable[str], declared: Iterable[str]) -> list[str]:
    """The screens named by journeys (``JourneySpec.screens``) that no module declares."""
    have = set(declared)
    return sorted({name for name in journey_screens if name not in have})
