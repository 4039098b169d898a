"""Device heartbeat: report health to the platform; apply the settings and notices it returns.

Sent every ``platform.heartbeat_interval_s`` seconds, jittered ±20 % (``PeriodicTask``).
The reply's ``settings`` (``{"section.key": value}``) are applied only for the options in
:data:`REMOTE_OPTIONS` and only after the same validation as the configuration file
(``replace_option``); anything else is refused and logged. ``notices`` are shown on the home
screen.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, UTC
from typing import Any
from collections.abc import Callable

from kiosk import __version__
from kiosk.settings import ConfigError, Settings, replace_option

logger = logging.getLogger(__name__)

REMOTE_OPTIONS = frozenset({
    "session.idle_timeout_s", "session.elderly_idle_timeout_s", "session.countdown_s",
    "accessibility.voice", "accessibility.voice_volume", "platform.sync_interval_s",
    "platform.heartbeat_interval_s", "maintenance.nightly_restart_hour",
})


def apply_remote_settings(settings: Settings, changes: dict[str, Any]
                          ) -> tuple[Settings, list[str], list[str]]:
    """Return (new settings, applied options, refused options with reasons)."""
    applied, refused = [], []
    for option, value in changes.items():
        if option not in REMOTE_OPTIONS:
            refused.append(f"{option}: not changeable remotely")
            continue
        try:
            settings = replace_option(settings, option, value)
            applied.append(option)
        except ConfigError as exc:
            refused.append(f"{option}: {exc.reason}")
    for line in refused:
        logger.warning("heartbeat setting refused: %s", line)
    return settings, applied, refused


class HeartbeatService:
    """Args:
        client: callable returning the ``PlatformClient`` (None: skip).
        health: callable returning a ``HealthReport`` (see ``kiosk.services.health``).
        get_settings / set_settings: read and replace the running settings.
        on_notices: ``callback(list[str])`` for the home screen.
    """

    def __init__(self, client: Callable[[], Any], health: Callable[[], Any],
                 get_settings: Callable[[], Settings], set_settings: Callable[[Settings, list[str]], None],
                 on_notices: Callable[[list[str]], None] | None = None) -> None:
        self._client = client
        self._health = health
        self._get = get_settings
        self._set = set_settings
        self._on_notices = on_notices
        self._started = time.monotonic()
        self.last_reply_at: float | None = None
        self.notices: list[str] = []

    def payload(self) -> dict[str, Any]:
        report = self._health()
        return {
            "status": report.overall,
            "sent_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "versions": {"kiosk": __version__},
            "devices": {"card_reader": report.card_reader, "printer": report.printer,
                        "scanner": report.scanner},
            "outbox_depth": report.outbox_pending,
            "outbox_dead": report.outbox_dead,
            "uptime_s": int(time.monotonic() - self._started),
        }

    def beat(self) -> list[str]:
        """Send one heartbeat; returns the options applied. Raises PlatformError."""
        client = self._client()
        if client is None:
            return []
        reply = client.heartbeat(self.payload())
        self.last_reply_at = time.time()
        applied: list[str] = []
        if reply.settings:
            new, applied, _refused = apply_remote_settings(self._get(), dict(reply.settings))
            if applied:
                self._set(new, applied)
                logger.info("heartbeat applied settings: %s", ", ".join(applied))
        self.notices = list(reply.notices)
        if self._on_notices is not None:
            self._on_notices(self.notices)
        return applied
