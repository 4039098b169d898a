"""The single place screens are declared: ``SCREENS`` (built once, in this order) and
``SERVICE_ROUTES`` (home-screen service → what to do when it is tapped)."""

from __future__ import annotations

from typing import Any, Callable

from kiosk.screens.home import HomeScreen

SCREENS: list[tuple[str, Callable[..., Any]]] = [
    ("home", HomeScreen),
]

SERVICE_ROUTES: dict[str, Callable[[Any], None]] = {}
