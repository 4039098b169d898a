"""The home screen's board sources below the screens: the catalog's newest vacancies (issue 17
item 10: "today's newest vacancies")."""

from __future__ import annotations

from datetime import date

from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import VacancyCatalog

STATION = (23.1365, 113.3240)


def test_newest_vacancies_newest_day_first_then_nearest_jobs_only(tmp_path):
    catalog = VacancyCatalog(tmp_path / "catalog.db", today=lambda: date(2026, 12, 1),
                             origin=STATION)
    catalog.upsert([
        Vacancy("A", "保洁员", "甲物业", "广州市", date_posted="2026-11-28",
                latitude=23.14, longitude=113.33),
        Vacancy("B", "保安员", "乙保安", "广州市", date_posted="2026-12-01",
                latitude=23.40, longitude=113.60),
        Vacancy("C", "普工", "丙电子", "广州市", date_posted="2026-12-01",
                latitude=23.1366, longitude=113.3241),
        Vacancy("D", "搬运", "丁物流", "广州市", date_posted="2026-12-01", kind="gig"),
        Vacancy("E", "文员", "戊公司", "广州市"),                      # no posting date
    ])
    hits = catalog.newest(3)
    assert [h.vacancy.id for h in hits] == ["C", "B", "A"]
    assert [h.posting_age_days for h in hits] == [0, 0, 3]
    assert hits[0].distance_km is not None and hits[0].distance_km < 0.1
    assert [h.vacancy.id for h in catalog.newest(5, kind="gig")] == ["D"]
    assert [h.vacancy.id for h in catalog.newest(1)] == ["C"]
    catalog.close()
