"""求职登记 form logic for the pick-first registration screens: choices, validation, search.

The form lives in ``services.session.current.registration`` (a dict; dropped with the session).
Keys and values (the ones :func:`kiosk.services.registration.registration_payload` sends, plus
``availability``, sent as the contract's ``availability``):

* ``phone``: mainland mobile number, 11 digits ``1[3-9]\\d{9}`` (:func:`validate_phone`);
* ``education_code``: GB/T 4658-2006 group code of ``kiosk.domain.vacancy.EDUCATION_ORDER``;
* ``desired_occupations``: up to 5 职业分类大典 2022 middle codes ("4-03");
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

from kiosk.domain.codes import divisions, occupations
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


# ---- occupations: pinyin search over the 79 middle categories -------------------------------
@dataclass(frozen=True)
class OccupationEntry:
    code: str          # "4-03"
    name: str          # "住宿和餐饮服务人员"
    initials: str      # "zsheycfwry"
    full: str          # "zhusuheyinshifuwurenyuan"


@lru_cache(maxsize=1)
def occupation_index() -> tuple[OccupationEntry, ...]:
    """The 职业分类大典 middle categories with pinyin initials and full pinyin (pypinyin,
    lowercase, no tones, punctuation dropped), in code order. Built once (~20 ms)."""
    from kiosk.services.pinyin_readings import Style, lazy_pinyin

    entries = []
    for code, name in occupations.MIDDLES.items():
        hanzi = re.sub(r"[^\u4e00-\u9fff]", "", name)
        full = "".join(lazy_pinyin(hanzi))
        initials = "".join(lazy_pinyin(hanzi, style=Style.FIRST_LETTER))
        entries.append(OccupationEntry(code, name, initials.lower(), full.lower()))
    return tuple(entries)


#: Major groups in the order a jobseeker browses them (the kiosk's common trades first:
#: 4 services, 6 production, 3 clerical, 2 professional …; 1 heads and 7 armed forces last).
BROWSE_ORDER = ("4", "6", "3", "2", "5", "8", "1", "7")


def search_occupations(query: str) -> list[OccupationEntry]:
    """Middle categories matching ``query``: Chinese text (substring of the name), pinyin
    initials ("cy" → 餐饮…) or full pinyin ("canyin"), case-insensitive. Ranked: initials or
    name prefix first, then substring hits, each in code order. Empty query → all 79 in
    :data:`BROWSE_ORDER`."""
    q = query.strip().lower()
    index = occupation_index()
    if not q:
        return sorted(index, key=lambda e: (BROWSE_ORDER.index(occupations.major_of(e.code)),
                                            e.code))
    first, rest = [], []
    for entry in index:
        if entry.initials.startswith(q) or entry.full.startswith(q) or entry.name.startswith(q):
            first.append(entry)
        elif q in entry.initials or q in entry.full or q in entry.name:
            rest.append(entry)
    return first + rest


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
    occupation_names = "、".join(occupations.name_of(c) for c in form.get("desired_occupations", []))
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
