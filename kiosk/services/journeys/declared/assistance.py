"""就业帮办 (assistance): choose the service → consent → card → phone → the ticket number.

Steps: ``choose`` (screen ``assistance``, no identity) → ``phone`` (screen ``assistance``,
needs the identity; shown with ``kind``, ``card``, ``phone``) → ``done`` (screen
``assistance_done``: ``kind``, ``outcome``). Events: ``chosen(kind)``, ``submitted(phone,
outcome)``. What it records: the assistance request (outbox + the kiosk's own record,
``AssistanceService``); :func:`assistance_request` assembles it from this session's state.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.identity_card import IdentityCard
from kiosk.services.assistance import ASSISTANCE_SERVICES, AssistanceOutcome
from kiosk.services.journeys.declared.referral import session_phone
from kiosk.services.journeys.spec import (GoTo, IdentityNeed, JourneySpec, Next, RecordKind,
                                          Step, Transaction, Transition, Values,
                                          outcome_number)
from kiosk.services.journeys.state import Journey

PURPOSES = ("assistance",)


@dataclass
class AssistanceChoice:
    """The 就业帮办 part of the session."""

    kind: str = ""
    outcome: AssistanceOutcome | None = None

    def clear(self) -> None:
        self.kind = ""
        self.outcome = None


@dataclass(frozen=True)
class AssistanceRequest:
    """What ``AssistanceService.submit(kind, card, phone, consent=…)`` is called with."""

    kind: str
    card: IdentityCard
    phone: str
    consent: dict[str, object] | None


def assistance_request(journey: Journey, phone: str) -> AssistanceRequest:
    """The request for this session's chosen service and ``phone``.

    The consent is the one given in this session when it covers ``assistance`` (else the
    service records a fresh ``assistance`` consent, as before the engine).

    Raises:
        ValueError: no card, no chosen service or no phone number.
    """
    kind = journey.part(AssistanceChoice).kind
    if journey.identity is None or kind not in ASSISTANCE_SERVICES or not phone:
        raise ValueError("an assistance request needs the card, the service and a phone number")
    consent = journey.consent
    purposes = consent.get("purposes") if consent is not None else None
    given = consent if isinstance(purposes, list) and "assistance" in purposes else None
    return AssistanceRequest(kind, journey.identity, phone, given)


def _phone_view(journey: Journey) -> dict[str, object]:
    return {"kind": journey.part(AssistanceChoice).kind, "card": journey.identity,
            "phone": session_phone(journey)}


def _done_view(journey: Journey) -> dict[str, object]:
    choice = journey.part(AssistanceChoice)
    return {"kind": choice.kind, "outcome": choice.outcome}


def _chosen(journey: Journey, values: Values) -> Transition:
    kind = str(values.get("kind", ""))
    if kind not in ASSISTANCE_SERVICES:
        raise KeyError(kind)
    journey.part(AssistanceChoice).kind = kind
    return Next()


def _submitted(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    if not isinstance(outcome, AssistanceOutcome):
        raise TypeError("submitted needs outcome=AssistanceOutcome")
    journey.phone = str(values.get("phone", "") or journey.phone)
    journey.part(AssistanceChoice).outcome = outcome
    return GoTo("done", remember=False)


JOURNEY = JourneySpec(
    name="assistance",
    title_zh="就业帮办",
    identity=IdentityNeed(purposes=PURPOSES),
    steps=(Step("choose", screen="assistance", view=lambda _j: {"step": "choose"}),
           Step("phone", screen="assistance", needs_identity=True, view=_phone_view),
           Step("done", screen="assistance_done", remember=False, view=_done_view)),
    records=(RecordKind.ASSISTANCE,),
    ends="assistance-done",
    events={"chosen": _chosen, "submitted": _submitted},
    transaction=Transaction("assistance", ("submitted",), outcome_number(
        "ticket_no", kind=lambda j: f"assistance:{j.part(AssistanceChoice).kind}")),
)
