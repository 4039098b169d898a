"""Correctly signed but bad requests get 4xx problems the contract lists, never a 500 (issue 16)."""

from __future__ import annotations

import pytest

from kiosk.platform.client import PlatformClient

BODIES = [b"\xff\xfe", b'"text"', b"null", b"1e999999", b'{"status": NaN}', b"", b"{",
          b"[" * 50 + b"]" * 50, b'{"a":' * 5000 + b"1" + b"}" * 5000,
          b'{"status":"ok","sent_at":"x","uptime_s":1e400}',
          b'{"status":"ok","sent_at":"x","uptime_s":"12"}']


@pytest.mark.parametrize("path", ["/devices/heartbeat", "/referrals", "/jobseekers/registrations",
                                  "/assistance-requests"])
def test_bad_bodies_are_422_problems(client: PlatformClient, path: str) -> None:
    for n, body in enumerate(BODIES):
        resp = client.session.post(client.base_url + path, data=body, timeout=5, headers={
            "Content-Type": "application/json", "Idempotency-Key": f"bad-{n}"})
        assert resp.status_code == 422, (body[:20], resp.status_code)
        assert resp.headers["Content-Type"] == "application/problem+json"
        assert resp.json()["code"] == "invalid_request"


def test_a_body_over_1_mb_is_413(client: PlatformClient) -> None:
    resp = client.session.post(client.base_url + "/devices/heartbeat", data=b" " * 1_000_001,
                               headers={"Content-Type": "application/json"}, timeout=5)
    assert resp.status_code == 413 and resp.json()["code"] == "body_too_large"


@pytest.mark.parametrize("query", ["?q=%ff", "?limit=1e3", "?cursor=%00", "?division_code=%ff",
                                   "?updated_since=2026-02-30T00:00:00Z", "?nonsense=1"])
def test_bad_queries_are_4xx(client: PlatformClient, query: str) -> None:
    resp = client.session.get(client.base_url + "/vacancies" + query, timeout=5)
    assert resp.status_code in (200, 400, 422), resp.status_code
    if resp.status_code != 200:
        assert resp.json()["code"] in ("invalid_request", "invalid_sync_position")


def test_extreme_issued_at_is_422_and_old_years_keep_four_digits(client: PlatformClient) -> None:
    from datetime import UTC, datetime

    from kiosk.platform.errors import PlatformRejected
    from kiosk.platform.wire_formats import iso
    from kiosk.platform.sandbox.context import parse_rfc3339
    from tests.platform.sandbox_payloads import key, referral

    assert iso(datetime(83, 2, 22, 14, 58, 29, tzinfo=UTC)) == "0083-02-22T14:58:29.000000Z"
    with pytest.raises(ValueError):
        parse_rfc3339("0001-01-01T00:00:00+01:00")
    for n, issued in enumerate(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00",
                                "2026-02-30T00:00:00Z", "2026-11-30 02:15:00Z"]):
        with pytest.raises(PlatformRejected) as err:
            client.create_referral({**referral(100 + n), "issued_at": issued}, key())
        assert (err.value.status, err.value.code) == (422, "invalid_request"), issued
    old = client.create_referral({**referral(110), "issued_at": "0083-02-09T01:01:29+10:03"},
                                 key())
    assert old.valid_until == "0083-02-22T14:58:29.000000Z"           # +14 days, in UTC
