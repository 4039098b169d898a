"""UI benchmark of vacancy search with 100,000 vacancies in the catalog, in the real app under
Xvfb (the test harness drives it with synthetic touches, frames paced at maxfps 60).

Measures, per trial (wall time from the synthetic finger's lift — the tap's action runs on
release — to the end of the frame that shows the result; "no-op tap" is the floor: one frame):
* search: tap the keyboard's 搜索 key → the first page of results drawn (the first row's title
  on screen);
* detail: tap a result row → the vacancy detail screen drawn with that vacancy's title.
Prints median, p95 and spread (min–max) beside the goal: median ≤ 150 ms each.

Input: the real vacancies (``../shared/data/vacancies_clean.csv``) replicated to 100,000 with new
ids, as bench/bench_catalog.py does. Run: .venv/bin/python bench/bench_ui_search.py [--n 100000]
[--trials 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

GOAL_MS = 150.0
QUERIES = ["保洁", "ceshi", "gcs", "司机", "kf", "运营", "cs", "数据"]


def start_xvfb():
    from tests.conftest import _start_xvfb

    return _start_xvfb() if not os.environ.get("DISPLAY") else None


def make_app(root: Path, n: int):
    from bench_catalog import build

    from kiosk.services.catalog import VacancyCatalog

    data = root / "data"
    data.mkdir()
    t0 = time.perf_counter()
    with VacancyCatalog(data / "catalog.sqlite3") as catalog:
        catalog.upsert(build(n))
        catalog.mark_synced()
    print(f"catalog: {n} vacancies written in {time.perf_counter() - t0:.1f} s")
    site = root / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{data}"\n[session]\nidle_timeout_s = 600\n',
                    encoding="utf-8")
    from kiosk.bootstrap import build_services
    from kiosk.services.cjk_font import resolve_cjk_font
    from kiosk.settings import load_settings
    from kiosk.ui.kivy_env import WindowPlan, prepare_kivy

    settings = load_settings(site, environ={})
    services = build_services(settings)
    font = resolve_cjk_font("", root / "fonts")
    bold = resolve_cjk_font("", root / "fonts", bold=True)
    prepare_kivy(root / "kivy", WindowPlan((1080, 1920), False), 60, True)
    from kivy.base import runTouchApp

    from kiosk.app import KioskApp
    from tests.ui.harness import UiDriver

    app = KioskApp(services, font.path, bold.path)
    app._run_prepare()
    runTouchApp(embedded=True)
    driver = UiDriver(app)
    driver.pump(5)
    return driver


def drawn(ui, condition, timeout: float = 10.0) -> float:
    """Pump frames until ``condition()``, then one more frame (the one that draws it)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not met")
        ui.pump()
    ui.pump()
    return time.perf_counter()


def release_on(ui, widget) -> float:
    """Press ``widget`` (finger down, one frame), then lift the finger; returns the time of the
    lift (the tap's action runs on release, like a person's tap)."""
    from kivy.base import EventLoop

    from tests.ui.harness import _Touch

    x, y = widget.to_window(*widget.center)
    touch = _Touch(x, y)
    touch._post("begin")
    ui.pump()
    t0 = time.perf_counter()
    touch.move({"x": x / (EventLoop.window.width - 1.0), "y": y / (EventLoop.window.height - 1.0)})
    touch._post("end")
    return t0


def row_widget(ui, screen, vacancy_id: str):
    return next((w for w in ui.walk(screen.ids.results)
                 if getattr(w, "vacancy_id", "") == vacancy_id), None)


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    verdict = "OK" if statistics.median(times) <= GOAL_MS else "OVER GOAL"
    print(f"{name:9s} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
          f"spread {ordered[0]:.1f}–{ordered[-1]:.1f} ms  (n={len(times)}; goal median ≤ "
          f"{GOAL_MS:.0f} ms: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--trials", type=int, default=24)
    args = parser.parse_args()
    if not (REPO.parent / "shared" / "data" / "vacancies_clean.csv").exists():
        print("needs ../shared/data/vacancies_clean.csv")
        return 2
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    xvfb = start_xvfb()
    root = Path(tempfile.mkdtemp(prefix="bench-ui-search-"))
    try:
        ui = make_app(root, args.n)
        ui.tap(id="btn_search")
        screen = ui.wait_screen("search")
        ui.wait_until(lambda: screen.total >= 0, 30, "first results")
        # Warm-up outside the timings: the pinyin vocabulary is built once from the whole
        # catalog on a worker thread (seconds for 100,000 rows, holding the GIL in bursts), and
        # the first sync from the sandbox platform runs at start.
        t0 = time.perf_counter()
        ui.wait_until(lambda: screen._vocab is not None, 120, "vocabulary")
        services = ui.app.services
        ui.wait_until(lambda: services.catalog.count() >= args.n + 300, 60, "first sync")
        print(f"catalog in app: {services.catalog.count()} vacancies; vocabulary "
              f"({len(screen._vocab)} words) ready after {time.perf_counter() - t0:.1f} s")
        from kiosk.screens.search import PAGE_SIZE
        from kiosk.services.catalog import SearchFilters

        origin = screen._origin()
        query_ms = []
        for trial in range(args.trials):
            t0 = time.perf_counter()
            services.catalog.search(QUERIES[trial % len(QUERIES)], SearchFilters(),
                                    limit=PAGE_SIZE, origin=origin)
            query_ms.append((time.perf_counter() - t0) * 1000)
        floor_ms = []
        for _ in range(args.trials):
            t0 = release_on(ui, screen.ids.field)
            floor_ms.append((drawn(ui, lambda: True) - t0) * 1000)
        keyboard = screen.ids.keyboard
        search_ms, detail_ms = [], []
        for trial in range(args.trials):
            query = QUERIES[trial % len(QUERIES)]
            keyboard.text, keyboard.composing = ("", query) if query.isascii() else (query, "")
            ui.pump(2)
            search_key = next(w for w in ui.walk(keyboard) if getattr(w, "value", "") == "search")
            previous = screen._seq
            t0 = release_on(ui, search_key)
            end = drawn(ui, lambda previous=previous: screen._seq > previous and not screen.searching
                        and screen.ids.results.data
                        and row_widget(ui, screen, screen.ids.results.data[0]["vacancy_id"]))
            search_ms.append((end - t0) * 1000)
            first = screen.ids.results.data[min(trial % 3, len(screen.ids.results.data) - 1)]
            row = row_widget(ui, screen, first["vacancy_id"])
            detail = ui.app.screen("vacancy_detail")
            t0 = release_on(ui, row)
            end = drawn(ui, lambda detail=detail, first=first: ui.app.sm.current == "vacancy_detail"
                        and detail.vacancy is not None and detail.vacancy.id == first["vacancy_id"])
            detail_ms.append((end - t0) * 1000)
            ui.app.go_back()
            ui.wait_screen("search")
        print(f"window {ui.app.root_window.size[0]}×{ui.app.root_window.size[1]}, maxfps 60; "
              "times from the finger's lift to the frame drawn")
        report("query", query_ms)
        report("no-op tap", floor_ms)
        report("search", search_ms)
        report("detail", detail_ms)
        ui.app.services.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if xvfb is not None:
            xvfb.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
