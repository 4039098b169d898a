"""Composition root: builds every service from :class:`~kiosk.settings.Settings`.

The only module that names concrete adapters (the real or simulated card reader, the printer
connector, the platform client or embedded sandbox). The UI receives the resulting
:class:`Services` bundle and types against the services' interfaces.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kiosk.paths import data_dir
from kiosk.services.session import SessionService
from kiosk.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    data_dir: Path
    session: SessionService
    _stoppers: list[Callable[[], None]] = field(default_factory=list)

    def start(self, app: Any = None) -> None:
        """Start background work (reader polling, outbox worker, sync) once the UI runs."""

    def stop(self) -> None:
        """Stop background work and release devices, newest first."""
        while self._stoppers:
            stopper = self._stoppers.pop()
            try:
                stopper()
            except Exception:  # noqa: BLE001 - shutting down: log and continue with the rest
                logger.exception("error while stopping a service")


def build_services(settings: Settings, data_root: Path | None = None) -> Services:
    """Build the service bundle for ``settings`` (devices opened lazily by ``start``)."""
    root = data_root or data_dir(settings)
    session = SessionService(settings.session.idle_timeout_s,
                             settings.session.elderly_idle_timeout_s,
                             settings.session.countdown_s)
    return Services(settings=settings, data_dir=root, session=session)
