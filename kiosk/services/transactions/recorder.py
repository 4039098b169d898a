"""The API the journeys call to keep per-transaction records, and where 好差评 ratings leave.

A journey reports, in order::

    txn = log.started("registration", language="zh_CN", elderly=False)
    log.step(txn, 2, "register_form")          # step reached (1-based)
    log.finished(txn, "completed", outbox_item_id=receipt.item_id)   # or "abandoned" / "failed"
    log.rate(txn, 2, ["too_slow"])              # optional, after a completed transaction

``finished`` with ``"failed"`` takes ``error_class`` (an exception class name, never a message);
``"abandoned"`` is "abandoned at step N" with N the last step reported. Bad codes raise
``ValueError`` (:func:`~.models.check_code`), so free text never reaches a record.

A rating goes to the platform through the outbox (kind ``rating``, ``POST /v1/ratings``) bound
to the transaction's platform number (registration no., referral id, ticket no.). That number
comes from ``transaction_no`` given to :meth:`TransactionLog.finished` (kept in memory only,
forgotten at the session's end) or from the platform's reply to the transaction's own outbox
item. While that item is still waiting (offline), the rating is **held** in the records and
released by :meth:`TransactionLog.release_held` once the item is delivered; if the item is
dead-lettered, expired or discarded the platform has no such 办件 and the rating is dropped with
a log line. Ratings are never shown to anyone at the kiosk.

Thread use: all methods are thread-safe (the store serialises); times come from ``clock``
(epoch seconds) and durations from ``monotonic`` when the start was seen by this process.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Protocol
from collections.abc import Callable

from kiosk.services.outbox.errors import OutboxError, UnknownItem
from kiosk.services.transactions.models import (FAULT_STATES, KIND_RE, LANGUAGES, OUTCOMES,
                                                TransactionRecord, check_code)
from kiosk.services.transactions.ratings import check_rating, rating_payload
from kiosk.services.transactions.store import DURATION_BUCKETS_S, RecordsError, TransactionStore

logger = logging.getLogger(__name__)

#: Keys of a platform reply that carry the transaction's number, in order of preference.
NUMBER_KEYS = ("registration_no", "referral_id", "ticket_no", "posting_no", "booking_no",
               "application_no", "signup_no", "signup_id", "transaction_no")
NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
CLOSED_ITEM_STATES = frozenset({"dead", "expired", "discarded"})
RESTARTED = "KioskRestarted"


class TransactionError(ValueError):
    """A call the records cannot take: unknown id, wrong state, already rated.

    Attributes:
        txn_id: the transaction asked about. reason: what is wrong.
    """

    def __init__(self, txn_id: int, reason: str) -> None:
        self.txn_id = txn_id
        self.reason = reason
        super().__init__(f"transaction {txn_id}: {reason}")


class RatingOutbox(Protocol):
    """What the recorder needs of :class:`kiosk.services.outbox.Outbox`."""

    def enqueue(self, kind: str, payload: dict[str, Any]) -> Any: ...

    def results(self, item_id: int) -> dict[str, Any] | None: ...

    def item(self, item_id: int) -> Any: ...


class TransactionLog:
    """Records transactions, sessions and device faults in a :class:`TransactionStore`.

    Args:
        store: the records file.
        outbox: where ratings are queued (None: ratings are recorded but never sent).
        clock: epoch seconds. monotonic: for durations within this process.
    """

    def __init__(self, store: TransactionStore, outbox: RatingOutbox | None = None, *,
                 clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.outbox = outbox
        self.clock = clock
        self.monotonic = monotonic
        self._started_mono: dict[int, float] = {}
        self._numbers: dict[int, str] = {}

    # -- process ------------------------------------------------------------------------------

    def app_started(self) -> int:
        """Count a start of the kiosk (``kiosk_restarts_total``) and close transactions left
        open by the previous run as ``failed`` / ``KioskRestarted``; returns how many."""
        now = self.clock()
        with self.store.transaction() as c:
            self.store.add(c, "starts", {})
            open_rows = c.execute("SELECT txn_id, kind, started_at, last_step FROM transactions "
                                  "WHERE outcome IS NULL").fetchall()
            for txn_id, kind, started_at, _step in open_rows:
                self._close(c, txn_id, kind, "failed", RESTARTED, max(0.0, now - started_at), now)
            self.store.set_meta(c, "process_started_at", repr(now))
            if c.execute("SELECT 1 FROM meta WHERE key = 'first_started_at'").fetchone() is None:
                self.store.set_meta(c, "first_started_at", repr(now))
        if open_rows:
            logger.info("transactions: %d left open by the previous run recorded as failed",
                        len(open_rows))
        return len(open_rows)

    # -- transactions -------------------------------------------------------------------------

    def started(self, kind: str, *, language: str = "zh_CN", elderly: bool = False) -> int:
        """A transaction begins; returns its id. Raises ValueError for a bad kind/language."""
        check_code("kind", kind)
        if not KIND_RE.fullmatch(kind):
            raise ValueError(f"kind must be a lower-case code matching {KIND_RE.pattern}")
        _check_language(language)
        now = self.clock()
        with self.store.transaction() as c:
            txn_id = c.execute("INSERT INTO transactions (kind, started_at, language, elderly) "
                               "VALUES (?, ?, ?, ?)", (kind, now, language, int(elderly))).lastrowid
        assert txn_id is not None
        self._started_mono[txn_id] = self.monotonic()
        self.release_held()
        return txn_id

    def step(self, txn_id: int, number: int, name: str = "") -> None:
        """The transaction reached step ``number`` (1-based) named ``name`` (a step/screen id).

        Raises: ValueError for a bad name or number; TransactionError if unknown or finished.
        """
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError("step number must be a whole number ≥ 1")
        if name:
            check_code("step name", name)
        with self.store.transaction() as c:
            n = c.execute("UPDATE transactions SET last_step = ?, step_name = ? "
                          "WHERE txn_id = ? AND outcome IS NULL", (number, name, txn_id)).rowcount
        if not n:
            raise TransactionError(txn_id, "unknown or already finished")

    def finished(self, txn_id: int, outcome: str, *, error_class: str = "",
                 language: str | None = None, elderly: bool | None = None,
                 outbox_item_id: int | None = None, transaction_no: str | None = None,
                 kind: str | None = None) -> TransactionRecord:
        """The transaction ended with ``outcome`` (``completed``, ``abandoned``, ``failed``).

        Args:
            error_class: required for ``failed``: the error's class name (a code).
            language, elderly: the state at the finish if it changed during the transaction.
            outbox_item_id: the transaction's own outbox item (its platform number for a rating).
            transaction_no: the platform number if already known (kept in memory only).
            kind: a more precise kind learnt during the transaction (``assistance`` →
                ``assistance:subsidy_application``).

        Raises: ValueError (bad codes, ``failed`` without error class); TransactionError.
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        if outcome == "failed":
            check_code("error class", error_class)
        elif error_class:
            raise ValueError("error_class is only for outcome 'failed'")
        if language is not None:
            _check_language(language)
        if kind is not None and not (KIND_RE.fullmatch(kind) and check_code("kind", kind)):
            raise ValueError(f"kind must be a lower-case code matching {KIND_RE.pattern}")
        if transaction_no is not None and not NUMBER_RE.fullmatch(transaction_no):
            raise ValueError("transaction_no must be a platform number (letters, digits, '-')")
        now = self.clock()
        with self.store.transaction() as c:
            row = c.execute("SELECT kind, started_at, outcome FROM transactions WHERE txn_id = ?",
                            (txn_id,)).fetchone()
            if row is None:
                raise TransactionError(txn_id, "unknown")
            if row[2] is not None:
                raise TransactionError(txn_id, f"already finished ({row[2]})")
            if kind is not None:
                c.execute("UPDATE transactions SET kind = ? WHERE txn_id = ?", (kind, txn_id))
            start_mono = self._started_mono.pop(txn_id, None)
            duration = (self.monotonic() - start_mono if start_mono is not None
                        else now - row[1])
            self._close(c, txn_id, kind or row[0], outcome, error_class, max(0.0, duration), now)
            if language is not None:
                c.execute("UPDATE transactions SET language = ? WHERE txn_id = ?",
                          (language, txn_id))
            if elderly is not None:
                c.execute("UPDATE transactions SET elderly = ? WHERE txn_id = ?",
                          (int(elderly), txn_id))
            if outbox_item_id is not None:
                c.execute("UPDATE transactions SET outbox_item_id = ? WHERE txn_id = ?",
                          (int(outbox_item_id), txn_id))
        if transaction_no is not None:
            self._numbers[txn_id] = transaction_no
        record = self.store.record(txn_id)
        assert record is not None
        return record

    def _close(self, c: Any, txn_id: int, kind: str, outcome: str, error_class: str,
               duration: float, now: float) -> None:
        c.execute("UPDATE transactions SET outcome = ?, error_class = ?, duration_s = ?, "
                  "finished_at = ? WHERE txn_id = ?", (outcome, error_class, duration, now, txn_id))
        labels = {"kind": kind, "outcome": outcome}
        self.store.add(c, "transactions", labels)
        self.store.add(c, "duration_sum", labels, duration)
        for bound in DURATION_BUCKETS_S:
            if duration <= bound:
                self.store.add(c, "duration_bucket", {**labels, "le": repr(bound)})
        self.store.add(c, "duration_bucket", {**labels, "le": "+Inf"})

    # -- 好差评 --------------------------------------------------------------------------------

    def rate(self, txn_id: int, level: int, reasons: tuple[str, ...] | list[str] = ()) -> str:
        """Record the jobseeker's rating of a completed transaction and send it.

        Returns the rating's state: ``queued`` (in the outbox), ``held`` (waiting for the
        transaction to reach the platform) or ``none`` (no outbox configured).

        Raises:
            ValueError: bad level or reasons (:func:`~.ratings.check_rating`).
            TransactionError: unknown, not completed, or rated already (one rating per 办件).
        """
        chosen = check_rating(level, reasons)
        now = self.clock()
        with self.store.transaction() as c:
            row = c.execute("SELECT outcome, rating FROM transactions WHERE txn_id = ?",
                            (txn_id,)).fetchone()
            if row is None:
                raise TransactionError(txn_id, "unknown")
            if row[0] != "completed":
                raise TransactionError(txn_id, "only a completed transaction is rated")
            if row[1] is not None:
                raise TransactionError(txn_id, "already rated (one rating per transaction)")
            state = "held" if self.outbox is not None else "none"
            c.execute("UPDATE transactions SET rating = ?, rating_reasons = ?, rated_at = ?, "
                      "rating_state = ? WHERE txn_id = ?",
                      (level, ",".join(chosen), now, state, txn_id))
            self.store.add(c, "ratings", {"level": str(level)})
        if state == "held":
            self._release(txn_id)
            record = self.store.record(txn_id)
            assert record is not None
            state = record.rating_state
        return state

    def release_held(self) -> int:
        """Queue every held rating whose transaction the platform now has; drop those whose
        transaction will never get there. Returns how many left the held state."""
        if self.outbox is None:
            return 0
        rows = self.store.query("SELECT txn_id FROM transactions WHERE rating_state = 'held'")
        return sum(1 for (txn_id,) in rows if self._release(txn_id) != "held")

    def _release(self, txn_id: int) -> str:
        assert self.outbox is not None
        row = self.store.query("SELECT kind, finished_at, rating, rating_reasons, rated_at, "
                               "outbox_item_id FROM transactions WHERE txn_id = ? AND "
                               "rating_state = 'held'", (txn_id,))
        if not row:
            return "gone"
        kind, finished_at, level, reasons, rated_at, item_id = row[0]
        number = self._numbers.get(txn_id)
        if number is None and item_id is not None:
            number, closed = self._platform_number(item_id)
            if closed:
                self._set_state(txn_id, "dropped")
                logger.warning("rating of transaction %d dropped: its outbox item %d will not "
                               "reach the platform", txn_id, item_id)
                return "dropped"
        if number is None:
            if item_id is None:
                self._set_state(txn_id, "dropped")
                logger.warning("rating of transaction %d dropped: no platform number known",
                               txn_id)
                return "dropped"
            return "held"
        payload = rating_payload(number, kind, level, tuple(r for r in reasons.split(",") if r),
                                 finished_at, rated_at)
        try:
            receipt = self.outbox.enqueue("rating", payload)
        except OutboxError as exc:  # never block the jobseeker: kept held, retried by upkeep
            logger.warning("rating of transaction %d not queued yet: %s", txn_id,
                           type(exc).__name__)
            return "held"
        with self.store.transaction() as c:
            c.execute("UPDATE transactions SET rating_state = 'queued', rating_item_id = ? "
                      "WHERE txn_id = ?", (receipt.item_id, txn_id))
        self._numbers.pop(txn_id, None)
        return "queued"

    def _platform_number(self, item_id: int) -> tuple[str | None, bool]:
        """(number, closed): the platform's number from the item's reply, and whether the item
        ended without delivery (dead, expired, discarded)."""
        assert self.outbox is not None
        try:
            result = self.outbox.results(item_id)
        except UnknownItem:
            return None, True
        if result:
            for key in NUMBER_KEYS:
                value = result.get(key)
                if isinstance(value, str) and value:
                    return value, False
            return None, True
        return None, self.outbox.item(item_id).state in CLOSED_ITEM_STATES

    def _set_state(self, txn_id: int, state: str) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE transactions SET rating_state = ? WHERE txn_id = ?",
                      (state, txn_id))

    # -- sessions, devices, retention ---------------------------------------------------------

    def session_ended(self, reason: str) -> None:
        """Count a finished session (``finished``, ``idle`` …) and forget the session's
        transaction numbers (personal-data minimisation: they live only as long as it).

        A :class:`~kiosk.services.session.SessionService` end listener: it never raises (the
        screens' wipe runs after it); a reason that is not a code is counted as ``other``, a
        storage failure is logged."""
        self._numbers.clear()
        try:
            check_code("session end reason", reason)
        except ValueError:
            reason = "other"
        try:
            with self.store.transaction() as c:
                self.store.add(c, "sessions", {"end_reason": reason})
                self.store.set_meta(c, "last_session_at", repr(self.clock()))
        except RecordsError as exc:
            logger.warning("session end not recorded: %s", exc.reason)

    def observe_device(self, device: str, state: str) -> None:
        """The device's state now (``card_reader``: ReaderState value; ``printer``: health
        key; ``scanner``). Opens/closes fault intervals per :data:`~.models.FAULT_STATES`."""
        check_code("device", device)
        check_code("device state", state)
        faults = FAULT_STATES.get(device, frozenset())
        now = self.clock()
        with self.store.transaction() as c:
            row = c.execute("SELECT state FROM device_states WHERE device = ?",
                            (device,)).fetchone()
            if row is not None and row[0] == state:
                c.execute("UPDATE device_states SET observed_at = ? WHERE device = ?",
                          (now, device))
                return
            c.execute("INSERT INTO device_states (device, state, since, observed_at) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT (device) DO UPDATE SET "
                      "state = excluded.state, since = excluded.since, "
                      "observed_at = excluded.observed_at", (device, state, now, now))
            c.execute("UPDATE device_faults SET ended_at = ? WHERE device = ? AND ended_at IS NULL",
                      (now, device))
            if state in faults:
                c.execute("INSERT INTO device_faults (device, state, started_at) VALUES (?, ?, ?)",
                          (device, state, now))
                self.store.add(c, "device_faults", {"device": device})

    def purge(self, retention_days: int) -> int:
        """Delete records started, and fault intervals ended, more than ``retention_days`` ago
        (counters stay). Returns the number of transaction records deleted."""
        cutoff = self.clock() - retention_days * 86400.0
        with self.store.transaction() as c:
            n = c.execute("DELETE FROM transactions WHERE started_at < ? AND outcome IS NOT NULL",
                          (cutoff,)).rowcount
            c.execute("DELETE FROM device_faults WHERE ended_at IS NOT NULL AND ended_at < ?",
                      (cutoff,))
        if n:
            logger.info("transactions: %d record(s) older than %d days purged", n, retention_days)
        return n


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")


__all__ = ["TransactionLog", "TransactionError", "RatingOutbox", "NUMBER_KEYS"]
