"""The "还在吗？" overlay shown when the idle timeout runs out, with a visible countdown and a
large "继续使用" button (适老化: warn before a time limit ends the task)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.line_break import LineBreakingLabel  # noqa: F401  (kv rule)


class IdleOverlay(FloatLayout):
    seconds_left = NumericProperty(0)

    def on_touch_down(self, touch):  # noqa: ANN001 - Kivy signature
        if self.opacity == 0:
            return False
        super().on_touch_down(touch)
        return True  # modal: nothing below reacts while it is shown


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
