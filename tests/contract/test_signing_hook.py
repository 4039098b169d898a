"""The contract test's signer itself: what it signs is accepted, anything changed is refused."""

from __future__ import annotations

import json

import requests

from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.signing import HEADER_SIGNATURE
from tests.contract.signing import ContractSigner
from tests.platform.sandbox_payloads import SECRET, TERMINAL, heartbeat

PLACEHOLDER = {HEADER_SIGNATURE: "to-be-signed"}


def _prepared(sandbox: SandboxServer, body: dict[str, object]) -> requests.PreparedRequest:
    request = requests.Request("POST", sandbox.base_url + "/devices/heartbeat",
                               data=json.dumps(body).encode(), headers={
                                   "Content-Type": "application/json", **PLACEHOLDER})
    return ContractSigner(TERMINAL, SECRET)(request.prepare())


def test_a_signed_request_is_accepted(sandbox: SandboxServer, session: requests.Session) -> None:
    with requests.Session() as plain:
        resp = plain.send(_prepared(sandbox, heartbeat()), timeout=5)
    assert resp.status_code == 200 and resp.json()["notices"] == []
    station = session.get(sandbox.base_url + "/station", headers=PLACEHOLDER, timeout=5)
    assert station.status_code == 200 and station.json()["terminal_id"] == TERMINAL


def test_a_changed_request_is_refused(sandbox: SandboxServer) -> None:
    with requests.Session() as plain:
        body_changed = _prepared(sandbox, heartbeat())
        body_changed.body = json.dumps(heartbeat(outbox_depth=9)).encode()
        path_changed = _prepared(sandbox, heartbeat())
        path_changed.url = sandbox.base_url + "/devices/heartbeat?x=1"
        other_key = _prepared(sandbox, heartbeat())
        other_key.headers["X-Kiosk-Terminal"] = "GD-OTHER-0001"
        codes = [plain.send(r, timeout=5).json()["code"]
                 for r in (body_changed, path_changed, other_key)]
        assert codes == ["signature_invalid", "signature_invalid", "unknown_terminal"]
        replay = _prepared(sandbox, heartbeat())
        assert plain.send(replay, timeout=5).status_code == 200
        again = plain.send(replay, timeout=5)
        assert (again.status_code, again.json()["code"]) == (401, "nonce_reused")


def test_a_request_without_a_signature_header_is_sent_unsigned(
        sandbox: SandboxServer, session: requests.Session) -> None:
    """Schemathesis's negative "credentials missing" cases stay unsigned and must get 401."""
    resp = session.get(sandbox.base_url + "/station", timeout=5)
    assert resp.status_code == 401 and resp.json()["code"] == "credentials_missing"
    assert resp.headers["WWW-Authenticate"] == "KIOSK-HMAC-SHA256"
