"""为我推荐 (matching): consent → card → the vacancies that fit this session's 求职意向.

Steps: ``match`` (needs the identity; shown with ``card`` and ``profile`` — a
:class:`~kiosk.domain.matching.JobseekerProfile` from the registration form filled in this
session, or None when there is none yet) → ``vacancy_detail`` (``vacancy``, ``distance_km``).

The 兴趣探索 result of this session, if any, goes into the profile as ``interest_hints``
(one more explained reason, "符合您的兴趣：动手操作型"; it never excludes a vacancy).

Event ``register_first()``: without a form the person is sent through 求职登记 first, and the
registration's done screen offers 为我推荐 first (``continue_to="match"``). Nothing recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from kiosk.domain.matching import JobseekerProfile
from kiosk.services.journeys.declared.interests import session_hints
from kiosk.services.journeys.declared.registration import RegistrationDraft
from kiosk.services.journeys.spec import (Begin, IdentityNeed, JourneySpec, Step, Transition,
                                          Values)
from kiosk.services.journeys.state import Journey


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else ()


def has_preferences(form: Mapping[str, object]) -> bool:
    """True when the form says enough to match on (occupations, areas or education)."""
    return bool(form.get("desired_occupations") or form.get("desired_divisions")
                or form.get("education_code"))


def profile_from_form(form: Mapping[str, object]) -> JobseekerProfile:
    """A matching profile from the registration form (keys of
    :mod:`kiosk.services.registration_form`: desired_occupations, desired_divisions,
    salary_min (yuan/month), education_code, employment_type, key_groups)."""
    salary = form.get("salary_min", 0)
    return JobseekerProfile(
        desired_occupations=_strings(form.get("desired_occupations", ())),
        desired_districts=_strings(form.get("desired_divisions", ())),
        expected_salary=int(salary) if isinstance(salary, (int, str)) and str(salary).isdigit()
        else 0,
        education_code=str(form.get("education_code", "") or ""),
        employment_type=str(form.get("employment_type", "") or ""),
        key_groups=_strings(form.get("key_groups", ())))


def _match_view(journey: Journey) -> dict[str, object]:
    form = journey.part(RegistrationDraft).form if journey.has_part(RegistrationDraft) else {}
    profile = profile_from_form(form) if has_preferences(form) else None
    if profile is not None:
        profile = replace(profile, interest_hints=session_hints(journey))
    return {"card": journey.identity, "profile": profile}


def _register_first(_journey: Journey, _values: Values) -> Transition:
    return Begin("register", continue_to="match")


JOURNEY = JourneySpec(
    name="match",
    title_zh="为我推荐",
    identity=IdentityNeed(purposes=("registration",)),
    steps=(Step("match", needs_identity=True, view=_match_view), Step("vacancy_detail")),
    events={"register_first": _register_first},
)
