"""The kiosk's own records of what it submitted: one owner, typed methods per record kind.

Kept beside the outbox in the same SQLite database, so each record is written in the same
transaction as its outbox item (issue 6: "recorded locally in the same transaction as the
kiosk's own record"). No personal data: numbers, ids, kinds and states only. Services never
pass SQL in: they call :class:`KioskRecords`.

Tables (one per :class:`~kiosk.services.journeys.spec.RecordKind`, in :data:`TABLES`):

* ``kiosk_registrations(receipt_no, item_id, created_at)``
* ``kiosk_referrals(referral_id, item_id, vacancy_id, created_at, print_state, printed_count,
  last_error)`` with ``print_state`` one of :data:`PRINT_STATES`: ``none``, ``printing``,
  ``printed``, ``failed``, ``unknown`` (a timed-out job that may or may not have printed).
* ``kiosk_assistance(receipt_no, item_id, kind, created_at)`` (就业帮办)
* ``kiosk_applications(receipt_no, item_id, kind, created_at)`` (issue 18: 失业登记 …)
* ``kiosk_postings(receipt_no, item_id, kind, created_at)`` (issue 19: employer postings,
  ``kind`` ``job`` | ``gig``)

A new journey that submits something adds its ``RecordKind`` member (``spec.py``), its ``CREATE
TABLE`` in :data:`TABLES` (first two columns: the outbox receipt number — or the referral id —
and the outbox item id), its outbox kind in :data:`OUTBOX_KINDS`, its ``INSERT`` in
:data:`_INSERTS` and a typed ``submit_…`` method on :class:`KioskRecords` that calls
:meth:`KioskRecords.submit` with its own columns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.services.journeys.spec import RecordKind

if TYPE_CHECKING:
    from kiosk.services.outbox.store import Outbox


#: the record table of each kind; the first two columns are always receipt/id and item_id
TABLES: dict[RecordKind, str] = {
    RecordKind.REGISTRATION: """CREATE TABLE IF NOT EXISTS kiosk_registrations (
        receipt_no TEXT PRIMARY KEY, item_id INTEGER NOT NULL, created_at REAL NOT NULL)""",
    RecordKind.REFERRAL: """CREATE TABLE IF NOT EXISTS kiosk_referrals (
        referral_id TEXT PRIMARY KEY, item_id INTEGER NOT NULL, vacancy_id TEXT NOT NULL,
        created_at REAL NOT NULL, print_state TEXT NOT NULL DEFAULT 'none',
        printed_count INTEGER NOT NULL DEFAULT 0, last_error TEXT)""",
    RecordKind.ASSISTANCE: """CREATE TABLE IF NOT EXISTS kiosk_assistance (
        receipt_no TEXT PRIMARY KEY, item_id INTEGER NOT NULL, kind TEXT NOT NULL,
        created_at REAL NOT NULL)""",
    RecordKind.APPLICATION: """CREATE TABLE IF NOT EXISTS kiosk_applications (
        receipt_no TEXT PRIMARY KEY, item_id INTEGER NOT NULL, kind TEXT NOT NULL,
        created_at REAL NOT NULL)""",
    RecordKind.POSTING: """CREATE TABLE IF NOT EXISTS kiosk_postings (
        receipt_no TEXT PRIMARY KEY, item_id INTEGER NOT NULL, kind TEXT NOT NULL,
        created_at REAL NOT NULL)""",
}
#: the outbox item kind (``Outbox.enqueue``) of each record kind
OUTBOX_KINDS: dict[RecordKind, str] = {
    RecordKind.REGISTRATION: "registration",
    RecordKind.REFERRAL: "referral",
    RecordKind.ASSISTANCE: "assistance",
    RecordKind.APPLICATION: "application",
    RecordKind.POSTING: "posting",
}
_INSERTS: dict[RecordKind, str] = {
    RecordKind.REGISTRATION: "INSERT INTO kiosk_registrations VALUES (?, ?, ?)",
    RecordKind.REFERRAL: "INSERT INTO kiosk_referrals (referral_id, item_id, vacancy_id, "
                          "created_at) VALUES (?, ?, ?, ?)",
    RecordKind.ASSISTANCE: "INSERT INTO kiosk_assistance VALUES (?, ?, ?, ?)",
    RecordKind.APPLICATION: "INSERT INTO kiosk_applications VALUES (?, ?, ?, ?)",
    RecordKind.POSTING: "INSERT INTO kiosk_postings VALUES (?, ?, ?, ?)",
}
PRINT_STATES = ("none", "printing", "printed", "failed", "unknown")
POSTING_KINDS = ("job", "gig")


class WorkerPort(Protocol):
    """``kiosk.services.outbox.OutboxWorker``: told when there is something to send."""

    def kick(self) -> None: ...


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create every record table inside the caller's transaction (``executescript`` would
    commit it)."""
    for statement in TABLES.values():
        conn.execute(statement)


@dataclass(frozen=True)
class Submission:
    """An enqueued write: its receipt, and the platform's reply if it arrived in time."""

    receipt_no: str
    item_id: int
    delivered: bool
    result: dict[str, Any]


class KioskRecords:
    """The one owner of the kiosk's own records (see the module docstring).

    Args:
        outbox: the terminal's outbox (its database holds the records; services that need
            an item's state, such as a platform refusal, read it there).
        worker: its sender, kicked after each enqueue.
        clock: seconds since the epoch for ``created_at`` (the outbox's clock by default).
    """

    def __init__(self, outbox: Outbox, worker: WorkerPort,
                 clock: Callable[[], float] | None = None) -> None:
        self.outbox = outbox
        self.worker = worker
        self._clock = clock or outbox.clock
        with outbox.transaction() as conn:
            ensure_schema(conn)

    # ---- writes with their outbox item -----------------------------------------------------
    def submit(self, kind: RecordKind, payload: dict[str, Any], columns: tuple[Any, ...],
               wait_s: float) -> Submission:
        """Enqueue ``payload`` and insert the ``kind`` record (receipt number, item id, then
        ``columns``) in ONE transaction, kick the worker, and wait up to ``wait_s`` seconds
        for delivery.

        Raises:
            kiosk.services.outbox.InvalidPayload, StorageFull, StorageError (also when the
            record cannot be written: the transaction is rolled back, nothing is enqueued).
        """
        with self.outbox.transaction() as conn:
            receipt = self.outbox.enqueue(OUTBOX_KINDS[kind], payload, conn=conn)
            conn.execute(_INSERTS[kind], (receipt.receipt_no, receipt.item_id, *columns))
        self.worker.kick()
        delivered = self.outbox.wait_delivered(receipt.item_id, wait_s)
        result = (self.outbox.results(receipt.item_id) or {}) if delivered else {}
        return Submission(receipt.receipt_no, receipt.item_id, delivered, result)

    def submit_registration(self, payload: dict[str, Any], wait_s: float) -> Submission:
        """A ``RegistrationRequest`` and its ``kiosk_registrations`` row."""
        return self.submit(RecordKind.REGISTRATION, payload, (self._clock(),), wait_s)

    def submit_assistance(self, kind: str, payload: dict[str, Any], wait_s: float) -> Submission:
        """An ``AssistanceRequest`` of ``kind`` and its ``kiosk_assistance`` row."""
        return self.submit(RecordKind.ASSISTANCE, payload, (kind, self._clock()), wait_s)

    def submit_application(self, kind: str, payload: dict[str, Any],
                           wait_s: float) -> Submission:
        """An ``ApplicationRequest`` of ``kind`` (``kiosk.domain.applications.KINDS``) and its
        ``kiosk_applications`` row."""
        return self.submit(RecordKind.APPLICATION, payload, (kind, self._clock()), wait_s)

    def submit_posting(self, kind: str, payload: dict[str, Any], wait_s: float) -> Submission:
        """An employer ``PostingRequest`` (``kind`` one of :data:`POSTING_KINDS`) and its
        ``kiosk_postings`` row.

        Raises:
            ValueError: an unknown ``kind`` (nothing is enqueued); as :meth:`submit`.
        """
        if kind not in POSTING_KINDS:
            raise ValueError(f"posting kind {kind!r} is not one of {POSTING_KINDS}")
        return self.submit(RecordKind.POSTING, payload, (kind, self._clock()), wait_s)

    def add_referral(self, conn: sqlite3.Connection, referral_id: str, item_id: int,
                     vacancy_id: str, created_at: float) -> None:
        """The ``kiosk_referrals`` row of a referral enqueued in ``conn``'s transaction (the
        referral id is drawn in the same transaction, so the caller holds it open)."""
        conn.execute(_INSERTS[RecordKind.REFERRAL],
                     (referral_id, item_id, vacancy_id, created_at))

    # ---- referral print states ----------------------------------------------------------
    def print_state(self, referral_id: str) -> str:
        """One of :data:`PRINT_STATES` ("none" for an unknown referral)."""
        with self.outbox.transaction() as conn:
            return self._print_state(conn, referral_id)

    def claim_print(self, referral_id: str, allowed: tuple[str, ...]) -> str | None:
        """Mark the referral ``printing`` if its state is one of ``allowed`` (atomically:
        two taps never both win). Returns None when claimed, else the state that refused."""
        marks = ",".join("?" * len(allowed))
        with self.outbox.transaction() as conn:
            cur = conn.execute(
                f"UPDATE kiosk_referrals SET print_state = 'printing' WHERE referral_id = ? "
                f"AND print_state IN ({marks})", (referral_id, *allowed))
            if cur.rowcount == 0:
                return self._print_state(conn, referral_id)
        return None

    def store_print_outcome(self, referral_id: str, state: str, error: str | None) -> None:
        """The print job ended in ``state`` (``printed``, ``failed``, ``unknown``).

        Raises:
            ValueError: ``state`` is not one of :data:`PRINT_STATES`.
        """
        if state not in PRINT_STATES:
            raise ValueError(f"print state {state!r} is not one of {PRINT_STATES}")
        with self.outbox.transaction() as conn:
            conn.execute("UPDATE kiosk_referrals SET print_state = ?, last_error = ?, "
                         "printed_count = printed_count + ? WHERE referral_id = ?",
                         (state, error, 1 if state == "printed" else 0, referral_id))

    @staticmethod
    def _print_state(conn: sqlite3.Connection, referral_id: str) -> str:
        found = conn.execute("SELECT print_state FROM kiosk_referrals WHERE referral_id = ?",
                             (referral_id,)).fetchone()
        return str(found[0]) if found else "none"


__all__ = ["KioskRecords", "Submission", "WorkerPort",
           "PRINT_STATES", "POSTING_KINDS", "TABLES", "OUTBOX_KINDS", "ensure_schema"]
