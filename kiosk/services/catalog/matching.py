"""Matching a jobseeker profile against the catalog (or any vacancies), with reasons.

The score and its reasons are :func:`kiosk.domain.matching.score`; only the best ``limit`` rows
(plus a margin) are scored in Python to produce the reasons. Against a :class:`VacancyCatalog`
the candidates come from one of two plans with the same constants:

* **Score levels** (the catalog's own origin, the kiosk's case): the score is a sum of yes/no
  parts, and each combination of parts is one full-text expression over the filter tokens
  (occupation ``c``/``o``, district ``d``, employment type ``e``, special posts ``xpw``/``xin``)
  plus checks on the row (salary, education, the 15-minute circle, which is also a row-id bound
  since rows are ordered by distance). Combinations are read best score first, each in row
  order (nearest, then newest), until the page is full — a few ms at 120,000 vacancies
  instead of scoring every row. Within a score, rows tied on the row order's distance/day
  key are all read and sorted as the pure ranking does (nearer, newer, id).
* **SQL scoring** (no or another origin): the points computed in SQL over every row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import heapq
from collections.abc import Callable
from itertools import product

from kiosk.domain import matching as pure
from kiosk.domain.codes import key_groups
from kiosk.domain.codes.occupations import major_of
from kiosk.domain.matching import CIRCLE_KM, JobseekerProfile, Match
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import schema
from kiosk.services.catalog.ranked import Stream
from kiosk.services.catalog.store import VacancyCatalog
from kiosk.services.catalog.text_index import code_token, fts_phrase

MARGIN = 20      # candidates beyond ``limit``: float differences at the circle's edge

__all__ = ["JobseekerProfile", "Match", "match"]


def match(profile: JobseekerProfile, catalog_or_vacancies: VacancyCatalog | Iterable[Vacancy],
          origin: tuple[float, float] | None = None, limit: int = 20,
          circle_km: float = CIRCLE_KM, exclude_over_qualified: bool = True) -> list[Match]:
    """The best ``limit`` vacancies for ``profile``, highest score first (ties: nearer, newer,
    id). ``origin`` is the station (latitude, longitude) for the 15-minute circle."""
    if not isinstance(catalog_or_vacancies, VacancyCatalog):
        return pure.rank(profile, catalog_or_vacancies, origin, limit, circle_km,
                         exclude_over_qualified)
    vacancies = _top_by_levels(profile, catalog_or_vacancies, origin, limit + MARGIN,
                               circle_km, exclude_over_qualified)
    if vacancies is None:
        vacancies = _top_from_sql(profile, catalog_or_vacancies, origin, limit, circle_km,
                                  exclude_over_qualified)
    return pure.rank(profile, vacancies, origin, limit, circle_km, exclude_over_qualified)


# One part of the score: its states, each (points, positive FTS expression or "", negative
# tokens, SQL check on ``v`` or "", check params, row-id bound or None).
_State = tuple[int, str, tuple[str, ...], str, tuple, "int | None"]


def _or(tokens: list[str]) -> str:
    return "(" + " OR ".join(tokens) + ")"


def _sql_in(column: str, values: list[str]) -> tuple[str, tuple]:
    return f"{column} IN ({', '.join('?' * len(values))})", tuple(values)


def _parts(profile: JobseekerProfile, origin: tuple[float, float], circle_km: float,
           exclude_over_qualified: bool, rare: Callable[[list[str]], set[str]]
           ) -> tuple[list[list[_State]], str, tuple, int] | None:
    """(parts, base check, its params, constant points), or None if a desired district is not
    a token (an odd code length). A part is read from the index only through tokens ``rare``
    calls rare (a common token costs its whole doclist in an AND); otherwise it is a check on
    the row."""
    groups = frozenset(profile.key_groups)
    rank = pure._safe_rank(profile.education_code)
    parts: list[list[_State]] = []
    constant = 0
    codes = sorted(set(profile.desired_occupations))
    major_codes = sorted({major_of(c) for c in codes})
    c_tokens = [code_token("c", c) for c in codes]
    o_tokens = [code_token("o", m) for m in major_codes]
    districts = sorted(set(profile.desired_districts))
    if not all(c.isdigit() and len(c) in (4, 6, 9, 12) for c in districts):
        return None
    d_tokens = ["d" + c for c in districts]
    salary = int(profile.expected_salary or 0)
    m_token = f"m{salary}" if salary in schema.SALARY_LADDER else ""
    e_token = code_token("e", profile.employment_type) if profile.employment_type else ""
    u_token = f"u{rank}"
    found = rare([*c_tokens, *o_tokens, *d_tokens, *([m_token] if m_token else []),
                  *([e_token] if e_token else []), u_token])

    def tokens(names: list[str]) -> tuple[str, tuple[str, ...]] | None:
        """(OR expression, quoted tokens) when every token is rare, else None."""
        if names and all(n in found for n in names):
            quoted = tuple(fts_phrase(n) for n in names)
            return _or(list(quoted)), quoted
        return None

    if codes:
        exact, major = tokens(c_tokens), tokens(o_tokens)
        in_occ, occ_params = _sql_in("v.occupation_code", codes)
        in_major, major_params = _sql_in("v.occupation_major", major_codes)
        is_major = f"v.occupation_code != '' AND {in_major}"
        parts.append([
            (pure.POINTS_OCCUPATION, exact[0], (), "", (), None) if exact else
            (pure.POINTS_OCCUPATION, "", (), in_occ, occ_params, None),
            (pure.POINTS_OCCUPATION_MAJOR, major[0], exact[1], "", (), None) if major and exact
            else (pure.POINTS_OCCUPATION_MAJOR, major[0] if major else "", (),
                  f"NOT {in_occ}" + ("" if major else f" AND {is_major}"),
                  occ_params + (() if major else major_params), None),
            (0, "", major[1], "", (), None) if major else
            (0, "", (), f"NOT ({is_major})", major_params, None)])
    if districts:
        d = tokens(d_tokens)
        prefix = " OR ".join("substr(v.division_code, 1, ?) = ?" for _ in districts)
        prefix_params = tuple(p for c in districts for p in (len(c), c))
        parts.append([(pure.POINTS_DISTRICT, d[0], (), "", (), None) if d else
                      (pure.POINTS_DISTRICT, "", (), f"({prefix})", prefix_params, None),
                      (0, "", d[1], "", (), None) if d else
                      (0, "", (), f"NOT ({prefix})", prefix_params, None)])
    lat0, lon0 = origin
    kx = pure.KM_PER_DEGREE * math.cos(math.radians(lat0))
    ky = pure.KM_PER_DEGREE
    dist2 = (f"((v.latitude - {lat0!r}) * {ky!r}) * ((v.latitude - {lat0!r}) * {ky!r}) + "
             f"((v.longitude - {lon0!r}) * {kx!r}) * ((v.longitude - {lon0!r}) * {kx!r})")
    inside = f"v.latitude IS NOT NULL AND v.longitude IS NOT NULL AND {dist2} <= {circle_km ** 2!r}"
    parts.append([(pure.POINTS_CIRCLE, "", (), inside, (), schema.within_bound(circle_km)),
                  (0, "", (), f"NOT ({inside})", (), None)])
    if salary:
        m = tokens([m_token]) if m_token else None
        parts.append([(pure.POINTS_SALARY, m[0], (), "", (), None) if m else
                      (pure.POINTS_SALARY, "", (), "v.monthly_max >= ?", (salary,), None),
                      (0, "", m[1], "", (), None) if m else
                      (0, "", (), "v.monthly_max < ?", (salary,), None)])
    if e_token:
        e = tokens([e_token])
        kind = (profile.employment_type,)
        parts.append([(pure.POINTS_EMPLOYMENT_TYPE, e[0], (), "", (), None) if e else
                      (pure.POINTS_EMPLOYMENT_TYPE, "", (), "v.employment_type = ?", kind, None),
                      (0, "", e[1], "", (), None) if e else
                      (0, "", (), "v.employment_type != ?", kind, None)])
    for eligible, token in ((key_groups.eligible_for_public_welfare(groups), '"xpw"'),
                            (key_groups.eligible_for_internship(groups), '"xin"')):
        if eligible:
            parts.append([(pure.POINTS_TARGET_GROUP, token, (), "", (), None),
                          (0, "", (token,), "", (), None)])
        else:
            parts.append([(0, "", (token,), "", (), None)])
    u = tokens([u_token])
    if exclude_over_qualified:      # "requires at most rank r": in every combination
        parts.append([(0, u[0], (), "", (), None) if u else
                      (0, "", (), "v.edu_rank <= ?", (rank,), None)])
        constant = pure.POINTS_EDUCATION
    else:
        parts.append([(pure.POINTS_EDUCATION, "", (), "v.edu_rank <= ?", (rank,), None),
                      (0, "", (), "v.edu_rank > ?", (rank,), None)])
    return parts, "", (), constant


def _combination(states: tuple[_State, ...], base: str, base_params: tuple
                 ) -> tuple[int, Stream, int | None]:
    pos = [s[1] for s in states if s[1]] or ['"xall"']
    neg = sorted({t for s in states for t in s[2]})
    expr = "(" + ") AND (".join(pos) + ")" + "".join(f" NOT {t}" for t in neg)
    checks = [c for c in (base, *(s[3] for s in states)) if c]
    params = (*base_params, *(p for s in states for p in s[4]))
    bounds = [s[5] for s in states if s[5] is not None]
    return (sum(s[0] for s in states), Stream(expr, " AND ".join(checks), params),
            min(bounds) if bounds else None)


def _tie_key(rid: int) -> int:
    """The part of a row id the pure ranking may order differently: rows with coordinates
    share a key per rounded metre (the pure ranking uses the exact distance), rows without
    per posting day (the pure ranking then goes by id, the row order by insertion)."""
    return rid >> 40 if not rid >> 62 else rid >> 24


def _top_by_levels(profile: JobseekerProfile, catalog: VacancyCatalog,
                   origin: tuple[float, float] | None, need: int, circle_km: float,
                   exclude_over_qualified: bool) -> list[Vacancy] | None:
    """The best ``need`` candidates by the score-level plan (module docstring), or None when it
    does not apply (no origin or not the catalog's, an odd district code)."""
    if origin is None or catalog.origin is None or tuple(origin) != catalog.origin:
        return None
    found = _parts(profile, origin, circle_km, exclude_over_qualified, catalog.rare_tokens)
    if found is None:
        return None
    parts, base, base_params, constant = found
    levels: dict[int, list[tuple[Stream, int | None]]] = {}
    for states in product(*parts):
        points, stream, bound = _combination(states, base, base_params)
        levels.setdefault(points, []).append((stream, bound))
    chosen: list[int] = []
    for points in sorted(levels, reverse=True):
        want = need - len(chosen)
        if want <= 0:
            break
        streams = levels[points]
        first = [catalog.stream_rids(s, want, bound) for s, bound in streams]
        merged = list(heapq.merge(*first))
        rids = merged[:want]
        if not rids:
            continue
        if len(rids) == want:       # complete the tie group of the last row
            key = _tie_key(rids[-1])
            shift = 40 if not rids[-1] >> 62 else 24
            upper = ((key + 1) << shift) - 1
            rids += [r for r in merged[want:] if r <= upper]
            for (s, bound), got in zip(streams, first, strict=True):
                if len(got) == want and got[-1] < upper:
                    more = catalog.stream_rids(s, 1 << 30, min(upper, bound or upper),
                                               after=got[-1])
                    rids += more
            rids = sorted(set(rids))
            if len(rids) > want:
                rids = catalog.order_like_pure(rids, origin)[:want]
        chosen += rids
    del constant            # the same for every candidate: it does not change the order
    return catalog.by_rids(chosen)


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
