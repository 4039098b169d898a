"""``kiosk vacancies``: fill and query the offline vacancy catalog.

* ``kiosk vacancies import --csv PATH [--db PATH]`` — job-board CSV
  (columns of ``../shared/data/vacancies_clean.csv``);
  ``kiosk vacancies import --demo [--db PATH]`` — the demo vacancies (``catalog.demo_data``).
* ``kiosk vacancies search [QUERY] [--city C] [--district D] [--salary-min N] [--kind K]
  [--date YYYY-MM-DD] [--limit N] [--db PATH] [--json]`` — ``--city``/``--district`` take a
  GB/T 2260 code or a name ("广州", "天河区"); ``--kind job|gig|all`` (default ``all``) ordinary
  vacancies, 零工 gigs or both; ``--date`` only gigs on that day (implies gigs). Results are
  ordered by relevance, then distance from the station (when configured), then recency.
  ``--json`` prints an array of objects with kind, id, title, employer, city, district, town,
  division_code, salary_min, salary_max, salary_unit, education_code, occupation_code,
  date_posted, score, distance_km (km from the station, when configured) and, for gigs,
  work_date, start_time, duration_hours, pay, pay_unit (元/天 …), places_left.

The database defaults to ``<data_dir>/catalog.sqlite3``. Exit status: 0 ok, 1 import/database
error, 2 bad usage (unknown city or district, bad date) or configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from kiosk.cli.context import load, int_range
from kiosk.domain.codes import divisions
from kiosk.domain.vacancy import SALARY_UNITS, Vacancy
from kiosk.paths import data_dir
from kiosk.services.catalog import (CatalogError, SearchFilters, SearchHit, VacancyCatalog,
                                    station_origin)
from kiosk.settings import Settings

DB_NAME = "catalog.sqlite3"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("vacancies", help="vacancy catalog: import and search")
    sub = parser.add_subparsers(dest="vacancies_command", metavar="ACTION")
    sub.required = True
    imp = sub.add_parser("import", help="import vacancies into the catalog")
    source = imp.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", metavar="PATH", help="job-board CSV file")
    source.add_argument("--demo", action="store_true", help="the demo vacancies (JSON)")
    imp.add_argument("--db", metavar="PATH", help=f"catalog database (default <data>/{DB_NAME})")
    imp.set_defaults(func=run_import)
    search = sub.add_parser("search", help="search the catalog")
    search.add_argument("query", nargs="?", default="", help="Chinese text, pinyin or initials")
    search.add_argument("--city", help="city code (4401) or name (广州)")
    search.add_argument("--district", help="district/town code (440106) or name (天河区)")
    search.add_argument("--salary-min", type=int_range(0, 10_000_000), metavar="N",
                        help="yuan per month at least")
    search.add_argument("--kind", choices=("job", "gig", "all"), default="all",
                        help="job (ordinary vacancies), gig (零工) or all (default)")
    search.add_argument("--date", metavar="YYYY-MM-DD", help="only gigs on that day")
    search.add_argument("--limit", type=int_range(1, 10_000), default=20, metavar="N",
                        help="results (default 20)")
    search.add_argument("--db", metavar="PATH", help=f"catalog database (default <data>/{DB_NAME})")
    search.add_argument("--json", action="store_true", help="print a JSON array")
    search.set_defaults(func=run_search)


def _db_path(settings: Settings, given: str | None) -> Path:
    return Path(given) if given else data_dir(settings) / DB_NAME


def _load_demo(settings: Settings) -> list[Vacancy]:
    path = settings.resolve(settings.catalog.demo_data)
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Vacancy(**dict(item, tags=tuple(item.get("tags", ())))) for item in data["vacancies"]]


def run_import(args: argparse.Namespace) -> int:
    settings = load(args)
    try:
        with VacancyCatalog(_db_path(settings, args.db),
                            origin=station_origin(settings.station)) as catalog:
            if args.csv:
                count = catalog.import_csv(args.csv)
            else:
                count = catalog.upsert(_load_demo(settings))
                catalog.mark_synced()
            print(f"imported {count} vacancies; catalog now holds {catalog.count()}")
    except (CatalogError, OSError, ValueError, KeyError, TypeError) as exc:
        print(f"import failed: {exc}", file=sys.stderr)
        return 1
    return 0


def _resolve_place(args: argparse.Namespace) -> tuple[str | None, str | None]:
    city = args.city
    if city and not city.isdigit():
        city = divisions.find_city(city)
        if not city:
            raise LookupError(f"unknown city: {args.city}")
    district = args.district
    if district and not district.isdigit():
        cities = [city] if city else list(divisions.CITIES)
        found = [code for c in cities if (code := divisions.find_division(c, district))]
        if not found:
            raise LookupError(f"unknown district: {args.district}")
        district = found[0]
    return city or None, district or None


def _date(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> str:
    raise LookupError(f"日期格式不对（应为 YYYY-MM-DD）/ not a date (YYYY-MM-DD): {text}")


def hit_json(h: SearchHit) -> dict[str, object]:
    """One search result as the ``--json`` object (keys fixed by issues 7 and 19)."""
    v = h.vacancy
    row: dict[str, object] = {
        "kind": v.kind, "id": v.id, "title": v.title, "employer": v.employer, "city": v.city,
        "district": v.district, "town": v.town, "division_code": v.division_code,
        "salary_min": v.salary_min, "salary_max": v.salary_max, "salary_unit": v.salary_unit,
        "education_code": v.education_code, "occupation_code": v.occupation_code,
        "date_posted": v.date_posted, "score": h.score, "distance_km": h.distance_km}
    if v.is_gig:
        row.update(work_date=v.work_date, start_time=v.start_time,
                   duration_hours=v.duration_hours, pay=v.salary_max or v.salary_min,
                   pay_unit=SALARY_UNITS.get(v.salary_unit, v.salary_unit),
                   places_left=v.places_left)
    return row


def run_search(args: argparse.Namespace) -> int:
    settings = load(args)
    try:
        city, district = _resolve_place(args)
        work_date = _date(args.date)
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    origin = station_origin(settings.station)
    kind = "gig" if work_date else (None if args.kind == "all" else args.kind)
    if work_date and args.kind == "job":
        print("--date 只用于零工 / --date selects gigs; it cannot be combined with --kind job",
              file=sys.stderr)
        return 2
    filters = SearchFilters(city_code=city, district_code=district, salary_min=args.salary_min,
                            kind=kind, work_date_from=work_date, work_date_to=work_date)
    try:
        with VacancyCatalog(_db_path(settings, args.db), origin=origin) as catalog:
            result = catalog.search(args.query, filters, limit=args.limit, origin=origin)
    except CatalogError as exc:
        print(f"search failed: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([hit_json(h) for h in result.items], ensure_ascii=False, indent=1))
        return 0
    shown = f"{result.total}+" if result.total_capped else str(result.total)
    print(f"{shown} vacancies match; showing {len(result.items)}")
    for h in result.items:
        v = h.vacancy
        where = v.district or v.town or v.city
        extra = f"  {h.distance_km:.1f} km" if h.distance_km is not None else ""
        if v.is_gig:
            extra += (f"  零工 {v.work_date} {v.start_time} {v.duration_hours:g}h"
                      f"  余{v.places_left}人")
        print(f"{v.id}  {v.title}  {v.employer or '-'}  {v.city}{where if where != v.city else ''}"
              f"  {v.salary_text()}{extra}")
    return 0
