"""求职简历: consent → card → past jobs → skills and certificates → the work wanted → the preview
(exactly the paper's lines; 姓名 / 联系电话 only when ticked, the ID number never) → print on the
receipt printer or hand to the phone by QR.

The résumé starts from what is known: the card (gender, age), the platform's prefill (education,
district of residence — ``ApplicationService.prefill``, as the 就业援助 forms do) and this
session's 求职登记 answers (phone, wanted jobs, places, pay, 用工形式) when the person registered
first. Everything lives in this session's :class:`ResumeDraft` and is wiped with it.

Steps (``resume_form`` serves the three pick-list steps; its ``step`` value says which):

* ``resume_jobs`` (needs the identity): ``step`` "jobs", ``card``, ``answers`` (the draft's
  :meth:`ResumeDraft.answers`), ``prefill_done``;
* ``resume_skills``: ``step`` "skills", ``answers``;
* ``resume_wanted``: ``step`` "wanted", ``answers``, ``phone``;
* ``resume_preview``: ``card``, ``answers``, ``prefill``, ``phone``, ``show_name``,
  ``show_phone``, ``share`` (the phone link of this résumé, or None), ``print_state``.

Events: ``prefilled(prefill)`` (the platform's ``ApplicationPrefill`` dict or None),
``job_added(job, years)``, ``job_removed(index)``, ``toggled(field, value)`` (``skills``,
``certificates``, ``wanted_jobs``, ``wanted_places``), ``chosen(field, value)``
(``employment_type``, ``salary_min``), ``phone_entered(phone)``, ``ticked(show_name,
show_phone)`` (a tick changes the paper: the phone link of the old content is dropped),
``shared(outcome)`` (a :class:`~kiosk.services.resume_handoff.ShareOutcome`),
``printed(state)``. Consent purpose ``registration`` is not asked: the résumé uses the card
only on this terminal (purpose ``resume``, recorded in the session's consent); nothing is sent
except the paper's content when the person asks for the phone link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.domain.codes import divisions, everyday_jobs
from kiosk.domain.vacancy import EMPLOYMENT_TYPES
from kiosk.services.journeys.declared.referral import session_phone
from kiosk.services.journeys.declared.registration import RegistrationDraft
from kiosk.services.journeys.spec import (IdentityNeed, JourneySpec, Stay, Step, Transition,
                                          Values)
from kiosk.services.journeys.state import Journey

if TYPE_CHECKING:   # the résumé hand-off pulls in the printer driver: not before the first frame
    from kiosk.services.resume_handoff import ShareOutcome

#: at most this many entries per list (``docs/resume.md``: ≤ 10)
MAX_ENTRIES = 10
LIST_FIELDS = ("skills", "certificates", "wanted_jobs", "wanted_places")
#: the years a past job can be picked with (0.5 = 不满1年)
YEARS = (0.5, 1, 2, 3, 5, 8, 10, 15, 20)


@dataclass
class ResumeDraft:
    """The 求职简历 part of the session (personal: wiped with it)."""

    past_jobs: list[tuple[str, float]] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)
    wanted_jobs: list[str] = field(default_factory=list)
    wanted_places: list[str] = field(default_factory=list)
    employment_type: str = ""
    salary_min: int = 0
    prefill: dict[str, object] | None = None
    prefill_done: bool = False
    show_name: bool = False
    show_phone: bool = False
    share: ShareOutcome | None = None
    print_state: str = ""
    started_from_registration: bool = False

    def answers(self) -> dict[str, object]:
        """The pick-list answers (``kiosk.services.resume_handoff.resume_json``'s ``answers``)."""
        return {"past_jobs": list(self.past_jobs), "skills": list(self.skills),
                "certificates": list(self.certificates), "wanted_jobs": list(self.wanted_jobs),
                "wanted_places": list(self.wanted_places),
                "employment_type": self.employment_type, "salary_min": self.salary_min}

    def clear(self) -> None:
        self.past_jobs.clear()
        for name in LIST_FIELDS:
            getattr(self, name).clear()
        self.employment_type = ""
        self.salary_min = 0
        self.prefill = None
        self.prefill_done = self.show_name = self.show_phone = False
        self.share = None
        self.print_state = ""
        self.started_from_registration = False


def draft_of(journey: Journey) -> ResumeDraft:
    return journey.part(ResumeDraft)


def _codes(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _from_registration(journey: Journey, draft: ResumeDraft) -> None:
    """This session's 求职登记 answers, once: the everyday jobs picked (``desired_jobs``; for a
    category picked, its first everyday job), places, pay, type."""
    if draft.started_from_registration or not journey.has_part(RegistrationDraft):
        return
    draft.started_from_registration = True
    form = journey.part(RegistrationDraft).form
    picked = [j for j in _codes(form.get("desired_jobs")) if j in everyday_jobs.BY_ID]
    for code in _codes(form.get("desired_occupations")):   # a category picked: its first job
        if not any(everyday_jobs.BY_ID[j].occupation_code == code for j in picked):
            picked.extend(job.id for job in everyday_jobs.for_occupation(code)[:1])
    for job_id in picked:
        if job_id not in draft.wanted_jobs and len(draft.wanted_jobs) < MAX_ENTRIES:
            draft.wanted_jobs.append(job_id)
    for code in _codes(form.get("desired_divisions")):
        if divisions.is_known(code) and code not in draft.wanted_places:
            draft.wanted_places.append(code)
    draft.employment_type = draft.employment_type or str(form.get("employment_type") or "")
    salary = form.get("salary_min")
    if not draft.salary_min and isinstance(salary, int):
        draft.salary_min = salary


def answers_of(journey: Journey) -> dict[str, object]:
    """The draft's answers plus this session's registration education/residence if any."""
    answers = draft_of(journey).answers()
    if journey.has_part(RegistrationDraft):
        form = journey.part(RegistrationDraft).form
        if form.get("education_code"):
            answers["education_code"] = str(form["education_code"])
    return answers


def _form_view(step: str) -> Callable[[Journey], dict[str, object]]:
    def view(journey: Journey) -> dict[str, object]:
        draft = draft_of(journey)
        _from_registration(journey, draft)
        return {"step": step, "card": journey.identity, "answers": answers_of(journey),
                "prefill_done": draft.prefill_done, "phone": session_phone(journey)}
    return view


def _preview_view(journey: Journey) -> dict[str, object]:
    draft = draft_of(journey)
    return {"card": journey.identity, "answers": answers_of(journey), "prefill": draft.prefill,
            "phone": session_phone(journey), "show_name": draft.show_name,
            "show_phone": draft.show_phone, "share": draft.share,
            "print_state": draft.print_state}


def _prefilled(journey: Journey, values: Values) -> Transition:
    draft = draft_of(journey)
    prefill = values.get("prefill")
    draft.prefill = dict(prefill) if isinstance(prefill, dict) else None
    draft.prefill_done = True
    residence = str((draft.prefill or {}).get("residence_division") or "")
    if residence and not draft.wanted_places and divisions.is_known(residence):
        draft.wanted_places.append(residence)        # near home, until the person changes it
    return Stay({"prefill_done": True, "answers": answers_of(journey)})


def _job_added(journey: Journey, values: Values) -> Transition:
    job, years = str(values.get("job", "")), values.get("years")
    if job not in everyday_jobs.BY_ID:
        raise ValueError(f"unknown everyday job {job!r}")
    if isinstance(years, bool) or not isinstance(years, int | float) or not 0 < years <= 60:
        raise ValueError("years must be a number 0–60")
    draft = draft_of(journey)
    draft.past_jobs = [(j, y) for j, y in draft.past_jobs if j != job]   # once per job
    if len(draft.past_jobs) < MAX_ENTRIES:
        draft.past_jobs.append((job, float(years)))
    return Stay({"answers": answers_of(journey)})


def _job_removed(journey: Journey, values: Values) -> Transition:
    index = values.get("index")
    draft = draft_of(journey)
    if isinstance(index, int) and 0 <= index < len(draft.past_jobs):
        del draft.past_jobs[index]
    return Stay({"answers": answers_of(journey)})


def _toggled(journey: Journey, values: Values) -> Transition:
    name, value = str(values.get("field", "")), str(values.get("value", ""))
    if name not in LIST_FIELDS or not value:
        raise ValueError(f"toggled needs field in {LIST_FIELDS} and a value")
    if name == "wanted_jobs" and value not in everyday_jobs.BY_ID:
        raise ValueError(f"unknown everyday job {value!r}")
    if name == "wanted_places" and not divisions.is_known(value):
        raise ValueError(f"unknown Guangdong division {value!r}")
    chosen: list[str] = getattr(draft_of(journey), name)
    if value in chosen:
        chosen.remove(value)
    elif len(chosen) < MAX_ENTRIES:
        chosen.append(value)
    return Stay({"answers": answers_of(journey)})


def _chosen(journey: Journey, values: Values) -> Transition:
    name, value = str(values.get("field", "")), values.get("value")
    draft = draft_of(journey)
    if name == "employment_type":
        if value not in ("", *EMPLOYMENT_TYPES):
            raise ValueError(f"employment_type must be one of {sorted(EMPLOYMENT_TYPES)}")
        draft.employment_type = str(value)
    elif name == "salary_min":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("salary_min must be whole yuan ≥ 0")
        draft.salary_min = value
    else:
        raise ValueError(f"chosen: unknown field {name!r}")
    return Stay({"answers": answers_of(journey)})


def _phone_entered(journey: Journey, values: Values) -> Transition:
    journey.phone = str(values.get("phone", ""))
    draft = draft_of(journey)
    draft.share = None
    return Stay({"phone": journey.phone})


def _ticked(journey: Journey, values: Values) -> Transition:
    draft = draft_of(journey)
    draft.show_name = bool(values.get("show_name", draft.show_name))
    draft.show_phone = bool(values.get("show_phone", draft.show_phone))
    draft.share = None            # the link showed the old paper: make a new one when asked
    return Stay(_preview_view(journey))


def _shared(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    from kiosk.services.resume_handoff import ShareOutcome

    if not isinstance(outcome, ShareOutcome):
        raise TypeError("shared needs outcome=ShareOutcome")
    if outcome.ok:
        draft_of(journey).share = outcome
    return Stay({"share": outcome})


def _printed(journey: Journey, values: Values) -> Transition:
    draft_of(journey).print_state = str(values.get("state", ""))
    return Stay({})


JOURNEY = JourneySpec(
    name="resume",
    title_zh="求职简历",
    identity=IdentityNeed(purposes=("resume",)),
    steps=(Step("resume_jobs", screen="resume_form", needs_identity=True, view=_form_view("jobs")),
           Step("resume_skills", screen="resume_form", view=_form_view("skills")),
           Step("resume_wanted", screen="resume_form", view=_form_view("wanted")),
           Step("resume_preview", view=_preview_view)),
    ends="resume-done",
    events={"prefilled": _prefilled, "job_added": _job_added, "job_removed": _job_removed,
            "toggled": _toggled, "chosen": _chosen, "phone_entered": _phone_entered,
            "ticked": _ticked, "shared": _shared, "printed": _printed},
)
