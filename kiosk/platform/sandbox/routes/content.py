"""``GET /v1/policies`` (就业创业政策) and ``GET /v1/courses`` (职业技能培训)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kiosk.platform.sandbox.context import SandboxContext


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()

    @api.get("/v1/policies")
    async def policies() -> dict[str, Any]:
        return {"items": ctx.store.content("policies")}

    @api.get("/v1/courses")
    async def courses() -> dict[str, Any]:
        return {"items": ctx.store.content("courses")}

    return api
