"""The broad-result plan (capped count, level-by-level early LIMIT) gives exactly the page the
exhaustive plan gives, on the real postings; schema version checks."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kiosk.services.catalog import CatalogDatabaseError, SearchFilters, VacancyCatalog
from kiosk.services.catalog.search import COUNT_CAP

REPO = Path(__file__).resolve().parents[2]
CSV = REPO / ".." / "shared" / "data" / "vacancies_clean.csv"
STATION = (23.1365, 113.3240)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> VacancyCatalog:
    if not CSV.exists():
        pytest.skip(f"reference data {CSV} absent (../shared/data beside the repo)")
    cat = VacancyCatalog(tmp_path_factory.mktemp("plans") / "catalog.sqlite3",
                         today=lambda: date(2026, 11, 30))
    cat.import_csv(CSV)
    yield cat
    cat.close()


def _key(hits):
    return [(h.vacancy.id, h.score, h.posting_age_days) for h in hits]


@pytest.mark.parametrize("query, filters", [
    ("测试", SearchFilters()), ("工程师", SearchFilters()), ("开发", SearchFilters()),
    ("数据", SearchFilters()), ("android开发", SearchFilters()), ("ceshi", SearchFilters()),
    ("kaifa", SearchFilters()), ("cs", SearchFilters()), ("rjcs", SearchFilters()),
    ("gcs", SearchFilters()), ("", SearchFilters()), ("", SearchFilters(city_code="4403")),
    ("工程师", SearchFilters(salary_min=10000)), ("kaifa", SearchFilters(occupation_major="2")),
    ("工程师 开发", SearchFilters()),
])
def test_broad_pages_equal_the_exhaustive_ranking(catalog, query, filters):
    full = catalog.search(query, filters, limit=100_000)
    assert not full.total_capped and full.total == len(full.items) > COUNT_CAP
    for offset in (0, 50, 930):
        page = catalog.search(query, filters, limit=50, offset=offset)
        assert page.total_capped and page.total == COUNT_CAP
        assert _key(page.items) == _key(full.items[offset:offset + 50]), offset


def test_small_results_count_exactly(catalog):
    got = catalog.search("产品经理", limit=5)
    assert not got.total_capped and got.total == len(catalog.search("产品经理", limit=10_000).items)
    assert got.total <= COUNT_CAP and len(got.items) == 5


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(CatalogDatabaseError):
        VacancyCatalog(path)
