"""The rank-order plan: a one-term (or empty) search answered by reading ``fts_terms`` in row-id
order and stopping as soon as the page is full.

Row ids are the tie order (:func:`kiosk.services.catalog.schema.rank_key`: distance from the
station, then recency), so within one relevance level the first rows of a full-text query read
in rowid order *are* the best ones. Each level of :mod:`~kiosk.services.catalog.query` is one
``fts_terms`` expression (text grams ``g``, title grams ``t``, title starts ``s``, title pinyin
``y``, pinyin ``p``/initials ``i``), ANDed with the categorical filters' tokens
(:func:`kiosk.services.catalog.schema.filter_tokens`); what a token cannot say exactly (a 3+
character substring, salary, education, posting age, distance) is checked on the joined
``vacancy_search`` row. A level is read only while the page still needs rows, and the total
is counted up to ``cap + 1`` the same way, so a broad term costs about as much as a rare one.

:func:`plan` returns None for what this plan cannot express (several terms, punctuation in a
term, an origin other than the catalog's); the exhaustive plan in
:mod:`~kiosk.services.catalog.search` answers those, with the same order (tests compare them).
"""

from __future__ import annotations

import dataclasses
import heapq
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain.codes import education
from kiosk.services.catalog import schema, text_index
from kiosk.services.catalog.query import SearchFilters, filter_sql
from kiosk.services.catalog.text_index import code_token, fts_phrase, is_gram_indexed

MAX_DAY_TOKENS = 31     # a gig date range of at most this many days is matched by day tokens
RARE_SHARE = 0.25       # a filter token on at most this share of the rows is read from the index
DENSE_ROWS = 3000       # … or any token, when the filters together leave at least this many rows


@dataclass(frozen=True)
class Stream:
    """Rows of ``fts_terms MATCH expr`` that also satisfy ``check`` (SQL on ``v``). A ``raw``
    stream is rare by nature (a Latin substring of a pinyin-looking term): its filters are all
    row checks, not tokens, since ANDing tokens into a small result reads their whole
    doclists."""
    expr: str
    check: str = ""
    params: tuple = ()
    raw: bool = False


@dataclass(frozen=True)
class Plan:
    """``levels``: (relevance, streams) best first; ``hits``: streams whose union is every hit
    (for counting)."""
    levels: tuple[tuple[int, tuple[Stream, ...]], ...]
    hits: tuple[Stream, ...]
    rid_max: int | None = None      # no hit has a larger row id (``within_km``)


def _q(token: str) -> str:
    return fts_phrase(token)


def _term_levels(term: str) -> tuple[list[tuple[int, list[Stream]]], list[Stream]] | None:
    """Level streams and hit streams of one normalised term, or None if not expressible."""
    pinyin = text_index.is_pinyin_candidate(term)
    if len(term) <= 2:
        if not is_gram_indexed(term):
            return None
        g, t, s = _q("g" + term), _q("t" + term), _q("s" + term)
        levels = [(4, [Stream(s)]), (3, [Stream(f"{t} NOT {s}")])]
        if pinyin:
            y = f"y{term}*"
            levels += [(2, [Stream(f"{y} NOT {t}")]),
                       (1, [Stream(f"({g} OR p{term}* OR i{term}*) NOT ({t} OR {y})")])]
            return levels, [Stream(f"{g} OR p{term}* OR i{term}*")]
        levels.append((1, [Stream(f"{g} NOT {t}")]))
        return levels, [Stream(g)]
    grams = list(dict.fromkeys(term[i:i + 2] for i in range(len(term) - 1)))
    if not all(is_gram_indexed(b) for b in grams):
        return None
    all_g = " AND ".join(_q("g" + b) for b in grams)
    all_t = " AND ".join(_q("t" + b) for b in grams)
    in_text = "instr(v.search_text, ?) > 0"
    not_title = "instr(v.title_norm, ?) = 0"
    levels = [(4, [Stream(f"{_q('s' + term[:2])} AND {all_t}", "instr(v.title_norm, ?) = 1",
                          (term,))]),
              (3, [Stream(all_t, "instr(v.title_norm, ?) > 1", (term,))])]
    text = Stream(all_g, in_text, (term,), raw=pinyin)
    if pinyin:
        y = f"y{term}*"
        levels += [(2, [Stream(y, not_title, (term,))]),
                   (1, [Stream(f"({all_g}) NOT {y}", f"{in_text} AND {not_title}", (term, term),
                               raw=True),
                        Stream(f"(p{term}* OR i{term}*) NOT {y}", not_title, (term,))])]
        return levels, [text, Stream(f"p{term}* OR i{term}*")]
    levels.append((1, [Stream(all_g, f"{in_text} AND {not_title}", (term, term))]))
    return levels, [text]


def _filter_parts(f: SearchFilters, today: int, origin: tuple[float, float] | None,
                  selective: Callable[[list[str]], set[str]]
                  ) -> tuple[list[str], list[str], str, list]:
    """(positive token expressions, negative tokens, residual SQL on ``v``, its params) for
    filters. ``selective`` says which tokens to read from the index (:func:`rare_tokens`): FTS5
    reads a common token's whole doclist in an AND whose result is small, so there "full-time"
    or "any education" are checked on the row instead; in a large result the AND stops early
    and every token is read from the index (cheaper than a row check per hit)."""
    wanted: list[tuple[str, dict[str, None]]] = []     # (token, fields it replaces)
    for name in ("city_code", "district_code", "town_code"):
        code = getattr(f, name)
        if code and code.isdigit() and len(code) in (4, 6, 9, 12):
            wanted.append(("d" + code, {name: None}))
    if f.occupation_major:
        wanted.append((code_token("o", f.occupation_major), {"occupation_major": None}))
    if f.occupation_code:
        wanted.append((code_token("c", f.occupation_code), {"occupation_code": None}))
    if f.employment_type:
        wanted.append((code_token("e", f.employment_type), {"employment_type": None}))
    if f.kind:
        wanted.append(("k" + f.kind, {"kind": None}))
    if f.salary_min and f.salary_min in schema.SALARY_LADDER:
        wanted.append((f"m{f.salary_min}", {"salary_min": None}))
    if f.education_max:
        wanted.append((f"u{education.rank_of(f.education_max)}", {"education_max": None}))
    rare = selective([token for token, _ in wanted])
    pos: list[str] = []
    neg: list[str] = []
    rest = f
    for token, fields in wanted:
        if token in rare:
            pos.append(_q(token))
            rest = dataclasses.replace(rest, **fields)
    days = f.work_days()
    if days is not None and 0 <= days[1] - days[0] < MAX_DAY_TOKENS:
        pos.append("(" + " OR ".join(_q(f"w{d}") for d in range(days[0], days[1] + 1)) + ")")
        rest = dataclasses.replace(rest, work_date_from=None, work_date_to=None)
    elif days is not None and days[1] < days[0]:
        pos.append(_q("w-1"))            # an empty range: no row has this token
        rest = dataclasses.replace(rest, work_date_from=None, work_date_to=None)
    if f.max_age_days is not None and 0 <= f.max_age_days < MAX_DAY_TOKENS * 2:
        pos.append("(" + " OR ".join(_q(f"a{d}") for d in range(today - f.max_age_days,
                                                                 today + 1)) + ")")
        rest = dataclasses.replace(rest, max_age_days=None)
    for name, token in (("public_welfare", "xpw"), ("internship", "xin")):
        value = getattr(f, name)
        if value is not None:
            (pos if value else neg).append(_q(token))
            rest = dataclasses.replace(rest, **{name: None})
    where: list[str] = []
    params: list = []
    filter_sql(rest, today, origin, where, params)
    return pos, neg, " AND ".join(where), params


def plan(terms: list[str], f: SearchFilters, today: int, origin: tuple[float, float] | None,
         selective: Callable[[list[str]], set[str]]) -> tuple[Plan, str, list] | None:
    """The rank-order plan for ``terms`` (at most one) and filters: (plan, residual SQL,
    params), or None when it does not apply. ``selective`` picks the filter tokens rare enough
    to be read from the index (:func:`rare_tokens`). Raises UnknownCodeError (education_max)."""
    if len(terms) > 1:
        return None
    pos, neg, residual, params = _filter_parts(f, today, origin, selective)
    if terms:
        parts = _term_levels(terms[0])
        if parts is None:
            return None
        level_list, hit_list = parts
    else:
        everything = Stream(_q("xall"))
        level_list, hit_list = [(0, [everything])], [everything]

    full_where: list[str] = []
    full_params: list = []
    filter_sql(f, today, origin, full_where, full_params)

    def narrow(s: Stream) -> Stream:
        if s.raw:       # every filter as a row check; the general residual is not added
            return Stream(s.expr, " AND ".join([c for c in (s.check, *full_where) if c]),
                          (*s.params, *full_params), raw=True)
        expr = "(" + ") AND (".join([s.expr, *pos]) + ")"
        expr += "".join(f" NOT {n}" for n in neg)
        return Stream(expr, s.check, s.params)

    rid_max = None
    if f.within_km is not None and origin is not None:
        rid_max = schema.within_bound(f.within_km)
    return (Plan(tuple((lvl, tuple(narrow(s) for s in ss)) for lvl, ss in level_list),
                 tuple(narrow(s) for s in hit_list), rid_max), residual, params)


def _read(db: sqlite3.Connection, s: Stream, residual: str, params: list, limit: int,
          rid_max: int | None, after: int | None = None) -> list[int]:
    """The first ``limit`` row ids of one stream (above ``after``), in row-id order."""
    if s.raw:
        residual, params = "", []
    checks = [c for c in (s.check, residual) if c]
    bound = "" if rid_max is None else f" AND f.rowid <= {int(rid_max)}"
    bound += "" if after is None else f" AND f.rowid > {int(after)}"
    if not checks:
        return [row[0] for row in db.execute(
            f"SELECT rowid FROM fts_terms f WHERE fts_terms MATCH ?{bound} ORDER BY rowid "
            "LIMIT ?", (s.expr, limit))]
    # CROSS JOIN keeps the full-text index as the outer loop (read in rowid order, stopped
    # by the LIMIT); the row lookup is by primary key.
    return [row[0] for row in db.execute(
        "SELECT f.rowid FROM fts_terms f CROSS JOIN vacancy_search v ON v.rid = f.rowid "
        f"WHERE fts_terms MATCH ?{bound} AND {' AND '.join(checks)} ORDER BY f.rowid LIMIT ?",
        (s.expr, *s.params, *(params if residual else ()), limit))]


def _count(db: sqlite3.Connection, s: Stream, residual: str, params: list, limit: int,
           rid_max: int | None) -> int:
    """How many rows the stream has, counting at most ``limit``."""
    if s.raw:
        residual, params = "", []
    checks = [c for c in (s.check, residual) if c]
    bound = "" if rid_max is None else f" AND f.rowid <= {int(rid_max)}"
    join = " CROSS JOIN vacancy_search v ON v.rid = f.rowid" if checks else ""
    where = "".join(f" AND {c}" for c in checks)
    return int(db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM fts_terms f{join} WHERE fts_terms MATCH ?{bound}"
        f"{where} LIMIT ?)", (s.expr, *s.params, *(params if residual else ()), limit)
    ).fetchone()[0])


def _union(db: sqlite3.Connection, streams: tuple[Stream, ...], residual: str, params: list,
           limit: int, rid_max: int | None = None) -> list[int]:
    """The first ``limit`` row ids of the union of streams (each read up to ``limit``)."""
    if len(streams) == 1:
        return _read(db, streams[0], residual, params, limit, rid_max)
    merged = heapq.merge(*(_read(db, s, residual, params, limit, rid_max) for s in streams))
    out: list[int] = []
    for rid in merged:
        if not out or out[-1] != rid:
            out.append(rid)
            if len(out) >= limit:
                break
    return out


def run(db: sqlite3.Connection, p: Plan, residual: str, params: list, need: int,
        cap: int) -> tuple[int, bool, list[tuple[int, int]]]:
    """(total, capped, [(rid, relevance)] of the first ``need`` results best first). The total
    is exact up to ``cap`` hits (or when ``need`` reaches past ``cap``); beyond, ``capped``."""
    exact = need > cap
    limit = 1 << 62 if exact else cap + 1
    if len(p.hits) == 1:            # count in SQLite: no Python row per hit
        counted = _count(db, p.hits[0], residual, params, limit, p.rid_max)
    else:
        counted = len(_union(db, p.hits, residual, params, limit, p.rid_max))
    ranked: list[tuple[int, int]] = []
    for level, streams in p.levels:
        if len(ranked) >= need:
            break
        ranked += [(rid, level) for rid in
                   _union(db, streams, residual, params, need - len(ranked), p.rid_max)]
    capped = counted > cap and not exact
    return (cap if capped else counted), capped, ranked


def read_stream(db: sqlite3.Connection, s: Stream, limit: int, rid_max: int | None = None,
                after: int | None = None) -> list[int]:
    """The first ``limit`` row ids of ``s`` (above ``after``, at most ``rid_max``)."""
    return _read(db, s, "", [], limit, rid_max, after)


def rare_tokens(db: sqlite3.Connection, tokens: list[str], dense_ok: bool = True) -> set[str]:
    """Which of the filter ``tokens`` (all ANDed) to read from the full-text index: with
    ``dense_ok``, all of them when, taking them as independent, they leave at least
    :data:`DENSE_ROWS` rows; else those held by at most :data:`RARE_SHARE` of the rows
    (``token_count``)."""
    if not tokens:
        return set()
    counts = dict(db.execute(
        f"SELECT term, n FROM token_count WHERE term IN ({', '.join('?' * (len(tokens) + 1))})",
        [*tokens, "xall"]).fetchall())
    total = counts.get("xall", 0)
    expected = float(total)
    for t in tokens:
        expected *= counts.get(t, 0) / total if total else 0.0
    if dense_ok and expected >= DENSE_ROWS:
        return set(tokens)
    limit = RARE_SHARE * total
    return {t for t in tokens if counts.get(t, 0) <= limit}
