"""What the three 就业援助 journeys share (失业登记, 灵活就业登记, 就业困难人员认定): their typed part
of the session and the pure journey rules. The declarations are
``declared/{unemployment,flexible_employment,hardship}.py``; 办件查询 is ``declared/application_query.py``.

Steps (each journey declares the ones it uses, in this order):

``guide`` (办事指南, no card) → ``checks`` (needs the identity: the 无业 questions of
:data:`~kiosk.domain.application_checks.NOT_UNEMPLOYED_QUESTIONS` where they apply and "常住地在
广东省？"; the screen first asks the platform for the prefill and sends ``prefilled``) →
[认定 only: ``self_check`` (yes/no questions; the sensitive ones only after the separate consent)
→ ``result`` ("您可能属于…", never "您符合")] → ``form`` (pick-lists) → ``review`` → ``done``
(the outcome and the acceptance slip). Branch: ``blocked`` (a local check failed: why, and what
to do instead).

Events (all journeys): ``prefilled(prefill, station_division, today)``, ``checked(answers,
resides_in_guangdong)``, ``sensitive_consent(agreed)``, ``answered(**fields)``, ``form_done()``,
``submitted(outcome)``; 认定 adds ``self_checked(declared, veteran)`` and ``apply()``.

Privacy: the part holds the answers only for this session (:meth:`ApplicationJourney.clear`
runs when it ends); the sensitive answers exist only after ``sensitive_consent(agreed=True)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kiosk.domain.identity_card import IdentityCard
from kiosk.domain import applications as rules
from kiosk.domain.application_checks import (NOT_UNEMPLOYED_QUESTIONS, CheckFailure,
                                             local_failures)
from kiosk.domain.codes import disability, flexible_employment, health_status, unemployment_reasons
from kiosk.domain.eligibility import (DECLARABLE, SENSITIVE_CATEGORIES, Assessment,
                                      EligibilityRules, HardshipProfile, assess)
from kiosk.domain.hardship_wording import self_check_text
from kiosk.services.consent import consent_record
from kiosk.services.journeys.spec import (GoTo, Next, Stay, Transaction, Transition, Values,
                                          outcome_number)
from kiosk.services.journeys.state import Journey
from kiosk.services.sensitive_consent import sensitive_consent_record

if TYPE_CHECKING:   # the platform's wire models (pydantic) load after the first frame
    from kiosk.services.applications import ApplicationDraft, ApplicationOutcome


def _new_draft() -> ApplicationDraft:
    from kiosk.services.applications import ApplicationDraft

    return ApplicationDraft()

PURPOSES = ("assistance",)
#: self-check declarations asked only after the separate consent (PIPL 第二十八条)
SENSITIVE_DECLARATIONS = tuple(k for k, n in DECLARABLE.items() if n in SENSITIVE_CATEGORIES)
PLAIN_DECLARATIONS = tuple(k for k, n in DECLARABLE.items() if n not in SENSITIVE_CATEGORIES)
#: the questions of the self-check, in the order asked
DECLARATION_QUESTIONS: dict[str, str] = {
    "zero_employment_household_urban": "您家是城镇户口，家里在劳动年龄内、能工作想工作的人都没有工作吗？",
    "zero_transfer_rural_poor_household": "您家是农村户口、原建档立卡贫困户，家里能工作的人都没有外出务工或就业吗？",
    "landless_farmer": "您是否因政府统一征地失去了全部土地？",
    "disability_certificate": "您是否持有残疾人证，或退役军人事务部门发放的伤残证件？",
    "minimum_living_allowance": "您是否正在享受最低生活保障（低保）？",
    "drug_rehabilitated": "您是否经戒毒治疗康复后回归社会？",
    "released_prisoner": "您是否刑满释放后回归社会？",
    "mental_disorder_recovered": "您是否经精神障碍治疗康复后回归社会？",
}
VETERAN_QUESTION = "您是否依法退出现役的退役军人？"
SEX_OF = {"1": "male", "2": "female"}


@dataclass
class ApplicationJourney:
    """The 就业援助 part of the session (see the module docstring)."""

    kind: str = ""
    prefill: dict[str, Any] | None = None
    prefill_done: bool = False
    station_division: str = ""
    today: date | None = None
    not_unemployed: dict[str, bool] = field(default_factory=dict)
    failures: list[CheckFailure] = field(default_factory=list)
    draft: ApplicationDraft = field(default_factory=_new_draft)
    sensitive_consent: dict[str, Any] | None = None
    sensitive_declined: bool = False
    declared: set[str] = field(default_factory=set, repr=False)
    veteran: bool = False
    assessment: Assessment | None = None
    problems: list[str] = field(default_factory=list)
    outcome: ApplicationOutcome | None = None

    def clear(self) -> None:
        self.kind = self.station_division = ""
        self.prefill, self.prefill_done, self.today = None, False, None
        self.not_unemployed.clear()
        self.failures.clear()
        self.draft.clear()
        self.sensitive_consent, self.sensitive_declined = None, False
        self.declared.clear()
        self.veteran = False
        self.assessment, self.outcome = None, None
        self.problems.clear()


def part(journey: Journey) -> ApplicationJourney:
    return journey.part(ApplicationJourney)


def start(kind: str) -> Any:
    """The ``on_start`` of a journey for ``kind``: a fresh part (a second item in the same
    session starts clean, but keeps the phone number typed)."""
    def on_start(journey: Journey, _inputs: Values) -> None:
        app = part(journey)
        app.clear()
        app.kind = app.draft.kind = kind
    return on_start


# ---- views ---------------------------------------------------------------------------------
def guide_view(journey: Journey) -> dict[str, object]:
    kind = part(journey).kind
    return {"kind": kind, "guide": rules.GUIDES[kind], "time_limit": rules.TIME_LIMITS[kind]}


def checks_view(journey: Journey) -> dict[str, object]:
    app = part(journey)
    asks = app.kind in (rules.UNEMPLOYMENT, rules.HARDSHIP)
    return {"kind": app.kind, "card": journey.identity, "prefill_done": app.prefill_done,
            "questions": dict(NOT_UNEMPLOYED_QUESTIONS) if asks else {}}


def blocked_view(journey: Journey) -> dict[str, object]:
    app = part(journey)
    return {"kind": app.kind, "failures": list(app.failures)}


def self_check_view(journey: Journey) -> dict[str, object]:
    app = part(journey)
    asked = list(PLAIN_DECLARATIONS)
    if app.sensitive_consent is not None:
        asked += list(SENSITIVE_DECLARATIONS)
    return {"questions": {k: DECLARATION_QUESTIONS[k] for k in asked},
            "veteran_question": VETERAN_QUESTION,
            "ask_sensitive_consent": app.sensitive_consent is None and not app.sensitive_declined}


def result_view(journey: Journey) -> dict[str, object]:
    app = part(journey)
    assert app.assessment is not None
    text = self_check_text(app.assessment)
    return {"lines_zh": text.lines_zh, "lines_en": text.lines_en,
            "offer_application": text.offer_application,
            "contains_sensitive": text.contains_sensitive}


def form_view(journey: Journey) -> dict[str, object]:
    app = part(journey)
    return {"kind": app.kind, "draft": app.draft, "problems": list(app.problems),
            "choices": choices(app), "card": journey.identity,
            "ask_sensitive_consent": needs_sensitive_consent(app.draft)
            and app.sensitive_consent is None}


def review_view(journey: Journey) -> dict[str, object]:
    app = part(journey)
    return {"kind": app.kind, "card": journey.identity, "lines_zh": review_lines(app)}


def done_view(journey: Journey) -> dict[str, object]:
    app = part(journey)
    return {"kind": app.kind, "outcome": app.outcome}


# ---- pick-lists ------------------------------------------------------------------------------
def month_choices(today: date, months: int = 12) -> dict[str, str]:
    """The first days of this and the previous ``months - 1`` months: ``{"2026-12-01": "2026年12月"}``."""
    out: dict[str, str] = {}
    year, month = today.year, today.month
    for _ in range(months):
        out[f"{year:04d}-{month:02d}-01"] = f"{year}年{month}月"
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def choices(app: ApplicationJourney) -> dict[str, dict[str, str]]:
    """Every pick-list the form shows for this kind and the answers so far (残疾 details only
    when 健康状况 6 is chosen and the separate consent was given)."""
    from kiosk.domain.codes.education import EDUCATION_NAMES

    today = app.today or date.today()
    out: dict[str, dict[str, str]] = {
        "education_code": {k: ("其他" if k == "90" else v)
                           for k, v in EDUCATION_NAMES.items() if k}}
    if app.kind == rules.UNEMPLOYMENT:
        out["reason_code"] = dict(unemployment_reasons.REASONS)
        out["unemployed_since"] = month_choices(today)
        out["health_code"] = dict(health_status.GROUPS)
        out["claims_insurance"] = {"yes": "是，申领失业保险金", "no": "否"}
        if app.draft.health_code == health_status.DISABLED and app.sensitive_consent is not None:
            out["disability_document"] = dict(disability.DOCUMENT_TYPES)
            out["disability_category"] = dict(disability.CATEGORIES)
            if app.draft.disability_document:
                out["disability_grade"] = disability.grades_for(app.draft.disability_document)
    elif app.kind == rules.FLEXIBLE:
        out["flexible_type"] = dict(flexible_employment.TYPES)
        out["started_on"] = month_choices(today)
    return out


FIELD_NAMES_ZH = {
    "phone": "手机号码", "education_code": "学历", "reason_code": "失业原因", "other_reason": "其他原因",
    "unemployed_since": "失业时间", "health_code": "健康状况", "disability_document": "残疾证件类型",
    "disability_category": "残疾类别", "disability_grade": "残疾等级",
    "claims_insurance": "是否申领失业保险金", "flexible_type": "灵活就业类型", "started_on": "开始时间",
    "categories": "就业困难人员类别",
}


def needs_sensitive_consent(draft: ApplicationDraft) -> bool:
    """健康状况 6 残疾 or 失业原因 70 刑满释放 is sensitive personal information (PIPL 第二十八条)."""
    return draft.health_code == health_status.DISABLED or draft.reason_code in ("70",)


def form_problems(app: ApplicationJourney) -> list[str]:
    """Every missing or invalid answer at once (plain Chinese), [] when the form is complete."""
    d = app.draft
    missing: list[str] = []
    digits = d.phone.replace("-", "")
    if not (len(digits) == 11 and digits.startswith("1") and digits.isdigit()):
        missing.append("phone")
    if not d.education_code:
        missing.append("education_code")
    if app.kind == rules.UNEMPLOYMENT:
        for name in ("reason_code", "unemployed_since", "health_code"):
            if not getattr(d, name):
                missing.append(name)
        if d.reason_code == unemployment_reasons.OTHER and not d.other_reason.strip():
            missing.append("other_reason")
        if d.health_code == health_status.DISABLED and app.sensitive_consent is not None:
            for name in ("disability_document", "disability_category", "disability_grade"):
                if not getattr(d, name):
                    missing.append(name)
    elif app.kind == rules.FLEXIBLE:
        for name in ("flexible_type", "started_on"):
            if not getattr(d, name):
                missing.append(name)
    elif not d.categories:
        missing.append("categories")
    problems = [f"请填写{FIELD_NAMES_ZH[m]}" for m in missing]
    if needs_sensitive_consent(d) and app.sensitive_consent is None:
        problems.append("所选内容涉及敏感个人信息，需要您单独同意后才能提交（也可以改选其他选项）")
    return problems


def review_lines(app: ApplicationJourney) -> list[str]:
    """What the review screen lists (names, never raw codes; sensitive answers only on screen)."""
    from kiosk.domain.codes.education import EDUCATION_NAMES
    from kiosk.services.registration_form import format_phone_entry

    d = app.draft      # the phone just typed is shown in full, so that the person can check it
    lines = [f"办理事项：{rules.KIND_NAMES_ZH[app.kind]}", f"手机号码：{format_phone_entry(d.phone)}",
             f"学历：{EDUCATION_NAMES.get(d.education_code, d.education_code)}",
             f"户籍地区划：{d.hukou_division}", f"常住地区划：{d.residence_division}"]
    if app.kind == rules.UNEMPLOYMENT:
        lines += [f"失业原因：{unemployment_reasons.REASONS.get(d.reason_code, '')}"
                  + (f"（{d.other_reason}）" if d.other_reason else ""),
                  f"失业时间：{d.unemployed_since}",
                  f"健康状况：{health_status.GROUPS.get(d.health_code, '')}",
                  f"申领失业保险金：{'是' if d.claims_insurance else '否'}"]
        if d.disability_category:
            lines.append(f"残疾类别/等级：{disability.CATEGORIES.get(d.disability_category, '')}"
                         f" {disability.grades_for(d.disability_document).get(d.disability_grade, '')}")
    elif app.kind == rules.FLEXIBLE:
        lines += [f"灵活就业类型：{flexible_employment.TYPES.get(d.flexible_type, '')}",
                  f"开始时间：{d.started_on}"]
    else:
        from kiosk.domain.hardship_wording import CATEGORIES

        lines.append("可能属于的类别：" + "；".join(CATEGORIES[n].label_zh for n in d.categories))
    lines.append(f"办理时限：{rules.TIME_LIMITS[app.kind].text_zh}")
    return lines


# ---- handlers ------------------------------------------------------------------------------
def on_prefilled(journey: Journey, values: Values) -> Transition:
    """The screen asked the platform (``ApplicationService.prefill``): fill the draft.

    ``prefill``: the platform's ``ApplicationPrefill`` as a dict, or None (offline / unknown);
    ``station_division``: this kiosk's GB/T 2260 code (the 常住地 when the platform does not
    know it); ``today``: the China date. Without a prefill the 户籍 division is the ID number's
    first six digits **(inference: the code of first registration, not necessarily today's)**.
    """
    app = part(journey)
    prefill = values.get("prefill")
    app.prefill = dict(prefill) if isinstance(prefill, dict) else None
    app.prefill_done = True
    app.station_division = str(values.get("station_division", "") or "")
    today = values.get("today")
    app.today = today if isinstance(today, date) else date.today()
    card = journey.identity
    d = app.draft
    known = app.prefill if app.prefill and app.prefill.get("known") else {}
    id_prefix = card.id_number[:6] if card is not None and card.id_number[:6].isdigit() else ""
    d.hukou_division = str(known.get("hukou_division") or id_prefix or app.station_division)
    d.residence_division = str(known.get("residence_division") or app.station_division
                               or d.hukou_division)
    d.education_code = str(known.get("education_code") or d.education_code or "")
    d.phone = d.phone or journey.phone
    d.workplace_division = d.workplace_division or app.station_division
    return GoTo(journey.step, remember=False)       # the step again, now with the questions


def on_checked(journey: Journey, values: Values) -> Transition:
    """The 无业 answers (``answers``: key → bool) and "常住地在广东省？" (``resides_in_guangdong``):
    the local checks; a failure goes to ``blocked`` with every reason."""
    app = part(journey)
    card = journey.identity
    if card is None:
        raise ValueError("checks need the card")
    answers = values.get("answers")
    app.not_unemployed = {str(k): bool(v) for k, v in answers.items()} \
        if isinstance(answers, dict) else {}
    if values.get("resides_in_guangdong") is False:
        app.draft.residence_division = "000000"    # outside Guangdong, not known more exactly
    gender = SEX_OF.get(str(card.gender_code), "male")
    app.failures = local_failures(
        app.kind, birth=card.birth_date, gender=gender, on=app.today or date.today(),
        hukou_division=app.draft.hukou_division, residence_division=app.draft.residence_division,
        not_unemployed=app.not_unemployed, rules=_rules(values))
    if app.failures:
        return GoTo("blocked", remember=True)
    return Next()


def _rules(values: Values) -> EligibilityRules:
    given = values.get("rules")
    return given if isinstance(given, EligibilityRules) else EligibilityRules()


def on_sensitive_consent(journey: Journey, values: Values) -> Transition:
    """同意 / 不同意 on the separate notice (PIPL 第二十九条). 不同意 drops any sensitive answer."""
    app = part(journey)
    if values.get("agreed"):
        now = values.get("now")
        app.sensitive_consent = sensitive_consent_record(now if isinstance(now, datetime) else None)
        app.sensitive_declined = False
    else:
        app.sensitive_consent, app.sensitive_declined = None, True
        app.declared -= set(SENSITIVE_DECLARATIONS)
        d = app.draft
        if needs_sensitive_consent(d):
            d.health_code = "" if d.health_code == health_status.DISABLED else d.health_code
            d.reason_code = "" if d.reason_code == "70" else d.reason_code
        d.disability_document = d.disability_category = d.disability_grade = ""
        d.categories = tuple(n for n in d.categories if n not in SENSITIVE_CATEGORIES)
    return GoTo(journey.step, remember=False)      # shown again with the questions it allows


_TEXT_FIELDS = ("phone", "education_code", "reason_code", "other_reason", "unemployed_since",
                "health_code", "disability_document", "disability_category", "disability_grade",
                "flexible_type", "started_on", "workplace_division")


def on_answered(journey: Journey, values: Values) -> Transition:
    """One or more form answers (field name → value; ``claims_insurance``: "yes"/"no" or bool).
    A value outside its pick-list is ignored; changing 健康状况 away from 6 clears the
    disability details."""
    app = part(journey)
    d = app.draft
    lists = choices(app)
    for name, value in values.items():
        if name == "claims_insurance":
            d.claims_insurance = value in (True, "yes")
        elif name in _TEXT_FIELDS:
            text = str(value or "").strip()
            if name in lists and text and text not in lists[name]:
                continue
            setattr(d, name, text)
            if name == "health_code" and text != health_status.DISABLED:
                d.disability_document = d.disability_category = d.disability_grade = ""
            if name == "disability_document":
                d.disability_grade = ""
            lists = choices(app)
    if "phone" in values:
        journey.phone = d.phone
    app.problems = []
    return Stay({"draft": d, "choices": lists,
                 "ask_sensitive_consent": needs_sensitive_consent(d)
                 and app.sensitive_consent is None})


def on_form_done(journey: Journey, _values: Values) -> Transition:
    """完成填写: every problem at once, or the review."""
    app = part(journey)
    app.problems = form_problems(app)
    if app.problems:
        return Stay({"problems": list(app.problems)})
    return GoTo("review")


def on_submitted(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    from kiosk.services.applications import ApplicationOutcome

    if not isinstance(outcome, ApplicationOutcome):
        raise TypeError("submitted needs outcome=ApplicationOutcome")
    part(journey).outcome = outcome
    return GoTo("done", clear_history=True)


def on_self_checked(journey: Journey, values: Values) -> Transition:
    """认定 self-check answers (``declared``: keys of :data:`DECLARATION_QUESTIONS` answered 是,
    ``veteran``): the assessment of 粤人社规〔2023〕11号 第一条 (sensitive keys count only with the
    separate consent) → ``result``."""
    app = part(journey)
    card = journey.identity
    if card is None:
        raise ValueError("the self-check needs the card")
    given = values.get("declared")
    allowed = set(PLAIN_DECLARATIONS) | (set(SENSITIVE_DECLARATIONS)
                                         if app.sensitive_consent is not None else set())
    app.declared = {str(k) for k in given if str(k) in allowed} \
        if isinstance(given, (list, tuple, set, frozenset)) else set()
    app.veteran = bool(values.get("veteran"))
    today = app.today or date.today()
    last = (app.prefill or {}).get("last_unemployment_registration")
    profile = HardshipProfile(
        as_of=today, birth_date=card.birth_date,
        gender=SEX_OF.get(str(card.gender_code), "male"),
        hukou_division=app.draft.hukou_division or "000000",
        residence_division=app.draft.residence_division or "000000",
        unemployed=not any(app.not_unemployed.values()), able_and_willing=True,
        last_unemployment_registration=date.fromisoformat(last) if isinstance(last, str) else None,
        veteran=app.veteran, declared=frozenset(app.declared))
    app.assessment = assess(profile, _rules(values))
    app.draft.categories = tuple(app.assessment.categories)
    return GoTo("result")


def on_apply(journey: Journey, _values: Values) -> Transition:
    """认定: "提交认定申请" on the result (only offered when the gates pass and a category may apply)."""
    app = part(journey)
    if app.assessment is None or not self_check_text(app.assessment).offer_application:
        return Stay({})
    return GoTo("form")


@dataclass(frozen=True)
class ApplicationSubmission:
    """What ``ApplicationService.submit(card, draft, consent, sensitive_consent)`` gets."""

    card: IdentityCard
    draft: ApplicationDraft
    consent: dict[str, Any]
    sensitive_consent: dict[str, Any] | None


def submission(journey: Journey) -> ApplicationSubmission:
    """The submit call's arguments from this session only.

    Raises:
        ValueError: no card, or the form is not complete (:func:`form_problems`).
    """
    app = part(journey)
    if journey.identity is None or form_problems(app):
        raise ValueError("an application needs the card and a complete form")
    consent = dict(journey.consent or consent_record(list(PURPOSES)))
    return ApplicationSubmission(journey.identity, app.draft, consent, app.sensitive_consent)


def transaction(kind: str) -> Transaction:
    """The 办件 of a journey for ``kind``: ``application:<kind>``, completed by ``submitted``,
    rated by its application number (or the outbox item while offline; issue 21)."""
    return Transaction(f"application:{kind}", ("submitted",), outcome_number("application_no"))


EVENTS = {"prefilled": on_prefilled, "checked": on_checked,
          "sensitive_consent": on_sensitive_consent, "answered": on_answered,
          "form_done": on_form_done, "submitted": on_submitted}

__all__ = ["ApplicationJourney", "ApplicationSubmission", "EVENTS", "PURPOSES", "part",
           "start", "submission", "transaction", "form_problems", "choices", "review_lines", "month_choices",
           "guide_view", "checks_view", "blocked_view", "self_check_view", "result_view",
           "form_view", "review_view", "done_view", "on_self_checked", "on_apply",
           "DECLARATION_QUESTIONS", "SENSITIVE_DECLARATIONS", "PLAIN_DECLARATIONS"]
