"""GigSignupService.refresh (issue 19): a gig's detail asks the platform for the places left
(other terminals' sign-ups), updates the catalog's copy, and copes with gone and offline;
a station without coordinates has no 附近."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kiosk.domain.vacancy import Vacancy
from kiosk.platform.errors import PlatformRejected, PlatformUnavailable
from kiosk.services.catalog import VacancyCatalog
from kiosk.services.gig_signup import GigSignupService

STATION = (23.1365, 113.3240)
GIG = Vacancy(id="GIG-1", title="日结装卸工", employer="汇盈物流（演示）", city="广州市",
              division_code="440106", latitude=STATION[0], longitude=STATION[1],
              salary_min=220, salary_max=220, salary_unit="DAY", kind="gig",
              work_date="2026-12-01", start_time="08:00", duration_hours=8.0, places_left=3,
              settlement="DAILY")


class FakeClient:
    def __init__(self, answer: object) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def vacancy(self, vacancy_id: str) -> Vacancy:
        self.asked.append(vacancy_id)
        if isinstance(self.answer, Exception):
            raise self.answer
        assert isinstance(self.answer, Vacancy)
        return self.answer


@pytest.fixture
def catalog():
    cat = VacancyCatalog(":memory:", today=lambda: date(2026, 12, 1), origin=STATION)
    cat.upsert([GIG])
    yield cat
    cat.close()


def test_places_counted_elsewhere_reach_the_detail_and_the_catalog(catalog):
    client = FakeClient(replace(GIG, places_left=1, description="platform copy"))
    service = GigSignupService(lambda: client, catalog, today=lambda: date(2026, 12, 1))
    live = service.refresh(GIG)
    assert live == replace(GIG, places_left=1)            # only the count is taken
    assert client.asked == ["GIG-1"] and catalog.get("GIG-1").places_left == 1
    assert [h.vacancy.places_left for h in service.board("today", 5.0)] == [1]


@pytest.mark.parametrize("failure", [PlatformUnavailable("down"),
                                     PlatformRejected(409, "conflict")])
def test_offline_or_refused_keeps_the_catalogs_count(catalog, failure):
    service = GigSignupService(lambda: FakeClient(failure), catalog)
    assert service.refresh(GIG) is GIG
    assert catalog.get("GIG-1").places_left == 3
    assert GigSignupService(lambda: None, catalog).refresh(GIG) is GIG


def test_a_gig_taken_down_is_none(catalog):
    service = GigSignupService(lambda: FakeClient(PlatformRejected(404, "vacancy_not_found")),
                               catalog)
    assert service.refresh(GIG) is None


def test_a_station_without_coordinates_has_no_nearby():
    cat = VacancyCatalog(":memory:", today=lambda: date(2026, 12, 1), origin=None)
    cat.upsert([GIG, replace(GIG, id="GIG-2", latitude=None, longitude=None)])
    service = GigSignupService(lambda: None, cat, today=lambda: date(2026, 12, 1))
    try:
        assert service.has_origin is False
        hits = service.board("today", 5.0)                  # 附近 cannot apply: every gig
        assert sorted(h.vacancy.id for h in hits) == ["GIG-1", "GIG-2"]
        assert {h.distance_km for h in hits} == {None}
    finally:
        cat.close()
    assert GigSignupService(lambda: None, None).has_origin is False
    assert GigSignupService(lambda: None, None).board("week") == []
