"""Card reading: instructions and an animation while waiting, then the outcome.

States (``state``): ``waiting`` (place the card; animated card and progress), ``done`` (read:
"请取回身份证", then ``app.after_identity()`` after :data:`DONE_DELAY_S` seconds or as soon
as the card is taken away), ``problem`` (``problem`` is a key of
``kiosk.services.card_events.PROBLEM_MESSAGES``, or ``no_card`` after :data:`NO_CARD_AFTER_S`
seconds without a card). Each problem has its Chinese message and a way on: 重试 (read failed,
no card, reader unavailable) and 返回首页 (always; for an expired card or a number that fails
GB 11643 the counter is the only way).

The card is stored only in ``services.session.current.identity``; reading is forbidden again
once the card was read (the consent covers this person's card only).
"""

from __future__ import annotations

from kivy.animation import Animation
from kivy.app import App
from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.card_events import PROBLEM_MESSAGES

load_kv(__file__)

DONE_DELAY_S = 1.5
NO_CARD_AFTER_S = 20.0
UNAVAILABLE_STATES = ("disconnected", "sam_fault")

PROBLEM_TEXTS = {
    **PROBLEM_MESSAGES,
    "no_card": "没有检测到身份证。请将身份证平放在感应区中央，不要移动",
}
#: problems the jobseeker can fix here (a retry button is offered)
RETRYABLE = frozenset({"read_failed", "no_card", "reader_unavailable"})


class CardReadScreen(KioskScreen):
    state = StringProperty("waiting")
    problem = StringProperty("")
    phase = NumericProperty(0.0)
    prompt_key = "place_card"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._animation: Animation | None = None
        self._no_card_ev = None
        self._done_ev = None

    # ---- lifecycle ----------------------------------------------------------------------
    def on_pre_enter(self, *_args: object) -> None:
        self._wait()
        card = self.services.card if self.services is not None else None
        if card is None or card.last_state in UNAVAILABLE_STATES:
            self._show_problem("reader_unavailable")

    def on_leave(self, *_args: object) -> None:
        self._stop_timers()

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
        if self.services is not None:
            self.services.voice.say(problem if problem in PROBLEM_TEXTS else "read_failed")

    def problem_text(self, problem: str) -> str:
        from kiosk.ui.i18n import _

        return _(PROBLEM_TEXTS.get(problem, PROBLEM_TEXTS["read_failed"]))

    def retry(self) -> None:
        """重试: back to waiting (the reader reads again when the card is laid down)."""
        if self.services is not None and self.services.card is not None:
            self.services.card.allow_reading(True)
        self._wait()

    # ---- card events (UI thread) --------------------------------------------------------
    def on_card_event(self, event: object) -> bool:
        kind = getattr(event, "kind", "")
        if kind == "placed" and self.state in ("waiting", "problem"):
            if event.problem:
                self._show_problem(event.problem)
            else:
                self._read(event.card)
        elif kind == "problem" and self.state != "done":
            self._show_problem(event.problem or "read_failed")
        elif kind == "removed" and self.state == "done":
            self._proceed()
        elif kind == "state" and event.state in UNAVAILABLE_STATES and self.state != "done":
            self._show_problem("reader_unavailable")
        elif kind == "state" and event.state == "ready" and self.problem == "reader_unavailable":
            self._wait()
        return True

    def _read(self, card: object) -> None:
        session = self.services.session.current
        if session is None or session.consent is None:
            return  # no consent in this session: never keep a card
        self._stop_timers()
        session.identity = card
        self.services.card.allow_reading(False)
        self.state, self.problem, self.phase = "done", "", 1.0
        self.services.voice.say("read_ok")
        self._done_ev = Clock.schedule_once(lambda _dt: self._proceed(), DONE_DELAY_S)

    def _proceed(self) -> None:
        if self.state != "done":
            return
        self._stop_timers()
        self.state = "leaving"
        app = App.get_running_app()
        if app.sm.current == self.name:
            app.after_identity()

    def go_home(self) -> None:
        App.get_running_app().finish_session("card_problem")

    def wipe(self) -> None:
        self._stop_timers()
        self.state, self.problem, self.phase = "waiting", "", 0.0
