"""Fixtures for issue 21: a records store with an injected clock and a seeded record set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.services.transactions import TransactionLog, TransactionStore

#: 2026-11-30 08:00:00 UTC (16:00 China Standard Time).
T0 = 1796025600.0


class FakeClock:
    """Epoch seconds that only move when told (used for both clocks of the log)."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path) -> Iterator[TransactionStore]:  # noqa: ANN001
    s = TransactionStore(tmp_path / "transactions.db")
    yield s
    s.close()


@pytest.fixture
def log(store: TransactionStore, clock: FakeClock) -> TransactionLog:
    return TransactionLog(store, clock=clock, monotonic=clock)


def run(log: TransactionLog, clock: FakeClock, kind: str, outcome: str, seconds: float, *,
        steps: int = 1, error_class: str = "", rating: int | None = None,
        reasons: tuple[str, ...] = (), language: str = "zh_CN", elderly: bool = False,
        gap: float = 10.0) -> int:
    """One transaction of ``seconds`` (then ``gap`` seconds of nobody)."""
    txn = log.started(kind, language=language, elderly=elderly)
    for n in range(1, steps + 1):
        log.step(txn, n, f"step{n}")
    clock.advance(seconds)
    log.finished(txn, outcome, error_class=error_class)
    if rating is not None:
        log.rate(txn, rating, reasons)
    clock.advance(gap)
    return txn


def seed(log: TransactionLog, clock: FakeClock) -> None:
    """The seeded record set the stats tests assert on (see test_transaction_stats)."""
    run(log, clock, "registration", "completed", 120, steps=4, rating=5)
    run(log, clock, "registration", "completed", 300, steps=4, rating=4, language="en")
    run(log, clock, "registration", "completed", 200, steps=4, rating=2, reasons=("too_slow",),
        elderly=True)
    run(log, clock, "registration", "completed", 600, steps=4)
    run(log, clock, "registration", "abandoned", 90, steps=3)
    run(log, clock, "referral", "completed", 30, steps=2, rating=5)
    run(log, clock, "referral", "completed", 45, steps=2, rating=1,
        reasons=("not_done", "device_fault"), elderly=True)
    run(log, clock, "referral", "completed", 60, steps=2, rating=3, language="en")
    run(log, clock, "referral", "failed", 20, steps=2, error_class="PrinterPaperEnd")
    run(log, clock, "referral", "abandoned", 15, steps=2)
    run(log, clock, "assistance:unemployment_registration", "completed", 400, steps=3, rating=5,
        elderly=True)
    log.started("assistance:unemployment_registration")  # still open
