"""Running a catalog search: counting (capped), ranking and reading the page.

Ranking is relevance (see :mod:`~kiosk.services.catalog.query`) descending, then the tie order:
with the catalog's own origin (the station) — or no origin on a catalog without one — that is
the row order (:func:`kiosk.services.catalog.schema.rank_key`: nearest first, then newest);
with another origin, distance from that origin (vacancies without coordinates last), then
recency; without an origin on a catalog ordered by distance, recency. Only the page's rows are
read from ``vacancy``.

Three plans give the same order (tests compare them):

* **In memory** (:mod:`~kiosk.services.catalog.postings`): up to
  :data:`~kiosk.services.catalog.postings.MAX_TERMS` terms with the catalog's own origin, as
  bitset algebra over posting lists held in memory — about 0.5–2.5 ms at 120,000 vacancies,
  whatever the terms and filters. Filters without a token (a pay threshold off the ladder, an
  odd division code), more terms and searches while a write runs go to the SQL plans below.
* **Rank order** (:mod:`~kiosk.services.catalog.ranked`): one term or none, with the catalog's
  origin — what the kiosk asks. Reads the full-text index in row order level by level and stops
  when the page is full; counts up to :data:`COUNT_CAP` + 1.
* **Exhaustive**: everything else (several terms, punctuation, another origin): every hit is
  scored and sorted in one statement.

Past :data:`COUNT_CAP` hits the total is not counted (``total`` = :data:`COUNT_CAP`,
``total_capped`` = True: show "1000+"; further pages still work); a page reaching past
:data:`COUNT_CAP` counts exactly.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

from kiosk.domain.matching import KM_PER_DEGREE, distance_km
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import ranked, schema, text_index
from kiosk.services.catalog.postings import SearchIndex
from kiosk.services.catalog.query import SearchFilters, filter_sql, term_sql

COUNT_CAP = 1000        # hits counted exactly up to this many; beyond, total = COUNT_CAP, capped
_READ_BATCH = 500       # row ids per "IN (…)" when reading the page's full rows


@dataclass(frozen=True)
class SearchHit:
    """One result: the vacancy, its relevance score (sum over terms, 0 without a query), the
    distance in km from the search origin (None without origin or coordinates; rounded to
    10 m) and the age of the posting in whole days (None when ``date_posted`` is unknown)."""
    vacancy: Vacancy
    score: int
    distance_km: float | None
    posting_age_days: int | None


@dataclass(frozen=True)
class SearchResult:
    """``items`` is the requested page, best first. ``total`` vacancies match — exactly when
    ``total_capped`` is False; when True, more than :data:`COUNT_CAP` match and ``total`` is
    :data:`COUNT_CAP` (show it as "1000+"; further pages still work)."""
    total: int
    items: list[SearchHit]
    total_capped: bool = False


def run(db: sqlite3.Connection, query: str, filters: SearchFilters, limit: int, offset: int,
        origin: tuple[float, float] | None, today: int,
        order_origin: tuple[float, float] | None, exhaustive: bool = False,
        index: SearchIndex | None = None) -> SearchResult:
    """See :meth:`kiosk.services.catalog.store.VacancyCatalog.search` (``today`` in days since
    1970-01-01; ``order_origin`` the origin the row order was built for; ``exhaustive`` forces
    the exhaustive plan, for tests; ``index`` the catalog's up-to-date in-memory index, tried
    first). Raises UnknownCodeError for a bad ``filters.education_max``, ValueError for a bad
    gig date."""
    terms = text_index.query_terms(query)
    need = offset + limit
    if index is not None and not exhaustive and origin == order_origin:
        found = index.search(db, terms, filters, need, COUNT_CAP, today, origin)
        if found is not None:
            total, capped, hits = found
            return SearchResult(total, read_page(db, hits[offset:need], origin, today), capped)
    fast = None if exhaustive or origin != order_origin else ranked.plan(
        terms, filters, today, origin, lambda tokens: ranked.rare_tokens(db, tokens))
    if fast is not None:
        p, residual, params = fast
        total, capped, hits = ranked.run(db, p, residual, params, need, COUNT_CAP)
        return SearchResult(total, read_page(db, hits[offset:need], origin, today), capped)
    return _exhaustive(db, terms, filters, limit, offset, origin, today, order_origin)


def _exhaustive(db: sqlite3.Connection, terms: list[str], filters: SearchFilters, limit: int,
                offset: int, origin: tuple[float, float] | None, today: int,
                order_origin: tuple[float, float] | None) -> SearchResult:
    filter_where: list[str] = []
    filter_params: list = []
    filter_sql(filters, today, origin, filter_where, filter_params)
    sql = [term_sql(term) for term in terms]
    rel_sql = " + ".join(f"({rel})" for _, _, rel, _ in sql) or "0"
    rel_params = [p for _, _, _, params in sql for p in params]
    where = " AND ".join([cond for cond, _, _, _ in sql] + filter_where) or "1"
    params = [p for _, params, _, _ in sql for p in params] + filter_params
    need = offset + limit
    counted = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM vacancy_search v WHERE {where} "
                         "LIMIT ?)", [*params, COUNT_CAP + 1 if need <= COUNT_CAP else -1]
                         ).fetchone()[0]
    if origin == order_origin:
        order = "v.rid"
    elif origin is not None:
        lat0, lon0 = origin
        kx = KM_PER_DEGREE * math.cos(math.radians(lat0))
        dist = (f"((v.latitude - {lat0!r}) * {KM_PER_DEGREE!r}) * ((v.latitude - {lat0!r}) * "
                f"{KM_PER_DEGREE!r}) + ((v.longitude - {lon0!r}) * {kx!r}) * "
                f"((v.longitude - {lon0!r}) * {kx!r})")
        order = f"v.latitude IS NULL OR v.longitude IS NULL, {dist}, v.posted_day DESC, v.rid"
    else:
        order = "v.posted_day IS NULL, v.posted_day DESC, v.rid & 16777215"
    ranked_rows = db.execute(
        f"SELECT v.rid, {rel_sql} AS relevance FROM vacancy_search v WHERE {where} "
        f"ORDER BY relevance DESC, {order} LIMIT ? OFFSET ?",
        [*rel_params, *params, limit, offset]).fetchall()
    capped = counted > COUNT_CAP and need <= COUNT_CAP
    return SearchResult(COUNT_CAP if capped else counted,
                        read_page(db, [(r[0], r[1]) for r in ranked_rows], origin, today), capped)


def read_page(db: sqlite3.Connection, ranked_rows: list, origin: tuple[float, float] | None,
          today: int) -> list[SearchHit]:
    """Full rows of ``ranked_rows`` ((rid, relevance) best first) as hits, in the same order."""
    if not ranked_rows:
        return []
    fields = ", ".join(schema.VACANCY_FIELDS)
    rids = [rid for rid, _ in ranked_rows]
    rows: dict[int, tuple] = {}
    cur = db.cursor()
    cur.row_factory = None          # plain tuples: ~3× cheaper than sqlite3.Row per field
    for start in range(0, len(rids), _READ_BATCH):
        chunk = rids[start:start + _READ_BATCH]
        rows.update((row[0], row) for row in cur.execute(
            f"SELECT rid, posted_day, {fields} FROM vacancy "
            f"WHERE rid IN ({', '.join('?' * len(chunk))})", chunk))
    items = []
    for rid, relevance in ranked_rows:
        row = rows[rid]
        v = schema.from_values(row[2:])
        dist = None
        if origin and v.latitude is not None and v.longitude is not None:
            dist = round(distance_km(origin, (v.latitude, v.longitude)), 2)
        age = today - row[1] if row[1] is not None else None
        items.append(SearchHit(v, relevance, dist, age))
    return items
