"""Pinyin → Chinese candidates for the on-screen pinyin keyboard of the search screen.

Words come from the catalog's titles and occupation names, the 大典 middle-category names and
the GB/T 2260 place names (city, county, town; also without their 市/区/县/镇/街道 suffix).
Each word is indexed under its full pinyin ("baojieyuan") and its initials ("bjy"), readings
from pypinyin's phrase dictionary (so 重庆 is "chongqing"). :meth:`PinyinVocabulary.candidates`
takes what was typed — a full-pinyin prefix "baoj", full "baojie" or initials "bj" — and
returns words whose pinyin or initials start with it, ranked: exact key first, then by weight
(how many vacancies use the word; places and category names count 1), then shorter words.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable

from kiosk.domain.codes import divisions, occupations
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog.text_index import forget_readings, syllables

MAX_WORD_CHARS = 12
_HAN_ONLY = re.compile(r"^[\u3400-\u9fff]+$")
_PLACE_SUFFIXES = ("街道", "市", "区", "县", "镇")


def _place_words() -> Iterable[str]:
    for name in (*divisions.CITIES.values(), *divisions.COUNTIES.values(),
                 *divisions.TOWNS.values()):
        yield name
        for suffix in _PLACE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                yield name[: -len(suffix)]
                break


class PinyinVocabulary:
    """A prefix index from pinyin keys to weighted Chinese words (immutable once built)."""

    def __init__(self, weights: Counter[str]) -> None:
        self._weights = dict(weights)
        entries: list[tuple[str, str]] = []
        for word in self._weights:
            syl = syllables(word)
            if not syl:
                continue
            entries.append(("".join(syl), word))
            entries.append(("".join(s[0] for s in syl), word))
        forget_readings()
        entries.sort()
        self._keys = [key for key, _ in entries]
        self._words = [word for _, word in entries]

    @classmethod
    def from_catalog(cls, catalog_or_vacancies: Iterable[Vacancy] | object,
                     include_places: bool = True) -> PinyinVocabulary:
        """Build from a :class:`~kiosk.services.catalog.store.VacancyCatalog` (its ``all()``)
        or any iterable of vacancies, plus category and place names."""
        source = getattr(catalog_or_vacancies, "all", None)
        vacancies: Iterable[Vacancy] = (source() if callable(source)
                                        else catalog_or_vacancies)  # type: ignore[assignment]
        weights: Counter[str] = Counter()
        for v in vacancies:
            for word in (v.title, v.occupation_name, *v.tags):
                word = word.strip()
                if _HAN_ONLY.match(word) and len(word) <= MAX_WORD_CHARS:
                    weights[word] += 1
        for word in occupations.MIDDLES.values():
            if _HAN_ONLY.match(word):
                weights[word] += 0 if word in weights else 1
        if include_places:
            for word in _place_words():
                if word not in weights:
                    weights[word] = 1
        return cls(weights)

    def __len__(self) -> int:
        return len(self._weights)

    def candidates(self, typed_pinyin: str, limit: int = 10) -> list[str]:
        """Words for typed pinyin ("baoj", "baojie", "bj"), best first; [] for no letters."""
        key = "".join(ch for ch in typed_pinyin.lower() if "a" <= ch <= "z")
        if not key:
            return []
        lo = bisect.bisect_left(self._keys, key)
        hi = bisect.bisect_left(self._keys, key + "{")   # "{" sorts right after "z"
        best: dict[str, tuple[int, int, int]] = {}
        for i in range(lo, hi):
            word = self._words[i]
            rank = (0 if self._keys[i] == key else 1, -self._weights[word], len(word))
            if word not in best or rank < best[word]:
                best[word] = rank
        return sorted(best, key=lambda w: (best[w], w))[:limit]
