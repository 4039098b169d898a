"""兴趣探索 (interest self-exploration): the item set, scoring and the matching hint. Pure.

The items are the project's own (``assets/interests/README.md``): 30 everyday activities, 5 per
Holland RIASEC type, answered 喜欢 / 说不准 / 不喜欢. They are **not** the O*NET Interest Profiler
and not translated from it (``shared/design/employment-services.md`` §9.3). The result only
*suggests* jobs to the person; it is never used to rank, filter or screen the person for
employers, and never sent to them (DOL TEIN 16-00, §9.3).

Scoring (:func:`score`):

* points per answer: 喜欢 ``like`` = 2, 说不准 ``unsure`` = 1, 不喜欢 ``dislike`` = 0 (the answer
  set's ``points``); a skipped item counts nothing and is not in the denominator;
* per type: ``points`` (0–10 on a full set), ``answered``, ``likes``; ``mean`` = points ÷ answered;
* ranking of the types with at least one answer: higher ``mean`` first; ties broken by more
  ``likes``, then by the fixed order R, I, A, S, E, C (:data:`TYPE_ORDER`, Holland's hexagon
  order) — so the same answers always give the same ranking. With every item answered, ``mean``
  orders exactly as the points total;
* ``top``: the first up to :data:`TOP_COUNT` ranked types whose mean is at least
  :data:`TOP_MIN_MEAN` (1.0 = "说不准" on average) and that have at least one 喜欢;
* a partial result (items skipped) says which types had no answer (``unanswered_types``).

The matching hint (:class:`InterestHint`, :func:`hints`) carries the type's plain label and its
occupation groups (职业分类大典 middle codes) to :func:`kiosk.domain.matching.score`, which adds
the reason "符合您的兴趣：动手操作型".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.codes import everyday_jobs
from kiosk.domain.codes.occupations import MIDDLES

TYPE_ORDER = ("R", "I", "A", "S", "E", "C")
ANSWERS = ("like", "unsure", "dislike")
ITEMS_PER_TYPE = 5
TOP_COUNT = 3
TOP_MIN_MEAN = 1.0


class InterestDataError(ValueError):
    """The item set, type keys or job mapping are wrong. ``where`` names the file part."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"interest data {where}: {reason}")


@dataclass(frozen=True)
class InterestItem:
    """One statement: ``id`` ("R1"), its RIASEC ``type``, Chinese and English text."""

    id: str
    type: str
    zh: str
    en: str


@dataclass(frozen=True)
class InterestType:
    """A RIASEC type's key: code, plain names and explanations, suggested jobs and groups."""

    code: str
    name_zh: str
    name_en: str
    plain_zh: str
    plain_en: str
    everyday_jobs: tuple[str, ...]
    occupation_groups: tuple[str, ...]


@dataclass(frozen=True)
class InterestSet:
    """The whole data set (``assets/interests/*.json``), validated by :meth:`from_json`.

    ``intro`` and ``result_note`` are (Chinese, English) texts the screen and the printout show:
    a self-exploration, not a test; answers never sent to employers.
    """

    version: str
    intro: tuple[str, str]
    result_note: tuple[str, str]
    answer_labels: Mapping[str, tuple[str, str]]
    answer_points: Mapping[str, int]
    items: tuple[InterestItem, ...]
    types: Mapping[str, InterestType]

    @classmethod
    def from_json(cls, items: Any, types: Any, jobs: Any) -> InterestSet:
        """Build from the parsed ``items.json``, ``types.json`` and ``jobs.json``.

        Raises:
            InterestDataError: a missing part, a type without exactly 5 items, a repeated id,
                an answer set other than like/unsure/dislike, an unknown everyday job id or
                大典 code.
        """
        items_map = _mapping(items, "items.json")
        answers = _mapping(items_map.get("answers"), "items.json answers")
        if tuple(answers) != ANSWERS:
            raise InterestDataError("items.json answers", "must be like, unsure, dislike in order")
        labels: dict[str, tuple[str, str]] = {}
        points: dict[str, int] = {}
        for key in ANSWERS:
            entry = _mapping(answers[key], f"items.json answers.{key}")
            labels[key] = (_text(entry, "zh", key), _text(entry, "en", key))
            value = entry.get("points")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InterestDataError(f"items.json answers.{key}", "points must be a whole number ≥ 0")
            points[key] = value
        if not points["like"] > points["unsure"] > points["dislike"]:
            raise InterestDataError("items.json answers", "points must fall from like to dislike")
        raw_items = items_map.get("items")
        if not isinstance(raw_items, list):
            raise InterestDataError("items.json items", "must be a list")
        parsed: list[InterestItem] = []
        for i, raw in enumerate(raw_items):
            entry = _mapping(raw, f"items.json items[{i}]")
            item = InterestItem(_text(entry, "id", i), _text(entry, "type", i),
                                _text(entry, "zh", i), _text(entry, "en", i))
            if item.type not in TYPE_ORDER:
                raise InterestDataError(f"items.json items[{i}]", f"unknown type {item.type!r}")
            parsed.append(item)
        ids = [item.id for item in parsed]
        if len(set(ids)) != len(ids):
            raise InterestDataError("items.json items", "an id is used twice")
        for code in TYPE_ORDER:
            count = sum(item.type == code for item in parsed)
            if count != ITEMS_PER_TYPE:
                raise InterestDataError("items.json items",
                                        f"type {code} has {count} items, needs {ITEMS_PER_TYPE}")
        types_map = _mapping(types, "types.json")
        jobs_map = _mapping(jobs, "jobs.json")
        keys: dict[str, InterestType] = {}
        for code in TYPE_ORDER:
            t = _mapping(types_map.get(code), f"types.json {code}")
            j = _mapping(jobs_map.get(code), f"jobs.json {code}")
            job_ids = _text_list(j, "everyday_jobs", code)
            for job_id in job_ids:
                if job_id not in everyday_jobs.BY_ID:
                    raise InterestDataError(f"jobs.json {code}", f"unknown everyday job {job_id!r}")
            groups = _text_list(j, "occupation_groups", code)
            for group in groups:
                if group not in MIDDLES:
                    raise InterestDataError(f"jobs.json {code}", f"unknown 大典 middle code {group!r}")
            keys[code] = InterestType(code, _text(t, "name_zh", code), _text(t, "name_en", code),
                                      _text(t, "plain_zh", code), _text(t, "plain_en", code),
                                      job_ids, groups)
        extra = sorted(set(types_map) - set(TYPE_ORDER)) + sorted(set(jobs_map) - set(TYPE_ORDER))
        if extra:
            raise InterestDataError("types.json/jobs.json", f"unknown type {extra[0]!r}")
        intro = _mapping(items_map.get("intro"), "items.json intro")
        note = _mapping(items_map.get("result_note"), "items.json result_note")
        return cls(_text(items_map, "version", "items.json"),
                   (_text(intro, "zh", "items.json intro"), _text(intro, "en", "items.json intro")),
                   (_text(note, "zh", "items.json result_note"),
                    _text(note, "en", "items.json result_note")),
                   labels, points, tuple(parsed), keys)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InterestDataError(where, "must be an object")
    return value


def _text(entry: Mapping[str, Any], key: str, where: object) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InterestDataError(str(where), f"{key} must be non-empty text")
    return value.strip()


def _text_list(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InterestDataError(f"jobs.json {where}", f"{key} must be a non-empty list of text")
    return tuple(value)


@dataclass(frozen=True)
class TypeScore:
    """One type's tally: ``points``, ``answered`` items, ``likes``; ``mean`` = points/answered."""

    code: str
    points: int
    answered: int
    likes: int

    @property
    def mean(self) -> float:
        return self.points / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class InterestResult:
    """The exploration's result (never sent to employers; discarded with the session).

    ``ranking``: the answered types, best first (rule in the module docstring); ``top``: the
    suggested types; ``answered`` / ``total`` items; ``unanswered_types`` in R-I-A-S-E-C order.
    """

    ranking: tuple[TypeScore, ...]
    top: tuple[str, ...]
    answered: int
    total: int
    unanswered_types: tuple[str, ...] = field(default=())

    @property
    def partial(self) -> bool:
        return self.answered < self.total

    @property
    def codes(self) -> str:
        """The ranked type letters, e.g. "RCSIEA" (answered types only)."""
        return "".join(t.code for t in self.ranking)


def score(data: InterestSet, answers: Mapping[str, str]) -> InterestResult:
    """Score ``answers`` (item id → "like" | "unsure" | "dislike"; skipped items absent).

    Raises:
        ValueError: an unknown item id or answer value.
    """
    by_id = {item.id: item for item in data.items}
    tallies = {code: [0, 0, 0] for code in TYPE_ORDER}
    for item_id, answer in answers.items():
        if item_id not in by_id:
            raise ValueError(f"unknown interest item {item_id!r}")
        if answer not in data.answer_points:
            raise ValueError(f"answer must be one of {ANSWERS}")
        tally = tallies[by_id[item_id].type]
        tally[0] += data.answer_points[answer]
        tally[1] += 1
        tally[2] += answer == "like"
    scores = [TypeScore(code, *tallies[code]) for code in TYPE_ORDER]
    ranking = sorted((s for s in scores if s.answered),
                     key=lambda s: (-s.mean, -s.likes, TYPE_ORDER.index(s.code)))
    top = tuple(s.code for s in ranking if s.mean >= TOP_MIN_MEAN and s.likes)[:TOP_COUNT]
    return InterestResult(tuple(ranking), top, len(answers), len(data.items),
                          tuple(s.code for s in scores if not s.answered))


@dataclass(frozen=True)
class InterestHint:
    """What matching needs from one suggested type: its code, the label shown in the reason
    ("动手操作型") and the 大典 middle codes it suggests."""

    type_code: str
    label_zh: str
    occupation_codes: frozenset[str]
    label_en: str = ""

    @property
    def reason_zh(self) -> str:
        """"符合您的兴趣：动手操作型"."""
        return f"符合您的兴趣：{self.label_zh}"


def hints(data: InterestSet, result: InterestResult) -> tuple[InterestHint, ...]:
    """The result's ``top`` types as matching hints, best first."""
    return tuple(InterestHint(code, data.types[code].name_zh,
                              frozenset(data.types[code].occupation_groups),
                              data.types[code].name_en) for code in result.top)


def suggested_jobs(data: InterestSet, result: InterestResult) -> tuple[everyday_jobs.EverydayJob, ...]:
    """Everyday jobs of the top types, in rank order, without repeats."""
    ids: dict[str, None] = {}
    for code in result.top:
        ids.update(dict.fromkeys(data.types[code].everyday_jobs))
    return tuple(everyday_jobs.BY_ID[i] for i in ids)


def interleaved(items: Sequence[InterestItem]) -> tuple[InterestItem, ...]:
    """Items in the order they are asked: R1 I1 A1 S1 E1 C1 R2 … (a person who stops early has
    answered every type about equally)."""
    per_type = {code: [i for i in items if i.type == code] for code in TYPE_ORDER}
    rounds = max((len(v) for v in per_type.values()), default=0)
    return tuple(per_type[code][n] for n in range(rounds) for code in TYPE_ORDER
                 if n < len(per_type[code]))
