"""求职简历 on the receipt printer: the résumé model (from its JSON form) and its layout.

Same machinery as the referral slip (``docs/printing.md``): every line goes through
:func:`~kiosk.services.slip.text.printable` and the column wrapper, and the layout is encoded by
:func:`~kiosk.services.slip.encode.encode_slip` (GB18030 in Chinese mode, native or raster QR).
JSON keys: ``docs/resume.md``; example ``assets/demo/resume.example.json``.

Privacy (the résumé is for employers):

* the name and the phone number are printed **only** when ``show_name`` / ``show_phone`` are
  true (the person ticked them on the preview screen);
* the ID number is **never** printed: :meth:`Resume.from_json` accepts ``person.id_number``
  (registration data carries it) but does not keep it, and any ID number typed into a free-text
  field is replaced by "******";
* the address is printed only as the GB/T 2260 district (广州市天河区), never the street address.

Order: title, personal block (姓名, 性别, 年龄, 学历, 现居住, 联系电话), 工作经历 (everyday job name +
years), 技能特长, 证书, 求职意向 (jobs, places, 用工形式, 期望薪资, 其他要求), 自我介绍, the QR of the
phone hand-off link (optional), the footer (station, date).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.devices.printer.profile import PaperProfile
from kiosk.domain.codes import divisions, education, everyday_jobs
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.eligibility import age_on
from kiosk.domain.masking import ID_NUMBER_RE
from kiosk.domain.vacancy import EDUCATION_NAMES, EMPLOYMENT_TYPES, SALARY_UNITS
from kiosk.services.slip.errors import SlipError
from kiosk.services.slip.layout import SlipBuilder, SlipLayout, SlipQr

RESUME_TITLE = "求职简历"
QR_CAPTION = "扫码在手机上查看简历"
TOP_KEYS = ("station", "created_on", "person", "show_name", "show_phone", "past_jobs",
            "skills", "certificates", "wanted", "self_intro", "share_url")
PERSON_KEYS = ("name", "id_number", "phone", "gender", "birth_date", "education_code",
               "residence_division")
WANTED_KEYS = ("jobs", "places", "employment_type", "salary_min", "salary_unit", "note")
GENDERS = {"female": "女", "male": "男", "": ""}
MAX_LIST = 10
MAX_TEXT = 200


class ResumeFormatError(SlipError, ValueError):
    """The résumé JSON is wrong. ``field`` is a dotted path such as "past_jobs[0].years"."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"resume {field}: {reason}" if field else f"resume: {reason}")


@dataclass(frozen=True)
class PastJob:
    """An earlier job: everyday job id (:mod:`kiosk.domain.codes.everyday_jobs`) and years."""

    job: str
    years: float

    @property
    def text(self) -> str:
        name = everyday_jobs.get(self.job).name
        return f"{name}  {'不满1年' if self.years < 1 else f'{self.years:g}年'}"


@dataclass(frozen=True)
class Resume:
    """A résumé ready to lay out. Personal fields are excluded from ``repr``; there is no ID
    number field at all."""

    station_name: str
    created_on: date
    name: str = field(repr=False)
    phone: str = field(repr=False)
    show_name: bool
    show_phone: bool
    gender: str = ""
    birth_date: date | None = field(default=None, repr=False)
    education_code: str = ""
    residence_division: str = ""
    past_jobs: tuple[PastJob, ...] = ()
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    wanted_jobs: tuple[str, ...] = ()
    wanted_places: tuple[str, ...] = ()
    employment_type: str = ""
    salary_min: int = 0
    salary_unit: str = "MONTH"
    wanted_note: str = ""
    self_intro: str = ""
    share_url: str = ""

    @classmethod
    def from_json(cls, data: Any) -> Resume:
        """Validate the JSON mapping (keys in ``docs/resume.md``; unknown keys refused).

        Raises:
            ResumeFormatError: a missing or unknown key, a wrong type, an unknown code (job id,
                GB/T 4658, GB/T 2260 Guangdong division, 用工形式, pay unit), a bad date.
        """
        top = _object(data, "")
        _only(top, TOP_KEYS, "")
        station = _object(top.get("station"), "station")
        _only(station, ("name",), "station")
        person = _object(top.get("person"), "person")
        _only(person, PERSON_KEYS, "person")
        id_number = _text(person, "id_number", "person", required=False)
        scrub = _Scrubber(id_number)
        created = _date(top, "created_on", "", required=True)
        if created is None:  # required=True never returns None; keeps the type exact
            raise ResumeFormatError("created_on", "is missing")
        birth = _date(person, "birth_date", "person", required=False)
        if birth is not None and birth > created:
            raise ResumeFormatError("person.birth_date", "is after created_on")
        gender = _text(person, "gender", "person", required=False)
        if gender not in GENDERS:
            raise ResumeFormatError("person.gender", "must be \"female\", \"male\" or \"\"")
        edu = _text(person, "education_code", "person", required=False)
        if edu:
            try:
                education.group_of(edu)
            except CodeError as exc:
                raise ResumeFormatError("person.education_code", "is not a GB/T 4658 code") from exc
        residence = _text(person, "residence_division", "person", required=False)
        if residence and not divisions.is_known(residence):
            raise ResumeFormatError("person.residence_division", "is not a Guangdong GB/T 2260 code")
        jobs = []
        for i, raw in enumerate(_list(top, "past_jobs", "")):
            where = f"past_jobs[{i}]"
            entry = _object(raw, where)
            _only(entry, ("job", "years"), where)
            job = _job_id(entry.get("job"), f"{where}.job")
            years = entry.get("years")
            if isinstance(years, bool) or not isinstance(years, int | float) or not 0 <= years <= 60:
                raise ResumeFormatError(f"{where}.years", "must be a number of years 0–60")
            jobs.append(PastJob(job, float(years)))
        wanted = _object(top.get("wanted", {}), "wanted")
        _only(wanted, WANTED_KEYS, "wanted")
        wanted_jobs = tuple(_job_id(j, f"wanted.jobs[{i}]")
                            for i, j in enumerate(_list(wanted, "jobs", "wanted")))
        places = tuple(_list(wanted, "places", "wanted"))
        for i, place in enumerate(places):
            if not isinstance(place, str) or not divisions.is_known(place):
                raise ResumeFormatError(f"wanted.places[{i}]", "is not a Guangdong GB/T 2260 code")
        employment = _text(wanted, "employment_type", "wanted", required=False)
        if employment and employment not in EMPLOYMENT_TYPES:
            raise ResumeFormatError("wanted.employment_type",
                                    f"must be one of {sorted(EMPLOYMENT_TYPES)}")
        salary = wanted.get("salary_min", 0)
        if isinstance(salary, bool) or not isinstance(salary, int) or salary < 0:
            raise ResumeFormatError("wanted.salary_min", "must be a whole number ≥ 0 (yuan)")
        unit = _text(wanted, "salary_unit", "wanted", required=False) or "MONTH"
        if unit not in SALARY_UNITS:
            raise ResumeFormatError("wanted.salary_unit", f"must be one of {sorted(SALARY_UNITS)}")
        share_url = _text(top, "share_url", "", required=False)
        if share_url and (not share_url.isascii() or not share_url.startswith(("https://", "http://"))):
            raise ResumeFormatError("share_url", "must be an http(s) URL in ASCII")
        return cls(
            station_name=_text(station, "name", "station", required=True),
            created_on=created,
            name=_text(person, "name", "person", required=False),
            phone=_text(person, "phone", "person", required=False),
            show_name=_bool(top, "show_name"), show_phone=_bool(top, "show_phone"),
            gender=gender, birth_date=birth, education_code=edu, residence_division=residence,
            past_jobs=tuple(jobs),
            skills=tuple(scrub(s) for s in _texts(top, "skills")),
            certificates=tuple(scrub(s) for s in _texts(top, "certificates")),
            wanted_jobs=wanted_jobs, wanted_places=places, employment_type=employment,
            salary_min=salary, salary_unit=unit,
            wanted_note=scrub(_text(wanted, "note", "wanted", required=False)),
            self_intro=scrub(_text(top, "self_intro", "", required=False)),
            share_url=share_url,
        )


class _Scrubber:
    """Removes ID numbers (GB 11643 pattern, and the person's own number) from free text."""

    def __init__(self, id_number: str) -> None:
        self.id_number = id_number.strip().upper()

    def __call__(self, text: str) -> str:
        if self.id_number:
            text = text.replace(self.id_number, "******").replace(self.id_number.lower(), "******")
        return ID_NUMBER_RE.sub("******", text)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ResumeFormatError(where, "must be an object")
    return value


def _only(data: Mapping[str, Any], keys: tuple[str, ...], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in keys)
    if unknown:
        raise ResumeFormatError(f"{where}.{unknown[0]}" if where else unknown[0], "is not a résumé key")


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool) -> str:
    name = f"{where}.{key}" if where else key
    value = data.get(key, None if required else "")
    if value is None:
        raise ResumeFormatError(name, "is missing")
    if not isinstance(value, str):
        raise ResumeFormatError(name, "must be text")
    if required and not value.strip():
        raise ResumeFormatError(name, "is empty")
    if len(value) > MAX_TEXT:
        raise ResumeFormatError(name, f"is longer than {MAX_TEXT} characters")
    return value.strip()


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise ResumeFormatError(key, "must be true or false (what the person ticked)")
    return value


def _date(data: Mapping[str, Any], key: str, where: str, *, required: bool) -> date | None:
    name = f"{where}.{key}" if where else key
    value = _text(data, key, where, required=required)
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ResumeFormatError(name, "must be a date YYYY-MM-DD") from exc


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    name = f"{where}.{key}" if where else key
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ResumeFormatError(name, "must be a list")
    if len(value) > MAX_LIST:
        raise ResumeFormatError(name, f"has more than {MAX_LIST} entries")
    return value


def _texts(data: Mapping[str, Any], key: str) -> list[str]:
    values = _list(data, key, "")
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise ResumeFormatError(f"{key}[{i}]", "must be non-empty text")
    return [v.strip() for v in values]


def _job_id(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in everyday_jobs.BY_ID:
        raise ResumeFormatError(where, "is not an everyday job id (kiosk/domain/codes/everyday_jobs.py)")
    return value


def _joined(values: tuple[str, ...]) -> str:
    return "、".join(values)


def layout_resume(resume: Resume, profile: PaperProfile) -> SlipLayout:
    """Lay out ``resume`` for ``profile.columns`` columns (58 mm: 32, 80 mm: 48).

    Returns:
        A :class:`~kiosk.services.slip.layout.SlipLayout` for :func:`encode_slip`.
    """
    b = SlipBuilder(profile.columns)
    b.block(RESUME_TITLE, align="center", bold=True, width=2, height=2)
    b.rule()
    if resume.show_name:
        b.field("姓名", resume.name)
    b.field("性别", GENDERS[resume.gender])
    if resume.birth_date is not None:
        b.field("年龄", f"{age_on(resume.birth_date, resume.created_on)}岁")
    if resume.education_code:
        b.field("学历", EDUCATION_NAMES[education.group_of(resume.education_code)])
    if resume.residence_division:
        b.field("现居住", divisions.full_name(resume.residence_division))
    if resume.show_phone:
        b.field("联系电话", resume.phone, identifier=True)
    if resume.past_jobs:
        b.rule()
        b.block("工作经历", bold=True)
        for job in resume.past_jobs:
            b.block("· " + job.text)
    if resume.skills or resume.certificates:
        b.rule()
        b.field("技能特长", _joined(resume.skills))
        b.field("证书", _joined(resume.certificates))
    wanted = (resume.wanted_jobs or resume.wanted_places or resume.employment_type
              or resume.salary_min or resume.wanted_note)
    if wanted:
        b.rule()
        b.block("求职意向", bold=True)
        b.field("想做", _joined(tuple(everyday_jobs.get(j).name for j in resume.wanted_jobs)))
        b.field("工作地点", _joined(tuple(divisions.full_name(p) for p in resume.wanted_places)))
        b.field("用工形式", EMPLOYMENT_TYPES.get(resume.employment_type, ""))
        if resume.salary_min:
            b.field("期望薪资", f"{resume.salary_min}{SALARY_UNITS[resume.salary_unit]}以上")
        b.field("其他要求", resume.wanted_note)
    if resume.self_intro:
        b.rule()
        b.block("自我介绍", bold=True)
        b.block(resume.self_intro)
    b.rule()
    if resume.share_url:
        b.items.append(SlipQr(resume.share_url))
        b.block(QR_CAPTION, align="center")
    b.block(resume.station_name, align="center")
    b.block(f"{resume.created_on.isoformat()} 自助终端制作", align="center")
    return SlipLayout(tuple(b.items), profile.columns, b.substituted)
