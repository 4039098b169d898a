"""SQLite layout of the catalog and the Vacancy ⇄ row mapping.

Tables: ``vacancy`` (one row per vacancy: the :class:`~kiosk.domain.vacancy.Vacancy` fields plus
derived columns used by filters), ``vacancy_search`` (a narrow copy, same ``rid``, of the columns
search and matching filter and rank on — :data:`SEARCH_COLUMNS`, ~100 bytes a row instead of
~1.5 kB with the description — kept by triggers), ``fts_tri`` (FTS5 trigram, external content =
``vacancy_search``, kept by triggers), ``fts_terms`` (contentless FTS5 of the tokens of
:mod:`kiosk.services.catalog.text_index` and the filter tokens of :func:`filter_tokens`,
maintained by the store), ``search_terms`` (the same token string per row, stored: the
in-memory index of :mod:`~kiosk.services.catalog.postings` is built from it without pinyin
readings, and a replaced row's old tokens are deleted from ``fts_terms`` without re-reading
them), ``token_count`` (rows per filter token, so a search reads only rare ones from the index)
and ``meta`` (sync state, insertion counter, ordering origin, write generation ``gen``).

**Row ids are the result order.** ``rid`` is not an insertion counter but the rank key of
:func:`rank_key`: vacancies with coordinates first, nearest to the catalog's station first
(``order_origin``), then those without coordinates, newest first, then insertion order. So
"relevance, then distance from the station, then recency" is "relevance, then ``rid``", and a
full-text query read in rowid order can stop after the page it needs.

Derived columns: ``city_code`` (4 digits), ``county_code`` (6 digits or ""), ``occupation_major``,
``edu_rank`` (0–7, :func:`kiosk.domain.codes.education.rank_of`), ``monthly_max`` (yuan/month,
0 = not stated), ``posted_day`` (days since 1970-01-01 of ``date_posted``, NULL unknown),
``work_day`` (the same for a gig's ``work_date``, NULL for jobs), ``search_text`` (normalised
title, employer, occupation name, places, tags; one per line).

Versions: 1 → 2 added ``vacancy_search``; 2 → 3 (gig fields, rank-key row ids, level and filter
tokens), 3 → 4 (pay and education filter tokens) and 4 → 5 (``search_terms``) re-insert
every vacancy (:func:`migrate`;
~3 s per 10,000 vacancies, once, at the first open by the new version). Existing terminals
keep their catalog and sync state.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

from kiosk.domain.codes import education
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.codes.occupations import major_of
from kiosk.domain.matching import distance_km, monthly_max
from kiosk.domain.vacancy import EDUCATION_ORDER, Vacancy
from kiosk.services.catalog.text_index import code_token, normalize

SCHEMA_VERSION = 5
# Monthly pay thresholds with a filter token each (the search screen's 月薪 tiles and common
# CLI values); other thresholds are checked row by row.
SALARY_LADDER = (1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 15000, 20000,
                 25000, 30000)

VACANCY_FIELDS = tuple(f.name for f in dataclasses.fields(Vacancy))
_DERIVED = ("city_code", "county_code", "occupation_major", "edu_rank", "monthly_max",
            "posted_day", "work_day", "title_norm", "search_text")
INSERT_COLUMNS = ("rid",) + VACANCY_FIELDS + _DERIVED
# Columns of ``vacancy`` copied into ``vacancy_search`` (everything search and matching read).
SEARCH_COLUMNS = ("id", "posted_day", "title_norm", "search_text", "division_code",
                  "occupation_code", "occupation_major", "edu_rank", "monthly_max",
                  "employment_type", "public_welfare", "internship", "latitude", "longitude",
                  "kind", "work_day")

# Rank key layout (63 bits): 1 bit "no coordinates", 22 bits metres from the station,
# 16 bits (MAX_DAY - posting day), 24 bits insertion sequence.
_SEQ_BITS, _DAY_BITS, _DIST_BITS = 24, 16, 22
MAX_DAY = (1 << _DAY_BITS) - 1
SEQ_MASK = (1 << _SEQ_BITS) - 1
_MAX_DIST_M = (1 << _DIST_BITS) - 1

DDL = f"""
CREATE TABLE IF NOT EXISTS vacancy (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, employer TEXT NOT NULL, city TEXT NOT NULL,
    district TEXT, town TEXT, division_code TEXT, address TEXT, latitude REAL, longitude REAL,
    salary_min INTEGER, salary_max INTEGER, salary_unit TEXT, education_code TEXT,
    employment_type TEXT, occupation_code TEXT, occupation_name TEXT, description TEXT,
    contact_name TEXT, contact_phone TEXT, date_posted TEXT, valid_through TEXT,
    total_openings INTEGER, public_welfare INTEGER, internship INTEGER, updated_at TEXT,
    tags TEXT, kind TEXT NOT NULL DEFAULT 'job', work_date TEXT, start_time TEXT,
    duration_hours REAL, places_left INTEGER, settlement TEXT,
    city_code TEXT, county_code TEXT, occupation_major TEXT, edu_rank INTEGER,
    monthly_max INTEGER, posted_day INTEGER, work_day INTEGER, title_norm TEXT, search_text TEXT
);
CREATE TABLE IF NOT EXISTS vacancy_search (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL, posted_day INTEGER, title_norm TEXT,
    search_text TEXT, division_code TEXT, occupation_code TEXT, occupation_major TEXT,
    edu_rank INTEGER, monthly_max INTEGER, employment_type TEXT, public_welfare INTEGER,
    internship INTEGER, latitude REAL, longitude REAL, kind TEXT, work_day INTEGER
);
CREATE INDEX IF NOT EXISTS search_recent ON vacancy_search(posted_day DESC);
CREATE INDEX IF NOT EXISTS search_title ON vacancy_search(title_norm);
CREATE INDEX IF NOT EXISTS search_division ON vacancy_search(division_code);
CREATE INDEX IF NOT EXISTS search_occupation ON vacancy_search(occupation_code);
CREATE INDEX IF NOT EXISTS search_gig ON vacancy_search(work_day) WHERE work_day IS NOT NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS fts_tri USING fts5(
    search_text, content='vacancy_search', content_rowid='rid', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_terms USING fts5(
    terms, content='', detail='none', tokenize='unicode61', prefix='2 3 4 5 6 7 8 9 10 11 12 13 14');
CREATE TRIGGER IF NOT EXISTS vacancy_ai AFTER INSERT ON vacancy BEGIN
    INSERT INTO vacancy_search(rid, {", ".join(SEARCH_COLUMNS)})
    VALUES (new.rid, {", ".join("new." + c for c in SEARCH_COLUMNS)});
END;
CREATE TRIGGER IF NOT EXISTS vacancy_ad AFTER DELETE ON vacancy BEGIN
    DELETE FROM vacancy_search WHERE rid = old.rid;
END;
CREATE TRIGGER IF NOT EXISTS search_ai AFTER INSERT ON vacancy_search BEGIN
    INSERT INTO fts_tri(rowid, search_text) VALUES (new.rid, new.search_text);
END;
CREATE TRIGGER IF NOT EXISTS search_ad AFTER DELETE ON vacancy_search BEGIN
    INSERT INTO fts_tri(fts_tri, rowid, search_text) VALUES ('delete', old.rid, old.search_text);
END;
CREATE TABLE IF NOT EXISTS search_terms (rid INTEGER PRIMARY KEY, terms TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS token_count (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""
_DROP_OLD = """
DROP TRIGGER IF EXISTS vacancy_ai; DROP TRIGGER IF EXISTS vacancy_ad;
DROP TRIGGER IF EXISTS search_ai; DROP TRIGGER IF EXISTS search_ad;
DROP TABLE IF EXISTS fts_tri; DROP TABLE IF EXISTS fts_terms; DROP TABLE IF EXISTS vacancy_search;
DROP TABLE IF EXISTS token_count; DROP TABLE IF EXISTS search_terms;
ALTER TABLE vacancy RENAME TO vacancy_old;
"""
OLD_TABLE = "vacancy_old"


def migrate(conn: sqlite3.Connection) -> bool:
    """Create the schema, or move an older catalog database to :data:`SCHEMA_VERSION`: the old
    rows are kept in :data:`OLD_TABLE` for the store to re-insert (:meth:`old_rows`), which
    also rebuilds the search tables. Returns True when such rows wait. Raises
    sqlite3.DatabaseError for a file that is not SQLite or has a newer schema."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return conn.execute("SELECT 1 FROM sqlite_schema WHERE name = ?",
                            (OLD_TABLE,)).fetchone() is not None
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"catalog schema {version} is newer than {SCHEMA_VERSION}")
    has_rows = conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'vacancy'").fetchone()
    script = (_DROP_OLD if has_rows else "") + DDL
    conn.executescript(f"BEGIN;\n{script}PRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
    return bool(has_rows)


def start_rebuild(conn: sqlite3.Connection) -> None:
    """Move every vacancy to :data:`OLD_TABLE` and recreate empty search tables (for a new
    ordering origin); the store re-inserts them from :func:`old_rows`."""
    conn.executescript(f"BEGIN;\n{_DROP_OLD}{DDL}COMMIT;")


def old_rows(conn: sqlite3.Connection, batch: int = 500) -> Iterator[list[Vacancy]]:
    """Vacancies left in :data:`OLD_TABLE`, in batches of ``batch`` (a generator that reads
    one batch at a time, so the caller may write between batches)."""
    cols = {row[1] for row in conn.execute(f"PRAGMA table_info({OLD_TABLE})")}
    fields = [f for f in VACANCY_FIELDS if f in cols]
    last = -(1 << 63)
    while True:
        rows = conn.execute(f"SELECT rowid, {', '.join(fields)} FROM {OLD_TABLE} "
                            "WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, batch)).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [from_row(dict(zip(fields, row[1:], strict=True))) for row in rows]


def rank_key(v: Vacancy, origin: tuple[float, float] | None, seq: int) -> int:
    """The ``rid`` of a vacancy (see the module docstring): smaller = shown first among hits
    of equal relevance. ``origin`` is the station (latitude, longitude) in degrees; ``seq`` the
    insertion counter (only its low 24 bits are used)."""
    if origin is not None and v.latitude is not None and v.longitude is not None:
        far = 0
        metres = min(_MAX_DIST_M, round(distance_km(origin, (v.latitude, v.longitude)) * 1000))
    else:
        far, metres = 1, 0
    day = min(MAX_DAY, max(0, day_number(v.date_posted) or 0))
    return ((((far << _DIST_BITS) | metres) << _DAY_BITS | (MAX_DAY - day)) << _SEQ_BITS
            | (seq & SEQ_MASK))


def within_bound(km: float) -> int:
    """The largest ``rid`` a vacancy within ``km`` of the catalog's origin can have (rows with
    coordinates are ordered by distance; those without come after every one of them)."""
    return metres_bound(round(km * 1000) + 1)


def metres_bound(metres: int) -> int:
    """The largest ``rid`` of a vacancy at most ``metres`` (rounded, as in :func:`rank_key`)
    from the catalog's origin."""
    metres = min(_MAX_DIST_M, metres)
    return (((metres << _DAY_BITS) | MAX_DAY) << _SEQ_BITS) | SEQ_MASK


def filter_tokens(v: Vacancy) -> list[str]:
    """Filter tokens of a vacancy in ``fts_terms`` (:func:`kiosk.services.catalog.query.
    filter_match` builds the matching expression): ``d`` + every prefix level of the GB/T 2260
    code (4, 6, 9, 12 digits), ``o`` + 大典 major, ``c`` + 大典 code, ``e`` + employment type,
    ``k`` + kind, ``w`` + a gig's work day, ``a`` + the posting day, ``xpw`` 公益性岗位, ``xin`` 见习岗位, ``xall``
    (every vacancy), ``m`` + each :data:`SALARY_LADDER` step the monthly pay reaches, ``u`` +
    every education rank at or above the one required (so "requires at most rank r" is the
    one token ``u<r>``)."""
    out = ["xall", "k" + v.kind]
    code = v.division_code
    out += ["d" + code[:n] for n in (4, 6, 9, 12) if len(code) >= n and code[:n].isdigit()]
    if v.occupation_code:
        out += [code_token("c", v.occupation_code), code_token("o", major_of(v.occupation_code))]
    out.append(code_token("e", v.employment_type))
    work_day = day_number(v.work_date) if v.work_date else None
    if work_day is not None:
        out.append(f"w{work_day}")
    posted = day_number(v.date_posted) if v.date_posted else None
    if posted is not None:
        out.append(f"a{posted}")
    pay = monthly_max(v)
    out += [f"m{step}" for step in SALARY_LADDER if pay >= step]
    out += [f"u{r}" for r in range(_edu_rank(v), len(EDUCATION_ORDER))]
    if v.public_welfare:
        out.append("xpw")
    if v.internship:
        out.append("xin")
    return out


def day_number(iso: str) -> int | None:
    """Days since 1970-01-01 of an ISO date or datetime ("2026-11-30", "2026-11-30T08:00Z")."""
    try:
        return date.fromisoformat(iso[:10]).toordinal() - date(1970, 1, 1).toordinal()
    except ValueError:
        return None


def searchable_fields(v: Vacancy) -> tuple[str, ...]:
    """The fields text search looks in, title first (the description is not searched)."""
    return (v.title, v.employer, v.occupation_name, v.city, v.district, v.town, *v.tags)


def pinyin_fields(v: Vacancy) -> tuple[str, ...]:
    """The fields pinyin and initials search look in."""
    return (v.title, v.occupation_name, *v.tags)


def _edu_rank(v: Vacancy) -> int:
    try:
        return education.rank_of(v.education_code)
    except CodeError:
        return 0


def to_row(v: Vacancy, rid: int) -> tuple:
    """Values for :data:`INSERT_COLUMNS` (``rid`` from :func:`rank_key`)."""
    rank = _edu_rank(v)
    code = v.division_code
    values = [getattr(v, name) for name in VACANCY_FIELDS]
    values[VACANCY_FIELDS.index("tags")] = json.dumps(list(v.tags), ensure_ascii=False)
    values[VACANCY_FIELDS.index("public_welfare")] = int(v.public_welfare)
    values[VACANCY_FIELDS.index("internship")] = int(v.internship)
    search_text = "\n".join(normalize(f) for f in searchable_fields(v) if f)
    return (rid, *values, code[:4], code[:6] if len(code) >= 6 and code[4:6] != "00" else "",
            major_of(v.occupation_code) if v.occupation_code else "", rank, monthly_max(v),
            day_number(v.date_posted), day_number(v.work_date) if v.work_date else None,
            normalize(v.title), search_text)


_TAGS = VACANCY_FIELDS.index("tags")
_WELFARE = VACANCY_FIELDS.index("public_welfare")
_INTERN = VACANCY_FIELDS.index("internship")
_DEFAULTS = tuple(f.default if f.default is not dataclasses.MISSING else None
                  for f in dataclasses.fields(Vacancy))


def from_values(values: tuple | list) -> Vacancy:
    """The Vacancy of a ``vacancy`` row's :data:`VACANCY_FIELDS` values, in that order (NULLs,
    e.g. fields an older schema lacked, take the field's default)."""
    out: list[Any] = [_DEFAULTS[i] if value is None else value for i, value in enumerate(values)]
    out[_TAGS] = tuple(json.loads(values[_TAGS] or "[]"))
    out[_WELFARE] = bool(out[_WELFARE])
    out[_INTERN] = bool(out[_INTERN])
    return Vacancy(*out)


def from_row(row: sqlite3.Row | dict) -> Vacancy:
    """The Vacancy stored in a ``vacancy`` row (by column name; fields missing from an older
    row take their defaults)."""
    keys = set(row.keys())
    return from_values([row[name] if name in keys else None for name in VACANCY_FIELDS])
