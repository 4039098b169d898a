"""招聘会: the next fairs near the station → a fair's detail (employers and their posts; a post
opens the usual vacancy detail and referral) → sign-up after the identity (card or 居民身份电子凭证)
→ the 报到码 shown for the phone and printed.

Steps and their values:

* ``fairs`` (screen ``fairs``): none — the screen lists ``services.fairs.board()``;
* ``fair_detail``: ``fair_id``;
* ``fair_post`` (screen ``vacancy_detail``): ``vacancy``, ``distance_km``, ``age_days`` — the
  usual detail, whose 申请推荐 starts the ``referral`` journey;
* ``fair_signup`` (needs the identity): ``fair_id``, ``card``, ``phone``, ``outcome`` (this
  session's :class:`~kiosk.services.fairs.SignupOutcome` for that fair, or None before it).

Events: ``open_fair(fair_id)``, ``open_post(vacancy, distance_km, age_days)``,
``signed_up(outcome)``. Consent purpose ``fair_signup``. What it records: the sign-up, at the
platform (it makes the 报到码; nothing is kept on the terminal after the session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.services.journeys.declared.referral import session_phone
from kiosk.services.journeys.spec import (GoTo, IdentityNeed, JourneySpec, Stay, Step, Transaction,
                                          Transition, Values, outcome_number)
from kiosk.services.journeys.state import Journey

if TYPE_CHECKING:   # kiosk.services.fairs pulls in the printer driver: not before the first frame
    from kiosk.services.fairs import SignupOutcome


@dataclass
class FairVisit:
    """The 招聘会 part of the session: the fair looked at and this session's sign-ups by fair id
    (an outcome holds the person's 报到码 and name: session memory only)."""

    fair_id: str = ""
    outcomes: dict[str, SignupOutcome] = field(default_factory=dict)

    def clear(self) -> None:
        self.fair_id = ""
        self.outcomes.clear()


def visit_of(journey: Journey) -> FairVisit:
    return journey.part(FairVisit)


def _open_fair(journey: Journey, values: Values) -> Transition:
    fair_id = values.get("fair_id")
    if not isinstance(fair_id, str) or not fair_id:
        raise TypeError("open_fair needs fair_id=str")
    visit_of(journey).fair_id = fair_id
    return GoTo("fair_detail", {"fair_id": fair_id})


def _open_post(journey: Journey, values: Values) -> Transition:
    return GoTo("fair_post", dict(values))


def _signed_up(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    from kiosk.services.fairs import SignupOutcome

    if not isinstance(outcome, SignupOutcome):
        raise TypeError("signed_up needs outcome=SignupOutcome")
    visit = visit_of(journey)
    if outcome.ok:
        visit.outcomes[visit.fair_id] = outcome
    return Stay({"outcome": outcome})


def _signup_view(journey: Journey) -> dict[str, object]:
    visit = visit_of(journey)
    return {"fair_id": visit.fair_id, "card": journey.identity, "phone": session_phone(journey),
            "consent": journey.consent, "outcome": visit.outcomes.get(visit.fair_id)}


JOURNEY = JourneySpec(
    name="fairs",
    title_zh="招聘会",
    identity=IdentityNeed(purposes=("fair_signup",)),
    steps=(Step("fairs"),
           Step("fair_detail", view=lambda j: {"fair_id": visit_of(j).fair_id}),
           Step("fair_signup", needs_identity=True, view=_signup_view),
           Step("fair_post", screen="vacancy_detail")),
    ends="fair-signed-up",
    events={"open_fair": _open_fair, "open_post": _open_post, "signed_up": _signed_up},
    # a sign-up is the 办件 (browsing the list is not): counted from the sign-up step, rated
    # by the platform's sign-up id; a refusal (full, offline …) completes nothing
    transaction=Transaction("fair_signup", ("signed_up",), outcome_number("signup_id"),
                            starts_at="fair_signup"),
)
