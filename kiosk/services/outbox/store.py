"""The durable outbox: writes for the platform kept in SQLite until the platform acknowledges.

A service records its own rows and the outbox item in one transaction::

    with outbox.transaction() as conn:
        conn.execute("INSERT INTO my_table ...")           # the kiosk's own record
        receipt = outbox.enqueue("registration", payload, conn=conn)
    # committed (fsynced) here: the receipt number may now be shown

and :class:`~kiosk.services.outbox.worker.OutboxWorker` sends it. Payloads are personal data:
they are stored only AES-GCM sealed (:mod:`.crypto`), deleted when the platform acknowledges
(the row stays as a receipt with the platform's reply minus personal data), and deleted when
older than ``retention_days`` (:meth:`Outbox.purge_expired`). Item states are listed in
:data:`kiosk.services.outbox.models.STATES`.

Thread use: each thread gets its own SQLite connection; all methods are thread-safe.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from kiosk.services.outbox import schema
from kiosk.services.outbox.crypto import (PayloadCipher, key_fingerprint, load_or_create_key,
                                          read_key)
from kiosk.services.outbox.delivery import UNREADABLE, DeliveryStates
from kiosk.services.outbox.errors import (InvalidPayload, InvalidTransition, KeyFileError, KeyLost,
                                          KeyMissing, OutboxError, UnknownItem)
from kiosk.services.outbox.models import KINDS, OutboxItem, OutboxReceipt, OutboxStatus
from kiosk.settings import OutboxSettings

logger = logging.getLogger(__name__)

_ITEM_COLUMNS = ("item_id, kind, receipt_no, idempotency_key, state, created_at, attempts, "
                 "strikes, next_attempt_at, last_error, delivered_at, payload IS NOT NULL")


def contract_check(kind: str, payload: dict[str, Any]) -> None:
    """The outbox's default check: :func:`kiosk.platform.submissions.check_payload` (raises its
    ``PayloadInvalid``, a ``ValueError``), imported by the first payload queued, not when the
    outbox opens (issue 23: the wire models are not needed before a service button works)."""
    from kiosk.platform.submissions import check_payload

    check_payload(kind, payload)


class Outbox(DeliveryStates):
    """The outbox over one SQLite file and one key file.

    Args:
        db_path: the database (created if missing), e.g. ``<data_dir>/outbox.db``.
        key_path: the 32-byte AES key, e.g. ``<data_dir>/outbox.key``; created 0600 only while
            no undelivered item is sealed (else a missing key is :class:`KeyLost`).
        settings: the ``[outbox]`` section (attempts, ages, retention, backoff).
        clock: epoch seconds, ``time.time`` by default (tests pass a fake).
        terminal_id: prefix of receipt numbers ("" = none), ``settings.station.terminal_id``.
        recover: move items left ``in_flight`` by a crash back to ``pending`` (True at start of
            the kiosk; False for a read-only look from another process).
        check: validates a payload against the platform contract before it is queued
            (:func:`contract_check`; raises ``ValueError``), so a malformed
            payload fails at the screen instead of dead-lettering later; None = no check.

    Raises:
        KeyLost: undelivered items are sealed and the key is missing, unusable or another one
            (restore it, or ``kiosk outbox discard --unreadable``: :func:`discard_unreadable`).
        KeyFileError: the key file is unusable. OutboxCorrupt: the database fails its check.
        StorageFull, StorageError: the database cannot be created or opened.
    """

    def __init__(self, db_path: Path | str, key_path: Path | str, settings: OutboxSettings,
                 clock: Callable[[], float] = time.time, *, terminal_id: str = "",
                 recover: bool = True,
                 check: Callable[[str, dict[str, Any]], None] | None = contract_check) -> None:
        self.db_path = Path(db_path)
        self._check = check
        self.settings = settings
        self.clock = clock
        self.terminal_id = terminal_id
        self.key_path = Path(key_path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._conn_lock = threading.Lock()
        self._changed = threading.Condition()
        self._listeners: list[Callable[[], None]] = []
        try:
            schema.create_schema(self._conn(), self.db_path)
            self._cipher = PayloadCipher(self._load_key())
        except BaseException:
            self.close()
            raise
        if recover:
            self.recover_in_flight()

    # -- connections and transactions -------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = schema.connect(self.db_path)
            self._local.conn = conn
            with self._conn_lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this object opened (call once no thread uses it)."""
        with self._conn_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` on this thread's connection; rollback on error.

        Yields the ``sqlite3.Connection`` (autocommit mode; do not call commit on it). Nested use
        joins the outer transaction. The worker is woken after the commit.

        Raises:
            StorageFull: the disk is full (the transaction is rolled back, the file is intact).
            StorageError, OutboxCorrupt: other SQLite failures, also raised for the caller's own
                statements inside the block.
        """
        conn = self._conn()
        if conn.in_transaction:
            yield conn
            return
        with schema.storage_errors(self.db_path):
            conn.execute("BEGIN IMMEDIATE")
        self._local.wake = False
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback(conn)
            raise schema.map_error(self.db_path, exc) from exc
        except BaseException:
            self._rollback(conn)
            raise
        if self._local.wake:
            self._local.wake = False
            self._notify()

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:  # SQLite may already have rolled back (SQLITE_FULL, IOERR)
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                logger.warning("outbox rollback failed; SQLite rolls back on next open")

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` (no arguments, must not block) after each committed enqueue."""
        self._listeners.append(callback)

    def _notify(self) -> None:
        for callback in list(self._listeners):
            callback()
        with self._changed:
            self._changed.notify_all()

    # -- enqueue ----------------------------------------------------------------------------

    def enqueue(self, kind: str, payload: dict[str, Any], *,
                conn: sqlite3.Connection | None = None) -> OutboxReceipt:
        """Record a write for the platform; it is durable once the transaction commits.

        Args:
            kind: ``"registration"``, ``"referral"`` or ``"assistance"``.
            payload: the request body (personal data; stored encrypted only).
            conn: a connection from :meth:`transaction` to join the caller's transaction; the
                receipt is valid only if that transaction commits.

        Raises:
            InvalidPayload: unknown kind, a payload the contract refuses (``fields`` names the
                paths), or one JSON cannot encode (bytes, NaN, …).
            StorageFull: the disk is full; nothing was written. StorageError: other I/O errors.
        """
        if kind not in KINDS:
            raise InvalidPayload(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if not isinstance(payload, dict):
            raise InvalidPayload(f"payload must be a dict, not {type(payload).__name__}")
        if self._check is not None:
            try:
                self._check(kind, payload)
            except ValueError as exc:  # PayloadInvalid names field paths, never values
                raise InvalidPayload(str(exc), list(getattr(exc, "fields", []))) from exc
        try:
            plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                                   allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise InvalidPayload(f"not JSON-encodable ({type(exc).__name__})") from exc
        key = str(uuid.uuid4())
        sealed = self._cipher.seal(plaintext, key)
        now = self.clock()
        with self.transaction() if conn is None else _joined(conn, self.db_path) as c:
            seq = schema.next_sequence(c, "receipt", schema.china_day(now))
            prefix = f"{self.terminal_id}-" if self.terminal_id else ""
            receipt_no = f"{prefix}R{schema.china_day(now)}-{seq:04d}"
            cur = c.execute(
                "INSERT INTO outbox_items (kind, idempotency_key, receipt_no, state, payload, "
                "created_at, age_from, next_attempt_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)",
                (kind, key, receipt_no, sealed, now, now, now))
            self._local.wake = True
        item_id = cur.lastrowid
        assert item_id is not None
        return OutboxReceipt(item_id=item_id, receipt_no=receipt_no, idempotency_key=key)

    # -- queries for screens and the technician view ------------------------------------

    def status(self) -> OutboxStatus:
        """Counts by state, last success and reachability (one read, no lock held)."""
        conn = self._conn()
        with schema.storage_errors(self.db_path):
            counts = dict(conn.execute(
                "SELECT state, COUNT(*) FROM outbox_items GROUP BY state").fetchall())
            meta = dict(conn.execute("SELECT key, value FROM outbox_meta").fetchall())
        reachable = meta.get("platform_reachable")
        last_success = meta.get("last_success_at")
        return OutboxStatus(
            pending=counts.get("pending", 0), in_flight=counts.get("in_flight", 0),
            dead=counts.get("dead", 0), delivered=counts.get("delivered", 0),
            last_success_at=float(last_success) if last_success else None,
            last_error=meta.get("last_error") or None,
            platform_reachable=None if reachable is None else reachable == "1")

    def item(self, item_id: int) -> OutboxItem:
        """One item's state (no payload). Raises: UnknownItem."""
        row = self._conn().execute(
            f"SELECT {_ITEM_COLUMNS} FROM outbox_items WHERE item_id = ?", (item_id,)).fetchone()
        if row is None:
            raise UnknownItem(item_id)
        return _item(row)

    def item_id_for_receipt(self, receipt_no: str) -> int | None:
        """The item id of a receipt number shown to the jobseeker, or None if unknown (the
        好差评 rating of an offline transaction waits for that item, issue 21)."""
        with schema.storage_errors(self.db_path):
            row = self._conn().execute("SELECT item_id FROM outbox_items WHERE receipt_no = ?",
                                       (receipt_no,)).fetchone()
        return None if row is None else int(row[0])

    def items(self, state: str, limit: int = 200) -> list[OutboxItem]:
        """Items in ``state`` (see STATES), oldest first, at most ``limit``."""
        with schema.storage_errors(self.db_path):
            rows = self._conn().execute(
                f"SELECT {_ITEM_COLUMNS} FROM outbox_items WHERE state = ? "
                "ORDER BY item_id LIMIT ?", (state, limit)).fetchall()
        return [_item(row) for row in rows]

    def dead_letters(self) -> list[OutboxItem]:
        """Dead-lettered items for the technician view, oldest first."""
        return self.items("dead", limit=10_000)

    def results(self, item_id: int) -> dict[str, Any] | None:
        """The platform's reply once delivered (e.g. ``{"registration_no": …, "status": …}``)
        without personal data; None while not delivered. Raises: UnknownItem."""
        row = self._conn().execute("SELECT state, result FROM outbox_items WHERE item_id = ?",
                                   (item_id,)).fetchone()
        if row is None:
            raise UnknownItem(item_id)
        return json.loads(row[1]) if row[0] == "delivered" and row[1] else None

    def wait_delivered(self, item_id: int, timeout_s: float) -> bool:
        """Block up to ``timeout_s`` seconds until the item is delivered.

        Returns True once delivered; False on timeout or as soon as the item is dead, expired
        or discarded (it will not be delivered without a technician). Raises: UnknownItem.
        """
        deadline = time.monotonic() + timeout_s
        while True:
            state = self.item(item_id).state
            if state == "delivered":
                return True
            remaining = deadline - time.monotonic()
            if state not in ("pending", "in_flight") or remaining <= 0:
                return False
            with self._changed:  # woken in-process; the 0.05 s poll covers other processes
                self._changed.wait(min(remaining, 0.05))

    # -- technician actions ----------------------------------------------------------------

    def retry(self, item_id: int) -> None:
        """Send a dead item again now, with a fresh strike count and age window.

        Raises: UnknownItem; InvalidTransition if it is not dead or its payload is gone.
        """
        now = self.clock()
        with self.transaction() as c:
            state, has_payload = self._state(c, item_id)
            if state != "dead" or not has_payload:
                raise InvalidTransition(item_id, state, "retry")
            c.execute("UPDATE outbox_items SET state = 'pending', strikes = 0, age_from = ?, "
                      "next_attempt_at = ? WHERE item_id = ?", (now, now, item_id))
            self._local.wake = True

    def discard(self, item_id: int) -> None:
        """Give up on a pending or dead item: delete its personal data, keep the receipt row.

        Raises: UnknownItem; InvalidTransition if it is in flight or already closed.
        """
        with self.transaction() as c:
            state, _ = self._state(c, item_id)
            if state not in ("pending", "dead"):
                raise InvalidTransition(item_id, state, "discard")
            c.execute("UPDATE outbox_items SET state = 'discarded', payload = NULL, "
                      "last_error = 'discarded by technician' WHERE item_id = ?", (item_id,))
        logger.warning("outbox item %d discarded by technician", item_id)

    def purge_expired(self) -> int:
        """Delete the personal data of undelivered items older than ``retention_days``.

        The rows become ``expired`` (visible in ``items("expired")``); the count and receipt
        numbers are logged at WARNING (no personal data). Returns the number of items purged.
        """
        cutoff = self.clock() - self.settings.retention_days * 86400.0
        with self.transaction() as c:
            rows = c.execute(
                "UPDATE outbox_items SET state = 'expired', payload = NULL, last_error = ? "
                "WHERE state IN ('pending', 'dead') AND created_at < ? RETURNING receipt_no",
                (f"retention limit of {self.settings.retention_days} days reached; "
                 "personal data deleted", cutoff)).fetchall()
        if rows:
            with schema.storage_errors(self.db_path):
                self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            logger.warning("outbox: %d undelivered item(s) expired, personal data deleted: %s",
                           len(rows), ", ".join(r[0] for r in rows[:50]))
        return len(rows)

    # -- internals ------------------------------------------------------------------------

    @staticmethod
    def _state(c: sqlite3.Connection, item_id: int) -> tuple[str, bool]:
        row = c.execute("SELECT state, payload IS NOT NULL FROM outbox_items WHERE item_id = ?",
                        (item_id,)).fetchone()
        if row is None:
            raise UnknownItem(item_id)
        return row[0], bool(row[1])

    def _load_key(self) -> bytes:
        """The key that opens the sealed items; a new one only while nothing is sealed.

        Raises:
            KeyLost: sealed items exist and the key is missing, unusable or not the recorded one.
            KeyFileError: nothing is sealed but the key file exists and is unusable.
        """
        conn = self._conn()
        sealed, recorded = sealed_summary(conn, self.db_path)
        if sealed:
            try:
                key = read_key(self.key_path)
            except KeyFileError as exc:
                raise KeyLost(self.key_path, exc.reason, sealed, recorded) from exc
            actual = key_fingerprint(key)
            if recorded and actual != recorded:
                raise KeyLost(self.key_path, f"fingerprint {actual} is not the recorded one",
                              sealed, recorded)
        else:
            key = load_or_create_key(self.key_path)
            if recorded and key_fingerprint(key) != recorded:
                logger.warning("outbox key changed while no item was sealed; recorded the new one")
        with self.transaction() as c:
            self._set_meta(c, key_fingerprint=key_fingerprint(key))
        return key


def sealed_summary(conn: sqlite3.Connection, path: Path) -> tuple[int, str]:
    """``(items that still carry a sealed payload, recorded key fingerprint or "")`` — pending,
    in-flight and dead items keep their payload until delivered, discarded or expired."""
    with schema.storage_errors(path):
        sealed = conn.execute("SELECT COUNT(*) FROM outbox_items WHERE payload IS NOT NULL "
                              "AND state IN ('pending', 'in_flight', 'dead')").fetchone()[0]
        row = conn.execute("SELECT value FROM outbox_meta WHERE key = 'key_fingerprint'"
                           ).fetchone()
    return int(sealed), (row[0] or "") if row else ""


def discard_unreadable(db_path: Path | str, key_path: Path | str) -> list[str]:
    """The technician's explicit way out of :class:`KeyLost`: give up every undelivered item
    the current key cannot open (their sealed personal data is deleted; the rows stay as
    ``discarded`` receipts), and make a new key if the old one is missing or unusable (an
    unusable file is kept beside it as ``outbox.key.unreadable-<epoch>`` for forensics).

    With the right key in place nothing is discarded. Returns the receipt numbers given up.

    Raises:
        OutboxCorrupt, StorageFull, StorageError: the database cannot be read or written.
        KeyFileError: a new key cannot be created.
    """
    db_path, key_path = Path(db_path), Path(key_path)
    conn = schema.connect(db_path)
    try:
        schema.create_schema(conn, db_path)
        try:
            key: bytes | None = read_key(key_path)
        except KeyFileError as exc:
            key = None
            if key_path.exists() or key_path.is_symlink():
                aside = key_path.with_name(f"{key_path.name}.unreadable-{int(time.time())}")
                try:
                    key_path.rename(aside)
                except OSError as move_exc:
                    raise KeyFileError(key_path, f"cannot move aside: {move_exc.strerror}"
                                       ) from exc
                logger.warning("outbox key file unusable (%s); kept as %s", exc.reason, aside.name)
        if key is None:
            key = load_or_create_key(key_path)
        cipher = PayloadCipher(key)
        given_up: list[str] = []
        with schema.storage_errors(db_path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                rows = conn.execute(
                    "SELECT item_id, receipt_no, idempotency_key, payload FROM outbox_items "
                    "WHERE payload IS NOT NULL AND state IN ('pending', 'in_flight', 'dead') "
                    "ORDER BY item_id").fetchall()
                for item_id, receipt_no, idem, sealed in rows:
                    try:
                        cipher.open(bytes(sealed), idem)
                        continue
                    except ValueError:
                        pass
                    conn.execute("UPDATE outbox_items SET state = 'discarded', payload = NULL, "
                                 "last_error = ? WHERE item_id = ?",
                                 ("unreadable (key lost); discarded by technician", item_id))
                    given_up.append(receipt_no)
                conn.execute("INSERT INTO outbox_meta (key, value) VALUES ('key_fingerprint', ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             (cipher.fingerprint,))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if given_up:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if given_up:
        logger.warning("outbox: %d unreadable item(s) discarded by technician: %s",
                       len(given_up), ", ".join(given_up[:50]))
    return given_up


@contextmanager
def _joined(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    if not conn.in_transaction:
        raise OutboxError("enqueue(conn=...) needs a connection from Outbox.transaction()")
    with schema.storage_errors(path):
        yield conn


def _item(row: tuple[Any, ...]) -> OutboxItem:
    return OutboxItem(item_id=row[0], kind=row[1], receipt_no=row[2], idempotency_key=row[3],
                      state=row[4], created_at=row[5], attempts=row[6], strikes=row[7],
                      next_attempt_at=row[8], last_error=row[9], delivered_at=row[10],
                      has_payload=bool(row[11]))


@dataclass(frozen=True)
class OutboxFiles:
    """What :func:`inspect_files` found, for ``kiosk doctor`` (nothing is created or changed).

    ``db_state``: "missing" (made at the first start), "ok", "corrupt" (not SQLite, fails
    ``quick_check``, newer schema) or "unusable" (a folder, no permission, locked);
    ``key_state``: "missing", "ok", "unusable" (size, mode, unreadable) or "mismatch" (not the
    key whose fingerprint the database recorded); ``sealed_items``: undelivered items holding a
    sealed payload; ``pending``: items waiting to be sent. ``*_detail`` say what exactly.
    """

    db_state: str
    db_detail: str
    key_state: str
    key_detail: str
    schema_version: int = 0
    sealed_items: int = 0
    pending: int = 0
    recorded_fingerprint: str = ""

    @property
    def start_fault(self) -> bool:
        """True when the kiosk cannot open its outbox at start (``Outbox`` would raise)."""
        if self.db_state in ("corrupt", "unusable"):
            return True
        if self.sealed_items and self.key_state != "ok":
            return True
        return self.key_state == "unusable"


def inspect_files(db_path: Path | str, key_path: Path | str) -> OutboxFiles:
    """Look at the outbox database and key without creating or changing either (doctor)."""
    import stat as stat_module

    db_path, key_path = Path(db_path), Path(key_path)
    key: bytes | None
    try:
        key = read_key(key_path)
        key_state, key_detail = "ok", f"32 bytes, 0600, fingerprint {key_fingerprint(key)}"
    except KeyFileError as exc:
        key = None
        key_state = "missing" if isinstance(exc, KeyMissing) else "unusable"
        key_detail = exc.reason
    if not db_path.exists() and not db_path.is_symlink():
        return OutboxFiles("missing", "not created yet (made at the first start)", key_state,
                           key_detail)
    try:
        mode = db_path.stat().st_mode
    except OSError as exc:
        return OutboxFiles("unusable", f"cannot stat: {exc.strerror}", key_state, key_detail)
    if not stat_module.S_ISREG(mode):
        return OutboxFiles("unusable", "not a regular file (a folder?)", key_state, key_detail)
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=rw", uri=True, timeout=2.0)
    except sqlite3.Error as exc:
        return OutboxFiles("unusable", schema.map_error(db_path, exc).args[0], key_state,
                           key_detail)
    try:
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            return OutboxFiles("corrupt", getattr(exc, "sqlite_errorname", "") or str(exc),
                               key_state, key_detail)
        if check != "ok":
            return OutboxFiles("corrupt", f"quick_check: {check}", key_state, key_detail,
                               version)
        if version > schema.SCHEMA_VERSION:
            return OutboxFiles("corrupt", f"schema version {version} is newer than "
                               f"{schema.SCHEMA_VERSION}", key_state, key_detail, version)
        if version == 0:
            return OutboxFiles("ok", "empty (tables made at the first start)", key_state,
                               key_detail)
        try:
            sealed, recorded = sealed_summary(conn, db_path)
            pending = int(conn.execute("SELECT COUNT(*) FROM outbox_items WHERE state IN "
                                       "('pending', 'in_flight')").fetchone()[0])
        except OutboxError as exc:
            return OutboxFiles("corrupt", str(exc), key_state, key_detail, version)
    finally:
        conn.close()
    if key is not None and recorded and key_fingerprint(key) != recorded and sealed:
        key_state = "mismatch"
        key_detail = (f"fingerprint {key_fingerprint(key)} is not the recorded {recorded}")
    return OutboxFiles("ok", f"schema {version}, {pending} pending, {sealed} sealed", key_state,
                       key_detail, version, sealed, pending, recorded)


__all__ = ["Outbox", "OutboxFiles", "discard_unreadable", "inspect_files", "sealed_summary",
           "UNREADABLE"]
