"""居民身份电子凭证 (e-ID) login on the wire (``docs/openapi.yaml``: ``EidSession``,
``EidVerificationRequest`` …).

Two ways, both ending in the same identity record a card gives (the ``kiosk card read --json``
keys, revealed, with ``card_type`` ``"e_id"``):

* **the kiosk shows a QR** (主扫 by the phone): ``POST /v1/eid/sessions`` → ``session_id``,
  ``qr_payload`` and ``expires_at``; the person's e-ID app scans it and approves; the kiosk polls
  ``GET /v1/eid/sessions/{session_id}`` (every ``poll_after_ms`` milliseconds) until ``approved``,
  which carries the identity **once** (the session is then ``consumed``) — or ``expired``.
  A session is bound to the terminal that made it (another terminal gets 404);
* **the phone shows a code** (被扫 by the kiosk's scanner): ``POST /v1/eid/verifications`` with
  the scanned text → the identity; the code is single use (410 ``eid_code_used``) and short-lived
  (410 ``eid_code_expired``).

The identity is personal: the client never logs it; the kiosk keeps it only in the session.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kiosk.platform.wire_base import WireRequest, WireResponse

EID_CODE = r"^CTID1:[A-Za-z0-9_-]{16,128}$"


class EidIdentityWire(WireResponse):
    """The identity an e-ID login returns: the card keys (``IdentityCard.to_json(reveal=True)``)."""
    card_type: Literal["e_id"]
    name: str = Field(min_length=1)
    name_en: str | None = None
    gender_code: str = Field(pattern=r"^[0129]$")
    ethnicity_code: str | None = None
    birth_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    address: str | None = None
    id_number: str = Field(pattern=r"^\d{17}[\dX]$")
    issuer: str | None = None
    valid_from: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    valid_until: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$|^long-term$")


class EidSession(WireResponse):
    """``POST /v1/eid/sessions`` reply: the QR to show and until when (UTC) it may be scanned."""
    session_id: str = Field(pattern=r"^[A-Za-z0-9_-]{16,64}$")
    qr_payload: str = Field(min_length=1, max_length=512)
    expires_at: str
    poll_after_ms: int = Field(default=1000, ge=100, le=10000)


class EidSessionStatus(WireResponse):
    """``GET /v1/eid/sessions/{session_id}``: ``identity`` only in the one ``approved`` answer."""
    session_id: str
    status: Literal["pending", "approved", "consumed", "expired", "declined"]
    expires_at: str
    identity: EidIdentityWire | None = None


class EidVerificationRequest(WireRequest):
    """``POST /v1/eid/verifications``: the code the phone showed, as scanned."""
    code: str = Field(pattern=EID_CODE)


class EidVerification(WireResponse):
    """``POST /v1/eid/verifications`` reply."""
    identity: EidIdentityWire
    verified_at: str


__all__ = ["EID_CODE", "EidIdentityWire", "EidSession", "EidSessionStatus", "EidVerification",
           "EidVerificationRequest"]
