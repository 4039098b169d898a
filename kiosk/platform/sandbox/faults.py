"""Fault injection for the sandbox platform, switchable at run time.

:class:`Faults` holds the switches (set them from Python, or ``PUT /_sandbox/faults`` with a
JSON object of the same names and the ``X-Sandbox-Token`` header, as ``kiosk sandbox faults``
does); :class:`FaultInjector` is the outermost ASGI middleware and applies them to ``/v1/*``
requests only (never to ``/_sandbox`` or ``/verify``), in this order:

1. ``down``: every request fails like a dead server: the connection is closed without an answer
   (the client sees a connection error, never an HTTP status).
2. ``latency_ms``: the request waits this long before it is handled (pushes past read timeouts).
3. ``error_rate``: this fraction is answered ``error_status`` (default 503) with a problem body
   and ``Retry-After: retry_after_s`` *before* authentication, as a gateway would, so the
   request's nonce is not consumed and an idempotent retry with the same signature is accepted.
4. ``drop_rate``: this fraction is handled and then the connection is cut after the status line
   (a write is applied, its answer lost: the outbox case).
5. ``malformed_rate``: this fraction is handled and answered 200 with a truncated JSON body.

``arrivals`` counts every ``/v1`` request that reached the server, by (method, path), before any
fault: tests use it to see how often a client retried. Draws come from one
:class:`random.Random` (``seed`` makes a run reproducible).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
import random
import threading
from dataclasses import dataclass, field, fields
from typing import Any
from collections.abc import Awaitable, Callable

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ConnectionDropped(Exception):
    """Raised inside the ASGI app after the response start to make the server cut the connection."""


@dataclass
class Faults:
    """The fault switches (rates are fractions 0.0–1.0 of requests; times in ms / s)."""
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    retry_after_s: int = 0
    drop_rate: float = 0.0
    malformed_rate: float = 0.0
    down: bool = False
    seed: int | None = None
    arrivals: Counter[tuple[str, str]] = field(default_factory=Counter, repr=False, compare=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def update(self, **changes: Any) -> None:
        """Set several switches at once; unknown names or out-of-range values raise ValueError."""
        known = set(self.as_dict())
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown fault switch {name!r} (known: {', '.join(sorted(known))})")
            if name.endswith("_rate") and not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be between 0.0 and 1.0")
            if name in ("latency_ms", "retry_after_s") and int(value) < 0:
                raise ValueError(f"{name} must be 0 or more")
            if name == "error_status" and not 400 <= int(value) <= 599:
                raise ValueError("error_status must be an HTTP error status")
        with self._lock:
            for name, value in changes.items():
                setattr(self, name, value)
            if "seed" in changes:
                self._rng.seed(changes["seed"])

    def reset(self) -> None:
        """All switches off."""
        self.update(latency_ms=0, error_rate=0.0, error_status=503, retry_after_s=0,
                    drop_rate=0.0, malformed_rate=0.0, down=False)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if not f.name.startswith("_") and f.name != "arrivals"}

    def draw(self, rate: float) -> bool:
        if rate <= 0.0:
            return False
        with self._lock:
            return self._rng.random() < rate


def _problem_bytes(status: int, code: str, detail: str) -> bytes:
    return json.dumps({"type": f"urn:gd-kiosk:problem:{code}", "title": code.replace("_", " "),
                       "status": status, "detail": detail, "code": code}).encode()


class FaultInjector:
    """ASGI middleware applying :class:`Faults` to ``/v1`` requests."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        f = self.faults
        with f._lock:
            f.arrivals[(scope["method"], scope["path"])] += 1
        if f.down:
            await self._cut(send)
        if f.latency_ms:
            await asyncio.sleep(f.latency_ms / 1000.0)
        if f.draw(f.error_rate):
            body = _problem_bytes(f.error_status, "injected_error", "sandbox fault: error_rate")
            headers = [(b"content-type", b"application/problem+json"),
                       (b"content-length", str(len(body)).encode()),
                       (b"retry-after", str(f.retry_after_s).encode())]
            await send({"type": "http.response.start", "status": f.error_status,
                        "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        drop = f.draw(f.drop_rate)
        malformed = not drop and f.draw(f.malformed_rate)
        if not (drop or malformed):
            await self.app(scope, receive, send)
            return

        async def intercept(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                if drop:
                    await self._cut(send)
                body = b'{"items": [{"identifier": "trunc'
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
            # the real body is swallowed

        await self.app(scope, receive, intercept)

    @staticmethod
    async def _cut(send: Send) -> None:
        """Promise a body, send none and abort: the server closes the socket mid-response."""
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", b"1048576")]})
        raise ConnectionDropped("sandbox fault: connection dropped")
