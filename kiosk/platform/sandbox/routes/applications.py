"""就业援助 applications: ``GET /v1/applications/prefill``, ``POST|GET /v1/applications``,
``GET /v1/applications/{application_no}``; the progress page ``GET /progress/{application_no}``
(HTML, opened from the slip's QR code, token-protected like the referral verification page);
and the casework switch ``POST /_sandbox/applications/{application_no}/state`` (admin token;
body ``{"state": <target> | null, "reason": str, "missing_items": [str]}``; ``state`` null =
the next state on the usual path). Decisions: :mod:`kiosk.platform.sandbox.applications`.
"""

from __future__ import annotations

import hmac
import json
from html import escape
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from kiosk.domain import applications as rules
from kiosk.platform.sandbox.applications import (SCHEMA, ApplicationCasework, MoveRefused,
                                                 progress_token)
from kiosk.platform.sandbox.context import Outcome, SandboxContext, idempotent, problem, terminal
from kiosk.platform.submissions import (ApplicationRequest, carries_sensitive,
                                        sensitive_consent_given)

__all__ = ["SCHEMA", "router"]

TOKEN_HEADER = "X-Sandbox-Token"
NUMBER_PATTERN = r"^[A-Z0-9][A-Z0-9-]{0,63}$"
_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>办件进度查询</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:1em auto;padding:0 1em;font-size:18px}}
dt{{color:#555}}dd{{margin:0 0 .6em 0;font-weight:bold}}</style></head>
<body><h1>办件进度查询<br><small>Application progress</small></h1>
{content}
<p><small>公共就业服务 · 投诉监督 12333</small></p></body></html>"""


class CaseworkMove(BaseModel):
    """Body of the casework switch."""
    model_config = ConfigDict(extra="forbid")
    state: StrictStr | None = None
    reason: StrictStr = ""
    missing_items: list[StrictStr] = Field(default=[], max_length=30)


def render_progress(view: dict[str, Any]) -> str:
    """The progress page: item, number, state in plain Chinese, time limit, reason / missing."""
    state = view["state"]
    rows = [("办件号", view["application_no"]), ("办理事项", rules.KIND_NAMES_ZH[view["kind"]]),
            ("当前状态", view["state_label"]), ("说明", rules.STATE_EXPLAINED_ZH.get(state, "")),
            ("办理时限", view["time_limit"]["text"]),
            ("提交时间", view["submitted_at"][:16].replace("T", " ") + " UTC")]
    if view["reason"]:
        rows.append(("原因", view["reason"]))
    if view["missing_items"]:
        rows.append(("需补充的材料", "；".join(view["missing_items"])))
    if view["appeal_until"]:
        rows.append(("申请重核截止", view["appeal_until"]))
    body = "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows) + "</dl>"
    return _PAGE.format(content=body)


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    work = ApplicationCasework(ctx.store, ctx.salt)
    work.seed_applicants()
    headers = {"Cache-Control": "no-store"}

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    @api.get("/v1/applications/prefill")
    async def prefill(id_number_hash: str = Query(pattern=r"^[0-9a-f]{64}$")) -> dict[str, Any]:
        return work.prefill(id_number_hash)

    @api.post("/v1/applications")
    async def submit(request: Request, body: ApplicationRequest) -> JSONResponse:
        app = body.root
        caller = terminal(request)

        def apply() -> Outcome:
            if carries_sensitive(app) and not sensitive_consent_given(app):
                return problem(422, "sensitive_consent_missing",
                               "sensitive answers need sensitive_consent with purpose "
                               "sensitive_key_group (PIPL Art. 29)", errors=["body.sensitive_consent"])
            division = ctx.store.station(caller).get("division_code", "")
            reply = work.submit(caller, division, app, base(request),
                                ctx.store.secret_for(caller) or b"")
            return reply.status, reply.body
        return idempotent(ctx, request, True, apply)

    @api.get("/v1/applications")
    async def for_person(request: Request,
                         id_number_hash: str = Query(pattern=r"^[0-9a-f]{64}$")) -> dict[str, Any]:
        return {"items": work.for_person(id_number_hash, base(request))}

    @api.get("/v1/applications/{application_no}")
    async def one(request: Request,
                  application_no: str = Path(pattern=NUMBER_PATTERN)) -> Response:
        view = work.view(application_no, base(request), None)
        if view is None:
            return problem(404, "application_not_found", "no application with this number")
        return JSONResponse(view)

    @api.get("/progress/{application_no}", response_class=HTMLResponse)
    async def progress(request: Request, application_no: str, t: str = "") -> HTMLResponse:
        view = work.view(application_no, base(request), None) if len(application_no) <= 64 else None
        expected = view["progress_url"].rsplit("t=", 1)[-1] if view else ""
        if view is None or not t or not hmac.compare_digest(expected.encode(), t.encode()):
            return HTMLResponse(_PAGE.format(content="<p>链接无效 / This link is not valid.</p>"),
                                status_code=404, headers=headers)
        return HTMLResponse(render_progress(view), headers=headers)

    @api.post("/_sandbox/applications/{application_no}/state")
    async def move(request: Request, application_no: str) -> Response:
        given = request.headers.get(TOKEN_HEADER, "")
        if not (given and hmac.compare_digest(given.encode(), ctx.admin_token.encode())):
            return problem(401, "sandbox_token_invalid",
                           f"{TOKEN_HEADER} is missing or wrong (see <data_dir>/sandbox.token)")
        try:
            raw = await request.body()
            data = CaseworkMove.model_validate(json.loads(raw or b"{}"))
        except (ValueError, RecursionError) as exc:
            fields = ([".".join(map(str, e["loc"])) or "body" for e in exc.errors()]
                      if isinstance(exc, ValidationError) else ["body"])
            return problem(422, "invalid_request",
                           "body must be {state, reason, missing_items}", errors=fields)
        try:
            work.move(application_no, data.state, data.reason, data.missing_items)
        except MoveRefused as exc:
            return problem(404 if exc.code == "application_not_found" else 409, exc.code,
                           exc.detail)
        return JSONResponse(work.view(application_no, base(request), None))

    return api


__all__ += ["progress_token", "render_progress"]
