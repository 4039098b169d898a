"""``POST /v1/devices/heartbeat``: terminal status in, queued settings and notices out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kiosk.platform.sandbox.context import SandboxContext, idempotent, terminal
from kiosk.platform.submissions import HeartbeatRequest


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()

    @api.post("/v1/devices/heartbeat")
    async def heartbeat(request: Request, body: HeartbeatRequest) -> JSONResponse:
        def apply() -> tuple[int, dict[str, Any]]:
            settings, notices = ctx.store.record_heartbeat(terminal(request), body.model_dump())
            return 200, {"server_time": ctx.store.stamp(), "settings": settings,
                         "notices": notices}
        return idempotent(ctx, request, False, apply)

    return api
