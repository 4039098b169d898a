"""求职登记: consent → card → the form (after a platform lookup) → review → done.

Steps: ``register_form`` (needs the identity; shown with ``card``, ``form`` — the draft dict the
form screen fills, keys in :mod:`kiosk.services.registration_form` — and ``lookup_done``; a
``step`` value opens that form step) → ``register_review`` (``card``, ``form``) →
``register_done`` (``outcome``, ``continue_to``: the journey to offer first, e.g. ``match`` when
the person came from 为我推荐). Branch: ``register_existing`` (the lookup found a registration:
``registration_no``; 更新 goes back to the form).

Events: ``looked_up(registered, registration_no, answers)`` (``answers``: the platform's
``RegistrationAnswers`` or None; kept to pre-fill the form), ``update()`` (the form pre-filled), ``submitted(outcome)``.
What it records: the registration (outbox + the kiosk's own record, in
:class:`kiosk.services.registration.RegistrationService`). The payload is assembled by
:func:`submission` from this session's state only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain.identity_card import IdentityCard
from kiosk.services.consent import consent_record
from kiosk.services.journeys.spec import (GoTo, IdentityNeed, JourneySpec, RecordKind, Stay,
                                          Step, Transaction, Transition, Values,
                                          outcome_number)
from kiosk.services.journeys.state import Journey
from kiosk.services.registration import RegistrationOutcome
from kiosk.services.registration_form import (FormError, consent_purposes, form_from_answers,
                                              validate_form)

#: the form keys sent to the platform (``registration_payload``); the rest stay on the screen
SEND_KEYS = ("phone", "education_code", "desired_occupations", "desired_divisions",
             "salary_min", "salary_max", "employment_type", "key_groups", "availability")
PURPOSES = ("registration",)


@dataclass
class RegistrationDraft:
    """The 求职登记 part of the session."""

    form: dict[str, object] = field(default_factory=dict)
    lookup_done: bool = False
    existing_no: str = ""
    prefill: dict[str, object] = field(default_factory=dict)   # the earlier answers (更新登记)
    updating: bool = False
    outcome: RegistrationOutcome | None = None

    def clear(self) -> None:
        self.form.clear()
        self.lookup_done = self.updating = False
        self.existing_no = ""
        self.prefill = {}
        self.outcome = None


@dataclass(frozen=True)
class RegistrationSubmission:
    """What ``RegistrationService.submit(card, form, consent)`` is called with."""

    card: IdentityCard
    form: dict[str, object]
    consent: dict[str, object]


def draft_of(journey: Journey) -> RegistrationDraft:
    return journey.part(RegistrationDraft)


def submission(journey: Journey) -> RegistrationSubmission:
    """The registration payload parts from this session.

    The consent purposes are the notice's plus ``sensitive_key_group`` when a 重点群体 was
    chosen (PIPL Art. 29: separate consent for sensitive personal information, given on that
    form page).

    Raises:
        FormError: no card read, or a form value is missing (``message_zh`` for the screen).
    """
    if journey.identity is None:
        raise FormError("identity", "请先读取身份证")
    form = draft_of(journey).form
    validate_form(form)
    consent = dict(journey.consent or consent_record(list(PURPOSES)))
    given = consent.get("purposes")
    consent["purposes"] = consent_purposes(
        [str(p) for p in given] if isinstance(given, list) else list(PURPOSES), form)
    sent = {key: form[key] for key in SEND_KEYS if key in form}
    return RegistrationSubmission(journey.identity, sent, consent)


def _form_view(journey: Journey) -> dict[str, object]:
    draft = draft_of(journey)
    return {"card": journey.identity, "form": draft.form, "lookup_done": draft.lookup_done}


def _existing_view(journey: Journey) -> dict[str, object]:
    return {"registration_no": draft_of(journey).existing_no}


def _review_view(journey: Journey) -> dict[str, object]:
    return {"card": journey.identity, "form": draft_of(journey).form}


def _done_view(journey: Journey) -> dict[str, object]:
    return {"outcome": draft_of(journey).outcome, "continue_to": journey.continue_to}


def _looked_up(journey: Journey, values: Values) -> Transition:
    draft = draft_of(journey)
    draft.lookup_done = True
    if values.get("registered"):
        draft.existing_no = str(values.get("registration_no") or "")
        draft.prefill = form_from_answers(values.get("answers"))
        return GoTo("register_existing", remember=False)
    return Stay({"step": "phone"})


def _update(journey: Journey, _values: Values) -> Transition:
    """更新登记信息: the form again, pre-filled with the earlier answers (the phone is typed
    again; 重点群体 are asked again with their own consent)."""
    draft = draft_of(journey)
    draft.updating = True
    draft.form.clear()
    draft.form.update(draft.prefill)
    return GoTo("register_form", {"step": "phone"}, remember=False)


def _submitted(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    if not isinstance(outcome, RegistrationOutcome):
        raise TypeError("submitted needs outcome=RegistrationOutcome")
    draft_of(journey).outcome = outcome
    return GoTo("register_done", clear_history=True)


JOURNEY = JourneySpec(
    name="register",
    title_zh="求职登记",
    identity=IdentityNeed(purposes=PURPOSES),
    steps=(Step("register_form", needs_identity=True, view=_form_view),
           Step("register_review", view=_review_view),
           Step("register_done", remember=False, view=_done_view),
           Step("register_existing", remember=False, view=_existing_view)),
    records=(RecordKind.REGISTRATION,),
    events={"looked_up": _looked_up, "update": _update, "submitted": _submitted},
    # 好差评 and the record: the registration number, or its outbox item while offline
    transaction=Transaction("registration", ("submitted",), outcome_number("registration_no")),
)
