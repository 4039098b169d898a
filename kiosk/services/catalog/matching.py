"""Matching a jobseeker profile against the catalog (or any vacancies), with reasons.

The score and its reasons are :func:`kiosk.domain.matching.score`. Against a
:class:`VacancyCatalog` the same points are computed in SQL over every row (so 100,000
vacancies take tens of milliseconds, not a Python loop), and only the best ``limit`` rows are
re-scored in Python to produce the reasons; both use the same constants.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from kiosk.domain import matching as pure
from kiosk.domain.codes import key_groups
from kiosk.domain.codes.occupations import major_of
from kiosk.domain.matching import CIRCLE_KM, JobseekerProfile, Match
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog.store import VacancyCatalog

__all__ = ["JobseekerProfile", "Match", "match"]


def match(profile: JobseekerProfile, catalog_or_vacancies: VacancyCatalog | Iterable[Vacancy],
          origin: tuple[float, float] | None = None, limit: int = 20,
          circle_km: float = CIRCLE_KM, exclude_over_qualified: bool = True) -> list[Match]:
    """The best ``limit`` vacancies for ``profile``, highest score first (ties: nearer, newer,
    id). ``origin`` is the station (latitude, longitude) for the 15-minute circle."""
    if not isinstance(catalog_or_vacancies, VacancyCatalog):
        return pure.rank(profile, catalog_or_vacancies, origin, limit, circle_km,
                         exclude_over_qualified)
    vacancies = _top_from_sql(profile, catalog_or_vacancies, origin, limit, circle_km,
                              exclude_over_qualified)
    return pure.rank(profile, vacancies, origin, limit, circle_km, exclude_over_qualified)


def _in(column: str, values: Iterable[str], params: list) -> str:
    values = list(values)
    params.extend(values)
    return f"{column} IN ({', '.join('?' * len(values))})" if values else "0"


def _top_from_sql(profile: JobseekerProfile, catalog: VacancyCatalog,
                  origin: tuple[float, float] | None, limit: int, circle_km: float,
                  exclude_over_qualified: bool) -> list[Vacancy]:
    groups = frozenset(profile.key_groups)
    rank = pure._safe_rank(profile.education_code)
    where: list[str] = []
    params: list = []
    if not key_groups.eligible_for_public_welfare(groups):
        where.append("public_welfare = 0")
    if not key_groups.eligible_for_internship(groups):
        where.append("internship = 0")
    if exclude_over_qualified:
        where.append(f"edu_rank <= {rank}")
    sp: list = []
    parts = [f"{pure.POINTS_TARGET_GROUP} * (public_welfare + internship)",
             f"CASE WHEN edu_rank <= {rank} THEN {pure.POINTS_EDUCATION} ELSE 0 END"]
    occ = _in("occupation_code", profile.desired_occupations, sp)
    majors = _in("occupation_major", {major_of(c) for c in profile.desired_occupations}, sp)
    parts.append(f"CASE WHEN {occ} THEN {pure.POINTS_OCCUPATION} WHEN occupation_code != '' "
                 f"AND {majors} THEN {pure.POINTS_OCCUPATION_MAJOR} ELSE 0 END")
    if profile.desired_districts:
        conds = []
        for code in profile.desired_districts:
            conds.append("substr(division_code, 1, ?) = ?")
            sp.extend((len(code), code))
        parts.append(f"CASE WHEN division_code != '' AND ({' OR '.join(conds)}) "
                     f"THEN {pure.POINTS_DISTRICT} ELSE 0 END")
    dist2 = "1e18"
    if origin is not None:
        lat0, lon0 = origin
        kx = pure.KM_PER_DEGREE * math.cos(math.radians(lat0))
        ky = pure.KM_PER_DEGREE
        dist2 = (f"COALESCE(((latitude - {lat0!r}) * {ky!r}) * ((latitude - {lat0!r}) * {ky!r})"
                 f" + ((longitude - {lon0!r}) * {kx!r}) * ((longitude - {lon0!r}) * {kx!r}), 1e18)")
        parts.append(f"CASE WHEN {dist2} <= {circle_km * circle_km!r} "
                     f"THEN {pure.POINTS_CIRCLE} ELSE 0 END")
    if profile.expected_salary:
        parts.append(f"CASE WHEN monthly_max >= {int(profile.expected_salary)} "
                     f"THEN {pure.POINTS_SALARY} ELSE 0 END")
    if profile.employment_type:
        parts.append(f"CASE WHEN employment_type = ? THEN {pure.POINTS_EMPLOYMENT_TYPE} "
                     "ELSE 0 END")
        sp.append(profile.employment_type)
    if profile.interest_hints:
        codes = sorted({c for hint in profile.interest_hints for c in hint.occupation_codes})
        parts.append(f"CASE WHEN {_in('occupation_code', codes, sp)} "
                     f"THEN {pure.POINTS_INTEREST} ELSE 0 END")
    # A margin of rows beyond ``limit`` absorbs float differences at the circle's edge.
    return catalog.select(" AND ".join(where) or "1",
                          f"{' + '.join(parts)} DESC, {dist2}, posted_day DESC, id",
                          [*params, *sp], limit + 20)
