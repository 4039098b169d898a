"""Value types of a completed transaction as the 好差评 rating is bound to it (issue 21).

Kept apart from :mod:`kiosk.services.journeys.spec` so the session state
(:mod:`kiosk.services.journeys.state`) can hold them without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TransactionRef:
    """A completed transaction (办件) as its 好差评 rating is bound to it (issue 21).

    Attributes:
        kind: the record kind, a lower-case code (``registration``, ``referral``,
            ``assistance:subsidy_application``, ``application:unemployment_registration`` …).
        number: the platform's number of the 办件 when the platform has it already
            (``REG-…``, ``TKT-…``, an application or sign-up number); "" when not yet.
        outbox_item_id: the transaction's own outbox item when the platform does not have it
            yet: the rating waits for that item's reply, which carries the number.
        receipt_no: the outbox receipt number, resolved to the item when no id is known.

    Session memory only (the number identifies the person's 办件): forgotten when it ends.
    """

    kind: str
    number: str = ""
    outbox_item_id: int | None = None
    receipt_no: str = field(default="", repr=False)


@dataclass(frozen=True)
class RatingDue:
    """A completed transaction of this session waiting for its rating (the engine makes it).

    ``key`` is unique per engine (the records use it to find the transaction); ``title_zh``
    names the service on the rating screen."""

    key: int
    journey: str
    title_zh: str
    ref: TransactionRef
