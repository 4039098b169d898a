"""``GET /v1/ping`` (unsigned) and ``GET /v1/station``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kiosk.platform.sandbox.context import SandboxContext, terminal

#: The employer's verification page; the kiosk fills both placeholders (docs/openapi.yaml).
VERIFY_PATH_TEMPLATE = "/verify/{referral_id}?t={verify_token}"


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()

    @api.get("/v1/ping")
    async def ping() -> dict[str, str]:
        return {"server_time": ctx.store.stamp()}

    @api.get("/v1/station")
    async def station(request: Request) -> dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        return {**ctx.store.station(terminal(request)), "terminal_id": terminal(request),
                "verify_url_template": base + VERIFY_PATH_TEMPLATE,
                "lookup_salt": ctx.salt, "server_time": ctx.store.stamp()}

    return api
