"""零工 gigs in the catalog: kinds, work-date windows, distance order, CLI keys, migration of an
older catalog file (issue 19)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from kiosk.cli import main
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import SearchFilters, VacancyCatalog, gig_dates
from kiosk.services.catalog.schema import SCHEMA_VERSION

STATION = (23.1365, 113.3240)
TODAY = date(2026, 12, 1)             # a Tuesday


def gig(n: int, day: str, km_north: float | None, **kw) -> Vacancy:
    lat = None if km_north is None else STATION[0] + km_north / 111.32
    return Vacancy(id=f"G{n}", title=kw.pop("title", "日结装卸工"), employer="顺达物流（演示）",
                   city="广州市", district="天河区", division_code="440106", latitude=lat,
                   longitude=None if lat is None else STATION[1], salary_min=220,
                   salary_max=220, salary_unit=kw.pop("unit", "DAY"),
                   employment_type="TEMPORARY", date_posted="2026-11-30", kind="gig",
                   work_date=day, start_time="08:00", duration_hours=8.0,
                   places_left=kw.pop("places", 5), settlement="DAILY", **kw)


@pytest.fixture
def catalog():
    cat = VacancyCatalog(":memory:", today=lambda: TODAY, origin=STATION)
    cat.upsert([
        gig(1, "2026-12-01", 4.0), gig(2, "2026-12-01", 0.5), gig(3, "2026-12-01", None),
        gig(4, "2026-12-02", 1.0, title="钟点工（家政）", unit="HOUR"),
        gig(5, "2026-12-06", 2.0, unit="PIECE", places=0), gig(6, "2026-12-07", 0.2),
        gig(7, "2026-12-01", 12.0),
        Vacancy(id="J1", title="装卸工", employer="顺达物流（演示）", city="广州市",
                division_code="440106", latitude=STATION[0], longitude=STATION[1],
                date_posted="2026-11-29")])
    yield cat
    cat.close()


def _ids(result):
    return [h.vacancy.id for h in result.items]


def test_gig_windows():
    assert gig_dates("today", TODAY) == ("2026-12-01", "2026-12-01")
    assert gig_dates("tomorrow", TODAY) == ("2026-12-02", "2026-12-02")
    assert gig_dates("week", TODAY) == ("2026-12-01", "2026-12-06")     # through Sunday
    assert gig_dates("week", date(2026, 12, 6)) == ("2026-12-06", "2026-12-06")
    with pytest.raises(ValueError):
        gig_dates("month", TODAY)


@pytest.mark.parametrize("exhaustive", [False, True])
def test_today_nearby_nearest_first_with_distances(catalog, exhaustive):
    first, last = gig_dates("today", TODAY)
    f = SearchFilters(kind="gig", work_date_from=first, work_date_to=last, within_km=5.0)
    got = catalog.search("", f, origin=STATION, exhaustive=exhaustive)
    assert _ids(got) == ["G2", "G1"] and got.total == 2
    assert [h.distance_km for h in got.items] == [0.5, 4.0]
    today = catalog.search("", replace(f, within_km=None), origin=STATION,
                           exhaustive=exhaustive)
    assert _ids(today) == ["G2", "G1", "G7", "G3"]          # no coordinates last
    week = catalog.search("", SearchFilters(kind="gig", work_date_from="2026-12-01",
                                            work_date_to="2026-12-06"), origin=STATION,
                          exhaustive=exhaustive)
    assert _ids(week) == ["G2", "G4", "G5", "G1", "G7", "G3"]


def test_kinds_and_text_search(catalog):
    assert _ids(catalog.search("装卸", SearchFilters(kind="job"), origin=STATION)) == ["J1"]
    assert _ids(catalog.search("zxg", origin=STATION))[:3] == ["J1", "G6", "G2"]
    assert catalog.search("", SearchFilters(kind="gig"), origin=STATION).total == 7
    assert catalog.search("", origin=STATION).total == 8
    full = catalog.get("G5")
    assert full is not None
    assert (full.kind, full.places_left, full.salary_unit, full.salary_text()) == \
        ("gig", 0, "PIECE", "220元/件")
    with pytest.raises(ValueError):
        catalog.search("", SearchFilters(work_date_from="12/01/2026"))


def test_cli_kind_and_date_json(tmp_path, monkeypatch, capsys):
    cfg = tmp_path / "site.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(cfg))
    db = tmp_path / "c.sqlite3"
    with VacancyCatalog(db, origin=STATION) as cat:
        cat.upsert([gig(1, "2026-12-01", 0.5), gig(2, "2026-12-02", 1.0),
                    Vacancy(id="J1", title="装卸工", employer="", city="广州市")])
    assert main(["vacancies", "search", "--kind", "gig", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["G1", "G2"]
    gig_keys = {"work_date", "start_time", "duration_hours", "pay", "pay_unit", "places_left"}
    assert gig_keys <= set(rows[0]) and rows[0]["kind"] == "gig"
    assert {k: rows[0][k] for k in gig_keys} == {
        "work_date": "2026-12-01", "start_time": "08:00", "duration_hours": 8.0, "pay": 220,
        "pay_unit": "元/天", "places_left": 5}
    assert main(["vacancies", "search", "--date", "2026-12-02", "--db", str(db), "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["G2"]
    assert main(["vacancies", "search", "--kind", "job", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["J1"] and rows[0]["kind"] == "job"
    assert not gig_keys & set(rows[0])
    assert main(["vacancies", "search", "--date", "2026-13-01", "--db", str(db)]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


V2_DDL = """
CREATE TABLE vacancy (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
 employer TEXT NOT NULL, city TEXT NOT NULL, district TEXT, town TEXT, division_code TEXT,
 address TEXT, latitude REAL, longitude REAL, salary_min INTEGER, salary_max INTEGER,
 salary_unit TEXT, education_code TEXT, employment_type TEXT, occupation_code TEXT,
 occupation_name TEXT, description TEXT, contact_name TEXT, contact_phone TEXT,
 date_posted TEXT, valid_through TEXT, total_openings INTEGER, public_welfare INTEGER,
 internship INTEGER, updated_at TEXT, tags TEXT, city_code TEXT, county_code TEXT,
 occupation_major TEXT, edu_rank INTEGER, monthly_max INTEGER, posted_day INTEGER,
 title_norm TEXT, search_text TEXT);
CREATE TABLE vacancy_search (rid INTEGER PRIMARY KEY, id TEXT NOT NULL, posted_day INTEGER);
CREATE VIRTUAL TABLE fts_terms USING fts5(terms, content='', detail='none');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES ('etag', '"c7-abc"'), ('updated_since', '2026-11-30T08:00:00Z');
INSERT INTO vacancy (rid, id, title, employer, city, division_code, latitude, longitude,
 date_posted, public_welfare, internship, tags, employment_type, salary_unit)
 VALUES (1, 'OLD-1', '保洁员', '', '广州市', '440106', 23.14, 113.324, '2026-11-20', 0, 0,
         '["包吃"]', 'FULL_TIME', 'MONTH'),
        (2, 'OLD-2', '保安员', '', '广州市', '440106', NULL, NULL, '2026-11-28', 0, 0, '[]',
         'FULL_TIME', 'MONTH');
PRAGMA user_version = 2;
"""


def test_a_version_2_catalog_is_migrated_and_keeps_its_sync_state(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V2_DDL)
    with VacancyCatalog(path, today=lambda: TODAY, origin=STATION) as cat:
        assert cat.count() == 2 and cat.meta("etag") == '"c7-abc"'
        assert _ids(cat.search("bj", origin=STATION)) == ["OLD-1"]
        old = cat.get("OLD-1")
        assert old is not None and (old.tags, old.kind) == (("包吃",), "job")
        assert _ids(cat.search("", origin=STATION)) == ["OLD-1", "OLD-2"]   # nearest first
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert not conn.execute("SELECT 1 FROM sqlite_schema WHERE name='vacancy_old'").fetchone()


def test_a_new_station_reorders_once_and_none_keeps_the_order(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    with VacancyCatalog(path, origin=STATION) as cat:
        cat.upsert([gig(1, "2026-12-01", 4.0), gig(2, "2026-12-01", 0.5)])
        assert _ids(cat.search("", origin=STATION)) == ["G2", "G1"]
    with VacancyCatalog(path) as cat:          # e.g. the sync thread: keeps the stored order
        assert cat.origin == STATION and _ids(cat.search("", origin=STATION)) == ["G2", "G1"]
    north = (STATION[0] + 5 / 111.32, STATION[1])
    with VacancyCatalog(path, origin=north) as cat:
        assert cat.origin == north and cat.count() == 2
        assert _ids(cat.search("", origin=north)) == ["G1", "G2"]
