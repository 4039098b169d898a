"""What every sandbox router shares: the :class:`SandboxContext` and the HTTP helpers.

A route module (``kiosk/platform/sandbox/routes/<resource>.py``) gets the context, reads the
calling terminal from :func:`terminal` (set by :class:`~.auth.SignatureAuth`), answers errors
with :func:`problem` (RFC 9457, ``code`` listed in ``docs/openapi.yaml``) and wraps writes in
:func:`idempotent` (the contract's ``Idempotency-Key`` rules).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, UTC
from typing import Any
from collections.abc import Callable

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from kiosk.platform.sandbox.casework import Casework
from kiosk.platform.sandbox.faults import Faults
from kiosk.platform.sandbox.store import Store

PROBLEM_JSON = "application/problem+json"
MAX_IDEMPOTENCY_KEY = 255
# RFC 3339 §5.6 date-time (what OpenAPI's ``format: date-time`` means); ``t``/``z`` in any case.
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
                      r"([Zz]|[+-]\d{2}:\d{2})$")


@dataclass
class SandboxContext:
    """The sandbox's state, handed to every router factory.

    Attributes:
        store: the SQLite store (one connection, ``store.lock``).
        casework: registrations, referrals and tickets on the same connection.
        faults: the fault switches (``/_sandbox/faults``).
        salt: the platform's ``lookup_salt``.
        admin_token: the secret the ``/_sandbox/*`` endpoints require in ``X-Sandbox-Token``.
    """
    store: Store
    casework: Casework
    faults: Faults
    salt: str
    admin_token: str


def problem(status: int, code: str, detail: str = "", **extra: Any) -> JSONResponse:
    """An RFC 9457 problem response (``type`` is ``urn:gd-kiosk:problem:<code>``)."""
    body = {"type": f"urn:gd-kiosk:problem:{code}", "title": code.replace("_", " "),
            "status": status, "detail": detail, "code": code, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def refuse_unknown_query(request: Request) -> None:
    """App-wide dependency: a ``/v1`` query parameter the operation does not declare is 422
    ``invalid_request`` (as unknown body fields are), so a misspelt filter is not ignored.

    Raises:
        RequestValidationError: naming ``query.<parameter>``.
    """
    route = request.scope.get("route")
    if not request.url.path.startswith("/v1/") or not isinstance(route, APIRoute):
        return
    known = _query_names(route.dependant)
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        raise RequestValidationError([{"loc": ("query", name), "msg": "unknown parameter",
                                       "type": "extra_forbidden"} for name in unknown])


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def terminal(request: Request) -> str:
    """The terminal id the request was signed by."""
    return str(request.state.terminal_id)


def parse_rfc3339(text: str) -> datetime:
    """An aware datetime from an RFC 3339 date-time (OpenAPI ``format: date-time``).

    Fractions beyond microseconds are truncated; a leap second (``:60``) is refused.

    Raises:
        ValueError: not an RFC 3339 date-time, or not a real calendar time.
    """
    m = _RFC3339.match(text)
    if m is None:
        raise ValueError("not an RFC 3339 date-time")
    frac = (m.group(7) or ".0")[1:7].ljust(6, "0")
    zone = m.group(8).upper()
    offset = "+00:00" if zone == "Z" else zone
    dt = datetime.fromisoformat(f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}:"
                                f"{m.group(5)}:{m.group(6)}.{frac}{offset}")
    try:
        return dt.astimezone(UTC)
    except OverflowError as exc:             # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise ValueError("date-time out of range") from exc


Outcome = tuple[int, dict[str, Any]] | JSONResponse


def idempotent(ctx: SandboxContext, request: Request, required: bool,
               apply: Callable[[], Outcome]) -> JSONResponse:
    """Apply a write once per (terminal, ``Idempotency-Key``); replay the first answer after.

    400 ``idempotency_key_missing`` when ``required`` and absent, 400
    ``idempotency_key_invalid`` when empty or over 255 characters, 409 ``idempotency_key_conflict`` when
    the key was used with another body. Replays carry ``Idempotent-Replayed: true``.
    """
    store = ctx.store
    key = request.headers.get("idempotency-key")
    if key is None and required:
        return problem(400, "idempotency_key_missing", "Idempotency-Key header is required")
    if key is not None and not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        return problem(400, "idempotency_key_invalid", "Idempotency-Key must be 1-255 characters")
    key = key or ""
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
            status, body = outcome.status_code, json.loads(bytes(outcome.body))
            response = outcome
        else:
            status, body = outcome
            response = JSONResponse(body, status_code=status)
        if key and status < 500:
            store.remember_reply(terminal(request), key, request.state.body_digest, status, body)
    return response
