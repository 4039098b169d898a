"""Base class of every kiosk screen.

A screen gets the app's service bundle as ``self.services`` (set by the app when it is added)
and two hooks: :meth:`on_session_start` and :meth:`wipe`. ``wipe`` must clear every widget
property that may hold personal data; the app calls it on every screen when a session ends
(finish, idle timeout), and the tests check the widget tree afterwards.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

KV_DIR = Path(__file__).resolve().parent


def load_kv(module_file: str) -> None:
    """Load the ``.kv`` beside a screen module once (same stem as the ``.py``)."""
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)


class KioskScreen(Screen):
    services = ObjectProperty(None, allownone=True)
    #: voice prompt key played when the screen is shown (see kiosk/services/voice_prompts.py)
    prompt_key = ""

    def wipe(self) -> None:
        """Forget everything this screen shows about the current person."""

    def on_session_start(self) -> None:
        """Called when a new session begins (card read or a service entered)."""

    def on_card_event(self, event: object) -> bool:
        """A card event (``kiosk.services.card_events.CardEvent``) while this screen is shown,
        on the UI thread. Return True when handled; otherwise the app applies its default
        (a card laid on the reader outside a journey starts registration)."""
        return False
