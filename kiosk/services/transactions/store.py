"""The per-transaction records on disk: ``<data_dir>/transactions.db`` (SQLite, WAL).

Tables (no personal data anywhere: codes, times, counts):

* ``transactions`` — one row per transaction (:class:`~.models.TransactionRecord`), plus the
  local id of the transaction's outbox item (to find its platform number for the rating) and
  of the rating's own outbox item;
* ``device_faults(device, state, started_at, ended_at)`` — fault intervals; ``device_states``
  the last state seen per device (``kiosk metrics`` reads it when the app does not serve);
* ``counters(name, labels, value)`` — monotonic totals behind the Prometheus counters and
  histograms (sessions, transactions by kind and outcome, duration buckets, ratings, starts);
  never purged, so a retention purge is not a counter reset;
* ``meta(key, value)``.

Durability: ``synchronous=NORMAL`` in WAL mode (a power cut may lose the last records, never
corrupt the file: these are statistics, not submissions). One connection guarded by a lock,
shared by the UI thread and the metrics threads. Errors: :class:`RecordsError` for any SQLite
failure (the write is rolled back).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from kiosk.services.transactions.models import DeviceFault, TransactionRecord

SCHEMA_VERSION = 1
DB_NAME = "transactions.db"

#: Upper bounds (seconds) of the transaction-duration histogram buckets; a kiosk transaction
#: takes from under a minute (a referral) to a quarter of an hour (a registration typed slowly).
DURATION_BUCKETS_S: tuple[float, ...] = (15.0, 30.0, 60.0, 120.0, 180.0, 300.0, 600.0, 900.0,
                                         1800.0)

DDL = """
CREATE TABLE IF NOT EXISTS transactions (
    txn_id         INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL,
    started_at     REAL    NOT NULL,
    finished_at    REAL,
    outcome        TEXT    CHECK (outcome IN ('completed', 'abandoned', 'failed')),
    last_step      INTEGER NOT NULL DEFAULT 0,
    step_name      TEXT    NOT NULL DEFAULT '',
    error_class    TEXT    NOT NULL DEFAULT '',
    duration_s     REAL,
    language       TEXT    NOT NULL,
    elderly        INTEGER NOT NULL,
    outbox_item_id INTEGER,
    rating         INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_reasons TEXT    NOT NULL DEFAULT '',
    rated_at       REAL,
    rating_state   TEXT    NOT NULL DEFAULT 'none'
                           CHECK (rating_state IN ('none', 'held', 'queued', 'dropped')),
    rating_item_id INTEGER
);
CREATE INDEX IF NOT EXISTS transactions_started ON transactions (started_at);
CREATE INDEX IF NOT EXISTS transactions_held ON transactions (rating_state);
CREATE TABLE IF NOT EXISTS device_faults (
    device TEXT NOT NULL, state TEXT NOT NULL, started_at REAL NOT NULL, ended_at REAL);
CREATE TABLE IF NOT EXISTS device_states (
    device TEXT PRIMARY KEY, state TEXT NOT NULL, since REAL NOT NULL, observed_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (name, labels));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_COLUMNS = ("txn_id, kind, started_at, finished_at, outcome, last_step, step_name, error_class, "
            "duration_s, language, elderly, rating, rating_reasons, rating_state")


class RecordsError(Exception):
    """The records database failed (I/O, full disk, corrupt, newer schema).

    Attributes:
        path: the database file. reason: SQLite's error name or what is wrong.
    """

    user_message = "终端统计记录暂时不可用 / The terminal's statistics are unavailable."

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"transaction records {self.path}: {reason}")


Labels = dict[str, str]


def labels_key(labels: Labels) -> str:
    """The stored form of a label set: JSON with sorted keys (``{"kind":"referral"}``)."""
    return json.dumps(labels, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class TransactionStore:
    """The records file. ``path`` may be ``":memory:"`` (tests).

    Raises:
        RecordsError: the file cannot be opened, fails ``quick_check`` or has a newer schema.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                                       timeout=5.0)
            if str(path) != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            check = self._db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise RecordsError(self.path, f"quick_check: {check}")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RecordsError(self.path, f"schema version {version} is newer than "
                                              f"{SCHEMA_VERSION}")
            if version < SCHEMA_VERSION:
                self._db.executescript("BEGIN IMMEDIATE;" + DDL
                                       + f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
        except sqlite3.Error as exc:
            raise RecordsError(self.path, _name(exc)) from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` under the lock; rollback and RecordsError on failure."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise RecordsError(self.path, _name(exc)) from exc

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only statement. Raises RecordsError."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise RecordsError(self.path, _name(exc)) from exc

    # -- counters ---------------------------------------------------------------------------

    @staticmethod
    def add(conn: sqlite3.Connection, name: str, labels: Labels, amount: float = 1.0) -> None:
        """Add ``amount`` to counter ``name{labels}`` inside the caller's transaction."""
        conn.execute("INSERT INTO counters (name, labels, value) VALUES (?, ?, ?) "
                     "ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value",
                     (name, labels_key(labels), amount))

    def counters(self, name: str) -> list[tuple[Labels, float]]:
        """Every ``(labels, value)`` of counter ``name``, sorted by labels."""
        rows = self.query("SELECT labels, value FROM counters WHERE name = ? ORDER BY labels",
                          (name,))
        return [(json.loads(labels), float(value)) for labels, value in rows]

    def meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    @staticmethod
    def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                     "DO UPDATE SET value = excluded.value", (key, value))

    # -- records ------------------------------------------------------------------------------

    def record(self, txn_id: int) -> TransactionRecord | None:
        rows = self.query(f"SELECT {_COLUMNS} FROM transactions WHERE txn_id = ?", (txn_id,))
        return _record(rows[0]) if rows else None

    def records(self, since: float | None = None, until: float | None = None
                ) -> list[TransactionRecord]:
        """Records started in ``[since, until]`` (epoch seconds; None = unbounded), oldest first."""
        rows = self.query(f"SELECT {_COLUMNS} FROM transactions WHERE started_at >= ? AND "
                          "started_at <= ? ORDER BY started_at, txn_id",
                          (float("-inf") if since is None else since,
                           float("inf") if until is None else until))
        return [_record(row) for row in rows]

    def faults(self, since: float | None = None) -> list[DeviceFault]:
        """Fault intervals overlapping ``[since, now]`` (still open ones included)."""
        rows = self.query("SELECT device, state, started_at, ended_at FROM device_faults "
                          "WHERE ended_at IS NULL OR ended_at > ? ORDER BY started_at",
                          (float("-inf") if since is None else since,))
        return [DeviceFault(*row) for row in rows]

    def device_states(self) -> dict[str, tuple[str, float, float]]:
        """``{device: (state, since, observed_at)}`` as last observed."""
        return {device: (state, since, observed) for device, state, since, observed in
                self.query("SELECT device, state, since, observed_at FROM device_states")}


def _record(row: tuple[Any, ...]) -> TransactionRecord:
    return TransactionRecord(
        txn_id=row[0], kind=row[1], started_at=row[2], finished_at=row[3], outcome=row[4],
        last_step=row[5], step_name=row[6], error_class=row[7], duration_s=row[8],
        language=row[9], elderly=bool(row[10]), rating=row[11],
        rating_reasons=tuple(r for r in row[12].split(",") if r), rating_state=row[13])


def _name(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", None) or f"{type(exc).__name__}: {exc}"


__all__ = ["TransactionStore", "RecordsError", "DURATION_BUCKETS_S", "DB_NAME", "labels_key"]
