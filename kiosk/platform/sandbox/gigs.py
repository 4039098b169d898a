"""Demo 零工 gigs for the sandbox: a fresh week of day jobs near the demo stations.

Gigs are dated, so fixed demo records would be stale the day after they were written; the
sandbox makes them for "today" (China time) from ``assets/demo/gigs.json`` (beside the demo
vacancies): ``{"days", "per_day", "stations": [{terminal_id, division_code, latitude,
longitude}], "employers": [...], "templates": [{title, occupation_code, pay, unit, start_time,
duration_hours, settlement, places}]}``. :func:`demo_gigs` gives, for each station, ``per_day``
gigs on each of the next ``days`` days within ~2 km (coordinates jittered deterministically).
Ids are ``GIG-<terminal>-<YYYYMMDD>-<n>`` so a re-seed on the same day replaces rather than
duplicates; :func:`seed_demo_gigs` also removes the gigs of days gone by. Employers are
fictitious ("（演示）"), phones "<area code>-8000xxxx" placeholders.

Errors: :class:`~kiosk.platform.sandbox.seed.SeedError` for a malformed file.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk.domain.codes import divisions
from kiosk.domain.vacancy import Vacancy
from kiosk.platform.sandbox.seed import SeedError
from kiosk.platform.sandbox.store import Store


@dataclass(frozen=True)
class DemoStation:
    """A station gigs are placed around: terminal id, GB/T 2260 code, (latitude, longitude)."""
    terminal_id: str
    division_code: str
    origin: tuple[float, float]


def load_gig_demo(path: Path) -> dict[str, Any]:
    """The parsed ``gigs.json``. Raises SeedError (missing, not JSON, missing keys)."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        data["stations"] = tuple(DemoStation(s["terminal_id"], s["division_code"],
                                             (float(s["latitude"]), float(s["longitude"])))
                                 for s in data["stations"])
        for key in ("days", "per_day", "employers", "templates"):
            data[key]  # noqa: B018 - presence check
    except FileNotFoundError as exc:
        raise SeedError(str(path), "file not found") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise SeedError(str(path), f"not a gig demo file: {exc!r}") from exc
    return data


def demo_gigs(demo: dict[str, Any], stations: tuple[DemoStation, ...], today: date
              ) -> list[Vacancy]:
    """The demo gigs for ``today`` … ``today + days - 1`` around each station."""
    templates, employers = demo["templates"], demo["employers"]
    days, per_day = int(demo["days"]), int(demo["per_day"])
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
                t = templates[(d * per_day + n) % len(templates)]
                places = int(t["places"])
                lat = station.origin[0] + rng.uniform(-0.015, 0.015)
                lon = station.origin[1] + rng.uniform(-0.015, 0.015)
                out.append(Vacancy(
                    id=f"GIG-{station.terminal_id}-{day:%Y%m%d}-{n + 1}", title=t["title"],
                    employer=f"{city[:-1]}{employers[(d + n) % len(employers)]}有限公司（演示）",
                    city=city, district=district, division_code=code,
                    address=f"{city}{district}（演示地址）", latitude=round(lat, 5),
                    longitude=round(lon, 5), salary_min=int(t["pay"]), salary_max=int(t["pay"]),
                    salary_unit=t["unit"], employment_type="TEMPORARY",
                    occupation_code=t["occupation_code"], contact_name="王先生",
                    contact_phone=f"{area}-8000{rng.randrange(10000):04d}",
                    date_posted=(day - timedelta(days=1 + n % 3)).isoformat(),
                    valid_through=day.isoformat(), total_openings=places,
                    tags=("零工",), kind="gig", work_date=day.isoformat(),
                    start_time=t["start_time"], duration_hours=float(t["duration_hours"]),
                    places_left=max(0, places - n % 3), settlement=t["settlement"]))
    return out


def seed_demo_gigs(store: Store, path: Path, today: date,
                   own: DemoStation | None = None) -> int:
    """Upsert this week's demo gigs (around the file's stations and ``own``) and delete earlier
    days' ones; returns how many were upserted (0 when already seeded today, ``meta
    demo_gigs_day``). Raises SeedError."""
    if store.meta("demo_gigs_day") == today.isoformat():
        return 0
    demo = load_gig_demo(path)
    stations = demo["stations"]
    if own is not None and own.terminal_id not in {s.terminal_id for s in stations}:
        stations = (*stations, own)
    gigs = demo_gigs(demo, stations, today)
    keep = {v.id for v in gigs}
    with store.lock:
        stale = [row[0] for row in store.db.execute(
            "SELECT id FROM vacancies WHERE id LIKE 'GIG-%'") if row[0] not in keep]
    for vacancy_id in stale:
        store.delete_vacancy(vacancy_id)
    count = store.upsert_vacancies(gigs)
    store.set_meta("demo_gigs_day", today.isoformat())
    return count
