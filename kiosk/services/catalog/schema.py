"""SQLite layout of the catalog and the Vacancy ⇄ row mapping.

Tables: ``vacancy`` (one row per vacancy: the :class:`~kiosk.domain.vacancy.Vacancy` fields plus
derived columns used by filters), ``vacancy_search`` (a narrow copy, same ``rid``, of the columns
search and matching filter and rank on — :data:`SEARCH_COLUMNS`, ~100 bytes a row instead of
~1.5 kB with the description — kept by triggers, so a query over 100,000 vacancies reads a few MB),
``fts_tri`` (FTS5 trigram, external content = ``vacancy_search``, kept by triggers),
``fts_terms`` (contentless FTS5 of the tokens of :mod:`kiosk.services.catalog.text_index`,
maintained by the store) and ``meta`` (sync state).
Derived columns: ``city_code`` (4 digits), ``county_code`` (6 digits or ""), ``occupation_major``,
``edu_rank`` (0–7, :func:`kiosk.domain.codes.education.rank_of`), ``monthly_max`` (yuan/month,
0 = not stated), ``posted_day`` (days since 1970-01-01 of ``date_posted``, NULL unknown),
``search_text`` (normalised title, employer, occupation name, places, tags; one per line).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import date

from kiosk.domain.codes import education
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.codes.occupations import major_of
from kiosk.domain.matching import monthly_max
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog.text_index import normalize

# 2: vacancy_search; fts_tri reads it; filter indexes moved onto it; fts_terms has prefix
# indexes of 2–14 characters (a pinyin prefix query reads one doclist instead of merging many)
SCHEMA_VERSION = 2

VACANCY_FIELDS = tuple(f.name for f in dataclasses.fields(Vacancy))
_DERIVED = ("city_code", "county_code", "occupation_major", "edu_rank", "monthly_max",
            "posted_day", "title_norm", "search_text")
INSERT_COLUMNS = VACANCY_FIELDS + _DERIVED
# Columns of ``vacancy`` copied into ``vacancy_search`` (everything search and matching read).
SEARCH_COLUMNS = ("id", "posted_day", "title_norm", "search_text", "division_code",
                  "occupation_code", "occupation_major", "edu_rank", "monthly_max",
                  "employment_type", "public_welfare", "internship", "latitude", "longitude")
# Schema 1 → 2: drop what moved, then DDL recreates it and :func:`migrate` fills it.
_DROP_V1 = """
DROP TRIGGER IF EXISTS vacancy_ai; DROP TRIGGER IF EXISTS vacancy_ad;
DROP INDEX IF EXISTS vacancy_posted; DROP INDEX IF EXISTS vacancy_division;
DROP INDEX IF EXISTS vacancy_city; DROP INDEX IF EXISTS vacancy_occupation;
DROP TABLE IF EXISTS fts_tri; DROP TABLE IF EXISTS fts_terms;
"""

DDL = f"""
CREATE TABLE IF NOT EXISTS vacancy (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, employer TEXT NOT NULL, city TEXT NOT NULL,
    district TEXT, town TEXT, division_code TEXT, address TEXT, latitude REAL, longitude REAL,
    salary_min INTEGER, salary_max INTEGER, salary_unit TEXT, education_code TEXT,
    employment_type TEXT, occupation_code TEXT, occupation_name TEXT, description TEXT,
    contact_name TEXT, contact_phone TEXT, date_posted TEXT, valid_through TEXT,
    total_openings INTEGER, public_welfare INTEGER, internship INTEGER, updated_at TEXT,
    tags TEXT,
    city_code TEXT, county_code TEXT, occupation_major TEXT, edu_rank INTEGER,
    monthly_max INTEGER, posted_day INTEGER, title_norm TEXT, search_text TEXT
);
CREATE TABLE IF NOT EXISTS vacancy_search (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL, posted_day INTEGER, title_norm TEXT,
    search_text TEXT, division_code TEXT, occupation_code TEXT, occupation_major TEXT,
    edu_rank INTEGER, monthly_max INTEGER, employment_type TEXT, public_welfare INTEGER,
    internship INTEGER, latitude REAL, longitude REAL
);
CREATE INDEX IF NOT EXISTS search_recent ON vacancy_search(posted_day DESC);
CREATE INDEX IF NOT EXISTS search_title ON vacancy_search(title_norm);
CREATE INDEX IF NOT EXISTS search_division ON vacancy_search(division_code, posted_day DESC);
CREATE INDEX IF NOT EXISTS search_occupation ON vacancy_search(occupation_major, posted_day DESC);
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
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


def migrate(conn: sqlite3.Connection) -> bool:
    """Create the schema, or bring an older catalog database up to :data:`SCHEMA_VERSION` in
    one transaction (1 → 2 copies ``vacancy`` into ``vacancy_search``, rebuilds ``fts_tri``
    and recreates ``fts_terms`` empty). Returns True when ``fts_terms`` must be refilled by the
    store (it is contentless). Raises sqlite3.DatabaseError for a file that is not SQLite or
    a newer schema."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return False
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"catalog schema {version} is newer than {SCHEMA_VERSION}")
    has_rows = conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'vacancy'").fetchone()
    script = _DROP_V1 if has_rows and version < SCHEMA_VERSION else ""
    script += DDL
    if has_rows and version < SCHEMA_VERSION:
        script += (f"INSERT INTO vacancy_search(rid, {', '.join(SEARCH_COLUMNS)}) "
                   f"SELECT rid, {', '.join(SEARCH_COLUMNS)} FROM vacancy;\n"
                   "INSERT INTO fts_tri(fts_tri) VALUES ('rebuild');\n")
    conn.executescript(f"BEGIN;\n{script}PRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
    return bool(has_rows) and version < SCHEMA_VERSION


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


def to_row(v: Vacancy) -> tuple:
    """Values for :data:`INSERT_COLUMNS`."""
    try:
        rank = education.rank_of(v.education_code)
    except CodeError:
        rank = 0
    code = v.division_code
    values = [getattr(v, name) for name in VACANCY_FIELDS]
    values[VACANCY_FIELDS.index("tags")] = json.dumps(list(v.tags), ensure_ascii=False)
    values[VACANCY_FIELDS.index("public_welfare")] = int(v.public_welfare)
    values[VACANCY_FIELDS.index("internship")] = int(v.internship)
    search_text = "\n".join(normalize(f) for f in searchable_fields(v) if f)
    return (*values, code[:4], code[:6] if len(code) >= 6 and code[4:6] != "00" else "",
            major_of(v.occupation_code) if v.occupation_code else "", rank, monthly_max(v),
            day_number(v.date_posted), normalize(v.title), search_text)


def from_row(row: sqlite3.Row) -> Vacancy:
    """The Vacancy stored in a ``vacancy`` row (selected with :data:`VACANCY_FIELDS`)."""
    values = {name: row[name] for name in VACANCY_FIELDS}
    values["tags"] = tuple(json.loads(values["tags"] or "[]"))
    values["public_welfare"] = bool(values["public_welfare"])
    values["internship"] = bool(values["internship"])
    return Vacancy(**values)
