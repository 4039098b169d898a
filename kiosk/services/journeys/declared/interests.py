"""兴趣探索 (interest self-exploration): intro → the 30 statements one by one → the result.

No identity is needed and nothing is recorded or sent: the answers and the result live only in
this session's :class:`InterestExploration` part and are wiped with it (the exploration is for
the person's own use, never to screen them — ``kiosk.domain.interests``). The result's top types
become :class:`~kiosk.domain.interests.InterestHint` s that 为我推荐 adds to its matching profile
for the rest of this session (:func:`session_hints`, used by ``declared/match.py``).

Steps and the values their screens are shown with:

* ``interest_intro``: ``intro`` ((zh, en)), ``total`` (items);
* ``interest_item`` (screen ``interest_item``): ``item`` (:class:`InterestItem`), ``position``
  (0-based), ``total``, ``answer`` (the answer already given to it, "" if none),
  ``answered`` (count), ``labels`` (answer key → (zh, en));
* ``interest_result``: ``result`` (:class:`InterestResult`), ``types`` (the top
  :class:`InterestType` s, best first), ``jobs`` (suggested everyday jobs), ``hints``,
  ``note`` ((zh, en): only a suggestion);
* ``vacancy_detail``: a vacancy of the result (``vacancy``, ``distance_km``).

Events: ``answered(answer)`` ("like" | "unsure" | "dislike": the current item; the next item, or
the result after the last), ``skipped()`` (the next item without an answer), ``previous()``
(the item before), ``stop()`` (the result now — a partial result), ``again()`` (start over),
``to_match()`` (为我推荐 with the result's reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain.interests import (ANSWERS, InterestHint, InterestItem, InterestResult,
                                    InterestSet, hints, interleaved, score, suggested_jobs)
from kiosk.services.interests import bundled_interest_set
from kiosk.services.journeys.spec import Begin, GoTo, JourneySpec, Stay, Step, Transition, Values
from kiosk.services.journeys.state import Journey


@dataclass
class InterestExploration:
    """The 兴趣探索 part of the session: answers by item id, the item shown, the result."""

    answers: dict[str, str] = field(default_factory=dict)
    position: int = 0
    result: InterestResult | None = None

    def clear(self) -> None:
        self.answers.clear()
        self.position = 0
        self.result = None


def _data() -> InterestSet:
    return bundled_interest_set()


def asked_items() -> tuple[InterestItem, ...]:
    """The items in the order they are asked (R1 I1 A1 S1 E1 C1 R2 …)."""
    return interleaved(_data().items)


def session_hints(journey: Journey) -> tuple[InterestHint, ...]:
    """This session's interest hints for 为我推荐 (empty without a result with top types)."""
    if not journey.has_part(InterestExploration):
        return ()
    result = journey.part(InterestExploration).result
    return hints(_data(), result) if result is not None else ()


def _intro_view(_journey: Journey) -> dict[str, object]:
    data = _data()
    return {"intro": data.intro, "total": len(data.items)}


def _item_view(journey: Journey) -> dict[str, object]:
    part = journey.part(InterestExploration)
    items = asked_items()
    part.position = max(0, min(part.position, len(items) - 1))
    item = items[part.position]
    return {"item": item, "position": part.position, "total": len(items),
            "answer": part.answers.get(item.id, ""), "answered": len(part.answers),
            "labels": dict(_data().answer_labels)}


def _result_view(journey: Journey) -> dict[str, object]:
    data = _data()
    part = journey.part(InterestExploration)
    result = score(data, part.answers)
    part.result = result
    return {"result": result, "types": [data.types[c] for c in result.top],
            "jobs": list(suggested_jobs(data, result)), "hints": hints(data, result),
            "note": data.result_note}


def _move(journey: Journey, step: int) -> Transition:
    part = journey.part(InterestExploration)
    part.position += step
    if part.position >= len(asked_items()):
        return GoTo("interest_result", remember=False)
    return Stay(_item_view(journey))


def _answered(journey: Journey, values: Values) -> Transition:
    answer = str(values.get("answer", ""))
    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}")
    part = journey.part(InterestExploration)
    items = asked_items()
    part.answers[items[min(part.position, len(items) - 1)].id] = answer
    part.result = None
    return _move(journey, 1)


def _skipped(journey: Journey, _values: Values) -> Transition:
    return _move(journey, 1)


def _previous(journey: Journey, _values: Values) -> Transition:
    part = journey.part(InterestExploration)
    part.position = max(0, part.position - 1)
    return Stay(_item_view(journey))


def _stop(_journey: Journey, _values: Values) -> Transition:
    return GoTo("interest_result", remember=False)


def _again(journey: Journey, _values: Values) -> Transition:
    journey.part(InterestExploration).clear()
    return GoTo("interest_item", remember=False, clear_history=True)


def _to_match(_journey: Journey, _values: Values) -> Transition:
    return Begin("match")


JOURNEY = JourneySpec(
    name="interests",
    title_zh="兴趣探索",
    steps=(Step("interest_intro", view=_intro_view),
           Step("interest_item", view=_item_view),
           Step("interest_result", view=_result_view),
           Step("vacancy_detail")),
    ends="interests-done",
    events={"answered": _answered, "skipped": _skipped, "previous": _previous, "stop": _stop,
            "again": _again, "to_match": _to_match},
)
