"""兴趣探索: the shipped data files, exact scoring and ranking, ties, partial results, and the
matching reason; the everyday job list (codes, readings, search)."""

from __future__ import annotations

import copy
import json

import pytest
from pypinyin import lazy_pinyin

from kiosk.domain.codes import everyday_jobs
from kiosk.domain.codes.errors import UnknownCodeError
from kiosk.domain.codes.occupations import MIDDLES, classify_title
from kiosk.domain.interests import (InterestDataError, InterestSet, hints, interleaved, score,
                                    suggested_jobs)
from kiosk.domain.matching import JobseekerProfile
from kiosk.domain.matching import score as match_score
from kiosk.domain.vacancy import Vacancy
from kiosk.services.interests import INTERESTS_DIR, bundled_interest_set, load_interest_set

DATA = bundled_interest_set()


def answers(**per_type: str) -> dict[str, str]:
    """``answers(R="LLLUD")``: per type, the answers to items 1..5 (L like, U unsure, D dislike,
    - skipped)."""
    code = {"L": "like", "U": "unsure", "D": "dislike"}
    out = {}
    for t, seq in per_type.items():
        for n, a in enumerate(seq, start=1):
            if a != "-":
                out[f"{t}{n}"] = code[a]
    return out


# ---- the data files ---------------------------------------------------------------------------
def test_shipped_set_has_30_items_5_per_type_in_interleaved_order():
    assert len(DATA.items) == 30
    assert [i.id for i in DATA.items[:7]] == ["R1", "I1", "A1", "S1", "E1", "C1", "R2"]
    assert interleaved(DATA.items) == DATA.items
    assert DATA.answer_labels == {"like": ("喜欢", "Like"), "unsure": ("说不准", "Not sure"),
                                  "dislike": ("不喜欢", "Dislike")}
    assert DATA.items[0].zh == "修理电动车或自行车"
    assert DATA.intro[0].startswith("这是兴趣自我探索，不是考试") and "不会发给用人单位" in DATA.intro[0]
    assert "不代表您适合或不适合" in DATA.result_note[0]
    assert all(len(i.zh) <= 16 for i in DATA.items), "items stay short for elderly readers"


def test_type_keys_and_job_mapping():
    assert DATA.types["R"].name_zh == "动手操作型"
    assert [DATA.types[c].name_zh for c in "RIASEC"] == [
        "动手操作型", "动脑钻研型", "创意表达型", "助人服务型", "带头经营型", "细致办事型"]
    for t in DATA.types.values():
        assert all(j in everyday_jobs.BY_ID for j in t.everyday_jobs)
        assert all(g in MIDDLES for g in t.occupation_groups)


def test_loader_refuses_broken_sets(tmp_path):
    raw = {n: json.loads((INTERESTS_DIR / f"{n}.json").read_text(encoding="utf-8"))
           for n in ("items", "types", "jobs")}

    def broken(change) -> InterestDataError:
        parts = copy.deepcopy(raw)
        change(parts)
        with pytest.raises(InterestDataError) as info:
            InterestSet.from_json(parts["items"], parts["types"], parts["jobs"])
        return info.value

    assert "type R has 4 items" in str(broken(lambda p: p["items"]["items"].pop(0)))
    assert "used twice" in str(broken(lambda p: p["items"]["items"][1].update(id="R1")))
    assert "unknown everyday job" in str(
        broken(lambda p: p["jobs"]["R"]["everyday_jobs"].append("astronaut")))
    assert "unknown 大典" in str(broken(lambda p: p["jobs"]["C"]["occupation_groups"].append("9-99")))
    assert "like, unsure, dislike" in str(broken(lambda p: p["items"]["answers"].pop("unsure")))
    (tmp_path / "items.json").write_text("{", encoding="utf-8")
    with pytest.raises(InterestDataError) as info:
        load_interest_set(tmp_path)
    assert info.value.where == "items.json"


# ---- scoring ----------------------------------------------------------------------------------
def test_fixed_answers_give_the_exact_ranking():
    result = score(DATA, answers(R="LLLLU", I="UUDDD", A="DDDDD", S="LLUUU", E="UDDDD",
                                 C="LLLUD"))
    assert [(t.code, t.points) for t in result.ranking] == [
        ("R", 9), ("C", 7), ("S", 7), ("I", 2), ("E", 1), ("A", 0)]
    assert result.codes == "RCSIEA"
    assert result.top == ("R", "C", "S")
    assert not result.partial and result.answered == 30 and result.unanswered_types == ()


def test_ties_broken_by_likes_then_riasec_order():
    # C and S both 7 points: C has 3 likes, S 2 -> C first (previous test). Equal likes too:
    result = score(DATA, answers(R="UUUUU", I="UUUUU", A="UUUUU", S="LDUUU", E="LDUUU",
                                 C="UUUUU"))
    assert result.codes == "SERIAC"
    # S and E: 5 points and 1 like each -> hexagon order S before E; the rest: 5 points, 0 likes.
    assert result.top == ("S", "E")   # types without any 喜欢 are never suggested


def test_dislike_everything_suggests_nothing():
    result = score(DATA, answers(R="DDDDD", I="DDDDD", A="DDDDD", S="DDDDD", E="DDDDD",
                                 C="DDDDD"))
    assert result.top == () and len(result.ranking) == 6
    assert hints(DATA, result) == () and suggested_jobs(DATA, result) == ()


def test_partial_result_uses_the_mean_of_answered_items():
    # Stopped after 8 items: R1 I1 A1 S1 E1 C1 R2 I2.
    result = score(DATA, answers(R="LL", I="UD", A="U", S="L", E="D", C="U"))
    assert result.partial and result.answered == 8 and result.total == 30
    assert [(t.code, t.points, t.answered) for t in result.ranking] == [
        ("R", 4, 2), ("S", 2, 1), ("A", 1, 1), ("C", 1, 1), ("I", 1, 2), ("E", 0, 1)]
    assert result.top == ("R", "S")


def test_partial_result_names_unanswered_types():
    result = score(DATA, {"R1": "like", "S1": "like"})
    assert result.codes == "RS" and result.unanswered_types == ("I", "A", "E", "C")


def test_unknown_items_or_answers_are_refused():
    with pytest.raises(ValueError):
        score(DATA, {"R9": "like"})
    with pytest.raises(ValueError):
        score(DATA, {"R1": "love"})


# ---- suggestions and the matching reason --------------------------------------------------------
def _vacancy(code: str) -> Vacancy:
    return Vacancy(id=f"V-{code}", title="岗位", employer="示例单位", city="广州市",
                   occupation_code=code)


def test_hints_and_matching_reason():
    result = score(DATA, answers(R="LLLLL", S="LLLUU"))
    got = hints(DATA, result)
    assert [h.type_code for h in got] == ["R", "S"]
    assert got[0].reason_zh == "符合您的兴趣：动手操作型"
    assert [j.name for j in suggested_jobs(DATA, result)][:3] == ["电动车维修工", "家电维修工",
                                                                 "汽车维修工"]
    profile = JobseekerProfile(interest_hints=got)
    repair = match_score(profile, _vacancy("4-12"))
    plain = match_score(JobseekerProfile(), _vacancy("4-12"))
    assert repair.score == plain.score + 10
    assert repair.reasons[-1] == "符合您的兴趣：动手操作型"
    care = match_score(profile, _vacancy("4-14"))
    assert care.reasons[-1] == "符合您的兴趣：助人服务型"
    office = match_score(profile, _vacancy("3-01"))
    assert not any(r.startswith("符合您的兴趣") for r in office.reasons)
    assert match_score(profile, _vacancy("")).score == match_score(JobseekerProfile(), _vacancy("")).score


# ---- everyday jobs ----------------------------------------------------------------------------
def test_everyday_jobs_have_valid_codes_groups_and_unique_ids():
    assert len(everyday_jobs.BY_ID) == len(everyday_jobs.JOBS) >= 50
    for job in everyday_jobs.JOBS:
        assert job.occupation_code in MIDDLES and job.group in everyday_jobs.GROUP_NAMES
    for name in ("保洁员", "保安员", "普工", "厨师", "服务员", "快递员", "外卖骑手", "司机", "仓管员",
                 "月嫂/育婴员", "护工", "电工", "焊工", "销售", "客服", "文员"):
        assert any(j.name == name for j in everyday_jobs.JOBS), name
    assert everyday_jobs.get("welder").occupation_code == "6-18"
    with pytest.raises(UnknownCodeError):
        everyday_jobs.get("astronaut")
    assert [j.id for j in everyday_jobs.in_group("logistics")][:2] == ["courier", "food_delivery_rider"]


def test_codes_agree_with_the_catalog_classifier_except_documented_cases():
    for job in everyday_jobs.JOBS:
        found = classify_title(job.name)
        if job.id in everyday_jobs.CLASSIFIER_DIFFERENCES:
            assert found not in ("", job.occupation_code)
        else:
            assert found in ("", job.occupation_code), (job.name, found)


def test_stored_readings_equal_pypinyin():
    words = {w for job in everyday_jobs.JOBS for w in job.words}
    assert set(everyday_jobs.READINGS) == words
    for word, syllables in everyday_jobs.READINGS.items():
        assert tuple(lazy_pinyin(word)) == syllables, word
    assert everyday_jobs.READINGS["会计"] == ("kuai", "ji")


@pytest.mark.parametrize("query,first", [
    ("保洁", "保洁员"), ("bj", "保洁员"), ("baojie", "保洁员"), ("BAO JIE", "保洁员"),
    ("qs", "外卖骑手"), ("骑手", "外卖骑手"), ("ys", "月嫂/育婴员"), ("清洁工", "保洁员"),
    ("kj", "会计/出纳"), ("cg", "仓管员"), ("hg", "护工"), ("照顾老人", "养老护理员"),
])
def test_search_by_hanzi_pinyin_and_initials(query, first):
    assert everyday_jobs.search(query)[0].name == first


def test_search_ranks_prefix_before_inside_and_empty_lists_all():
    names = [j.name for j in everyday_jobs.search("电工")]
    assert names == ["电工", "水电工"]
    assert everyday_jobs.search("") == list(everyday_jobs.JOBS)
    assert everyday_jobs.search("zzzz") == []
