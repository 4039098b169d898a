"""The kiosk's own records (``KioskRecords``): each row is written in the outbox item's
transaction, typed per kind, and nothing is enqueued when the row cannot be written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services.journey_store import KioskRecords, TABLES
from kiosk.services.journeys.spec import RecordKind
from kiosk.services.outbox import Outbox, StorageError
from kiosk.settings import OutboxSettings


class Worker:
    def __init__(self) -> None:
        self.kicks = 0

    def kick(self) -> None:
        self.kicks += 1


@pytest.fixture
def records(tmp_path: Path) -> Iterator[KioskRecords]:
    outbox = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(),
                    clock=lambda: 1_700_000_000.0, terminal_id="T1", check=None)
    yield KioskRecords(outbox, Worker())
    outbox.close()


def rows(records: KioskRecords, table: str) -> list[tuple[object, ...]]:
    with records.outbox.transaction() as conn:
        return [tuple(r) for r in conn.execute(f"SELECT * FROM {table}").fetchall()]


def test_every_record_kind_has_a_table(records: KioskRecords) -> None:
    assert set(TABLES) == set(RecordKind)
    for table in ("kiosk_registrations", "kiosk_referrals", "kiosk_assistance",
                  "kiosk_applications", "kiosk_postings"):
        assert rows(records, table) == []


def test_each_submission_writes_its_row_with_the_outbox_item(records: KioskRecords) -> None:
    reg = records.submit_registration({"x": 1}, wait_s=0)
    app = records.submit_application("hardship_certification", {"x": 2}, wait_s=0)
    post = records.submit_posting("gig", {"x": 3}, wait_s=0)
    aid = records.submit_assistance("subsidy_application", {"x": 4}, wait_s=0)
    assert not reg.delivered and reg.result == {}
    assert rows(records, "kiosk_registrations") == [(reg.receipt_no, reg.item_id, 1_700_000_000.0)]
    assert rows(records, "kiosk_applications") == [
        (app.receipt_no, app.item_id, "hardship_certification", 1_700_000_000.0)]
    assert rows(records, "kiosk_postings") == [(post.receipt_no, post.item_id, "gig",
                                                1_700_000_000.0)]
    assert rows(records, "kiosk_assistance") == [(aid.receipt_no, aid.item_id,
                                                  "subsidy_application", 1_700_000_000.0)]
    assert [records.outbox.item(s.item_id).kind for s in (reg, app, post, aid)] == [
        "registration", "application", "posting", "assistance"]
    assert records.worker.kicks == 4  # type: ignore[attr-defined]


def test_a_row_that_cannot_be_written_enqueues_nothing(records: KioskRecords) -> None:
    first = records.submit_registration({"x": 1}, wait_s=0)
    with records.outbox.transaction() as conn:  # make the next insert collide
        conn.execute("DROP TABLE kiosk_registrations")
        conn.execute("CREATE TABLE kiosk_registrations (receipt_no TEXT, item_id INTEGER, "
                     "created_at REAL, extra TEXT NOT NULL)")
    with pytest.raises(StorageError):
        records.submit_registration({"x": 2}, wait_s=0)
    assert records.outbox.status().pending == 1
    assert records.outbox.item(first.item_id).state == "pending"


def test_unknown_posting_kind_and_print_state_are_refused(records: KioskRecords) -> None:
    with pytest.raises(ValueError, match="posting kind 'shift'"):
        records.submit_posting("shift", {"x": 1}, wait_s=0)
    assert records.outbox.status().pending == 0
    with pytest.raises(ValueError, match="print state 'lost'"):
        records.store_print_outcome("T1-20231115-0001", "lost", None)


def test_referral_print_claim_is_atomic_and_counted(records: KioskRecords) -> None:
    with records.outbox.transaction() as conn:
        records.add_referral(conn, "T1-20231115-0001", 7, "V9", 1_700_000_000.0)
    assert records.print_state("T1-20231115-0001") == "none"
    assert records.print_state("T1-20231115-0002") == "none"        # unknown referral
    assert records.claim_print("T1-20231115-0001", ("none", "failed")) is None
    assert records.claim_print("T1-20231115-0001", ("none", "failed")) == "printing"
    records.store_print_outcome("T1-20231115-0001", "printed", None)
    assert records.claim_print("T1-20231115-0001", ("none", "failed")) == "printed"
    assert records.claim_print("T1-20231115-0001", PRINTED_AGAIN) is None
    records.store_print_outcome("T1-20231115-0001", "unknown", "PrinterTimeout")
    assert rows(records, "kiosk_referrals") == [
        ("T1-20231115-0001", 7, "V9", 1_700_000_000.0, "unknown", 1, "PrinterTimeout")]


PRINTED_AGAIN = ("none", "failed", "printed", "unknown")
