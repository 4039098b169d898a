"""Loading the 兴趣探索 data files (``assets/interests/``) into a validated
:class:`~kiosk.domain.interests.InterestSet`. Scoring itself is pure (:mod:`kiosk.domain.interests`).

Files: ``items.json`` (the 30 statements and the answer scale), ``types.json`` (the six type
keys with plain explanations), ``jobs.json`` (type → everyday job ids and 大典 middle codes).
How to revise them: ``assets/interests/README.md``.

:func:`vacancies_for_interests` finds the catalog's vacancies (jobs and gigs) in the occupation
groups a result suggests, for the result screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.domain.interests import InterestDataError, InterestHint, InterestSet
from kiosk.domain.vacancy import Vacancy

if TYPE_CHECKING:   # the catalog (pypinyin) loads only when vacancies are looked up
    from kiosk.services.catalog import VacancyCatalog

INTERESTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "interests"
FILES = ("items", "types", "jobs")


def load_interest_set(directory: Path = INTERESTS_DIR) -> InterestSet:
    """Read and validate the three files in ``directory``.

    Raises:
        InterestDataError: a file is missing, not UTF-8 JSON, or fails validation (``where``
            names the file).
    """
    parts = []
    for name in FILES:
        path = directory / f"{name}.json"
        try:
            parts.append(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise InterestDataError(path.name, f"cannot be read ({exc.strerror or exc})") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InterestDataError(path.name, "is not UTF-8 JSON") from exc
    return InterestSet.from_json(*parts)


@lru_cache(maxsize=1)
def bundled_interest_set() -> InterestSet:
    """The shipped set, read once per process."""
    return load_interest_set()


@dataclass(frozen=True)
class InterestVacancy:
    """A vacancy (job or gig) in a suggested occupation group, with the reason to show
    ("符合您的兴趣：动手操作型") and its distance from the station in km (None: unknown)."""

    vacancy: Vacancy
    reason: str
    distance_km: float | None


def vacancies_for_interests(hints: tuple[InterestHint, ...], catalog: VacancyCatalog, *,
                            origin: tuple[float, float] | None = None,
                            limit: int = 10) -> list[InterestVacancy]:
    """Open vacancies (jobs and 零工) whose 大典 middle category one of ``hints`` suggests: the
    best type's first, each type's nearest to ``origin`` (the station's (latitude, longitude)
    in degrees; unknown distances last, then by id); no repeats; at most ``limit``.
    公益性岗位 and 见习岗位 are left out (they have target groups this screen does not know).
    Returns [] without hints.

    Raises:
        CatalogDatabaseError: the catalog cannot be read.
    """
    from kiosk.services.catalog import SearchFilters

    found: dict[str, InterestVacancy] = {}
    for hint in hints:
        for code in sorted(hint.occupation_codes):
            filters = SearchFilters(occupation_code=code, public_welfare=False, internship=False)
            for hit in catalog.search("", filters, limit=limit, origin=origin).items:
                found.setdefault(hit.vacancy.id,
                                 InterestVacancy(hit.vacancy, hint.reason_zh, hit.distance_km))
    ranked = sorted(found.values(), key=lambda v: (
        [h.reason_zh for h in hints].index(v.reason),
        v.distance_km if v.distance_km is not None else 1e9, v.vacancy.id))
    return ranked[:limit]
