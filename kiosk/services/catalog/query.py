"""Search requests (:class:`SearchFilters`) and their translation to SQL over the catalog schema.

Relevance of a hit is the sum over query terms of: 4 the title starts with the term, 3 the
title contains it, 2 the title's full pinyin matches (a syllable-aligned prefix, ``y``-tokens),
1 any other match (initials, employer, place, tag, pinyin of the occupation or tags). Ties are
broken by distance from the station (vacancies with coordinates first, nearest first), then
recency (``posted_day``, newest first), then insertion order — the catalog's row order
(:func:`kiosk.services.catalog.schema.rank_key`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.domain.codes import education
from kiosk.services.catalog import text_index
from kiosk.services.catalog.schema import day_number

KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class SearchFilters:
    """Filters of a catalog search; ``None`` (or "") = no filter. All given filters must hold.

    * ``city_code`` 4 digits ("4401"); ``district_code`` 6 digits ("440106", or a 东莞/中山
      town's 9 digits); ``town_code`` 9 digits — all GB/T 2260, matched as code prefixes.
    * ``occupation_major`` ("4") / ``occupation_code`` ("4-07"): 职业分类大典 2022.
    * ``salary_min``: yuan per month the jobseeker wants at least; a vacancy passes when its
      highest pay, converted to a month, reaches it (vacancies with pay 面议 do not pass).
    * ``education_max``: the jobseeker's GB/T 4658 level; vacancies requiring more are left out.
    * ``employment_type``: FULL_TIME / PART_TIME / TEMPORARY / INTERN.
    * ``public_welfare`` / ``internship``: True = only such posts, False = none of them.
    * ``max_age_days``: posted at most this many days ago (unknown dates and dates after today
      do not pass).
    * ``within_km``: at most this many km from the search origin (ignored without an origin;
      vacancies without coordinates do not pass).
    * ``kind``: ``"job"`` (ordinary vacancies) or ``"gig"`` (零工); None = both.
    * ``work_date_from`` / ``work_date_to``: ISO dates (YYYY-MM-DD), inclusive: only gigs whose
      work date lies in the range (jobs do not pass). See :func:`gig_dates` for 今天/明天/本周.
    """
    city_code: str | None = None
    district_code: str | None = None
    town_code: str | None = None
    occupation_major: str | None = None
    occupation_code: str | None = None
    salary_min: int | None = None
    education_max: str | None = None
    employment_type: str | None = None
    public_welfare: bool | None = None
    internship: bool | None = None
    max_age_days: int | None = None
    within_km: float | None = None
    kind: str | None = None
    work_date_from: str | None = None
    work_date_to: str | None = None

    def work_days(self) -> tuple[int, int] | None:
        """(first, last) work day (days since 1970-01-01) of the gig date range, or None.

        Raises:
            ValueError: a date is not YYYY-MM-DD.
        """
        if not (self.work_date_from or self.work_date_to):
            return None
        days = []
        for text in (self.work_date_from or self.work_date_to,
                     self.work_date_to or self.work_date_from):
            day = day_number(text or "") if len(text or "") == 10 else None
            if day is None:
                raise ValueError(f"not a date (YYYY-MM-DD): {text!r}")
            days.append(day)
        return days[0], days[1]


GIG_WINDOWS = ("today", "tomorrow", "week")


def gig_dates(window: str, today: date) -> tuple[str, str]:
    """The (from, to) ISO dates of a gig board choice: ``"today"`` 今天, ``"tomorrow"`` 明天,
    ``"week"`` 本周 (today through Sunday, ISO 8601 weeks start on Monday).

    Raises:
        ValueError: another window.
    """
    if window == "today":
        first = last = today
    elif window == "tomorrow":
        first = last = today + timedelta(days=1)
    elif window == "week":
        first, last = today, today + timedelta(days=6 - today.weekday())
    else:
        raise ValueError(f"unknown gig window {window!r} (one of {', '.join(GIG_WINDOWS)})")
    return first.isoformat(), last.isoformat()


def _code_prefix(column: str, code: str, where: list[str], params: list) -> None:
    where.append(f"{column} >= ? AND {column} < ?")
    params.extend((code, code + "~"))


def filter_sql(f: SearchFilters, today_day: int, origin: tuple[float, float] | None,
               where: list[str], params: list) -> None:
    """Append SQL conditions (on table alias ``v``) and their parameters for ``f``.

    Raises:
        UnknownCodeError: ``education_max`` is not a GB/T 4658 code.
    """
    for code in (f.city_code, f.district_code, f.town_code):
        if code:
            _code_prefix("v.division_code", code, where, params)
    if f.occupation_major:
        where.append("v.occupation_major = ?")
        params.append(f.occupation_major)
    if f.occupation_code:
        where.append("v.occupation_code = ?")
        params.append(f.occupation_code)
    if f.salary_min:
        where.append("v.monthly_max >= ?")
        params.append(f.salary_min)
    if f.education_max:
        where.append("v.edu_rank <= ?")
        params.append(education.rank_of(f.education_max))
    if f.employment_type:
        where.append("v.employment_type = ?")
        params.append(f.employment_type)
    if f.public_welfare is not None:
        where.append("v.public_welfare = ?")
        params.append(int(f.public_welfare))
    if f.internship is not None:
        where.append("v.internship = ?")
        params.append(int(f.internship))
    if f.max_age_days is not None:
        where.append("v.posted_day BETWEEN ? AND ?")
        params.extend((today_day - f.max_age_days, today_day))
    if f.kind:
        where.append("v.kind = ?")
        params.append(f.kind)
    days = f.work_days()
    if days is not None:
        where.append("v.work_day BETWEEN ? AND ?")
        params.extend(days)
    if f.within_km is not None and origin is not None:
        lat0, lon0 = origin
        kx = KM_PER_DEGREE * math.cos(math.radians(lat0))
        dlat = f.within_km / KM_PER_DEGREE
        where.append("v.latitude BETWEEN ? AND ? AND "
                     "((v.latitude - ?) * ?) * ((v.latitude - ?) * ?) + "
                     "((v.longitude - ?) * ?) * ((v.longitude - ?) * ?) <= ?")
        params.extend((lat0 - dlat, lat0 + dlat, lat0, KM_PER_DEGREE, lat0, KM_PER_DEGREE,
                       lon0, kx, lon0, kx, f.within_km ** 2))


def _text_cond(term: str, scan: bool = False) -> tuple[str, list]:
    """The term is a substring of the searchable text (FTS trigram, ``g``-token, or a scan —
    also when ``scan``: cheaper than reading a large FTS result when filters leave few rows)."""
    if scan:
        return "instr(v.search_text, ?) > 0", [term]
    if len(term) >= 3:
        return ("v.rid IN (SELECT rowid FROM fts_tri WHERE fts_tri MATCH ?)",
                [text_index.fts_phrase(term)])
    if text_index.is_gram_indexed(term):
        return ("v.rid IN (SELECT rowid FROM fts_terms WHERE fts_terms MATCH ?)",
                [text_index.fts_phrase("g" + term)])
    return "instr(v.search_text, ?) > 0", [term]


_TOKENS = "v.rid IN (SELECT rowid FROM fts_terms WHERE fts_terms MATCH ?)"


def term_sql(term: str, scan: bool = False) -> tuple[str, list, str, list]:
    """SQL for one query term: (condition on ``v``, params, relevance expression, params);
    ``scan``: see :func:`_text_cond`."""
    cond, params = _text_cond(term, scan)
    conds = [cond]
    rel = "CASE WHEN instr(v.title_norm, ?) = 1 THEN 4 WHEN instr(v.title_norm, ?) > 0 THEN 3 "
    rel_params: list = [term, term]
    if text_index.is_pinyin_candidate(term):
        conds += [_TOKENS, _TOKENS]
        params += [f"p{term}*", f"i{term}*"]
        rel += f"WHEN {_TOKENS} THEN 2 "
        rel_params.append(f"y{term}*")
    rel += "ELSE 1 END"
    return "(" + " OR ".join(conds) + ")", params, rel, rel_params
