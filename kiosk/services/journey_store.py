"""The kiosk's own records of what it submitted, kept beside the outbox in the same database
so each is written in the same transaction as the outbox item (issue 6: "recorded locally in the
same transaction as the kiosk's own record"). No personal data: numbers, ids and states only.

Tables:
* ``kiosk_registrations(receipt_no, item_id, created_at)``
* ``kiosk_referrals(referral_id, item_id, vacancy_id, created_at, print_state, printed_count,
  last_error)`` with ``print_state`` one of ``none``, ``printing``, ``printed``, ``failed``,
  ``unknown`` (a timed-out job that may or may not have printed).
* ``kiosk_assistance(receipt_no, item_id, kind, created_at)``
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS kiosk_registrations (
    receipt_no TEXT PRIMARY KEY, item_id INTEGER NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS kiosk_referrals (
    referral_id TEXT PRIMARY KEY, item_id INTEGER NOT NULL, vacancy_id TEXT NOT NULL,
    created_at REAL NOT NULL, print_state TEXT NOT NULL DEFAULT 'none',
    printed_count INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE TABLE IF NOT EXISTS kiosk_assistance (
    receipt_no TEXT PRIMARY KEY, item_id INTEGER NOT NULL, kind TEXT NOT NULL,
    created_at REAL NOT NULL);
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables inside the caller's transaction (``executescript`` would commit it)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


@dataclass(frozen=True)
class Submission:
    """An enqueued write: its receipt, and the platform's reply if it arrived in time."""

    receipt_no: str
    item_id: int
    delivered: bool
    result: dict[str, Any]


def submit_and_wait(outbox: Any, worker: Any, kind: str, payload: dict[str, Any],
                    own_record: str, own_values: tuple[Any, ...], wait_s: float) -> Submission:
    """Enqueue ``payload`` and insert the kiosk's own record in ONE transaction, kick the
    worker, and wait up to ``wait_s`` seconds for delivery.

    ``own_record`` is an ``INSERT`` whose first two parameters are the receipt number and the
    outbox item id, followed by ``own_values``.

    Raises:
        kiosk.services.outbox.InvalidPayload, StorageFull, StorageError.
    """
    with outbox.transaction() as conn:
        receipt = outbox.enqueue(kind, payload, conn=conn)
        conn.execute(own_record, (receipt.receipt_no, receipt.item_id, *own_values))
    worker.kick()
    delivered = outbox.wait_delivered(receipt.item_id, wait_s)
    result = (outbox.results(receipt.item_id) or {}) if delivered else {}
    return Submission(receipt.receipt_no, receipt.item_id, delivered, result)
