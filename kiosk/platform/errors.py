"""Errors of the platform client: one root, :class:`PlatformError`, and its leaves.

Which leaf when (the client raises nothing else, always ``from`` the underlying exception):

* :class:`PlatformUnavailable`: no usable answer — DNS/connect failure, connect or read
  timeout, a dropped connection, or 429/5xx after the idempotent retries are spent. Writes that
  fail this way belong in the outbox and are sent again later with the same Idempotency-Key.

  * :class:`PlatformRetryAfter` (a :class:`PlatformUnavailable`): a 429 or 503 answer that
    says when to come back (``Retry-After``, RFC 9110 §10.2.3); ``retry_after_s`` carries the
    delay in seconds and the outbox waits at least that long.
* :class:`PlatformAuthError`: 401/403 — bad signature, clock skew over 300 s, reused nonce,
  unknown terminal. Retrying the same request will not help; fix the secret or the clock.
* :class:`PlatformRejected`: any other 4xx — the platform understood and refused the request
  (RFC 9457 problem ``code``: ``invalid_request``, ``vacancy_not_found`` …). Not retryable.
* :class:`PlatformBadResponse`: a 2xx/3xx whose body does not match ``docs/openapi.yaml``
  (not JSON, missing or mistyped fields), or an unexpected status.
"""

from __future__ import annotations


class PlatformError(Exception):
    """Root of every error raised by :mod:`kiosk.platform`."""


class PlatformUnavailable(PlatformError):
    """The platform could not be reached or did not answer usefully (network, timeout, 5xx, 429).

    Attributes:
        status: the HTTP status of the last answer, or ``None`` when there was no answer.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PlatformRetryAfter(PlatformUnavailable):
    """A 429 (too many requests) or 503 (overloaded, maintenance) with a ``Retry-After``.

    Attributes:
        status: 429 or 503.
        retry_after_s: seconds to wait before sending again (≥ 0; an HTTP-date is converted
            against the local clock).
    """

    def __init__(self, message: str, status: int, retry_after_s: float) -> None:
        super().__init__(message, status=status)
        self.retry_after_s = retry_after_s


class PlatformRejected(PlatformError):
    """The platform refused the request with a 4xx problem (RFC 9457).

    Attributes:
        status: HTTP status (400–499 except 401/403).
        code: the problem's machine code (``problem.code``), e.g. ``"vacancy_not_found"``.
        detail: the problem's human-readable ``detail`` (never contains personal data).
    """

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(f"platform rejected the request: {status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


class PlatformAuthError(PlatformError):
    """The platform refused the device's credentials (HTTP 401/403).

    Attributes:
        status: 401 or 403.
        code: ``signature_invalid``, ``timestamp_skew``, ``nonce_reused``, ``unknown_terminal``,
            ``credentials_missing`` or ``forbidden``.
    """

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(f"platform refused the device credentials: {status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


class PlatformBadResponse(PlatformError):
    """A response that does not match the contract (``docs/openapi.yaml``).

    Attributes:
        status: the HTTP status of the offending response.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


__all__ = ["PlatformError", "PlatformUnavailable", "PlatformRetryAfter", "PlatformRejected",
           "PlatformAuthError", "PlatformBadResponse"]
