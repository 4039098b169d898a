"""Text hand-offs (long free text typed on the person's phone): ``POST /v1/text-handoffs``,
``GET /v1/text-handoffs/{handoff_id}`` (signed, the kiosk) and the phone's page
``GET|POST /v1/text-handoffs/{handoff_id}/page`` (HTML, unsigned: the phone has no terminal
secret; the 128-bit id is the credential). Rules: :mod:`kiosk.platform.sandbox.text_handoffs`.
"""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kiosk.platform.handoff_wire import HANDOFF_ID, TextHandoffRequest
from kiosk.platform.sandbox.context import SandboxContext, idempotent, problem, terminal
from kiosk.platform.sandbox.store import Store
from kiosk.platform.sandbox.text_handoffs import MAX_BODY_BYTES, TextHandoffs, render_gone

__all__ = ["handoffs", "router"]
_HANDOFFS: WeakKeyDictionary[Store, TextHandoffs] = WeakKeyDictionary()
_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
             "Referrer-Policy": "no-referrer"}


def handoffs(store: Store) -> TextHandoffs:
    """The store's hand-offs (in memory; made on first use; tests set its ``clock``)."""
    found = _HANDOFFS.get(store)
    if found is None:
        found = _HANDOFFS[store] = TextHandoffs()
    return found


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    work = handoffs(ctx.store)

    @api.post("/v1/text-handoffs")
    async def create(request: Request, body: TextHandoffRequest) -> JSONResponse:
        origin = str(request.base_url).rstrip("/")
        return idempotent(ctx, request, False,
                          lambda: (201, work.create(terminal(request), body, origin)))

    @api.get("/v1/text-handoffs/{handoff_id}")
    async def state(request: Request, handoff_id: str = Path(pattern=HANDOFF_ID)) -> Response:
        result = work.state(handoff_id, terminal(request))
        if isinstance(result, tuple):
            return problem(*result)
        return JSONResponse(result, headers={"Cache-Control": "no-store"})

    @api.get("/v1/text-handoffs/{handoff_id}/page", response_class=HTMLResponse)
    async def page(handoff_id: str) -> HTMLResponse:
        if re.fullmatch(HANDOFF_ID, handoff_id) is None:
            return HTMLResponse(render_gone(), status_code=404, headers=_NO_STORE)
        status, html = work.page(handoff_id)
        return HTMLResponse(html, status_code=status, headers=_NO_STORE)

    @api.post("/v1/text-handoffs/{handoff_id}/page", response_class=HTMLResponse)
    async def submit(handoff_id: str, request: Request) -> HTMLResponse:
        if re.fullmatch(HANDOFF_ID, handoff_id) is None:
            return HTMLResponse(render_gone(), status_code=404, headers=_NO_STORE)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                break
        status, html = work.submit(handoff_id, bytes(body))
        return HTMLResponse(html, status_code=status, headers=_NO_STORE)

    return api
