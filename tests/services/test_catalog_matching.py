"""Matching against the catalog (SQL scoring) equals the pure scorer, on real and demo data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.domain.matching import JobseekerProfile, rank
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import VacancyCatalog, match

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "assets" / "demo" / "vacancies.json"
STATION = (23.1365, 113.3240)


@pytest.fixture(scope="module")
def catalog(real_catalog_copy):
    cat = VacancyCatalog(real_catalog_copy("m"), origin=STATION)
    data = json.loads(DEMO.read_text(encoding="utf-8"))["vacancies"]
    cat.upsert(Vacancy(**dict(d, tags=tuple(d["tags"]))) for d in data)
    yield cat
    cat.close()


PROFILES = [
    JobseekerProfile(desired_occupations=("4-09",), desired_districts=("440106",),
                     expected_salary=3000, education_code="71", employment_type="FULL_TIME"),
    JobseekerProfile(desired_occupations=("2-02",), desired_districts=("440305",),
                     expected_salary=15000, education_code="21"),
    JobseekerProfile(desired_occupations=("3-01",), education_code="31",
                     key_groups=("GRADUATE",)),
    JobseekerProfile(desired_occupations=("3-01", "4-09"), key_groups=("HARD_TO_EMPLOY",),
                     education_code="61"),
]


PROFILES += [
    JobseekerProfile(desired_occupations=("4-02", "4-09"), expected_salary=4500,
                     education_code="61", employment_type="TEMPORARY"),
    JobseekerProfile(desired_districts=("4401", "441900004"), expected_salary=5000),
]


@pytest.mark.parametrize("origin", [STATION, None, (22.5333, 113.9305)])
@pytest.mark.parametrize("profile", PROFILES)
def test_catalog_ranking_equals_pure_ranking(catalog, profile, origin):
    everything = list(catalog.all())
    expected = rank(profile, everything, origin=origin, limit=30)
    got = match(profile, catalog, origin=origin, limit=30)
    assert [(m.vacancy.id, m.score) for m in got] == [(m.vacancy.id, m.score) for m in expected]


@pytest.mark.parametrize("profile", PROFILES[:2])
def test_over_qualified_kept_when_asked_equals_pure(catalog, profile):
    everything = list(catalog.all())
    expected = rank(profile, everything, origin=STATION, limit=30, exclude_over_qualified=False)
    got = match(profile, catalog, origin=STATION, limit=30, exclude_over_qualified=False)
    assert [(m.vacancy.id, m.score, m.flags) for m in got] == \
        [(m.vacancy.id, m.score, m.flags) for m in expected]


def test_the_station_uses_the_score_level_plan(catalog):
    from kiosk.services.catalog.matching import _top_by_levels
    assert _top_by_levels(PROFILES[0], catalog, STATION, 40, 3.0, True) is not None
    assert _top_by_levels(PROFILES[0], catalog, None, 40, 3.0, True) is None


def test_exact_occupation_in_desired_district_comes_first(catalog):
    p = JobseekerProfile(desired_occupations=("2-02",), desired_districts=("440106",),
                         education_code="21")
    got = match(p, catalog, limit=10)
    for m in got:
        assert m.vacancy.occupation_code == "2-02" and m.vacancy.division_code.startswith("440106")
        assert m.reasons[:3] == ["学历符合", "职业对口", "在期望区域（天河区）"] or \
            "职业对口" in m.reasons


def test_special_posts_reach_only_their_groups(catalog):
    hard = match(PROFILES[3], catalog, origin=STATION, limit=5)
    assert hard[0].vacancy.public_welfare and "公益性岗位，面向就业困难人员等" in hard[0].reasons
    other = match(JobseekerProfile(desired_occupations=("3-01",)), catalog, limit=500)
    assert not any(m.vacancy.public_welfare or m.vacancy.internship for m in other)
    grad = match(PROFILES[2], catalog, limit=5)
    assert grad[0].vacancy.internship


def test_over_qualified_excluded_by_default(catalog):
    p = JobseekerProfile(desired_occupations=("2-02",), education_code="61")
    assert all(m.vacancy.education_code in ("", "40", "60", "70", "80", "90")
               for m in match(p, catalog, limit=200))
