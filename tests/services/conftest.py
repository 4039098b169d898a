"""Fixtures shared by the catalog tests over the real vacancy data.

Importing ``../shared/data/vacancies_clean.csv`` (13,296 rows: normalising, pinyin readings,
ordering by distance) takes seconds; the modules that need it with the same station origin
get a copy of one import (an SQLite online backup of the file) instead of importing again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.services.catalog import VacancyCatalog
from tests.conftest import SHARED_DATA

CSV = SHARED_DATA / "vacancies_clean.csv"
#: GD-DEMO-0001 (天河南街道), (latitude, longitude) in degrees: the origin the copies are ordered by.
STATION = (23.1365, 113.3240)
ROWS = 13296


@pytest.fixture(scope="session")
def real_catalog_file(tmp_path_factory) -> Path:
    """One import of the real data, ordered from :data:`STATION`, closed (skips without the data)."""
    if not CSV.exists():
        pytest.skip(f"reference data {CSV} absent (../shared/data beside the repo)")
    path = tmp_path_factory.mktemp("real-catalog") / "catalog.sqlite3"
    catalog = VacancyCatalog(path, origin=STATION)
    assert catalog.import_csv(CSV) == ROWS
    catalog.close()
    return path


@pytest.fixture(scope="session")
def real_catalog_copy(real_catalog_file, tmp_path_factory) -> Callable[[str], Path]:
    """``copy(name)`` → a fresh file holding :func:`real_catalog_file`'s rows, for one module
    to open with ``VacancyCatalog(path, origin=STATION, ...)`` and change as it likes."""
    def copy(name: str) -> Path:
        target = tmp_path_factory.mktemp(name) / "catalog.sqlite3"
        with sqlite3.connect(real_catalog_file) as source, sqlite3.connect(target) as dest:
            source.backup(dest)
        source.close()
        dest.close()
        return target
    return copy
