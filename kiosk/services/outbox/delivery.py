"""The sender's half of :class:`~kiosk.services.outbox.store.Outbox`: the state transitions of
sending (``pending`` → ``in_flight`` → ``delivered`` | ``pending`` | ``dead``; a refused rating
→ ``discarded``), crash recovery and age limits. Mixed into ``Outbox``; the worker (:mod:`.worker`) is its only caller.

Times are epoch seconds from the outbox's clock. Errors: :class:`StorageFull`,
:class:`StorageError` from any method (the transaction is rolled back); :class:`UnknownItem`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from contextlib import AbstractContextManager
from typing import Any
from collections.abc import Callable

from kiosk.domain.masking import mask_text
from kiosk.services.outbox.crypto import PayloadCipher
from kiosk.services.outbox.errors import UnknownItem
from kiosk.services.outbox.models import ClaimedItem
from kiosk.services.outbox.results import public_result
from kiosk.settings import OutboxSettings

logger = logging.getLogger("kiosk.services.outbox.store")

UNREADABLE = "payload unreadable (encryption key changed or bytes altered); discard it"


class DeliveryStates:
    """Sending-side methods of the outbox (needs the attributes declared below)."""

    settings: OutboxSettings
    clock: Callable[[], float]
    _cipher: PayloadCipher
    _changed: threading.Condition
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]
    _conn: Callable[[], sqlite3.Connection]

    def recover_in_flight(self) -> int:
        """Move items left ``in_flight`` by a crash back to ``pending``; returns how many."""
        with self.transaction() as c:
            n = c.execute("UPDATE outbox_items SET state = 'pending' "
                          "WHERE state = 'in_flight'").rowcount
        if n:
            logger.info("outbox: %d in-flight item(s) from before a restart are pending again", n)
        return n

    def dead_letter_aged(self) -> int:
        """Dead-letter pending items older than ``max_age_hours`` (counted from enqueue or the
        last technician retry) even if no send was tried; returns how many."""
        cutoff = self.clock() - self.settings.max_age_hours * 3600.0
        with self.transaction() as c:
            n = c.execute("UPDATE outbox_items SET state = 'dead', last_error = ? "
                          "WHERE state = 'pending' AND age_from <= ?",
                          (f"not delivered within max_age_hours={self.settings.max_age_hours}",
                           cutoff)).rowcount
        if n:
            logger.warning("outbox: %d item(s) dead-lettered by age", n)
        return n

    def next_due_at(self) -> float | None:
        """Epoch time of the earliest pending item's next attempt, or None if none is pending."""
        row = self._conn().execute("SELECT MIN(next_attempt_at) FROM outbox_items "
                                   "WHERE state = 'pending'").fetchone()
        return row[0]

    def claim_next(self) -> ClaimedItem | None:
        """Move the next due pending item to ``in_flight`` and return it decrypted.

        Items past ``max_age_hours`` and items whose ciphertext does not verify are
        dead-lettered on the way. An item scheduled more than ``2 × backoff_max_s + 1 h`` ahead
        is due at once (the wall clock was set back). Returns None when nothing is due.
        """
        now = self.clock()
        max_age = self.settings.max_age_hours * 3600.0
        # No retry is ever scheduled this far ahead: such an item was scheduled before the wall
        # clock was set back (a kiosk without RTC battery fixed by NTP) and is due now.
        horizon = now + 2 * self.settings.backoff_max_s + 3600.0
        while True:
            with self.transaction() as c:
                row = c.execute(
                    "SELECT item_id, kind, idempotency_key, payload, attempts, strikes, "
                    "created_at, age_from FROM outbox_items WHERE state = 'pending' "
                    "AND (next_attempt_at <= ? OR next_attempt_at > ?) "
                    "ORDER BY next_attempt_at, item_id LIMIT 1", (now, horizon)).fetchone()
                if row is None:
                    return None
                item_id, kind, key, sealed, attempts, strikes, created_at, age_from = row
                if now - age_from >= max_age:
                    self._dead(c, item_id, f"older than max_age_hours={self.settings.max_age_hours}")
                    continue
                try:
                    payload = json.loads(self._cipher.open(sealed, key))
                except ValueError:
                    self._dead(c, item_id, UNREADABLE)
                    continue
                c.execute("UPDATE outbox_items SET state = 'in_flight', attempts = attempts + 1,"
                          " last_attempt_at = ? WHERE item_id = ?", (now, item_id))
            return ClaimedItem(item_id, kind, key, payload, attempts + 1, strikes, created_at)

    def mark_delivered(self, item_id: int, result: Any) -> None:
        """The platform acknowledged: delete the payload, keep ``result`` minus personal data."""
        now = self.clock()
        body = json.dumps(public_result(result), ensure_ascii=False, default=str)
        with self.transaction() as c:
            c.execute("UPDATE outbox_items SET state = 'delivered', payload = NULL, result = ?, "
                      "delivered_at = ?, last_error = NULL WHERE item_id = ? "
                      "AND state IN ('in_flight', 'pending', 'dead')", (body, now, item_id))
            self._set_meta(c, last_success_at=repr(now), platform_reachable="1", last_error="")
        with self._changed:
            self._changed.notify_all()

    def mark_failed(self, item_id: int, error: str, *, retry_at: float | None,
                    strike: bool, reachable: bool | None) -> str:
        """Record a failed send and return the item's new state.

        Args:
            error: technical reason (masked again here; never put payload values in it).
            retry_at: epoch time of the next attempt, or None for a permanent rejection (dead).
            strike: count this failure towards ``max_attempts`` (False for network outages).
            reachable: what the failure says about the platform (None = nothing).
        """
        now = self.clock()
        error = mask_text(error)[:500]
        with self.transaction() as c:
            row = c.execute("SELECT strikes, age_from FROM outbox_items WHERE item_id = ?",
                            (item_id,)).fetchone()
            if row is None:
                raise UnknownItem(item_id)
            strikes = row[0] + (1 if strike else 0)
            if retry_at is None:
                state = self._dead(c, item_id, error)
            elif strikes >= self.settings.max_attempts:
                state = self._dead(c, item_id, f"{error} (after {strikes} failed attempts)")
            elif now - row[1] >= self.settings.max_age_hours * 3600.0:
                state = self._dead(c, item_id, f"{error} (older than max_age_hours)")
            else:
                state = "pending"
                c.execute("UPDATE outbox_items SET state = 'pending', next_attempt_at = ?, "
                          "last_error = ? WHERE item_id = ?", (retry_at, error, item_id))
            c.execute("UPDATE outbox_items SET strikes = ? WHERE item_id = ?", (strikes, item_id))
            meta: dict[str, str] = {"last_error": error}
            if reachable is not None:
                meta["platform_reachable"] = "1" if reachable else "0"
            self._set_meta(c, **meta)
        return state

    def mark_dropped(self, item_id: int, reason: str) -> None:
        """The platform refused an item that must not wait for a technician (a 好差评 rating
        for an unknown transaction): ``discarded``, payload deleted, one WARNING log line."""
        reason = mask_text(reason)[:500]
        with self.transaction() as c:
            row = c.execute("SELECT kind FROM outbox_items WHERE item_id = ?",
                            (item_id,)).fetchone()
            if row is None:
                raise UnknownItem(item_id)
            c.execute("UPDATE outbox_items SET state = 'discarded', payload = NULL, "
                      "last_error = ? WHERE item_id = ?", (f"dropped: {reason}", item_id))
            self._set_meta(c, platform_reachable="1", last_error=f"item {item_id}: {reason}")
        logger.warning("outbox item %d (%s) refused by the platform and dropped: %s", item_id,
                       row[0], reason)
        with self._changed:
            self._changed.notify_all()

    def note_reachability(self, reachable: bool, error: str | None = None) -> None:
        """Record the outcome of a probe (``ping``) when there was nothing to send."""
        meta = {"platform_reachable": "1" if reachable else "0"}
        if error is not None:
            meta["last_error"] = mask_text(error)[:500]
        with self.transaction() as c:
            self._set_meta(c, **meta)

    def _dead(self, c: sqlite3.Connection, item_id: int, reason: str) -> str:
        c.execute("UPDATE outbox_items SET state = 'dead', last_error = ? WHERE item_id = ?",
                  (reason, item_id))
        logger.warning("outbox item %d dead-lettered: %s", item_id, reason)
        return "dead"

    @staticmethod
    def _set_meta(c: sqlite3.Connection, **values: str) -> None:
        c.executemany("INSERT INTO outbox_meta (key, value) VALUES (?, ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                      list(values.items()))


__all__ = ["DeliveryStates", "UNREADABLE"]
