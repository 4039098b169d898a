"""Fault switches produce the right typed errors; GET is retried, POST never."""

from __future__ import annotations

import time

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from kiosk.platform.client import PlatformClient
from kiosk.platform.transport import IdempotentOnlyRetry
from kiosk.platform.errors import (PlatformBadResponse, PlatformRejected, PlatformUnavailable)
from kiosk.platform.signing import verify_token
from tests.platform.sandbox_payloads import (SECRET, TERMINAL, heartbeat, key, referral,
                                             registration)


def test_get_is_retried_on_503_then_reports_unavailable(client, server) -> None:
    server.faults.update(error_rate=1.0)
    with pytest.raises(PlatformUnavailable) as err:
        client.policies()
    assert err.value.status == 503
    assert server.faults.arrivals[("GET", "/v1/policies")] == 4          # 1 + 3 retries


def test_get_retry_recovers_when_the_fault_clears(client, server) -> None:
    server.faults.update(error_rate=0.5, seed=3)
    results = [len(client.policies()) for _ in range(10)]
    assert results == [2] * 10
    assert server.faults.arrivals[("GET", "/v1/policies")] > 10           # some were retried


def test_post_is_never_retried(client, server) -> None:
    server.faults.update(error_rate=1.0)
    with pytest.raises(PlatformUnavailable) as err:
        client.register_jobseeker(registration(), key())
    assert err.value.status == 503
    assert server.faults.arrivals[("POST", "/v1/jobseekers/registrations")] == 1
    server.faults.update(error_status=429)
    with pytest.raises(PlatformUnavailable):
        client.create_referral(referral(), key())
    assert server.faults.arrivals[("POST", "/v1/referrals")] == 1


def test_post_is_not_resent_after_a_connect_error() -> None:
    retry = IdempotentOnlyRetry(total=3, connect=2, allowed_methods=frozenset({"GET"}))
    error = NewConnectionError(None, "refused")  # type: ignore[arg-type]
    with pytest.raises(MaxRetryError):
        retry.increment("POST", "/v1/referrals", error=error)
    assert retry.increment("GET", "/v1/policies", error=error).connect == 1


def test_retry_after_is_honoured(server) -> None:
    server.faults.update(error_rate=1.0, retry_after_s=1)
    with PlatformClient(server.base_url, TERMINAL, SECRET, retries=1, backoff_factor=0) as c:
        start = time.monotonic()
        with pytest.raises(PlatformUnavailable):
            c.courses()
        elapsed = time.monotonic() - start
    assert 1.0 <= elapsed < 2.5
    assert server.faults.arrivals[("GET", "/v1/courses")] == 2


def test_latency_beyond_read_timeout_is_unavailable_without_read_retry(server) -> None:
    server.faults.update(latency_ms=700)
    with PlatformClient(server.base_url, TERMINAL, SECRET, read_timeout_s=0.3) as c:
        with pytest.raises(PlatformUnavailable, match="timeout"):
            c.station()
    assert server.faults.arrivals[("GET", "/v1/station")] == 1


def test_latency_within_timeout_only_slows(client, server) -> None:
    server.faults.update(latency_ms=150)
    start = time.monotonic()
    assert client.station().terminal_id == TERMINAL
    assert time.monotonic() - start >= 0.15


def test_dropped_connection_is_unavailable_and_a_dropped_write_replays(client, server) -> None:
    server.faults.update(drop_rate=1.0)
    with pytest.raises(PlatformUnavailable):
        client.station()
    k = key()
    with pytest.raises(PlatformUnavailable):
        client.create_referral(referral(11), k)          # applied, answer lost
    server.faults.reset()
    assert server.casework.referral_ids() == ["GD-TEST-0001-20261130-0011"]
    again = client.create_referral(referral(11), k)     # the outbox resends with the same key
    assert again.referral_id == "GD-TEST-0001-20261130-0011"
    assert server.store.idempotency_counts()[k] == 2
    assert server.casework.referral_ids() == ["GD-TEST-0001-20261130-0011"]


def test_malformed_body_is_bad_response(client, server) -> None:
    server.faults.update(malformed_rate=1.0)
    with pytest.raises(PlatformBadResponse) as err:
        client.vacancy_changes(None, None, None)
    assert err.value.status == 200
    with pytest.raises(PlatformBadResponse):
        client.heartbeat({"status": "ok", "sent_at": "2026-11-30T02:00:00Z"})


def test_down_fails_every_request_like_a_dead_server(client, server) -> None:
    server.faults.update(down=True)
    for call in (client.station, client.policies, lambda: client.ping()):
        with pytest.raises(PlatformUnavailable):
            call()
    with pytest.raises(PlatformUnavailable):
        client.create_referral(referral(), key())
    assert server.casework.referral_ids() == []
    server.faults.update(down=False)
    assert client.station().terminal_id == TERMINAL


def test_nothing_listening_is_unavailable() -> None:
    with PlatformClient("http://127.0.0.1:9/v1", TERMINAL, SECRET, connect_timeout_s=0.5,
                        backoff_factor=0.01) as c:
        with pytest.raises(PlatformUnavailable):
            c.station()


def test_admin_endpoint_flips_switches(client, server) -> None:
    url = server.origin + "/_sandbox/faults"
    token = {"X-Sandbox-Token": server.platform.admin_token}
    resp = requests.put(url, json={"error_rate": 1.0, "error_status": 502}, headers=token,
                        timeout=5)
    assert resp.status_code == 200 and resp.json()["error_rate"] == 1.0
    with pytest.raises(PlatformUnavailable) as err:
        client.courses()
    assert err.value.status == 502
    assert requests.put(url, json={"error_rate": 0.0, "down": False}, headers=token,
                        timeout=5).ok
    assert len(client.courses()) == 1
    for body in ({"error_rate": 2}, {"nonsense": 1}, [1, 2], "x", {"latency_ms": [1]},
                 {"error_rate": None}):
        bad = requests.put(url, json=body, headers=token, timeout=5)
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_faults", body
    deep = requests.put(url, data=b"[" * 100_000, headers=token, timeout=5)
    assert deep.status_code == 400 and deep.json()["code"] == "invalid_faults"


@pytest.mark.parametrize("headers", [{}, {"X-Sandbox-Token": "wrong"}, {"X-Sandbox-Token": ""}])
def test_admin_endpoints_require_the_token(server, headers) -> None:
    for method, path in (("GET", "/_sandbox/faults"), ("PUT", "/_sandbox/faults"),
                         ("POST", f"/_sandbox/terminals/{TERMINAL}/pending")):
        resp = requests.request(method, server.origin + path, json={"down": True},
                                headers=headers, timeout=5)
        assert resp.status_code == 401 and resp.json()["code"] == "sandbox_token_invalid"
    assert server.faults.down is False


def test_pending_endpoint_refuses_bad_bodies_without_a_server_error(client, server) -> None:
    url = f"{server.origin}/_sandbox/terminals/{TERMINAL}/pending"
    token = {"X-Sandbox-Token": server.platform.admin_token}
    for body in ([1], "text", 7, None, {"settings": "x"}, {"notices": "one"},
                 {"notices": [1]}, {"settings": {"a.b": [1]}}, {"other": 1}):
        resp = requests.post(url, json=body, headers=token, timeout=5)
        assert resp.status_code == 422 and resp.json()["code"] == "invalid_request", body
    for raw in (b"{", b"[" * 100_000, b"\xff"):
        resp = requests.post(url, data=raw, headers=token, timeout=5)
        assert resp.status_code == 422, raw[:5]
    ok = requests.post(url, json={"settings": {"ui.idle_timeout_s": 90}, "notices": ["停电检修"]},
                       headers=token, timeout=5)
    assert ok.status_code == 204
    reply = client.heartbeat(heartbeat())
    assert reply.settings == {"ui.idle_timeout_s": 90} and reply.notices == ["停电检修"]


def test_deeply_nested_signed_body_is_422_not_500(client) -> None:
    for depth in (33, 10_000, 200_000):
        body = b"[" * depth + b"]" * depth
        resp = client.session.post(client.base_url + "/devices/heartbeat", data=body,
                                   headers={"Content-Type": "application/json"}, timeout=5)
        assert resp.status_code == 422 and resp.json()["code"] == "invalid_request", depth
        assert resp.json()["errors"] == ["body"]


def test_faults_never_touch_the_verify_page(server) -> None:
    server.faults.update(down=True)
    rid = "GD-TEST-0001-20261130-0001"
    page = requests.get(f"{server.origin}/verify/{rid}?t={verify_token(SECRET, rid)}", timeout=5)
    assert page.status_code == 404 and "尚未收到" in page.text


def test_rejected_write_is_not_unavailable(client) -> None:
    with pytest.raises(PlatformRejected):
        client.create_referral(referral(vacancy_id="NOPE"), key())
