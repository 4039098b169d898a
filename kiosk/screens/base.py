"""Base class of every kiosk screen.

A screen is given, when the app builds it (never looked up):

* ``services``: the service bundle (``kiosk.bootstrap.Services``) for the work it does in the
  background (search the catalog, submit, print);
* ``nav``: the journey engine (``kiosk.services.journeys.engine.JourneyEngine``): the screen
  tells it what the person did (``nav.next(...)``, ``nav.back()``, ``nav.send(event, ...)``,
  ``nav.finish(reason)``) and the engine decides what is shown next;
* ``shell``: the app's window-level actions (:class:`Shell`), for the maintenance screens only.

The engine gives a screen what it shows through :meth:`show` (before it is entered) and
:meth:`update` (while it is shown). ``wipe`` must clear every widget property that may hold
personal data; the app calls it on every screen when a session ends (finish, idle timeout),
and the tests check the widget tree afterwards. A screen never touches another screen.

A module under ``kiosk/screens/`` declares its screens in ``SCREENS`` (name → class); the app
builds every declared screen once (``kiosk/screens/registry.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from kivy.lang import Builder
from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

KV_DIR = Path(__file__).resolve().parent


def load_kv(module_file: str) -> None:
    """Load the ``.kv`` beside a screen module once (same stem as the ``.py``)."""
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)


class Shell(Protocol):
    """Window-level actions of the app (maintenance mode only)."""

    def show_screen(self, name: str) -> None:
        """Show a screen outside any journey (the maintenance screens)."""

    def set_station_name(self, name: str) -> None: ...

    def restart_app(self, reason: str) -> None: ...

    def technician_exit(self) -> None: ...


class KioskScreen(Screen):
    services = ObjectProperty(None, allownone=True)
    nav = ObjectProperty(None, allownone=True)
    shell = ObjectProperty(None, allownone=True)
    #: voice prompt key played when the screen is shown (see kiosk/services/voice_prompts.py)
    prompt_key = ""
    #: 首页 asks 继续填写 / 退出并清除 first on this screen (a form has been started)
    asks_before_leaving = False

    def show(self, values: Mapping[str, object]) -> None:
        """The engine shows this screen with ``values`` (keys documented per screen)."""

    def update(self, values: Mapping[str, object]) -> None:
        """New values while shown (default: the same as :meth:`show`)."""
        self.show(values)

    def wipe(self) -> None:
        """Forget everything this screen shows about the current person."""
