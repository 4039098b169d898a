"""The rank-order plan (full-text index read in row order, early LIMIT, capped count) gives
exactly the page the exhaustive plan gives, on the real postings plus the demo vacancies (which
have coordinates, so distance order is exercised); schema version checks."""

from __future__ import annotations

from collections.abc import Iterator

import sqlite3
from datetime import date

import pytest

from kiosk.services.catalog import CatalogDatabaseError, SearchFilters, VacancyCatalog
from kiosk.services.catalog.search import COUNT_CAP
from tests.services.test_catalog_search import demo_vacancies

STATION = (23.1365, 113.3240)


@pytest.fixture(scope="module")
def catalog(real_catalog_copy) -> Iterator[VacancyCatalog]:
    cat = VacancyCatalog(real_catalog_copy("plans"), today=lambda: date(2026, 11, 30),
                         origin=STATION)
    cat.upsert(demo_vacancies())
    yield cat
    cat.close()


def _key(hits):
    return [(h.vacancy.id, h.score, h.posting_age_days, h.distance_km) for h in hits]


@pytest.mark.parametrize("query, filters", [
    ("测试", SearchFilters()), ("工程师", SearchFilters()), ("开发", SearchFilters()),
    ("数据", SearchFilters()), ("android开发", SearchFilters()), ("ceshi", SearchFilters()),
    ("kaifa", SearchFilters()), ("cs", SearchFilters()), ("rjcs", SearchFilters()),
    ("gcs", SearchFilters()), ("", SearchFilters()), ("", SearchFilters(city_code="4403")),
    ("工程师", SearchFilters(salary_min=10000)), ("kaifa", SearchFilters(occupation_major="2")),
    ("工程师 开发", SearchFilters()),
])
def test_broad_pages_equal_the_exhaustive_ranking(catalog, query, filters):
    full = catalog.search(query, filters, limit=100_000, origin=STATION, exhaustive=True)
    assert not full.total_capped and full.total == len(full.items) > COUNT_CAP
    for offset in (0, 50, 930):
        page = catalog.search(query, filters, limit=50, offset=offset, origin=STATION)
        assert page.total_capped and page.total == COUNT_CAP
        assert _key(page.items) == _key(full.items[offset:offset + 50]), offset


@pytest.mark.parametrize("query, filters", [
    ("保洁", SearchFilters()), ("bj", SearchFilters()), ("baojie", SearchFilters()),
    ("保安员", SearchFilters(city_code="4401")), ("pg", SearchFilters(district_code="440106")),
    ("天河", SearchFilters()), ("产品经理", SearchFilters(education_max="21")),
    ("", SearchFilters(district_code="440106", within_km=3.0, max_age_days=30)),
    ("", SearchFilters(public_welfare=True)), ("", SearchFilters(internship=False,
                                                                 employment_type="FULL_TIME")),
    ("5年", SearchFilters(city_code="4403", salary_min=20000)),
    ("java", SearchFilters(occupation_code="2-02")),
])
def test_small_results_equal_the_exhaustive_ranking(catalog, query, filters):
    fast = catalog.search(query, filters, limit=200, origin=STATION)
    full = catalog.search(query, filters, limit=200, origin=STATION, exhaustive=True)
    assert _key(fast.items) == _key(full.items) and fast.total == full.total
    assert fast.items and fast.total_capped == full.total_capped


def test_results_with_coordinates_come_nearest_first():
    catalog = VacancyCatalog(":memory:", origin=STATION)
    catalog.upsert(demo_vacancies())
    hits = catalog.search("bj", limit=300, origin=STATION).items
    assert [(h.vacancy.title, h.distance_km) for h in hits[:2]] == [("医院保洁员", 1.8),
                                                                     ("保洁员", 1.86)]
    for a, b in zip(hits, hits[1:], strict=False):
        assert a.score >= b.score
        if a.score == b.score and b.distance_km is not None:
            assert a.distance_km is not None and a.distance_km <= b.distance_km + 0.01
    # another origin: the exhaustive plan orders by distance from it
    far = (22.5333, 114.0579)
    other = catalog.search("bj", limit=50, origin=far).items
    dists = [h.distance_km for h in other if h.score == other[0].score and h.distance_km]
    everything = catalog.search("bj", limit=1000, origin=far).items
    assert dists == sorted(dists) and dists[0] == min(h.distance_km for h in everything
                                                       if h.distance_km is not None)


def test_small_results_count_exactly(catalog):
    got = catalog.search("产品经理", limit=5, origin=STATION)
    assert not got.total_capped and got.total == len(
        catalog.search("产品经理", limit=10_000, origin=STATION).items)
    assert got.total <= COUNT_CAP and len(got.items) == 5


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(CatalogDatabaseError):
        VacancyCatalog(path)


# --- the in-memory plan (kiosk/services/catalog/postings.py) --------------------------------

def _sql_rank_order(catalog, query, filters, limit, offset=0):
    """The same search without the in-memory index (the SQL rank-order / exhaustive plans)."""
    from kiosk.services.catalog.search import run
    return run(catalog._db, query, filters, limit, offset, STATION, catalog.today_day(),
               catalog.origin, index=None)


@pytest.mark.parametrize("query, filters", [
    ("测试", SearchFilters(city_code="4401", salary_min=10000)),
    ("rjcs", SearchFilters(city_code="4403", education_max="31")),
    ("kaifa", SearchFilters(occupation_major="2", max_age_days=30)),
    ("工程师", SearchFilters(district_code="440106")),
    ("bj", SearchFilters(public_welfare=False, internship=False)),
    ("保洁", SearchFilters(within_km=5.0)), ("", SearchFilters(kind="gig")),
    ("gongchengshi", SearchFilters()), ("c", SearchFilters()), ("产品经理", SearchFilters()),
    ("工程师 开发", SearchFilters()), ("测试 深圳", SearchFilters(salary_min=10000)),
    ("bj 保洁", SearchFilters()), ("kaifa 工程师 java", SearchFilters(city_code="4403")),
    ("测试 测试", SearchFilters()),
])
def test_memory_plan_equals_the_sql_plans(catalog, query, filters):
    terms = query.split()
    index = catalog._fresh_index()
    assert index is not None and index.search(
        catalog._db, terms, filters, 50, COUNT_CAP, catalog.today_day(), STATION) is not None
    for limit, offset in ((50, 0), (200, 0), (50, 900)):
        fast = catalog.search(query, filters, limit=limit, offset=offset, origin=STATION)
        sql = _sql_rank_order(catalog, query, filters, limit, offset)
        assert (_key(fast.items), fast.total, fast.total_capped) == (
            _key(sql.items), sql.total, sql.total_capped), (limit, offset)


def test_circle_edges_are_exact(catalog):
    """``within_km`` at (and 1 m around) the distance of rows with coordinates: the memory
    plan's prefix of the row order plus its checked edge rows = the SQL check."""
    near = [h.distance_km for h in catalog.search("", SearchFilters(within_km=30.0), limit=400,
                                                   origin=STATION).items]
    assert len(near) > 20
    for km in sorted(set(near))[::7]:
        for edge in (km - 0.001, km, km + 0.001):
            f = SearchFilters(within_km=edge)
            fast = catalog.search("", f, limit=1000, origin=STATION)
            full = catalog.search("", f, limit=1000, origin=STATION, exhaustive=True)
            assert _key(fast.items) == _key(full.items) and fast.total == full.total, edge


def test_memory_index_follows_writes(tmp_path):
    cat = VacancyCatalog(tmp_path / "c.sqlite3", today=lambda: date(2026, 11, 30),
                         origin=STATION)
    vacancies = demo_vacancies()
    cat.upsert(vacancies[:-1])
    assert cat.search("", limit=1, origin=STATION).total == len(vacancies) - 1
    built = cat._index
    assert built is not None
    cat.search("保洁", limit=1, origin=STATION)
    assert cat._index is built                       # reused while nothing was written
    cat.upsert(vacancies[-1:])
    assert cat.search("", limit=1, origin=STATION).total == len(vacancies)
    assert cat._index is not built                   # rebuilt after the write
    assert cat.delete([vacancies[0].id]) == 1
    assert vacancies[0].id not in {h.vacancy.id for h in cat.search("", limit=500, origin=STATION).items}
    cat._writing = 1                                  # a sync is writing: no rebuild meanwhile
    cat.upsert(vacancies[:1])
    cat._writing = 1
    before = cat._index
    assert cat.search("", limit=1, origin=STATION).total == len(vacancies)     # answered by the SQL plans
    assert cat._index is before
    cat._writing = 0
    cat.close()


def test_index_builder_process_and_its_fallback(tmp_path, monkeypatch, caplog):
    from kiosk.services.catalog import postings, store
    path = tmp_path / "c.sqlite3"
    cat = VacancyCatalog(path, today=lambda: date(2026, 11, 30), origin=STATION)
    cat.upsert(demo_vacancies())
    child = postings.build_in_child(str(path))
    here = postings.SearchIndex.build(cat._db)
    assert child.dumps() == here.dumps() and child.memory_bytes() == here.memory_bytes()
    with pytest.raises(ValueError):
        postings.SearchIndex.loads(b"not an index")

    def broken(db_path: str) -> postings.SearchIndex:
        raise OSError("no interpreter")

    monkeypatch.setattr(store, "build_in_child", broken)
    assert cat.prepare_search() == here.memory_bytes()        # built in-process instead
    assert "builder process failed (OSError)" in caplog.text
    assert cat.search("保洁", limit=1, origin=STATION).total == here.search(
        cat._db, ["保洁"], SearchFilters(), 1, COUNT_CAP, cat.today_day(), STATION)[0]
    cat.close()
