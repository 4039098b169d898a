"""Every screen, found where it is declared.

Each module under ``kiosk/screens/`` that defines screens lists them in a module-level
``SCREENS`` mapping (name → class). :func:`screen_classes` imports those modules and returns
them all; the app builds each once (Kivy screens that are rebuilt leak, kivy#949/#7991). Which
screen follows which is not decided here: the journeys declare it
(:mod:`kiosk.services.journeys.declared`), and :func:`missing_screens` checks that every screen a
journey names exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from pathlib import Path

from kiosk.screens.base import KioskScreen

#: modules that declare no screens of their own
_NOT_SCREENS = frozenset({"base", "registry"})


def screen_modules() -> list[str]:
    """The names of the modules that may declare screens ("applications", "home", …), sorted;
    nothing is imported (the app imports them one per frame after start-up)."""
    return sorted(info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)])
                  if info.name not in _NOT_SCREENS)


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
