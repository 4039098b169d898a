"""``POST /v1/assistance-requests``: 失业登记 / 就业困难人员认定 / 补贴申领 / 职业指导预约."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kiosk.platform.sandbox.context import SandboxContext, idempotent, terminal
from kiosk.platform.submissions import AssistanceRequest


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()

    @api.post("/v1/assistance-requests")
    async def assistance(request: Request, body: AssistanceRequest) -> JSONResponse:
        division = ctx.store.station(terminal(request)).get("division_code", "")
        return idempotent(ctx, request, True,
                          lambda: ctx.casework.create_ticket(terminal(request), division, body))

    return api
