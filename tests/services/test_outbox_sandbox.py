"""The outbox against the real sandbox platform (HTTP on loopback, signed requests, faults).

Offline then online: a registration and a referral made while the platform is down get receipts,
the slip's verification URL says "not yet received", and after the network is back both are
delivered, the verification page shows the referral, and each key was applied once. Lost
answers (the platform applied the write, the connection dropped): resent with the same key,
replayed, one registration each.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import pytest
import requests

from kiosk.services.outbox import (OutboxWorker, ReferralIdGenerator, open_outbox,
                                   queued_message, verify_url)
from kiosk.settings import OutboxSettings, PathSettings, Settings

embedded = pytest.importorskip("kiosk.platform.sandbox.embedded",
                               reason="the sandbox platform (issue 5) is not installed")
from kiosk.platform.client import build_client  # noqa: E402

FAST = OutboxSettings(backoff_base_s=0.02, backoff_max_s=0.2)
CONSENT = {"version": "2026.1", "text_sha256": "ab" * 32, "accepted_at": "2026-11-30T10:00:00+08:00",
           "purposes": ["registration", "referral"]}


def registration(n: int) -> dict[str, Any]:
    """A valid 求职登记 body with a distinct (synthetic) ID number per ``n``."""
    return {"identity": {"id_number": f"4401{n:014d}", "name": "测试人员", "sex": "female",
                         "birth_date": "1990-03-07", "ethnicity_code": "01"},
            "phone": "13912345678", "education_code": "40",
            "desired_occupations": ["4-01"], "desired_divisions": ["440106"],
            "consent": CONSENT}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Any]]:
    folder = tmp_path_factory.mktemp("sandbox")
    settings = dataclasses.replace(Settings(), paths=PathSettings(data_dir=str(folder)),
                                   outbox=FAST)
    sandbox = embedded.start_embedded_sandbox(settings)
    yield settings, sandbox
    sandbox.stop()


@pytest.fixture
def kiosk(platform: tuple[Settings, Any], tmp_path: Path) -> Iterator[tuple[Any, ...]]:
    settings, sandbox = platform
    sandbox.faults.reset()
    own = dataclasses.replace(settings, paths=PathSettings(data_dir=str(tmp_path)))
    # the terminal's secret lives beside the sandbox's data; the outbox in this test's folder
    client = build_client(settings, sandbox.base_url)
    outbox = open_outbox(own)
    worker = OutboxWorker(outbox, client, idle_poll_s=0.05, probe_interval_s=0)
    yield settings, sandbox, client, outbox, worker
    worker.stop()
    sandbox.faults.reset()
    outbox.close()
    client.close()


def test_offline_registration_and_referral_are_delivered_when_back(kiosk: tuple) -> None:
    settings, sandbox, client, outbox, worker = kiosk
    template = client.station().verify_url_template  # cached by the kiosk while online
    vacancy_id = client.vacancy_changes(None, None, None).items[0].id
    sandbox.faults.update(down=True)
    worker.start()
    ids = ReferralIdGenerator(outbox, settings.station.terminal_id)
    reg = outbox.enqueue("registration", registration(7001))
    with outbox.transaction() as conn:
        referral_id = ids.next_id(conn)
        ref = outbox.enqueue("referral", {
            "referral_id": referral_id, "vacancy_id": vacancy_id,
            "jobseeker": {"id_number": "440100000000007001", "name": "测试人员",
                          "phone": "13912345678"},
            "issued_at": "2026-11-30T10:05:00+08:00"}, conn=conn)
    assert reg.receipt_no.startswith(f"{settings.station.terminal_id}-R")
    assert "网络恢复后系统将自动提交" in queued_message("registration", reg.receipt_no)
    slip_url = verify_url(template, referral_id, client.device_secret)
    assert "尚未收到" in requests.get(slip_url, timeout=5).text
    assert outbox.wait_delivered(reg.item_id, 0.5) is False
    status = outbox.status()
    assert (status.waiting, status.delivered, status.platform_reachable) == (2, 0, False)
    assert status.last_error.startswith("unavailable: no answer to POST")

    sandbox.faults.update(down=False)
    worker.kick()
    assert outbox.wait_delivered(reg.item_id, 15) and outbox.wait_delivered(ref.item_id, 15)
    reg_result = outbox.results(reg.item_id)
    assert reg_result["status"] == "created"
    assert reg_result["registration_no"] in {
        r["registration_no"] for r in sandbox.casework.registrations()}
    assert outbox.results(ref.item_id)["verify_url"] == slip_url
    page = requests.get(slip_url, timeout=5).text
    assert referral_id in page and "尚未收到" not in page
    counts = sandbox.store.idempotency_counts()
    assert (counts[reg.idempotency_key], counts[ref.idempotency_key]) == (1, 1)
    status = outbox.status()
    assert (status.waiting, status.delivered, status.platform_reachable) == (0, 2, True)
    assert abs(status.last_success_at - time.time()) < 30


def test_lost_answers_are_replayed_not_applied_twice(kiosk: tuple) -> None:
    settings, sandbox, client, outbox, worker = kiosk
    sandbox.faults.update(drop_rate=0.5, seed=11)
    receipts = [outbox.enqueue("registration", registration(8000 + i)) for i in range(30)]
    worker.start()
    for r in receipts:
        assert outbox.wait_delivered(r.item_id, 30), outbox.item(r.item_id)
    counts = sandbox.store.idempotency_counts()
    mine = [counts[r.idempotency_key] for r in receipts]
    assert min(mine) >= 1 and sum(mine) > len(receipts)  # some answers were lost and resent
    numbers = [outbox.results(r.item_id)["registration_no"] for r in receipts]
    assert len(set(numbers)) == 30  # one registration per item
    on_platform = [r["registration_no"] for r in sandbox.casework.registrations()]
    assert all(on_platform.count(n) == 1 for n in numbers)
    assert {outbox.results(r.item_id)["status"] for r in receipts} == {"created"}


def test_platform_rejection_is_dead_lettered_for_the_technician(kiosk: tuple) -> None:
    settings, sandbox, client, outbox, worker = kiosk
    r = outbox.enqueue("referral", {
        "referral_id": f"{settings.station.terminal_id}-20261130-9999",
        "vacancy_id": "no-such-vacancy",
        "jobseeker": {"id_number": "440100000000009999", "name": "测试人员"},
        "issued_at": "2026-11-30T10:05:00+08:00"})
    worker.start()
    assert outbox.wait_delivered(r.item_id, 10) is False
    (dead,) = outbox.dead_letters()
    assert (dead.item_id, dead.state, dead.last_error.split(":")[0]) == (
        r.item_id, "dead", "rejected 404 vacancy_not_found")
    assert outbox.status().dead == 1
