"""零工 board (issue 19): one tap from home; 今天 / 明天 / 本周 and 附近 (distance shown) first;
a gig's card → one-tap 报名 after identification → the sign-up slip. A gig filled while the
worker was signing up says so and offers the next ones.

Steps (screen in brackets) and the values each is shown with:

* ``board`` [``gigs``] — no identity; ``window`` (one of
  :data:`~kiosk.services.catalog.query.GIG_WINDOWS`: ``today`` | ``tomorrow`` | ``week``),
  ``nearby`` (bool: only gigs within :data:`NEARBY_KM` km of the station), ``notice`` ("" or
  the "just filled" message) and ``next`` (the next gigs offered after a full one, a list of
  ``SearchHit``; empty: the screen searches the catalog for ``window``/``nearby`` itself);
* ``detail`` [``gig_detail``] — ``gig`` (a ``Vacancy`` of kind gig), ``distance_km``
  (km from the station or None), ``step="detail"``, ``message``;
* ``signup`` [``gig_detail``] — needs the identity (ID card or 居民身份电子凭证, after the same
  consent notice as every card read; purpose ``gig_signup``); ``gig``, ``distance_km``,
  ``card``, ``phone``, ``step="signup"``, ``window``/``nearby`` (for the next gigs offered
  if this one is full): the screen signs up
  (:meth:`kiosk.services.gig_signup.GigSignupService.sign_up`, online only) and sends
  ``signed(outcome, next)``;
* ``done`` [``gig_done``] — ``outcome`` (the confirmed ``SignupOutcome``: sign-up number,
  places left) and ``card`` (for the masked name on screen and the slip).

Events: ``window(window, nearby)`` → stay (the board searches again); ``chosen(gig,
distance_km)`` → ``detail``; ``sign_up()`` → ``signup`` (返回 from the notice comes back to the
detail); ``signed(outcome, next=[SearchHit …])``: confirmed → ``done`` (history cleared: the
place is taken, 返回 must not sign up again); full → back to ``board`` with the notice and
``next``; exists / gone / offline → stay (the detail shows the outcome's message and
``state``; 报名 tries again).

Nothing is recorded on the terminal: the sign-up is made at the platform (it counts the places
across terminals); the session keeps the outcome (the number, the gig) until it ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.vacancy import Vacancy
from kiosk.services.gig_signup import SignupOutcome
from kiosk.services.journeys.declared.referral import session_phone
from kiosk.services.journeys.spec import (GoTo, IdentityNeed, JourneySpec, Stay, Step,
                                          Transaction, Transition, Values, outcome_number)
from kiosk.services.journeys.state import Journey

PURPOSES = ("gig_signup",)
#: 附近: at most this many km from the station
NEARBY_KM = 5.0


@dataclass
class GigBoardState:
    """The 零工 part of the session (the chosen gig is public data; the outcome holds the
    sign-up number and is dropped with the session)."""

    window: str = "today"
    nearby: bool = True
    gig: Vacancy | None = None
    distance_km: float | None = None
    outcome: SignupOutcome | None = None
    notice: str = ""

    def clear(self) -> None:
        self.window, self.nearby = "today", True
        self.gig = self.distance_km = self.outcome = None
        self.notice = ""


def state_of(journey: Journey) -> GigBoardState:
    return journey.part(GigBoardState)


def _board_view(journey: Journey) -> dict[str, object]:
    s = state_of(journey)
    return {"window": s.window, "nearby": s.nearby, "notice": s.notice, "next": []}


def _detail_view(journey: Journey) -> dict[str, object]:
    s = state_of(journey)
    return {"gig": s.gig, "distance_km": s.distance_km, "step": "detail", "message": ""}


def _signup_view(journey: Journey) -> dict[str, object]:
    s = state_of(journey)
    return {"gig": s.gig, "distance_km": s.distance_km, "step": "signup",
            "card": journey.identity, "phone": session_phone(journey), "message": "",
            "window": s.window, "nearby": s.nearby}


def _done_view(journey: Journey) -> dict[str, object]:
    return {"outcome": state_of(journey).outcome, "card": journey.identity}


def _window(journey: Journey, values: Values) -> Transition:
    s = state_of(journey)
    window = str(values.get("window", s.window))
    from kiosk.services.catalog.query import GIG_WINDOWS  # the catalog loads after the first frame

    if window not in GIG_WINDOWS:
        raise ValueError(f"unknown gig window {window!r} (one of {', '.join(GIG_WINDOWS)})")
    s.window = window
    s.nearby = bool(values.get("nearby", s.nearby))
    s.notice = ""
    return Stay({"window": s.window, "nearby": s.nearby, "notice": "", "next": []})


def _chosen(journey: Journey, values: Values) -> Transition:
    gig = values.get("gig")
    if not isinstance(gig, Vacancy) or not gig.is_gig:
        raise TypeError("chosen needs gig=Vacancy (a gig)")
    s = state_of(journey)
    s.gig, s.notice = gig, ""
    distance = values.get("distance_km")
    s.distance_km = float(distance) if isinstance(distance, (int, float)) else None
    return GoTo("detail")


def _sign_up(journey: Journey, _values: Values) -> Transition:
    if state_of(journey).gig is None:
        raise ValueError("sign_up without a chosen gig")
    return GoTo("signup")


def _signed(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    if not isinstance(outcome, SignupOutcome):
        raise TypeError("signed needs outcome=SignupOutcome")
    s = state_of(journey)
    s.outcome = outcome
    if outcome.ok:
        return GoTo("done", remember=False, clear_history=True)
    if outcome.state == "full":
        offered = values.get("next")
        s.notice = outcome.message_zh
        s.gig, s.distance_km = None, None
        return GoTo("board", {"notice": outcome.message_zh,
                              "next": list(offered) if isinstance(offered, list) else []},
                    remember=False, clear_history=True)
    s.gig = outcome.gig
    return Stay({"message": outcome.message_zh, "state": outcome.state})


JOURNEY = JourneySpec(
    name="gigs",
    title_zh="零工",
    identity=IdentityNeed(purposes=PURPOSES),
    steps=(Step("board", screen="gigs", view=_board_view),
           Step("detail", screen="gig_detail", view=_detail_view),
           Step("signup", screen="gig_detail", needs_identity=True, remember=False,
                view=_signup_view),
           Step("done", screen="gig_done", remember=False, view=_done_view)),
    ends="gig-done",
    events={"window": _window, "chosen": _chosen, "sign_up": _sign_up, "signed": _signed},
    # the 办件 is a confirmed sign-up (browsing the board is not): counted from the sign-up
    # step, rated by its sign-up number (好差评, issue 21); full / exists / offline complete nothing
    transaction=Transaction("gig_signup", ("signed",), outcome_number("signup_no"),
                            starts_at="signup"),
)
