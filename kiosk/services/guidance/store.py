"""The terminal's copy of the station's adviser slots: ``<data_dir>/guidance.sqlite3``.

One table of slots (the contract's ``AdviserSlot`` JSON per row) and one of sync state
(``etag``, ``server_time``, ``last_synced_at``). Slots are public information (no personal
data), so the file is not encrypted; bookings are never stored here (they are made and looked
up at the platform). A sync replaces the whole list in one transaction (a withdrawn slot must
disappear; the list is a week of one station's slots, tens of rows).
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
from kiosk.domain.guidance import AdviserSlot
if TYPE_CHECKING:
    from kiosk.platform import guidance_wire
else:  # the wire models, on first use (issue 23: start-up)
    guidance_wire = deferred_module("kiosk.platform.guidance_wire")

SCHEMA = """
CREATE TABLE IF NOT EXISTS slots (id TEXT PRIMARY KEY, starts_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS slot_sync (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SlotStoreError(Exception):
    """The slot table cannot be read or written (a damaged file, a full disk)."""


class SlotStore:
    """The slot table (thread-safe: one connection behind a lock).

    Raises:
        SlotStoreError: the file cannot be opened as a database.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise SlotStoreError(f"slot table {self.path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def replace(self, slots: Iterable[AdviserSlot], *, etag: str | None, server_time: str) -> int:
        """Replace every slot and record the sync; returns how many are stored.

        Raises:
            SlotStoreError: the write failed (the old list is kept).
        """
        rows = [(s.id, s.starts_at.astimezone(UTC).isoformat(),
                 json.dumps(guidance_wire.slot_to_wire(s), ensure_ascii=False)) for s in slots]
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("DELETE FROM slots")
                self._db.executemany("INSERT OR REPLACE INTO slots VALUES (?, ?, ?)", rows)
                self._set(etag=etag or "", server_time=server_time,
                          last_synced_at=datetime.now(UTC).isoformat())
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise SlotStoreError(f"slot table {self.path}: {exc}") from exc
        return len(rows)

    def put(self, slot: AdviserSlot) -> None:
        """Store one slot's newer state (a booking answer carries it)."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO slots VALUES (?, ?, ?)",
                             (slot.id, slot.starts_at.astimezone(UTC).isoformat(),
                              json.dumps(guidance_wire.slot_to_wire(slot), ensure_ascii=False)))

    def mark_synced(self) -> None:
        with self._lock:
            self._set(last_synced_at=datetime.now(UTC).isoformat())

    def meta(self, key: str) -> str | None:
        """``etag``, ``server_time`` or ``last_synced_at`` ("" counts as None)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM slot_sync WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] else None

    def all(self) -> list[AdviserSlot]:
        """Every stored slot, soonest first."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM slots ORDER BY starts_at, id").fetchall()
        return [_decode(body) for (body,) in rows]

    def get(self, slot_id: str) -> AdviserSlot | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM slots WHERE id = ?", (slot_id,)).fetchone()
        return None if row is None else _decode(row[0])

    def _set(self, **values: str) -> None:
        self._db.executemany("INSERT OR REPLACE INTO slot_sync VALUES (?, ?)",
                             list(values.items()))


def _decode(body: str) -> AdviserSlot:
    """A stored row's body (the contract's ``AdviserSlot`` JSON) back to the domain slot."""
    return guidance_wire.slot_from_wire(guidance_wire.AdviserSlotWire.model_validate_json(body))
