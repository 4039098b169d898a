"""Employer postings and 零工 sign-ups (issue 19): ``POST|GET /v1/employer-postings``,
``GET /v1/employer-postings/{posting_no}``, ``POST /v1/vacancies/{vacancy_id}/signups``, and
the casework switch (not part of the contract, ``X-Sandbox-Token``):

* ``PUT /_sandbox/employer-postings/{posting_no}`` ``{"status": "published"|"rejected"|
  "withdrawn"|"expired", "reason": "…"}`` — the audit decision (a rejection needs a reason);
* ``PUT /_sandbox/posting-rules`` ``{"max_open_per_employer": n}`` — the sandbox's limit.

The rules and the numbering are in :mod:`kiosk.platform.sandbox.postings`.
"""

from __future__ import annotations

import hmac
import json

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from kiosk.platform.sandbox.context import (Outcome, SandboxContext, idempotent, parse_rfc3339,
                                            problem, terminal)
from kiosk.platform.sandbox.postings import SCHEMA, Postings, PostingRefused
from kiosk.platform.sandbox.routes.admin import TOKEN_HEADER
from kiosk.platform.submissions import GigSignupRequest, PostingRequest

__all__ = ["SCHEMA", "router"]


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    store = ctx.store
    postings = Postings(store, ctx.salt)

    def division(request: Request) -> str:
        return str(store.station(terminal(request)).get("division_code", "") or "440000")

    def refused(request: Request) -> Response | None:
        given = request.headers.get(TOKEN_HEADER, "")
        if given and hmac.compare_digest(given.encode(), ctx.admin_token.encode()):
            return None
        return problem(401, "sandbox_token_invalid",
                       f"{TOKEN_HEADER} is missing or wrong (see <data_dir>/sandbox.token)")

    @api.post("/v1/employer-postings")
    async def submit(request: Request, body: PostingRequest) -> JSONResponse:
        def apply() -> Outcome:
            try:
                parse_rfc3339(body.submitted_at)
            except ValueError:
                return problem(422, "invalid_request", "not an RFC 3339 date-time",
                               errors=["body.submitted_at"])
            try:
                return 201, postings.submit(terminal(request), division(request), body)
            except PostingRefused as exc:
                return problem(exc.status, exc.code, exc.detail)
        return idempotent(ctx, request, True, apply)

    @api.get("/v1/employer-postings")
    async def of_handler(handler_hash: str = Query(pattern=r"^[0-9a-f]{64}$")) -> JSONResponse:
        return JSONResponse({"items": postings.of_handler(handler_hash)})

    @api.get("/v1/employer-postings/{posting_no}")
    async def one(posting_no: str = Path(max_length=64)) -> Response:
        found = postings.status(posting_no)
        if found is None:
            return problem(404, "posting_not_found", "no posting with this number")
        return JSONResponse(found)

    @api.post("/v1/vacancies/{vacancy_id}/signups")
    async def sign_up(request: Request, body: GigSignupRequest,
                      vacancy_id: str = Path(max_length=64)) -> JSONResponse:
        def apply() -> Outcome:
            try:
                parse_rfc3339(body.signed_up_at)
            except ValueError:
                return problem(422, "invalid_request", "not an RFC 3339 date-time",
                               errors=["body.signed_up_at"])
            try:
                return 201, postings.sign_up(terminal(request), division(request), vacancy_id,
                                             body)
            except PostingRefused as exc:
                return problem(exc.status, exc.code, exc.detail)
        return idempotent(ctx, request, True, apply)

    @api.put("/_sandbox/employer-postings/{posting_no}")
    async def audit(posting_no: str, request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        try:
            data = json.loads(await request.body())
            if not isinstance(data, dict) or not isinstance(data.get("status"), str):
                raise ValueError("body must be {\"status\": …, \"reason\": …}")
            return JSONResponse(postings.audit(posting_no, data["status"],
                                               str(data.get("reason") or "")))
        except KeyError:
            return problem(404, "posting_not_found", "no posting with this number")
        except (ValueError, RecursionError) as exc:
            return problem(400, "invalid_audit", str(exc))

    @api.put("/_sandbox/posting-rules")
    async def rules(request: Request) -> Response:
        if (denied := refused(request)) is not None:
            return denied
        try:
            data = json.loads(await request.body())
            n = data.get("max_open_per_employer") if isinstance(data, dict) else None
            if not isinstance(n, int) or isinstance(n, bool):
                raise ValueError("body must be {\"max_open_per_employer\": <int>}")
            postings.set_max_open(n)
        except (ValueError, RecursionError) as exc:
            return problem(400, "invalid_rules", str(exc))
        return JSONResponse({"max_open_per_employer": postings.max_open})

    return api
