"""招聘会: ``GET /v1/fairs`` (ETag), ``GET /v1/fairs/{fair_id}``, sign-ups, check-ins, booths;
and the organiser's casework switch ``PUT /_sandbox/fairs/{fair_id}/bookings`` (admin token).

The records and rules are :class:`~kiosk.platform.sandbox.fair_casework.FairCasework` (one per
store: :func:`casework`; its ``clock`` is what tests set to pick the moment).
"""

from __future__ import annotations

import hmac
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, StrictBool, ValidationError

from kiosk.platform.fair_wire import (FAIR_ID, BoothBookingRequest, FairCheckinRequest,
                                      FairSignupRequest, fair_to_wire)
from kiosk.platform.wire_formats import iso
from kiosk.platform.sandbox.context import Outcome, SandboxContext, idempotent, problem, terminal
from kiosk.platform.sandbox.fair_casework import SCHEMA, FairCasework, Problem
from kiosk.platform.sandbox.routes.admin import TOKEN_HEADER
from kiosk.platform.sandbox.store import Store

__all__ = ["SCHEMA", "casework", "router"]
BOOKING_ID = r"^[A-Za-z0-9_-]{1,80}$"
_CASEWORK: WeakKeyDictionary[Store, FairCasework] = WeakKeyDictionary()


def casework(store: Store, salt: str = "") -> FairCasework:
    """The store's fair casework (made on first use; ``salt`` is the platform's lookup salt)."""
    found = _CASEWORK.get(store)
    if found is None:
        found = _CASEWORK[store] = FairCasework(store, salt or store.meta("lookup_salt"))
    return found


class BookingsSwitch(BaseModel):
    """Body of ``PUT /_sandbox/fairs/{fair_id}/bookings``."""
    model_config = ConfigDict(extra="forbid")
    open: StrictBool


def _answer(result: tuple[int, dict[str, object]] | Problem) -> Outcome:
    if len(result) == 3:
        status, code, detail = result
        return problem(status, code, detail)
    return result


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    fairs = casework(ctx.store, ctx.salt)

    @api.get("/v1/fairs")
    async def list_fairs(if_none_match: str | None = Header(default=None)) -> Response:
        now = fairs.clock()
        etag = fairs.etag(now)
        match = [t.strip().removeprefix("W/") for t in (if_none_match or "").split(",")]
        stamp = iso(now)
        if etag in match or "*" in match:
            return Response(status_code=304, headers={"ETag": etag, "X-Server-Time": stamp,
                                                      "Cache-Control": "no-cache"})
        body = {"items": [fair_to_wire(f) for f in fairs.fairs(now)], "server_time": stamp}
        return JSONResponse(body, headers={"ETag": etag, "X-Server-Time": stamp,
                                           "Cache-Control": "no-cache"})

    @api.get("/v1/fairs/{fair_id}")
    async def get_fair(fair_id: str = Path(pattern=FAIR_ID)) -> Response:
        found = fairs.fair(fair_id)
        if found is None:
            return problem(404, "fair_not_found", "no fair with this id")
        return JSONResponse(fair_to_wire(found))

    @api.post("/v1/fairs/{fair_id}/signups")
    async def sign_up(request: Request, body: FairSignupRequest,
                      fair_id: str = Path(pattern=FAIR_ID)) -> JSONResponse:
        return idempotent(ctx, request, True, lambda: _answer(
            fairs.sign_up(fair_id, body, terminal(request), fairs.clock())))

    @api.post("/v1/fairs/{fair_id}/check-ins")
    async def check_in(request: Request, body: FairCheckinRequest,
                       fair_id: str = Path(pattern=FAIR_ID)) -> JSONResponse:
        return idempotent(ctx, request, False, lambda: _answer(
            fairs.check_in(fair_id, body, terminal(request), fairs.clock())))

    @api.post("/v1/fairs/{fair_id}/booths")
    async def book(request: Request, body: BoothBookingRequest,
                   fair_id: str = Path(pattern=FAIR_ID)) -> JSONResponse:
        return idempotent(ctx, request, True, lambda: _answer(
            fairs.book(fair_id, body, terminal(request), fairs.clock())))

    @api.delete("/v1/fairs/{fair_id}/booths/{booking_id}")
    async def cancel(request: Request, fair_id: str = Path(pattern=FAIR_ID),
                     booking_id: str = Path(pattern=BOOKING_ID)) -> JSONResponse:
        result = _answer(fairs.cancel(fair_id, booking_id, terminal(request), fairs.clock()))
        return result if isinstance(result, JSONResponse) else JSONResponse(result[1],
                                                                            status_code=result[0])

    @api.put("/_sandbox/fairs/{fair_id}/bookings")
    async def switch_bookings(request: Request, fair_id: str) -> Response:
        given = request.headers.get(TOKEN_HEADER, "")
        if not (given and hmac.compare_digest(given.encode(), ctx.admin_token.encode())):
            return problem(401, "sandbox_token_invalid", f"{TOKEN_HEADER} is missing or wrong")
        try:
            switch = BookingsSwitch.model_validate_json(await request.body())
        except ValidationError:
            return problem(422, "invalid_request", 'body must be {"open": true|false}',
                           errors=["body.open"])
        found = fairs.set_bookings_open(fair_id, switch.open)
        if found is None:
            return problem(404, "fair_not_found", "no fair with this id")
        return JSONResponse(fair_to_wire(found))

    return api
