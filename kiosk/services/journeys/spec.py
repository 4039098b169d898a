"""Journeys as data: what a journey is made of, and what its event handlers may answer.

A journey (求职登记, 申请推荐, 就业帮办 …) is one :class:`JourneySpec` in its own module under
``kiosk/services/journeys/declared/``: its steps in order (each shown on a named screen), whether
it needs the jobseeker's identity card (from which step, which card kinds, the consent purposes
asked for), what it records, where it ends, and small pure handlers for its own events. The
engine (:mod:`kiosk.services.journeys.engine`) walks every journey the same way; screens only
show what the engine tells them to.

Nothing here imports Kivy; everything is testable headless.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain.identity_card import CardType
from kiosk.services.journeys.transaction_ref import RatingDue as RatingDue  # re-exported
from kiosk.services.journeys.transaction_ref import TransactionRef as TransactionRef

if TYPE_CHECKING:
    from kiosk.services.journeys.state import Journey

#: the values a screen is shown with (screen-specific keys, documented on each screen)
Values = Mapping[str, object]

#: pseudo-steps the engine inserts before the first step that needs an identity
CONSENT_STEP = "consent"
CARD_STEP = "card_read"
HOME = "home"
#: the pseudo-step the engine inserts after a completed transaction (好差评, issue 21)
RATING_STEP = "rating"

ALL_CARD_KINDS: frozenset[CardType] = frozenset(CardType)


class RecordKind(StrEnum):
    """The kiosk's own records a journey writes (see :mod:`kiosk.services.journey_store`)."""

    REGISTRATION = "registration"
    REFERRAL = "referral"
    ASSISTANCE = "assistance"
    APPLICATION = "application"   # issue 18: 失业登记, 灵活就业登记, 就业困难人员认定
    POSTING = "posting"           # issue 19: an employer's job or gig posting


@dataclass(frozen=True)
class IdentityNeed:
    """The journey needs the person's identity card.

    Attributes:
        purposes: consent purposes recorded when the person agrees (``docs/openapi.yaml``
            ``Consent.purposes``; PIPL Art. 14/17: consent is specific to its purposes).
        kinds: the card kinds this journey accepts (GA 467 card types); a card of another kind
            is refused on the card screen with ``card_kind`` and nothing is kept.
    """

    purposes: tuple[str, ...]
    kinds: frozenset[CardType] = ALL_CARD_KINDS


@dataclass(frozen=True)
class Step:
    """One step of a journey.

    Attributes:
        name: unique within the journey (``history`` and ``GoTo`` use it).
        screen: the screen that shows it (default: ``name``); one screen may serve two steps.
        needs_identity: entering this step first runs consent → card reading when no card was
            read in this session (the journey's :class:`IdentityNeed` applies).
        remember: leaving this step pushes it on the back-button history.
        view: the values the screen is shown with, computed from the session's
            :class:`~kiosk.services.journeys.state.Journey` each time the step is entered.
    """

    name: str
    screen: str = ""
    needs_identity: bool = False
    remember: bool = True
    view: Callable[[Journey], dict[str, object]] | None = None

    @property
    def screen_name(self) -> str:
        return self.screen or self.name


#: ``number(journey, values) -> TransactionRef | None``: called with the completing event's
#: values after its handler ran; None means "not a completed transaction" (a refusal).
TransactionNumber = Callable[["Journey", Values], "TransactionRef | None"]


@dataclass(frozen=True)
class Transaction:
    """The journey is one 办件: recorded per transaction and rated (好差评, issue 21).

    Declaring it is all a journey does to get both (``docs/service-quality.md``): the
    per-transaction record (started, steps, completed / abandoned at step N) and the rating
    step the engine inserts after completion (:data:`RATING_STEP`, skippable with one tap,
    skipped by the idle timeout), bound to ``number``'s answer and sent through the outbox.

    Attributes:
        kind: the record kind when it starts (lower-case code); ``number`` may refine it.
        completes_on: the journey events that complete it (submitted, queued or created).
        number: what the rating is bound to (see :data:`TransactionNumber`);
            :func:`outcome_number` covers the usual outcome objects.
        starts_at: the step from which it counts as a transaction ("" = when the journey
            begins; 招聘会 counts from the sign-up, not from browsing the fair list).
        rated: False: recorded, never rated.
    """

    kind: str
    completes_on: tuple[str, ...]
    number: TransactionNumber
    starts_at: str = ""
    rated: bool = True


def outcome_number(*number_attrs: str, value: str = "outcome",
                   kind: Callable[[Journey], str] | None = None) -> TransactionNumber:
    """The usual :data:`TransactionNumber`: the completing event carries ``value`` (an outcome
    object such as ``RegistrationOutcome``, ``AssistanceOutcome``, a ``ReferralTicket``).

    * a refusal is no completed transaction: ``ok`` false or ``refused`` true → None;
    * the number is the first non-empty of ``number_attrs`` (``registration_no``,
      ``ticket_no`` …) unless ``delivered`` is false;
    * ``item_id`` / ``receipt_no`` name the outbox item a not-yet-delivered one waits for;
    * ``kind(journey)`` gives the record kind (else the declaration's ``Transaction.kind``
      is used: the engine fills it in).
    """
    def number(journey: Journey, values: Values) -> TransactionRef | None:
        done = values.get(value)
        if done is None or getattr(done, "refused", False) or not getattr(done, "ok", True):
            return None
        found = ""
        if getattr(done, "delivered", True):
            found = next((str(n) for n in (getattr(done, a, "") for a in number_attrs) if n), "")
        item_id = getattr(done, "item_id", None)
        return TransactionRef(kind(journey) if kind is not None else "", found,
                              int(item_id) if isinstance(item_id, int) else None,
                              str(getattr(done, "receipt_no", "") or ""))
    return number


# ---- what a handler answers ---------------------------------------------------------------
@dataclass(frozen=True)
class Next:
    """Go to the step after the current one (the journey ends after its last step)."""

    values: Values = field(default_factory=dict)


@dataclass(frozen=True)
class GoTo:
    """Go to the named step of the current journey (``remember=False``: the current step is
    not pushed on the history; ``clear_history``: back from there goes home)."""

    step: str
    values: Values = field(default_factory=dict)
    remember: bool = True
    clear_history: bool = False


@dataclass(frozen=True)
class Stay:
    """Stay on the current step; its screen is updated with ``values``."""

    values: Values = field(default_factory=dict)


@dataclass(frozen=True)
class Begin:
    """Start another journey, keeping this session's identity (``continue_to``: the journey
    the new one offers to go on with when it ends — "after registering, continue to what you
    came for")."""

    journey: str
    inputs: Values = field(default_factory=dict)
    continue_to: str = ""


@dataclass(frozen=True)
class Finish:
    """End the session (everything personal wiped, home shown)."""

    reason: str


Transition = Next | GoTo | Stay | Begin | Finish

#: a journey event handler: ``handler(journey, values) -> Transition``
Handler = Callable[["Journey", Values], Transition]


@dataclass(frozen=True)
class JourneySpec:
    """A journey declared as data (see the module docstring).

    Attributes:
        name: the key home buttons and ``Begin`` use ("register", "referral" …).
        title_zh: for logs and the technician view.
        steps: in order; the first is entered on start.
        identity: None when no card is needed.
        records: the kiosk records this journey writes.
        ends: the session-end reason when the person taps 完成 on the last step.
        on_start: ``on_start(journey, inputs)`` keeps the start inputs (a vacancy …) in the
            journey's typed part.
        events: journey-specific events (``engine.send(name, **values)``) and their handlers.
        transaction: the journey is one 办件 (:class:`Transaction`): a per-transaction
            record and the 好差评 step after completion (issue 21).
        completes_on: older form of ``transaction`` (with ``records``): the same as
            ``Transaction(records[0], completes_on, outcome_number(...))`` reading the usual
            number attributes of the event's ``outcome`` / ``ticket``.
    """

    name: str
    title_zh: str
    steps: tuple[Step, ...]
    identity: IdentityNeed | None = None
    records: tuple[RecordKind, ...] = ()
    ends: str = "finished"
    on_start: Callable[[Journey, Values], None] | None = None
    events: Mapping[str, Handler] = field(default_factory=dict)
    completes_on: tuple[str, ...] = ()
    transaction: Transaction | None = None

    @property
    def txn(self) -> Transaction | None:
        """The journey's :class:`Transaction`, also for the older ``records`` +
        ``completes_on`` form (None: the journey is no transaction)."""
        if self.transaction is not None:
            return self.transaction
        if self.records and self.completes_on:
            return Transaction(self.records[0].value, self.completes_on, _legacy_number)
        return None

    def step(self, name: str) -> Step:
        """The step called ``name``.

        Raises:
            KeyError: no such step in this journey.
        """
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"journey {self.name!r} has no step {name!r}")

    def index(self, name: str) -> int:
        return [s.name for s in self.steps].index(name)

    @property
    def screens(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.screen_name for s in self.steps))


#: platform number attributes of the outcome objects (older ``completes_on`` form)
LEGACY_NUMBER_ATTRS = ("registration_no", "ticket_no", "application_no", "posting_no",
                       "signup_no", "signup_id")


def _legacy_number(journey: Journey, values: Values) -> TransactionRef | None:
    key = "outcome" if values.get("outcome") is not None else "ticket"
    return outcome_number(*LEGACY_NUMBER_ATTRS, value=key)(journey, values)
