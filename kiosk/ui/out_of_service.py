"""The out-of-service face (暂停服务): shown over everything when start-up or a required service
failed, in Chinese and English at once (the jobseeker did not choose a language yet), with the
station's hotline and the 12333 complaint line; no service can be tapped, and no exception
name or path is ever shown (those go to the log and the maintenance screen).

It swallows every touch while shown; the technician's corner gesture is on top of it and still
works (``KioskApp`` adds this overlay below the gesture detector), and it steps aside while a
maintenance screen is open. ``KioskApp`` hides it once the services come up again.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.line_break import LineBreakingLabel  # noqa: F401  (kv rule)

#: What the overlay says; bilingual on purpose (shown before anyone picks a language).
TITLE = "暂停服务"
TITLE_EN = "Out of service"
BODY = "本终端暂时无法办理业务，请到驿站服务窗口办理，或拨打以下电话。"
BODY_EN = "This terminal cannot serve you right now. Please go to the service counter or call:"
RECOVERING = "终端正在自动恢复 · The terminal is recovering by itself"


class OutOfServiceOverlay(FloatLayout):
    """Full-screen, modal while ``shown``; ``hotline``/``complaint`` from ``[station]``."""

    shown = BooleanProperty(False)
    hotline = StringProperty("")
    complaint = StringProperty("12333")
    title = StringProperty(TITLE)
    title_en = StringProperty(TITLE_EN)
    body = StringProperty(BODY)
    body_en = StringProperty(BODY_EN)
    recovering = StringProperty(RECOVERING)

    def on_touch_down(self, touch):  # noqa: ANN001 - Kivy signature
        return bool(self.shown)  # modal: nothing below reacts while it is shown

    def on_touch_move(self, touch):  # noqa: ANN001 - Kivy signature
        return bool(self.shown)

    def on_touch_up(self, touch):  # noqa: ANN001 - Kivy signature
        return bool(self.shown)

    def texts(self) -> list[str]:
        """Every text on the overlay (tests: no path, no exception name)."""
        return [w.text for w in self.walk(restrict=True) if isinstance(getattr(w, "text", None), str)]


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
