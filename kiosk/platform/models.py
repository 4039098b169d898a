"""Typed models of the platform API's responses (``docs/openapi.yaml``, components/schemas).

Responses are parsed with pydantic into frozen models; a body that does not fit raises
:class:`~kiosk.platform.errors.PlatformBadResponse` in the client. Unknown extra fields are
ignored (a newer platform may add fields); missing or mistyped required ones are errors.

Vacancies travel in schema.org ``JobPosting`` shape (camelCase, :class:`JobPostingWire`) and are
mapped to the flat domain :class:`~kiosk.domain.vacancy.Vacancy` by :func:`vacancy_from_wire`
and back by :func:`vacancy_to_wire` (used by the sandbox). Every other resource is snake_case.
Times are ISO 8601 strings in UTC with a ``Z`` suffix (``2026-11-30T08:00:00.000000Z``);
dates are ``YYYY-MM-DD``; money is whole yuan (元).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from kiosk.domain.vacancy import Vacancy
from kiosk.platform.wire_base import WireResponse

OCCUPATION_CODE_SET = "职业分类大典2022"
EDUCATION_CODE_SET = "GB/T 4658-2006"
DIVISION_CODE_SET = "GB/T 2260"
SalaryUnit = Literal["MONTH", "DAY", "HOUR", "YEAR", "PIECE"]
Settlement = Literal["DAILY", "WEEKLY", "ON_COMPLETION"]
EmploymentType = Literal["FULL_TIME", "PART_TIME", "TEMPORARY", "INTERN"]


# --- vacancies (schema.org JobPosting) -------------------------------------------------------

class Organization(WireResponse):
    """``hiringOrganization``: name and (optional) 统一社会信用代码 as ``identifier``."""
    name: str
    identifier: str = ""


class JobLocation(WireResponse):
    """``jobLocation``: GB/T 2260 code of the most precise level known, names and address."""
    divisionCode: str = Field(pattern=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})?$")
    addressLocality: str                      # 市 (city)
    district: str = ""                        # 区/县 ("" for 东莞/中山 or unknown)
    town: str = ""                            # 镇/街道
    streetAddress: str = ""
    latitude: float | None = None             # WGS-84 degrees
    longitude: float | None = None


class BaseSalary(WireResponse):
    """``baseSalary`` (MonetaryAmount → QuantitativeValue), whole yuan per ``unitText``; 0 = not stated."""
    currency: Literal["CNY"] = "CNY"
    minValue: int = Field(ge=0)
    maxValue: int = Field(ge=0)
    unitText: SalaryUnit = "MONTH"


class EducationRequirement(WireResponse):
    """``educationRequirements``: lowest GB/T 4658 category accepted ("" = 不限)."""
    credentialCategory: str = Field(pattern=r"^(\d{2})?$")
    inCodeSet: str = EDUCATION_CODE_SET


class OccupationalCategory(WireResponse):
    """``occupationalCategory``: 职业分类大典 code (e.g. ``4-07``) and its name."""
    codeValue: str = ""
    name: str = ""
    inCodeSet: str = OCCUPATION_CODE_SET


class ContactPoint(WireResponse):
    """``applicationContact``: the employer's contact person and phone (shown, never logged)."""
    name: str = ""
    telephone: str = ""


class GigWire(WireResponse):
    """``gig``: a 零工 gig's day (China time), start, duration, places left and settlement."""
    workDate: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    startTime: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    durationHours: float = Field(gt=0, le=24)
    placesLeft: int = Field(ge=0)
    settlement: Settlement


class JobPostingWire(WireResponse):
    """One vacancy on the wire (schema.org JobPosting field meanings, see the contract)."""
    identifier: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1)
    description: str = ""
    hiringOrganization: Organization
    jobLocation: JobLocation
    baseSalary: BaseSalary
    employmentType: EmploymentType = "FULL_TIME"
    educationRequirements: EducationRequirement
    occupationalCategory: OccupationalCategory
    applicationContact: ContactPoint = ContactPoint()
    datePosted: str = ""
    validThrough: str = ""
    dateModified: str
    totalJobOpenings: int = Field(ge=0, default=1)
    publicWelfare: bool = False               # 公益性岗位
    internship: bool = False                  # 就业见习岗位
    keywords: list[str] = []
    gig: GigWire | None = None                # 零工 (absent/null = an ordinary job)


def vacancy_from_wire(w: JobPostingWire) -> Vacancy:
    """The domain :class:`Vacancy` for one wire vacancy (no I/O, no validation beyond the model)."""
    loc = w.jobLocation
    return Vacancy(
        id=w.identifier, title=w.title, employer=w.hiringOrganization.name,
        city=loc.addressLocality, district=loc.district, town=loc.town,
        division_code=loc.divisionCode, address=loc.streetAddress,
        latitude=loc.latitude, longitude=loc.longitude,
        salary_min=w.baseSalary.minValue, salary_max=w.baseSalary.maxValue,
        salary_unit=w.baseSalary.unitText,
        education_code=w.educationRequirements.credentialCategory,
        employment_type=w.employmentType,
        occupation_code=w.occupationalCategory.codeValue,
        occupation_name=w.occupationalCategory.name,
        description=w.description,
        contact_name=w.applicationContact.name, contact_phone=w.applicationContact.telephone,
        date_posted=w.datePosted, valid_through=w.validThrough,
        total_openings=w.totalJobOpenings, public_welfare=w.publicWelfare,
        internship=w.internship, updated_at=w.dateModified, tags=tuple(w.keywords),
        kind="job" if w.gig is None else "gig",
        work_date=w.gig.workDate if w.gig else "", start_time=w.gig.startTime if w.gig else "",
        duration_hours=w.gig.durationHours if w.gig else 0.0,
        places_left=w.gig.placesLeft if w.gig else 0, settlement=w.gig.settlement if w.gig else "")


def vacancy_to_wire(v: Vacancy) -> dict[str, Any]:
    """The JSON object (JobPosting shape) for a domain :class:`Vacancy`."""
    return {
        "identifier": v.id, "title": v.title, "description": v.description,
        "hiringOrganization": {"name": v.employer, "identifier": ""},
        "jobLocation": {"divisionCode": v.division_code, "addressLocality": v.city,
                        "district": v.district, "town": v.town, "streetAddress": v.address,
                        "latitude": v.latitude, "longitude": v.longitude},
        "baseSalary": {"currency": "CNY", "minValue": v.salary_min, "maxValue": v.salary_max,
                       "unitText": v.salary_unit},
        "employmentType": v.employment_type,
        "educationRequirements": {"credentialCategory": v.education_code,
                                  "inCodeSet": EDUCATION_CODE_SET},
        "occupationalCategory": {"codeValue": v.occupation_code, "name": v.occupation_name,
                                 "inCodeSet": OCCUPATION_CODE_SET},
        "applicationContact": {"name": v.contact_name, "telephone": v.contact_phone},
        "datePosted": v.date_posted, "validThrough": v.valid_through,
        "dateModified": v.updated_at, "totalJobOpenings": v.total_openings,
        "publicWelfare": v.public_welfare, "internship": v.internship,
        "keywords": list(v.tags),
        "gig": {"workDate": v.work_date, "startTime": v.start_time,
                "durationHours": v.duration_hours, "placesLeft": v.places_left,
                "settlement": v.settlement} if v.is_gig else None,
    }


class VacancyListWire(WireResponse):
    """Body of ``GET /v1/vacancies``."""
    items: list[JobPostingWire]
    deleted_ids: list[str]
    next_cursor: str | None
    server_time: str


@dataclass(frozen=True)
class VacancyPage:
    """One page of a delta sync, as the client returns it.

    ``not_modified`` is True when the platform answered 304 to ``If-None-Match: etag``: then
    ``items``/``deleted_ids`` are empty, ``next_cursor`` is None and the caller keeps its state.
    ``server_time`` is the watermark to pass as ``updated_since`` once ``next_cursor`` is None.
    """
    items: list[Vacancy]
    deleted_ids: list[str]
    next_cursor: str | None
    server_time: str
    etag: str | None
    not_modified: bool = False


# --- other resources -------------------------------------------------------------------------

class StationInfo(WireResponse):
    """``GET /v1/station``: the station this terminal belongs to and per-platform parameters."""
    terminal_id: str
    name: str
    name_en: str = ""
    division_code: str
    address: str
    hotline: str
    complaint: str = "12333"
    opening_hours: str = ""
    latitude: float | None = None
    longitude: float | None = None
    verify_url_template: str = Field(pattern=r"\{referral_id\}")
    lookup_salt: str = Field(min_length=8)
    server_time: str

    def verify_url(self, referral_id: str, secret: bytes = b"") -> str:
        """The employer's verification URL for a referral id (printable before delivery);
        ``secret`` is the device secret that makes ``{verify_token}``.

        Raises:
            ValueError: see :func:`kiosk.platform.signing.fill_verify_url`.
        """
        from kiosk.platform.signing import fill_verify_url

        return fill_verify_url(self.verify_url_template, referral_id, secret)


class SalaryWire(WireResponse):
    """An expected salary: whole yuan ``min``–``max`` per ``unit``."""
    min: int = Field(ge=0)
    max: int = Field(ge=0)
    unit: Literal["MONTH", "DAY", "HOUR", "YEAR"] = "MONTH"


class RegistrationAnswers(WireResponse):
    """The last registration's answers (``RegistrationAnswers``): pre-fill for 更新登记信息.
    The phone only masked; no 重点群体 (sensitive: asked afresh with their own consent)."""
    phone_masked: str = ""
    education_code: str = Field(default="", pattern=r"^(\d{2})?$")
    desired_occupations: list[str] = Field(default=[], max_length=5)
    desired_divisions: list[str] = Field(default=[], max_length=5)
    expected_salary: SalaryWire | None = None
    employment_type: str = "FULL_TIME"
    availability: Literal["immediately", "within_week", "within_month"] = "immediately"


class LookupResult(WireResponse):
    """``GET /v1/jobseekers/lookup``: whether a person is already registered (已登记), with
    the earlier answers when the platform gives them."""
    registered: bool
    registration_no: str | None = None
    registered_at: str | None = None
    valid_until: str | None = None
    answers: RegistrationAnswers | None = None


class RegistrationResult(WireResponse):
    """``POST /v1/jobseekers/registrations`` reply (201 created, 200 updated/already)."""
    registration_no: str
    status: Literal["created", "updated", "already_registered"]
    registered_at: str
    valid_until: str


class ReferralResult(WireResponse):
    """``POST /v1/referrals`` reply."""
    referral_id: str
    verify_url: str
    valid_until: str
    status: Literal["issued", "confirmed", "expired"] = "issued"


class ReferralStatus(WireResponse):
    """``GET /v1/referrals/{referral_id}``: the follow-up state an employer confirmed."""
    referral_id: str
    vacancy_id: str
    status: Literal["issued", "confirmed", "expired"]
    issued_at: str
    valid_until: str
    confirmed_at: str | None = None
    hired: bool | None = None


class Policy(WireResponse):
    """A policy article (就业创业政策) shown on the kiosk."""
    id: str
    title: str
    summary: str = ""
    body: str = ""
    url: str = ""
    category: str = ""
    updated_at: str = ""


class Course(WireResponse):
    """A subsidised training course (职业技能培训) shown on the kiosk."""
    id: str
    title: str
    provider: str = ""
    address: str = ""
    start_date: str = ""
    hours: int = 0
    subsidy: str = ""
    summary: str = ""
    signup_url: str = ""


class PolicyListWire(WireResponse):
    items: list[Policy]


class CourseListWire(WireResponse):
    items: list[Course]


class AssistanceTicket(WireResponse):
    """``POST /v1/assistance-requests`` reply: the ticket the station follows up."""
    ticket_no: str
    kind: str
    status: Literal["received", "in_progress", "closed"] = "received"
    created_at: str
    follow_up: str = ""


ApplicationState = Literal["submitted", "preliminary_review", "public_notice", "final_review",
                           "certified", "refused", "cancelled", "accepted", "completed",
                           "not_accepted", "needs_materials"]


class ApplicationTimeLimit(WireResponse):
    """The office's case-handling time limit (工作日) and its wording."""
    working_days: int = Field(ge=0)
    text: str


class ApplicationStep(WireResponse):
    state: ApplicationState
    at: str


class Application(WireResponse):
    """``POST /v1/applications`` and ``GET /v1/applications/{application_no}``: one 办件 and its
    case state (states and meanings: :mod:`kiosk.domain.applications`). Holds no personal data
    and none of the sensitive answers sent."""
    application_no: str
    kind: Literal["unemployment_registration", "flexible_employment_registration",
                  "hardship_certification"]
    state: ApplicationState
    state_label: str
    submitted_at: str
    updated_at: str
    time_limit: ApplicationTimeLimit
    reason: str | None = None
    missing_items: list[str] = []
    appeal_until: str | None = None
    progress_url: str
    history: list[ApplicationStep] = []


class ApplicationList(WireResponse):
    """``GET /v1/applications?id_number_hash=…``: one person's applications, newest first."""
    items: list[Application]


class ApplicationPrefill(WireResponse):
    """``GET /v1/applications/prefill``: what the platform already knows about the person
    (divisions GB/T 2260, education GB/T 4658); ``known`` False = nothing (all null)."""
    known: bool
    hukou_division: str | None = None
    residence_division: str | None = None
    education_code: str | None = None
    registration_status: Literal["none", "registered_unemployed", "flexible_employment",
                                 "employed"] = "none"
    last_unemployment_registration: str | None = None
    hardship_certified: bool = False


class WorkOrder(WireResponse):
    """The follow-up a 差评 becomes at the platform (核实—整改—反馈): its number and the time by
    which the station must answer the jobseeker."""
    work_order_no: str
    status: Literal["open", "answered", "closed"] = "open"
    reply_due: str


class RatingResult(WireResponse):
    """``POST /v1/ratings`` reply (好差评): the rating's id; ``work_order`` for levels 1–2."""
    rating_id: str
    transaction_no: str
    level: int = Field(ge=1, le=5)
    status: Literal["recorded"] = "recorded"
    work_order: WorkOrder | None = None


PostingState = Literal["pending_review", "published", "rejected", "withdrawn", "expired"]


class PostingReceipt(WireResponse):
    """``POST /v1/employer-postings`` reply: the posting number, 待审核, where to manage it."""
    posting_no: str
    status: Literal["pending_review"] = "pending_review"
    received_at: str
    manage_url: str


class PostingStatus(WireResponse):
    """One posting's audit state (``kiosk.domain.postings.AUDIT_STATES``) and, when rejected,
    the reason the employer reads; ``places_left`` for a published gig (over its open days);
    ``work_dates`` every day of a gig, ``vacancy_ids`` one vacancy per open day."""
    posting_no: str
    status: PostingState
    reason: str | None = None
    title: str
    kind: Literal["job", "gig"]
    headcount: int = Field(ge=1)
    work_date: str | None = None
    work_dates: list[str] = []
    places_left: int | None = Field(default=None, ge=0)
    vacancy_id: str | None = None
    vacancy_ids: list[str] = []
    received_at: str
    updated_at: str
    published_at: str | None = None


class PostingListWire(WireResponse):
    items: list[PostingStatus]


class GigSignup(WireResponse):
    """``POST /v1/vacancies/{id}/signups`` reply: the sign-up number and the places left."""
    signup_no: str
    vacancy_id: str
    status: Literal["confirmed"] = "confirmed"
    places_left: int = Field(ge=0)
    signed_up_at: str


class HeartbeatReply(WireResponse):
    """``POST /v1/devices/heartbeat`` reply: remote settings ("section.key" -> value) and notices."""
    server_time: str
    settings: dict[str, str | int | float | bool] = {}
    notices: list[str] = []


class PingReply(WireResponse):
    server_time: str


class Problem(WireResponse):
    """RFC 9457 problem details (application/problem+json) with the extension ``code``."""
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    code: str
    instance: str | None = None
