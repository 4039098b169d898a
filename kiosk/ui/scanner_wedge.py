"""Feed the keyboard-wedge scanner from the Kivy window, so a scan never reaches a text field.

:class:`ScannerWedgeAdapter` binds the window's ``on_key_down`` and ``on_textinput`` ahead of
the system keyboard (Kivy calls the handler bound last first; returning True stops the event),
hands each key to the keyboard-wedge scanner (:class:`~kiosk.devices.scanner.base.KeyboardWedgePort`,
implemented by ``devices/scanner/keyboard.py``) with
``time.monotonic()``, and swallows it. What the scanner decides was typed by a person is
replayed to the window in order (the focused ``TextInput`` then receives it as usual); a
recognised scan goes to the scanner's listeners on the UI thread. Held keys are released by a
``Clock`` callback at the scanner's deadline (at most ``wedge_max_gap_ms`` later).

Keys: with SDL2 (``managed_textinput``) characters come from ``on_textinput`` and printable
``on_key_down`` events pass untouched (TextInput ignores them); other providers deliver
characters in ``on_key_down``, which is then the source. Enter (13, numpad 271) ends a burst;
modifier keys alone (Shift for capitals …) are ignored; Ctrl/Alt/Meta combinations and other
keys release what is held and pass through.

The app installs it when ``[scanner] mode = "keyboard"`` (``install()`` after the window
exists; ``uninstall()`` at stop) and must keep a reference to it: Kivy binds methods weakly, so
a dropped adapter silently stops intercepting keys. Only this module touches Kivy; the timing rules are in
:mod:`kiosk.devices.scanner.wedge`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock

from kiosk.devices.scanner.base import ENTER, KeyboardWedgePort, Typed

ENTER_KEYS = (13, 271)
ENTER_SCANCODE = 40  # USB HID usage "Keyboard Return"
MODIFIER_KEYS = frozenset(range(300, 314))  # numlock, capslock, shifts, ctrls, alts, meta, compose
COMMAND_MODIFIERS = frozenset({"ctrl", "alt", "meta", "alt-gr"})


class ScannerWedgeAdapter:
    """Window keys → a :class:`KeyboardWedgePort`. ``schedule(callback, delay_s)`` and
    ``clock()`` (seconds) are injectable for tests; by default ``Clock.schedule_once`` and
    ``time.monotonic``."""

    def __init__(self, scanner: KeyboardWedgePort, *,
                 schedule: Callable[[Callable[[float], None], float], Any] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.scanner = scanner
        self._schedule = schedule or Clock.schedule_once
        self._clock = clock
        self._window: Any = None
        self._replaying = False
        self._pending: Any = None

    def install(self, window: Any = None) -> None:
        """Bind to ``window`` (default: ``kivy.core.window.Window``). Keep this object alive
        while installed (Kivy holds bound methods by weak reference)."""
        if window is None:
            from kivy.core.window import Window

            window = Window
        self._window = window
        window.bind(on_key_down=self._on_key_down, on_textinput=self._on_textinput)

    def uninstall(self) -> None:
        """Unbind, and deliver whatever was still held as typed."""
        if self._window is None:
            return
        self._replay(self.scanner.other(self._clock()))
        self._window.unbind(on_key_down=self._on_key_down, on_textinput=self._on_textinput)
        self._window = None

    # -- window events -----------------------------------------------------------------------
    def _on_key_down(self, window: Any, key: int, scancode: Any = None, codepoint: Any = None,
                     modifiers: Any = None, *_args: Any) -> bool:
        if self._replaying:
            return False
        now = self._clock()
        if key in MODIFIER_KEYS:
            return False
        if COMMAND_MODIFIERS & set(modifiers or ()):
            self._replay(self.scanner.other(now))
            return False
        if key in ENTER_KEYS:
            self._replay(self.scanner.enter(now))
            self._arm()
            return True
        if codepoint and len(codepoint) == 1 and codepoint.isprintable():
            if getattr(window, "managed_textinput", False):
                return False  # the character follows as on_textinput
            self._replay(self.scanner.key(codepoint, now))
            self._arm()
            return True
        self._replay(self.scanner.other(now))
        return False

    def _on_textinput(self, window: Any, text: str) -> bool:
        if self._replaying:
            return False
        now = self._clock()
        for char in text:
            self._replay(self.scanner.key(char, now))
        self._arm()
        return True

    # -- timing and replay -------------------------------------------------------------------
    def _arm(self) -> None:
        deadline = self.scanner.next_deadline()
        if self._pending is not None and hasattr(self._pending, "cancel"):
            self._pending.cancel()
        self._pending = None
        if deadline is not None:
            delay = max(deadline - self._clock(), 0.0) + 0.001
            self._pending = self._schedule(self._on_deadline, delay)

    def _on_deadline(self, _dt: float) -> None:
        self._pending = None
        self._replay(self.scanner.poll(self._clock()))
        self._arm()

    def _replay(self, typed: list[Typed]) -> None:
        window = self._window
        if not typed or window is None:
            return
        managed = getattr(window, "managed_textinput", False)
        self._replaying = True
        try:
            for chunk in typed:
                for key in chunk.keys:
                    if key == ENTER:
                        if not window.dispatch("on_key_down", 13, ENTER_SCANCODE, None, []):
                            window.dispatch("on_keyboard", 13, ENTER_SCANCODE, None, [])
                        window.dispatch("on_key_up", 13, ENTER_SCANCODE)
                    elif managed:
                        window.dispatch("on_textinput", key)
                    else:
                        window.dispatch("on_key_down", ord(key), 0, key, [])
                        window.dispatch("on_key_up", ord(key), 0)
        finally:
            self._replaying = False
