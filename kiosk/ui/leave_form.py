"""继续填写 / 退出并清除: what 首页 asks when a form has been started (issue 17 item 6).

A modal layer over the screens (like the idle overlay): hidden (opacity 0, disabled) until
:meth:`ask`; while shown nothing below reacts. 继续填写 hides it and the form is as it was;
退出并清除 ends the session (the app wipes every screen). The app decides when to ask
(:attr:`kiosk.screens.base.KioskScreen.asks_before_leaving`).
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from kivy.lang import Builder
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.line_break import LineBreakingLabel  # noqa: F401  (kv rule)


class LeaveFormOverlay(FloatLayout):
    """``on_leave``: called after 退出并清除 (the app ends the session)."""

    def __init__(self, on_leave: Callable[[], None], **kwargs: object) -> None:
        self._on_leave = on_leave
        super().__init__(**kwargs)

    @property
    def shown(self) -> bool:
        return self.opacity > 0

    def ask(self) -> None:
        self.opacity = 1

    def stay(self) -> None:
        """继续填写."""
        self.opacity = 0

    def leave(self) -> None:
        """退出并清除."""
        self.opacity = 0
        self._on_leave()

    def on_touch_down(self, touch):  # noqa: ANN001 - Kivy signature
        if self.opacity == 0:
            return False
        super().on_touch_down(touch)
        return True  # modal: nothing below reacts while it is shown


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
