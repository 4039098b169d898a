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
