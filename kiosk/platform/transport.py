"""The HTTP transport under :class:`~kiosk.platform.client.PlatformClient`: one
:class:`requests.Session` with urllib3 :class:`Retry` (GET/HEAD only) and the HMAC signature,
and what a transport failure becomes.

A module of its own so that building the client at start-up does not import requests and
urllib3 (part of the ~180 ms that :mod:`kiosk.deferred_import` names, issue 23): the client
opens its session on its first request (:meth:`PlatformClient.session`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import (ConnectTimeoutError, MaxRetryError, ReadTimeoutError,
                                ResponseError)
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from kiosk.platform.errors import PlatformUnavailable
from kiosk.platform.signing import sign_headers

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD"})
RETRY_STATUSES = (429, 502, 503, 504)


class IdempotentOnlyRetry(Retry):
    """A urllib3 Retry that gives up at once for any method outside ``allowed_methods``.

    Plain ``Retry`` re-sends any method after a *connect* error; this one never re-sends a POST.
    """

    def increment(self, method: str | None = None, url: str | None = None,
                  response: BaseHTTPResponse | None = None, error: Exception | None = None,
                  _pool: ConnectionPool | None = None,
                  _stacktrace: TracebackType | None = None) -> Self:
        if method is not None and method.upper() not in (self.allowed_methods or ()):
            raise MaxRetryError(cast(ConnectionPool, _pool), url or "",
                                error or ResponseError("POST is never retried"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


class HmacAuth(requests.auth.AuthBase):
    """Adds the ``X-Kiosk-*`` signature headers (:mod:`kiosk.platform.signing`, a fresh nonce
    per request) to a prepared request; ``now()`` is the signing time in Unix seconds (the
    client's clock plus its ``clock_offset_s``)."""

    def __init__(self, terminal_id: str, secret: bytes,
                 now: Callable[[], float] = time.time) -> None:
        self.terminal_id = terminal_id
        self.secret = secret
        self.now = now

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        parts = urlsplit(r.url or "")
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(body, bytes):
            raise TypeError("a streamed request body cannot be signed (send bytes)")
        r.headers.update(sign_headers(self.terminal_id, self.secret, r.method or "GET",
                                      parts.path, parts.query, body, now=self.now()))
        return r


class _NoAuth(requests.auth.AuthBase):
    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        return r


NO_AUTH = _NoAuth()


def open_session(auth: HmacAuth, verify: bool | str, user_agent: str, *, retries: int,
                 backoff_factor: float, retry_after_max_s: int, pool_maxsize: int
                 ) -> requests.Session:
    """The client's session: signed by ``auth``, TLS ``verify`` (True, False or a CA bundle
    path), no proxies or netrc from the environment, GET/HEAD retried ``retries`` times on
    429/502/503/504 (connect failures ``min(retries, 2)`` times; ``Retry-After`` honoured up to
    ``retry_after_max_s`` s, else ``backoff_factor`` × 2^n s), POST never."""
    session = requests.Session()
    session.verify = verify
    session.auth = auth
    session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
    session.trust_env = False           # no proxy/netrc surprises on a kiosk
    retry = IdempotentOnlyRetry(
        total=retries, connect=min(retries, 2), read=0, other=0, redirect=0, status=retries,
        status_forcelist=RETRY_STATUSES, allowed_methods=IDEMPOTENT_METHODS,
        backoff_factor=backoff_factor, respect_retry_after_header=True,
        retry_after_max=retry_after_max_s, raise_on_status=False, raise_on_redirect=False)
    adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=pool_maxsize)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def send(session: requests.Session, method: str, url: str, what: str, *,
         params: Mapping[str, Any] | None, data: bytes | None, headers: Mapping[str, str],
         timeout: tuple[float, float], signed: bool) -> requests.Response:
    """One request (redirects not followed; ``timeout`` = (connect, read) seconds), any status.

    Raises:
        PlatformUnavailable: TLS verification failed, or no answer (refused, reset, timed out:
            ``what`` and the cause in the message, never a body).
    """
    try:
        return session.request(method, url, params=params, data=data, headers=headers,
                               timeout=timeout, allow_redirects=False,
                               auth=None if signed else NO_AUTH)
    except requests.exceptions.SSLError as exc:
        raise PlatformUnavailable(f"TLS verification failed for {what}") from exc
    except requests.RequestException as exc:
        raise PlatformUnavailable(f"no answer to {what}: {cause(exc)}") from exc


def cause(exc: requests.RequestException) -> str:
    """"timeout (read)", "timeout (connect)", "connection refused/reset/dropped" …, for messages."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    if isinstance(exc, requests.exceptions.ConnectTimeout) or isinstance(reason, ConnectTimeoutError):
        return "timeout (connect)"
    if isinstance(exc, requests.exceptions.ReadTimeout) or isinstance(reason, ReadTimeoutError):
        return "timeout (read)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection dropped mid-response"
    return f"{exc.__class__.__name__} ({reason.__class__.__name__})"


def problem(resp: requests.Response) -> tuple[str, str]:
    """(code, detail) of an RFC 9457 body, or ("http_<status>", "") when there is none."""
    try:
        body = resp.json()
    except ValueError:
        return f"http_{resp.status_code}", ""
    if not isinstance(body, dict):
        return f"http_{resp.status_code}", ""
    return str(body.get("code") or f"http_{resp.status_code}"), str(body.get("detail") or "")
