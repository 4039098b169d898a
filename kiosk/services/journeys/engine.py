"""The journey engine: events in, "show screen X with these values" out.

One :class:`JourneyEngine` per kiosk. It walks the declared journeys
(:mod:`kiosk.services.journeys.declared`) over the session's
:class:`~kiosk.services.journeys.state.Journey` and tells a :class:`Display` what to show. It
owns the rules every journey shares:

* **identity gate**: entering a step with ``needs_identity`` and no card read in this session
  shows the notice (``consent``) first; "同意" records the consent with the journey's purposes
  (PIPL Art. 14/17) and only then allows the reader to read (or the 居民身份电子凭证 login,
  :meth:`JourneyEngine.eid_identity`, the second way in on the same card step); "不同意" reads nothing and ends the
  session; 返回 from the card screen withdraws the consent again;
* **one read**: a card is kept only with a consent in this session, only if its kind is
  accepted, only once; reading is forbidden again as soon as it is kept;
* **history**: the back button returns to the last remembered step (consent and card reading
  are dropped from it once the card is read); back with no history shows home (the session
  stays until 首页, 完成 or the idle timeout);
* **walk-away wipe**: :meth:`tick` ends the session after the idle timeout and countdown
  (``SessionService``); every end clears the journey and tells the display (which wipes
  every screen);
* **continue after registering**: a journey begun with ``continue_to`` offers that journey
  when it ends (``Journey.continue_to``);
* the default card route: a card laid on the reader on the home screen starts 求职登记;
* **好差评 after every transaction** (issue 21): a journey declaring a
  :class:`~kiosk.services.journeys.spec.Transaction` is completed by one of its
  ``completes_on`` events; the engine then keeps a :class:`~kiosk.services.journeys.spec.
  RatingDue` bound to the declared number, and when the person ends the session (完成, 首页, the
  journey's last step) it shows the rating step (:data:`~kiosk.services.journeys.spec.
  RATING_STEP`, screen ``rating``) once per completed transaction first. Never blocking:
  跳过 is one tap and ends the session, the idle timeout ends it as always (a level already
  tapped is still sent), a technician's end (``maintenance``) asks nothing. Ratings go to the
  :class:`RatingSink` (the per-transaction records, which send them through the outbox); the
  step keeps nothing once the session ends, so no rating is ever shown to the next person.

Events come from the UI thread (taps, card events hopped to it, timers); nothing here blocks or
sleeps. Times come from the injected ``SessionService`` clock and ``now`` (consent time).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, UTC
from typing import TYPE_CHECKING, Protocol

from kiosk.devices.idcard.base import UNAVAILABLE_STATES as _UNAVAILABLE
from kiosk.devices.idcard.base import ReaderState
from kiosk.domain.identity_card import CardType, IdentityCard
from kiosk.services.consent import consent_record
from kiosk.services.journeys.spec import (CARD_STEP, CONSENT_STEP, HOME, RATING_STEP, Begin,
                                          Finish, GoTo, JourneySpec, Next, RatingDue, Stay, Step,
                                          Transition, Values)
from kiosk.services.journeys.state import HistoryEntry, Journey
from kiosk.services.session import IdleState, SessionService

if TYPE_CHECKING:   # annotations only: the card service comes up after the first frame
    from kiosk.services.card_events import CardEvent

logger = logging.getLogger(__name__)

#: the 居民身份电子凭证 screen, shown in place of the card screen (:meth:`JourneyEngine.eid_login`)
EID_STEP = "eid_login"
#: reader states in which the card screen says "读卡器暂时无法使用"
UNAVAILABLE_STATES = _UNAVAILABLE
#: session ends that never ask for a rating (a technician took over; nobody is there)
NO_RATING_REASONS = frozenset({"maintenance", "idle"})
#: 好差评 levels (5 非常满意 … 1 非常不满意) and the 差评 levels whose reasons are asked
RATING_LEVELS = (5, 4, 3, 2, 1)
BAD_RATING_LEVELS = frozenset({1, 2})


class Display(Protocol):
    """What the engine drives (the Kivy app; a recorder in tests)."""

    def show(self, screen: str, values: Values) -> None:
        """Give ``screen`` its values, then make it the current screen."""

    def update(self, screen: str, values: Values) -> None:
        """``screen`` is current: give it new values (a card event, a step within it)."""

    def ended(self, reason: str) -> None:
        """The session ended: wipe every screen, reset language and 长辈模式, show home."""


class CardGate(Protocol):
    """The part of the card service the engine uses (``kiosk.services.card_events.CardService``)."""

    last_state: ReaderState
    card_present: bool     # a card lies on the reader (detected or read, not removed since)

    def allow_reading(self, allowed: bool) -> None: ...


class JourneyObserver(Protocol):
    """Told what journeys do, after the engine did it (issue 21: per-transaction records,
    :class:`kiosk.services.transactions.journeys.JourneyTransactions`). An observer that
    raises is logged and never changes what the person sees."""

    def began(self, journey: Journey, spec: JourneySpec) -> None: ...

    def entered(self, journey: Journey, spec: JourneySpec, step: Step) -> None: ...

    def handled(self, journey: Journey, spec: JourneySpec, event: str, values: Values) -> None: ...

    def completed(self, journey: Journey, spec: JourneySpec, due: RatingDue) -> None:
        """The journey's transaction was completed (optional: observers without it are not
        told); ``due`` is what its rating will be bound to."""


class RatingSink(Protocol):
    """Where the rating step's answers go (``JourneyTransactions`` in the app)."""

    def rate(self, due: RatingDue, level: int, reasons: tuple[str, ...]) -> str:
        """Record and send a rating; returns its state (``queued``, ``held`` …).

        Raises ValueError for a bad level or reason (never for a missing transaction: that
        is logged and dropped)."""


class JourneyError(Exception):
    """A journey, step or event that is not declared (a programming error, logged)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class JourneyEngine:
    """See the module docstring.

    Args:
        session: the session service (idle rules, the current ``Journey``).
        journeys: the declared journeys by name, or a function returning them
            (``declared.load_journeys``), called once on first use: ``kiosk run`` loads the
            declarations after the home screen is drawn (issue 23), from the start-up worker
            (:meth:`load`).
        card: returns the card gate, or None while the reader is not built or absent.
        now: the consent time source (UTC).
    """

    def __init__(self, session: SessionService,
                 journeys: Mapping[str, JourneySpec] | Callable[[], Mapping[str, JourneySpec]],
                 *, card: Callable[[], CardGate | None] = lambda: None,
                 now: Callable[[], datetime] = _utc_now) -> None:
        self.session = session
        self._journeys: dict[str, JourneySpec] | None = (
            None if callable(journeys) else dict(journeys))
        self._loader = journeys if callable(journeys) else None
        self._load_lock = threading.Lock()
        self._card = card
        self._now = now
        self._display: Display | None = None
        self._observers: list[JourneyObserver] = []
        self._ratings: RatingSink | None = None
        self._due_keys = itertools.count(1)
        session.add_end_listener(self._on_session_end)

    @property
    def journeys(self) -> dict[str, JourneySpec]:
        """The declared journeys by name (loaded on first use; see the constructor)."""
        if self._journeys is None:
            self.load()
        assert self._journeys is not None
        return self._journeys

    def load(self) -> None:
        """Load the declarations now if they were given as a function (any thread; once).

        Raises:
            ValueError: two declarations share a journey name (``load_journeys``).
        """
        with self._load_lock:
            if self._journeys is None and self._loader is not None:
                self._journeys = dict(self._loader())

    def attach(self, display: Display) -> None:
        self._display = display

    def add_observer(self, observer: JourneyObserver) -> None:
        """Tell ``observer`` of every journey begun, step entered and event handled."""
        self._observers.append(observer)

    def attach_ratings(self, sink: RatingSink) -> None:
        """Send the rating step's answers to ``sink`` (without one the step still shows and
        the answers are only logged as dropped)."""
        self._ratings = sink

    def _notify(self, call: Callable[[JourneyObserver], None]) -> None:
        for observer in list(self._observers):
            try:
                call(observer)
            except Exception:  # noqa: BLE001 - records must never break the person's journey
                logger.exception("journey observer %s failed", type(observer).__name__)

    # ---- queries ------------------------------------------------------------------------
    @property
    def journey(self) -> Journey | None:
        """The session's state (None: no session)."""
        return self.session.current

    @property
    def screen(self) -> str:
        """The screen the engine last showed ("home" without a journey)."""
        journey = self.session.current
        if journey is None or not journey.step:
            return HOME
        if journey.step in (CONSENT_STEP, CARD_STEP, EID_STEP, RATING_STEP):
            return journey.step
        return self._spec(journey.current).step(journey.step).screen_name

    def spec(self, name: str) -> JourneySpec:
        return self._spec(name)

    def has_journey(self, name: str) -> bool:
        return name in self.journeys

    # ---- generic events -----------------------------------------------------------------
    def start(self, name: str, **inputs: object) -> None:
        """Start journey ``name`` (a home button, or a step's "go on with …" button)."""
        self._begin(Begin(name, inputs))

    def next(self, **values: object) -> None:
        """The current step is done: the next one (``values`` go to its screen)."""
        self._apply(Next(values))

    def go(self, step: str, **values: object) -> None:
        """Jump to ``step`` of the current journey (a branch declared by the journey)."""
        self._apply(GoTo(step, values))

    def send(self, event: str, **values: object) -> None:
        """A journey-specific event, handled by the current journey's declaration."""
        journey = self.session.current
        if journey is None or not journey.current:
            logger.info("event %s without a journey: ignored", event)
            return
        spec = self._spec(journey.current)
        handler = spec.events.get(event)
        if handler is None:
            raise JourneyError(f"journey {journey.current!r} has no event {event!r}")
        transition = handler(journey, values)
        if self._observers:
            self._notify(lambda o: o.handled(journey, spec, event, values))
        txn = spec.txn
        if txn is not None and event in txn.completes_on:
            self._completed(journey, spec, values)
        self._apply(transition)

    def _completed(self, journey: Journey, spec: JourneySpec, values: Values) -> None:
        """A ``completes_on`` event: the declared number → a :class:`RatingDue` (kept for the
        rating step when the transaction is rated) → observers' ``completed``."""
        txn = spec.txn
        assert txn is not None
        try:
            ref = txn.number(journey, values)
        except Exception:  # noqa: BLE001 - a bad number function must not stop the journey
            logger.exception("journey %s: transaction number not found", spec.name)
            return
        if ref is None:
            return
        if not ref.kind:
            ref = replace(ref, kind=txn.kind)
        due = RatingDue(next(self._due_keys), spec.name, spec.title_zh, ref)
        if txn.rated:
            journey.ratings_due.append(due)
        for observer in list(self._observers):
            completed = getattr(observer, "completed", None)
            if not callable(completed):
                continue
            try:
                completed(journey, spec, due)
            except Exception:  # noqa: BLE001 - records must never break the person's journey
                logger.exception("journey observer %s failed", type(observer).__name__)


    def back(self, **values: object) -> None:
        """返回: the last remembered step (home when there is none; the session stays)."""
        journey = self.session.current
        if journey is not None and journey.step == EID_STEP:
            self.eid_cancel()
            return
        if journey is not None and journey.step == RATING_STEP:
            self.skip_rating()
            return
        if journey is None or not journey.history:
            if journey is not None:
                journey.current = journey.step = ""
            self._show(HOME, {})
            return
        entry = journey.history.pop()
        if journey.step == CONSENT_STEP:
            journey.pending = None  # 返回 from the notice: nothing waits for a card any more
        journey.current = entry.journey
        if entry.step == CONSENT_STEP:
            self._show_consent(journey)
            return
        step = self._spec(entry.journey).step(entry.step)
        self._enter(journey, step, {**entry.values, **values}, remember=False)

    def finish(self, reason: str = "finished") -> None:
        """完成 / 首页 / a refusal: end the session (wipe, home) — after the rating step when a
        transaction of this session was completed and not rated yet (not for
        :data:`NO_RATING_REASONS`). On the rating step itself it skips the rating."""
        journey = self.session.current
        if journey is not None and journey.step == RATING_STEP:
            self.skip_rating()
            return
        if (journey is not None and journey.ratings_due and reason not in NO_RATING_REASONS):
            journey.ending = reason
            journey.history.clear()
            journey.pending = None
            self._show_rating(journey)
            return
        self._end(reason)

    # ---- 好差评 (the rating step) ---------------------------------------------------------------
    def rate(self, level: int) -> None:
        """A level tapped on the rating step (5 非常满意 … 1 非常不满意). 3–5: sent, then the next
        transaction's rating or the end. 1–2 (差评): the step asks for the optional reasons
        (``update`` with ``level``); :meth:`rate_reasons` or :meth:`skip_rating` sends it.

        Raises:
            ValueError: ``level`` not 1–5.
        """
        if isinstance(level, bool) or level not in RATING_LEVELS:
            raise ValueError("rating level must be 1–5 (5 = 非常满意)")
        journey = self.session.current
        if journey is None or journey.step != RATING_STEP or not journey.ratings_due:
            return
        if level in BAD_RATING_LEVELS:
            journey.rating_level = level
            self._update(RATING_STEP, {"level": level})
            return
        self._send_rating(journey, level, ())
        self._next_rating(journey)

    def rate_reasons(self, reasons: tuple[str, ...] | list[str] = ()) -> None:
        """提交 on the 差评 reasons: the tapped level with ``reasons`` (codes of
        ``kiosk.services.transactions.ratings.REASON_CHIPS``; unknown codes are dropped)."""
        journey = self.session.current
        if journey is None or journey.step != RATING_STEP or journey.rating_level is None:
            return
        self._send_rating(journey, journey.rating_level, tuple(reasons))
        self._next_rating(journey)

    def skip_rating(self) -> None:
        """跳过 (one tap): with a 差评 level tapped, it is sent without reasons and the next
        rating is asked; otherwise nothing more is asked and the session ends."""
        journey = self.session.current
        if journey is None or journey.step != RATING_STEP:
            return
        if journey.rating_level is not None:
            self._send_rating(journey, journey.rating_level, ())
            self._next_rating(journey)
            return
        self._end(journey.ending or "finished")

    def _show_rating(self, journey: Journey) -> None:
        due = journey.ratings_due[0]
        journey.step = RATING_STEP
        journey.rating_level = None
        journey.step_values = {}
        self._show(RATING_STEP, {"service": due.title_zh, "journey": due.journey,
                                 "kind": due.ref.kind, "transaction_no": due.ref.number,
                                 "left": len(journey.ratings_due), "level": None})

    def _next_rating(self, journey: Journey) -> None:
        if journey.ratings_due:
            journey.ratings_due.pop(0)
        journey.rating_level = None
        if journey.ratings_due:
            self._show_rating(journey)
        else:
            self._end(journey.ending or "finished")

    def _send_rating(self, journey: Journey, level: int, reasons: tuple[str, ...]) -> None:
        due = journey.ratings_due[0]
        journey.rating_level = None
        if self._ratings is None:
            logger.warning("rating of %s dropped: no records attached", due.journey)
            return
        try:
            state = self._ratings.rate(due, level, reasons)
        except ValueError:
            state = self._ratings.rate(due, level, ())      # unknown reasons: the level only
        except Exception:  # noqa: BLE001 - a rating must never block or break the session end
            logger.exception("rating of %s not recorded", due.journey)
            return
        logger.info("rating of %s: level %d, %s", due.journey, level, state)

    def _end(self, reason: str) -> None:
        """End the session; a 差评 level tapped but not sent yet is sent first."""
        journey = self.session.current
        if journey is not None and journey.step == RATING_STEP and journey.rating_level is not None \
                and journey.ratings_due:
            self._send_rating(journey, journey.rating_level, ())
        self.session.end(reason)

    def touch(self) -> None:
        self.session.touch()

    def tick(self) -> tuple[IdleState, float]:
        """Once a second: the idle state for the countdown overlay; ends the session when it
        expired (the walk-away wipe)."""
        state, left = self.session.idle_state()
        if state is IdleState.EXPIRED:
            self._end("idle")
        return state, left

    # ---- consent and the card ---------------------------------------------------------------
    def agree(self) -> None:
        """同意 on the notice: record the consent, allow one read, show the card screen."""
        journey = self.session.start()
        need = self._identity_need(journey)
        journey.consent = consent_record(list(need), self._now())
        self._allow_reading(True)
        journey.history.append(HistoryEntry(journey.current, CONSENT_STEP))
        journey.step = CARD_STEP
        self._show(CARD_STEP, {"reader_available": self._reader_available()})

    def decline(self) -> None:
        """不同意: nothing is read; the session ends."""
        self._allow_reading(False)
        self.finish("declined")

    def card_event(self, event: CardEvent) -> None:
        """A card event on the UI thread (``kiosk.services.card_events.CardEvent``)."""
        if event.kind in ("placed", "detected"):
            # A card laid down is a person acting; reader states and errors are not (a
            # flapping reader must never keep a walked-away session alive).
            self.session.touch()
        journey = self.session.current
        if journey is not None and journey.step == CARD_STEP:
            self._card_on_card_step(journey, event)
            return
        if journey is not None and journey.step == CONSENT_STEP \
                and event.kind in ("placed", "detected", "removed"):
            self._update(CONSENT_STEP, {"card_on_reader": event.kind != "removed"})
            return
        if event.kind in ("detected", "placed") and self.screen == HOME:
            self.start("register")

    def identity_shown(self) -> None:
        """The card screen said "请取回身份证" long enough (or the card was taken): go on to
        the step that asked for the identity."""
        journey = self.session.current
        if journey is None or journey.step != CARD_STEP or journey.identity is None:
            return
        pending, journey.pending = journey.pending, None
        while journey.history and journey.history[-1].step in (CONSENT_STEP, CARD_STEP):
            journey.history.pop()
        if pending is None:
            self._show(HOME, {})
            return
        journey.current = pending.journey
        step = self._spec(pending.journey).step(pending.step)
        self._enter(journey, step, pending.values, remember=False)

    def _card_on_card_step(self, journey: Journey, event: CardEvent) -> None:
        if event.kind == "placed" and not event.problem and event.card is not None:
            if journey.consent is None or journey.identity is not None:
                return  # no consent in this session, or already read: never keep a card
            need = self._spec(journey.pending.journey if journey.pending else journey.current)
            kinds = need.identity.kinds if need.identity is not None else None
            if kinds is not None and event.card.card_type not in kinds:
                self._update(CARD_STEP, {"problem": "card_kind"})
                return
            journey.identity = event.card
            self._allow_reading(False)
            self._update(CARD_STEP, {"state": "done"})
            return
        self._update(CARD_STEP, {"event": event})
        if event.kind == "removed" and journey.identity is not None:
            self.identity_shown()

    def eid_login(self) -> None:
        """The card screen's 居民身份电子凭证 button: show the e-ID screen (:data:`EID_STEP`) in
        place of the card screen, with the consent already given; the reader stops reading
        meanwhile. 返回 there comes back to the card screen (:meth:`eid_cancel`)."""
        journey = self.session.current
        if journey is None or journey.step != CARD_STEP or journey.consent is None:
            return
        self._allow_reading(False)
        journey.step = EID_STEP
        self._show(EID_STEP, {})

    def eid_cancel(self) -> None:
        """返回 from the e-ID screen: the card screen again, reading allowed again."""
        journey = self.session.current
        if journey is None or journey.step != EID_STEP:
            return
        journey.step = CARD_STEP
        if journey.identity is None:
            self._allow_reading(True)
        self._show(CARD_STEP, {"reader_available": self._reader_available()})

    def eid_identity(self, identity: IdentityCard) -> bool:
        """The 居民身份电子凭证 login on the card step gave ``identity`` (``card_type`` E_ID,
        :mod:`kiosk.services.eid_login`): kept exactly as a card read — only with a consent in
        this session, only if the journey accepts it (E_ID counts as a resident card: the e-ID is
        issued for resident ID cards), only once — then the step that asked for it is entered.
        Returns whether it was kept."""
        journey = self.session.current
        if journey is None or journey.step not in (CARD_STEP, EID_STEP):
            return False
        self.session.touch()
        if journey.consent is None or journey.identity is not None:
            return False
        need = self._spec(journey.pending.journey if journey.pending else journey.current)
        kinds = need.identity.kinds if need.identity is not None else None
        accepted = (kinds is None or identity.card_type in kinds
                    or (identity.card_type is CardType.E_ID and CardType.RESIDENT in kinds))
        if not accepted:
            self._update(CARD_STEP, {"problem": "card_kind"})
            return False
        journey.identity = identity
        journey.step = CARD_STEP
        self._allow_reading(False)
        self.identity_shown()
        return True

    def retry_card(self) -> None:
        """重试 on the card screen: allow reading again (the card is laid down again)."""
        journey = self.session.current
        if journey is not None and journey.consent is not None and journey.identity is None:
            self._allow_reading(True)

    # ---- internals ----------------------------------------------------------------------
    def _spec(self, name: str) -> JourneySpec:
        try:
            return self.journeys[name]
        except KeyError:
            raise JourneyError(f"no journey {name!r}") from None

    def _identity_need(self, journey: Journey) -> tuple[str, ...]:
        name = journey.pending.journey if journey.pending is not None else journey.current
        spec = self.journeys.get(name)
        if spec is None or spec.identity is None:
            return ("registration",)
        return spec.identity.purposes

    def _apply(self, transition: Transition) -> None:
        journey = self.session.current
        if isinstance(transition, Finish):
            self.finish(transition.reason)
            return
        if isinstance(transition, Begin):
            self._begin(transition)
            return
        if journey is None or not journey.current:
            logger.info("%s without a journey: ignored", type(transition).__name__)
            return
        spec = self._spec(journey.current)
        if isinstance(transition, Stay):
            self._update(self.screen, transition.values)
            return
        if isinstance(transition, Next):
            index = spec.index(journey.step) if journey.step in [s.name for s in spec.steps] else -1
            if index + 1 >= len(spec.steps):
                self.finish(spec.ends)
                return
            self._enter(journey, spec.steps[index + 1], transition.values)
            return
        step = spec.step(transition.step)
        if transition.clear_history:
            journey.history.clear()
        self._enter(journey, step, transition.values,
                    remember=transition.remember and not transition.clear_history)

    def _begin(self, begin: Begin) -> None:
        spec = self._spec(begin.journey)
        journey = self.session.start()
        if journey.step and journey.current:
            self._remember(journey)
        else:
            journey.history.clear()
        journey.current = spec.name
        if begin.continue_to:
            journey.continue_to = begin.continue_to
        if spec.on_start is not None:
            spec.on_start(journey, begin.inputs)
        if self._observers:
            self._notify(lambda o: o.began(journey, spec))
        self._enter(journey, spec.steps[0], {}, remember=False)

    def _remember(self, journey: Journey) -> None:
        if not journey.step or journey.step in (CONSENT_STEP, CARD_STEP, EID_STEP):
            return
        spec = self.journeys.get(journey.current)
        if spec is None:
            return
        step = spec.step(journey.step)
        if step.remember:
            journey.history.append(HistoryEntry(journey.current, step.name,
                                                dict(journey.step_values)))

    def _enter(self, journey: Journey, step: Step, values: Values, remember: bool = True) -> None:
        if remember:
            self._remember(journey)
        if step.needs_identity and journey.identity is None:
            journey.pending = HistoryEntry(journey.current, step.name, dict(values))
            self._show_consent(journey)
            return
        journey.step = step.name
        journey.step_values = dict(values)
        if self._observers:
            spec = self._spec(journey.current)
            self._notify(lambda o: o.entered(journey, spec, step))
        shown = {**(step.view(journey) if step.view is not None else {}), **values}
        self._show(step.screen_name, shown)

    def _show_consent(self, journey: Journey) -> None:
        # Showing the notice (again: 返回 from the card screen) withdraws a pending consent.
        self._allow_reading(False)
        if journey.identity is None:
            journey.consent = None
        journey.step = CONSENT_STEP
        self._show(CONSENT_STEP, {"purposes": self._identity_need(journey),
                                  "card_on_reader": self._card_on_reader()})

    def _reader_available(self) -> bool:
        card = self._card()
        return card is not None and card.last_state not in UNAVAILABLE_STATES

    def _card_on_reader(self) -> bool:
        card = self._card()
        return card is not None and card.card_present

    def _allow_reading(self, allowed: bool) -> None:
        card = self._card()
        if card is not None:
            card.allow_reading(allowed)

    def _show(self, screen: str, values: Values) -> None:
        if self._display is not None:
            self._display.show(screen, values)

    def _update(self, screen: str, values: Values) -> None:
        if self._display is not None:
            self._display.update(screen, values)

    def _on_session_end(self, reason: str) -> None:
        self._allow_reading(False)
        if self._display is not None:
            self._display.ended(reason)
