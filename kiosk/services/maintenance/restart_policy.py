"""The nightly restart: when the app should exit so that systemd starts it fresh.

A 24/7 Kivy process slowly grows (textures, fragmentation; ``kiosk-ux-kivy-privacy.md`` §3), so
once a night the app exits with :data:`RESTART_EXIT_STATUS` and ``deploy/kiosk.service``
(``Restart=always``, ``RestartSec=3``) starts it again. The app asks :func:`should_restart_now`
once a minute; the rule is pure so it can be tested without a clock or a UI.

Rule: restart when all hold —

* ``maintenance.nightly_restart_hour`` is not -1 and the local hour equals it;
* the process has run for more than :data:`MIN_UPTIME_S` (3600 s), so a restart inside the
  restart hour does not repeat, and a kiosk booted at 04:10 is not restarted at once;
* no jobseeker session is active and no technician is in maintenance mode (``busy``).

If the hour passes while someone is busy, the restart waits for the next night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: ``EX_TEMPFAIL`` (sysexits.h): "temporary failure, try again" — systemd restarts the unit.
RESTART_EXIT_STATUS = 75
#: Seconds the process must have run before a nightly restart (more than one hour).
MIN_UPTIME_S = 3600.0
#: Seconds between two checks by the app.
CHECK_INTERVAL_S = 60.0


@dataclass(frozen=True)
class RestartDecision:
    """The answer with its reason (logged when the app restarts; shown in tests).

    Attributes:
        restart: True when the app should exit with :data:`RESTART_EXIT_STATUS` now.
        reason: one of ``disabled``, ``not_the_hour``, ``uptime``, ``busy``, ``nightly``.
    """

    restart: bool
    reason: str


def should_restart_now(now: datetime, uptime_s: float, restart_hour: int,
                       busy: bool) -> RestartDecision:
    """Decide whether to exit for the nightly restart.

    Args:
        now: the local wall-clock time (naive or aware; only ``now.hour`` is used).
        uptime_s: seconds since the process started (monotonic clock).
        restart_hour: ``maintenance.nightly_restart_hour`` (0–23, or -1 = never).
        busy: a jobseeker session is active or maintenance mode is open.

    Raises:
        ValueError: ``restart_hour`` outside -1..23 (the settings validator refuses it earlier).
    """
    if not -1 <= restart_hour <= 23:
        raise ValueError(f"restart_hour must be -1..23, not {restart_hour}")
    if restart_hour == -1:
        return RestartDecision(False, "disabled")
    if now.hour != restart_hour:
        return RestartDecision(False, "not_the_hour")
    if uptime_s <= MIN_UPTIME_S:
        return RestartDecision(False, "uptime")
    if busy:
        return RestartDecision(False, "busy")
    return RestartDecision(True, "nightly")
