"""居民身份电子凭证 login: ``POST /v1/eid/sessions``, ``GET /v1/eid/sessions/{session_id}``,
``POST /v1/eid/verifications``; and the phone's part for demos and tests (admin token):
``GET /_sandbox/eid/sessions`` (pending ones), ``POST /_sandbox/eid/sessions/{session_id}/approve``
(``{"decline": false}``), ``POST /_sandbox/eid/codes`` (a code as the phone would show it).

The demo person is ``assets/demo/cards/resident.json`` as an e-ID identity
(:func:`~kiosk.platform.sandbox.eid_casework.as_eid_identity`).
"""

from __future__ import annotations

import hmac
import json
from datetime import datetime
from pathlib import Path as FilePath
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, StrictBool, ValidationError

from kiosk.platform.eid_wire import EidVerificationRequest
from kiosk.platform.sandbox.context import SandboxContext, problem, terminal
from kiosk.platform.sandbox.eid_casework import EidCasework, as_eid_identity
from kiosk.platform.sandbox.routes.admin import TOKEN_HEADER
from kiosk.platform.sandbox.store import Store

__all__ = ["DEMO_CARD", "casework", "demo_identity", "router"]
DEMO_CARD = FilePath(__file__).resolve().parents[4] / "assets" / "demo" / "cards" / "resident.json"
SESSION_ID = r"^[A-Za-z0-9_-]{16,64}$"
_CASEWORK: WeakKeyDictionary[Store, EidCasework] = WeakKeyDictionary()


def casework(store: Store) -> EidCasework:
    """The store's e-ID casework (in memory; made on first use; its ``clock`` is what tests
    set to pick the moment)."""
    found = _CASEWORK.get(store)
    if found is None:
        found = _CASEWORK[store] = EidCasework()
    return found


def demo_identity() -> dict[str, Any]:
    """The demo person as an e-ID identity. Raises OSError/ValueError for a missing/bad file."""
    return as_eid_identity(json.loads(DEMO_CARD.read_text(encoding="utf-8")))


class Approval(BaseModel):
    """Body of ``POST /_sandbox/eid/sessions/{session_id}/approve``."""
    model_config = ConfigDict(extra="forbid")
    decline: StrictBool = False


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    eid = casework(ctx.store)

    def now() -> datetime:
        return eid.clock()

    def refused(request: Request) -> Response | None:
        given = request.headers.get(TOKEN_HEADER, "")
        if given and hmac.compare_digest(given.encode(), ctx.admin_token.encode()):
            return None
        return problem(401, "sandbox_token_invalid", f"{TOKEN_HEADER} is missing or wrong")

    @api.post("/v1/eid/sessions")
    async def start(request: Request) -> JSONResponse:
        return JSONResponse(eid.start(terminal(request), now()), status_code=201)

    @api.get("/v1/eid/sessions/{session_id}")
    async def status(request: Request, session_id: str = Path(pattern=SESSION_ID)) -> Response:
        result = eid.status(session_id, terminal(request), now())
        if isinstance(result, tuple):
            return problem(*result)
        return JSONResponse(result)

    @api.post("/v1/eid/verifications")
    async def verify(request: Request, body: EidVerificationRequest) -> Response:
        result = eid.verify(body.code, terminal(request), now())
        if isinstance(result, tuple):
            return problem(*result)
        return JSONResponse(result)

    # --- the phone's part ---------------------------------------------------------------------
    @api.get("/_sandbox/eid/sessions")
    async def pending(request: Request) -> Response:
        return refused(request) or JSONResponse({"pending": eid.pending_sessions(now())})

    @api.post("/_sandbox/eid/sessions/{session_id}/approve")
    async def approve(request: Request, session_id: str) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        raw = await request.body()
        try:
            body = Approval.model_validate_json(raw) if raw.strip() else Approval()
        except ValidationError:
            return problem(422, "invalid_request", 'body must be {"decline": true|false}',
                           errors=["body.decline"])
        if not eid.approve(session_id, demo_identity(), now(), decline=body.decline):
            return problem(409, "eid_session_not_pending",
                           "no pending e-ID session with this id (expired or answered)")
        return Response(status_code=204)

    @api.post("/_sandbox/eid/codes")
    async def issue(request: Request) -> Response:
        return refused(request) or JSONResponse(eid.issue_code(demo_identity(), now()),
                                                status_code=201)

    return api
