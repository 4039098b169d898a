"""职业指导: adviser slots (``GET /v1/guidance/slots``, ETag), bookings and their cancellation,
and the résumé handed to a phone (``POST /v1/resumes`` → ``GET /resumes/<token>.pdf``, outside
``/v1`` and unsigned: the phone opens it from the QR).

Records and rules: :class:`~kiosk.platform.sandbox.guidance_casework.GuidanceCasework` (one per
store: :func:`casework`; tests set its ``clock``).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kiosk.platform.guidance_wire import (BOOKING_NO, HASH, SLOT_ID, GuidanceBookingRequest,
                                          GuidanceCancelRequest, ResumeShareRequest,
                                          slot_to_wire)
from kiosk.platform.wire_formats import iso
from kiosk.platform.sandbox.context import Outcome, SandboxContext, idempotent, problem, terminal
from kiosk.platform.sandbox.guidance_casework import SCHEMA, GuidanceCasework, Problem
from kiosk.platform.sandbox.resume_pdf import ResumePdfError, render_resume_pdf
from kiosk.platform.sandbox.store import Store

__all__ = ["SCHEMA", "casework", "router"]
TOKEN = r"^[A-Za-z0-9_-]{22}$"
_CASEWORK: WeakKeyDictionary[Store, GuidanceCasework] = WeakKeyDictionary()


def casework(store: Store, salt: str = "") -> GuidanceCasework:
    """The store's guidance casework (made on first use)."""
    found = _CASEWORK.get(store)
    if found is None:
        found = _CASEWORK[store] = GuidanceCasework(store, salt or store.meta("lookup_salt"))
    return found


def _answer(result: tuple[int, dict[str, object]] | Problem) -> Outcome:
    if len(result) == 3:
        status, code, detail = result
        return problem(status, code, detail)
    return result


def _json(outcome: Outcome) -> JSONResponse:
    return outcome if isinstance(outcome, JSONResponse) else JSONResponse(
        outcome[1], status_code=outcome[0])


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    work = casework(ctx.store, ctx.salt)

    @api.get("/v1/guidance/slots")
    async def list_slots(if_none_match: str | None = Header(default=None)) -> Response:
        now = work.clock()
        etag, stamp = work.etag(now), iso(now)
        headers = {"ETag": etag, "X-Server-Time": stamp, "Cache-Control": "no-cache"}
        match = [t.strip().removeprefix("W/") for t in (if_none_match or "").split(",")]
        if etag in match or "*" in match:
            return Response(status_code=304, headers=headers)
        body = {"items": [slot_to_wire(s) for s in work.slots(now)], "server_time": stamp}
        return JSONResponse(body, headers=headers)

    @api.post("/v1/guidance/slots/{slot_id}/bookings")
    async def book(request: Request, body: GuidanceBookingRequest,
                   slot_id: str = Path(pattern=SLOT_ID)) -> JSONResponse:
        return idempotent(ctx, request, True, lambda: _answer(
            work.book(slot_id, body, terminal(request), work.clock())))

    @api.get("/v1/guidance/bookings")
    async def bookings(id_number_hash: str = Query(pattern=HASH)) -> JSONResponse:
        return JSONResponse({"items": work.bookings_of(id_number_hash, work.clock())})

    @api.post("/v1/guidance/bookings/{booking_no}/cancellation")
    async def cancel(request: Request, body: GuidanceCancelRequest,
                     booking_no: str = Path(pattern=BOOKING_NO)) -> JSONResponse:
        return idempotent(ctx, request, False, lambda: _answer(
            work.cancel(booking_no, body.id_number_hash, work.clock())))

    @api.post("/v1/resumes")
    async def share(request: Request, body: ResumeShareRequest) -> JSONResponse:
        base = str(request.base_url).rstrip("/")
        return idempotent(ctx, request, False, lambda: work.share_resume(
            body, terminal(request), base, work.clock()))

    @api.get("/resumes/{token}.pdf", response_model=None)
    async def resume_pdf(token: str) -> Response:
        """The phone's link (unsigned). Unknown or expired: a short Chinese page, 404."""
        found = work.shared_resume(token, work.clock()) if _is_token(token) else None
        if found is None:
            return HTMLResponse("<!doctype html><meta charset=utf-8><title>简历</title>"
                                "<p>链接已过期或不存在（简历链接24小时内有效）。</p>", status_code=404)
        try:
            pdf = render_resume_pdf(found)
        except ResumePdfError as exc:
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{exc.message_zh}</p>",
                                status_code=503)
        return Response(pdf, media_type="application/pdf",
                        headers={"Cache-Control": "no-store",
                                 "Content-Disposition": 'inline; filename="resume.pdf"'})

    return api


def _is_token(token: str) -> bool:
    import re

    return re.fullmatch(TOKEN, token) is not None
