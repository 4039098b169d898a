"""申请推荐 (referral): from a vacancy's detail → consent → card → confirm the phone → the
referral made (once per vacancy and session) and its slip printed.

Step ``referral`` (needs the identity) is shown with ``vacancy``, ``card``, ``phone`` ("" when
no number was typed in this session yet) and ``ticket`` (this session's referral for the
vacancy, or None). Start input: ``vacancy``. Events: ``phone_entered(phone)``,
``created(ticket)``, ``printer_outcome(state)`` (the print state, kept for the technician view).
What it records: the referral (outbox + the kiosk's own record, ``ReferralService``). The
request is assembled by :func:`referral_request` from this session's state only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain.identity_card import IdentityCard
from kiosk.domain.vacancy import Vacancy
from kiosk.services.journeys.declared.registration import RegistrationDraft
from kiosk.services.journeys.spec import (IdentityNeed, JourneySpec, RecordKind, Stay, Step,
                                          Transaction, Transition, Values, outcome_number)
from kiosk.services.journeys.state import Journey
from kiosk.services.referrals import ReferralTicket


@dataclass
class ReferralState:
    """The 申请推荐 part of the session."""

    vacancy: Vacancy | None = None
    tickets: dict[str, ReferralTicket] = field(default_factory=dict)   # by vacancy id
    referral_ids: list[str] = field(default_factory=list)
    print_states: dict[str, str] = field(default_factory=dict)        # by referral id

    def clear(self) -> None:
        self.vacancy = None
        self.tickets.clear()
        self.referral_ids.clear()
        self.print_states.clear()


@dataclass(frozen=True)
class ReferralRequest:
    """What ``ReferralService.create(card, phone, vacancy, registration_no)`` is called with."""

    card: IdentityCard
    phone: str
    vacancy: Vacancy
    registration_no: str | None


def state_of(journey: Journey) -> ReferralState:
    return journey.part(ReferralState)


def session_phone(journey: Journey) -> str:
    """The number typed in this session: on a service screen, else the registration form's."""
    if journey.phone:
        return journey.phone
    if journey.has_part(RegistrationDraft):
        return str(journey.part(RegistrationDraft).form.get("phone", "") or "")
    return ""


def ticket_for(journey: Journey) -> ReferralTicket | None:
    state = state_of(journey)
    return state.tickets.get(state.vacancy.id) if state.vacancy is not None else None


def referral_request(journey: Journey) -> ReferralRequest:
    """The referral to make for this session's vacancy.

    Raises:
        ValueError: no card, vacancy or phone number in this session.
    """
    vacancy, phone = state_of(journey).vacancy, session_phone(journey)
    if journey.identity is None or vacancy is None or not phone:
        raise ValueError("a referral needs the card, the vacancy and a phone number")
    outcome = journey.part(RegistrationDraft).outcome if journey.has_part(RegistrationDraft) \
        else None
    return ReferralRequest(journey.identity, phone, vacancy,
                           outcome.registration_no if outcome is not None else None)


def _start(journey: Journey, inputs: Values) -> None:
    vacancy = inputs.get("vacancy")
    if not isinstance(vacancy, Vacancy):
        raise TypeError("the referral journey starts with vacancy=Vacancy")
    state_of(journey).vacancy = vacancy


def _view(journey: Journey) -> dict[str, object]:
    return {"vacancy": state_of(journey).vacancy, "card": journey.identity,
            "phone": session_phone(journey), "ticket": ticket_for(journey)}


def _phone_entered(journey: Journey, values: Values) -> Transition:
    journey.phone = str(values.get("phone", ""))
    return Stay({"phone": journey.phone})


def _created(journey: Journey, values: Values) -> Transition:
    ticket = values.get("ticket")
    if not isinstance(ticket, ReferralTicket):
        raise TypeError("created needs ticket=ReferralTicket")
    state = state_of(journey)
    state.tickets[ticket.vacancy_id] = ticket
    state.referral_ids.append(ticket.referral_id)
    return Stay({"ticket": ticket})


def _printer_outcome(journey: Journey, values: Values) -> Transition:
    ticket = ticket_for(journey)
    if ticket is not None:
        state_of(journey).print_states[ticket.referral_id] = str(values.get("state", ""))
    return Stay({})


JOURNEY = JourneySpec(
    name="referral",
    title_zh="申请推荐",
    identity=IdentityNeed(purposes=("referral",)),
    steps=(Step("referral", needs_identity=True, view=_view),),
    records=(RecordKind.REFERRAL,),
    ends="referral-done",
    on_start=_start,
    events={"phone_entered": _phone_entered, "created": _created,
            "printer_outcome": _printer_outcome},
    # the referral id is the kiosk's until the platform has it: the rating waits for its item
    transaction=Transaction("referral", ("created",), outcome_number(value="ticket")),
)
