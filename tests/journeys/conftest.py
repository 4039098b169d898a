"""Headless journey tests: the real engine and declarations, a recording display, a fake card
gate and an injected clock (no Kivy, no sleeps)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path

import pytest

from kiosk.domain.identity_card import IdentityCard
from kiosk.services.card_events import CardEvent
from kiosk.services.journeys.declared import load_journeys
from kiosk.services.journeys.engine import JourneyEngine
from kiosk.services.session import SessionService

REPO = Path(__file__).resolve().parents[2]
DEMO_CARDS = REPO / "assets" / "demo" / "cards"


@dataclass
class Recorder:
    """The engine's display: every call, in order."""

    calls: list[tuple[str, str, dict]] = field(default_factory=list)
    current: str = "home"

    def show(self, screen, values):
        self.calls.append(("show", screen, dict(values)))
        self.current = screen

    def update(self, screen, values):
        self.calls.append(("update", screen, dict(values)))

    def ended(self, reason):
        self.calls.append(("ended", reason, {}))
        self.current = "home"

    def screens(self) -> list[str]:
        return [screen for kind, screen, _ in self.calls if kind == "show"]

    def last(self, kind: str = "show") -> tuple[str, dict]:
        found = [(screen, values) for k, screen, values in self.calls if k == kind]
        return found[-1]


@dataclass
class FakeCard:
    last_state: str = "ready"
    card_present: bool = False
    allowed: list[bool] = field(default_factory=list)

    def allow_reading(self, allowed: bool) -> None:
        self.allowed.append(allowed)

    @property
    def reading(self) -> bool:
        return bool(self.allowed) and self.allowed[-1]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Kiosk:
    engine: JourneyEngine
    display: Recorder
    card: FakeCard
    clock: Clock
    session: SessionService

    def place(self, card: IdentityCard | None = None, problem: str | None = None) -> None:
        self.engine.card_event(CardEvent("placed", card=card or resident(), problem=problem))

    def read_card(self, card: IdentityCard | None = None) -> None:
        """On the notice: agree, lay the card, take it away."""
        assert self.display.current == "consent", self.display.calls[-3:]
        self.engine.agree()
        assert self.display.current == "card_read"
        self.place(card)
        self.engine.card_event(CardEvent("removed"))


def resident(name: str = "陈小满") -> IdentityCard:
    data = json.loads((DEMO_CARDS / "resident.json").read_text(encoding="utf-8"))
    data["name"] = name
    return IdentityCard.from_json(data)


def card_file(stem: str) -> IdentityCard:
    return IdentityCard.from_json(json.loads((DEMO_CARDS / f"{stem}.json").read_text("utf-8")))


CONSENT_TIME = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def kiosk() -> Kiosk:
    clock = Clock()
    session = SessionService(60, 120, 15, clock=clock)
    card = FakeCard()
    engine = JourneyEngine(session, load_journeys(), card=lambda: card, now=lambda: CONSENT_TIME)
    display = Recorder()
    engine.attach(display)
    return Kiosk(engine, display, card, clock, session)
