"""Explainable matching of a jobseeker profile to vacancies (pure: no I/O).

The score is a sum of points, each with its reason in plain Chinese (shown on screen):

=====================  ======  =============================================================
part                   points  reason
=====================  ======  =============================================================
occupation             40      职业对口 (the vacancy's 大典 middle category is desired)
                       15      职业相近 (same major category as a desired one)
desired district       20      在期望区域 (division code under a desired GB/T 2260 code)
15-minute circle       15      在15分钟就业圈内（x.x公里） (≤ ``circle_km`` from the station)
salary                 15      薪资符合期望 (highest pay per month ≥ expected monthly salary)
education              10      学历符合 (requirement ≤ the jobseeker's GB/T 4658 level)
employment type        10      用工形式符合 (FULL_TIME … as wanted)
public-welfare post    15      公益性岗位，面向就业困难人员等 (jobseeker in its target groups)
internship post        15      见习岗位，面向高校毕业生等 (jobseeker in its target groups)
interest               10      符合您的兴趣：动手操作型 (the vacancy's middle category is one the
                               person's 兴趣探索 suggests; first matching hint only)
=====================  ======  =============================================================

The interest hints (:class:`kiosk.domain.interests.InterestHint`) come from the person's own
self-exploration in this session; they only add a reason for the person and never exclude a
vacancy (the exploration may not be used to screen people, ``kiosk.domain.interests``).

When the vacancy is within the 15-minute circle its reason comes first (it is the one a
jobseeker cares about most and the one the station can promise). Each reason is also kept as
a :class:`Reason` (message id marked with ``N_`` and its arguments) in ``Match.reason_ids``,
so a screen can show it in the session's language.

Vacancies requiring more education than the jobseeker has are excluded, or — with
``exclude_over_qualified=False`` — kept with the flag ``学历要求高于您的学历`` and no education
points. 公益性岗位 / 见习岗位 are offered only to their target groups
(:mod:`kiosk.domain.codes.key_groups`); others get ``None`` from :func:`score`.
Distances: equirectangular approximation of the WGS-84 great-circle distance, in km (error
under 0.1 % within 50 km).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from kiosk.domain.codes import education, key_groups
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.codes.occupations import major_of
from kiosk.domain.i18n_marker import N_
from kiosk.domain.interests import InterestHint
from kiosk.domain.vacancy import EMPLOYMENT_TYPES, Vacancy

CIRCLE_KM = 3.0   # 15 minutes by bicycle / e-bike at ~12 km/h
KM_PER_DEGREE = 111.32
# yuan per unit → yuan per month (21.75 working days of 8 hours; 劳社部发〔2008〕3号)
# A piece rate (元/件) has no monthly equivalent: 0, like pay not stated.
MONTHLY_FACTOR = {"MONTH": 1.0, "DAY": 21.75, "HOUR": 174.0, "YEAR": 1 / 12, "PIECE": 0.0}

POINTS_OCCUPATION = 40
POINTS_OCCUPATION_MAJOR = 15
POINTS_DISTRICT = 20
POINTS_CIRCLE = 15
POINTS_SALARY = 15
POINTS_EDUCATION = 10
POINTS_EMPLOYMENT_TYPE = 10
POINTS_TARGET_GROUP = 15
POINTS_INTEREST = 10
FLAG_OVER_QUALIFIED = N_("学历要求高于您的学历")
REASON_CIRCLE = N_("在15分钟就业圈内（{}公里）")


@dataclass(frozen=True)
class JobseekerProfile:
    """What the jobseeker wants and is (codes as in :mod:`kiosk.domain.codes`).

    ``expected_salary`` is yuan per month (0 = no expectation); ``education_code`` a GB/T 4658
    code ("" = unknown, treated as 其他); ``employment_type`` "" = any; ``key_groups`` codes of
    :data:`kiosk.domain.codes.key_groups.KEY_GROUPS`; ``interest_hints`` the session's 兴趣探索
    suggestions, best first (:func:`kiosk.domain.interests.hints`).
    """
    desired_occupations: tuple[str, ...] = ()
    desired_districts: tuple[str, ...] = ()
    expected_salary: int = 0
    education_code: str = ""
    employment_type: str = ""
    key_groups: tuple[str, ...] = ()
    interest_hints: tuple[InterestHint, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One reason as a message id (the Chinese text with ``{}`` slots) and its arguments;
    ``args_en`` replaces ``args`` in English where an argument is data with its own English
    name (the interest type), else the screen translates each argument as a message id."""
    message_id: str
    args: tuple[str, ...] = ()
    args_en: tuple[str, ...] | None = None

    @property
    def text_zh(self) -> str:
        return self.message_id.format(*self.args) if self.args else self.message_id


@dataclass(frozen=True)
class Match:
    """A vacancy with its score, the reasons for the points and warnings (``flags``), in
    Chinese; ``reason_ids`` holds each reason as ``(message id, arguments)`` (same order)."""
    vacancy: Vacancy
    score: int
    reasons: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    distance_km: float | None = None
    reason_ids: list[Reason] = field(default_factory=list)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km between two (latitude, longitude) points in degrees."""
    kx = KM_PER_DEGREE * math.cos(math.radians(a[0]))
    return math.hypot((b[0] - a[0]) * KM_PER_DEGREE, (b[1] - a[1]) * kx)


def monthly_max(v: Vacancy) -> int:
    """Highest stated pay of a vacancy in yuan per month (0 = not stated)."""
    top = v.salary_max or v.salary_min
    return round(top * MONTHLY_FACTOR.get(v.salary_unit, 1.0))


def _safe_rank(code: str) -> int:
    try:
        return education.rank_of(code)
    except CodeError:
        return 0


def score(profile: JobseekerProfile, v: Vacancy, distance: float | None = None,
          circle_km: float = CIRCLE_KM, exclude_over_qualified: bool = True) -> Match | None:
    """Score one vacancy for a profile; None when it is not offered (see module docstring).

    ``distance`` is km from the station (None = unknown: no circle points).
    """
    reasons: list[str] = []
    ids: list[Reason] = []
    flags: list[str] = []

    def reason(message_id: str, *args: str, args_en: tuple[str, ...] | None = None) -> None:
        ids.append(Reason(message_id, args, args_en))
        reasons.append(ids[-1].text_zh)

    points = 0
    groups = frozenset(profile.key_groups)
    if v.public_welfare:
        if not key_groups.eligible_for_public_welfare(groups):
            return None
        points += POINTS_TARGET_GROUP
        reason(N_("公益性岗位，面向就业困难人员等"))
    if v.internship:
        if not key_groups.eligible_for_internship(groups):
            return None
        points += POINTS_TARGET_GROUP
        reason(N_("见习岗位，面向高校毕业生等"))
    if _safe_rank(v.education_code) > _safe_rank(profile.education_code):
        if exclude_over_qualified:
            return None
        flags.append(FLAG_OVER_QUALIFIED)
    else:
        points += POINTS_EDUCATION
        reason(N_("学历符合"))
    if v.occupation_code and v.occupation_code in profile.desired_occupations:
        points += POINTS_OCCUPATION
        reason(N_("职业对口"))
    elif v.occupation_code and major_of(v.occupation_code) in {
            major_of(c) for c in profile.desired_occupations}:
        points += POINTS_OCCUPATION_MAJOR
        reason(N_("职业相近"))
    if v.division_code and any(v.division_code.startswith(d) for d in profile.desired_districts):
        points += POINTS_DISTRICT
        reason(N_("在期望区域（{}）"), v.town or v.district or v.city)
    if distance is not None and distance <= circle_km:
        points += POINTS_CIRCLE
        reason(REASON_CIRCLE, f"{distance:.1f}")
    if profile.expected_salary and monthly_max(v) >= profile.expected_salary:
        points += POINTS_SALARY
        reason(N_("薪资符合期望"))
    if profile.employment_type and v.employment_type == profile.employment_type:
        points += POINTS_EMPLOYMENT_TYPE
        reason(N_("用工形式符合（{}）"), EMPLOYMENT_TYPES.get(v.employment_type, ""))
    hint = next((h for h in profile.interest_hints if v.occupation_code in h.occupation_codes), None)
    if hint is not None:
        points += POINTS_INTEREST
        reason(N_("符合您的兴趣：{}"), hint.label_zh, args_en=(hint.label_en or hint.label_zh,))
    circle = next((i for i, r in enumerate(ids) if r.message_id == REASON_CIRCLE), None)
    if circle is not None:                       # the 15-minute circle first
        reasons.insert(0, reasons.pop(circle))
        ids.insert(0, ids.pop(circle))
    return Match(v, points, reasons, flags, distance, ids)


def rank(profile: JobseekerProfile, vacancies: Iterable[Vacancy],
         origin: tuple[float, float] | None = None, limit: int = 20,
         circle_km: float = CIRCLE_KM, exclude_over_qualified: bool = True) -> list[Match]:
    """The best ``limit`` matches, highest score first; ties: nearer, then newer, then id."""
    matches: list[Match] = []
    for v in vacancies:
        dist = None
        if origin and v.latitude is not None and v.longitude is not None:
            dist = distance_km(origin, (v.latitude, v.longitude))
        m = score(profile, v, dist, circle_km, exclude_over_qualified)
        if m is not None:
            matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.distance_km if m.distance_km is not None else 1e9,
                                _neg_date(m.vacancy.date_posted), m.vacancy.id))
    return matches[:limit]


def _neg_date(iso: str) -> tuple[int, ...]:
    digits = [int(p) for p in iso[:10].split("-") if p.isdigit()]
    return tuple(-d for d in digits) or (0,)
