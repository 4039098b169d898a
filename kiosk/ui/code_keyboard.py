"""The large on-screen keyboard for a 统一社会信用代码 / 注册号: the ten digits and all 26 letters
(I, O, S, V, Z included, so a code copied wrongly from the licence gets the plain-Chinese
"含有不能使用的字母：O（是数字0吗？）" instead of a key that silently does nothing), 删除 and 清空.

Keys are at least ``app.theme.touch_min`` and, by default, 1.4× that high (the code is typed
from a paper licence held in the other hand). Dispatches ``on_key(key)`` with the upper-case
character, or ``"backspace"`` / ``"clear"``. :func:`grouped` shows a code in groups of four so
it can be compared with the licence at a glance.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.keypad import KeypadKey

CODE_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
#: the longest code (GB 32100-2015: 18 characters)
MAX_CODE = 18


def grouped(code: str) -> str:
    """``"9144 0101 MA5C JQ4N 59"`` (groups of four, for reading back)."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


class CodeKeyboard(BoxLayout):
    key_height = NumericProperty(0)

    def __init__(self, **kwargs: object) -> None:
        self.register_event_type("on_key")
        super().__init__(**kwargs)
        self._build()

    def _build(self) -> None:
        from kiosk.ui.i18n import _

        self.clear_widgets()
        for r, row in enumerate(CODE_ROWS):
            line = BoxLayout(spacing=self.spacing)
            keys = [(ch, ch, 1.0) for ch in row]
            if r == 2:
                keys.append((_("删除"), "backspace", 1.4))
            if r == 3:
                keys.append((_("清空"), "clear", 1.6))
            for label, value, width in keys:
                key = KeypadKey(text=label, size_hint_x=width)
                key.key = value
                key.bind(on_release=self._pressed)
                line.add_widget(key)
            self.add_widget(line)

    def _pressed(self, key: KeypadKey) -> None:
        self.dispatch("on_key", key.key)

    def on_key(self, key: str) -> None:
        """Default handler (bind ``on_key`` in kv or Python)."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
