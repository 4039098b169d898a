"""Demo 零工 gigs for the sandbox: a fresh week of day jobs near the demo stations.

Gigs are dated, so fixed demo files would be stale the day after they were written; the sandbox
makes them for "today" (China time) instead: :func:`demo_gigs` gives, for each station, gigs
on each of the next ``days`` days within ~3 km (coordinates jittered deterministically), with
day, hourly and piece pay and every settlement. Ids are ``GIG-<terminal>-<YYYYMMDD>-<n>`` so a
re-seed on the same day replaces rather than duplicates; :func:`seed_demo_gigs` also removes the
gigs of days gone by. Employers are fictitious ("（演示）"), phones "020-8000xxxx" placeholders.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.domain.codes import divisions
from kiosk.domain.vacancy import Vacancy
from kiosk.platform.sandbox.store import Store

# (title, 大典 middle category, pay, unit, start, hours, settlement, places)
GIG_TEMPLATES = (
    ("日结装卸工", "4-02", 220, "DAY", "08:00", 8.0, "DAILY", 6),
    ("小区保洁（半天）", "4-09", 120, "DAY", "08:30", 4.0, "DAILY", 3),
    ("钟点工（家政）", "4-10", 30, "HOUR", "09:00", 3.0, "DAILY", 2),
    ("餐厅帮厨", "4-03", 25, "HOUR", "10:30", 5.0, "WEEKLY", 4),
    ("展会临时工", "4-07", 180, "DAY", "07:30", 9.0, "ON_COMPLETION", 10),
    ("服装计件工", "6-31", 2, "PIECE", "08:00", 8.0, "WEEKLY", 8),
    ("快递分拣（夜班）", "4-02", 28, "HOUR", "19:00", 6.0, "DAILY", 5),
    ("派发传单", "4-01", 150, "DAY", "14:00", 4.0, "ON_COMPLETION", 4),
)
EMPLOYERS = ("汇盈物流", "安和家政", "众诚会展", "嘉禾餐饮", "顺达速运", "乐居物业", "锦程服饰")


@dataclass(frozen=True)
class DemoStation:
    """A station gigs are placed around: terminal id, GB/T 2260 code, (latitude, longitude)."""
    terminal_id: str
    division_code: str
    origin: tuple[float, float]


# The demo stations of config/kiosk.toml (天河) and config/site.example.toml (南山).
DEMO_STATIONS = (DemoStation("GD-DEMO-0001", "440106", (23.1365, 113.3240)),
                 DemoStation("GD-4403-0027", "440305", (22.5333, 113.9305)))


def demo_gigs(stations: tuple[DemoStation, ...], today: date, days: int = 7,
              per_day: int = 4) -> list[Vacancy]:
    """``per_day`` gigs a day for ``days`` days from ``today`` around each station."""
    out: list[Vacancy] = []
    for station in stations:
        code = station.division_code
        city = divisions.CITIES.get(code[:4], "")
        district = divisions.name_of(code) if len(code) >= 6 else ""
        area = {"4401": "020", "4403": "0755"}.get(code[:4], "020")
        for d in range(days):
            day = today + timedelta(days=d)
            rng = random.Random(f"{station.terminal_id}{day.isoformat()}")
            for n in range(per_day):
                title, occ, pay, unit, start, hours, settle, places = \
                    GIG_TEMPLATES[(d * per_day + n) % len(GIG_TEMPLATES)]
                lat = station.origin[0] + rng.uniform(-0.02, 0.02)
                lon = station.origin[1] + rng.uniform(-0.02, 0.02)
                out.append(Vacancy(
                    id=f"GIG-{station.terminal_id}-{day:%Y%m%d}-{n + 1}", title=title,
                    employer=f"{city[:-1]}{EMPLOYERS[(d + n) % len(EMPLOYERS)]}有限公司（演示）",
                    city=city, district=district, division_code=code,
                    address=f"{city}{district}（演示地址）", latitude=round(lat, 5),
                    longitude=round(lon, 5), salary_min=pay, salary_max=pay,
                    salary_unit=unit, employment_type="TEMPORARY", occupation_code=occ,
                    contact_name="王先生", contact_phone=f"{area}-8000{rng.randrange(10000):04d}",
                    date_posted=(day - timedelta(days=1 + n % 3)).isoformat(),
                    valid_through=day.isoformat(), total_openings=places,
                    tags=("零工", "当天结算" if settle == "DAILY" else "按时结算"),
                    kind="gig", work_date=day.isoformat(), start_time=start,
                    duration_hours=hours, places_left=places - (n % 3), settlement=settle))
    return out


def seed_demo_gigs(store: Store, stations: tuple[DemoStation, ...], today: date) -> int:
    """Upsert this week's demo gigs and delete earlier days' ones; returns how many were
    upserted (0 when already seeded today: ``meta demo_gigs_day``)."""
    if store.meta("demo_gigs_day") == today.isoformat():
        return 0
    gigs = demo_gigs(stations, today)
    keep = {v.id for v in gigs}
    with store.lock:
        stale = [row[0] for row in store.db.execute(
            "SELECT id FROM vacancies WHERE id LIKE 'GIG-%'") if row[0] not in keep]
    for vacancy_id in stale:
        store.delete_vacancy(vacancy_id)
    count = store.upsert_vacancies(gigs)
    store.set_meta("demo_gigs_day", today.isoformat())
    return count
