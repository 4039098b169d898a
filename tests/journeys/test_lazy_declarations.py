"""The engine given a loader (``kiosk run``): the declarations are read once, on first use or
by ``load()`` from the start-up worker, never before (issue 23: home drawn first)."""

from __future__ import annotations

import threading

from kiosk.services.journeys.declared import load_journeys
from kiosk.services.journeys.engine import JourneyEngine
from kiosk.services.session import SessionService


def test_a_loader_runs_once_on_first_use_and_the_engine_then_works():
    calls: list[int] = []

    def loader():
        calls.append(1)
        return load_journeys()

    session = SessionService(90, 180, 15)
    engine = JourneyEngine(session, loader)
    assert calls == []                      # built: nothing read yet
    assert engine.has_journey("register") and engine.has_journey("search")
    assert engine.spec("search").name == "search"
    engine.load()                           # the start-up worker's call, after the fact
    assert calls == [1]


def test_load_from_several_threads_reads_the_declarations_once():
    calls: list[int] = []
    gate = threading.Event()

    def loader():
        gate.wait(2)
        calls.append(1)
        return load_journeys()

    engine = JourneyEngine(SessionService(90, 180, 15), loader)
    threads = [threading.Thread(target=engine.load) for _ in range(4)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(5)
    assert calls == [1]
    assert "register" in engine.journeys


def test_a_mapping_is_used_as_given():
    declared = load_journeys()
    engine = JourneyEngine(SessionService(90, 180, 15), declared)
    assert engine.journeys == declared and engine.journeys is not declared
