"""Long free text typed on the person's own phone (``docs/openapi.yaml``: ``TextHandoff…``).

The kiosk asks ``POST /v1/text-handoffs`` for a hand-off (``purpose``, ``max_chars``, an
optional ``prompt`` the phone page shows) and draws the answer's ``url`` as a QR code until
``expires_at``. The phone opens ``GET /v1/text-handoffs/{handoff_id}/page`` (HTML, unsigned:
the 128-bit id is what makes it unguessable), types the text and submits the form
(``POST …/page``, ``application/x-www-form-urlencoded``, field ``text``, UTF-8 — GB18030 is
accepted too). The kiosk polls ``GET /v1/text-handoffs/{handoff_id}`` every
``poll_after_ms`` milliseconds: ``waiting`` → ``received`` (with ``text``, once submitted) or
``expired``. A hand-off is bound to the terminal that made it (another terminal gets 404) and
takes one text; the platform forgets it when it expires.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kiosk.platform.submissions import JsonInt
from kiosk.platform.wire_base import WireRequest, WireResponse

#: ``handoff_id``: 22 URL-safe characters (128 random bits, base64url without padding).
HANDOFF_ID = r"^[A-Za-z0-9_-]{22}$"
#: Longest text a hand-off can take (characters, after normalisation).
MAX_TEXT_CHARS = 2000
PURPOSES = ("posting_description",)


class TextHandoffRequest(WireRequest):
    """``POST /v1/text-handoffs`` body."""
    purpose: Literal["posting_description"]
    max_chars: JsonInt = Field(default=500, ge=1, le=MAX_TEXT_CHARS)
    prompt: str = Field(default="", max_length=60)


class TextHandoff(WireResponse):
    """``POST /v1/text-handoffs`` reply: the link for the phone (shown as a QR) and until when
    (UTC) it takes a text; poll every ``poll_after_ms`` ms."""
    handoff_id: str = Field(pattern=HANDOFF_ID)
    url: str = Field(min_length=1, max_length=512)
    expires_at: str
    max_chars: int = Field(ge=1, le=MAX_TEXT_CHARS)
    poll_after_ms: int = Field(default=2000, ge=100, le=10000)


class TextHandoffState(WireResponse):
    """``GET /v1/text-handoffs/{handoff_id}``: ``text`` only when ``received``."""
    handoff_id: str
    status: Literal["waiting", "received", "expired"]
    expires_at: str
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    received_at: str | None = None


__all__ = ["HANDOFF_ID", "MAX_TEXT_CHARS", "PURPOSES", "TextHandoff", "TextHandoffRequest",
           "TextHandoffState"]
