"""429/503 with Retry-After: a typed error carrying the delay, and the outbox worker waits it."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from kiosk.platform.client import PlatformClient, retry_after_s
from kiosk.platform.errors import PlatformRetryAfter, PlatformUnavailable
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.services.outbox import Outbox, OutboxWorker
from kiosk.services.outbox.worker import RETRY_AFTER_MAX_S
from kiosk.settings import OutboxSettings
from tests.platform.sandbox_payloads import key, registration

NOW = 1_796_112_000.0                     # 2026-12-01T08:00:00Z


def test_retry_after_header_values() -> None:
    assert retry_after_s("120", NOW) == 120.0
    assert retry_after_s(" 0 ", NOW) == 0.0
    later = format_datetime(datetime.fromtimestamp(NOW + 90, UTC), usegmt=True)
    assert later.endswith("GMT") and retry_after_s(later, NOW) == 90.0
    earlier = format_datetime(datetime.fromtimestamp(NOW - 90, UTC), usegmt=True)
    assert retry_after_s(earlier, NOW) == 0.0
    for bad in (None, "", "-5", "1.5", "soon", "Tue, 99 Foo 2026 00:00:00 GMT"):
        assert retry_after_s(bad, NOW) is None, bad


@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_with_retry_after_are_typed_with_the_delay(client: PlatformClient,
                                                               server: SandboxServer,
                                                               status: int) -> None:
    server.faults.update(error_rate=1.0, error_status=status, retry_after_s=7)
    with pytest.raises(PlatformRetryAfter) as err:
        client.register_jobseeker(registration(), key())
    assert (err.value.status, err.value.retry_after_s) == (status, 7.0)
    assert isinstance(err.value, PlatformUnavailable)          # still "try again later"
    assert server.faults.arrivals[("POST", "/v1/jobseekers/registrations")] == 1


def test_get_retries_then_reports_the_last_retry_after(client: PlatformClient,
                                                      server: SandboxServer) -> None:
    server.faults.update(error_rate=1.0, error_status=503, retry_after_s=0)
    with pytest.raises(PlatformRetryAfter) as err:
        client.policies()
    assert err.value.retry_after_s == 0.0
    assert server.faults.arrivals[("GET", "/v1/policies")] == 4          # 1 + 3 retries


def test_other_statuses_stay_plain_unavailable(client: PlatformClient,
                                              server: SandboxServer) -> None:
    server.faults.update(error_rate=1.0, error_status=502, retry_after_s=7)
    with pytest.raises(PlatformUnavailable) as err:
        client.register_jobseeker(registration(), key())
    assert not isinstance(err.value, PlatformRetryAfter) and err.value.status == 502


class _Clock:
    def __init__(self) -> None:
        self.t = NOW

    def __call__(self) -> float:
        return self.t


def _outbox(tmp_path: Path, clock: Callable[[], float]) -> Outbox:
    settings = OutboxSettings(max_attempts=4, max_age_hours=72, retention_days=7,
                              backoff_base_s=0.01, backoff_max_s=0.04)
    return Outbox(tmp_path / "o.db", tmp_path / "o.key", settings, clock=clock)


def test_worker_schedules_the_item_at_retry_after_without_a_strike(
        tmp_path: Path, client: PlatformClient, server: SandboxServer) -> None:
    clock = _Clock()
    outbox = _outbox(tmp_path, clock)
    try:
        worker = OutboxWorker(outbox, client, rng=random.Random(1), probe_interval_s=0)
        receipt = outbox.enqueue("registration", registration())
        server.faults.update(error_rate=1.0, error_status=429, retry_after_s=45)
        before = time.monotonic()
        assert worker.run_once()
        item = outbox.item(receipt.item_id)
        assert (item.state, item.strikes, item.next_attempt_at) == ("pending", 0, NOW + 45)
        assert "retry after 45 s" in (item.last_error or "")
        assert 44 <= worker._not_before - before <= 46
        worker.kick()                                   # a new item must not end the wait
        assert worker._not_before - before >= 44
        assert worker.run_once() is False               # not due before the platform said
        server.faults.update(retry_after_s=86_400)
        clock.t = NOW + 45
        assert worker.run_once()
        assert outbox.item(receipt.item_id).next_attempt_at == NOW + 45 + RETRY_AFTER_MAX_S
        server.faults.reset()
        clock.t = NOW + 45 + RETRY_AFTER_MAX_S
        assert worker.run_once() and outbox.item(receipt.item_id).state == "delivered"
        assert outbox.item(receipt.item_id).strikes == 0
    finally:
        outbox.close()


def test_worker_thread_waits_out_retry_after_then_delivers(
        tmp_path: Path, client: PlatformClient, server: SandboxServer) -> None:
    outbox = _outbox(tmp_path, time.time)
    worker = OutboxWorker(outbox, client, rng=random.Random(1), idle_poll_s=0.05,
                          probe_interval_s=0)
    server.faults.update(error_rate=1.0, error_status=503, retry_after_s=1)
    path = ("POST", "/v1/jobseekers/registrations")
    receipt = outbox.enqueue("registration", registration())
    started = time.monotonic()
    worker.start()
    try:
        while server.faults.arrivals[path] < 1:
            assert time.monotonic() - started < 5
            time.sleep(0.01)
        server.faults.reset()
        worker.kick()                                     # must not cut the 1 s short
        assert outbox.wait_delivered(receipt.item_id, 5.0)
        elapsed = time.monotonic() - started
    finally:
        assert worker.stop()
        outbox.close()
    assert server.faults.arrivals[path] == 2              # without Retry-After: ~0.01 s backoff
    assert 1.0 <= elapsed < 10.0                          # loaded CI machines are slow
