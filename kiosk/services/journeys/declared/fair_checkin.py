"""招聘会签到: on the fair's day, at any kiosk — scan the 报到码 (printed or on the phone), or lay
the ID card (after the consent screen, like every card read).

Steps: ``fair_checkin`` (screen ``fair_checkin``, waiting for a scan; shown with ``card`` None)
and ``fair_checkin_card`` (same screen, needs the identity; shown with ``card``). The screen asks
``services.fairs`` (``check_in_scan`` / ``check_in_card``) and shows the
:class:`~kiosk.services.fairs.CheckinOutcome`; a code that is not ours says 这不是本站的二维码 and
nothing else happens. Event: ``checked_in(outcome)`` (kept for the session's record). Consent
purpose ``fair_checkin`` (the card's number leaves the terminal only as the salted hash).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.services.journeys.spec import IdentityNeed, JourneySpec, Stay, Step, Transition, Values
from kiosk.services.journeys.state import Journey

if TYPE_CHECKING:   # kiosk.services.fairs pulls in the printer driver: not before the first frame
    from kiosk.services.fairs import CheckinOutcome


@dataclass
class FairCheckinState:
    """The last check-in outcome of this session (no personal data: fair and status)."""

    outcome: CheckinOutcome | None = None

    def clear(self) -> None:
        self.outcome = None


def _checked_in(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    from kiosk.services.fairs import CheckinOutcome

    if not isinstance(outcome, CheckinOutcome):
        raise TypeError("checked_in needs outcome=CheckinOutcome")
    journey.part(FairCheckinState).outcome = outcome
    return Stay({"outcome": outcome})


JOURNEY = JourneySpec(
    name="fair_checkin",
    title_zh="招聘会签到",
    identity=IdentityNeed(purposes=("fair_checkin",)),
    steps=(Step("fair_checkin", view=lambda j: {"card": None}),
           Step("fair_checkin_card", screen="fair_checkin", needs_identity=True,
                view=lambda j: {"card": j.identity})),
    ends="fair-checked-in",
    events={"checked_in": _checked_in},
)
