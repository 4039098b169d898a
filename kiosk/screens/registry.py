"""The single place screens are declared.

* ``SCREENS``: (name, class) of every screen, built once at start in this order.
* ``SERVICE_ROUTES``: what a home-screen service button does (service → callable(app)).
* ``IDENTITY_ROUTES``: where to go once the card has been read, by the session's
  ``pending_action`` (set by ``app.require_identity(action)``).
"""

from __future__ import annotations

from typing import Any, Callable

from kiosk.screens.home import HomeScreen

SCREENS: list[tuple[str, Callable[..., Any]]] = [
    ("home", HomeScreen),
]

SERVICE_ROUTES: dict[str, Callable[[Any], None]] = {}

IDENTITY_ROUTES: dict[str, Callable[[Any], None]] = {}
