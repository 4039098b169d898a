"""就业困难人员 self-check: the gates and categories of 粤人社规〔2023〕11号 第一条. Pure: no I/O.

Rule: 《广东省就业困难人员认定管理办法》 (广东省人力资源和社会保障厅, 粤人社规〔2023〕11号, in force
2023-08-01), 第一条; summary and sources in ``shared/design/employment-services.md`` §3.1, §3.5.
The kiosk only says which categories a person **may** fall into ("您可能属于…"); the county-level
public employment service agency decides (第四条). Nothing here says "您符合".

Gates (第一条, base conditions — all must hold; names as in ``failed_gates``):

* ``guangdong_hukou`` — 广东省户籍: ``hukou_division`` starts with ``44``. Where the person may
  apply: the 街道(乡镇) of the 户籍地 **or** the 常住地 (§3.2); Shenzhen (深人社规〔2023〕10号) also
  admits other-Guangdong-户籍 persons whose 常住地 is Shenzhen (:func:`application_places`).
  Cities whose rules admit **non-Guangdong** 户籍 by 常住地 alone: none known — configurable as
  :attr:`EligibilityRules.residence_only_cities` **(unclear)**.
* ``working_age`` — 法定劳动年龄: at least 16 (《就业服务与就业管理规定》 第六条) and before the
  statutory retirement age (:class:`RetirementRule`).
* ``unemployed`` — 处于无业状态 (declared; the exclusions of §1.2 are asked by the journey).
* ``able_and_willing`` — 有劳动能力和就业意愿 (declared).

Categories (第一条 (一)–(十一)); numbers as in the 办法:

====  ==========================================  ===========================================
 no.  category                                     how the kiosk derives it
====  ==========================================  ===========================================
  1   大龄失业人员                                   female ≥ 40, male ≥ 50 on ``as_of``
  2   残疾人员                                       declared ``disability_certificate``
  3   享受最低生活保障待遇人员                         declared ``minimum_living_allowance``
  4   城镇"零就业家庭"人员                             declared ``zero_employment_household_urban``
  5   农村零转移就业原建档立卡贫困家庭人员               declared ``zero_transfer_rural_poor_household``
  6   失地农民                                       declared ``landless_farmer``
  7   连续失业1年以上人员                              ≥ 365 days since the latest 失业登记
  8   戒毒康复人员                                   declared ``drug_rehabilitated``
  9   刑满释放人员                                   declared ``released_prisoner``
 10   精神障碍康复人员                                declared ``mental_disorder_recovered``
 11   失业6个月以上的退役军人                          veteran and ≥ 6 calendar months since 失业登记
====  ==========================================  ===========================================

Items (十二)(十三) of the 2023 list are **not implemented**: the stored excerpts of the text break
off after (十一) (§3.1, open item 1 of §11); they are added once the official text is read.

Dates are inclusive on ``as_of``: a woman is 40 on her 40th birthday; 365 days after the
registration date counts as 1 year; 6 calendar months (registration 01-15 → 07-15; a day that
does not exist in the target month becomes that month's last day, so 08-31 → 02-28/29, and a
29 February birthday is reached on 28 February in common years).

Categories 2, 3, 8, 9, 10 are sensitive personal information (PIPL 第二十八条; §3.5 item 5):
:data:`SENSITIVE_CATEGORIES`. :class:`HardshipProfile` keeps ``declared`` out of ``repr`` so a
logged profile leaks nothing; callers must not log :class:`SelfCheck` categories either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

DECLARABLE: dict[str, int] = {
    "disability_certificate": 2,
    "minimum_living_allowance": 3,
    "zero_employment_household_urban": 4,
    "zero_transfer_rural_poor_household": 5,
    "landless_farmer": 6,
    "drug_rehabilitated": 8,
    "released_prisoner": 9,
    "mental_disorder_recovered": 10,
}
#: Categories whose answers are sensitive personal information (PIPL Art. 28): asked only after
#: a separate consent, never printed, never logged (employment-services.md §3.5 item 5).
SENSITIVE_CATEGORIES = frozenset({2, 3, 8, 9, 10})
CATEGORY_NUMBERS = tuple(range(1, 12))

GATES = ("guangdong_hukou", "working_age", "unemployed", "able_and_willing")
GENDERS = ("female", "male")
PROFILE_KEYS = ("as_of", "birth_date", "gender", "hukou_division", "residence_division",
                "unemployed", "able_and_willing", "last_unemployment_registration", "veteran",
                "declared")
GUANGDONG = "44"
SHENZHEN = "4403"


class ProfileError(ValueError):
    """The profile is wrong. ``key`` names the field ("" for the whole profile)."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"profile {key}: {reason}" if key else f"profile: {reason}")


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar ``months``; a missing day becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(day.day, last))


def age_on(birth: date, on: date) -> int:
    """Completed years (周岁) on ``on``, the birthday itself included (see module docstring)."""
    years = on.year - birth.year
    return years if add_months(birth, 12 * years) <= on else years - 1


@dataclass(frozen=True)
class RetirementRule:
    """Statutory retirement age for one group, with the gradual raise from 2025.

    Default figures (:data:`MEN`, :data:`WOMEN_55`, :data:`WOMEN_50`) follow the 全国人大常委会
    《关于实施渐进式延迟法定退休年龄的决定》 (2024-09-13, in force 2025-01-01): men 60 → 63 and
    women 55 → 58 by one month every 4 months of birth from January 1965 / January 1970,
    women 50 → 55 by one month every 2 months from January 1975. **Not in the project's
    reference material (verify with the operator)**, hence data, not code.

    Attributes:
        base_years: the age before the raise.
        first_birth: first birth month whose age is raised (day ignored).
        step_months: months of birth per month of delay.
        max_delay_months: the final delay.
    """

    base_years: int
    first_birth: date
    step_months: int
    max_delay_months: int

    def retirement_date(self, birth: date) -> date:
        """The day the person reaches statutory retirement age."""
        months_after = (birth.year - self.first_birth.year) * 12 + birth.month - self.first_birth.month
        delay = 0 if months_after < 0 else min(self.max_delay_months,
                                               months_after // self.step_months + 1)
        return add_months(birth, self.base_years * 12 + delay)


MEN = RetirementRule(60, date(1965, 1, 1), 4, 36)
WOMEN_55 = RetirementRule(55, date(1970, 1, 1), 4, 36)
WOMEN_50 = RetirementRule(50, date(1975, 1, 1), 2, 60)


@dataclass(frozen=True)
class EligibilityRules:
    """The configurable parts of the self-check (defaults = the reading of the reference).

    Attributes:
        min_working_age: 16 (《就业服务与就业管理规定》 第六条).
        retirement_male / retirement_female: :class:`RetirementRule`. Women's statutory age is
            50 (workers) or 55 (cadres); the kiosk cannot tell, so the default is the later one
            (a self-check must not turn away someone the office would accept) **(unclear)**.
        older_female_age / older_male_age: category (一), 40 / 50.
        continuous_unemployment_days: category (七), 365 days since the latest 失业登记.
        veteran_unemployment_months: category (十一), 6 calendar months.
        residence_only_cities: 4-digit city codes whose rules admit a non-Guangdong 户籍 person
            by 常住地 alone (none known; **(unclear)**, confirm per city).
    """

    min_working_age: int = 16
    retirement_male: RetirementRule = MEN
    retirement_female: RetirementRule = WOMEN_55
    older_female_age: int = 40
    older_male_age: int = 50
    continuous_unemployment_days: int = 365
    veteran_unemployment_months: int = 6
    residence_only_cities: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> EligibilityRules:
        """Site overrides, e.g. a parsed ``[assistance.eligibility]`` table::

            {"female_retirement_base": 50 | 55, "older_female_age": 40, "older_male_age": 50,
             "continuous_unemployment_days": 365, "veteran_unemployment_months": 6,
             "min_working_age": 16, "residence_only_cities": ["4403"]}

        Absent keys keep the defaults.

        Raises:
            ProfileError: an unknown key or a value of the wrong type or range (``key`` names it).
        """
        known = ("female_retirement_base", "older_female_age", "older_male_age",
                 "continuous_unemployment_days", "veteran_unemployment_months", "min_working_age",
                 "residence_only_cities")
        for key in data:
            if key not in known:
                raise ProfileError(str(key), "is not an eligibility rule")
        numbers: dict[str, int] = {}
        for key, low, high in (("older_female_age", 16, 70), ("older_male_age", 16, 70),
                               ("continuous_unemployment_days", 1, 3650),
                               ("veteran_unemployment_months", 1, 120), ("min_working_age", 14, 18)):
            if key in data:
                value = data[key]
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                    raise ProfileError(key, f"must be a whole number {low}–{high}")
                numbers[key] = value
        female = WOMEN_55
        if "female_retirement_base" in data:
            base = data["female_retirement_base"]
            if base not in (50, 55) or isinstance(base, bool):
                raise ProfileError("female_retirement_base", "must be 50 or 55")
            female = WOMEN_50 if base == 50 else WOMEN_55
        cities = data.get("residence_only_cities", [])
        if not isinstance(cities, list) or not all(
                isinstance(c, str) and len(c) == 4 and c.isascii() and c.isdigit() for c in cities):
            raise ProfileError("residence_only_cities", "must be a list of 4-digit city codes")
        d = cls()
        return cls(min_working_age=numbers.get("min_working_age", d.min_working_age),
                   retirement_male=d.retirement_male, retirement_female=female,
                   older_female_age=numbers.get("older_female_age", d.older_female_age),
                   older_male_age=numbers.get("older_male_age", d.older_male_age),
                   continuous_unemployment_days=numbers.get("continuous_unemployment_days",
                                                            d.continuous_unemployment_days),
                   veteran_unemployment_months=numbers.get("veteran_unemployment_months",
                                                           d.veteran_unemployment_months),
                   residence_only_cities=frozenset(cities))


DEFAULT_RULES = EligibilityRules()


@dataclass(frozen=True)
class HardshipProfile:
    """What the self-check needs (the CLI's ``--profile`` JSON, see :meth:`from_json`).

    Divisions are GB/T 2260 six-digit codes. ``declared`` holds keys of :data:`DECLARABLE` and
    is hidden from ``repr`` (sensitive).
    """

    as_of: date
    birth_date: date
    gender: str
    hukou_division: str
    residence_division: str
    unemployed: bool
    able_and_willing: bool
    last_unemployment_registration: date | None
    veteran: bool
    declared: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def from_json(cls, data: Any) -> HardshipProfile:
        """Validate a JSON mapping with exactly the keys of :data:`PROFILE_KEYS`.

        Raises:
            ProfileError: not an object, a missing or unknown key, a wrong type, a bad or
                impossible date (birth or registration after ``as_of``), a bad division code,
                an unknown or repeated ``declared`` entry.
        """
        if not isinstance(data, Mapping):
            raise ProfileError("", "must be a JSON object")
        missing = [k for k in PROFILE_KEYS if k not in data]
        if missing:
            raise ProfileError(missing[0], "is missing")
        unknown = sorted(str(k) for k in data if k not in PROFILE_KEYS)
        if unknown:
            raise ProfileError(unknown[0], "is not a profile key")
        as_of = _date(data, "as_of")
        birth = _date(data, "birth_date")
        if birth > as_of:
            raise ProfileError("birth_date", "is after as_of")
        gender = data["gender"]
        if gender not in GENDERS:
            raise ProfileError("gender", "must be \"female\" or \"male\"")
        registration = None
        if data["last_unemployment_registration"] is not None:
            registration = _date(data, "last_unemployment_registration")
            if registration > as_of:
                raise ProfileError("last_unemployment_registration", "is after as_of")
        declared = data["declared"]
        if not isinstance(declared, list) or not all(isinstance(d, str) for d in declared):
            raise ProfileError("declared", "must be a list of strings")
        for entry in declared:
            if entry not in DECLARABLE:
                raise ProfileError("declared", f"unknown entry {entry!r}")
        if len(set(declared)) != len(declared):
            raise ProfileError("declared", "lists an entry twice")
        return cls(as_of=as_of, birth_date=birth, gender=gender,
                   hukou_division=_division(data, "hukou_division"),
                   residence_division=_division(data, "residence_division"),
                   unemployed=_bool(data, "unemployed"),
                   able_and_willing=_bool(data, "able_and_willing"),
                   last_unemployment_registration=registration,
                   veteran=_bool(data, "veteran"), declared=frozenset(declared))


def _date(data: Mapping[str, Any], key: str) -> date:
    value = data[key]
    if not isinstance(value, str) or len(value) != 10:
        raise ProfileError(key, "must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ProfileError(key, "must be a date YYYY-MM-DD") from exc


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data[key]
    if not isinstance(value, bool):
        raise ProfileError(key, "must be true or false")
    return value


def _division(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ProfileError(key, "must be a six-digit GB/T 2260 code")
    return value


@dataclass(frozen=True)
class Assessment:
    """The outcome: ``failed_gates`` in :data:`GATES` order, ``categories`` ascending.

    Categories are derived whatever the gates say (staff see both); the self-check wording
    (:mod:`kiosk.domain.hardship_wording`) offers the 认定 application only when the gates pass.
    ``categories`` may hold sensitive numbers: never log an Assessment.
    """

    failed_gates: tuple[str, ...]
    categories: tuple[int, ...] = field(repr=False)
    application_places: tuple[str, ...] = ()

    @property
    def gates_passed(self) -> bool:
        return not self.failed_gates

    def as_json(self) -> dict[str, object]:
        """``{"gates_passed", "failed_gates": [...], "categories": [...]}`` (the CLI object)."""
        return {"gates_passed": self.gates_passed, "failed_gates": list(self.failed_gates),
                "categories": list(self.categories)}


def in_working_age(profile: HardshipProfile, rules: EligibilityRules = DEFAULT_RULES) -> bool:
    """16 ≤ age and ``as_of`` before the statutory retirement date (birthday-inclusive)."""
    if age_on(profile.birth_date, profile.as_of) < rules.min_working_age:
        return False
    rule = rules.retirement_female if profile.gender == "female" else rules.retirement_male
    return profile.as_of < rule.retirement_date(profile.birth_date)


def application_places(profile: HardshipProfile,
                       rules: EligibilityRules = DEFAULT_RULES) -> tuple[str, ...]:
    """Six-digit divisions whose 街道(乡镇) platform may take the application: the 户籍地 if in
    Guangdong, and the 常住地 if in Guangdong and different (§3.2; Shenzhen's rule is the same
    for other-Guangdong 户籍), or in a configured ``residence_only_cities`` city."""
    places: list[str] = []
    guangdong_hukou = profile.hukou_division.startswith(GUANGDONG)
    if guangdong_hukou:
        places.append(profile.hukou_division)
    residence = profile.residence_division
    if residence != profile.hukou_division and (
            (guangdong_hukou and residence.startswith(GUANGDONG))
            or residence[:4] in rules.residence_only_cities):
        places.append(residence)
    return tuple(places)


def assess(profile: HardshipProfile, rules: EligibilityRules = DEFAULT_RULES) -> Assessment:
    """Gates and categories of 粤人社规〔2023〕11号 第一条 for ``profile`` on ``profile.as_of``."""
    failed: list[str] = []
    if not (profile.hukou_division.startswith(GUANGDONG)
            or profile.residence_division[:4] in rules.residence_only_cities):
        failed.append("guangdong_hukou")
    if not in_working_age(profile, rules):
        failed.append("working_age")
    if not profile.unemployed:
        failed.append("unemployed")
    if not profile.able_and_willing:
        failed.append("able_and_willing")
    categories = {DECLARABLE[d] for d in profile.declared}
    age = age_on(profile.birth_date, profile.as_of)
    threshold = rules.older_female_age if profile.gender == "female" else rules.older_male_age
    if age >= threshold:
        categories.add(1)
    registered = profile.last_unemployment_registration
    if registered is not None:
        if (profile.as_of - registered).days >= rules.continuous_unemployment_days:
            categories.add(7)
        if profile.veteran and profile.as_of >= add_months(
                registered, rules.veteran_unemployment_months):
            categories.add(11)
    return Assessment(tuple(failed), tuple(sorted(categories)), application_places(profile, rules))
