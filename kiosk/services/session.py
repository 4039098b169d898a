"""The jobseeker session: who is at the terminal now, and when they have walked away.

A session starts when a card is read or a service is entered, and ends when the jobseeker
taps "完成" or after ``session.idle_timeout_s`` seconds without a touch (longer in 长辈模式)
plus a ``session.countdown_s`` countdown. Ending a session drops its
:class:`~kiosk.services.journeys.state.Journey` (the only holder of the card data, the
registration form and the referrals), tells every
listener to wipe (screens clear their widgets), and resets language and 长辈模式 to defaults.
Times are seconds from ``time.monotonic`` (injectable for tests).
"""

from __future__ import annotations

import logging
import time
from enum import Enum
from collections.abc import Callable

from kiosk.services.journeys.state import Journey

logger = logging.getLogger(__name__)


class IdleState(Enum):
    NONE = "none"            # no session
    ACTIVE = "active"
    COUNTDOWN = "countdown"  # show the "还在吗？" overlay
    EXPIRED = "expired"      # end the session now


class SessionService:
    """Owns the current :class:`~kiosk.services.journeys.state.Journey` and the idle rules."""

    def __init__(self, idle_timeout_s: float, elderly_idle_timeout_s: float, countdown_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_timeout_s = idle_timeout_s
        self.elderly_idle_timeout_s = elderly_idle_timeout_s
        self.countdown_s = countdown_s
        self.elderly = False
        self._clock = clock
        self._session: Journey | None = None
        self._listeners: list[Callable[[str], None]] = []

    @property
    def current(self) -> Journey | None:
        return self._session

    def add_end_listener(self, listener: Callable[[str], None]) -> None:
        """``listener(reason)`` is called after a session ends ("finished", "idle", …)."""
        self._listeners.append(listener)

    def start(self) -> Journey:
        """Return the current session, starting one if there is none."""
        if self._session is None:
            now = self._clock()
            self._session = Journey(started_at=now, last_activity=now)
            logger.info("session started")
        return self._session

    def touch(self) -> None:
        """Record activity (every touch on the screen)."""
        if self._session is not None:
            self._session.last_activity = self._clock()

    def timeout_s(self) -> float:
        return self.elderly_idle_timeout_s if self.elderly else self.idle_timeout_s

    def idle_state(self) -> tuple[IdleState, float]:
        """Return the state and the seconds left before the next transition."""
        if self._session is None:
            return IdleState.NONE, 0.0
        idle = self._clock() - self._session.last_activity
        timeout = self.timeout_s()
        if idle < timeout:
            return IdleState.ACTIVE, timeout - idle
        if idle < timeout + self.countdown_s:
            return IdleState.COUNTDOWN, timeout + self.countdown_s - idle
        return IdleState.EXPIRED, 0.0

    def end(self, reason: str) -> None:
        """End the session: clear and drop it, then notify listeners (who wipe screens)."""
        session, self._session = self._session, None
        if session is not None:
            session.clear()
            logger.info("session ended (%s), %.0f s", reason, self._clock() - session.started_at)
        self.elderly = False
        for listener in list(self._listeners):
            listener(reason)
