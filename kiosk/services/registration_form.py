"""求职登记 form logic for the pick-first registration screens: choices, validation, search.

The form lives in ``services.session.current.registration`` (a dict; dropped with the session).
Keys and values (the ones :func:`kiosk.services.registration.registration_payload` sends, plus
``availability``, sent as the contract's ``availability``):

* ``phone``: mainland mobile number, 11 digits ``1[3-9]\\d{9}`` (:func:`validate_phone`);
* ``education_code``: GB/T 4658-2006 group code of ``kiosk.domain.vacancy.EDUCATION_ORDER``;
* ``desired_jobs``: up to 5 picks of the 职业 step, everyday job ids ("cleaner",
  :mod:`kiosk.domain.codes.everyday_jobs`) or 大典 middle codes ("4-09"); kept on the
  terminal (not sent), so the review says 保洁员 rather than the category;
* ``desired_occupations``: the 职业分类大典 2022 middle codes of those picks, each once
  ("4-09"; :func:`occupation_codes`): what the platform receives;
* ``desired_divisions``: up to 5 GB/T 2260 codes (city 4, county 6, town 9 digits);
* ``salary_min`` / ``salary_max``: yuan per month (0 = 面议, not sent);
* ``employment_type``: ``FULL_TIME`` | ``PART_TIME`` | ``TEMPORARY`` (schema.org employmentType);
* ``key_groups``: codes of ``kiosk.domain.codes.key_groups.KEY_GROUPS`` (optional; sensitive,
  PIPL Art. 28/29: choosing one adds the ``sensitive_key_group`` consent purpose);
* ``availability``: ``NOW`` | ``WEEK`` | ``MONTH`` (到岗时间; sent as immediately / within_week / within_month).

No I/O here: screens call these on the UI thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from kiosk.domain.codes import divisions, everyday_jobs, occupations
from kiosk.domain.codes.key_groups import KEY_GROUPS
from kiosk.domain.identity_card import IdentityCard
from kiosk.domain.vacancy import EDUCATION_NAMES, EDUCATION_ORDER

MAX_OCCUPATIONS = 5
MAX_DIVISIONS = 5
MOBILE_RE = re.compile(r"1[3-9]\d{9}")

EMPLOYMENT_CHOICES: tuple[tuple[str, str], ...] = (
    ("FULL_TIME", "全职"), ("PART_TIME", "兼职"), ("TEMPORARY", "灵活就业"))
AVAILABILITY_CHOICES: tuple[tuple[str, str], ...] = (
    ("NOW", "随时到岗"), ("WEEK", "一周内"), ("MONTH", "一个月内"))
#: Expected monthly salary bands in yuan: (min, max, label); (0, 0) = 面议 (not sent).
SALARY_CHOICES: tuple[tuple[int, int, str], ...] = (
    (0, 0, "面议"), (2500, 4000, "2500–4000元"), (4000, 6000, "4000–6000元"),
    (6000, 8000, "6000–8000元"), (8000, 12000, "8000–12000元"), (12000, 20000, "12000元以上"))
#: Education choices shown as buttons, highest first is harder to scan: lowest first, 不限 last.
EDUCATION_CHOICES: tuple[tuple[str, str], ...] = EDUCATION_ORDER[1:] + EDUCATION_ORDER[:1]


class FormError(ValueError):
    """A form value the jobseeker must correct; ``field`` names it, ``message_zh`` says how."""

    def __init__(self, field: str, message_zh: str) -> None:
        super().__init__(f"{field}: {message_zh}")
        self.field = field
        self.message_zh = message_zh


def validate_phone(digits: str) -> str:
    """Return the 11-digit mobile number, spaces removed.

    Raises:
        FormError: ``field="phone"``: wrong length, or not a mainland mobile (1[3-9]…).
    """
    number = re.sub(r"\s", "", digits or "")
    if not number:
        raise FormError("phone", "请输入手机号码")
    if not number.isdigit() or len(number) != 11:
        raise FormError("phone", "手机号码应为11位数字，请检查后重新输入")
    if not MOBILE_RE.fullmatch(number):
        raise FormError("phone", "请输入以13–19开头的11位手机号码")
    return number


def format_phone_entry(digits: str) -> str:
    """Digits as typed, grouped 3-4-4 for reading back: "13812345678" → "138 1234 5678"."""
    return " ".join(part for part in (digits[:3], digits[3:7], digits[7:11]) if part)


def validate_form(form: dict[str, Any]) -> None:
    """Check the whole form before review/submit.

    Raises:
        FormError: the first missing or invalid field (phone, education_code,
            desired_occupations, employment_type).
    """
    validate_phone(form.get("phone", ""))
    if form.get("education_code") not in EDUCATION_NAMES:
        raise FormError("education_code", "请选择您的学历")
    if not form.get("desired_occupations"):
        raise FormError("desired_occupations", "请至少选择一个想做的工作")
    if form.get("employment_type") not in dict(EMPLOYMENT_CHOICES):
        raise FormError("employment_type", "请选择工作类型")


def toggle_limited(values: list[str], value: str, limit: int) -> list[str]:
    """Add ``value`` (unless ``limit`` reached) or remove it; returns the new list.

    Raises:
        FormError: ``field="limit"`` when adding would exceed ``limit``.
    """
    if value in values:
        return [v for v in values if v != value]
    if len(values) >= limit:
        raise FormError("limit", f"最多选择{limit}项，请先取消一项")
    return [*values, value]


# ---- occupations: everyday job names first, then the 79 middle categories ------------------
@dataclass(frozen=True)
class OccupationChoice:
    """One tile of the 职业 step: an everyday job (:mod:`kiosk.domain.codes.everyday_jobs`) or a
    职业分类大典 (2022) middle category.

    ``value`` is what the form keeps (``desired_jobs``): the everyday job id ("cleaner") or the
    middle code ("4-09"); ``code`` the middle code the platform receives; ``group`` the
    everyday group id ("" for a category); ``matched`` the synonym the search found it by
    ("门卫" for 保安员; "" when the name matched or nothing was searched).
    """

    value: str
    code: str
    name: str
    name_en: str = ""
    group: str = ""
    matched: str = ""

    @property
    def official(self) -> bool:
        """True for a 大典 middle category (a tile under 国家职业分类)."""
        return not self.group


@dataclass(frozen=True)
class OccupationEntry:
    code: str          # "4-03"
    name: str          # "住宿和餐饮服务人员"
    initials: str      # "zsheycfwry"
    full: str          # "zhusuheyinshifuwurenyuan"
    #: (initials, full pinyin) of each part of the name split at 、和及与 ("zs", "zhusu"), …
    parts: tuple[tuple[str, str], ...] = ()


_PART_SPLIT = re.compile(r"[、和及与]")


@lru_cache(maxsize=1)
def occupation_index() -> tuple[OccupationEntry, ...]:
    """The 职业分类大典 middle categories with pinyin initials and full pinyin (pypinyin through
    :mod:`kiosk.services.pinyin_readings`, lowercase, no tones, punctuation dropped), whole
    and per part of the name, in code order. Built once (~20 ms)."""
    from kiosk.services.pinyin_readings import Style, lazy_pinyin

    def keys(text: str) -> tuple[str, str]:
        hanzi = re.sub(r"[^\u4e00-\u9fff]", "", text)
        return ("".join(lazy_pinyin(hanzi, style=Style.FIRST_LETTER)).lower(),
                "".join(lazy_pinyin(hanzi)).lower())

    entries = []
    for code, name in occupations.MIDDLES.items():
        initials, full = keys(name)
        parts = tuple(keys(part) for part in _PART_SPLIT.split(name) if part)
        entries.append(OccupationEntry(code, name, initials, full, parts))
    return tuple(entries)


#: Major groups in the order a jobseeker browses them (the kiosk's common trades first:
#: 4 services, 6 production, 3 clerical, 2 professional …; 1 heads and 7 armed forces last).
BROWSE_ORDER = ("4", "6", "3", "2", "5", "8", "1", "7")


def _job_choice(job: everyday_jobs.EverydayJob, matched: str = "") -> OccupationChoice:
    shown = "" if matched in job.name.split("/") else matched
    return OccupationChoice(job.id, job.occupation_code, job.name, job.name_en, job.group, shown)


def _category_choice(code: str) -> OccupationChoice:
    return OccupationChoice(code, code, occupations.name_of(code), occupations.name_en_of(code))


def everyday_groups() -> list[tuple[str, str, str, list[OccupationChoice]]]:
    """The browse list of the 职业 step: (group id, Chinese name, English name, its jobs):
    first ``popular`` 常见工作 (:data:`kiosk.domain.codes.everyday_jobs.POPULAR`: 保洁员,
    保安员, 普工 … in sight without typing or scrolling), then every group of
    :data:`kiosk.domain.codes.everyday_jobs.GROUPS` with all its jobs."""
    popular = [_job_choice(everyday_jobs.BY_ID[job_id]) for job_id in everyday_jobs.POPULAR]
    return [("popular", "常见工作", "Common jobs", popular)] + [
        (group, zh, en, [_job_choice(job) for job in everyday_jobs.in_group(group)])
        for group, zh, en in everyday_jobs.GROUPS]


def official_choices() -> list[OccupationChoice]:
    """All 79 middle categories in :data:`BROWSE_ORDER` (the 国家职业分类 list)."""
    return [_category_choice(e.code) for e in sorted(
        occupation_index(), key=lambda e: (BROWSE_ORDER.index(occupations.major_of(e.code)), e.code))]


def _category_tier(entry: OccupationEntry, q: str) -> int | None:
    """0: the query starts the name or a part of it (Chinese, initials or full pinyin);
    1: the Chinese query is inside the name; 2: a pinyin query of 3+ letters is inside a part
    (two letters inside a part are noise: "bj" in 飞机和船舶技术 is 舶+技)."""
    if entry.name.startswith(q) or any(i.startswith(q) or f.startswith(q) for i, f in entry.parts):
        return 0
    if q in entry.name:
        return 1
    if len(q) >= 3 and q.isascii() and any(q in i or q in f for i, f in entry.parts):
        return 2
    return None


def search_occupations(query: str) -> list[OccupationChoice]:
    """What the 职业 step shows for ``query`` (Chinese text, full pinyin or pinyin initials,
    case and spaces ignored): the everyday jobs found by their names or synonyms first, ranked
    as :func:`kiosk.domain.codes.everyday_jobs.search` ("bj" → 保洁员, 保健按摩师 …; "menwei" →
    保安员 found by 门卫), then the 大典 middle categories whose official name matches, ranked
    by :func:`_category_tier` then code order. Empty query → the everyday jobs in browse order
    (no categories: they are one tap away, :func:`official_choices`)."""
    q = "".join(query.split()).lower()
    jobs = [_job_choice(job, word) for job, word in everyday_jobs.search_words(q)]
    if not q:
        return jobs
    tiers = ((_category_tier(e, q), e.code) for e in occupation_index())
    categories = [_category_choice(code) for tier, code in sorted(
        (t, c) for t, c in tiers if t is not None)]
    return jobs + categories


def occupation_choice(value: str) -> OccupationChoice:
    """The choice behind a ``desired_jobs`` value: an everyday job id or a middle code.

    Raises:
        FormError: ``field="desired_jobs"``: neither a known job id nor a 大典 middle code.
    """
    if value in everyday_jobs.BY_ID:
        return _job_choice(everyday_jobs.BY_ID[value])
    if value in occupations.MIDDLES:
        return _category_choice(value)
    raise FormError("desired_jobs", "所选工作不在列表中，请重新选择")


def occupation_codes(picks: list[str]) -> list[str]:
    """The 大典 middle codes the platform receives (``desired_occupations``) for the picked
    ``desired_jobs`` values, each once, in pick order: 厨师 + 服务员 + 保安员 → 4-03, 4-07.

    Raises:
        FormError: a value that is not a job id or middle code (:func:`occupation_choice`).
    """
    return list(dict.fromkeys(occupation_choice(value).code for value in picks))


def occupation_picks(form: dict[str, Any]) -> list[str]:
    """The picks to show ticked: ``desired_jobs``, or — for a form filled elsewhere (an
    earlier registration, a test) — its ``desired_occupations`` codes."""
    return list(form.get("desired_jobs") or form.get("desired_occupations") or [])


# ---- divisions: city → county → town ----------------------------------------------------------
def division_children(code: str) -> dict[str, str]:
    """What the picker offers under ``code``: "" → cities; a city → its counties (for 东莞 and
    中山, which have no county level, their towns); a county → its towns; a town → {}."""
    if not code:
        return dict(divisions.CITIES)
    if len(code) == 4:
        if divisions.has_county_level(code):
            return divisions.counties_of(code)
        return divisions.towns_of(code)
    if len(code) == 6:
        return divisions.towns_of(code)
    return {}


def division_label(code: str) -> str:
    """Short label for a chosen division: "440106" → "广州市天河区"."""
    return divisions.full_name(code)


# ---- review ------------------------------------------------------------------------------------
def salary_label(form: dict[str, Any]) -> str:
    lo, hi = int(form.get("salary_min", 0) or 0), int(form.get("salary_max", 0) or 0)
    for cmin, cmax, label in SALARY_CHOICES:
        if (cmin, cmax) == (lo, hi):
            return label
    return f"{lo}–{hi}元" if hi else "面议"


def review_rows(card: IdentityCard, form: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(section key, label, value) rows of the review page: identity masked (张*明,
    4499**********1235); the phone number the person just typed in full, grouped as on the
    keypad ("138 1234 5678"), so that they can check it (issue 17 item 9; it is the number the
    platform will call). Section keys name the form step to edit."""
    occupation_names = "、".join(occupation_choice(v).name for v in occupation_picks(form)
                                if v in everyday_jobs.BY_ID or v in occupations.MIDDLES)
    division_names = "、".join(division_label(c) for c in form.get("desired_divisions", []))
    groups = "、".join(KEY_GROUPS[g] for g in form.get("key_groups", []) if g in KEY_GROUPS)
    return [
        ("identity", "姓名", card.masked_name),
        ("identity", "证件号码", card.masked_id_number),
        ("phone", "手机号码", format_phone_entry(form.get("phone", "")) or "未填写"),
        ("education", "学历", EDUCATION_NAMES.get(form.get("education_code", ""), "未选择")),
        ("occupation", "想做的工作", occupation_names or "未选择"),
        ("division", "希望工作地点", division_names or "不限"),
        ("terms", "期望月薪", salary_label(form)),
        ("terms", "工作类型", dict(EMPLOYMENT_CHOICES).get(form.get("employment_type", ""), "未选择")),
        ("terms", "到岗时间", dict(AVAILABILITY_CHOICES).get(form.get("availability", ""), "未选择")),
        ("groups", "重点群体", groups or "无"),
    ]


#: the contract's ``availability`` → the form's code
_AVAILABILITY_FORM = {"immediately": "NOW", "within_week": "WEEK", "within_month": "MONTH"}
_OCCUPATION_CODE = re.compile(r"\d(-\d{2}){0,3}")
#: the form key holding the earlier registration's masked phone (shown, never sent)
PREVIOUS_PHONE = "previous_phone_masked"


def form_from_answers(answers: Any) -> dict[str, Any]:
    """The form pre-filled from the platform's ``RegistrationAnswers`` (更新登记信息).

    Codes the kiosk does not know are left out (the person picks again): an education code
    outside GB/T 4658 groups of :data:`EDUCATION_CHOICES`, a division not in GB/T 2260, an
    occupation code not shaped like 职业分类大典 codes, a salary not per month, an employment
    type not offered. The phone is not pre-filled (the platform gives it masked only, kept
    under :data:`PREVIOUS_PHONE` for the hint); 重点群体 are never pre-filled (sensitive).
    ``answers`` None → ``{}``.
    """
    if answers is None:
        return {}
    form: dict[str, Any] = {}
    if getattr(answers, "phone_masked", ""):
        form[PREVIOUS_PHONE] = str(answers.phone_masked)
    if answers.education_code in {code for code, _ in EDUCATION_CHOICES}:
        form["education_code"] = answers.education_code
    picked = [c for c in answers.desired_occupations if _OCCUPATION_CODE.fullmatch(c)]
    if picked:
        form["desired_occupations"] = picked[:MAX_OCCUPATIONS]
    places = [c for c in answers.desired_divisions if divisions.is_known(c)]
    if places:
        form["desired_divisions"] = places[:MAX_DIVISIONS]
    salary = answers.expected_salary
    if salary is not None and salary.unit == "MONTH":
        form["salary_min"], form["salary_max"] = int(salary.min), int(salary.max)
    if answers.employment_type in {code for code, _ in EMPLOYMENT_CHOICES}:
        form["employment_type"] = answers.employment_type
    form["availability"] = _AVAILABILITY_FORM.get(answers.availability, "NOW")
    return form


def consent_purposes(action_purposes: list[str], form: dict[str, Any]) -> list[str]:
    """Consent purposes for the submission: the notice's purposes plus ``sensitive_key_group``
    when a key group was chosen (PIPL Art. 29 separate consent, given on that page)."""
    purposes = list(dict.fromkeys(action_purposes or ["registration"]))
    if form.get("key_groups") and "sensitive_key_group" not in purposes:
        purposes.append("sensitive_key_group")
    return purposes


def continue_url(verify_url_template: str, registration_no: str) -> str:
    """The public page to continue the registration on a phone, for the confirmation QR code.

    The contract (docs/openapi.yaml) has no field for it yet, so it is the platform web root of
    ``verify_url_template`` (scheme + host) + ``/jobseeker/continue/<registration_no>``. The
    registration number is no personal data; nothing else goes into the URL.
    """
    parts = urlsplit(verify_url_template)
    root = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{root}/jobseeker/continue/{quote(registration_no, safe='')}"
