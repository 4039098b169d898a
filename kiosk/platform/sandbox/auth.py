"""ASGI middleware checking the HMAC signature of every ``/v1`` request (except ``/v1/ping`` and
the phone's text hand-off page ``/v1/text-handoffs/{handoff_id}/page``).

It buffers the body (needed for the body digest), verifies with
:func:`kiosk.platform.signing.verify_request`, and hands the app the same body again with
``scope["state"]["terminal_id"]`` and ``scope["state"]["body_digest"]`` set (the canonical JSON
digest used for idempotency). A refusal is a 401 ``application/problem+json`` whose ``code`` is
the :class:`~kiosk.platform.signing.SignatureError` code.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from kiosk.platform.sandbox.casework import canonical_digest
from kiosk.platform.sandbox.faults import ASGIApp, Receive, Scope, Send
from kiosk.platform.sandbox.store import Store
from kiosk.platform.signing import NonceCache, SignatureError, verify_request

UNSIGNED_PATHS = frozenset({"/v1/ping"})
#: The phone's text hand-off page (HTML; the phone holds no terminal secret, the 128-bit id in
#: the path is the credential — ``docs/openapi.yaml`` ``openTextHandoffPage``).
UNSIGNED_PATTERN = re.compile(r"^/v1/text-handoffs/[^/]+/page$")
MAX_BODY_BYTES = 1_000_000
#: Deepest JSON nesting accepted (the deepest request schema nests 3 levels); deeper bodies are
#: refused 422 before anything parses them (Python's json would hit its recursion limit).
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def json_depth(body: bytes) -> int:
    """How deeply ``[`` / ``{`` nest in a JSON text (strings skipped); 0 for a scalar."""
    bare = _JSON_STRING.sub(b"", body)
    steps = (1 if c in b"[{" else -1 for c in bare if c in b"[]{}")
    return max(accumulate(steps, initial=0))


class SignatureAuth:
    def __init__(self, app: ASGIApp, store: Store, nonces: NonceCache | None = None) -> None:
        self.app = app
        self.store = store
        self.nonces = nonces or NonceCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/") \
                or scope["path"] in UNSIGNED_PATHS or UNSIGNED_PATTERN.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await _refuse(send, 413, "body_too_large", "request body over 1 MB")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        raw_path = scope.get("raw_path") or scope["path"].encode()
        try:
            verified = verify_request(headers, scope["method"], raw_path.decode("latin-1"),
                                      scope.get("query_string", b"").decode("latin-1"), body,
                                      self.store.secret_for, self.nonces)
        except SignatureError as exc:
            await _refuse(send, 401, exc.code, exc.detail)
            return
        if json_depth(body) > MAX_JSON_DEPTH:
            await _refuse(send, 422, "invalid_request",
                          f"JSON body nested deeper than {MAX_JSON_DEPTH} levels",
                          errors=["body"])
            return
        state = scope.setdefault("state", {})
        state["terminal_id"] = verified.terminal_id
        state["body_digest"] = canonical_digest(body)
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _refuse(send: Send, status: int, code: str, detail: str, **extra: Any) -> None:
    body = json.dumps({"type": f"urn:gd-kiosk:problem:{code}", "title": code.replace("_", " "),
                       "status": status, "detail": detail, "code": code, **extra}).encode()
    headers = [(b"content-type", b"application/problem+json"),
               (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"KIOSK-HMAC-SHA256"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
