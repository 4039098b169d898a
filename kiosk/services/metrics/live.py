"""The collector's sources in the running kiosk, read from the composition root's
``Services`` bundle (``kiosk/bootstrap.py``) by attribute, so this module needs no import of it.

Device states are the services' cached ones (never a blocking device call at scrape time):
``services.card.last_state`` (ReaderState value), the health key of
``services.printer_status`` (:func:`kiosk.services.health.printer_state`, refreshed by
:class:`~.service.QualityService` every :data:`~.service.PRINTER_REFRESH_S`) and
``services.scanner.state`` when a scanner is built.
"""

from __future__ import annotations

import time
from typing import Any

from kiosk.services.health import printer_state
from kiosk.services.metrics.collector import MetricsSources


def device_states(services: Any) -> dict[str, str]:
    """``{"card_reader": "ready", "printer": "near_end", "scanner": "absent"}`` for the devices
    the bundle has (a device not built yet is left out)."""
    states: dict[str, str] = {}
    card = getattr(services, "card", None)
    if card is not None:
        states["card_reader"] = str(getattr(card, "last_state", "stopped"))
    if getattr(services, "printer", None) is not None:
        states["printer"] = printer_state(getattr(services, "printer_status", None))[0]
    scanner = getattr(services, "scanner", None)
    if scanner is not None:
        state = scanner.state() if callable(getattr(scanner, "state", None)) else scanner.state
        states["scanner"] = str(getattr(state, "value", state))
    return states


def live_sources(services: Any, process_started: float | None = None) -> MetricsSources:
    """Sources over the running services (outbox, catalog and records may still be None while
    they start: those parts are then skipped, re-read at every scrape)."""

    class _Lazy:
        """Forwards to the bundle's outbox as it is when asked (it is built after the UI)."""

        def status(self) -> Any:
            return _need(services, "outbox").status()

        def items(self, state: str, limit: int = 200) -> Any:
            return _need(services, "outbox").items(state, limit=limit)

    def catalog_synced_at() -> str | None:
        catalog = _need(services, "catalog")
        return catalog.last_synced_at()

    transactions = getattr(services, "transactions", None)
    return MetricsSources(
        terminal_id=services.settings.station.terminal_id,
        records=transactions.store if transactions is not None else None,
        device_states=lambda: device_states(services),
        outbox=_Lazy(), catalog_synced_at=catalog_synced_at,
        process_started=time.monotonic() if process_started is None else process_started)


def _need(services: Any, name: str) -> Any:
    value = getattr(services, name, None)
    if value is None:
        raise LookupError(f"{name} not started yet")
    return value


__all__ = ["device_states", "live_sources"]
