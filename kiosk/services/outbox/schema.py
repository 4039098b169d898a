"""The outbox's SQLite file: connection settings, tables, and SQLite-error mapping.

Durability choices (https://www.sqlite.org/wal.html, https://www.sqlite.org/pragma.html):

* ``journal_mode=WAL``: readers (the UI asking for the status) never block the writer.
* ``synchronous=FULL``: every commit is fsynced, so an enqueue the jobseeker was told about
  survives a power cut (``NORMAL`` may lose the last commits on power loss).
* ``secure_delete=ON``: deleted payloads are overwritten with zeros, not left in free pages.
* ``busy_timeout``: a second connection waits for the lock instead of failing at once.

Days for receipt numbers and referral ids are China Standard Time (UTC+8, no DST), whatever
the host's time zone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from collections.abc import Iterator

from kiosk.services.outbox.errors import OutboxCorrupt, OutboxError, StorageError, StorageFull

#: 1: the first schema; 2: kind ``rating`` (好差评, issue 21) allowed in ``outbox_items``;
#: 3: kind ``application`` (失业登记 / 灵活就业登记 / 就业困难人员认定, issue 18).
#: 4: kind ``posting`` (employer postings, issue 19).
SCHEMA_VERSION = 4
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

# SQLite primary result codes (https://www.sqlite.org/rescode.html).
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26
# Extended codes of a failed write/size change: SQLITE_IOERR_WRITE, _FSYNC, _TRUNCATE, _SHMSIZE.
WRITE_IOERRS = frozenset({778, 1034, 1546, 4874})
#: Free bytes below which a failed write is taken for a full disk.
LOW_SPACE_BYTES = 1 << 20

_ITEMS_TABLE = """
CREATE TABLE IF NOT EXISTS {name} (
    item_id          INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('registration', 'referral', 'assistance',
                                                      'rating', 'application', 'posting')),
    idempotency_key  TEXT    NOT NULL UNIQUE,
    receipt_no       TEXT    NOT NULL UNIQUE,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered',
                                                       'dead', 'expired', 'discarded')),
    payload          BLOB,              -- AES-GCM sealed JSON; NULL once acknowledged/purged
    created_at       REAL    NOT NULL,  -- epoch s; retention counts from here
    age_from         REAL    NOT NULL,  -- epoch s; max_age_hours counts from here (reset by retry)
    attempts         INTEGER NOT NULL DEFAULT 0,
    strikes          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  REAL    NOT NULL,
    last_attempt_at  REAL,
    last_error       TEXT,              -- masked, technical
    delivered_at     REAL,
    result           TEXT               -- platform reply as JSON, personal data removed
);
"""
_ITEMS_INDEX = ("CREATE INDEX IF NOT EXISTS outbox_items_due ON outbox_items "
                "(state, next_attempt_at, item_id);")

DDL = _ITEMS_TABLE.format(name="outbox_items") + _ITEMS_INDEX + """
CREATE TABLE IF NOT EXISTS outbox_meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS outbox_sequences (
    name  TEXT    NOT NULL,
    day   TEXT    NOT NULL,             -- YYYYMMDD, China Standard Time
    value INTEGER NOT NULL,
    PRIMARY KEY (name, day)
);
"""

#: SQLite cannot change a CHECK constraint in place: the table is rebuilt in one transaction,
#: rows, ids and sealed payloads kept byte for byte (https://www.sqlite.org/lang_altertable.html,
#: "other kinds of table schema changes").
#: Used for every older version whose CHECK lists fewer kinds (1, 2 or 3 → 4).
MIGRATE_KINDS = (_ITEMS_TABLE.format(name="outbox_items_new")
                 + "INSERT INTO outbox_items_new SELECT * FROM outbox_items;"
                 + "DROP TABLE outbox_items;"
                 + "ALTER TABLE outbox_items_new RENAME TO outbox_items;" + _ITEMS_INDEX)
MIGRATE_1_TO_2 = MIGRATE_KINDS  # the name earlier code and tests know
REBUILD_ITEMS = MIGRATE_KINDS


def connect(path: Path, busy_timeout_s: float = 5.0) -> sqlite3.Connection:
    """Open the database in autocommit mode (transactions are explicit) with the pragmas above.

    Raises:
        StorageFull, StorageError, OutboxCorrupt: see :func:`map_error`.
    """
    with storage_errors(path):
        _create_private(path)
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA secure_delete=ON")
        except sqlite3.DatabaseError:
            conn.close()
            raise
    return conn


def create_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Create the tables if missing and check the schema version and file integrity.

    Raises:
        OutboxCorrupt: ``PRAGMA quick_check`` fails or the file is from a newer schema.
    """
    with storage_errors(path):
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise OutboxCorrupt(path, f"quick_check: {check}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise OutboxCorrupt(path, f"schema version {version} is newer than {SCHEMA_VERSION}")
        if version in (1, 2, 3):
            conn.executescript("BEGIN IMMEDIATE;" + MIGRATE_KINDS
                               + f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
        elif version < SCHEMA_VERSION:
            conn.executescript("BEGIN IMMEDIATE;" + DDL
                               + f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")


def map_error(path: Path, exc: sqlite3.Error) -> OutboxError:
    """Turn a ``sqlite3`` error into the outbox's typed error.

    ``SQLITE_FULL`` (ENOSPC, or ``max_page_count`` reached) → :class:`StorageFull`; a failed
    write (``SQLITE_IOERR_WRITE`` …) when :func:`capacity_exhausted` finds the disk nearly full
    or the process's file-size limit (``RLIMIT_FSIZE``, EFBIG) reached → :class:`StorageFull`;
    ``SQLITE_CORRUPT``/``SQLITE_NOTADB`` → :class:`OutboxCorrupt`; anything else →
    :class:`StorageError` with SQLite's error name.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == SQLITE_FULL:
        return StorageFull(path, "disk or database size limit full (SQLITE_FULL)")
    if code in WRITE_IOERRS:
        exhausted = capacity_exhausted(path)
        if exhausted:
            return StorageFull(path, f"{exhausted} ({name})")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return OutboxCorrupt(path, name)
    return StorageError(path, name)


def capacity_exhausted(path: Path) -> str:
    """Why a write to ``path``'s database may have failed for lack of room, or "" if not:
    under 1 MiB free on its file system, or a file at the ``RLIMIT_FSIZE`` soft limit."""
    try:
        if shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES:
            return "disk full"
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return ""
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY:
        return ""
    for suffix in ("", "-wal", "-journal"):
        try:
            size = os.path.getsize(f"{path}{suffix}")
        except OSError:
            continue
        if size + 65536 >= soft:  # a WAL frame or page would cross the limit
            return f"file size limit of {soft} bytes reached"
    return ""


def _create_private(path: Path) -> None:
    """Create the database file 0600 before SQLite does, so its -wal/-shm files (which SQLite
    creates with the database's mode) are private too."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        pass  # let sqlite3.connect report it as a typed error


@contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Re-raise any ``sqlite3.Error`` inside the block as the mapped :class:`OutboxError`."""
    try:
        yield
    except sqlite3.Error as exc:
        raise map_error(path, exc) from exc


def china_day(epoch_s: float) -> str:
    """``YYYYMMDD`` of an epoch time in China Standard Time: 1764460800.0 → "20251130"."""
    return datetime.fromtimestamp(epoch_s, CHINA_STANDARD_TIME).strftime("%Y%m%d")


def next_sequence(conn: sqlite3.Connection, name: str, day: str) -> int:
    """Allocate the next value (1, 2, …) of the daily counter ``name`` inside the caller's
    transaction; it is persisted with that transaction, so ids never repeat after a restart."""
    row = conn.execute(
        "INSERT INTO outbox_sequences (name, day, value) VALUES (?, ?, 1) "
        "ON CONFLICT (name, day) DO UPDATE SET value = value + 1 RETURNING value",
        (name, day)).fetchone()
    return int(row[0])


__all__ = ["connect", "create_schema", "map_error", "storage_errors", "china_day",
           "next_sequence", "CHINA_STANDARD_TIME", "SCHEMA_VERSION"]
