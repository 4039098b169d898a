"""Station figures from the per-transaction records: ``kiosk stats`` and the maintenance screen.

Definitions (stable; the JSON keys of :meth:`StationStats.as_json` are a published interface):

* counts are of transactions **started** in ``[since, until]``; ``open`` = not finished yet;
* ``completion_rate`` = completed / (completed + abandoned + failed), None when none finished;
* durations are of **completed** transactions, seconds: ``median_s`` is the statistical median
  (mean of the two middle values for an even count), ``p90_s`` the nearest-rank 90th percentile
  (the ⌈0.9·n⌉-th smallest); None when there is none;
* ``satisfaction_rate`` = ratings at level ≥ 3 (基本满意, 满意, 非常满意) / all ratings, the
  usual 好差评 满意率; ``bad`` counts 差评 (levels 1–2); ``rated_share`` = rated / completed;
* ``device_fault_minutes`` = minutes each device spent in a fault state
  (:data:`~.models.FAULT_STATES`) within ``[since, until)``, faults still open counted to
  ``until``; every device of FAULT_STATES is listed (0.0 when none).

Rates are rounded to 4 decimals, durations and minutes to 1.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, UTC
from typing import Any

from kiosk.services.transactions.models import (FAULT_STATES, OUTCOMES, DeviceFault,
                                                TransactionRecord)
from kiosk.services.transactions.ratings import BAD_LEVELS, LEVELS, SATISFIED_LEVELS

#: The version of the JSON shape (bumped only for incompatible changes).
STATS_FORMAT = 1


def nearest_rank(values: list[float], percent: float) -> float | None:
    """The nearest-rank percentile: the ⌈p/100 · n⌉-th smallest value (None for no values).

    ``nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)`` → 9.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100.0 * len(ordered)))
    return ordered[rank - 1]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class KindFigures:
    """Figures of one kind of transaction (or of all kinds)."""

    total: int = 0
    open: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    abandoned_at_step: Counter[int] = field(default_factory=Counter)
    failed_by_error: Counter[str] = field(default_factory=Counter)
    durations: list[float] = field(default_factory=list)

    def add(self, record: TransactionRecord) -> None:
        self.total += 1
        if record.outcome is None:
            self.open += 1
            return
        self.outcomes[record.outcome] += 1
        if record.outcome == "abandoned":
            self.abandoned_at_step[record.last_step] += 1
        elif record.outcome == "failed":
            self.failed_by_error[record.error_class] += 1
        elif record.duration_s is not None:
            self.durations.append(record.duration_s)

    def as_json(self) -> dict[str, Any]:
        finished = sum(self.outcomes.values())
        return {
            "total": self.total,
            "open": self.open,
            **{outcome: self.outcomes.get(outcome, 0) for outcome in OUTCOMES},
            "completion_rate": _rate(self.outcomes.get("completed", 0), finished),
            "duration_s": {
                "median_s": _round(statistics.median(self.durations) if self.durations else None),
                "p90_s": _round(nearest_rank(self.durations, 90)),
            },
            "abandoned_at_step": {str(k): v for k, v in sorted(self.abandoned_at_step.items())},
            "failed_by_error": dict(sorted(self.failed_by_error.items())),
        }


@dataclass(frozen=True)
class StationStats:
    """Aggregates over a period. Build with :func:`compute_stats`."""

    since: float | None
    until: float
    all: dict[str, Any]
    by_kind: dict[str, dict[str, Any]]
    ratings: dict[str, Any]
    device_fault_minutes: dict[str, float]
    languages: dict[str, int]
    elderly_mode: int

    def as_json(self) -> dict[str, Any]:
        """The ``kiosk stats --json`` document (see the module docstring for definitions)::

            {"format": 1, "since": "2026-11-01T00:00:00Z" | null, "until": "…Z",
             "transactions": {"total", "open", "completed", "abandoned", "failed",
                              "completion_rate", "duration_s": {"median_s", "p90_s"},
                              "abandoned_at_step": {"3": 2}, "failed_by_error": {…}},
             "by_kind": {"registration": {same keys as "transactions"}, …},
             "ratings": {"count", "by_level": {"5": n … "1": n}, "satisfaction_rate",
                         "bad", "rated_share", "reasons": {"too_slow": n}},
             "device_fault_minutes": {"card_reader": 12.5, "printer": 0.0, "scanner": 0.0},
             "languages": {"zh_CN": n, "en": n}, "elderly_mode": n}
        """
        return {
            "format": STATS_FORMAT,
            "since": _iso(self.since) if self.since is not None else None,
            "until": _iso(self.until),
            "transactions": self.all,
            "by_kind": self.by_kind,
            "ratings": self.ratings,
            "device_fault_minutes": self.device_fault_minutes,
            "languages": self.languages,
            "elderly_mode": self.elderly_mode,
        }


def compute_stats(records: list[TransactionRecord], faults: list[DeviceFault],
                  since: float | None, until: float) -> StationStats:
    """Aggregate ``records`` (started in the period) and ``faults`` (overlapping it)."""
    overall = KindFigures()
    kinds: dict[str, KindFigures] = {}
    levels: Counter[int] = Counter()
    reasons: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    elderly = 0
    for record in records:
        overall.add(record)
        kinds.setdefault(record.kind, KindFigures()).add(record)
        languages[record.language] += 1
        elderly += int(record.elderly)
        if record.rating is not None:
            levels[record.rating] += 1
            reasons.update(record.rating_reasons)
    rated = sum(levels.values())
    completed = overall.outcomes.get("completed", 0)
    ratings = {
        "count": rated,
        "by_level": {str(level): levels.get(level, 0) for level in sorted(LEVELS, reverse=True)},
        "satisfaction_rate": _rate(sum(levels[lv] for lv in SATISFIED_LEVELS), rated),
        "bad": sum(levels[lv] for lv in BAD_LEVELS),
        "rated_share": _rate(rated, completed),
        "reasons": dict(sorted(reasons.items())),
    }
    return StationStats(
        since=since, until=until, all=overall.as_json(),
        by_kind={kind: figures.as_json() for kind, figures in sorted(kinds.items())},
        ratings=ratings, device_fault_minutes=fault_minutes(faults, since, until),
        languages={lang: languages.get(lang, 0) for lang in ("zh_CN", "en")},
        elderly_mode=elderly)


def fault_minutes(faults: list[DeviceFault], since: float | None, until: float
                  ) -> dict[str, float]:
    """Minutes per device in a fault state within ``[since, until)``, open faults to ``until``."""
    seconds: dict[str, float] = {device: 0.0 for device in FAULT_STATES}
    for fault in faults:
        start = fault.started_at if since is None else max(fault.started_at, since)
        end = min(fault.ended_at if fault.ended_at is not None else until, until)
        if end > start:
            seconds[fault.device] = seconds.get(fault.device, 0.0) + (end - start)
    return {device: round(s / 60.0, 1) for device, s in sorted(seconds.items())}


def _iso(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["StationStats", "compute_stats", "fault_minutes", "nearest_rank", "STATS_FORMAT"]
