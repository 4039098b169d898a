"""``GET /v1/jobseekers/lookup`` (已登记?) and ``POST /v1/jobseekers/registrations`` (求职登记)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from kiosk.platform.sandbox.context import SandboxContext, idempotent, terminal
from kiosk.platform.submissions import RegistrationRequest


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()

    @api.get("/v1/jobseekers/lookup")
    async def lookup(id_number_hash: str = Query(pattern=r"^[0-9a-f]{64}$")) -> dict[str, Any]:
        return ctx.casework.lookup(id_number_hash)

    @api.post("/v1/jobseekers/registrations")
    async def register(request: Request, body: RegistrationRequest) -> JSONResponse:
        division = ctx.store.station(terminal(request)).get("division_code", "")
        return idempotent(ctx, request, True,
                          lambda: ctx.casework.register(terminal(request), division, body))

    return api
