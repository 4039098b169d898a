"""兴趣探索 headless on the engine: fixed answers → the exact ranking on the result screen → the
reason in 为我推荐; skipping, going back, stopping early (a partial result), starting over, the
wipe; the result screen's vacancies from the catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.domain.matching import rank
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import VacancyCatalog
from kiosk.services.interests import vacancies_for_interests
from kiosk.services.journeys.declared.interests import (InterestExploration, asked_items,
                                                        session_hints)
from kiosk.services.journeys.declared.registration import RegistrationDraft

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "vacancies.json"
FORM = {"phone": "13812345678", "education_code": "60", "desired_occupations": ["4-09"],
        "desired_divisions": ["440106"], "salary_min": 3000, "employment_type": "FULL_TIME",
        "key_groups": []}

# R: 5 喜欢 (mean 2.0) · C: 3 喜欢 2 说不准 (1.6) · I and S: 2 喜欢 2 说不准 1 不喜欢 (1.2 each,
# 2 likes each: the tie goes to I by the R-I-A-S-E-C order) · A: 5 说不准 (1.0, no 喜欢: not
# suggested) · E: 5 不喜欢 (0)
ANSWERS = {
    **{f"R{n}": "like" for n in range(1, 6)},
    **{f"C{n}": "like" if n <= 3 else "unsure" for n in range(1, 6)},
    **{f"{t}{n}": ("like", "like", "unsure", "unsure", "dislike")[n - 1]
       for t in "IS" for n in range(1, 6)},
    **{f"A{n}": "unsure" for n in range(1, 6)},
    **{f"E{n}": "dislike" for n in range(1, 6)},
}


def _explore(kiosk, answers):
    engine, display = kiosk.engine, kiosk.display
    engine.start("interests")
    screen, values = display.last()
    assert screen == "interest_intro" and values["total"] == 30
    assert "不是考试" in values["intro"][0] and "不会发给用人单位" in values["intro"][0]
    engine.next()
    asked = []
    while display.current == "interest_item":
        _, values = display.last("update") if asked else display.last()
        item = values["item"]
        asked.append(item.id)
        assert values["position"] == len(asked) - 1 and values["total"] == 30
        engine.send("answered", answer=answers[item.id])
    return asked


def test_fixed_answers_give_the_exact_ranking_and_feed_match(kiosk):
    asked = _explore(kiosk, ANSWERS)
    assert asked[:7] == ["R1", "I1", "A1", "S1", "E1", "C1", "R2"] and len(asked) == 30
    screen, values = kiosk.display.last()
    assert screen == "interest_result"
    result = values["result"]
    assert result.codes == "RCISAE" and result.top == ("R", "C", "I")
    assert [(s.code, s.points, s.answered, s.likes) for s in result.ranking] == [
        ("R", 10, 5, 5), ("C", 8, 5, 3), ("I", 6, 5, 2), ("S", 6, 5, 2), ("A", 5, 5, 0),
        ("E", 0, 5, 0)]
    assert not result.partial
    assert [t.name_zh for t in values["types"]] == ["动手操作型", "细致办事型", "动脑钻研型"]
    assert values["jobs"][0].id == "ebike_repairer"    # R first, in the data file's order
    assert [h.reason_zh for h in values["hints"]] == [
        "符合您的兴趣：动手操作型", "符合您的兴趣：细致办事型", "符合您的兴趣：动脑钻研型"]

    # 为我推荐 in the same session: the profile carries the result; the reason is explained
    engine = kiosk.engine
    engine.journey.part(RegistrationDraft).form.update(FORM)
    engine.send("to_match")
    kiosk.read_card()
    screen, values = kiosk.display.last()
    assert screen == "match"
    profile = values["profile"]
    assert [h.type_code for h in profile.interest_hints] == ["R", "C", "I"]
    assert profile.desired_occupations == ("4-09",)
    vacancies = [Vacancy(id="V-E", title="电工", employer="甲", city="广州市", occupation_code="6-31"),
                 Vacancy(id="V-K", title="会计", employer="乙", city="广州市", occupation_code="2-06"),
                 Vacancy(id="V-N", title="保洁员", employer="丙", city="广州市", occupation_code="4-09")]
    reasons = {m.vacancy.id: m.reasons for m in rank(profile, vacancies)}
    assert "符合您的兴趣：动手操作型" in reasons["V-E"]
    assert "符合您的兴趣：细致办事型" in reasons["V-K"]
    assert not any(r.startswith("符合您的兴趣") for r in reasons["V-N"])

    # the session ends: nothing of the exploration survives
    engine.finish()
    engine.start("match")
    kiosk.read_card()
    engine.journey.part(RegistrationDraft).form.update(FORM)
    assert session_hints(engine.journey) == ()


def test_skip_previous_and_stop_give_a_partial_result(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("interests")
    engine.next()
    engine.send("answered", answer="like")          # R1
    engine.send("previous")
    _, values = display.last("update")
    assert values["item"].id == "R1" and values["answer"] == "like" and values["answered"] == 1
    engine.send("answered", answer="like")          # R1 again: still one answer
    engine.send("answered", answer="unsure")        # I1
    engine.send("skipped")                          # A1 skipped
    engine.send("answered", answer="dislike")       # S1
    _, values = display.last("update")
    assert values["item"].id == "E1" and values["answered"] == 3
    engine.send("stop")
    screen, values = display.last()
    result = values["result"]
    assert screen == "interest_result" and result.partial
    assert (result.answered, result.total) == (3, 30)
    assert result.codes == "RIS" and result.top == ("R",)   # I: no 喜欢, not suggested
    assert result.unanswered_types == ("A", "E", "C")
    assert engine.journey.part(InterestExploration).answers == {
        "R1": "like", "I1": "unsure", "S1": "dislike"}
    engine.send("again")
    screen, values = display.last()
    assert screen == "interest_item" and values["item"].id == "R1" and values["answered"] == 0
    engine.back()
    assert display.current == "home"


def test_stop_at_once_and_bad_answers(kiosk):
    engine, display = kiosk.engine, kiosk.display
    engine.start("interests")
    engine.next()
    with pytest.raises(ValueError):
        engine.send("answered", answer="maybe")
    engine.send("stop")
    _, values = display.last()
    assert values["result"].answered == 0 and values["types"] == [] and values["hints"] == ()
    assert session_hints(engine.journey) == ()
    assert len(asked_items()) == 30


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    cat = VacancyCatalog(tmp_path_factory.mktemp("interests") / "c.sqlite3")
    data = json.loads(DEMO.read_text(encoding="utf-8"))["vacancies"]
    cat.upsert(Vacancy(**dict(d, tags=tuple(d["tags"]))) for d in data)
    yield cat
    cat.close()


def test_result_vacancies_come_from_the_suggested_groups(kiosk, catalog):
    _explore(kiosk, ANSWERS)
    hints = kiosk.display.last()[1]["hints"]
    found = vacancies_for_interests(hints, catalog, origin=(23.13, 113.33), limit=10)
    groups = {h.reason_zh: h.occupation_codes for h in hints}
    assert found
    assert all(f.vacancy.occupation_code in groups[f.reason] for f in found)
    assert not any(f.vacancy.public_welfare or f.vacancy.internship for f in found)
    order = [list(groups).index(f.reason) for f in found]
    assert order == sorted(order)
    assert len({f.vacancy.id for f in found}) == len(found) <= 10
    assert vacancies_for_interests((), catalog) == []
