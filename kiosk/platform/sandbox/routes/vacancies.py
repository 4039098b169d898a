"""``GET /v1/vacancies`` (delta sync, ETag) and ``GET /v1/vacancies/{vacancy_id}``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from kiosk.platform.models import vacancy_to_wire
from kiosk.platform.sandbox.context import SandboxContext, parse_rfc3339, problem
from kiosk.platform.sandbox.store import VacancyQuery

DEFAULT_PAGE = 200
MAX_PAGE = 1000
EmploymentType = Literal["FULL_TIME", "PART_TIME", "TEMPORARY", "INTERN"]


def router(ctx: SandboxContext) -> APIRouter:
    api = APIRouter()
    store = ctx.store

    @api.get("/v1/vacancies")
    async def vacancies(request: Request, updated_since: str | None = None,
                        cursor: str | None = None,
                        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
                        division_code: str = Query("", pattern=r"^\d{2,12}$"),
                        occupation_code: str = Query("", max_length=32),
                        education_code: str = Query("", pattern=r"^\d{2}$"),
                        employment_type: EmploymentType | None = None,
                        public_welfare: bool | None = None, internship: bool | None = None,
                        q: str = Query("", max_length=100)) -> Response:
        query = VacancyQuery(division_code, occupation_code, education_code,
                             employment_type or "", public_welfare, internship, q)
        try:
            since = parse_rfc3339(updated_since) if updated_since is not None else None
        except ValueError:
            return problem(422, "invalid_request", "updated_since is not an RFC 3339 date-time",
                           errors=["query.updated_since"])
        etag = store.etag(query)
        match = [t.strip().removeprefix("W/") for t in
                 request.headers.get("if-none-match", "").split(",")]
        if not cursor and (etag in match or "*" in match):
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache",
                                                      "X-Server-Time": store.stamp()})
        try:
            items, deleted, next_cursor, server_time = store.vacancy_page(
                query, since.isoformat() if since else None, cursor, limit)
        except ValueError:
            return problem(400, "invalid_sync_position", "cursor is not one this server made")
        body = {"items": [vacancy_to_wire(v) for v in items], "deleted_ids": deleted,
                "next_cursor": next_cursor, "server_time": server_time}
        return JSONResponse(body, headers={"ETag": etag, "Cache-Control": "no-cache",
                                           "X-Server-Time": server_time})

    @api.get("/v1/vacancies/{vacancy_id}")
    async def vacancy(vacancy_id: str = Path(max_length=64)) -> Response:
        found = store.vacancy(vacancy_id)
        if found is None:
            return problem(404, "vacancy_not_found", "no open vacancy with this id")
        return JSONResponse(vacancy_to_wire(found))

    return api
