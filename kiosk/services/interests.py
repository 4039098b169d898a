"""Loading the 兴趣探索 data files (``assets/interests/``) into a validated
:class:`~kiosk.domain.interests.InterestSet`. Scoring itself is pure (:mod:`kiosk.domain.interests`).

Files: ``items.json`` (the 30 statements and the answer scale), ``types.json`` (the six type
keys with plain explanations), ``jobs.json`` (type → everyday job ids and 大典 middle codes).
How to revise them: ``assets/interests/README.md``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from kiosk.domain.interests import InterestDataError, InterestSet

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
