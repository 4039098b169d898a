"""The sandbox's own switches (tests, demos, technicians; not part of the platform contract).

``GET|PUT /_sandbox/faults`` and ``POST /_sandbox/terminals/{terminal_id}/pending`` require the
header ``X-Sandbox-Token`` with the sandbox's admin token (``<data_dir>/sandbox.token``, 0600,
shared by the embedded sandbox and ``kiosk sandbox faults``): 401 ``sandbox_token_invalid``
otherwise, even on loopback. Bodies that are not what the endpoint takes are 400
``invalid_faults`` / 422 ``invalid_request`` problems, never a server error.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr
from pydantic import ValidationError

from kiosk.platform.sandbox.context import SandboxContext, problem

TOKEN_HEADER = "X-Sandbox-Token"
MAX_ADMIN_BODY = 64 * 1024


class PendingRequest(BaseModel):
    """Body of ``POST /_sandbox/terminals/{terminal_id}/pending``."""
    model_config = ConfigDict(extra="forbid")
    settings: dict[StrictStr, StrictStr | StrictInt | StrictFloat | StrictBool] = {}
    notices: list[StrictStr] = Field(default=[], max_length=20)


def _json_body(raw: bytes) -> Any:
    """The parsed body; ValueError for anything that is not JSON (or absurdly nested)."""
    if len(raw) > MAX_ADMIN_BODY:
        raise ValueError("body over 64 KiB")
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    faults = ctx.faults

    def refused(request: Request) -> Response | None:
        given = request.headers.get(TOKEN_HEADER, "")
        if given and hmac.compare_digest(given.encode(), ctx.admin_token.encode()):
            return None
        return problem(401, "sandbox_token_invalid",
                       f"{TOKEN_HEADER} is missing or wrong (see <data_dir>/sandbox.token)")

    @api.get("/_sandbox/faults")
    async def get_faults(request: Request) -> Response:
        return refused(request) or JSONResponse(faults.as_dict())

    @api.put("/_sandbox/faults")
    async def put_faults(request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        try:
            changes = _json_body(await request.body())
            if not isinstance(changes, dict):
                raise ValueError("body must be a JSON object of switch names")
            faults.update(**changes)
        except (ValueError, TypeError) as exc:
            return problem(400, "invalid_faults", str(exc))
        return JSONResponse(faults.as_dict())

    @api.post("/_sandbox/terminals/{terminal_id}/pending")
    async def queue(terminal_id: str, request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        try:
            data = PendingRequest.model_validate(_json_body(await request.body()))
        except ValueError as exc:       # pydantic's ValidationError is a ValueError
            fields = ([".".join(map(str, e["loc"])) or "body" for e in exc.errors()]
                      if isinstance(exc, ValidationError) else ["body"])
            return problem(422, "invalid_request", "body must be {settings: {}, notices: []}",
                           errors=fields)
        if data.settings:
            ctx.store.queue_settings(terminal_id, dict(data.settings))
        for text in data.notices:
            ctx.store.queue_notice(terminal_id, text)
        return Response(status_code=204)

    return api
