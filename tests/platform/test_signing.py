"""HMAC request signing: canonical forms, a known-answer vector, and the server's refusals."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
import requests

from kiosk.platform.client import PlatformClient
from kiosk.platform.errors import PlatformAuthError
from kiosk.platform.signing import (NonceCache, SignatureError, canonical_path, canonical_query,
                                    sign_headers, string_to_sign, verify_request)
from tests.platform.sandbox_payloads import SECRET, TERMINAL


def test_canonical_path_and_query() -> None:
    assert canonical_path("/v1/vacancies/A B") == "/v1/vacancies/A%20B"
    assert canonical_path("/v1/vacancies/A%20B") == "/v1/vacancies/A%20B"
    assert canonical_query("b=x+y&a=2&a=1") == "a=1&a=2&b=x%20y"
    assert canonical_query("q=%E5%BF%AB%E9%80%92&limit=5") == "limit=5&q=%E5%BF%AB%E9%80%92"
    assert canonical_query("") == ""


def test_known_answer_vector() -> None:
    body = b'{"a":1}'
    text = string_to_sign("post", "/v1/referrals", "", "1764489600",
                          "00112233445566778899aabbccddeeff", body)
    assert text == ("KIOSK-HMAC-SHA256\nPOST\n/v1/referrals\n\n1764489600\n"
                    "00112233445566778899aabbccddeeff\n" + hashlib.sha256(body).hexdigest())
    headers = sign_headers(TERMINAL, SECRET, "POST", "/v1/referrals", "", body,
                           now=1764489600.9, nonce="00112233445566778899aabbccddeeff")
    expected = hmac.new(SECRET, text.encode(), hashlib.sha256).hexdigest()
    assert headers == {"X-Kiosk-Terminal": TERMINAL, "X-Kiosk-Timestamp": "1764489600",
                       "X-Kiosk-Nonce": "00112233445566778899aabbccddeeff",
                       "X-Kiosk-Signature": expected}


def _verify(headers: dict[str, str], body: bytes = b"", now: float = 1764489600,
            nonces: NonceCache | None = None, path: str = "/v1/station"):
    return verify_request(headers, "GET", path, "", body,
                          {TERMINAL: SECRET}.get, nonces or NonceCache(), now=now)


@pytest.mark.parametrize("change, code", [
    (lambda h: h.pop("X-Kiosk-Nonce"), "credentials_missing"),
    (lambda h: h.update({"X-Kiosk-Terminal": "GD-NOBODY"}), "unknown_terminal"),
    (lambda h: h.update({"X-Kiosk-Signature": "0" * 64}), "signature_invalid"),
    (lambda h: h.update({"X-Kiosk-Timestamp": "1764489000"}), "timestamp_skew"),
])
def test_verify_refusals(change, code) -> None:
    headers = sign_headers(TERMINAL, SECRET, "GET", "/v1/station", "", b"", now=1764489600)
    change(headers)
    with pytest.raises(SignatureError) as err:
        _verify(headers)
    assert err.value.code == code


def test_verify_skew_limit_is_300_seconds_and_body_and_path_are_bound() -> None:
    headers = sign_headers(TERMINAL, SECRET, "GET", "/v1/station", "", b"", now=1764489600)
    assert _verify(headers, now=1764489600 + 300).terminal_id == TERMINAL
    with pytest.raises(SignatureError, match="timestamp_skew"):
        _verify(dict(headers, **{"X-Kiosk-Nonce": "f" * 32}), now=1764489600 + 301)
    with pytest.raises(SignatureError, match="signature_invalid"):
        _verify(headers, body=b"tampered")
    with pytest.raises(SignatureError, match="signature_invalid"):
        _verify(headers, path="/v1/policies")


def test_nonce_cache_refuses_replay_within_window_only() -> None:
    clock = [0.0]
    cache = NonceCache(window_s=600, clock=lambda: clock[0])
    assert cache.add(TERMINAL, "n1") is True
    assert cache.add(TERMINAL, "n1") is False
    assert cache.add("GD-OTHER", "n1") is True            # per terminal
    clock[0] = 601.0
    assert cache.add(TERMINAL, "n1") is True              # window passed (timestamp check guards)


def test_server_rejects_wrong_secret(server) -> None:
    with PlatformClient(server.base_url, TERMINAL, b"x" * 32) as bad:
        with pytest.raises(PlatformAuthError) as err:
            bad.station()
    assert (err.value.status, err.value.code) == (401, "signature_invalid")


def test_server_rejects_unknown_terminal_and_unsigned_request(server) -> None:
    with PlatformClient(server.base_url, "GD-NOBODY-0001", SECRET) as bad:
        with pytest.raises(PlatformAuthError) as err:
            bad.policies()
    assert err.value.code == "unknown_terminal"
    resp = requests.get(server.base_url + "/station", timeout=5)
    assert resp.status_code == 401
    assert resp.headers["Content-Type"] == "application/problem+json"
    assert resp.headers["WWW-Authenticate"] == "KIOSK-HMAC-SHA256"
    assert resp.json()["code"] == "credentials_missing"


def test_server_rejects_clock_skew_and_ping_offset_repairs_it(server) -> None:
    client = PlatformClient(server.base_url, TERMINAL, SECRET,
                            clock=lambda: time.time() - 400.0)     # kiosk clock 400 s behind
    with pytest.raises(PlatformAuthError) as err:
        client.station()
    assert (err.value.status, err.value.code) == (401, "timestamp_skew")
    skew = client.ping()
    assert 399.0 < skew < 401.0
    client.clock_offset_s = skew
    assert client.station().terminal_id == TERMINAL
    client.close()


def test_server_rejects_replayed_request(server) -> None:
    url = server.base_url + "/policies"
    headers = sign_headers(TERMINAL, SECRET, "GET", "/v1/policies", "", b"")
    first = requests.get(url, headers=headers, timeout=5)
    again = requests.get(url, headers=headers, timeout=5)
    assert first.status_code == 200
    assert again.status_code == 401 and again.json()["code"] == "nonce_reused"


def test_signature_covers_query_string(server) -> None:
    headers = sign_headers(TERMINAL, SECRET, "GET", "/v1/vacancies", "limit=1", b"")
    resp = requests.get(server.base_url + "/vacancies?limit=1000", headers=headers, timeout=5)
    assert resp.status_code == 401 and resp.json()["code"] == "signature_invalid"
    headers = sign_headers(TERMINAL, SECRET, "GET", "/v1/vacancies", "limit=1", b"")
    resp = requests.get(server.base_url + "/vacancies?limit=1", headers=headers, timeout=5)
    assert resp.status_code == 200 and len(resp.json()["items"]) == 1


def test_verify_token_known_answer_and_url_filling() -> None:
    from kiosk.platform.signing import fill_verify_url, verify_token

    rid = "GD-TEST-0001-20261130-0007"
    assert verify_token(SECRET, rid) == "JoEzgW0LFtoTZCQXcJKV1A"     # 16 bytes, base64url
    assert verify_token(SECRET, rid[:-1] + "8") != verify_token(SECRET, rid)
    assert verify_token(bytes(32), rid) != verify_token(SECRET, rid)
    template = "https://jy.example.gov.cn/verify/{referral_id}?t={verify_token}"
    assert fill_verify_url(template, rid, SECRET) == \
        f"https://jy.example.gov.cn/verify/{rid}?t=JoEzgW0LFtoTZCQXcJKV1A"
    assert fill_verify_url("http://x/verify/{referral_id}", "a b", b"") == "http://x/verify/a%20b"
    with pytest.raises(ValueError):
        fill_verify_url(template, rid, b"")                     # the token needs the secret
    with pytest.raises(ValueError):
        fill_verify_url("http://x/verify", rid, SECRET)
