"""居民身份电子凭证 login against the sandbox: the kiosk's QR approved by the (simulated) phone,
single use, expiry, bound to the terminal; the phone's code scanned once; not-ours codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from kiosk.devices.idcard.model import CardType
from kiosk.platform.client import PlatformClient
from kiosk.platform.sandbox.app import build_sandbox
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.sandbox.routes import eid as eid_routes
from kiosk.services.eid_login import EidLogin, EidQr
from tests.platform.conftest import STATION
from tests.platform.sandbox_payloads import SECRET, TERMINAL

OTHER, OTHER_SECRET = "GD-TEST-0009", bytes(range(2, 34))
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


class Clock:
    now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sandbox() -> Iterator[tuple[SandboxServer, Clock]]:
    platform = build_sandbox(":memory:")
    platform.store.provision_terminal(TERMINAL, SECRET, STATION)
    platform.store.provision_terminal(OTHER, OTHER_SECRET, STATION)
    clock = Clock()
    eid_routes.casework(platform.store).clock = clock
    with SandboxServer(platform).start() as srv:
        yield srv, clock


def _client(srv: SandboxServer, terminal: str = TERMINAL, secret: bytes = SECRET) -> PlatformClient:
    return PlatformClient(srv.base_url, terminal, secret, connect_timeout_s=2, read_timeout_s=3,
                          backoff_factor=0.01)


def _phone(srv: SandboxServer, path: str, **kw) -> requests.Response:
    """The simulated phone (the demo button): /_sandbox/eid/… with the admin token."""
    return requests.post(srv.base_url.removesuffix("/v1") + "/_sandbox/eid/" + path,
                         headers={"X-Sandbox-Token": srv.platform.admin_token}, timeout=3, **kw)


def test_kiosk_qr_approved_by_the_phone_gives_the_card_record_once(sandbox):
    srv, _clock = sandbox
    with _client(srv) as client, _client(srv, OTHER, OTHER_SECRET) as other:
        login = EidLogin(client)
        qr = login.start()
        assert isinstance(qr, EidQr) and qr.payload.startswith("https://")
        assert qr.expires_at == NOW + timedelta(seconds=120) and qr.poll_after_s == 1.0
        assert login.poll(qr, NOW).status == "pending"
        assert "pending" in repr(login.poll(qr, NOW)) and qr.session_id not in repr(qr)
        assert _phone(srv, f"sessions/{qr.session_id}/approve", json={}).status_code == 204
        # another terminal cannot read this terminal's session
        assert EidLogin(other).poll(qr, NOW).status == "expired"
        outcome = login.poll(qr, NOW)
        assert outcome.status == "approved" and outcome.message_zh == "已通过居民身份电子凭证确认身份"
        card = outcome.identity
        assert card.card_type is CardType.E_ID and card.id_number_valid
        assert (card.name, card.id_number, card.gender, card.birth_date.isoformat()) == \
            ("陈晓满", "449901199203154525", "女", "1992-03-15")
        assert "陈晓满" not in repr(outcome) and "449901199203154525" not in repr(card)
        again = login.poll(qr, NOW)
        assert (again.status, again.retry) == ("used", True)


def test_qr_expires_and_a_declined_login_says_so(sandbox):
    srv, clock = sandbox
    with _client(srv) as client:
        login = EidLogin(client)
        qr = login.start()
        clock.now = NOW + timedelta(seconds=120)
        assert login.poll(qr, clock.now).status == "expired"       # locally, without asking
        assert _phone(srv, f"sessions/{qr.session_id}/approve", json={}).status_code == 409
        clock.now = NOW
        qr2 = login.start()
        assert _phone(srv, f"sessions/{qr2.session_id}/approve",
                      json={"decline": True}).status_code == 204
        declined = login.poll(qr2, NOW)
        assert (declined.status, declined.retry, declined.message_zh) == (
            "declined", True, "您已在手机上取消授权")


def test_phone_code_scanned_once_then_used_or_expired(sandbox):
    srv, clock = sandbox
    with _client(srv) as client, _client(srv, OTHER, OTHER_SECRET) as other:
        code = _phone(srv, "codes").json()["code"]
        assert code.startswith("CTID1:")
        first = EidLogin(client).redeem(code + "\r\n")
        assert first.status == "approved" and first.identity.card_type is CardType.E_ID
        used = EidLogin(other).redeem(code)
        assert (used.status, used.retry) == ("used", True)
        assert used.message_zh == "此电子凭证码已使用过，请在手机上刷新后重新出示"
        stale = _phone(srv, "codes").json()["code"]
        clock.now = NOW + timedelta(seconds=60)
        assert EidLogin(client).redeem(stale).message_zh == \
            "二维码已过期，请点击“重试”获取新的二维码"
        assert EidLogin(client).redeem("CTID1:" + "Z" * 24).status == "unknown"


def test_codes_that_are_not_ours_never_reach_the_platform(sandbox):
    srv, _clock = sandbox
    with _client(srv) as client:
        before = dict(srv.faults.arrivals)
        for text in ("6901234567892", "https://example.org/x", "GDJY:FAIR:1:F:AAAA"):
            outcome = EidLogin(client).redeem(text)
            assert (outcome.status, outcome.message_zh) == ("not_ours", "这不是本站的二维码")
        assert dict(srv.faults.arrivals) == before


def test_phone_part_needs_the_admin_token(sandbox):
    srv, _clock = sandbox
    url = srv.base_url.removesuffix("/v1") + "/_sandbox/eid/codes"
    assert requests.post(url, timeout=3).status_code == 401
