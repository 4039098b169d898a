"""Mobile-number entry on the numeric keypad: the digits read back in 3-4-4 groups, a clear
Chinese message for a wrong number (``kiosk.services.registration_form.validate_phone``).

``digits`` holds what was typed (at most 11 digits); :meth:`number` returns the checked number
or sets ``error`` and returns "". Call :meth:`clear` when the session ends.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.services.registration_form import FormError, format_phone_entry, validate_phone
from kiosk.ui.keypad import NumericKeypad  # noqa: F401  (kv rule)

MAX_DIGITS = 11


class PhoneEntry(BoxLayout):
    digits = StringProperty("")
    error = StringProperty("")
    shown = StringProperty("")

    def on_digits(self, _widget: object, value: str) -> None:
        self.shown = format_phone_entry(value)

    def key(self, key: str) -> None:
        """A keypad key: a digit, "backspace" or "clear"."""
        self.error = ""
        if key == "backspace":
            self.digits = self.digits[:-1]
        elif key == "clear":
            self.digits = ""
        elif key.isdigit() and len(self.digits) < MAX_DIGITS:
            self.digits += key

    def number(self) -> str:
        """The validated 11-digit number, or "" with ``error`` set."""
        try:
            return validate_phone(self.digits)
        except FormError as exc:
            self.error = exc.message_zh
            return ""

    def clear(self) -> None:
        self.digits = ""
        self.error = ""
        self.shown = ""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
