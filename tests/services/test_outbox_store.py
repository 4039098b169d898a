"""The outbox store: transactions, receipts, encryption at rest, states, retention."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.services.outbox import (InvalidPayload, InvalidTransition, KeyFileError, KeyLost,
                                   Outbox, discard_unreadable,
                                   ReferralIdGenerator, UnknownItem, delivered_message,
                                   queued_message, verify_url)
from kiosk.services.outbox.crypto import PayloadCipher, key_fingerprint
from kiosk.services.outbox.results import public_result
from kiosk.services.outbox.schema import CHINA_STANDARD_TIME, china_day
from kiosk.services.outbox.store import UNREADABLE
from kiosk.settings import OutboxSettings

ID_NUMBER = "44010619900307123X"
PHONE = "13912345678"
NAME = "欧阳小明"
T0 = datetime(2026, 11, 30, 10, 0, tzinfo=CHINA_STANDARD_TIME).timestamp()


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def person(i: int = 0) -> dict:
    return {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "education": "40",
            "desired_occupations": ["4-01-02"], "seq": i}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def outbox(tmp_path: Path, clock: FakeClock) -> Outbox:
    box = Outbox(tmp_path / "outbox.db", tmp_path / "outbox.key",
                 OutboxSettings(max_attempts=3, max_age_hours=72, retention_days=7),
                 clock, terminal_id="GD-DEMO-0001", check=None)
    yield box
    box.close()


def test_receipt_numbers_count_per_china_day(outbox: Outbox, clock: FakeClock) -> None:
    """GIVEN a terminal WHEN items are enqueued over two days THEN receipts number per day."""
    first = outbox.enqueue("registration", person())
    second = outbox.enqueue("assistance", {"type": "unemployment_registration"})
    clock.now = datetime(2026, 12, 1, 0, 0, 1, tzinfo=CHINA_STANDARD_TIME).timestamp()
    third = outbox.enqueue("referral", {"referral_id": "x"})
    assert [first.receipt_no, second.receipt_no, third.receipt_no] == [
        "GD-DEMO-0001-R20261130-0001", "GD-DEMO-0001-R20261130-0002",
        "GD-DEMO-0001-R20261201-0001"]
    assert (first.item_id, second.item_id, third.item_id) == (1, 2, 3)
    assert len({first.idempotency_key, second.idempotency_key, third.idempotency_key}) == 3
    assert len(first.idempotency_key) == 36  # UUID4 text form
    assert china_day(datetime(2026, 11, 30, 23, 59, tzinfo=CHINA_STANDARD_TIME).timestamp()) \
        == "20261130"


def test_enqueue_joins_the_callers_transaction(outbox: Outbox) -> None:
    """GIVEN a service writing its own row WHEN the block fails THEN neither row is kept."""
    with outbox.transaction() as conn:
        conn.execute("CREATE TABLE registrations (receipt_no TEXT)")
    with pytest.raises(RuntimeError):
        with outbox.transaction() as conn:
            receipt = outbox.enqueue("registration", person(), conn=conn)
            conn.execute("INSERT INTO registrations VALUES (?)", (receipt.receipt_no,))
            raise RuntimeError("screen crashed before commit")
    assert outbox.status().pending == 0
    with outbox.transaction() as conn:
        receipt = outbox.enqueue("registration", person(), conn=conn)
        conn.execute("INSERT INTO registrations VALUES (?)", (receipt.receipt_no,))
    # the rolled-back receipt number was given back
    assert receipt.receipt_no == "GD-DEMO-0001-R20261130-0001"
    rows = sqlite3.connect(outbox.db_path).execute("SELECT receipt_no FROM registrations")
    assert rows.fetchall() == [("GD-DEMO-0001-R20261130-0001",)]
    assert outbox.status().pending == 1


def test_no_plaintext_personal_data_in_database_files(outbox: Outbox) -> None:
    """GIVEN 200 registrations WHEN the files are scanned THEN no ID, phone or name bytes."""
    for i in range(200):
        outbox.enqueue("registration", person(i))
    for i in range(1, 101):
        claimed = outbox.claim_next()
        assert claimed is not None and claimed.payload["id_number"] == ID_NUMBER
        outbox.mark_delivered(claimed.item_id, {"registration_no": f"REG{i}", "status": "created",
                                                "name": NAME, "echo": f"id {ID_NUMBER}"})
    files = [p for p in outbox.db_path.parent.iterdir() if p.name.startswith("outbox.db")]
    assert {p.name for p in files} >= {"outbox.db", "outbox.db-wal"}
    needles = [ID_NUMBER.encode(), PHONE.encode(), NAME.encode("utf-8"),
               ID_NUMBER.encode("utf-16-le"), NAME.encode("gb18030")]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path.name}"
    assert outbox.results(1) == {"registration_no": "REG1", "status": "created",
                                 "echo": "id 4401**********123X"}


def test_key_file_is_private_and_checked(tmp_path: Path, clock: FakeClock) -> None:
    key = tmp_path / "outbox.key"
    Outbox(tmp_path / "a.db", key, OutboxSettings(), clock, check=None).close()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    os.chmod(key, 0o644)
    with pytest.raises(KeyFileError, match="mode 0644, must be 0600"):
        Outbox(tmp_path / "a.db", key, OutboxSettings(), clock, check=None)
    os.chmod(key, 0o600)
    key.write_bytes(b"short")
    with pytest.raises(KeyFileError, match="5 bytes, must be 32"):
        Outbox(tmp_path / "a.db", key, OutboxSettings(), clock, check=None)


def test_lost_key_with_sealed_items_is_a_fault_never_a_silent_new_key(
        tmp_path: Path, clock: FakeClock) -> None:
    """GIVEN a queued item WHEN the key file is lost THEN opening the outbox fails with KeyLost
    (no new key is written, the item is untouched); restoring the key brings it back."""
    key = tmp_path / "o.key"
    box = Outbox(tmp_path / "o.db", key, OutboxSettings(), clock, check=None)
    box.enqueue("registration", person())
    box.close()
    saved = key.read_bytes()
    key.unlink()
    with pytest.raises(KeyLost) as lost:
        Outbox(tmp_path / "o.db", key, OutboxSettings(), clock, check=None)
    assert lost.value.sealed_items == 1 and lost.value.reason.startswith("missing")
    assert lost.value.expected_fingerprint == key_fingerprint(saved)
    assert "kiosk outbox discard --unreadable" in str(lost.value)
    assert not key.exists()
    key.write_bytes(os.urandom(32))  # another key: also refused
    os.chmod(key, 0o600)
    with pytest.raises(KeyLost, match="is not the recorded one"):
        Outbox(tmp_path / "o.db", key, OutboxSettings(), clock, check=None)
    key.write_bytes(saved)  # the technician restores the backup
    box = Outbox(tmp_path / "o.db", key, OutboxSettings(), clock, check=None)
    assert box.claim_next().payload == person()
    box.close()


def test_discard_unreadable_gives_up_the_items_and_makes_a_new_key(
        tmp_path: Path, clock: FakeClock) -> None:
    key = tmp_path / "o.key"
    box = Outbox(tmp_path / "o.db", key, OutboxSettings(), clock, check=None)
    first = box.enqueue("registration", person(1))
    box.close()
    key.write_bytes(b"short")
    with pytest.raises(KeyLost, match="5 bytes, must be 32"):
        Outbox(tmp_path / "o.db", key, OutboxSettings(), clock, check=None)
    assert discard_unreadable(tmp_path / "o.db", key) == [first.receipt_no]
    assert len(key.read_bytes()) == 32 and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert [p.read_bytes() for p in tmp_path.glob("o.key.unreadable-*")] == [b"short"]
    box = Outbox(tmp_path / "o.db", key, OutboxSettings(), clock, check=None)
    assert box.item(first.item_id).state == "discarded"
    assert box.item(first.item_id).has_payload is False
    receipt = box.enqueue("registration", person(2))
    assert box.claim_next().item_id == receipt.item_id
    box.close()
    assert discard_unreadable(tmp_path / "o.db", key) == []  # the right key: nothing to give up


def test_ciphertext_is_bound_to_its_row(outbox: Outbox) -> None:
    """GIVEN two items WHEN one's ciphertext is copied onto the other THEN it is dead-lettered."""
    outbox.enqueue("registration", person(1))
    outbox.enqueue("registration", person(2))
    raw = sqlite3.connect(outbox.db_path, isolation_level=None)
    raw.execute("UPDATE outbox_items SET payload = (SELECT payload FROM outbox_items "
                "WHERE item_id = 2) WHERE item_id = 1")
    raw.close()
    claimed = outbox.claim_next()
    assert claimed.item_id == 2 and claimed.payload["seq"] == 2
    assert outbox.item(1).state == "dead" and outbox.item(1).last_error == UNREADABLE


def test_cipher_layout_and_tamper() -> None:
    cipher = PayloadCipher(bytes(range(32)))
    sealed = cipher.seal(b'{"a":1}', "key-1")
    assert sealed[0] == 1 and len(sealed) == 1 + 12 + 7 + 16
    assert cipher.open(sealed, "key-1") == b'{"a":1}'
    with pytest.raises(ValueError, match="tag"):
        cipher.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), "key-1")
    with pytest.raises(ValueError, match="tag"):
        cipher.open(sealed, "key-2")


def test_delivery_keeps_a_receipt_without_personal_data(outbox: Outbox, clock: FakeClock) -> None:
    receipt = outbox.enqueue("registration", person())
    assert outbox.results(receipt.item_id) is None
    claimed = outbox.claim_next()
    assert (claimed.item_id, claimed.kind, claimed.idempotency_key, claimed.attempts) == (
        receipt.item_id, "registration", receipt.idempotency_key, 1)
    assert outbox.status().in_flight == 1
    clock.now += 5
    outbox.mark_delivered(claimed.item_id, {"registration_no": "GD2026000123",
                                            "status": "created", "id_number": ID_NUMBER})
    item = outbox.item(receipt.item_id)
    assert (item.state, item.has_payload, item.delivered_at) == ("delivered", False, T0 + 5)
    assert outbox.results(receipt.item_id) == {"registration_no": "GD2026000123",
                                               "status": "created"}
    assert outbox.wait_delivered(receipt.item_id, 0.0) is True
    status = outbox.status()
    assert (status.pending, status.in_flight, status.dead, status.delivered) == (0, 0, 0, 1)
    assert (status.last_success_at, status.platform_reachable, status.last_error) == (
        T0 + 5, True, None)


def test_crash_leaves_in_flight_items_pending_after_restart(tmp_path: Path,
                                                           clock: FakeClock) -> None:
    box = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(), clock, check=None)
    box.enqueue("referral", {"referral_id": "GD-DEMO-0001-20261130-0001"})
    assert box.claim_next() is not None
    assert box.claim_next() is None
    box.close()  # the process "dies" with the item in flight
    box = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(), clock, check=None)
    assert box.status().pending == 1
    again = box.claim_next()
    assert (again.item_id, again.attempts) == (1, 2)
    box.close()


def test_strikes_age_and_permanent_rejection(outbox: Outbox, clock: FakeClock) -> None:
    """max_attempts=3 strikes; network failures do not strike; age and 4xx dead-letter."""
    a = outbox.enqueue("registration", person(1)).item_id
    for _ in range(5):  # network outage: no strikes
        outbox.claim_next()
        assert outbox.mark_failed(a, "unavailable", retry_at=clock.now, strike=False,
                                  reachable=False) == "pending"
    assert outbox.status().platform_reachable is False
    states = []
    for _ in range(3):
        outbox.claim_next()
        states.append(outbox.mark_failed(a, "bad response", retry_at=clock.now, strike=True,
                                         reachable=True))
    assert states == ["pending", "pending", "dead"]
    item = outbox.item(a)
    assert (item.attempts, item.strikes, item.last_error) == (
        8, 3, "bad response (after 3 failed attempts)")
    b = outbox.enqueue("registration", person(2)).item_id
    outbox.claim_next()
    assert outbox.mark_failed(b, f"rejected 400 invalid_request: phone {PHONE}", retry_at=None,
                              strike=True, reachable=True) == "dead"
    assert outbox.item(b).last_error == "rejected 400 invalid_request: phone 139****5678"
    c = outbox.enqueue("registration", person(3)).item_id
    clock.now += 72 * 3600
    assert outbox.claim_next() is None
    assert outbox.item(c).last_error == "older than max_age_hours=72"
    assert [i.item_id for i in outbox.dead_letters()] == [a, b, c]
    assert outbox.status().dead == 3


def test_dead_letter_aged_without_attempt(outbox: Outbox, clock: FakeClock) -> None:
    outbox.enqueue("assistance", {"type": "career_guidance"})
    clock.now += 71 * 3600
    assert outbox.dead_letter_aged() == 0
    clock.now += 3600
    assert outbox.dead_letter_aged() == 1
    assert outbox.status().dead == 1


def test_retry_and_discard(outbox: Outbox, clock: FakeClock) -> None:
    a = outbox.enqueue("registration", person(1)).item_id
    b = outbox.enqueue("registration", person(2)).item_id
    with pytest.raises(InvalidTransition, match="cannot retry outbox item 1 in state pending"):
        outbox.retry(a)
    outbox.claim_next()
    with pytest.raises(InvalidTransition):
        outbox.discard(a)  # in flight
    outbox.mark_failed(a, "rejected 422", retry_at=None, strike=True, reachable=True)
    clock.now += 100
    outbox.retry(a)
    item = outbox.item(a)
    assert (item.state, item.strikes, item.next_attempt_at) == ("pending", 0, T0 + 100)
    outbox.discard(b)
    assert (outbox.item(b).state, outbox.item(b).has_payload) == ("discarded", False)
    assert outbox.wait_delivered(b, 5.0) is False  # returns at once: never coming
    with pytest.raises(UnknownItem):
        outbox.retry(99)
    with pytest.raises(UnknownItem):
        outbox.results(99)


def test_purge_expired_deletes_old_undelivered_personal_data(outbox: Outbox,
                                                            clock: FakeClock) -> None:
    old = outbox.enqueue("registration", person(1)).item_id
    delivered = outbox.enqueue("registration", person(2)).item_id
    dead = outbox.enqueue("registration", person(3)).item_id
    outbox.claim_next()
    outbox.mark_failed(old, "unavailable", retry_at=clock.now + 3600, strike=False,
                       reachable=False)
    outbox.claim_next()
    outbox.mark_delivered(delivered, {"registration_no": "R2"})
    outbox.claim_next()
    outbox.mark_failed(dead, "rejected 400", retry_at=None, strike=True, reachable=True)
    clock.now += 6 * 86400
    young = outbox.enqueue("registration", person(4)).item_id
    assert outbox.purge_expired() == 0
    clock.now += 86400 + 1
    assert outbox.purge_expired() == 2
    assert [(i.item_id, i.has_payload) for i in outbox.items("expired")] == [
        (old, False), (dead, False)]
    assert outbox.item(young).has_payload and outbox.item(young).state == "pending"
    assert outbox.results(delivered) == {"registration_no": "R2"}
    stored = sqlite3.connect(outbox.db_path).execute(
        "SELECT COUNT(*) FROM outbox_items WHERE payload IS NOT NULL").fetchone()[0]
    assert stored == 1


def test_invalid_payloads(outbox: Outbox) -> None:
    with pytest.raises(InvalidPayload, match="kind must be one of"):
        outbox.enqueue("complaint", {})
    with pytest.raises(InvalidPayload, match="TypeError"):
        outbox.enqueue("registration", {"photo": b"\x00"})
    with pytest.raises(InvalidPayload, match="ValueError"):
        outbox.enqueue("registration", {"salary": float("nan")})
    with pytest.raises(InvalidPayload, match="must be a dict"):
        outbox.enqueue("registration", [1])  # type: ignore[arg-type]
    assert outbox.status().pending == 0


def test_referral_ids_unique_across_terminals_and_restarts(tmp_path: Path,
                                                           clock: FakeClock) -> None:
    box = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(), clock, check=None)
    gen = ReferralIdGenerator(box, "GD-DEMO-0001")
    other = ReferralIdGenerator(box, "GD-GZ-0002")
    assert [gen.next_id(), gen.next_id(), other.next_id()] == [
        "GD-DEMO-0001-20261130-0001", "GD-DEMO-0001-20261130-0002", "GD-GZ-0002-20261130-0001"]
    with pytest.raises(RuntimeError):
        with box.transaction() as conn:
            gen.next_id(conn)
            raise RuntimeError
    box.close()
    box = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(), clock, check=None)
    gen = ReferralIdGenerator(box, "GD-DEMO-0001")
    with box.transaction() as conn:
        rid = gen.next_id(conn)
        box.enqueue("referral", {"referral_id": rid}, conn=conn)
    assert rid == "GD-DEMO-0001-20261130-0003"
    clock.now += 86400
    assert gen.next_id() == "GD-DEMO-0001-20261201-0001"
    with pytest.raises(ValueError):
        ReferralIdGenerator(box, " ")
    box.close()


def test_verify_url_and_messages() -> None:
    assert verify_url("http://127.0.0.1:8123/verify/{referral_id}",
                      "GD-DEMO-0001-20261130-0007") == \
        "http://127.0.0.1:8123/verify/GD-DEMO-0001-20261130-0007"
    with pytest.raises(ValueError):
        verify_url("http://x/verify", "a")
    assert queued_message("registration", "R20261130-0001") == (
        "您的求职登记已保存在本终端，回执号：R20261130-0001。网络恢复后系统将自动提交，"
        "无需再次前来办理。")
    assert queued_message("assistance", "R1", "en").startswith(
        "Your request has been saved on this terminal (receipt no. R1).")
    assert delivered_message("registration", "GD2026000123") == \
        "您的求职登记已提交成功，编号：GD2026000123。"


def test_public_result_drops_personal_fields() -> None:
    @dataclass
    class RegistrationResult:
        registration_no: str
        status: str
        name: str
        note: str

    assert public_result(RegistrationResult("GD1", "updated", NAME, f"tel {PHONE}")) == {
        "registration_no": "GD1", "status": "updated", "note": "tel 139****5678"}
    assert public_result(None) == {}
    assert public_result({"jobseeker": {"id_number": ID_NUMBER}, "ok": [1, "x"]}) == {
        "ok": [1, "x"]}


def test_contract_check_refuses_a_bad_payload_before_queueing(tmp_path: Path,
                                                             clock: FakeClock) -> None:
    """GIVEN the default contract check WHEN a registration lacks consent and has a bad phone
    THEN InvalidPayload names the fields, never the values, and nothing is queued."""
    box = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(), clock)
    bad = {"identity": {"id_number": ID_NUMBER, "name": NAME, "sex": "male",
                        "birth_date": "1990-03-07"}, "phone": "12345", "education_code": "40"}
    with pytest.raises(InvalidPayload) as caught:
        box.enqueue("registration", bad)
    assert sorted(caught.value.fields) == ["consent", "phone"]
    assert ID_NUMBER not in str(caught.value) and "12345" not in str(caught.value)
    assert box.status().pending == 0
    box.close()


def test_clock_set_back_does_not_strand_items(outbox: Outbox, clock: FakeClock) -> None:
    """GIVEN a retry scheduled in 10 s WHEN NTP sets the clock back a day THEN it is due now."""
    a = outbox.enqueue("registration", person(1)).item_id
    outbox.claim_next()
    outbox.mark_failed(a, "unavailable", retry_at=clock.now + 10, strike=False, reachable=False)
    assert outbox.claim_next() is None
    clock.now -= 86400
    claimed = outbox.claim_next()
    assert claimed is not None and claimed.item_id == a
