"""The sandbox's 居民身份电子凭证 (e-ID) side: it verifies tokens as the platform would and, for
demos and tests, plays the person's phone.

* A **session** (the kiosk shows its QR) is bound to the terminal that made it, lives
  :data:`SESSION_TTL_S` seconds, and gives its identity **once**: the first ``GET`` after the
  phone approved answers ``approved`` with the identity, every later one ``consumed``.
* A **phone code** (the phone shows it, the kiosk scans it) is ``CTID1:`` + 32 random
  URL-safe characters, lives :data:`CODE_TTL_S` seconds and is redeemed once; it is bound to the
  terminal that redeems it first (a second redemption anywhere is ``eid_code_used``).

The phone's part (``/_sandbox/eid/…``, admin token): approve a session with a demo person,
issue a code for one. The demo person is ``assets/demo/cards/resident.json`` with ``card_type``
``e_id`` (an invented person). Identities are held in memory only for the few seconds a
session or code lives; nothing is written to disk.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.domain.station_codes import EID_CODE_PREFIX
from kiosk.platform.wire_formats import iso

SESSION_TTL_S = 120
CODE_TTL_S = 60
POLL_AFTER_MS = 1000

#: Problem answers: (HTTP status, problem code, detail).
Problem = tuple[int, str, str]


@dataclass
class _Session:
    terminal_id: str
    expires_at: datetime
    status: str = "pending"
    identity: dict[str, Any] | None = field(default=None, repr=False)


@dataclass
class _Code:
    expires_at: datetime
    identity: dict[str, Any] = field(repr=False)
    used_by: str = ""


def as_eid_identity(card_json: dict[str, Any]) -> dict[str, Any]:
    """A card's JSON (``kiosk card read --json`` keys, revealed) as an e-ID identity: the fields
    :class:`~kiosk.platform.eid_wire.EidIdentityWire` carries, ``card_type`` ``e_id``."""
    keys = ("name", "name_en", "gender_code", "ethnicity_code", "birth_date", "address",
            "id_number", "issuer", "valid_from", "valid_until")
    return {"card_type": "e_id", **{k: card_json.get(k) for k in keys}}


class EidCasework:
    """Sessions and phone codes in memory (see the module docstring)."""

    def __init__(self, qr_base: str = "https://eid.example.gov.cn/authorize",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.qr_base = qr_base
        self.clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._codes: dict[str, _Code] = {}

    def start(self, terminal_id: str, now: datetime) -> dict[str, Any]:
        """A new session for ``terminal_id``: ``session_id``, ``qr_payload``, ``expires_at``."""
        session_id = secrets.token_urlsafe(18)
        expires = now + timedelta(seconds=SESSION_TTL_S)
        with self._lock:
            self._purge(now)
            self._sessions[session_id] = _Session(terminal_id, expires)
        return {"session_id": session_id, "qr_payload": f"{self.qr_base}?s={session_id}",
                "expires_at": iso(expires), "poll_after_ms": POLL_AFTER_MS}

    def status(self, session_id: str, terminal_id: str, now: datetime
               ) -> dict[str, Any] | Problem:
        """The session's state for its own terminal (404 ``eid_session_not_found`` otherwise);
        the identity in the one ``approved`` answer."""
        with self._lock:
            s = self._sessions.get(session_id)
            if s is None or s.terminal_id != terminal_id:
                return (404, "eid_session_not_found", "no such e-ID session for this terminal")
            if s.status == "pending" and now >= s.expires_at:
                s.status = "expired"
            body: dict[str, Any] = {"session_id": session_id, "status": s.status,
                                    "expires_at": iso(s.expires_at), "identity": None}
            if s.status == "approved":
                body["identity"] = s.identity
                s.status, s.identity = "consumed", None
            return body

    # --- the phone's part (sandbox only) ---------------------------------------------------------
    def approve(self, session_id: str, identity: dict[str, Any], now: datetime,
                decline: bool = False) -> bool:
        """The phone scanned the QR and the person approved (or declined). False when the
        session is unknown, expired or already answered."""
        with self._lock:
            s = self._sessions.get(session_id)
            if s is None or s.status != "pending" or now >= s.expires_at:
                return False
            if decline:
                s.status = "declined"
            else:
                s.status, s.identity = "approved", dict(identity)
            return True

    def pending_sessions(self, now: datetime) -> list[str]:
        """Sessions waiting for a phone (the demo button approves the newest)."""
        with self._lock:
            return [sid for sid, s in self._sessions.items()
                    if s.status == "pending" and now < s.expires_at]

    def issue_code(self, identity: dict[str, Any], now: datetime) -> dict[str, Any]:
        """A code as the phone would show it: ``code`` and ``expires_at``."""
        code = EID_CODE_PREFIX + secrets.token_urlsafe(24)
        expires = now + timedelta(seconds=CODE_TTL_S)
        with self._lock:
            self._purge(now)
            self._codes[code] = _Code(expires, dict(identity))
        return {"code": code, "expires_at": iso(expires)}

    def verify(self, code: str, terminal_id: str, now: datetime) -> dict[str, Any] | Problem:
        """The identity behind a phone code, once: 404 ``eid_code_unknown``, 410
        ``eid_code_used`` / ``eid_code_expired``."""
        with self._lock:
            c = self._codes.get(code)
            if c is None:
                return (404, "eid_code_unknown", "this e-ID code was not issued")
            if c.used_by:
                return (410, "eid_code_used", "this e-ID code was used already")
            if now >= c.expires_at:
                return (410, "eid_code_expired", "this e-ID code has expired")
            c.used_by = terminal_id
            identity, c.identity = c.identity, {}
        return {"identity": identity, "verified_at": iso(now)}

    def _purge(self, now: datetime) -> None:
        """Drop what expired over 10 minutes ago (keeps 'used'/'expired' answers a while)."""
        horizon = now - timedelta(minutes=10)
        for sid in [k for k, s in self._sessions.items() if s.expires_at < horizon]:
            del self._sessions[sid]
        for code in [k for k, c in self._codes.items() if c.expires_at < horizon]:
            del self._codes[code]
