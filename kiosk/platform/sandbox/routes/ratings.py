"""``POST /v1/ratings``: 政务服务"好差评" ratings of finished transactions, and the work orders a
差评 becomes (issue 21; ``employment-services.md`` §8).

A rating names its transaction by the platform's number: a registration (``REG-…``), a
referral id, an assistance ticket (``TKT-…``), an application, a fair sign-up, an employer
posting or a gig sign-up this sandbox issued. Unknown number: 404
``transaction_not_found`` (the kiosk drops such a rating from its outbox). One rating per
transaction: a second one is 409 ``rating_exists`` (an outbox resend with the same
``Idempotency-Key`` is replayed instead, as for every write).

Levels 1–2 (不满意 / 非常不满意) open a work order (核实—整改—反馈) with ``reply_due`` =
:data:`REPLY_WORKING_DAYS` working days (Monday–Friday, China Standard Time; public holidays
not counted) after the rating. The Guangdong deadline (GDZW 0059—2022) was not readable
**(unclear)**; 5 working days is the 德州 rule, 四川 allows 15: :func:`router` takes it.

``GET /_sandbox/work-orders`` (``X-Sandbox-Token``, not part of the platform contract) lists the
work orders with their deadlines for demos and tests.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kiosk.domain.china_time import CHINA_TZ
from kiosk.platform.wire_formats import iso
from kiosk.platform.sandbox.context import (Outcome, SandboxContext, idempotent, parse_rfc3339,
                                            problem, terminal)
from kiosk.platform.sandbox.routes.admin import TOKEN_HEADER
from kiosk.platform.submissions import RatingRequest

REPLY_WORKING_DAYS = 5
BAD_LEVELS = frozenset({1, 2})
LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS ratings (
    rating_id TEXT PRIMARY KEY, transaction_no TEXT UNIQUE NOT NULL, transaction_kind TEXT,
    terminal_id TEXT, level INTEGER, reasons TEXT, content_version TEXT, completed_at TEXT,
    rated_at TEXT, received_at TEXT);
CREATE TABLE IF NOT EXISTS work_orders (
    work_order_no TEXT PRIMARY KEY, rating_id TEXT NOT NULL, transaction_no TEXT NOT NULL,
    terminal_id TEXT, level INTEGER, reasons TEXT, created_at TEXT, reply_due TEXT,
    status TEXT NOT NULL DEFAULT 'open');
"""

#: (table, column) of every number a rating may name.
TRANSACTION_NUMBERS = (("registrations", "registration_no"), ("referrals", "referral_id"),
                       ("tickets", "ticket_no"), ("applications", "application_no"),
                       ("fair_signups", "signup_id"), ("postings", "posting_no"),
                       ("signups", "signup_no"), ("guidance_bookings", "booking_no"))


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` plus ``days`` working days (Mon–Fri in China Standard Time), same clock time."""
    local = start.astimezone(CHINA_TZ)
    left = days
    while left > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            left -= 1
    return local


def router(ctx: SandboxContext, reply_working_days: int = REPLY_WORKING_DAYS) -> APIRouter:
    api = APIRouter()
    store = ctx.store

    def known(number: str) -> bool:
        with store.lock:
            tables = {row[0] for row in store.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            return any(store.db.execute(f"SELECT 1 FROM {table} WHERE {column} = ?",
                                        (number,)).fetchone()
                       for table, column in TRANSACTION_NUMBERS if table in tables)

    def next_no(prefix: str, request: Request) -> str:
        division = store.station(terminal(request)).get("division_code", "") or "440000"
        key = f"seq_{prefix}"
        n = int(store.meta(key, "0")) + 1
        store.set_meta(key, str(n))
        return f"{prefix}-{division}-{n:06d}"

    @api.post("/v1/ratings")
    async def rate(request: Request, body: RatingRequest) -> JSONResponse:
        def apply() -> Outcome:
            bad = []
            times: dict[str, datetime] = {}
            for name in ("completed_at", "rated_at"):
                try:
                    times[name] = parse_rfc3339(getattr(body, name))
                except ValueError:
                    bad.append(f"body.{name}")
            if bad:
                return problem(422, "invalid_request", "not an RFC 3339 date-time", errors=bad)
            if not known(body.transaction_no):
                return problem(404, "transaction_not_found",
                               "no transaction (registration, referral, ticket, application, "
                               "sign-up or posting) with this number")
            with store.lock:
                if store.db.execute("SELECT 1 FROM ratings WHERE transaction_no = ?",
                                    (body.transaction_no,)).fetchone():
                    return problem(409, "rating_exists", "this transaction was rated already")
                now = store.stamp()
                rating_id = next_no("RT", request)
                reasons = ",".join(body.reasons)
                store.db.execute("INSERT INTO ratings VALUES (?,?,?,?,?,?,?,?,?,?)",
                                 (rating_id, body.transaction_no, body.transaction_kind,
                                  terminal(request), body.level, reasons, body.content_version,
                                  iso(times["completed_at"]), iso(times["rated_at"]), now))
                work_order = None
                if body.level in BAD_LEVELS:
                    due = iso(add_working_days(parse_rfc3339(now), reply_working_days))
                    work_order = {"work_order_no": next_no("WO", request), "status": "open",
                                  "reply_due": due}
                    store.db.execute("INSERT INTO work_orders VALUES (?,?,?,?,?,?,?,?,'open')",
                                     (work_order["work_order_no"], rating_id, body.transaction_no,
                                      terminal(request), body.level, reasons, now, due))
            return 201, {"rating_id": rating_id, "transaction_no": body.transaction_no,
                         "level": body.level, "status": "recorded", "work_order": work_order}
        return idempotent(ctx, request, True, apply)

    @api.get("/_sandbox/work-orders")
    async def work_orders(request: Request) -> Response:
        given = request.headers.get(TOKEN_HEADER, "")
        if not (given and hmac.compare_digest(given.encode(), ctx.admin_token.encode())):
            return problem(401, "sandbox_token_invalid",
                           f"{TOKEN_HEADER} is missing or wrong (see <data_dir>/sandbox.token)")
        return JSONResponse({"items": list_work_orders(ctx)})

    return api


def list_work_orders(ctx: SandboxContext) -> list[dict[str, Any]]:
    """Every work order, oldest first, with its rating's level label and reasons."""
    with ctx.store.lock:
        cur = ctx.store.db.execute(
            "SELECT work_order_no, rating_id, transaction_no, terminal_id, level, reasons, "
            "created_at, reply_due, status FROM work_orders ORDER BY created_at")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        row["label"] = LABELS[row["level"]]
        row["reasons"] = [r for r in row["reasons"].split(",") if r]
    return rows
