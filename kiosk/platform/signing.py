"""Request signing of the platform API: HMAC-SHA256 per request, checked by the server.

Every request to ``/v1`` (except ``GET /v1/ping``) carries four headers::

    X-Kiosk-Terminal   the terminal id, e.g. "GD-DEMO-0001"
    X-Kiosk-Timestamp  Unix time in whole seconds (UTC), e.g. "1764489600"
    X-Kiosk-Nonce      32 lowercase hex characters (128 random bits), never reused
    X-Kiosk-Signature  64 lowercase hex characters: HMAC-SHA256(secret, string_to_sign)

``string_to_sign`` is seven lines joined by ``\\n`` (UTF-8, no trailing newline)::

    KIOSK-HMAC-SHA256
    <METHOD upper case>
    <canonical path: percent-decoded, then re-encoded keeping A-Z a-z 0-9 - _ . ~ />
    <canonical query: pairs decoded, sorted by (name, value), re-encoded the same way, joined by &>
    <timestamp>
    <nonce>
    <lowercase hex SHA-256 of the body bytes; of b"" when there is no body>

The server refuses (401 problem) a missing header (``credentials_missing``), an unknown terminal
(``unknown_terminal``), a timestamp more than :data:`MAX_SKEW_S` seconds from its clock
(``timestamp_skew``), a wrong signature (``signature_invalid``) and a nonce it has accepted
before within the skew window (``nonce_reused``). Comparison is constant-time
(:func:`hmac.compare_digest`). The scheme follows the shape of AWS SigV4 / RFC 9421 (method,
path, query, body digest, timestamp) without their key derivation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl, quote, unquote

SCHEME = "KIOSK-HMAC-SHA256"
MAX_SKEW_S = 300
HEADER_TERMINAL = "X-Kiosk-Terminal"
HEADER_TIMESTAMP = "X-Kiosk-Timestamp"
HEADER_NONCE = "X-Kiosk-Nonce"
HEADER_SIGNATURE = "X-Kiosk-Signature"
_UNRESERVED = "-_.~"


class SignatureError(Exception):
    """A request's credentials are refused.

    Attributes:
        code: ``credentials_missing``, ``unknown_terminal``, ``timestamp_skew``,
            ``signature_invalid`` or ``nonce_reused`` (the problem code the server answers).
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def canonical_path(path: str) -> str:
    """``/v1/vacancies/A%20B`` and ``/v1/vacancies/A B`` both give ``/v1/vacancies/A%20B``."""
    return quote(unquote(path), safe="/" + _UNRESERVED)


def canonical_query(query: str) -> str:
    """Decode ``a=2&b=x+y&a=1``, sort by (name, value), re-encode: ``a=1&a=2&b=x%20y``."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{quote(k, safe=_UNRESERVED)}={quote(v, safe=_UNRESERVED)}" for k, v in pairs)


def string_to_sign(method: str, path: str, query: str, timestamp: str, nonce: str,
                   body: bytes) -> str:
    """The exact text that is MAC'd (see the module docstring for the layout)."""
    return "\n".join([SCHEME, method.upper(), canonical_path(path), canonical_query(query),
                      timestamp, nonce, hashlib.sha256(body).hexdigest()])


def signature(secret: bytes, method: str, path: str, query: str, timestamp: str, nonce: str,
              body: bytes) -> str:
    """64 lowercase hex characters: HMAC-SHA256 of :func:`string_to_sign` under ``secret``."""
    text = string_to_sign(method, path, query, timestamp, nonce, body)
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_headers(terminal_id: str, secret: bytes, method: str, path: str, query: str,
                 body: bytes, *, now: float | None = None, nonce: str | None = None
                 ) -> dict[str, str]:
    """The four ``X-Kiosk-*`` headers for one request (a fresh 128-bit nonce unless given)."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or secrets.token_hex(16)
    return {
        HEADER_TERMINAL: terminal_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature(secret, method, path, query, timestamp, nonce, body),
    }


def verify_token(secret: bytes, referral_id: str) -> str:
    """The unguessable token of a referral's verification URL (``?t=`` on the QR code).

    22 URL-safe characters: base64url (no padding) of the first 16 bytes (128 bits) of
    HMAC-SHA256(secret, ``"KIOSK-VERIFY\n" + referral_id``). The kiosk computes it offline
    from its device secret; the platform recomputes it from the secret it provisioned for the
    terminal the id starts with, so sequential referral ids cannot be enumerated.
    """
    mac = hmac.new(secret, f"KIOSK-VERIFY\n{referral_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:16]).decode("ascii").rstrip("=")


def fill_verify_url(template: str, referral_id: str, secret: bytes) -> str:
    """The verification URL printed on a slip: ``template`` (``verify_url_template`` from
    ``GET /v1/station``) with ``{referral_id}`` (URL-quoted) and ``{verify_token}``
    (:func:`verify_token` under the terminal's ``secret``) filled in.

    Raises:
        ValueError: the template has no ``{referral_id}``, or has ``{verify_token}`` and
            ``secret`` is empty.
    """
    if "{referral_id}" not in template:
        raise ValueError("verify_url_template has no {referral_id} placeholder")
    url = template.replace("{referral_id}", quote(referral_id, safe=""))
    if "{verify_token}" in url:
        if not secret:
            raise ValueError("verify_url_template needs the device secret for {verify_token}")
        url = url.replace("{verify_token}", verify_token(secret, referral_id))
    return url


class NonceCache:
    """Nonces accepted within the last ``2 * MAX_SKEW_S`` seconds, per terminal (thread-safe).

    A nonce older than the window cannot be replayed anyway: its timestamp fails the skew check.
    """

    def __init__(self, window_s: float = 2 * MAX_SKEW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._window = window_s
        self._clock = clock
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def add(self, terminal_id: str, nonce: str) -> bool:
        """Record the nonce; ``False`` when it was already recorded (a replay)."""
        now = self._clock()
        with self._lock:
            if now >= self._next_prune:
                self._seen = {k: t for k, t in self._seen.items() if now - t < self._window}
                self._next_prune = now + 10.0
            key = (terminal_id, nonce)
            if key in self._seen and now - self._seen[key] < self._window:
                return False
            self._seen[key] = now
            return True

    def __len__(self) -> int:
        return len(self._seen)


@dataclass(frozen=True)
class VerifiedRequest:
    terminal_id: str
    nonce: str


def verify_request(headers: Mapping[str, str], method: str, path: str, query: str, body: bytes,
                   secret_for: Callable[[str], bytes | None], nonces: NonceCache, *,
                   now: float | None = None) -> VerifiedRequest:
    """Check one request's signature, timestamp and nonce (server side).

    Args:
        headers: request headers, looked up case-insensitively (lower-case keys are fine).
        secret_for: terminal id -> secret bytes, ``None`` for an unknown terminal.
        nonces: the replay cache; the nonce is recorded only when everything else passed.

    Raises:
        SignatureError: with ``code`` as listed in the module docstring.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    values = [lower.get(h.lower(), "") for h in
              (HEADER_TERMINAL, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE)]
    terminal_id, timestamp, nonce, sig = values
    if not all(values):
        raise SignatureError("credentials_missing", "X-Kiosk-* signature headers are required")
    secret = secret_for(terminal_id)
    if secret is None:
        raise SignatureError("unknown_terminal", "this terminal is not provisioned")
    try:
        ts = int(timestamp)
    except ValueError as exc:
        raise SignatureError("timestamp_skew", "X-Kiosk-Timestamp must be whole seconds") from exc
    current = time.time() if now is None else now
    if abs(current - ts) > MAX_SKEW_S:
        raise SignatureError("timestamp_skew",
                             f"timestamp is {int(ts - current)} s from server time "
                             f"(allowed ±{MAX_SKEW_S} s)")
    expected = signature(secret, method, path, query, timestamp, nonce, body)
    if not hmac.compare_digest(expected, sig.lower()):
        raise SignatureError("signature_invalid", "signature does not match the request")
    if not nonces.add(terminal_id, nonce):
        raise SignatureError("nonce_reused", "this nonce was already used")
    return VerifiedRequest(terminal_id=terminal_id, nonce=nonce)


__all__ = ["SCHEME", "MAX_SKEW_S", "HEADER_TERMINAL", "HEADER_TIMESTAMP", "HEADER_NONCE",
           "HEADER_SIGNATURE", "SignatureError", "canonical_path", "canonical_query",
           "string_to_sign", "signature", "sign_headers", "verify_token", "fill_verify_url",
           "NonceCache", "VerifiedRequest",
           "verify_request"]
