"""One clock for people: every time a jobseeker or technician reads (home screen, slips,
maintenance, CLI listings) is China Standard Time, in one format, whatever the machine's zone.

China Standard Time is ``Asia/Shanghai`` in the IANA time-zone database: UTC+8 all year (no
daylight saving since 1991, GB/T 7408 style local time). :data:`CHINA_TZ` is
``zoneinfo.ZoneInfo("Asia/Shanghai")`` when the system (Debian package ``tzdata``) or the
``tzdata`` wheel provides it, else a fixed ``UTC+08:00`` offset, which gives the same wall
clock for every date the kiosk can see.

Shapes: epoch seconds (``float``, as ``time.time()``) or aware ``datetime`` in; ``str`` out.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone, tzinfo

#: The IANA name of China Standard Time.
CHINA_ZONE_NAME = "Asia/Shanghai"
#: The fixed offset used when the time-zone database is missing (same wall clock since 1991).
CHINA_FIXED = timezone(timedelta(hours=8), "CST")
#: The one format for people: ``2026-12-01 16:11`` (minutes; seconds only where a technician
#: compares log lines: :data:`FORMAT_SECONDS`).
FORMAT = "%Y-%m-%d %H:%M"
FORMAT_SECONDS = "%Y-%m-%d %H:%M:%S"


def _china_tz() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - Python < 3.9
        return CHINA_FIXED
    try:
        return ZoneInfo(CHINA_ZONE_NAME)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return CHINA_FIXED


#: ``Asia/Shanghai`` (zoneinfo) or the fixed UTC+8 fallback.
CHINA_TZ: tzinfo = _china_tz()


def china_now(clock: float | None = None) -> datetime:
    """The aware ``datetime`` in China Standard Time of epoch ``clock`` (default: now)."""
    return datetime.fromtimestamp(time.time() if clock is None else clock, CHINA_TZ)


def to_china(when: datetime) -> datetime:
    """``when`` in China Standard Time; a naive ``datetime`` is taken as UTC (the platform and
    the databases store UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(CHINA_TZ)


def format_china(when: float | datetime | None, *, seconds: bool = False,
                 empty: str = "-") -> str:
    """``"2026-12-01 16:11"`` for epoch seconds or a ``datetime`` (naive = UTC); ``empty`` for
    None or 0. ``seconds=True`` appends ``:SS`` (log-like technician listings).

    Example: ``format_china(1796112660.0)`` → ``"2026-12-01 16:11"`` on any host zone.
    """
    if when is None or (not isinstance(when, datetime) and not when):
        return empty
    moment = to_china(when) if isinstance(when, datetime) else china_now(float(when))
    return moment.strftime(FORMAT_SECONDS if seconds else FORMAT)


def format_china_iso(text: str | None, *, empty: str = "-") -> str:
    """An ISO 8601 time from the platform or a database (``"2026-12-01T08:11:00Z"``,
    ``"2026-12-01T16:11:00+08:00"``) in the one format; ``empty`` when missing, and the text
    unchanged when it is not ISO 8601 (never an exception on a technician's screen)."""
    if not text:
        return empty
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return format_china(when)


__all__ = ["CHINA_TZ", "CHINA_FIXED", "CHINA_ZONE_NAME", "FORMAT", "FORMAT_SECONDS",
           "china_now", "to_china", "format_china", "format_china_iso"]
