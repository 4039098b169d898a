"""The 零工 board's search (issue 19) on the real postings (../shared/data/vacancies_clean.csv,
13,296 ordinary vacancies) plus the sandbox's demo gigs and 400 generated gigs at known
distances and dates: 今天 / 明天 / 本周 × 附近 equal a brute-force scan, nearest first with the
distance of each, gigs with places left before full ones, jobs never; the next gigs offered
after a full one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.domain.matching import distance_km
from kiosk.domain.vacancy import Vacancy
from kiosk.platform.sandbox.gigs import demo_gigs, load_gig_demo
from kiosk.services.catalog import VacancyCatalog, gig_dates
from kiosk.services.gig_signup import GigSignupService
from kiosk.services.journeys.declared.gigs import NEARBY_KM

REPO = Path(__file__).resolve().parents[2]
STATION = (23.1365, 113.3240)          # GD-DEMO-0001, 天河南街道
TODAY = date(2026, 12, 3)              # a Thursday: 本周 = Thu … Sun


def generated_gigs(n: int = 400) -> list[Vacancy]:
    """Gigs 0–20 km from the station in every direction, on the next 10 days, some full;
    none within 50 m of the 附近 edge (so rounding cannot decide the expectation)."""
    rng = random.Random(19)
    out = []
    for i in range(n):
        while True:
            km = rng.uniform(0.05, 20.0)
            if abs(km - NEARBY_KM) > 0.05:
                break
        bearing = rng.uniform(0, 6.283)
        import math
        lat = STATION[0] + km * math.cos(bearing) / 111.32
        lon = STATION[1] + km * math.sin(bearing) / (111.32 * math.cos(math.radians(STATION[0])))
        day = TODAY + timedelta(days=rng.randrange(-1, 10))
        out.append(Vacancy(
            id=f"GEN-{i:04d}", title=rng.choice(["日结装卸工", "小区保洁（半天）", "会展搭建",
                                                 "餐厅帮厨", "钟点工（家政）"]),
            employer="生成用工单位（测试）", city="广州市", district="天河区",
            division_code="440106", latitude=round(lat, 6), longitude=round(lon, 6),
            salary_min=200, salary_max=200, salary_unit=rng.choice(["DAY", "HOUR", "PIECE"]),
            employment_type="TEMPORARY", date_posted=(TODAY - timedelta(days=1)).isoformat(),
            kind="gig", work_date=day.isoformat(), start_time="08:00", duration_hours=8.0,
            places_left=rng.choice([0, 1, 3, 6]), settlement="DAILY"))
    return out


@pytest.fixture(scope="module")
def board(real_catalog_copy) -> Iterator[tuple[GigSignupService, list[Vacancy]]]:
    cat = VacancyCatalog(real_catalog_copy("gig-board"), today=lambda: TODAY, origin=STATION)
    assert cat.count() == 13296
    demo = load_gig_demo(REPO / "assets" / "demo" / "gigs.json")
    gigs = demo_gigs(demo, demo["stations"], TODAY) + generated_gigs()
    cat.upsert(gigs)
    yield GigSignupService(lambda: None, cat, today=lambda: TODAY), gigs
    cat.close()


def brute(gigs: list[Vacancy], window: str, within: float | None) -> dict[str, float]:
    first, last = gig_dates(window, TODAY)
    found = {}
    for v in gigs:
        assert v.latitude is not None and v.longitude is not None
        km = distance_km(STATION, (v.latitude, v.longitude))
        if first <= v.work_date <= last and (within is None or km <= within):
            found[v.id] = km
    return found


@pytest.mark.parametrize("window", ["today", "tomorrow", "week"])
@pytest.mark.parametrize("nearby", [True, False])
def test_windows_and_nearby_equal_a_scan_nearest_first(board, window, nearby):
    service, gigs = board
    within = NEARBY_KM if nearby else None
    expected = brute(gigs, window, within)
    hits = service.board(window, within, limit=5000)
    assert expected and {h.vacancy.id for h in hits} == set(expected)
    first, last = gig_dates(window, TODAY)
    for h in hits:
        assert h.vacancy.is_gig and first <= h.vacancy.work_date <= last
        assert h.distance_km == pytest.approx(expected[h.vacancy.id], abs=0.006)
    open_, full = ([h for h in hits if h.vacancy.places_left > 0],
                   [h for h in hits if h.vacancy.places_left <= 0])
    assert hits == open_ + full and full                        # full gigs last, still shown
    for group in (open_, full):
        distances = [h.distance_km for h in group]
        assert distances == sorted(distances)                   # nearest first


def test_the_demo_week_near_the_demo_station(board):
    service, _ = board
    today = service.board("today", NEARBY_KM, limit=5000)
    demo = [h for h in today if h.vacancy.id.startswith("GIG-GD-DEMO-0001-")]
    assert sorted(h.vacancy.id for h in demo) == [f"GIG-GD-DEMO-0001-20261203-{n}"
                                                  for n in (1, 2, 3, 4)]
    assert all(h.distance_km is not None and h.distance_km < 2.2 for h in demo)
    week = {h.vacancy.id for h in service.board("week", None, limit=5000)}
    assert "GIG-GD-4403-0027-20261206-1" in week                 # 深圳 too, without 附近
    assert "GIG-GD-4403-0027-20261206-1" not in {
        h.vacancy.id for h in service.board("week", NEARBY_KM, limit=5000)}
    assert "GIG-GD-DEMO-0001-20261207-1" not in week             # Monday is next week


def test_jobs_from_the_real_data_never_show_and_the_default_page(board):
    service, gigs = board
    hits = service.board("week", None)
    assert len(hits) == 60 and all(h.vacancy.kind == "gig" for h in hits)
    assert service.catalog.search("保洁").total > 0             # the real postings are there


def test_next_gigs_after_a_full_one(board):
    service, gigs = board
    today = service.board("today", NEARBY_KM, limit=5000)
    full = today[0].vacancy
    offered = service.next_gigs(full, "today", within_km=NEARBY_KM)
    assert 0 < len(offered) <= 5 and full.id not in {h.vacancy.id for h in offered}
    assert all(h.vacancy.places_left > 0 for h in offered)
    expected = [h.vacancy.id for h in today if h.vacancy.places_left > 0
                and h.vacancy.id != full.id][:5]
    assert [h.vacancy.id for h in offered] == expected
