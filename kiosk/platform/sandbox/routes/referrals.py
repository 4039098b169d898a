"""``POST /v1/referrals`` (推荐就业, made by the kiosk) and ``GET /v1/referrals/{referral_id}``."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response

from kiosk.platform.sandbox.context import (Outcome, SandboxContext, idempotent, parse_rfc3339,
                                            problem, terminal)
from kiosk.platform.sandbox.routes.station import VERIFY_PATH_TEMPLATE
from kiosk.platform.signing import verify_token
from kiosk.platform.submissions import ReferralRequest


#: How far ahead of server time ``issued_at`` may be (a kiosk clock running fast).
MAX_FUTURE = timedelta(days=1)


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    store, casework = ctx.store, ctx.casework

    @api.post("/v1/referrals")
    async def refer(request: Request, body: ReferralRequest) -> JSONResponse:
        base = str(request.base_url).rstrip("/")
        caller = terminal(request)

        def apply() -> Outcome:
            if not body.referral_id.startswith(caller + "-"):
                return problem(422, "referral_id_foreign",
                               "referral_id must start with this terminal's id",
                               errors=["body.referral_id"])
            try:
                issued = parse_rfc3339(body.issued_at)
            except ValueError:
                return problem(422, "invalid_request", "issued_at is not an RFC 3339 date-time",
                               errors=["body.issued_at"])
            if issued > parse_rfc3339(store.stamp()) + MAX_FUTURE:
                return problem(422, "invalid_request", "issued_at is more than a day ahead of "
                               "server time", errors=["body.issued_at"])
            if store.vacancy(body.vacancy_id) is None:
                return problem(404, "vacancy_not_found", "no open vacancy with this id")
            if casework.referral(body.referral_id) is not None:
                return problem(409, "referral_exists", "this referral_id was already received")
            secret = store.secret_for(caller) or b""
            url = base + VERIFY_PATH_TEMPLATE.format(
                referral_id=body.referral_id, verify_token=verify_token(secret, body.referral_id))
            return casework.create_referral(caller, body, url, issued)
        return idempotent(ctx, request, True, apply)

    @api.get("/v1/referrals/{referral_id}")
    async def referral(referral_id: str = Path(max_length=64)) -> Response:
        view = casework.referral(referral_id)
        if view is None:
            return problem(404, "referral_not_found", "no referral with this id was received")
        return JSONResponse({"referral_id": view.referral_id, "vacancy_id": view.vacancy_id,
                             "status": view.status, "issued_at": view.issued_at,
                             "valid_until": view.valid_until, "confirmed_at": view.confirmed_at,
                             "hired": view.hired})

    return api
