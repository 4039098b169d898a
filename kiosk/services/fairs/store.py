"""The terminal's copy of the platform's 招聘会 list: ``<data_dir>/fairs.sqlite3``.

One table of fairs (the contract's ``Fair`` JSON per row, with its id and times for ordering)
and one of sync state (``etag``, ``server_time``, ``last_synced_at``). Fairs are public
information (no personal data), so the file is not encrypted; sign-ups and check-ins are never
stored here (they go to the platform at once).

A sync replaces the whole list in one transaction: the platform's list is short (the fairs not
over, tens), and a fair withdrawn by the organiser must disappear.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.deferred_import import deferred_module
from kiosk.domain.fairs import Fair

if TYPE_CHECKING:
    from kiosk.platform import fair_wire
else:  # the wire models, on first use (issue 23: start-up)
    fair_wire = deferred_module("kiosk.platform.fair_wire")

SCHEMA = """
CREATE TABLE IF NOT EXISTS fairs (
    id TEXT PRIMARY KEY,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fair_sync (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class FairStoreError(Exception):
    """The fair table cannot be read or written (a damaged file, a full disk)."""


class FairStore:
    """The fair table (thread-safe: one connection behind a lock).

    Args:
        path: the SQLite file, or ":memory:".

    Raises:
        FairStoreError: the file cannot be opened as a database.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise FairStoreError(f"fair table {self.path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def replace(self, fairs: Iterable[Fair], *, etag: str | None, server_time: str) -> int:
        """Replace every fair with ``fairs`` and record the sync; returns how many are stored."""
        rows = [(f.id, f.starts_at.astimezone(UTC).isoformat(),
                 f.ends_at.astimezone(UTC).isoformat(),
                 json.dumps(fair_wire.fair_to_wire(f), ensure_ascii=False)) for f in fairs]
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("DELETE FROM fairs")
                self._db.executemany("INSERT OR REPLACE INTO fairs VALUES (?, ?, ?, ?)", rows)
                self._set(etag=etag or "", server_time=server_time,
                          last_synced_at=datetime.now(UTC).isoformat())
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise FairStoreError(f"fair table {self.path}: {exc}") from exc
        return len(rows)

    def mark_synced(self) -> None:
        """A sync that found nothing changed (304)."""
        with self._lock:
            self._set(last_synced_at=datetime.now(UTC).isoformat())

    def meta(self, key: str) -> str | None:
        """``etag``, ``server_time`` or ``last_synced_at`` ("" counts as None)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM fair_sync WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] else None

    def all(self) -> list[Fair]:
        """Every stored fair, soonest first."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM fairs ORDER BY starts_at, id").fetchall()
        return [_decode(body) for (body,) in rows]

    def get(self, fair_id: str) -> Fair | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM fairs WHERE id = ?", (fair_id,)).fetchone()
        return None if row is None else _decode(row[0])

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM fairs").fetchone()[0])

    def _set(self, **values: str) -> None:
        self._db.executemany("INSERT OR REPLACE INTO fair_sync VALUES (?, ?)",
                             list(values.items()))


def _decode(body: str) -> Fair:
    """A stored row's body (the contract's ``Fair`` JSON) back to the domain fair."""
    return fair_wire.fair_from_wire(fair_wire.FairWire.model_validate_json(body))
