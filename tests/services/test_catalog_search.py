"""Search on the real postings (../shared/data/vacancies_clean.csv) and the demo data."""

from __future__ import annotations

from collections.abc import Iterator

import itertools
import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

from kiosk.domain.codes import divisions, education, occupations
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import PinyinVocabulary, SearchFilters, VacancyCatalog
from kiosk.services.catalog.schema import searchable_fields
from kiosk.services.catalog.text_index import normalize

REPO = Path(__file__).resolve().parents[2]
CSV = SHARED_DATA / "vacancies_clean.csv"
DEMO = REPO / "assets" / "demo" / "vacancies.json"
STATION = (23.1365, 113.3240)
TODAY = date(2026, 11, 30)


def demo_vacancies() -> list[Vacancy]:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    return [Vacancy(**dict(v, tags=tuple(v["tags"]))) for v in data["vacancies"]]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Iterator[VacancyCatalog]:
    if not CSV.exists():
        pytest.skip(f"reference data {CSV} absent (../shared/data beside the repo)")
    cat = VacancyCatalog(tmp_path_factory.mktemp("catalog") / "catalog.sqlite3",
                         today=lambda: TODAY)
    assert cat.import_csv(CSV) == 13296
    cat.upsert(demo_vacancies())
    yield cat
    cat.close()


@pytest.fixture(scope="module")
def everything(catalog) -> list[Vacancy]:
    return list(catalog.all())


def brute(vacancies, term):
    t = normalize(term)
    return {v.id for v in vacancies if any(t in normalize(f) for f in searchable_fields(v) if f)}


@pytest.mark.parametrize("query", ["测", "保", "数据", "保洁", "天河", "ui", "测试", "软件测试",
                                   "android开发", "数据分析师", "工程师", "南山区", "南粤家政",
                                   "（演示）", "c++", "5年"])
def test_substring_recall_is_complete(catalog, everything, query):
    expected = brute(everything, query)
    assert expected, query
    got = catalog.search(query, limit=100_000)
    ids = {h.vacancy.id for h in got.items}
    assert expected <= ids
    if not query.isascii():
        assert ids == expected and got.total == len(expected)


def test_two_terms_must_both_match(catalog, everything):
    expected = brute(everything, "测试") & brute(everything, "深圳")
    got = catalog.search("测试 深圳", limit=100_000)
    assert {h.vacancy.id for h in got.items} == expected and got.total == len(expected)


@pytest.mark.parametrize("query, title", [
    ("bj", "保洁员"), ("baoj", "保洁员"), ("baojie", "保洁员"), ("pg", "包装普工"),
    ("rjcs", "软件测试工程师"), ("ruanjianceshi", "软件测试工程师"), ("sjfx", "数据分析师"),
    ("jiazheng", "家政服务员"), ("yuesao", "月嫂"), ("ylhl", "养老护理员"),
])
def test_pinyin_and_initials_find_titles(catalog, query, title):
    titles = {h.vacancy.title for h in catalog.search(query, limit=5000).items}
    assert title in titles


def test_pinyin_respects_phrase_readings():
    cat = VacancyCatalog(":memory:")
    cat.upsert([Vacancy(id="a", title="重庆小面厨师", employer="", city="广州市"),
                Vacancy(id="b", title="重型货车司机", employer="", city="广州市"),
                Vacancy(id="c", title="银行柜员", employer="", city="广州市")])
    assert [h.vacancy.id for h in cat.search("chongqing").items] == ["a"]
    assert [h.vacancy.id for h in cat.search("zhongxing").items] == ["b"]
    assert cat.search("zhongqing").total == 0
    assert [h.vacancy.id for h in cat.search("yinhang").items] == ["c"]
    assert cat.search("yinxing").total == 0
    assert cat.search("aoji").total == 0            # matches start at a syllable


def test_title_hits_rank_before_pinyin_and_other_fields(catalog):
    hits = catalog.search("baojie", limit=50).items
    assert hits[0].vacancy.title.startswith("保洁")
    assert hits[0].score == 2                         # full pinyin of the title
    text_hits = catalog.search("保洁员", limit=200).items
    scores = [h.score for h in text_hits]
    assert scores == sorted(scores, reverse=True) and scores[0] == 4


def test_recency_breaks_ties(catalog):
    hits = catalog.search("保安员", SearchFilters(city_code="4401"), limit=50).items
    for a, b in itertools.pairwise(hits):
        if a.score == b.score:
            assert a.vacancy.date_posted >= b.vacancy.date_posted
    assert hits[0].posting_age_days == (TODAY - date.fromisoformat(hits[0].vacancy.date_posted)).days


def _passes(v: Vacancy, f: SearchFilters) -> bool:
    from kiosk.domain.matching import monthly_max
    return ((not f.city_code or v.division_code.startswith(f.city_code))
            and (not f.district_code or v.division_code.startswith(f.district_code))
            and (not f.occupation_major or occupations.major_of(v.occupation_code or "x")
                 == f.occupation_major)
            and (not f.salary_min or monthly_max(v) >= f.salary_min)
            and (not f.education_max or education.rank_of(v.education_code)
                 <= education.rank_of(f.education_max))
            and (f.public_welfare is None or v.public_welfare == f.public_welfare)
            and (f.internship is None or v.internship == f.internship)
            and (f.employment_type is None or v.employment_type == f.employment_type))


@pytest.mark.parametrize("filters", [
    SearchFilters(city_code="4403"),
    SearchFilters(city_code="4403", district_code="440305", salary_min=20000),
    SearchFilters(district_code="441900004"),
    SearchFilters(city_code="4401", occupation_major="4", education_max="61"),
    SearchFilters(public_welfare=True, city_code="4401"),
    SearchFilters(internship=True, employment_type="INTERN"),
    SearchFilters(education_max="31", salary_min=8000, city_code="4406"),
])
def test_filters_combine_like_a_scan(catalog, everything, filters):
    expected = {v.id for v in everything if _passes(v, filters)}
    got = catalog.search("", filters, limit=100_000)
    assert {h.vacancy.id for h in got.items} == expected and got.total == len(expected)


def test_query_and_filters_combine(catalog, everything):
    f = SearchFilters(city_code="4401", district_code="440106", salary_min=10000)
    expected = {v.id for v in everything if _passes(v, f)} & brute(everything, "测试")
    got = catalog.search("测试", f, limit=100_000)
    assert {h.vacancy.id for h in got.items} == expected and len(expected) > 10


def test_distance_posting_age_and_circle(catalog, everything):
    from kiosk.domain.matching import distance_km
    f = SearchFilters(district_code="440106", within_km=3.0, max_age_days=30)
    got = catalog.search("", f, origin=STATION, limit=1000)
    expected = {v.id for v in everything
                if v.latitude is not None and v.division_code.startswith("440106")
                and distance_km(STATION, (v.latitude, v.longitude)) <= 3.0
                and (TODAY - date.fromisoformat(v.date_posted)).days <= 30}
    assert {h.vacancy.id for h in got.items} == expected and expected
    for h in got.items:
        assert h.distance_km is not None and h.distance_km <= 3.0
        assert 0 <= h.posting_age_days <= 30
    assert catalog.search("", SearchFilters(max_age_days=0)).total == 0  # newest is 11-29


def test_csv_mapping(catalog):
    hits = catalog.search("", SearchFilters(district_code="441900401"), limit=5).items
    v = hits[0].vacancy
    assert (v.city, v.district, v.town, v.division_code) == ("东莞市", "", "松山湖", "441900401")
    tagged = [v for v in catalog.all() if "13薪" in v.tags]
    assert len(tagged) == 45 and all(v.salary_unit == "MONTH" for v in tagged)


def test_demo_data_is_consistent_with_code_tables():
    vs = demo_vacancies()
    assert len(vs) >= 300 and len({v.id for v in vs}) == len(vs)
    assert {v.city for v in vs} == set(divisions.CITIES.values())
    for v in vs:
        assert divisions.is_known(v.division_code) and len(v.division_code) == 9
        assert divisions.name_of(v.division_code) == v.town
        assert occupations.MIDDLES[v.occupation_code] == v.occupation_name
        assert v.education_code == "" or education.group_of(v.education_code)
        assert v.contact_phone.split("-")[1].startswith("8000")
        assert v.employer.endswith("（演示）")
    near = [v for v in vs if v.division_code.startswith("440106") and v.latitude]
    assert len(near) >= 50
    assert sum(v.public_welfare for v in vs) >= 5 and sum(v.internship for v in vs) >= 5


def test_upsert_replaces_and_delete_removes():
    cat = VacancyCatalog(":memory:")
    cat.upsert([Vacancy(id="x", title="保洁员", employer="", city="广州市")])
    cat.upsert([Vacancy(id="x", title="保安员", employer="", city="广州市")])
    assert cat.count() == 1
    assert cat.search("保洁").total == 0 and cat.search("bj").total == 0
    assert cat.search("保安").total == 1 and cat.search("baoan").total == 1
    assert cat.delete(["x", "unknown"]) == 1
    assert cat.search("保安").total == 0 and cat.get("x") is None


def test_vocabulary_candidates(catalog):
    vocab = PinyinVocabulary.from_catalog(catalog)
    assert vocab.candidates("baojie")[0] == "保洁员"
    assert "保洁员" in vocab.candidates("baoj") and "保洁员" in vocab.candidates("bj")
    assert vocab.candidates("tianhe")[:2] == ["天河", "天河区"]
    assert vocab.candidates("rjcsgcs")[0] == "软件测试工程师"
    assert "重庆" not in vocab.candidates("zhongqing")
    assert vocab.candidates("") == [] and vocab.candidates("123") == []
