"""Catalog benchmark: 100,000 vacancies (the real 13,296 replicated with new ids, spread over
the 21 cities and their districts, posting dates over 180 days, coordinates for a third).

Prints import time, database size, p50/p95 search latency per query kind beside a naive
linear scan (Python, over the same vacancies in memory), and matching time for one profile.
Goals: search p95 ≤ 20 ms; matching ≤ 100 ms.

Run: .venv/bin/python bench/bench_catalog.py [--n 100000]
"""

from __future__ import annotations

import argparse
import dataclasses
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
from kiosk.services.catalog import SearchFilters, VacancyCatalog, match  # noqa: E402
from kiosk.services.catalog.csv_import import read_csv  # noqa: E402
from kiosk.services.catalog.schema import searchable_fields  # noqa: E402
from kiosk.services.catalog.text_index import normalize  # noqa: E402

CSV = Path(os.environ.get("KIOSK_SHARED_DATA", REPO.parent / "shared" / "data")) / "vacancies_clean.csv"
STATION = (23.1365, 113.3240)
TODAY = date(2026, 11, 30)
QUERIES = {
    "substring 1-2 chars": ["测", "保", "数据", "测试", "开发", "运营"],
    "substring 3+ chars": ["软件测试", "工程师", "数据分析师", "android开发", "产品经理"],
    "full pinyin": ["ceshi", "shujufenxi", "kaifa", "gongchengshi", "chanpin"],
    "initials": ["rjcs", "sjfx", "cs", "gcs", "cpjl"],
}
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


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def p(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return f"p50 {statistics.median(times):7.2f} ms  p95 {p95:7.2f} ms"


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
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if not CSV.exists():
        print(f"needs {CSV}")
        return 1
    vacancies = build(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        cat = VacancyCatalog(db, today=lambda: TODAY)
        t0 = time.perf_counter()
        cat.upsert(vacancies)
        import_s = time.perf_counter() - t0
        cat._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        print(f"{args.n} vacancies: import {import_s:.1f} s "
              f"({args.n / import_s:,.0f}/s), database {size / 1e6:.1f} MB")
        print(f"search latency, {args.repeat} rounds over each query list (goal p95 ≤ 20 ms):")
        for kind, queries in QUERIES.items():
            times = timed(lambda queries=queries: [cat.search(q, limit=50) for q in queries], args.repeat)
            per = [t / len(queries) for t in times]
            each = [t for q in queries for t in timed(lambda q=q: cat.search(q, limit=50),
                                                       args.repeat)]
            print(f"  {kind:22s} {p(each)}   (mean of list {statistics.mean(per):.2f} ms)")
        each = [t for f in FILTERS for t in timed(lambda f=f: cat.search("", f, limit=50),
                                                   args.repeat)]
        print(f"  {'filter only':22s} {p(each)}")
        combos = [("测试", FILTERS[0]), ("rjcs", FILTERS[2]), ("kaifa", FILTERS[3]),
                  ("工程师", FILTERS[1])]
        each = [t for q, f in combos for t in timed(lambda q=q, f=f: cat.search(
            q, f, limit=50, origin=STATION), args.repeat)]
        print(f"  {'combined':22s} {p(each)}")
        naive_times = [t for q in ("测试", "软件测试", "保") for t in timed(
            lambda q=q: naive(vacancies, q), 3)]
        print(f"  {'naive scan (substring)':22s} {p(naive_times)}")
        naive_times = timed(lambda: naive(vacancies, "测试", FILTERS[0]), 3)
        print(f"  {'naive scan (combined)':22s} {p(naive_times)}")
        profile = JobseekerProfile(desired_occupations=("2-02",), desired_districts=("440106",),
                                   expected_salary=12000, education_code="21",
                                   employment_type="FULL_TIME")
        times = timed(lambda: match(profile, cat, origin=STATION, limit=20), args.repeat)
        print(f"matching one profile against {args.n} (goal ≤ 100 ms): {p(times)}")
        cat.close()
    print(f"(cpus: {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
