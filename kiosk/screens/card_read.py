"""Card reading: instructions and an animation while waiting, then the outcome.

States (``state``): ``waiting`` (place the card; animated card and progress), ``done`` (read:
"请取回身份证", then ``nav.identity_shown()`` after :data:`DONE_DELAY_S` seconds; the engine goes
on by itself as soon as the card is taken away), ``problem`` (``problem`` is a key of
``kiosk.services.card_events.PROBLEM_MESSAGES``, or ``no_card`` after :data:`NO_CARD_AFTER_S`
seconds without a card). Each problem has its Chinese message and a way on: 重试 (read failed,
no card, reader unavailable) and 返回首页 (always; for an expired card, a card kind the journey
does not accept or a number that fails GB 11643 the counter is the only way).

Demo mode (the reader is the built-in simulator): a red button lays the demo card on the
simulated reader ("演示：放置身份证") or, while it lies there, lifts it ("演示：取走身份证"), so
every journey's card step can be walked through by touch, visitor after visitor (issue 17
item 4; the card also leaves with the person when the session ends, ``KioskApp.ended``).

Whether a card is kept is the engine's decision (consent gate, one read,
:mod:`kiosk.services.journeys.engine`); this screen only shows it. Values: ``show`` with
``reader_available``; ``update`` with ``state="done"``, ``problem=<key>`` or ``event=CardEvent``
(a read failure, the card removed, a reader state).
"""

from __future__ import annotations

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from collections.abc import Mapping

from kiosk.domain.i18n_marker import N_
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.card_events import PROBLEM_MESSAGES, CardEvent
from kiosk.services.journeys.engine import UNAVAILABLE_STATES
from kiosk.services.voice_prompts import PROMPTS

load_kv(__file__)

DONE_DELAY_S = 1.5
NO_CARD_AFTER_S = 20.0

PROBLEM_TEXTS = {
    **PROBLEM_MESSAGES,
    "no_card": N_("没有检测到身份证。请将身份证平放在感应区中央，不要移动"),
}
#: problems the jobseeker can fix here (a retry button is offered)
RETRYABLE = frozenset({"read_failed", "no_card", "reader_unavailable"})


class CardReadScreen(KioskScreen):
    state = StringProperty("waiting")
    problem = StringProperty("")
    phase = NumericProperty(0.0)
    demo_card = BooleanProperty(False)        # demo mode: the reader is the simulator
    demo_card_down = BooleanProperty(False)   # the demo card lies on the simulated reader
    prompt_key = "place_card"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._animation: Animation | None = None
        self._no_card_ev = None
        self._done_ev = None

    # ---- lifecycle ----------------------------------------------------------------------
    def show(self, values: Mapping[str, object]) -> None:
        self.demo_card = bool(self.services is not None and self.services.demo_card_reader)
        self._refresh_demo_card()
        self._wait()
        if not values.get("reader_available", True):
            self._show_problem("reader_unavailable")

    def _stop_timers(self) -> None:
        if self._animation is not None:
            self._animation.cancel(self)
            self._animation = None
        for ev in (self._no_card_ev, self._done_ev):
            if ev is not None:
                ev.cancel()
        self._no_card_ev = self._done_ev = None

    def _wait(self) -> None:
        self._stop_timers()
        self.state, self.problem, self.phase = "waiting", "", 0.0
        self._animation = (Animation(phase=1.0, duration=1.2, t="out_quad")
                           + Animation(phase=1.0, duration=0.4)
                           + Animation(phase=0.0, duration=0.01))
        self._animation.repeat = True
        self._animation.start(self)
        self._no_card_ev = Clock.schedule_once(lambda _dt: self._show_problem("no_card"),
                                               NO_CARD_AFTER_S)

    def _show_problem(self, problem: str) -> None:
        self._stop_timers()
        self.state, self.problem = "problem", problem
        # the drawing: the card lies on the pad when it was read or rejected, else above it
        self.phase = 1.0 if problem in ("read_failed", "card_expired", "invalid_number") else 0.0
        if self.services is not None and problem in PROMPTS:  # card_kind has no recording
            self.services.voice.say(problem)

    def problem_text(self, problem: str) -> str:
        from kiosk.ui.i18n import _

        return _(PROBLEM_TEXTS.get(problem, PROBLEM_TEXTS["read_failed"]))

    def _refresh_demo_card(self) -> None:
        self.demo_card_down = self.demo_card and self.services is not None \
            and self.services.demo_card_present()

    def demo_toggle_card(self) -> None:
        """Demo: lay the demo card on the simulated reader, or lift it if it lies there (the
        reader reports it like a real card: read after the consent, removed when lifted)."""
        if not self.demo_card or self.services is None:
            return
        if self.services.demo_card_present():
            self.services.demo_remove_card()
        else:
            self.services.demo_place_card()
        self._refresh_demo_card()

    def retry(self) -> None:
        """重试: back to waiting (the reader reads again when the card is laid down)."""
        if self.nav is not None:
            self.nav.retry_card()
        self._wait()

    # ---- what the engine tells (UI thread) ------------------------------------------------
    def update(self, values: Mapping[str, object]) -> None:
        self._refresh_demo_card()
        if values.get("state") == "done":
            self._read()
            return
        problem = values.get("problem")
        if isinstance(problem, str) and problem:
            self._show_problem(problem)
            return
        event = values.get("event")
        if isinstance(event, CardEvent):
            self._on_event(event)

    def _on_event(self, event: CardEvent) -> None:
        kind = event.kind
        if kind == "placed" and event.problem and self.state in ("waiting", "problem"):
            self._show_problem(event.problem)
        elif kind == "problem" and self.state not in ("done", "leaving"):
            self._show_problem(event.problem or "read_failed")
        elif kind == "state" and event.state in UNAVAILABLE_STATES \
                and self.state not in ("done", "leaving"):
            self._show_problem("reader_unavailable")
        elif kind == "state" and event.state == "ready" and self.problem == "reader_unavailable":
            self._wait()

    def _read(self) -> None:
        self._stop_timers()
        self.state, self.problem, self.phase = "done", "", 1.0
        if self.services is not None:
            self.services.voice.say("read_ok")
        self._done_ev = Clock.schedule_once(lambda _dt: self._proceed(), DONE_DELAY_S)

    def _proceed(self) -> None:
        if self.state != "done":
            return
        self._stop_timers()
        self.state = "leaving"
        self.nav.identity_shown()

    def go_home(self) -> None:
        self.nav.finish("card_problem")

    def on_leave(self, *_args: object) -> None:
        self._stop_timers()
        if self.state == "done":
            self.state = "leaving"

    def wipe(self) -> None:
        self._stop_timers()
        self.state, self.problem, self.phase = "waiting", "", 0.0


SCREENS = {"card_read": CardReadScreen}
