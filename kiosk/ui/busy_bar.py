"""An animated progress bar for work of unknown length (platform calls, lookups).

While ``active`` is True the bar sweeps 0 → 100 % every ``period_s`` seconds (Kivy
``Animation``, repeated); inactive it stops at 0 and costs nothing per frame.

``steps`` > 0 makes the sweep jump in that many steps per period instead (one redraw per step
rather than one per frame): with software GL a redraw of the whole window costs 10–50 ms of
CPU, which the home screen's start-up bar should not take from the services starting
(issue 23).

``delay_s`` > 0 holds the bar still (drawn at 0, no redraw) for that many seconds after it
becomes active: a wait shorter than that never moves it. The home screen's start-up bar waits
1 s, so the services starting get the whole interpreter (a redraw holds it for 100–130 ms with
software GL) and a fast start never animates at all.
"""

from __future__ import annotations

from typing import Any

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.progressbar import ProgressBar


class BusyBar(ProgressBar):
    active = BooleanProperty(False)
    period_s = NumericProperty(1.6)
    #: 0: a smooth sweep (one redraw per frame); n: n jumps per period (n redraws)
    steps = NumericProperty(0)
    #: seconds the bar stands still at 0 after becoming active (0: it moves at once)
    delay_s = NumericProperty(0.0)

    def __init__(self, **kwargs: object) -> None:
        self._animation: Animation | None = None
        self._stepper: Any = None
        self._delayed: Any = None
        kwargs.setdefault("max", 100)
        super().__init__(**kwargs)

    def on_active(self, _instance: object, active: bool) -> None:
        if self._delayed is not None:
            self._delayed.cancel()
            self._delayed = None
        if self._animation is not None:
            self._animation.cancel(self)
            self._animation = None
        if self._stepper is not None:
            self._stepper.cancel()
            self._stepper = None
        self.value = 0
        if active and self.delay_s > 0:
            self._delayed = Clock.schedule_once(self._move, self.delay_s)
        elif active:
            self._move()

    def _move(self, _dt: float = 0.0) -> None:
        self._delayed = None
        if self.steps > 0:
            self._stepper = Clock.schedule_interval(self._step, self.period_s / self.steps)
        else:
            self._animation = (Animation(value=100, duration=self.period_s)
                               + Animation(value=0, duration=0))
            self._animation.repeat = True
            self._animation.start(self)

    def on_steps(self, _instance: object, _steps: float) -> None:
        if self.active and self._delayed is None:
            self.on_active(self, True)

    def _step(self, _dt: float) -> None:
        self.value = 0 if self.value >= 100 else min(100, self.value + 100 / self.steps)
