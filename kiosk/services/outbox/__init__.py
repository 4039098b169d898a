"""The offline outbox (issue 6): writes for the platform that survive network and power loss.

* :class:`Outbox` (``store.py``): SQLite (WAL) store; ``transaction()``, ``enqueue()``,
  ``status()``, ``dead_letters()``, ``retry()``, ``discard()``, ``purge_expired()``,
  ``wait_delivered()``, ``results()``.
* :class:`OutboxWorker` (``worker.py``): the background sender with backoff and jitter.
* :class:`ReferralIdGenerator` (``referral_ids.py``): offline-safe referral ids.
* :func:`open_outbox`: the outbox at ``<data_dir>/outbox.db`` with key ``<data_dir>/outbox.key``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.paths import data_dir
from kiosk.services.outbox.errors import (InvalidPayload, InvalidTransition, KeyFileError,
                                          KeyLost, KeyMissing, OutboxCorrupt, OutboxError,
                                          OutboxFull, StorageError, StorageFull, UnknownItem)
from kiosk.services.outbox.messages import delivered_message, queued_message
from kiosk.services.outbox.models import OutboxItem, OutboxReceipt, OutboxStatus
from kiosk.services.outbox.referral_ids import ReferralIdGenerator, verify_url
from kiosk.services.outbox.store import Outbox, discard_unreadable
from kiosk.services.outbox.worker import OutboxWorker
from kiosk.settings import Settings

DB_NAME = "outbox.db"
KEY_NAME = "outbox.key"


def open_outbox(settings: Settings, clock: Callable[[], float] = time.time, *,
                recover: bool = True) -> Outbox:
    """The terminal's outbox: ``<data_dir>/outbox.db``, key ``<data_dir>/outbox.key`` (0600),
    receipt numbers prefixed with ``[station].terminal_id``.

    Raises:
        KeyLost, KeyFileError, OutboxCorrupt, StorageFull, StorageError: see :class:`Outbox`.
    """
    folder = data_dir(settings)
    return Outbox(folder / DB_NAME, folder / KEY_NAME, settings.outbox, clock,
                  terminal_id=settings.station.terminal_id, recover=recover)


def discard_unreadable_items(settings: Settings) -> list[str]:
    """``kiosk outbox discard --unreadable`` on the terminal's outbox: see
    :func:`~kiosk.services.outbox.store.discard_unreadable` (returns the receipt numbers)."""
    folder = data_dir(settings)
    return discard_unreadable(folder / DB_NAME, folder / KEY_NAME)


__all__ = [
    "Outbox", "OutboxWorker", "ReferralIdGenerator", "open_outbox", "verify_url",
    "discard_unreadable", "discard_unreadable_items", "KeyLost", "KeyMissing",
    "OutboxReceipt", "OutboxStatus", "OutboxItem", "queued_message", "delivered_message",
    "OutboxError", "StorageFull", "OutboxFull", "StorageError", "OutboxCorrupt", "KeyFileError",
    "InvalidPayload", "InvalidTransition", "UnknownItem",
]
