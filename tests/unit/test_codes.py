"""The shipped code tables, cross-checked against the reference data in ../shared/data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kiosk.domain.codes import divisions, education, key_groups, occupations
from kiosk.domain.codes.errors import CodeError, UnknownCodeError

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"reference data {path} absent (../shared/data beside the repo)")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_cities_match_reference():
    ref = {r["code"]: r["name"] for r in _rows("gd_divisions.csv") if r["level"] == "city"}
    assert divisions.CITIES == ref
    assert len(divisions.CITIES) == 21


def test_counties_match_reference_without_dongguan_zhongshan_placeholders():
    ref = {r["code"]: r["name"] for r in _rows("gd_divisions.csv") if r["level"] == "county"}
    assert len(ref) == 124
    assert ref.pop("441900") == "东莞市" and ref.pop("442000") == "中山市"
    assert divisions.COUNTIES == ref


def test_listed_districts_have_all_their_towns():
    rows = [r for r in _rows("gd_divisions.csv") if r["level"] == "town"]
    ref: dict[str, dict[str, str]] = {}
    for r in rows:
        ref.setdefault(r["parent_code"], {})[r["code"]] = r["name"]
    parents = {code[:6] for code in divisions.TOWNS}
    assert {"440106", "441900", "442000"} <= parents
    for parent in parents:
        assert {c: n for c, n in divisions.TOWNS.items() if c[:6] == parent} == ref[parent]


def test_picker_navigation_and_names():
    assert divisions.counties_of("4419") == {}
    assert not divisions.has_county_level("4420") and divisions.has_county_level("4401")
    assert list(divisions.towns_of("4419"))[:2] == ["441900003", "441900004"]
    assert divisions.towns_of("440106")["440106008"] == "天河南街道"
    assert len(divisions.counties_of("4401")) == 11
    assert divisions.full_name("440106008") == "广州市天河区天河南街道"
    assert divisions.full_name("441900119") == "东莞市长安镇"
    assert divisions.city_code_of("441900119") == "4419"
    assert divisions.county_code_of("441900119") == ""
    assert divisions.county_code_of("440106008") == "440106"
    with pytest.raises(UnknownCodeError) as info:
        divisions.name_of("449999")
    assert info.value.value == "449999" and info.value.table == "GB/T 2260"


@pytest.mark.parametrize("city, name, code", [
    ("4401", "天河区", "440106"), ("4401", "天河", "440106"), ("4419", "南城区", "441900004"),
    ("4419", "松山湖区", "441900401"), ("4419", "长安镇", "441900119"),
    ("4420", "东区", "442000002"), ("4420", "石岐区", "442000001"), ("4415", "城区", "441502"),
    ("4404", "珠海高新区", ""), ("4401", "", ""),
])
def test_find_division(city, name, code):
    assert divisions.find_division(city, name) == code


def test_find_city():
    assert divisions.find_city("广州市") == "4401"
    assert divisions.find_city("东莞") == "4419"
    assert divisions.find_city("北京市") == ""


def test_occupations_match_reference():
    rows = _rows("occupation_categories_2022_major_middle.csv")
    majors = {r["seq"]: r["name"] for r in rows if r["level"] == "major"}
    middles = {r["seq"]: r["name"] for r in rows if r["level"] == "middle"}
    assert occupations.MAJORS == majors
    assert occupations.MIDDLES == middles
    assert len(occupations.MIDDLES) == 79
    for r in rows:
        if r["level"] == "middle":
            assert occupations.gbt6565_code(r["seq"]) == r["gbt6565_code"]


@pytest.mark.parametrize("title, code", [
    ("电子厂普工", "6-31"), ("小区保安员", "4-07"), ("商场保洁员", "4-09"), ("育婴员", "4-10"),
    ("外卖骑手", "4-02"), ("电商客服", "4-01"), ("软件测试工程师", "2-02"), ("行政文员", "3-01"),
    ("医院护工", "4-14"), ("粤菜厨师", "4-03"), ("董事会秘书", ""),
])
def test_classify_title(title, code):
    assert occupations.classify_title(title) == code


def test_education_matches_reference_and_groups():
    ref = {r["code"]: r["name"] for r in _rows("gbt4658_education_levels.csv")}
    assert education.GBT4658 == ref
    assert education.group_of("21") == "20"
    assert education.group_of("47") == "40"
    assert education.group_of("50") == "40"
    assert education.rank_of("14") == 7 and education.rank_of("") == 0
    assert education.meets("31", "30") and not education.meets("61", "30")
    assert education.meets("", "")
    with pytest.raises(UnknownCodeError):
        education.group_of("55")


@pytest.mark.parametrize("text, code", [
    ("本科", "20"), ("大专", "30"), ("中专/中技", "40"), ("高中", "60"), ("初中及以下", "70"),
    ("硕士", "10"), ("博士", "10"), ("不限", ""), ("", ""),
])
def test_parse_requirement(text, code):
    assert education.parse_requirement(text) == code


def test_parse_requirement_rejects_unknown_wording():
    with pytest.raises(CodeError):
        education.parse_requirement("看能力")


def test_key_groups():
    assert len(key_groups.KEY_GROUPS) == 7
    assert key_groups.name_of("HARD_TO_EMPLOY") == "就业困难人员"
    assert key_groups.eligible_for_public_welfare(("DISABLED",))
    assert not key_groups.eligible_for_public_welfare(("GRADUATE",))
    assert key_groups.eligible_for_internship(("GRADUATE",))
    with pytest.raises(UnknownCodeError):
        key_groups.name_of("STUDENT")
