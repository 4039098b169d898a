"""On-screen keypads drawn inside the app (system on-screen keyboards sit below a full-screen
window on Wayland, see shared/design/kiosk-ux-kivy-privacy.md §2.4).

``NumericKeypad`` (1–9, 清空, 0, 删除: phone numbers) and ``LetterKeypad`` (a–z, 删除, 清空:
pinyin initials/full pinyin search). Both dispatch ``on_key(key)`` with the digit/letter, or
``"backspace"`` / ``"clear"``; keys are at least ``app.theme.touch_min`` in both dimensions.

``KeypadDisplay`` shows what was typed (``value``, large and bold) or, while nothing is, a hint
(``hint``, body size, muted). Its height is that of one line of the value font or of the hint,
whichever is taller, whatever is shown: typing the first digit never makes it grow, so the keys
below it never move under the next tap (issue 17 item 5).
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.gridlayout import GridLayout

NUMERIC_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "backspace")
LETTER_KEYS = tuple("abcdefghijklmnopqrstuvwxyz") + ("backspace", "clear")


class KeypadKey(Button):
    """One key; ``key`` is what :class:`Keypad` dispatches."""

    key = ""


class Keypad(GridLayout):
    """A grid of keys; ``keys`` in reading order, ``key_height`` in px (theme-scaled in kv)."""

    keys = ListProperty([])
    key_height = NumericProperty(0)

    def __init__(self, **kwargs: object) -> None:
        self.register_event_type("on_key")
        super().__init__(**kwargs)
        self.fbind("keys", self._build)
        self._build()

    def _build(self, *_args: object) -> None:
        from kiosk.ui.i18n import _

        self.clear_widgets()
        for key in self.keys:
            label = {"backspace": _("删除"), "clear": _("清空")}.get(key, key.upper())
            button = KeypadKey(text=label)
            button.key = key
            button.bind(on_release=self._pressed)
            self.add_widget(button)

    def _pressed(self, button: KeypadKey) -> None:
        self.dispatch("on_key", button.key)

    def on_key(self, key: str) -> None:
        """Default handler (bind ``on_key`` in kv or Python)."""


class NumericKeypad(Keypad):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("keys", list(NUMERIC_KEYS))
        super().__init__(**kwargs)


class KeypadDisplay(FloatLayout):
    """The typed ``value`` or, while it is "", the ``hint``, in a box of constant height.

    Font sizes in px: ``value_font_size`` (kv default ``app.theme.huge``) and ``hint_font_size``
    (``app.theme.body``). Both texts are laid out all the time (the one not shown is invisible),
    and the box is as tall as the taller of them plus ``dp(32)``; a value is one line (an empty
    value is measured as a no-break space).
    """

    value = StringProperty("")
    hint = StringProperty("")
    value_font_size = NumericProperty(0)
    hint_font_size = NumericProperty(0)


class LetterKeypad(Keypad):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("keys", list(LETTER_KEYS))
        super().__init__(**kwargs)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
