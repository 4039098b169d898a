"""办件查询: identify by card, see your applications and their states in plain Chinese, reprint
an acceptance slip (issue 18).

Step ``list`` (screen ``application_query``, needs the identity; shown with ``card``,
``applications`` — ``Application`` dicts newest first, or None while not asked yet / offline —
and ``offline``). Events: ``queried(applications)`` (None = the platform could not be asked),
``reprinted(application_no)`` (kept for the session; the screen is updated with
``reprinted`` only, its list stays as it is). Nothing personal is kept beyond
the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.services.journeys.spec import (IdentityNeed, JourneySpec, Stay, Step, Transition,
                                          Values)
from kiosk.services.journeys.state import Journey

PURPOSES = ("assistance",)


@dataclass
class ApplicationQuery:
    """The 办件查询 part of the session."""

    applications: list[dict[str, Any]] | None = None
    asked: bool = False
    reprinted: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.applications, self.asked = None, False
        self.reprinted.clear()


def _view(journey: Journey) -> dict[str, object]:
    q = journey.part(ApplicationQuery)
    return {"card": journey.identity, "applications": q.applications,
            "offline": q.asked and q.applications is None}


def _queried(journey: Journey, values: Values) -> Transition:
    q = journey.part(ApplicationQuery)
    found = values.get("applications")
    q.asked = True
    q.applications = [dict(a) for a in found] if isinstance(found, list) else None
    return Stay(_view(journey))


def _reprinted(journey: Journey, values: Values) -> Transition:
    number = str(values.get("application_no", ""))
    journey.part(ApplicationQuery).reprinted.append(number)
    return Stay({"reprinted": number})


JOURNEY = JourneySpec(
    name="application_query",
    title_zh="办件查询",
    identity=IdentityNeed(purposes=PURPOSES),
    steps=(Step("list", screen="application_query", needs_identity=True, view=_view),),
    ends="query-done",
    events={"queried": _queried, "reprinted": _reprinted},
)
