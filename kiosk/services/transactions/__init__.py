"""Per-transaction records and 好差评 ratings (issue 21), kept on the terminal without
personal data.

* :class:`TransactionLog` (``recorder.py``): the API journeys call — ``started``, ``step``,
  ``finished``, ``rate``; also ``session_ended``, ``observe_device``, ``release_held``, ``purge``.
* :class:`TransactionStore` (``store.py``): ``<data_dir>/transactions.db``.
* :func:`compute_stats` (``stats.py``): the figures of ``kiosk stats``.
* ``ratings.py``: the five official levels, the reason chips, the platform payload.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.paths import data_dir
from kiosk.services.transactions.models import (FAULT_STATES, OUTCOMES, DeviceFault,
                                                TransactionRecord, check_code)
from kiosk.services.transactions.ratings import (LEVELS, REASON_CHIPS, ReasonChip, label)
from kiosk.services.transactions.recorder import RatingOutbox, TransactionError, TransactionLog
from kiosk.services.transactions.stats import StationStats, compute_stats
from kiosk.services.transactions.store import DB_NAME, RecordsError, TransactionStore
from kiosk.settings import Settings


def open_store(settings: Settings) -> TransactionStore:
    """The terminal's records: ``<data_dir>/transactions.db``. Raises RecordsError, ConfigError."""
    return TransactionStore(data_dir(settings) / DB_NAME)


def station_stats(store: TransactionStore, since: float | None = None,
                  until: float | None = None,
                  clock: Callable[[], float] = time.time) -> StationStats:
    """The figures for transactions started in ``[since, until]`` (epoch s; until = now)."""
    end = clock() if until is None else until
    return compute_stats(store.records(since, end), store.faults(since), since, end)


__all__ = [
    "TransactionLog", "TransactionStore", "TransactionError", "RecordsError", "RatingOutbox",
    "TransactionRecord", "DeviceFault", "StationStats", "compute_stats", "station_stats",
    "open_store", "check_code", "OUTCOMES", "FAULT_STATES", "LEVELS", "REASON_CHIPS",
    "ReasonChip", "label",
]
