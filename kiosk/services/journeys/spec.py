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

if TYPE_CHECKING:
    from kiosk.services.journeys.state import Journey

#: the values a screen is shown with (screen-specific keys, documented on each screen)
Values = Mapping[str, object]

#: pseudo-steps the engine inserts before the first step that needs an identity
CONSENT_STEP = "consent"
CARD_STEP = "card_read"
HOME = "home"

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
        completes_on: the events that mean the journey's transaction is done (submitted or
            queued): a journey with ``records`` is one per-transaction record (issue 21,
            :mod:`kiosk.services.transactions.journeys`), completed by one of these events,
            abandoned if the session ends first.
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
