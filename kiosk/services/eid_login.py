"""居民身份电子凭证 (e-ID) login: a second way in beside the card (``docs/fairs.md``).

The identity it returns is an :class:`~kiosk.domain.identity_card.IdentityCard` with
``card_type`` :attr:`~kiosk.domain.identity_card.CardType.E_ID` — the same record a card read
gives, so every journey after the identity step treats both alike. It is asked for only after
the same consent screen as the card (the journey engine's consent gate): nothing here runs
without a consent in the session.

Two ways (:mod:`kiosk.platform.eid_wire`):

* :meth:`EidLogin.start` → an :class:`EidQr` to show (the phone app scans it); the screen then
  calls :meth:`EidLogin.poll` every ``poll_after_s`` seconds until the outcome is final;
* :meth:`EidLogin.redeem` with the text the scanner read from the phone's screen.

Outcomes are values (never exceptions) with a Chinese message first, English second: an
expired or used code says so and offers a retry (``retry``); the platform unreachable says to
use the card. The identity and tokens are never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from kiosk.devices.idcard.errors import CardDataError
from kiosk.domain.identity_card import CardType, IdentityCard
from kiosk.domain.station_codes import NOT_OURS_EN, NOT_OURS_ZH, EidCode, classify
from kiosk.platform.errors import PlatformError, PlatformRejected
from kiosk.platform.wire_formats import parse_iso

if TYPE_CHECKING:  # the wire models are imported on first use (issue 23: start-up)
    from kiosk.platform.eid_wire import (EidIdentityWire, EidSession, EidSessionStatus,
                                         EidVerification)

log = logging.getLogger(__name__)

MESSAGES = {
    "approved": ("已通过居民身份电子凭证确认身份", "Identity confirmed with your e-ID"),
    "pending": ("请用手机上的居民身份电子凭证扫描屏幕上的二维码",
                "Scan the code on the screen with the e-ID app on your phone"),
    "expired": ("二维码已过期，请点击“重试”获取新的二维码", "The code has expired; tap Retry for a new one"),
    "used": ("此电子凭证码已使用过，请在手机上刷新后重新出示", "This e-ID code was used already; "
             "refresh it on your phone and show it again"),
    "declined": ("您已在手机上取消授权", "You declined on your phone"),
    "unknown": ("未能识别此电子凭证码，请在手机上刷新后重试", "This e-ID code is not recognised; "
                "refresh it on your phone and try again"),
    "not_ours": (NOT_OURS_ZH, NOT_OURS_EN),
    "offline": ("网络暂不可用，请使用实体身份证", "The network is unavailable; please use your ID card"),
    "invalid": ("电子凭证信息有误，请使用实体身份证", "The e-ID record is unusable; please use your ID card"),
}
#: Outcomes after which a new QR / a fresh code may succeed.
RETRYABLE = frozenset({"expired", "used", "declined", "unknown", "offline"})


class EidPlatform(Protocol):
    """What this service needs of :class:`~kiosk.platform.client.PlatformClient`."""

    def start_eid_session(self) -> EidSession: ...
    def eid_session(self, session_id: str) -> EidSessionStatus: ...
    def verify_eid_code(self, code: str) -> EidVerification: ...


@dataclass(frozen=True)
class EidQr:
    """The QR the kiosk shows: ``payload`` to draw, until ``expires_at`` (aware UTC); poll every
    ``poll_after_s`` seconds."""

    session_id: str = field(repr=False)
    payload: str = field(repr=False)
    expires_at: datetime
    poll_after_s: float


@dataclass(frozen=True)
class EidOutcome:
    """``status``: "approved" (``identity`` set), "pending", "expired", "used", "declined",
    "unknown", "not_ours", "offline" or "invalid"."""

    status: str
    identity: IdentityCard | None = field(default=None, repr=False)

    @property
    def final(self) -> bool:
        return self.status != "pending"

    @property
    def retry(self) -> bool:
        return self.status in RETRYABLE

    @property
    def message_zh(self) -> str:
        return MESSAGES[self.status][0]

    @property
    def message_en(self) -> str:
        return MESSAGES[self.status][1]


def identity_from_wire(wire: EidIdentityWire) -> IdentityCard:
    """The :class:`IdentityCard` of an e-ID identity (``card_type`` E_ID).

    Raises:
        CardDataError: a field is not usable (its name in ``field``; never the value).
    """
    card = IdentityCard.from_json(wire.model_dump())
    if card.card_type is not CardType.E_ID:
        raise CardDataError("card_type", "must be e_id")
    return card


class EidLogin:
    """e-ID login through the platform (see the module docstring)."""

    def __init__(self, platform: EidPlatform) -> None:
        self.platform = platform

    def start(self) -> EidQr | EidOutcome:
        """A new QR to show, or the ``offline`` outcome."""
        try:
            session = self.platform.start_eid_session()
        except PlatformError as exc:
            log.warning("e-ID session not started: %s", exc.__class__.__name__)
            return EidOutcome("offline")
        try:
            expires = parse_iso(session.expires_at)
        except ValueError:
            return EidOutcome("offline")
        return EidQr(session.session_id, session.qr_payload, expires,
                     session.poll_after_ms / 1000.0)

    def poll(self, qr: EidQr, now: datetime | None = None) -> EidOutcome:
        """The session's state: "pending" until the phone approves; "expired" past
        ``expires_at`` (without asking)."""
        if (now or datetime.now(UTC)) >= qr.expires_at:
            return EidOutcome("expired")
        try:
            status = self.platform.eid_session(qr.session_id)
        except PlatformRejected:
            return EidOutcome("expired")
        except PlatformError:
            return EidOutcome("pending")       # a lost poll is retried by the next one
        if status.status == "approved" and status.identity is not None:
            return self._identity(status.identity)
        if status.status == "consumed":
            return EidOutcome("used")
        if status.status in ("expired", "declined"):
            return EidOutcome(status.status)
        return EidOutcome("pending")

    def redeem(self, scanned_text: str) -> EidOutcome:
        """The identity behind a code the phone showed (scanned). A code that is not an e-ID
        code → "not_ours" and nothing is sent."""
        code = classify(scanned_text)
        if not isinstance(code, EidCode):
            return EidOutcome("not_ours")
        try:
            reply = self.platform.verify_eid_code(code.text)
        except PlatformRejected as exc:
            return EidOutcome({"eid_code_used": "used", "eid_code_expired": "expired"}
                              .get(exc.code, "unknown"))
        except PlatformError as exc:
            log.warning("e-ID code not verified: %s", exc.__class__.__name__)
            return EidOutcome("offline")
        return self._identity(reply.identity)

    @staticmethod
    def _identity(wire: EidIdentityWire) -> EidOutcome:
        try:
            return EidOutcome("approved", identity_from_wire(wire))
        except CardDataError as exc:
            log.warning("e-ID identity unusable (field %s)", exc.field)
            return EidOutcome("invalid")
