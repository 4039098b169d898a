"""The sandbox platform's HTTP application (FastAPI), implementing ``docs/openapi.yaml``.

:func:`build_sandbox` opens the SQLite store and returns a :class:`SandboxPlatform` whose
``asgi`` is the full stack: :class:`~.faults.FaultInjector` → :class:`~.auth.SignatureAuth` →
FastAPI routes. Every error is RFC 9457 ``application/problem+json`` with a ``code``;
validation errors list field paths only (never the submitted values: they may be personal data).
Writes honour ``Idempotency-Key`` (required for registrations, referrals and assistance
requests): the first request with a key is applied, repeats get the same status and body back
with ``Idempotent-Replayed: true``; the same key with a different body is 409
``idempotency_key_conflict``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk import __version__
from kiosk.platform.models import vacancy_to_wire
from kiosk.platform.sandbox.auth import SignatureAuth
from kiosk.platform.sandbox.casework import Casework
from kiosk.platform.sandbox.faults import ASGIApp, FaultInjector, Faults
from kiosk.platform.sandbox.store import Store, VacancyQuery, parse_iso
from kiosk.platform.sandbox.verify import verify_router
from kiosk.platform.submissions import (AssistanceRequest, HeartbeatRequest, ReferralRequest,
                                        RegistrationRequest)

PROBLEM_JSON = "application/problem+json"
DEFAULT_PAGE = 200
MAX_PAGE = 1000


def problem(status: int, code: str, detail: str = "", **extra: Any) -> JSONResponse:
    """An RFC 9457 problem response (``type`` is ``urn:gd-kiosk:problem:<code>``)."""
    body = {"type": f"urn:gd-kiosk:problem:{code}", "title": code.replace("_", " "),
            "status": status, "detail": detail, "code": code, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


@dataclass
class SandboxPlatform:
    """The sandbox: its store, casework, fault switches and the ASGI app to serve."""
    store: Store
    casework: Casework
    faults: Faults
    asgi: ASGIApp
    api: FastAPI


def build_sandbox(db_path: str | Path = ":memory:") -> SandboxPlatform:
    """Open (or create) the store at ``db_path`` and assemble the application."""
    store = Store(db_path)
    salt = store.meta("lookup_salt")
    if not salt:
        salt = secrets.token_hex(16)
        store.set_meta("lookup_salt", salt)
    casework = Casework(store, salt)
    faults = Faults()
    api = _routes(store, casework, faults, salt)
    return SandboxPlatform(store, casework, faults, FaultInjector(SignatureAuth(api, store), faults),
                           api)


def _routes(store: Store, casework: Casework, faults: Faults, salt: str) -> FastAPI:
    api = FastAPI(title="就业驿站 kiosk platform API (sandbox)", version=__version__,
                  docs_url=None, redoc_url=None, openapi_url=None)
    api.include_router(verify_router(store, casework))

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [".".join(str(p) for p in e["loc"]) for e in exc.errors()]
        return problem(422, "invalid_request", "fields do not match the contract: "
                       + ", ".join(fields), errors=fields)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem(exc.status_code, code, str(exc.detail))

    def terminal(request: Request) -> str:
        return request.state.terminal_id

    def station_of(request: Request) -> dict[str, Any]:
        return store.station(terminal(request))

    def idempotent(request: Request, required: bool,
                   apply: Callable[[], tuple[int, dict[str, Any]] | JSONResponse]) -> JSONResponse:
        key = request.headers.get("idempotency-key", "")
        if required and not key:
            return problem(400, "idempotency_key_missing", "Idempotency-Key header is required")
        if len(key) > 255:
            return problem(400, "idempotency_key_invalid", "Idempotency-Key over 255 characters")
        with store.lock:
            if key:
                try:
                    prior = store.idempotent_reply(terminal(request), key, request.state.body_digest)
                except ValueError:
                    return problem(409, "idempotency_key_conflict",
                                   "this Idempotency-Key was used with a different body")
                if prior is not None:
                    status, body = prior
                    media = PROBLEM_JSON if status >= 400 else "application/json"
                    return JSONResponse(body, status_code=status, media_type=media,
                                        headers={"Idempotent-Replayed": "true"})
            outcome = apply()
            if isinstance(outcome, JSONResponse):
                status, body = outcome.status_code, _json(outcome)
                response = outcome
            else:
                status, body = outcome
                response = JSONResponse(body, status_code=status)
            if key and status < 500:
                store.remember_reply(terminal(request), key, request.state.body_digest, status, body)
        return response

    @api.get("/v1/ping")
    async def ping() -> dict[str, str]:
        return {"server_time": store.stamp()}

    @api.get("/v1/station")
    async def station(request: Request) -> dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        return {**station_of(request), "terminal_id": terminal(request),
                "verify_url_template": base + "/verify/{referral_id}",
                "lookup_salt": salt, "server_time": store.stamp()}

    @api.get("/v1/vacancies")
    async def vacancies(request: Request, updated_since: str | None = None,
                        cursor: str | None = None,
                        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
                        division_code: str = "", occupation_code: str = "",
                        education_code: str = "", employment_type: str = "",
                        public_welfare: bool | None = None, internship: bool | None = None,
                        q: str = "") -> Response:
        query = VacancyQuery(division_code, occupation_code, education_code, employment_type,
                             public_welfare, internship, q)
        etag = store.etag(query)
        match = [t.strip().removeprefix("W/") for t in
                 request.headers.get("if-none-match", "").split(",")]
        if not cursor and (etag in match or "*" in match):
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache",
                                                      "X-Server-Time": store.stamp()})
        try:
            if updated_since:
                parse_iso(updated_since)
            items, deleted, next_cursor, server_time = store.vacancy_page(
                query, updated_since, cursor, limit)
        except ValueError:
            return problem(400, "invalid_sync_position", "updated_since or cursor is not valid")
        body = {"items": [vacancy_to_wire(v) for v in items], "deleted_ids": deleted,
                "next_cursor": next_cursor, "server_time": server_time}
        return JSONResponse(body, headers={"ETag": etag, "Cache-Control": "no-cache",
                                           "X-Server-Time": server_time})

    @api.get("/v1/vacancies/{vacancy_id}")
    async def vacancy(vacancy_id: str) -> Response:
        found = store.vacancy(vacancy_id)
        if found is None:
            return problem(404, "vacancy_not_found", "no open vacancy with this id")
        return JSONResponse(vacancy_to_wire(found))

    @api.get("/v1/jobseekers/lookup")
    async def lookup(id_number_hash: str = Query(pattern=r"^[0-9a-f]{64}$")) -> dict[str, Any]:
        return casework.lookup(id_number_hash)

    @api.post("/v1/jobseekers/registrations")
    async def register(request: Request, body: RegistrationRequest) -> JSONResponse:
        division = station_of(request).get("division_code", "")
        return idempotent(request, True,
                          lambda: casework.register(terminal(request), division, body))

    @api.post("/v1/referrals")
    async def refer(request: Request, body: ReferralRequest) -> JSONResponse:
        base = str(request.base_url).rstrip("/")

        def apply() -> tuple[int, dict[str, Any]] | JSONResponse:
            if not body.referral_id.startswith(terminal(request) + "-"):
                return problem(422, "referral_id_foreign",
                               "referral_id must start with this terminal's id")
            if store.vacancy(body.vacancy_id) is None:
                return problem(404, "vacancy_not_found", "no open vacancy with this id")
            if casework.referral(body.referral_id) is not None:
                return problem(409, "referral_exists", "this referral_id was already received")
            try:
                parse_iso(body.issued_at)
            except ValueError:
                return problem(422, "invalid_request", "issued_at is not ISO 8601",
                               errors=["body.issued_at"])
            return casework.create_referral(terminal(request), body,
                                            f"{base}/verify/{body.referral_id}")
        return idempotent(request, True, apply)

    @api.get("/v1/referrals/{referral_id}")
    async def referral(referral_id: str) -> Response:
        view = casework.referral(referral_id)
        if view is None:
            return problem(404, "referral_not_found", "no referral with this id was received")
        return JSONResponse({"referral_id": view.referral_id, "vacancy_id": view.vacancy_id,
                             "status": view.status, "issued_at": view.issued_at,
                             "valid_until": view.valid_until, "confirmed_at": view.confirmed_at,
                             "hired": view.hired})

    @api.get("/v1/policies")
    async def policies() -> dict[str, Any]:
        return {"items": store.content("policies")}

    @api.get("/v1/courses")
    async def courses() -> dict[str, Any]:
        return {"items": store.content("courses")}

    @api.post("/v1/assistance-requests")
    async def assistance(request: Request, body: AssistanceRequest) -> JSONResponse:
        division = station_of(request).get("division_code", "")
        return idempotent(request, True,
                          lambda: casework.create_ticket(terminal(request), division, body))

    @api.post("/v1/devices/heartbeat")
    async def heartbeat(request: Request, body: HeartbeatRequest) -> JSONResponse:
        def apply() -> tuple[int, dict[str, Any]]:
            settings, notices = store.record_heartbeat(terminal(request), body.model_dump())
            return 200, {"server_time": store.stamp(), "settings": settings, "notices": notices}
        return idempotent(request, False, apply)

    # --- admin (loopback tooling: tests, demos; not part of the platform contract) ----------
    @api.get("/_sandbox/faults")
    async def get_faults() -> dict[str, Any]:
        return faults.as_dict()

    @api.put("/_sandbox/faults")
    async def put_faults(request: Request) -> Response:
        try:
            changes = await request.json()
            faults.update(**changes)
        except (ValueError, TypeError) as exc:
            return problem(400, "invalid_faults", str(exc))
        return JSONResponse(faults.as_dict())

    @api.post("/_sandbox/terminals/{terminal_id}/pending")
    async def queue(terminal_id: str, request: Request) -> Response:
        data = await request.json()
        if data.get("settings"):
            store.queue_settings(terminal_id, dict(data["settings"]))
        for text in data.get("notices", []):
            store.queue_notice(terminal_id, str(text))
        return Response(status_code=204)

    return api


def _json(response: JSONResponse) -> dict[str, Any]:
    return json.loads(bytes(response.body))
