"""The hidden gesture that opens maintenance mode: long-press the top-left corner, then the
top-right corner.

Rule (:class:`CornerSequence`, pure and clock-injected): a press counts when it lasts at least
:data:`HOLD_S` seconds (3 s) inside a :data:`CORNER_DP` square (120 dp) at the top-left or
top-right corner; the sequence completes when a top-right press starts at most
:data:`WINDOW_S` seconds (10 s) after a top-left press ended. Anything else resets nothing but
the pending top-left press it replaces, so ordinary taps never trigger it.

:class:`CornerGestureDetector` is a transparent full-window widget placed on top of the app's
root; it watches touches and never consumes them (jobseekers' taps pass through unchanged).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kivy.metrics import dp
from kivy.uix.widget import Widget

HOLD_S = 3.0
WINDOW_S = 10.0
CORNER_DP = 120


class CornerSequence:
    """Args:
        clock: monotonic seconds (tests pass a fake).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._left_ended_at: float | None = None

    def pressed(self, corner: str, started_at: float, ended_at: float) -> bool:
        """Record a press of ``corner`` ("top_left" / "top_right"); True when the sequence
        is complete (then it starts over)."""
        if ended_at - started_at < HOLD_S:
            return False
        if corner == "top_left":
            self._left_ended_at = ended_at
            return False
        left = self._left_ended_at
        if corner == "top_right" and left is not None and 0 <= started_at - left <= WINDOW_S:
            self._left_ended_at = None
            return True
        return False


class CornerGestureDetector(Widget):
    """Calls ``on_gesture()`` when the corner sequence completes. Never consumes touches."""

    def __init__(self, on_gesture: Callable[[], None],
                 clock: Callable[[], float] = time.monotonic, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._on_gesture = on_gesture
        self._clock = clock
        self.sequence = CornerSequence(clock)
        self._down: dict[object, tuple[str, float]] = {}

    def corner_at(self, x: float, y: float) -> str:
        """"top_left", "top_right" or "" for window coordinates ``x``, ``y``."""
        size = dp(CORNER_DP)
        if y < self.top - size:
            return ""
        if x <= self.x + size:
            return "top_left"
        if x >= self.right - size:
            return "top_right"
        return ""

    def on_touch_down(self, touch) -> bool:  # noqa: ANN001 - Kivy MotionEvent
        corner = self.corner_at(*touch.pos)
        if corner:
            self._down[touch.uid] = (corner, self._clock())
        return False

    def on_touch_move(self, touch) -> bool:  # noqa: ANN001
        if touch.uid in self._down and self.corner_at(*touch.pos) != self._down[touch.uid][0]:
            del self._down[touch.uid]  # slid out of the corner: not a press
        return False

    def on_touch_up(self, touch) -> bool:  # noqa: ANN001
        pressed = self._down.pop(touch.uid, None)
        if pressed is not None and self.sequence.pressed(pressed[0], pressed[1], self._clock()):
            self._on_gesture()
        return False
