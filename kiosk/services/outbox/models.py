"""Value objects the outbox hands to services and screens; none holds personal data.

Times are Unix epoch seconds (float, UTC) unless a name says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

#: ``rating``: a 好差评 rating of a finished transaction (issue 21; no personal data).
#: ``application``: 失业登记 / 灵活就业登记 / 就业困难人员认定 (issue 18); ``posting``: employer postings (issue 19).
Kind = Literal["registration", "referral", "assistance", "rating", "application",
              "posting"]
KINDS: tuple[str, ...] = ("registration", "referral", "assistance", "rating", "application",
                         "posting")

#: Item states. ``pending`` → ``in_flight`` → ``delivered``; a failed send goes back to
#: ``pending``; too many strikes or too old → ``dead`` (technician view: ``retry`` / ``discard``);
#: undelivered beyond the retention limit → ``expired`` (personal data deleted);
#: ``discarded`` by a technician (personal data deleted), or a refused rating dropped.
STATES: tuple[str, ...] = ("pending", "in_flight", "delivered", "dead", "expired", "discarded")
OPEN_STATES: tuple[str, ...] = ("pending", "in_flight", "dead")


@dataclass(frozen=True)
class OutboxReceipt:
    """What ``enqueue`` returns.

    Attributes:
        item_id: the row id (for ``wait_delivered``, ``results``, ``item``).
        receipt_no: the number shown to the jobseeker, ``"R20261130-0007"`` (China Standard Time
            date + daily sequence); with a terminal id it is prefixed, ``"GD-DEMO-0001-R…"``.
        idempotency_key: the UUID4 sent as the ``Idempotency-Key`` header.
    """

    item_id: int
    receipt_no: str
    idempotency_key: str


@dataclass(frozen=True)
class OutboxStatus:
    """The outbox at a glance, for the idle-screen banner and the technician view.

    Attributes:
        pending: items waiting to be sent (including those waiting for a backoff).
        in_flight: items being sent right now.
        dead: dead-lettered items waiting for a technician.
        delivered: items acknowledged by the platform (receipts kept, personal data deleted).
        last_success_at: epoch seconds of the last acknowledged send, or None (never).
        last_error: the last send error, technical and free of personal data, or None.
        platform_reachable: True after a send or probe got an answer, False after a network
            failure, None when nothing has been tried since start.
    """

    pending: int
    in_flight: int
    dead: int
    delivered: int
    last_success_at: float | None
    last_error: str | None
    platform_reachable: bool | None

    @property
    def waiting(self) -> int:
        """Items not yet acknowledged and still going to be sent (pending + in flight)."""
        return self.pending + self.in_flight


@dataclass(frozen=True)
class OutboxItem:
    """One item as the technician view lists it (never the payload).

    Attributes:
        item_id, kind, receipt_no, idempotency_key: as at enqueue.
        state: one of :data:`STATES`.
        created_at: enqueue time.
        attempts: sends tried, all causes.
        strikes: failed sends counted towards ``max_attempts`` (network outages do not count).
        next_attempt_at: earliest next send (pending items).
        last_error: technical reason of the last failure (masked), or None.
        delivered_at: acknowledgement time, or None.
        has_payload: whether personal data is still stored (encrypted) for this item.
    """

    item_id: int
    kind: str
    receipt_no: str
    idempotency_key: str
    state: str
    created_at: float
    attempts: int
    strikes: int
    next_attempt_at: float
    last_error: str | None
    delivered_at: float | None
    has_payload: bool


@dataclass(frozen=True)
class ClaimedItem:
    """An item the worker has moved to ``in_flight``, with its decrypted payload."""

    item_id: int
    kind: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int
    strikes: int
    created_at: float


__all__ = ["Kind", "KINDS", "STATES", "OPEN_STATES", "OutboxReceipt", "OutboxStatus",
           "OutboxItem", "ClaimedItem"]
