"""Running a catalog search: counting (capped), ranking and reading the page.

Ranking is relevance (see :mod:`~kiosk.services.catalog.query`) descending, then recency
(``posted_day`` newest first, unknown dates last), then insertion order (``rid``). Everything
runs on the narrow ``vacancy_search`` table; only the page's rows are read from ``vacancy``.

Two plans give the same order (tests compare them):

* **Small result** (at most :data:`COUNT_CAP` hits, or a page reaching past it): every hit is
  scored and sorted in one statement; ``total`` is exact.
* **Broad result** (more than :data:`COUNT_CAP` hits, e.g. "测试" hits ~32,000 of 100,000): hits
  are not all counted (``total`` = :data:`COUNT_CAP`, ``total_capped`` = True: show "1000+")
  nor all scored. Relevance takes few values (a term scores 4, 3, 2 or 1), so the page is
  filled level by level, best level first; within a level rows come in recency order, first by
  walking the recency index over the newest :data:`RECENT_WINDOW` rows (cheap when the level is
  common), then, if the level has fewer rows there than the page needs, from the older rows
  through the full-text index (cheap when the level is rare). It stops once the page is full.

When the filters alone leave at most :data:`SCAN_ROWS` rows, substrings are tested on those
rows (``instr`` on ``search_text``) instead of reading a possibly huge FTS result.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from itertools import product

from kiosk.domain.matching import distance_km
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import schema, text_index
from kiosk.services.catalog.query import (SearchFilters, filter_sql, fts_counts,
                                          level_sql, term_levels, term_sql)

COUNT_CAP = 1000        # hits counted exactly up to this many; beyond, total = COUNT_CAP, capped
RECENT_WINDOW = 4000    # rows of the recency index walked per level before using the text index
SCAN_ROWS = 5000        # filters leaving at most this many rows: substrings tested row by row
_READ_BATCH = 500       # row ids per "IN (…)" when reading the page's full rows


@dataclass(frozen=True)
class SearchHit:
    """One result: the vacancy, its relevance score (sum over terms, 0 without a query), the
    distance in km from the search origin (None without origin or coordinates) and the age of
    the posting in whole days (None when ``date_posted`` is unknown)."""
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
        origin: tuple[float, float] | None, today: int) -> SearchResult:
    """See :meth:`kiosk.services.catalog.store.VacancyCatalog.search` (``today`` in days since
    1970-01-01). Raises UnknownCodeError for a bad ``filters.education_max``."""
    terms = text_index.query_terms(query)
    filter_where: list[str] = []
    filter_params: list = []
    filter_sql(filters, today, origin, filter_where, filter_params)
    scan = bool(terms and filter_where) and db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM vacancy_search v WHERE {' AND '.join(filter_where)}"
        " LIMIT ?)", [*filter_params, SCAN_ROWS + 1]).fetchone()[0] <= SCAN_ROWS
    sql = [term_sql(term, scan) for term in terms]
    hit_where = [cond for cond, _, _, _ in sql]
    hit_params = [p for _, params, _, _ in sql for p in params]
    rel_sql = " + ".join(f"({rel})" for _, _, rel, _ in sql) or "0"
    rel_params = [p for _, _, _, params in sql for p in params]
    where = " AND ".join(hit_where + filter_where) or "1"
    params = hit_params + filter_params
    need = offset + limit
    parts = fts_counts(terms[0]) if len(terms) == 1 and not filter_where else None
    if parts and any(db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} "
                                "MATCH ? LIMIT ?)", (match, COUNT_CAP + 1)).fetchone()[0]
                     > COUNT_CAP for table, match in parts):
        counted = COUNT_CAP + 1     # one FTS part alone has more hits than the cap
    else:
        counted = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM vacancy_search v "
                             f"WHERE {where} LIMIT ?)", [*params, COUNT_CAP + 1]).fetchone()[0]
    if counted <= COUNT_CAP or need > COUNT_CAP:
        total = counted if counted <= COUNT_CAP else db.execute(
            f"SELECT count(*) FROM vacancy_search v WHERE {where}", params).fetchone()[0]
        ranked = db.execute(
            f"SELECT v.rid, {rel_sql} AS relevance FROM vacancy_search v WHERE {where} "
            "ORDER BY relevance DESC, v.posted_day DESC, v.rid LIMIT ? OFFSET ?",
            [*rel_params, *params, limit, offset]).fetchall()
        return SearchResult(total, _page(db, ranked, origin, today))
    ranked = []
    levels = sorted({sum(combo) for combo in product(*(term_levels(t) for t in terms))},
                    reverse=True) or [0]
    window_day = _window_day(db)
    for level in levels:
        if len(terms) == 1:
            cond, cond_params = level_sql(terms[0], level, scan=scan)
            full = (" AND ".join([cond, *filter_where]), [*cond_params, *filter_params])
            cond, cond_params = level_sql(terms[0], level, indexed=False, scan=scan)
            window = (" AND ".join([cond, *filter_where]), [*cond_params, *filter_params])
        else:
            level_where = [f"({rel_sql}) = ?", *hit_where, *filter_where]
            level_params = [*rel_params, level, *hit_params, *filter_params]
            window = full = (" AND ".join(level_where), level_params)
        ranked += [(rid, level) for rid in
                   _level_rids(db, window, full, need - len(ranked), window_day)]
        if len(ranked) >= need:
            break
    return SearchResult(COUNT_CAP, _page(db, ranked[offset:need], origin, today),
                        total_capped=True)


def _window_day(db: sqlite3.Connection) -> int | None:
    """The posting day of the RECENT_WINDOW-th newest row (None: fewer rows or no dates)."""
    row = db.execute("SELECT posted_day FROM vacancy_search INDEXED BY search_recent "
                     "WHERE posted_day IS NOT NULL ORDER BY posted_day DESC LIMIT 1 OFFSET ?",
                     (RECENT_WINDOW,)).fetchone()
    return row[0] if row else None


def _level_rids(db: sqlite3.Connection, window: tuple[str, list], full: tuple[str, list],
                need: int, window_day: int | None) -> list[int]:
    """Up to ``need`` row ids of one level in recency order: those posted on or after
    ``window_day`` by walking the recency index (``window`` condition), then, if short, the
    older and undated ones (``full`` condition, which the planner can drive from the FTS)."""
    order = "ORDER BY v.posted_day DESC, v.rid LIMIT ?"
    rids: list[int] = []
    older = ""
    if window_day is not None:
        rids = [row[0] for row in db.execute(
            f"SELECT v.rid FROM vacancy_search v INDEXED BY search_recent "
            f"WHERE v.posted_day >= ? AND {window[0]} {order}", [window_day, *window[1], need])]
        if len(rids) >= need:
            return rids
        older = "(v.posted_day < ? OR v.posted_day IS NULL) AND "
    rest = db.execute(f"SELECT v.rid FROM vacancy_search v WHERE {older}{full[0]} {order}",
                      [*([window_day] if older else []), *full[1], need - len(rids)])
    return rids + [row[0] for row in rest]


def _page(db: sqlite3.Connection, ranked: list, origin: tuple[float, float] | None,
          today: int) -> list[SearchHit]:
    """Full rows of ``ranked`` ((rid, relevance) best first) as hits, in the same order."""
    if not ranked:
        return []
    fields = ", ".join(schema.VACANCY_FIELDS)
    rids = [rid for rid, _ in ranked]
    rows: dict[int, sqlite3.Row] = {}
    for start in range(0, len(rids), _READ_BATCH):
        chunk = rids[start:start + _READ_BATCH]
        rows.update((row["rid"], row) for row in db.execute(
            f"SELECT rid, posted_day, {fields} FROM vacancy "
            f"WHERE rid IN ({', '.join('?' * len(chunk))})", chunk))
    items = []
    for rid, relevance in ranked:
        row = rows[rid]
        v = schema.from_row(row)
        dist = None
        if origin and v.latitude is not None and v.longitude is not None:
            dist = round(distance_km(origin, (v.latitude, v.longitude)), 2)
        age = today - row["posted_day"] if row["posted_day"] is not None else None
        items.append(SearchHit(v, relevance, dist, age))
    return items
