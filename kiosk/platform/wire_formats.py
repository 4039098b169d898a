"""The contract's plain value formats (``docs/openapi.yaml``), without the wire models: times
and the lookup hash.

Kept apart from :mod:`kiosk.platform.models` so that the services built at start-up need not
import pydantic and the ~90 wire models before any service button works (issue 23): those are
imported by the first request that sends or parses a body (with requests, ~180 ms of the
start-up worker on 2 × AMD EPYC, 2026-12-02: :mod:`kiosk.deferred_import`).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime


def iso(dt: datetime) -> str:
    """``2026-11-30T08:00:00.000000Z`` (UTC, microseconds): the contract's time format."""
    utc = dt.astimezone(UTC)
    return f"{utc.year:04d}" + utc.strftime("-%m-%dT%H:%M:%S.%fZ")   # %Y is not padded < 1000


def parse_iso(text: str) -> datetime:
    """An aware datetime from ISO 8601 (``Z`` or ``+08:00``; naive = UTC). Raises ValueError."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def id_number_hash(salt: str, id_number: str) -> str:
    """The lookup hash of the contract: lowercase hex SHA-256 of ``salt + "|" + ID number``.

    The ID number is stripped and upper-cased (a GB 11643 check character ``x`` becomes ``X``);
    ``salt`` is ``StationInfo.lookup_salt`` (per platform). Only this hash is put in a URL.
    """
    return hashlib.sha256(f"{salt}|{id_number.strip().upper()}".encode()).hexdigest()
