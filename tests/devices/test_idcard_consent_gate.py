"""Before consent the reader only detects a card (FIND/SELECT), never sends READ (30 01)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from kiosk.devices.idcard.factory import open_reader
from kiosk.devices.idcard.reader import ListenerBase
from kiosk.settings import CardReaderSettings

REPO = Path(__file__).resolve().parents[2]


class Recorder(ListenerBase):
    def __init__(self) -> None:
        self.events: list[str] = []
        self.cards = []
        self.changed = threading.Event()

    def on_card_detected(self) -> None:
        self.events.append("detected")
        self.changed.set()

    def on_card_placed(self, card) -> None:
        self.events.append("placed")
        self.cards.append(card)
        self.changed.set()

    def on_card_removed(self) -> None:
        self.events.append("removed")
        self.changed.set()


def _wait(rec: Recorder, event: str, timeout: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while event not in rec.events and time.monotonic() < deadline:
        rec.changed.wait(0.05)
        rec.changed.clear()
    assert event in rec.events, rec.events


def test_no_read_before_consent_then_read_after():
    section = CardReaderSettings(port="simulator", poll_interval_ms=20,
                                 demo_card="assets/demo/cards/resident.json")
    reader = open_reader(section)
    sim = reader.simulator
    rec = Recorder()
    reader.add_listener(rec)
    reader.set_read_allowed(False)
    try:
        sim.remove()
        reader.start()
        card = json.loads((REPO / "assets/demo/cards/resident.json").read_text(encoding="utf-8"))
        sim.place(card)
        _wait(rec, "detected")
        assert rec.cards == []
        reader.set_read_allowed(True)
        _wait(rec, "placed")
        assert rec.cards[0].id_number == card["id_number"]
        assert rec.events[:2] == ["detected", "placed"]
        sim.remove()
        _wait(rec, "removed")
    finally:
        reader.close()


def test_detected_card_taken_away_reports_removed():
    section = CardReaderSettings(port="simulator", poll_interval_ms=20,
                                 demo_card="assets/demo/cards/resident.json")
    reader = open_reader(section)
    rec = Recorder()
    reader.add_listener(rec)
    reader.set_read_allowed(False)
    try:
        reader.simulator.remove()
        reader.start()
        reader.simulator.place(json.loads((REPO / "assets/demo/cards/resident.json").read_text("utf-8")))
        _wait(rec, "detected")
        reader.simulator.remove()
        _wait(rec, "removed")
        assert rec.cards == []
    finally:
        reader.close()
