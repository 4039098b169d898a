"""Catalog benchmark: 100,000 vacancies (the real 13,296 replicated with new ids, spread over
the 21 cities and their districts, posting dates over 180 days, coordinates for a third) plus
20,000 generated 零工 gigs (work dates over the next two weeks, most near the station).

Prints import time, database size, the in-memory search index's build time and memory,
p50/p95 search latency per query kind beside a naive
linear scan (Python, over the same vacancies in memory), and matching time for one profile.
Every search passes the station as origin, as the kiosk does (results ordered by relevance,
then distance). Goals (issue 23): every kind p95 ≤ 10 ms and p50 ≥ 50× faster than the naive
scan of the same run; matching p95 ≤ 30 ms.

Run: .venv/bin/python bench/bench_catalog.py [--n 100000] [--gigs 20000] [--json]
The real data is read from ../shared/data (or $KIOSK_SHARED_DATA).
``--json`` prints one object: {"n", "kinds": {kind: {"p50_ms", "p95_ms"}}, "naive": {"p50_ms"},
"matching": {"p50_ms", "p95_ms"}} with the kinds substring_short, substring_long, pinyin,
initials, filter, combined, gig_today_nearby.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.domain.codes import divisions  # noqa: E402
from kiosk.domain.matching import JobseekerProfile, monthly_max  # noqa: E402
from kiosk.domain.vacancy import Vacancy  # noqa: E402
from kiosk.services.catalog import SearchFilters, VacancyCatalog, gig_dates, match  # noqa: E402
from kiosk.services.catalog.csv_import import read_csv  # noqa: E402
from kiosk.services.catalog.schema import searchable_fields  # noqa: E402
from kiosk.services.catalog.text_index import normalize  # noqa: E402

CSV = Path(os.environ.get("KIOSK_SHARED_DATA", REPO.parent / "shared" / "data")) / "vacancies_clean.csv"
STATION = (23.1365, 113.3240)
TODAY = date(2026, 11, 30)
QUERIES = {
    "substring_short": ["测", "保", "数据", "测试", "开发", "运营"],
    "substring_long": ["软件测试", "工程师", "数据分析师", "android开发", "产品经理"],
    "pinyin": ["ceshi", "shujufenxi", "kaifa", "gongchengshi", "chanpin"],
    "initials": ["rjcs", "sjfx", "cs", "gcs", "cpjl"],
}
LABELS = {"substring_short": "substring 1-2 chars", "substring_long": "substring 3+ chars",
          "pinyin": "full pinyin", "initials": "initials", "filter": "filter only",
          "combined": "combined", "gig_today_nearby": "gigs today + nearby"}
GIG_JOBS = [("日结装卸工", "4-02", 220, "DAY"), ("临时搬运工", "4-02", 200, "DAY"),
            ("钟点工（家政）", "4-10", 30, "HOUR"), ("展会临时工", "4-07", 180, "DAY"),
            ("餐厅帮厨（日结）", "4-03", 25, "HOUR"), ("快递分拣（夜班）", "4-02", 28, "HOUR"),
            ("服装计件工", "6-31", 2, "PIECE"), ("活动礼仪", "4-07", 300, "DAY"),
            ("小区保洁（半天）", "4-09", 120, "DAY"), ("派发传单", "4-01", 150, "DAY")]
FILTERS = [SearchFilters(city_code="4401", salary_min=10000),
           SearchFilters(district_code="440106"),
           SearchFilters(city_code="4403", education_max="31"),
           SearchFilters(occupation_major="2", max_age_days=30)]


def build(n: int) -> list:
    rng = random.Random(7)
    base = list(read_csv(CSV))
    counties = list(divisions.COUNTIES)
    out = []
    for i in range(n):
        v = base[i % len(base)]
        code = rng.choice(counties)
        near = rng.random() < 0.33
        out.append(dataclasses.replace(
            v, id=f"B-{i:06d}", city=divisions.CITIES[code[:4]],
            district=divisions.COUNTIES[code], division_code=code,
            date_posted=(TODAY - timedelta(days=rng.randrange(180))).isoformat(),
            latitude=STATION[0] + rng.uniform(-0.2, 0.2) if near else None,
            longitude=STATION[1] + rng.uniform(-0.2, 0.2) if near else None))
    return out


def build_gigs(n: int) -> list[Vacancy]:
    """Generated gigs: work dates today … +13 days, 60 % within ~20 km of the station."""
    rng = random.Random(19)
    counties = list(divisions.COUNTIES)
    out = []
    for i in range(n):
        title, occupation, pay, unit = GIG_JOBS[i % len(GIG_JOBS)]
        code = "440106" if rng.random() < 0.3 else rng.choice(counties)
        near = rng.random() < 0.6
        out.append(Vacancy(
            id=f"G-{i:06d}", title=title, employer=f"零工雇主{i % 997}（演示）",
            city=divisions.CITIES[code[:4]], district=divisions.COUNTIES[code],
            division_code=code, latitude=STATION[0] + rng.uniform(-0.2, 0.2) if near else None,
            longitude=STATION[1] + rng.uniform(-0.2, 0.2) if near else None,
            salary_min=pay, salary_max=pay, salary_unit=unit, employment_type="TEMPORARY",
            occupation_code=occupation, date_posted=(TODAY - timedelta(days=rng.randrange(7))
                                                     ).isoformat(),
            kind="gig", work_date=(TODAY + timedelta(days=rng.randrange(14))).isoformat(),
            start_time=f"{rng.choice((7, 8, 9, 13, 18)):02d}:00",
            duration_hours=rng.choice((4.0, 8.0, 10.0)), places_left=rng.randrange(0, 20),
            settlement=rng.choice(("DAILY", "WEEKLY", "ON_COMPLETION"))))
    return out


def _rss_mb() -> float:
    """This process's resident set (MB; 0 where /proc is absent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(p95, 3)}


def p(times: list[float]) -> str:
    s = stats(times)
    return f"p50 {s['p50_ms']:7.2f} ms  p95 {s['p95_ms']:7.2f} ms"


def naive(vacancies, term: str, f: SearchFilters | None = None) -> int:
    t = normalize(term)
    hits = [v for v in vacancies if (not t or any(t in normalize(x) for x in
                                                  searchable_fields(v) if x))
            and (f is None or ((not f.city_code or v.division_code.startswith(f.city_code))
                               and (not f.salary_min or monthly_max(v) >= f.salary_min)))]
    hits.sort(key=lambda v: v.date_posted, reverse=True)
    return len(hits)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--gigs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not CSV.exists():
        print(f"needs {CSV}")
        return 1
    say = (lambda *a, **k: None) if args.json else print
    vacancies = build(args.n)
    gigs = build_gigs(args.gigs)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        cat = VacancyCatalog(db, today=lambda: TODAY, origin=STATION)
        t0 = time.perf_counter()
        cat.upsert(vacancies + gigs)
        import_s = time.perf_counter() - t0
        cat._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        total = args.n + args.gigs
        say(f"{args.n} vacancies + {args.gigs} gigs: import {import_s:.1f} s "
            f"({total / import_s:,.0f}/s), database {size / 1e6:.1f} MB")
        # The in-memory search index (kiosk/services/catalog/postings.py) is built once after
        # the writes — in the kiosk by the sync that wrote them — not inside a timed search.
        rss0 = _rss_mb()
        t0 = time.perf_counter()
        held = cat.prepare_search()
        build_s = time.perf_counter() - t0
        say(f"search index: built in {build_s:.2f} s, holds {held / 1e6:.1f} MB "
            f"(process RSS {rss0:.0f} → {_rss_mb():.0f} MB while building it)")
        say(f"search latency, {args.repeat} rounds of each query, origin = the station "
            "(goal p95 ≤ 10 ms, p50 ≥ 50× faster than the naive scan):")
        kinds: dict[str, list[float]] = {}
        for kind, queries in QUERIES.items():
            kinds[kind] = [t for q in queries for t in timed(
                lambda q=q: cat.search(q, limit=50, origin=STATION), args.repeat)]
        kinds["filter"] = [t for f in FILTERS for t in timed(
            lambda f=f: cat.search("", f, limit=50, origin=STATION), args.repeat)]
        combos = [("测试", FILTERS[0]), ("rjcs", FILTERS[2]), ("kaifa", FILTERS[3]),
                  ("工程师", FILTERS[1])]
        kinds["combined"] = [t for q, f in combos for t in timed(
            lambda q=q, f=f: cat.search(q, f, limit=50, origin=STATION), args.repeat)]
        gig_filters = []
        for window, km in (("today", 5.0), ("today", 10.0), ("tomorrow", 5.0), ("week", 3.0)):
            first, last = gig_dates(window, TODAY)
            gig_filters.append(SearchFilters(kind="gig", work_date_from=first,
                                             work_date_to=last, within_km=km))
        kinds["gig_today_nearby"] = [t for f in gig_filters for t in timed(
            lambda f=f: cat.search("", f, limit=50, origin=STATION), args.repeat)]
        for kind, times in kinds.items():
            say(f"  {LABELS[kind]:22s} {p(times)}")
        everything = vacancies + gigs
        naive_times = [t for q in ("测试", "软件测试", "保") for t in timed(
            lambda q=q: naive(everything, q), 3)]
        say(f"  {'naive scan (substring)':22s} {p(naive_times)}")
        naive_p50 = stats(naive_times)["p50_ms"]
        for kind, times in kinds.items():
            ratio = naive_p50 / max(stats(times)["p50_ms"], 1e-6)
            say(f"    {LABELS[kind]:20s} {ratio:6.0f}× faster than the naive scan (p50)"
                + ("" if ratio >= 50 else "  MISSED (goal 50×)"))
        profile = JobseekerProfile(desired_occupations=("2-02",), desired_districts=("440106",),
                                   expected_salary=12000, education_code="21",
                                   employment_type="FULL_TIME")
        times = timed(lambda: match(profile, cat, origin=STATION, limit=20), args.repeat)
        say(f"matching one profile against {total} (goal p95 ≤ 30 ms): {p(times)}")
        matching = stats(times)
        cat.close()
    say(f"(cpus: {os.cpu_count()})")
    if args.json:
        print(json.dumps({"n": total, "kinds": {k: stats(v) for k, v in kinds.items()},
                          "naive": {"p50_ms": naive_p50}, "matching": matching}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
