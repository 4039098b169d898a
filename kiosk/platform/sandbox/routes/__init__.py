"""The sandbox's routers, one module per resource of ``docs/openapi.yaml``.

Adding an endpoint (see ``docs/platform.md``, "How to add an endpoint"): write
``routes/<resource>.py`` with ``router(ctx: SandboxContext) -> APIRouter`` (and, if it keeps
records, a ``SCHEMA`` of ``CREATE TABLE IF NOT EXISTS`` statements run on the store at start),
add the module to :data:`ROUTE_MODULES`, and describe the operation in ``docs/openapi.yaml``:
``tests/contract`` then drives it with schemathesis without further changes.
"""

from __future__ import annotations

from types import ModuleType

from kiosk.platform.sandbox.routes import (admin, applications, assistance, content, devices, eid,
                                           fairs, guidance,
                                           postings,
                                           jobseekers, ratings, referrals, station,
                                           text_handoffs, vacancies, verify)

#: Every router module, in the order they are mounted.
ROUTE_MODULES: tuple[ModuleType, ...] = (station, vacancies, jobseekers, referrals, content,
                                         assistance, applications, devices, ratings, fairs, guidance, eid, postings,
                                         text_handoffs,
                                         verify,
                                         admin)

__all__ = ["ROUTE_MODULES"]
