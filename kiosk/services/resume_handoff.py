"""求职简历 at the kiosk: the résumé made from this session's data, its paper layout (what the
preview screen shows line for line), printing it, and handing it to the phone.

:func:`resume_json` assembles the ``docs/resume.md`` JSON from the identity (gender, birth date;
the name and phone only as the person ticks them), what the platform already knows
(``GET /v1/applications/prefill``: education, district of residence — as the 就业援助 forms are
prefilled), this session's 求职登记 answers, and the pick-list steps; :meth:`Resume.from_json`
then validates it, so the screen, the paper and the phone all come from one checked
:class:`~kiosk.services.slip.resume.Resume`.

:func:`share_payload` turns that résumé into the contract's ``ResumeShareRequest`` (texts as
printed; the request has no ID-number field at all) and :class:`ResumeHandoff.share` sends it:
the platform answers the PDF link the screen shows as a QR. Nothing is kept on the terminal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.devices.printer.profile import PaperProfile
from kiosk.domain.codes import divisions, education, everyday_jobs
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.eligibility import age_on
from kiosk.domain.vacancy import EDUCATION_NAMES, EMPLOYMENT_TYPES, SALARY_UNITS
from kiosk.services.phone_link import REFUSED, Failure, PhoneLink, ask_platform
from kiosk.services.slip.layout import SlipLayout
from kiosk.services.slip.printing import PrintResult, ReceiptPrinter
from kiosk.services.slip.resume import GENDERS, Resume, layout_resume

if TYPE_CHECKING:  # the wire models are imported on first use (issue 23: start-up)
    from kiosk.platform.guidance_wire import ResumeShare

log = logging.getLogger(__name__)


class Person(Protocol):
    """The session's identity (``IdentityCard``)."""

    name: str
    id_number: str
    gender_code: str          # GB/T 2261.1: 1 男, 2 女
    birth_date: Any


class SharePlatform(Protocol):
    def share_resume(self, payload: dict[str, Any], idempotency_key: str | None = None
                     ) -> ResumeShare: ...


#: The résumé's phone link (:class:`~kiosk.services.phone_link.PhoneLink`: ``url``,
#: ``expires_at``), or a Chinese/English message why not.
ShareOutcome = PhoneLink


OFFLINE = ShareOutcome(message_zh="网络暂不可用，暂时不能发到手机，请打印纸质简历",
                       message_en="The network is unavailable; please print the résumé instead")


def _gender(person: Person) -> str:
    """``male`` / ``female`` from the card's GB/T 2261.1 code ("" for 0 未知, 9 未说明)."""
    return {"1": "male", "2": "female"}.get(str(getattr(person, "gender_code", "") or ""), "")


def resume_json(person: Person, *, station_name: str, today: date, show_name: bool,
                show_phone: bool, phone: str, answers: Mapping[str, Any],
                prefill: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``docs/resume.md`` JSON of this session's résumé.

    ``answers`` (the journey's pick-list steps): ``past_jobs`` [(job id, years)], ``skills``,
    ``certificates``, ``wanted_jobs``, ``wanted_places`` (GB/T 2260), ``employment_type``,
    ``salary_min`` (yuan per month), and optionally ``education_code`` /
    ``residence_division`` (this session's registration form). ``prefill`` is the platform's
    ``ApplicationPrefill`` as a dict (or None). The ID number is passed on only so that
    :meth:`Resume.from_json` scrubs it from free text; it is never printed.
    """
    known = dict(prefill or {})
    birth = getattr(person, "birth_date", None)
    edu = str(answers.get("education_code") or known.get("education_code") or "")
    residence = str(answers.get("residence_division") or known.get("residence_division") or "")
    if residence and not divisions.is_known(residence):
        residence = ""
    if edu:
        try:
            education.group_of(edu)
        except CodeError:          # an unknown code from the platform is left out
            edu = ""
    data: dict[str, Any] = {
        "station": {"name": station_name},
        "created_on": today.isoformat(),
        "person": {"name": person.name, "id_number": person.id_number,
                   "phone": phone, "gender": _gender(person),
                   "birth_date": birth.isoformat() if isinstance(birth, date) else "",
                   "education_code": edu, "residence_division": residence},
        "show_name": show_name, "show_phone": bool(show_phone and phone),
        "past_jobs": [{"job": job, "years": years} for job, years in answers.get("past_jobs", ())],
        "skills": list(answers.get("skills", ())),
        "certificates": list(answers.get("certificates", ())),
        "wanted": {"jobs": list(answers.get("wanted_jobs", ())),
                   "places": list(answers.get("wanted_places", ())),
                   "employment_type": str(answers.get("employment_type", "") or ""),
                   "salary_min": int(answers.get("salary_min", 0) or 0),
                   "salary_unit": "MONTH"},
    }
    if isinstance(birth, date) and birth > today:
        data["person"]["birth_date"] = ""
    return data


def make_resume(person: Person, **kwargs: Any) -> Resume:
    """:func:`resume_json` validated (raises ``ResumeFormatError`` for a wrong answer)."""
    return Resume.from_json(resume_json(person, **kwargs))


def paper_lines(resume: Resume, profile: PaperProfile) -> tuple[str, ...]:
    """The résumé's lines exactly as the printer lays them out (the preview shows these)."""
    return layout_resume(resume, profile).lines


def share_payload(resume: Resume) -> dict[str, Any]:
    """The contract's ``ResumeShareRequest`` for ``resume``: what the paper shows, as texts.
    The name and phone are present only when ticked; there is no ID number field."""
    person: dict[str, Any] = {"gender": GENDERS[resume.gender]}
    if resume.show_name and resume.name:
        person["name"] = resume.name
    if resume.show_phone and resume.phone:
        person["phone"] = resume.phone
    if resume.birth_date is not None:
        person["age"] = age_on(resume.birth_date, resume.created_on)
    if resume.education_code:
        person["education"] = EDUCATION_NAMES[education.group_of(resume.education_code)]
    if resume.residence_division:
        person["residence"] = divisions.full_name(resume.residence_division)
    salary = (f"{resume.salary_min}{SALARY_UNITS[resume.salary_unit]}以上"
              if resume.salary_min else "")
    return {
        "station_name": resume.station_name, "created_on": resume.created_on.isoformat(),
        "person": person,
        "past_jobs": [{"job": everyday_jobs.get(j.job).name, "years": j.years}
                      for j in resume.past_jobs],
        "skills": [s[:40] for s in resume.skills],
        "certificates": [c[:40] for c in resume.certificates],
        "wanted": {"jobs": [everyday_jobs.get(j).name for j in resume.wanted_jobs],
                   "places": [divisions.full_name(p)[:40] for p in resume.wanted_places],
                   "employment_type": EMPLOYMENT_TYPES.get(resume.employment_type, ""),
                   "salary": salary, "note": resume.wanted_note},
        "self_intro": resume.self_intro,
    }


class ResumeHandoff:
    """Print the résumé or hand it to the phone.

    Args:
        platform: returns the platform client (None while it is not built).
    """

    def __init__(self, platform: Callable[[], SharePlatform | None]) -> None:
        self._platform = platform

    def share(self, resume: Resume, idempotency_key: str | None = None) -> ShareOutcome:
        """Send the résumé as printed → the PDF link (blocks: call off the UI thread)."""
        share = ask_platform(self._platform,
                             lambda client: client.share_resume(share_payload(resume),
                                                                idempotency_key),
                             "résumé not shared")
        if share is REFUSED:
            return ShareOutcome(message_zh="简历暂时不能发到手机，请打印纸质简历",
                                message_en="The résumé cannot be sent to the phone; please print it")
        if isinstance(share, Failure):
            return OFFLINE
        return ShareOutcome(url=share.url, expires_at=share.expires_at)

    @staticmethod
    def print_resume(printer: ReceiptPrinter, resume: Resume,
                     on_done: Callable[[PrintResult | None, Exception | None], None] | None = None,
                     ) -> Future[PrintResult]:
        """Lay out ``resume`` for the printer's paper (58 or 80 mm) and print it on the
        printer's worker (never blocks); ``on_done(result, error)`` as for every slip."""
        layout: SlipLayout = layout_resume(resume, printer.profile)
        return printer.submit_layout(layout, "resume", on_done)

def preview_png(resume: Resume, profile: PaperProfile) -> bytes:
    """The PNG of the paper exactly as the printer would print it (the ESC/POS bytes of
    :func:`layout_resume` rendered by the preview printer's renderer): what the preview screen
    shows. Blocks ~0.1–0.5 s (font rendering): call off the UI thread.

    Raises:
        PreviewRenderError: no CJK font for the renderer.
    """
    import io

    from kiosk.devices.printer.render import render_escpos
    from kiosk.services.slip import encode_slip

    image = render_escpos(encode_slip(layout_resume(resume, profile), profile), profile)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
