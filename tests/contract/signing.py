"""The contract test's request signer: the kiosk's own :class:`~kiosk.platform.transport.HmacAuth`.

Used as ``requests.Session.auth``, it runs on the *prepared* request (the exact bytes
schemathesis sends, after its serialisation), so every generated request, and every request a
check re-sends, carries a valid ``X-Kiosk-*`` signature with a fresh nonce. The one exception is
a request from which schemathesis removed ``X-Kiosk-Signature`` on purpose (its negative
"missing credentials" cases): it is sent unsigned, and the contract says the server must answer
401 ``credentials_missing``.
"""

from __future__ import annotations

import requests

from kiosk.platform.signing import HEADER_SIGNATURE
from kiosk.platform.transport import HmacAuth


class ContractSigner(HmacAuth):
    """Signs like the kiosk unless the request carries no signature header (see the module)."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if HEADER_SIGNATURE not in r.headers and "/v1/ping" not in (r.url or ""):
            return r
        return super().__call__(r)


def signed_session(terminal_id: str, secret: bytes) -> requests.Session:
    """A session whose requests :class:`ContractSigner` signs (no proxies from the environment)."""
    session = requests.Session()
    session.auth = ContractSigner(terminal_id, secret)
    session.trust_env = False
    return session
