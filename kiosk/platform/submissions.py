"""Request bodies the kiosk sends (``docs/openapi.yaml`` *Request schemas), as pydantic models.

The sandbox validates incoming bodies with these (422 ``invalid_request`` on a mismatch) and a
service may call :func:`check_payload` before queueing a write in the outbox, so a malformed
payload fails at the kiosk instead of dead-lettering later. Unknown fields are refused
(``extra="forbid"``) to catch typos, and integers must be JSON integers (:data:`JsonInt`: ``5``
or ``5.0``, never ``"5"``, ``5.5`` or ``true``), as JSON Schema's ``type: integer`` says.
Codes: education GB/T 4658-2006 category or item (2 digits), divisions GB/T 2260, occupations
职业分类大典 (``4-07`` or ``4-07-02-01``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, Field, RootModel, StrictBool,
                      ValidationError, field_validator)

from kiosk.platform.wire_base import WireRequest

KEY_GROUPS = {
    "college_graduate": "高校毕业生", "migrant_worker": "农民工", "veteran": "退役军人",
    "poverty_alleviated": "脱贫人口", "employment_difficulty": "就业困难人员",
    "disabled": "残疾人", "unemployed": "失业人员",
}
ASSISTANCE_KINDS = {
    "unemployment_registration": "失业登记",
    "employment_difficulty_certification": "就业困难人员认定",
    "subsidy_application": "补贴申领",
    "career_guidance_appointment": "职业指导预约",
}
KeyGroup = Literal["college_graduate", "migrant_worker", "veteran", "poverty_alleviated",
                   "employment_difficulty", "disabled", "unemployed"]
AssistanceKind = Literal["unemployment_registration", "employment_difficulty_certification",
                         "subsidy_application", "career_guidance_appointment"]
PHONE = r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$"


def _json_integer(value: Any) -> Any:
    """JSON Schema's ``integer``: a number with no fraction (``5.0`` counts); not a string/bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a JSON integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a JSON integer")
        return int(value)
    return value


#: An ``int`` field that accepts exactly what JSON Schema ``type: integer`` accepts.
JsonInt = Annotated[int, BeforeValidator(_json_integer)]


def _json_number(value: Any) -> Any:
    """JSON Schema's ``number``: an int or float, never a string or a boolean."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a JSON number")
    return float(value)


#: A ``float`` field that accepts exactly what JSON Schema ``type: number`` accepts.
JsonNumber = Annotated[float, BeforeValidator(_json_number)]


class Identity(WireRequest):
    """The identity as read from the card (GB 11643 number or foreign permanent-residence number)."""
    document_type: Literal["resident_id", "hk_mo_tw_residence", "foreign_permanent"] = "resident_id"
    id_number: str = Field(pattern=r"^[0-9A-Z]{15,18}$")
    name: str = Field(min_length=1, max_length=120)
    sex: Literal["male", "female"]
    birth_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    ethnicity_code: str = ""                     # GB/T 3304, "" for non-resident documents


class ExpectedSalary(WireRequest):
    min: JsonInt = Field(ge=0)
    max: JsonInt = Field(ge=0)
    unit: Literal["MONTH", "DAY", "HOUR", "YEAR"] = "MONTH"


class Consent(WireRequest):
    """The consent record (PIPL Art. 14/29): which text, its digest, when, for which purposes."""
    version: str = Field(min_length=1)
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    accepted_at: str
    purposes: list[Literal["registration", "referral", "assistance", "sensitive_key_group",
                         "fair_signup", "guidance_booking"]] = \
        Field(min_length=1)


class RegistrationRequest(WireRequest):
    """``POST /v1/jobseekers/registrations`` (求职登记)."""
    identity: Identity
    phone: str = Field(pattern=PHONE)
    education_code: str = Field(pattern=r"^\d{2}$")
    desired_occupations: list[str] = Field(default=[], max_length=5)
    desired_divisions: list[str] = Field(default=[], max_length=5)
    expected_salary: ExpectedSalary | None = None
    employment_type: Literal["FULL_TIME", "PART_TIME", "TEMPORARY", "INTERN"] = "FULL_TIME"
    key_groups: list[KeyGroup] = []
    availability: Literal["immediately", "within_week", "within_month"] = "immediately"  # 到岗时间
    consent: Consent


class ReferralJobseeker(WireRequest):
    id_number: str = Field(pattern=r"^[0-9A-Z]{15,18}$")
    name: str = Field(min_length=1, max_length=120)
    phone: str = Field(default="", pattern=PHONE + r"|^$")


class ReferralRequest(WireRequest):
    """``POST /v1/referrals`` (推荐就业): the id is made by the kiosk, ``<terminal>-<YYYYMMDD>-<seq>``."""
    referral_id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*-\d{8}-\d{4}$", max_length=64)
    vacancy_id: str = Field(min_length=1, max_length=64)
    jobseeker: ReferralJobseeker
    issued_at: str
    registration_no: str | None = None


class AssistanceRequest(WireRequest):
    """``POST /v1/assistance-requests`` (失业登记, 就业困难人员认定, 补贴申领, 职业指导预约)."""
    kind: AssistanceKind
    jobseeker: ReferralJobseeker
    note: str = Field(default="", max_length=500)
    preferred_time: str = ""
    consent: Consent


def _iso_date(value: str) -> str:
    """``YYYY-MM-DD`` that is a real calendar date (OpenAPI ``format: date``)."""
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("must be a calendar date YYYY-MM-DD") from exc
    return value


#: ``format: date`` with ASCII digits only.
IsoDate = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), AfterValidator(_iso_date)]
Division6 = Annotated[str, Field(pattern=r"^[0-9]{6}$")]
UnemploymentReason = Literal["10", "20", "21", "22", "23", "24", "31", "32", "33", "40", "50",
                             "60", "70", "90"]
#: what makes an application carry sensitive personal information (PIPL 第二十八条): 残疾 (health
#: group 6 / disability details), 刑满释放 (失业原因 70), and 就业困难 categories 2, 3, 8, 9, 10.
SENSITIVE_HARDSHIP_CATEGORIES = frozenset({2, 3, 8, 9, 10})
SENSITIVE_UNEMPLOYMENT_REASONS = frozenset({"70"})


class DisabilityDetails(WireRequest):
    """残疾类别/等级 (GB/T 26341-2010; 退役军人 伤残等级 01–10 for ``veteran_injury_certificate``)."""
    document_type: Literal["disability_certificate", "veteran_injury_certificate"]
    category: Literal["1", "2", "3", "4", "5", "6", "7"]
    grade: str = Field(pattern=r"^([1-4]|0[1-9]|10)$")


class UnemploymentDetails(WireRequest):
    """失业登记 form: 失业原因 (14-code list), 健康状况 GB/T 2261.3 group, 申领失业保险金标志."""
    reason_code: UnemploymentReason
    other_reason: str = Field(default="", max_length=100)
    unemployed_since: IsoDate
    health_code: Literal["1", "2", "3", "6"]
    disability: DisabilityDetails | None = None
    claims_insurance: StrictBool = False


class FlexibleEmploymentDetails(WireRequest):
    """灵活就业登记 form (the platform's ``bcc700`` values are not known: project codes)."""
    type_code: Literal["self_employed", "part_time", "platform", "temporary", "freelance", "other"]
    started_on: IsoDate
    workplace_division: Division6
    employer_name: str = Field(default="", max_length=120)
    monthly_income: JsonInt | None = Field(default=None, ge=0, le=1_000_000)


def _unique_categories(value: list[int]) -> list[int]:
    if len(set(value)) != len(value):
        raise ValueError("categories must not repeat")
    return value


class HardshipDetails(WireRequest):
    """就业困难人员认定: the categories of 粤人社规〔2023〕11号 第一条 the person may fall into."""
    categories: Annotated[list[Annotated[int, Field(ge=1, le=11), BeforeValidator(_json_integer)]],
                          Field(min_length=1, max_length=11), AfterValidator(_unique_categories)]


class _ApplicationBase(WireRequest):
    identity: Identity
    phone: str = Field(pattern=PHONE)
    hukou_division: Division6
    residence_division: Division6
    education_code: str = Field(pattern=r"^[0-9]{2}$")
    consent: Consent
    sensitive_consent: Consent | None = None


class UnemploymentApplication(_ApplicationBase):
    """``POST /v1/applications`` with ``kind`` = ``unemployment_registration`` (失业登记)."""
    kind: Literal["unemployment_registration"]
    unemployment: UnemploymentDetails


class FlexibleEmploymentApplication(_ApplicationBase):
    """``kind`` = ``flexible_employment_registration`` (灵活就业登记)."""
    kind: Literal["flexible_employment_registration"]
    flexible_employment: FlexibleEmploymentDetails


class HardshipApplication(_ApplicationBase):
    """``kind`` = ``hardship_certification`` (就业困难人员认定)."""
    kind: Literal["hardship_certification"]
    hardship: HardshipDetails


AnyApplication = Annotated[UnemploymentApplication | FlexibleEmploymentApplication
                           | HardshipApplication, Field(discriminator="kind")]


class ApplicationRequest(RootModel[AnyApplication]):
    """``POST /v1/applications``: one of the three items, told apart by ``kind``."""


def carries_sensitive(application: UnemploymentApplication | FlexibleEmploymentApplication
                      | HardshipApplication) -> bool:
    """Whether the application holds sensitive personal information (PIPL 第二十八条), which the
    contract accepts only with a ``sensitive_consent`` whose purposes include
    ``sensitive_key_group`` (separate consent, PIPL 第二十九条)."""
    if isinstance(application, HardshipApplication):
        return bool(SENSITIVE_HARDSHIP_CATEGORIES & set(application.hardship.categories))
    if isinstance(application, UnemploymentApplication):
        u = application.unemployment
        return (u.health_code == "6" or u.disability is not None
                or u.reason_code in SENSITIVE_UNEMPLOYMENT_REASONS)
    return False


def sensitive_consent_given(application: UnemploymentApplication | FlexibleEmploymentApplication
                            | HardshipApplication) -> bool:
    consent = application.sensitive_consent
    return consent is not None and "sensitive_key_group" in consent.purposes


class HeartbeatRequest(WireRequest):
    """``POST /v1/devices/heartbeat``: terminal status, versions and outbox depth."""
    status: Literal["ok", "degraded", "error", "maintenance"]
    sent_at: str
    versions: dict[str, str] = {}
    devices: dict[str, str] = {}
    outbox_depth: JsonInt = Field(ge=0, default=0)
    outbox_dead: JsonInt = Field(ge=0, default=0)
    uptime_s: JsonInt = Field(ge=0, default=0)
    catalog_etag: str | None = None


RatingReason = Literal["not_done", "too_slow", "hard_to_use", "unclear_guide", "device_fault",
                       "wrong_info"]


class RatingRequest(WireRequest):
    """``POST /v1/ratings`` (政务服务"好差评", 国办发〔2019〕51号): one rating per transaction.

    ``level`` 5 = 非常满意, 4 = 满意, 3 = 基本满意, 2 = 不满意, 1 = 非常不满意 (the national labels);
    ``reasons``: codes of the kiosk's list ``content_version``, sent with levels 1–2 only. No
    identity: the platform knows the evaluator from the transaction (实名评价 bound to the 办件).
    """
    transaction_no: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
    transaction_kind: str = Field(pattern=r"^[a-z][a-z0-9_.:-]{0,63}$")
    level: JsonInt = Field(ge=1, le=5)
    reasons: list[RatingReason] = Field(default=[], max_length=6)
    content_version: str = Field(min_length=1, max_length=40)
    channel: Literal["self_service_terminal"] = "self_service_terminal"
    completed_at: str
    rated_at: str


#: 统一社会信用代码 (GB 32100, 18 of the 31-symbol alphabet) or the old 15-digit 注册号, or "".
CREDIT_CODE = r"^([0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}|[0-9]{15})?$"


class PostingHandler(WireRequest):
    """The person at the kiosk who posts for the employer, as read from the ID card."""
    id_number: str = Field(pattern=r"^[0-9A-Z]{15,18}$")
    name: str = Field(min_length=1, max_length=120)


class PostingEmployer(WireRequest):
    """用工主体: a unit (企业/个体工商户/…, with its licence code) or a 个人雇主 (no code).

    ``credit_code``: required and valid (GB 32100 mod-31 check, or the 15-digit MOD 11,10
    check) for ``unit``, empty for ``individual`` (else 422 ``credit_code_invalid``)."""
    kind: Literal["unit", "individual"]
    name: str = Field(min_length=1, max_length=120)
    credit_code: str = Field(default="", pattern=CREDIT_CODE)
    handler: PostingHandler
    phone: str = Field(pattern=PHONE)


class GigTerms(WireRequest):
    """The days of a 零工 gig (China time): ``work_date`` and up to 6 ``more_dates``."""
    work_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    more_dates: list[Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]] = Field(
        default=[], max_length=6)

    @field_validator("more_dates")
    @classmethod
    def _unique(cls, dates: list[str]) -> list[str]:
        if len(set(dates)) != len(dates):
            raise ValueError("more_dates must be unique")
        return dates

    @property
    def work_dates(self) -> list[str]:
        """Every day, sorted, the duplicate of ``work_date`` dropped."""
        return sorted({self.work_date, *self.more_dates})
    start_time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    duration_hours: JsonNumber = Field(gt=0, le=24)
    settlement: Literal["DAILY", "WEEKLY", "ON_COMPLETION"]


class PostingRequest(WireRequest):
    """``POST /v1/employer-postings``: a vacancy (``gig`` null) or a 零工 gig to be audited."""
    employer: PostingEmployer
    title: str = Field(min_length=1, max_length=60)
    occupation_code: str = Field(pattern=r"^\d(-\d{2}){0,3}$")
    headcount: JsonInt = Field(ge=1, le=999)
    pay: JsonInt = Field(ge=0, le=1_000_000)
    pay_unit: Literal["MONTH", "DAY", "HOUR", "PIECE"]
    gig: GigTerms | None = None
    division_code: str = Field(pattern=r"^\d{4}(\d{2}(\d{3})?)?$")
    address: str = Field(default="", max_length=200)
    latitude: JsonNumber | None = Field(default=None, ge=-90, le=90)
    longitude: JsonNumber | None = Field(default=None, ge=-180, le=180)
    requirements: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default=[], max_length=8)
    description: str = Field(default="", max_length=2000)
    contact_phone: str = Field(pattern=PHONE)
    submitted_at: str


class GigSignupRequest(WireRequest):
    """``POST /v1/vacancies/{vacancy_id}/signups``: one worker signs up for a gig."""
    worker: ReferralJobseeker
    signed_up_at: str


REQUEST_MODELS: dict[str, type[WireRequest]] = {
    "registration": RegistrationRequest, "referral": ReferralRequest,
    "assistance": AssistanceRequest, "heartbeat": HeartbeatRequest, "rating": RatingRequest,
    "posting": PostingRequest, "gig_signup": GigSignupRequest,
}
#: kinds whose model is not a plain ``_Request`` (a discriminated union)
ROOT_MODELS: dict[str, type[RootModel[Any]]] = {"application": ApplicationRequest}


class PayloadInvalid(ValueError):
    """A payload does not match its request schema.

    Attributes:
        kind: ``registration``, ``referral``, ``assistance``, ``application``, ``heartbeat``
            or ``rating``.
        fields: the dotted paths of the offending fields (values are never included).
    """

    def __init__(self, kind: str, fields: list[str]) -> None:
        super().__init__(f"invalid {kind} payload: {', '.join(fields)}")
        self.kind = kind
        self.fields = fields


def check_payload(kind: str, payload: dict[str, Any]) -> None:
    """Validate a payload before sending or queueing it.

    Raises:
        PayloadInvalid: naming the bad fields (no personal values in the message).
        KeyError: ``kind`` is not one of :data:`REQUEST_MODELS` / :data:`ROOT_MODELS`.
    """
    model: type[BaseModel] = ROOT_MODELS[kind] if kind in ROOT_MODELS else REQUEST_MODELS[kind]
    try:
        parsed = model.model_validate(payload)
    except ValidationError as exc:
        fields = [".".join(str(p) for p in err["loc"]) or "<body>" for err in exc.errors()]
        raise PayloadInvalid(kind, fields) from exc
    if isinstance(parsed, ApplicationRequest) and carries_sensitive(parsed.root) \
            and not sensitive_consent_given(parsed.root):
        raise PayloadInvalid(kind, ["sensitive_consent"])
