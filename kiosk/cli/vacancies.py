"""``kiosk vacancies``: fill and query the offline vacancy catalog.

* ``kiosk vacancies import --csv PATH [--db PATH]`` — job-board CSV
  (columns of ``../shared/data/vacancies_clean.csv``);
  ``kiosk vacancies import --demo [--db PATH]`` — the demo vacancies (``catalog.demo_data``).
* ``kiosk vacancies search [QUERY] [--city C] [--district D] [--salary-min N] [--limit N]
  [--db PATH] [--json]`` — ``--city``/``--district`` take a GB/T 2260 code or a name
  ("广州", "天河区"); ``--json`` prints an array of objects with id, title, employer, city,
  district, town, division_code, salary_min, salary_max, salary_unit, education_code,
  occupation_code, date_posted, score, distance_km (from the station, when configured).

The database defaults to ``<data_dir>/catalog.sqlite3``. Exit status: 0 ok, 1 import/database
error, 2 bad usage (unknown city or district) or configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli.context import load, int_range
from kiosk.domain.codes import divisions
from kiosk.domain.vacancy import Vacancy
from kiosk.paths import data_dir
from kiosk.services.catalog import CatalogError, SearchFilters, VacancyCatalog
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
    search.add_argument("--salary-min", type=int_range(0, 10_000_000), metavar="N", help="yuan per month at least")
    search.add_argument("--limit", type=int_range(1, 10_000), default=20, metavar="N", help="results (default 20)")
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
        with VacancyCatalog(_db_path(settings, args.db)) as catalog:
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


def run_search(args: argparse.Namespace) -> int:
    settings = load(args)
    try:
        city, district = _resolve_place(args)
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    station = settings.station
    origin = (station.latitude, station.longitude) if station.latitude or station.longitude \
        else None
    filters = SearchFilters(city_code=city, district_code=district, salary_min=args.salary_min)
    try:
        with VacancyCatalog(_db_path(settings, args.db)) as catalog:
            result = catalog.search(args.query, filters, limit=args.limit, origin=origin)
    except CatalogError as exc:
        print(f"search failed: {exc}", file=sys.stderr)
        return 1
    rows = [{"id": h.vacancy.id, "title": h.vacancy.title, "employer": h.vacancy.employer,
             "city": h.vacancy.city, "district": h.vacancy.district, "town": h.vacancy.town,
             "division_code": h.vacancy.division_code, "salary_min": h.vacancy.salary_min,
             "salary_max": h.vacancy.salary_max, "salary_unit": h.vacancy.salary_unit,
             "education_code": h.vacancy.education_code,
             "occupation_code": h.vacancy.occupation_code,
             "date_posted": h.vacancy.date_posted, "score": h.score,
             "distance_km": h.distance_km} for h in result.items]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print(f"{result.total} vacancies match; showing {len(rows)}")
    for h in result.items:
        v = h.vacancy
        where = v.district or v.town or v.city
        print(f"{v.id}  {v.title}  {v.employer or '-'}  {v.city}{where if where != v.city else ''}"
              f"  {v.salary_text()}")
    return 0
