"""An animated progress bar for work of unknown length (platform calls, lookups).

While ``active`` is True the bar sweeps 0 → 100 % every ``period_s`` seconds (Kivy
``Animation``, repeated); inactive it stops at 0 and costs nothing per frame.
"""

from __future__ import annotations

from kivy.animation import Animation
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.progressbar import ProgressBar


class BusyBar(ProgressBar):
    active = BooleanProperty(False)
    period_s = NumericProperty(1.6)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max", 100)
        super().__init__(**kwargs)
        self._animation: Animation | None = None

    def on_active(self, _instance: object, active: bool) -> None:
        if self._animation is not None:
            self._animation.cancel(self)
            self._animation = None
        self.value = 0
        if active:
            self._animation = (Animation(value=100, duration=self.period_s)
                               + Animation(value=0, duration=0))
            self._animation.repeat = True
            self._animation.start(self)
