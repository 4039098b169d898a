"""What a scanned code is: a 招聘会 报到码 of this platform, a 居民身份电子凭证 (e-ID) code, or
not ours at all. Pure: the text in, a typed value out; nothing is looked up here.

Formats (``docs/fairs.md``):

* 报到码 QR: ``GDJY:FAIR:1:<fair_id>:<token>``; ``fair_id`` is the platform's fair id
  (1–64 of ``A-Z a-z 0-9 _ -``), ``token`` 26 characters of RFC 4648 base32 (A–Z, 2–7: 128
  random bits, made by the platform, so it cannot be guessed) — bound to that fair and that
  person at the platform. The short code printed beside it (:data:`SHORT_CODE_RE`: 8 characters
  of an alphabet without 0/O/1/I, shown ``ABCD-EFGH``, 40 bits) is for a service desk that
  types it in;
* e-ID code shown by the phone: ``CTID1:<token>`` (the sandbox's shape of the
  居民身份电子凭证 "网证" code; the real code format is the platform's business, so the kiosk only
  recognises the prefix and hands the whole text to ``POST /v1/eid/verifications`` — the
  prefix is (unclear) and kept in one constant, :data:`EID_CODE_PREFIX`);
* anything else — a product barcode (EAN/UPC), a URL, a WeChat code, text — is **not ours**:
  the kiosk says :data:`NOT_OURS_ZH` and does nothing (issue 20, "Bad input").

Scanned text is personal (a token is a key to a person's sign-up): nothing here logs it and the
values keep it out of ``repr``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FAIR_CODE_PREFIX = "GDJY:FAIR:1:"
EID_CODE_PREFIX = "CTID1:"
NOT_OURS_ZH = "这不是本站的二维码"
NOT_OURS_EN = "This is not a code of this station"

FAIR_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TOKEN_RE = re.compile(r"^[A-Z2-7]{26}$")
EID_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
#: The short 报到码: 8 characters of :data:`SHORT_CODE_ALPHABET`, typed with or without the dash.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SHORT_CODE_RE = re.compile(r"^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-?[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}$")
_EAN_UPC = re.compile(r"^\d{8}$|^\d{12,14}$")


@dataclass(frozen=True)
class FairCheckinCode:
    """A 报到码 QR of this platform."""

    fair_id: str
    token: str = field(repr=False)

    @property
    def payload(self) -> str:
        return fair_code_payload(self.fair_id, self.token)


@dataclass(frozen=True)
class EidCode:
    """A 居民身份电子凭证 code shown by the person's phone (the whole scanned text)."""

    text: str = field(repr=False)


@dataclass(frozen=True)
class ForeignCode:
    """A code that is not ours. ``kind`` is "product" (EAN/UPC digits), "url", "ours_malformed"
    (our prefix with a broken body) or "other" — for counting, never the text itself."""

    kind: str

    message_zh = NOT_OURS_ZH
    message_en = NOT_OURS_EN


ScannedCode = FairCheckinCode | EidCode | ForeignCode


def fair_code_payload(fair_id: str, token: str) -> str:
    """The QR text of a 报到码.

    Raises:
        ValueError: ``fair_id`` or ``token`` is not of the documented shape.
    """
    if not FAIR_ID_RE.match(fair_id):
        raise ValueError("fair_id must be 1-64 of A-Z a-z 0-9 _ -")
    if not TOKEN_RE.match(token):
        raise ValueError("token must be 26 base32 characters (A-Z, 2-7)")
    return f"{FAIR_CODE_PREFIX}{fair_id}:{token}"


def format_short_code(code: str) -> str:
    """``"ABCDEFGH"`` → ``"ABCD-EFGH"`` (what the slip and the screen show)."""
    plain = normalise_short_code(code)
    return f"{plain[:4]}-{plain[4:]}"


def normalise_short_code(code: str) -> str:
    """The 8 characters of a short 报到码 typed in any case, with or without the dash.

    Raises:
        ValueError: not 8 characters of :data:`SHORT_CODE_ALPHABET`.
    """
    text = code.strip().upper()
    if not SHORT_CODE_RE.match(text):
        raise ValueError("a short 报到码 is 8 characters of 2-9 and A-Z without I and O")
    return text.replace("-", "")


def classify(text: str) -> ScannedCode:
    """What the scanned ``text`` is (see the module docstring); never raises."""
    body = text.strip()
    if body.startswith(FAIR_CODE_PREFIX):
        fair_id, sep, token = body[len(FAIR_CODE_PREFIX):].partition(":")
        if sep and FAIR_ID_RE.match(fair_id) and TOKEN_RE.match(token):
            return FairCheckinCode(fair_id, token)
        return ForeignCode("ours_malformed")
    if body.startswith(EID_CODE_PREFIX):
        if EID_TOKEN_RE.match(body[len(EID_CODE_PREFIX):]):
            return EidCode(body)
        return ForeignCode("ours_malformed")
    if _EAN_UPC.match(body):
        return ForeignCode("product")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", body) or body.lower().startswith("www."):
        return ForeignCode("url")
    return ForeignCode("other")
