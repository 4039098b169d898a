"""The sandbox platform's HTTP application (FastAPI), implementing ``docs/openapi.yaml``.

:func:`build_sandbox` opens the SQLite store and returns a :class:`SandboxPlatform` whose
``asgi`` is the full stack: :class:`~.faults.FaultInjector` → :class:`~.auth.SignatureAuth` →
FastAPI routes, one router per resource (:data:`~.routes.ROUTE_MODULES`). Every error is
RFC 9457 ``application/problem+json`` with a ``code``; validation errors list field paths only
(never the submitted values: they may be personal data). Writes honour ``Idempotency-Key``
(:func:`~.context.idempotent`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk import __version__
from kiosk.platform.sandbox.auth import SignatureAuth
from kiosk.platform.sandbox.casework import Casework
from kiosk.platform.sandbox.context import (PROBLEM_JSON, SandboxContext, problem,
                                            refuse_unknown_query)
from kiosk.platform.sandbox.faults import ASGIApp, FaultInjector, Faults
from kiosk.platform.sandbox.routes import ROUTE_MODULES
from kiosk.platform.sandbox.store import Store

__all__ = ["PROBLEM_JSON", "SandboxPlatform", "build_sandbox", "problem"]


@dataclass
class SandboxPlatform:
    """The sandbox: its store, casework, fault switches, admin token and the ASGI app."""
    store: Store
    casework: Casework
    faults: Faults
    asgi: ASGIApp
    api: FastAPI
    admin_token: str
    routers: list[APIRouter]

    def operations(self) -> set[tuple[str, str]]:
        """Every (METHOD, path template) the sandbox serves, e.g. ``("GET", "/v1/station")``."""
        return {(method, route.path) for router in self.routers for route in router.routes
                if isinstance(route, APIRoute) for method in route.methods or ()}


def build_sandbox(db_path: str | Path = ":memory:", admin_token: str | None = None
                  ) -> SandboxPlatform:
    """Open (or create) the store at ``db_path`` and assemble the application.

    Args:
        admin_token: the ``X-Sandbox-Token`` the ``/_sandbox/*`` endpoints require; a random
            one when omitted (read it from ``SandboxPlatform.admin_token``).
    """
    store = Store(db_path)
    salt = store.meta("lookup_salt")
    if not salt:
        salt = secrets.token_hex(16)
        store.set_meta("lookup_salt", salt)
    casework = Casework(store, salt)
    faults = Faults()
    ctx = SandboxContext(store, casework, faults, salt, admin_token or secrets.token_urlsafe(24))
    api, routers = _application(ctx)
    return SandboxPlatform(store, casework, faults, FaultInjector(SignatureAuth(cast(ASGIApp, api), store), faults),
                           api, ctx.admin_token, routers)


def _application(ctx: SandboxContext) -> tuple[FastAPI, list[APIRouter]]:
    api = FastAPI(title="就业驿站 kiosk platform API (sandbox)", version=__version__,
                  docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(refuse_unknown_query)])

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [".".join(str(p) for p in e["loc"]) for e in exc.errors()]
        return problem(422, "invalid_request", "fields do not match the contract: "
                       + ", ".join(fields), errors=fields)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "invalid_request", 404: "not_found",
                405: "method_not_allowed"}.get(exc.status_code, "http_error")
        response = problem(exc.status_code, code, str(exc.detail))
        response.headers.update(exc.headers or {})      # 405 keeps its Allow (RFC 9110 §15.5.6)
        if exc.status_code == 405:
            # Starlette names only the first route of the path; a path served by two routes
            # (GET and POST /v1/applications, /v1/employer-postings) must list both.
            allowed = sorted({m for router in routers for r in router.routes
                              if isinstance(r, APIRoute) and r.path_regex.match(request.url.path)
                              for m in r.methods or ()})
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        return response

    routers: list[APIRouter] = []
    for module in ROUTE_MODULES:
        schema = getattr(module, "SCHEMA", "")
        if schema:
            with ctx.store.lock:
                ctx.store.db.executescript(schema)
        routers.append(module.router(ctx))
        api.include_router(routers[-1])
    return api, routers
