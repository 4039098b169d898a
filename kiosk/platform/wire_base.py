"""The two base classes of every platform wire model (``docs/openapi.yaml``).

* :class:`WireResponse` — what the platform sends: frozen, unknown fields ignored (the platform
  may add fields before the kiosk knows them);
* :class:`WireRequest` — what the kiosk sends: frozen, unknown fields refused (a typo in the
  kiosk's own code is an error, not a silently dropped field).

Both defer building their validators until a model is first used (pydantic ``defer_build``):
building all ~90 wire models when their modules are imported cost the start-up worker ~40 ms
(``python -X importtime``: ``kiosk.platform.client`` 135 → 97 ms on 2 × AMD EPYC, 2026-12-02)
before any service button worked (issue 23); the first validation of a model now pays its own
build, about a millisecond. A model used as a default value (``ContactPoint()``) or the root
of ``ApplicationRequest`` is still built at import. The deferred build is thread-safe from
pydantic 2.14 (``model_rebuild`` under a lock, pydantic#13438): the card reader's, the outbox's
and the UI's threads may meet a model first at the same time.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class WireResponse(BaseModel):
    """Base of the models the platform answers with (frozen; extra fields ignored)."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)


class WireRequest(BaseModel):
    """Base of the models the kiosk sends (frozen; extra fields refused)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
