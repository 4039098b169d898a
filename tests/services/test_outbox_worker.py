"""The sender thread against a scripted fake platform (the real sandbox: test_outbox_sandbox)."""

from __future__ import annotations

import itertools

import random
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.platform.errors import (PlatformAuthError, PlatformBadResponse, PlatformRejected,
                                   PlatformUnavailable)
from kiosk.services.outbox import Outbox, OutboxWorker
from kiosk.services.outbox.worker import backoff_s

FAST = dict(max_attempts=4, max_age_hours=72, retention_days=7, backoff_base_s=0.01,
            backoff_max_s=0.04)


class FakePlatform:
    """Applies each Idempotency-Key once and replays the first reply, like the sandbox.

    ``script`` is a list of exceptions (or None = answer) consumed one per call.
    """

    def __init__(self, script: list[Exception | None] | None = None) -> None:
        self.script = list(script or [])
        self.calls: list[tuple[str, str]] = []
        self.times: list[float] = []
        self.applied: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.pings = 0
        self.ping_error: Exception | None = None

    def _post(self, method: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
        with self.lock:
            self.calls.append((method, key))
            self.times.append(time.monotonic())
            step = self.script.pop(0) if self.script else None
            if step is not None:
                raise step
            if key not in self.applied:
                n = len(self.applied) + 1
                self.applied[key] = {"registration_no": f"GD{n:06d}", "status": "created",
                                     "ticket_no": f"T{n}", "echo_seq": payload.get("seq")}
            return self.applied[key]

    def register_jobseeker(self, payload: dict[str, Any], idempotency_key: str) -> Any:
        return self._post("register_jobseeker", payload, idempotency_key)

    def create_referral(self, payload: dict[str, Any], idempotency_key: str) -> Any:
        return self._post("create_referral", payload, idempotency_key)

    def create_assistance_request(self, payload: dict[str, Any], idempotency_key: str) -> Any:
        return self._post("create_assistance_request", payload, idempotency_key)

    def ping(self) -> float:
        self.pings += 1
        if self.ping_error is not None:
            raise self.ping_error
        return 0.0


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    from kiosk.settings import OutboxSettings
    box = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(**FAST), check=None)
    yield box
    box.close()


def test_backoff_doubles_with_equal_jitter_and_cap() -> None:
    rng = random.Random(7)
    waits = [backoff_s(n, 2.0, 300.0, rng) for n in range(1, 11)]
    caps = [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    for wait, cap in zip(waits, caps, strict=True):
        assert cap / 2 <= wait <= cap
    assert backoff_s(0, 2.0, 300.0, rng) <= 2.0


def test_run_once_sends_fifo_with_keys_and_kind_methods(outbox: Outbox) -> None:
    platform = FakePlatform()
    worker = OutboxWorker(outbox, platform)
    r1 = outbox.enqueue("registration", {"seq": 1})
    r2 = outbox.enqueue("referral", {"seq": 2})
    r3 = outbox.enqueue("assistance", {"seq": 3})
    assert [worker.run_once() for _ in range(4)] == [True, True, True, False]
    assert platform.calls == [("register_jobseeker", r1.idempotency_key),
                              ("create_referral", r2.idempotency_key),
                              ("create_assistance_request", r3.idempotency_key)]
    assert outbox.results(r1.item_id) == {"registration_no": "GD000001", "status": "created",
                                          "ticket_no": "T1", "echo_seq": 1}
    assert outbox.status().delivered == 3


def test_network_outage_pauses_without_strikes_then_delivers(outbox: Outbox) -> None:
    down = PlatformUnavailable("connect timeout")
    platform = FakePlatform([down] * 6)
    worker = OutboxWorker(outbox, platform, rng=random.Random(1), idle_poll_s=0.05,
                          probe_interval_s=0)
    receipts = [outbox.enqueue("registration", {"seq": i}) for i in range(3)]
    worker.start()
    try:
        for r in receipts:
            assert outbox.wait_delivered(r.item_id, 10.0)
    finally:
        assert worker.stop()
    items = [outbox.item(r.item_id) for r in receipts]
    assert sum(i.attempts for i in items) == 9 == len(platform.calls)
    assert [i.strikes for i in items] == [0, 0, 0]  # the 6 outages did not count
    # one probe per pause: the gap after the n-th failure is at least half its backoff
    gaps = [b - a for a, b in itertools.pairwise(platform.times)]
    for n, gap in enumerate(gaps[:6], start=1):
        assert gap >= min(0.04, 0.01 * 2 ** (n - 1)) / 2
    status = outbox.status()
    assert (status.delivered, status.platform_reachable, status.last_error) == (3, True, None)


def test_permanent_rejection_dead_letters_and_retryable_ones_retry(outbox: Outbox) -> None:
    platform = FakePlatform([PlatformRejected(409, "referral_exists", "taken"),
                             PlatformRejected(422, "invalid_request", "education code"),
                             PlatformRejected(429, "rate_limited"),
                             PlatformBadResponse("missing registration_no", 200)])
    worker = OutboxWorker(outbox, platform)
    conflict = outbox.enqueue("referral", {"seq": 0})
    bad = outbox.enqueue("registration", {"seq": 1})
    busy = outbox.enqueue("registration", {"seq": 2})
    assert worker.run_once() and worker.run_once() and worker.run_once()
    assert outbox.item(conflict.item_id).state == "dead"
    assert outbox.item(bad.item_id).state == "dead"
    assert outbox.item(bad.item_id).last_error == \
        "rejected 422 invalid_request: education code"
    assert outbox.item(busy.item_id).state == "pending"
    time.sleep(0.05)
    assert worker.run_once()  # bad response: strike, retry later
    assert outbox.item(busy.item_id).strikes == 2
    time.sleep(0.05)
    assert worker.run_once()
    assert outbox.item(busy.item_id).state == "delivered"
    assert [i.item_id for i in outbox.dead_letters()] == [conflict.item_id, bad.item_id]


def test_auth_errors_strike_until_dead(outbox: Outbox) -> None:
    platform = FakePlatform([PlatformAuthError(401, "signature_invalid")] * 10)
    worker = OutboxWorker(outbox, platform)
    r = outbox.enqueue("assistance", {"seq": 1})
    for _ in range(4):
        time.sleep(0.05)
        assert worker.run_once()
    item = outbox.item(r.item_id)
    assert (item.state, item.strikes, item.last_error) == (
        "dead", 4, "auth 401 signature_invalid (after 4 failed attempts)")


def test_client_bug_does_not_stop_the_thread(outbox: Outbox) -> None:
    platform = FakePlatform([TypeError("payload 44010619900307123X bad")])
    worker = OutboxWorker(outbox, platform, idle_poll_s=0.05, probe_interval_s=0)
    worker.start()
    try:
        r = outbox.enqueue("registration", {"seq": 1})
        assert outbox.wait_delivered(r.item_id, 10.0)
    finally:
        assert worker.stop()
    assert outbox.item(r.item_id).strikes == 1


def test_enqueue_wakes_the_idle_worker_immediately(outbox: Outbox) -> None:
    platform = FakePlatform()
    worker = OutboxWorker(outbox, platform, idle_poll_s=30.0, probe_interval_s=0)
    worker.start()
    try:
        time.sleep(0.1)  # now sleeping for up to 30 s
        started = time.monotonic()
        with outbox.transaction() as conn:
            r = outbox.enqueue("registration", {"seq": 1}, conn=conn)
        assert outbox.wait_delivered(r.item_id, 5.0)
        assert time.monotonic() - started < 1.0
    finally:
        assert worker.stop()


def test_idle_probe_reports_reachability(outbox: Outbox) -> None:
    platform = FakePlatform()
    platform.ping_error = PlatformUnavailable("connection refused")
    worker = OutboxWorker(outbox, platform, idle_poll_s=0.02, probe_interval_s=0.05)
    worker.start()
    try:
        deadline = time.monotonic() + 5
        while outbox.status().platform_reachable is not False and time.monotonic() < deadline:
            time.sleep(0.01)
        assert outbox.status().platform_reachable is False
        assert outbox.status().last_error == "probe: PlatformUnavailable: connection refused"
        platform.ping_error = None
        while outbox.status().platform_reachable is not True and time.monotonic() < deadline:
            time.sleep(0.01)
        assert outbox.status().platform_reachable is True
    finally:
        assert worker.stop()
    assert platform.pings >= 2
