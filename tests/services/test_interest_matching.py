"""The 兴趣探索 hint in catalog matching: SQL pre-scoring and the pure scorer agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.domain.interests import hints, score
from kiosk.domain.matching import JobseekerProfile, rank
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import VacancyCatalog, match
from kiosk.services.interests import bundled_interest_set

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "vacancies.json"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    cat = VacancyCatalog(tmp_path_factory.mktemp("i") / "c.sqlite3")
    data = json.loads(DEMO.read_text(encoding="utf-8"))["vacancies"]
    cat.upsert(Vacancy(**dict(d, tags=tuple(d["tags"]))) for d in data)
    yield cat
    cat.close()


def test_interest_reason_reaches_the_catalog_ranking(catalog):
    data = bundled_interest_set()
    result = score(data, {"S1": "like", "S2": "like", "S3": "like", "R1": "dislike"})
    profile = JobseekerProfile(education_code="61", interest_hints=hints(data, result))
    got = match(profile, catalog, limit=15)
    expected = rank(profile, list(catalog.all()), limit=15)
    assert [(m.vacancy.id, m.score) for m in got] == [(m.vacancy.id, m.score) for m in expected]
    care = {"4-10", "4-14", "2-08", "4-03"}
    assert got and all(m.vacancy.occupation_code in care for m in got[:5])
    assert "符合您的兴趣：助人服务型" in got[0].reasons
