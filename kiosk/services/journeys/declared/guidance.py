"""预约职业指导: the station's adviser slots → pick one → consent → card (or 居民身份电子凭证) → the
booking made at the platform, its slip printed (time, the adviser's desk, how to cancel); or
取消预约 → consent → the card again → the person's bookings → cancel one (a cancellation slip).

Steps and their values:

* ``guidance_slots``: none — the screen lists ``services.guidance.open_slots()``;
* ``guidance_book`` (needs the identity): ``slot_id``, ``card``, ``phone``, ``consent``,
  ``outcome`` (this session's :class:`~kiosk.services.guidance.BookingOutcome` for that slot,
  or None: then the screen books and sends ``booked``);
* ``guidance_mine`` (needs the identity): ``card``, ``cancelled`` (booking numbers cancelled in
  this session) — the screen asks ``services.guidance.bookings_of(card)``.

Events: ``pick(slot_id)``, ``booked(outcome)``, ``mine()`` (the cancel branch),
``cancelled(outcome)``. Consent purpose ``guidance_booking``. What it records: the booking, at
the platform (which counts places; nothing is kept on the terminal after the session). It is
one transaction (``guidance_booking``, from the booking step, completed by ``booked``), rated
(好差评) by its booking number when the person ends the session (:func:`transaction_no` gives
the same number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.services.journeys.declared.referral import session_phone
from kiosk.services.journeys.spec import (GoTo, IdentityNeed, JourneySpec, Stay, Step,
                                          Transaction, Transition, Values, outcome_number)
from kiosk.services.journeys.state import Journey

if TYPE_CHECKING:   # kiosk.services.guidance pulls in the printer driver: not before the first frame
    from kiosk.services.guidance import BookingOutcome

PURPOSES = ("guidance_booking",)


@dataclass
class GuidanceVisit:
    """The 预约职业指导 part of the session: the slot picked, this session's bookings by slot id
    and the booking numbers cancelled (the outcomes hold the person's name: session memory)."""

    slot_id: str = ""
    outcomes: dict[str, BookingOutcome] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.slot_id = ""
        self.outcomes.clear()
        self.cancelled.clear()


def visit_of(journey: Journey) -> GuidanceVisit:
    return journey.part(GuidanceVisit)


def transaction_no(journey: Journey) -> str:
    """The booking number of this session's last booking ("" before one): the 办件编号 a 好差评
    rating names."""
    if not journey.has_part(GuidanceVisit):
        return ""
    done = [o.booking_no for o in visit_of(journey).outcomes.values() if o.ok]
    return done[-1] if done else ""


def _pick(journey: Journey, values: Values) -> Transition:
    slot_id = values.get("slot_id")
    if not isinstance(slot_id, str) or not slot_id:
        raise TypeError("pick needs slot_id=str")
    visit_of(journey).slot_id = slot_id
    return GoTo("guidance_book")


def _booked(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    from kiosk.services.guidance import BookingOutcome

    if not isinstance(outcome, BookingOutcome):
        raise TypeError("booked needs outcome=BookingOutcome")
    visit = visit_of(journey)
    if outcome.ok:
        visit.outcomes[visit.slot_id] = outcome
    return Stay({"outcome": outcome})


def _mine(_journey: Journey, _values: Values) -> Transition:
    return GoTo("guidance_mine")


def _cancelled(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    from kiosk.services.guidance import BookingOutcome

    if not isinstance(outcome, BookingOutcome):
        raise TypeError("cancelled needs outcome=BookingOutcome")
    visit = visit_of(journey)
    if outcome.ok and outcome.booking_no not in visit.cancelled:
        visit.cancelled.append(outcome.booking_no)
        for slot_id, booked in list(visit.outcomes.items()):
            if booked.booking_no == outcome.booking_no:
                del visit.outcomes[slot_id]
    return Stay({"outcome": outcome, "cancelled": list(visit.cancelled)})


def _book_view(journey: Journey) -> dict[str, object]:
    visit = visit_of(journey)
    return {"slot_id": visit.slot_id, "card": journey.identity, "phone": session_phone(journey),
            "consent": journey.consent, "outcome": visit.outcomes.get(visit.slot_id)}


def _mine_view(journey: Journey) -> dict[str, object]:
    return {"card": journey.identity, "cancelled": list(visit_of(journey).cancelled)}


JOURNEY = JourneySpec(
    name="guidance",
    title_zh="预约职业指导",
    identity=IdentityNeed(purposes=PURPOSES),
    steps=(Step("guidance_slots"),
           Step("guidance_book", needs_identity=True, view=_book_view),
           Step("guidance_mine", needs_identity=True, view=_mine_view)),
    ends="guidance-done",
    events={"pick": _pick, "booked": _booked, "mine": _mine, "cancelled": _cancelled},
    # a booking is the 办件 (looking at the slots is not): counted from the booking step, rated
    # by the platform's booking number; a refusal (full, closed, offline) completes nothing
    transaction=Transaction("guidance_booking", ("booked",), outcome_number("booking_no"),
                            starts_at="guidance_book"),
)
