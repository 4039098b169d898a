"""好差评 ratings through the outbox: bound to the transaction's platform number, held while
the transaction waits offline, released once it is delivered, dropped (with a log line) when
the platform refuses it; the outbox schema migration that admits the new kind."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kiosk.platform.errors import PlatformRejected
from kiosk.platform.submissions import check_payload
from kiosk.services.outbox import Outbox, OutboxWorker
from kiosk.services.outbox import schema as outbox_schema
from kiosk.services.transactions import LEVELS, TransactionLog, TransactionStore, label
from kiosk.settings import OutboxSettings
from tests.quality.conftest import FakeClock


class RatingPlatform:
    """Knows the transactions in ``known``; answers ratings like the sandbox."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.ratings: list[dict[str, Any]] = []

    def register_jobseeker(self, payload: dict[str, Any], idempotency_key: str) -> Any:
        number = f"REG-440106-{len(self.known) + 1:06d}"
        self.known.add(number)
        return {"registration_no": number, "status": "created"}

    def submit_rating(self, payload: dict[str, Any], idempotency_key: str) -> Any:
        check_payload("rating", payload)
        if payload["transaction_no"] not in self.known:
            raise PlatformRejected(404, "transaction_not_found", "no such transaction")
        self.ratings.append(payload)
        return {"rating_id": f"RT-{len(self.ratings)}", "transaction_no": payload["transaction_no"],
                "level": payload["level"], "status": "recorded"}


@pytest.fixture
def outbox(tmp_path: Path, clock: FakeClock) -> Any:
    box = Outbox(tmp_path / "outbox.db", tmp_path / "outbox.key", OutboxSettings(), clock,
                 terminal_id="GD-DEMO-0001")
    yield box
    box.close()


def completed(log: TransactionLog, clock: FakeClock, **finish: Any) -> int:
    txn = log.started("registration")
    clock.advance(100)
    log.finished(txn, "completed", **finish)
    return txn


def test_official_labels() -> None:
    assert [label(level) for level in (5, 4, 3, 2, 1)] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert sorted(LEVELS) == [1, 2, 3, 4, 5]
    assert label(1, "en") == "Very dissatisfied"


def test_rating_with_known_number_is_queued_and_delivered(
        store: TransactionStore, outbox: Any, clock: FakeClock) -> None:
    log = TransactionLog(store, outbox, clock=clock, monotonic=clock)
    platform = RatingPlatform({"REG-440106-000007"})
    txn = completed(log, clock, transaction_no="REG-440106-000007")
    clock.advance(5)
    assert log.rate(txn, 2, ["too_slow", "hard_to_use"]) == "queued"
    worker = OutboxWorker(outbox, platform, probe_interval_s=0)
    assert worker.run_once() is True
    assert platform.ratings == [{
        "transaction_no": "REG-440106-000007", "transaction_kind": "registration", "level": 2,
        "reasons": ["hard_to_use", "too_slow"],
        "content_version": "gd-kiosk-2026.1", "channel": "self_service_terminal",
        "completed_at": "2026-11-30T08:01:40.000000Z", "rated_at": "2026-11-30T08:01:45.000000Z"}]
    item = outbox.items("delivered")[0]
    assert (item.kind, item.has_payload) == ("rating", False)
    record = store.record(txn)
    assert record is not None and (record.rating, record.rating_state) == (2, "queued")


def test_rating_held_while_the_transaction_waits_then_released(
        store: TransactionStore, outbox: Any, clock: FakeClock) -> None:
    log = TransactionLog(store, outbox, clock=clock, monotonic=clock)
    platform = RatingPlatform(set())
    # a second handle on the same file without the contract check, for a stand-in registration
    box = Outbox(outbox.db_path, outbox.db_path.with_suffix(".key"), OutboxSettings(), clock,
                 check=None)
    try:
        receipt = box.enqueue("registration", {"seq": 1})
        txn = completed(log, clock, outbox_item_id=receipt.item_id)
        assert log.rate(txn, 5) == "held"
        assert log.release_held() == 0                          # still not delivered
        worker = OutboxWorker(box, platform, probe_interval_s=0)
        assert worker.run_once() is True                        # network back: registration sent
        assert log.release_held() == 1                          # rating now queued
        assert worker.run_once() is True
        assert [r["transaction_no"] for r in platform.ratings] == ["REG-440106-000001"]
    finally:
        box.close()


def test_rating_of_a_transaction_that_never_arrives_is_dropped(
        store: TransactionStore, outbox: Any, clock: FakeClock,
        caplog: pytest.LogCaptureFixture) -> None:
    log = TransactionLog(store, outbox, clock=clock, monotonic=clock)
    box = Outbox(outbox.db_path, outbox.db_path.with_suffix(".key"), OutboxSettings(), clock,
                 check=None)
    try:
        receipt = box.enqueue("registration", {"seq": 1})
        txn = completed(log, clock, outbox_item_id=receipt.item_id)
        assert log.rate(txn, 1, ["not_done"]) == "held"
        box.discard(receipt.item_id)                            # a technician gave it up
        caplog.set_level(logging.WARNING)
        assert log.release_held() == 1
        record = store.record(txn)
        assert record is not None and record.rating_state == "dropped"
        assert f"rating of transaction {txn} dropped" in caplog.text
    finally:
        box.close()


def test_refused_rating_is_dropped_from_the_outbox_with_a_log_line(
        store: TransactionStore, outbox: Any, clock: FakeClock,
        caplog: pytest.LogCaptureFixture) -> None:
    log = TransactionLog(store, outbox, clock=clock, monotonic=clock)
    txn = completed(log, clock, transaction_no="REG-440106-999999")   # unknown at the platform
    assert log.rate(txn, 4) == "queued"
    caplog.set_level(logging.WARNING)
    worker = OutboxWorker(outbox, RatingPlatform(set()), probe_interval_s=0)
    assert worker.run_once() is True
    item = outbox.items("discarded")[0]
    assert (item.kind, item.has_payload) == ("rating", False)
    assert item.last_error == "dropped: refused 404 transaction_not_found"
    assert outbox.dead_letters() == []                          # no technician work left behind
    assert (f"outbox item {item.item_id} (rating) refused by the platform and dropped: "
            "refused 404 transaction_not_found") in caplog.text


def test_outbox_schema_1_is_migrated_keeping_items(tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    v1 = outbox_schema.DDL.replace(",\n                                                      'rating'", "")
    assert "'rating'" not in v1.split("CREATE TABLE IF NOT EXISTS outbox_meta")[0]
    conn.executescript(v1 + "PRAGMA user_version=1;")
    conn.close()
    box = Outbox(db, tmp_path / "old.key", OutboxSettings(), clock, check=None)
    try:
        first = box.enqueue("registration", {"seq": 1})
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == outbox_schema.SCHEMA_VERSION
        conn.close()
        box.close()
        # an old file with rows: rebuild from version 1 keeps every row
        conn = sqlite3.connect(db, isolation_level=None)
        conn.executescript("PRAGMA user_version=1;")
        conn.close()
        box = Outbox(db, tmp_path / "old.key", OutboxSettings(), clock, check=None)
        assert box.item(first.item_id).receipt_no == first.receipt_no
        rating = box.enqueue("rating", {"level": 5})
        assert box.item(rating.item_id).kind == "rating"
    finally:
        box.close()
