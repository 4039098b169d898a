"""Live search (latest wins): stale keystrokes are dropped, stale results never delivered."""

from __future__ import annotations

import threading

import pytest

from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import VacancyCatalog
from kiosk.services.catalog.live import LatestSearch


def test_only_the_latest_query_is_searched_and_delivered():
    gate = threading.Event()
    started = threading.Event()
    searched: list[str] = []
    delivered: list[tuple[int, str]] = []

    def search(query: str) -> str:
        searched.append(query)
        if query == "b":
            started.set()
            assert gate.wait(5)
        return query.upper()

    live = LatestSearch(search, lambda gen, result: delivered.append((gen, result)))
    assert live.submit("b") == 1
    assert started.wait(5)                  # "b" is running and blocked
    live.submit("ba")                       # waits …
    live.submit("bao")                      # … replaced: "ba" is dropped
    last = live.submit("baoj")
    gate.set()
    assert live.wait_idle()
    assert searched == ["b", "baoj"] and delivered == [(last, "BAOJ")] == [(4, "BAOJ")]
    assert (live.dropped, live.discarded, live.latest) == (2, 1, 4)
    live.close()


def test_errors_go_to_on_error_and_cancel_makes_results_stale():
    errors: list[tuple[int, str]] = []
    delivered: list[int] = []
    gate = threading.Event()

    def search(query: str) -> int:
        if query == "bad":
            raise ValueError("not a date")
        assert gate.wait(5)
        return len(query)

    live = LatestSearch(search, lambda gen, result: delivered.append(result),
                        on_error=lambda gen, exc: errors.append((gen, type(exc).__name__)))
    gate.set()
    live.submit("bad")
    assert live.wait_idle()
    assert errors == [(1, "ValueError")]
    gate.clear()
    live.submit("slow")
    live.cancel()                            # cleared while running: its result is stale
    gate.set()
    assert live.wait_idle() and delivered == []
    live.close()
    with pytest.raises(RuntimeError):
        live.submit("x")


def test_with_a_real_catalog_on_the_worker_thread(tmp_path):
    catalog = VacancyCatalog(tmp_path / "c.sqlite3")
    catalog.upsert([Vacancy(id="a", title="保洁员", employer="", city="广州市"),
                    Vacancy(id="b", title="保安员", employer="", city="广州市")])
    got: list = []
    live = LatestSearch(catalog.search, lambda gen, result: got.append(
        (gen, [h.vacancy.id for h in result.items])))
    live.submit("bj", limit=5)
    assert live.wait_idle()
    assert got == [(1, ["a"])] and live.last_duration_s is not None
    live.close()
    catalog.close()
