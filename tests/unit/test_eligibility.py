"""就业困难人员 self-check (粤人社规〔2023〕11号 第一条): gates, categories at every boundary, the
wording, the form code tables and ``kiosk assistance eligibility``."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kiosk.cli import main
from kiosk.domain.codes import disability, flexible_employment, health_status, unemployment_reasons
from kiosk.domain.codes.errors import UnknownCodeError
from kiosk.domain.eligibility import (DECLARABLE, GATES, MEN, PROFILE_KEYS, SENSITIVE_CATEGORIES,
                                      WOMEN_50, WOMEN_55, EligibilityRules, HardshipProfile,
                                      ProfileError, add_months, age_on, assess)
from kiosk.domain.hardship_wording import CATEGORIES, self_check_text

BASE = {"as_of": "2026-12-01", "birth_date": "1990-06-15", "gender": "male",
        "hukou_division": "440106", "residence_division": "440106", "unemployed": True,
        "able_and_willing": True, "last_unemployment_registration": None, "veteran": False,
        "declared": []}


def profile(**changes) -> HardshipProfile:
    return HardshipProfile.from_json({**BASE, **changes})


def result(**changes):
    return assess(profile(**changes))


# ---- calendar arithmetic -----------------------------------------------------------------------
def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


def test_age_on_birthday_and_leap_day():
    assert age_on(date(1986, 12, 1), date(2026, 12, 1)) == 40
    assert age_on(date(1986, 12, 1), date(2026, 11, 30)) == 39
    assert age_on(date(2000, 2, 29), date(2021, 2, 28)) == 21
    assert age_on(date(2000, 2, 29), date(2021, 2, 27)) == 20


# ---- category (一) 大龄 -------------------------------------------------------------------------
def test_woman_is_40_on_her_40th_birthday():
    assert 1 in result(gender="female", birth_date="1986-12-01").categories
    assert 1 not in result(gender="female", birth_date="1986-12-02").categories


def test_man_is_50_on_his_50th_birthday():
    assert 1 in result(birth_date="1976-12-01").categories
    assert 1 not in result(birth_date="1976-12-02").categories
    assert 1 not in result(birth_date="1986-12-01").categories   # a 40-year-old man


# ---- categories (七) and (十一) ------------------------------------------------------------------
def test_365_days_since_registration_is_one_year():
    assert 7 in result(last_unemployment_registration="2025-12-01").categories   # 365 days
    assert 7 not in result(last_unemployment_registration="2025-12-02").categories  # 364 days
    assert 7 not in result().categories


def test_365_days_across_a_leap_day():
    # 2024-01-01 + 365 days = 2024-12-31 (leap year): counts as one year.
    assert 7 in result(as_of="2024-12-31", last_unemployment_registration="2024-01-01").categories
    assert 7 not in result(as_of="2024-12-30", last_unemployment_registration="2024-01-01").categories


def test_veteran_six_calendar_months():
    six = result(veteran=True, last_unemployment_registration="2026-06-01")
    five = result(veteran=True, last_unemployment_registration="2026-06-02")
    assert 11 in six.categories and 11 not in five.categories
    assert 11 not in result(veteran=False, last_unemployment_registration="2026-06-01").categories
    # 08-31 + 6 months = the last day of February.
    assert 11 in result(as_of="2027-02-28", veteran=True,
                        last_unemployment_registration="2026-08-31").categories
    assert 11 not in result(as_of="2027-02-27", veteran=True,
                            last_unemployment_registration="2026-08-31").categories


def test_declared_categories_map_to_their_numbers():
    all_declared = list(DECLARABLE)
    assert result(declared=all_declared).categories == (2, 3, 4, 5, 6, 8, 9, 10)
    for key, number in DECLARABLE.items():
        assert result(declared=[key]).categories == (number,)


def test_items_12_and_13_are_not_offered():
    everything = result(gender="female", birth_date="1980-01-01", veteran=True,
                        last_unemployment_registration="2020-01-01", declared=list(DECLARABLE))
    assert everything.categories == tuple(range(1, 12))
    assert set(CATEGORIES) == set(range(1, 12))


# ---- gates ------------------------------------------------------------------------------------
def test_all_gates_pass_for_a_guangdong_resident():
    r = result()
    assert (r.gates_passed, r.failed_gates, r.categories) == (True, (), ())


def test_non_guangdong_hukou_fails_even_when_living_in_guangdong():
    r = result(hukou_division="430102", residence_division="440106")
    assert r.failed_gates == ("guangdong_hukou",)
    assert r.application_places == ()


def test_shenzhen_residence_with_other_guangdong_hukou():
    r = result(hukou_division="445202", residence_division="440305")
    assert r.gates_passed and r.application_places == ("445202", "440305")
    r = result(hukou_division="430102", residence_division="440305")
    assert r.failed_gates == ("guangdong_hukou",)


def test_residence_only_cities_are_configurable():
    rules = EligibilityRules(residence_only_cities=frozenset({"4403"}))
    r = assess(profile(hukou_division="430102", residence_division="440305"), rules)
    assert r.gates_passed and r.application_places == ("440305",)


def test_unemployed_and_able_gates():
    assert result(unemployed=False).failed_gates == ("unemployed",)
    assert result(able_and_willing=False).failed_gates == ("able_and_willing",)
    r = result(unemployed=False, able_and_willing=False, hukou_division="110105",
               birth_date="2011-01-01")
    assert r.failed_gates == GATES


def test_categories_are_reported_even_when_a_gate_fails():
    r = result(unemployed=False, declared=["landless_farmer"])
    assert r.failed_gates == ("unemployed",) and r.categories == (6,)
    assert self_check_text(r).offer_application is False


def test_working_age_starts_on_the_16th_birthday():
    assert "working_age" not in result(birth_date="2010-12-01").failed_gates
    assert "working_age" in result(birth_date="2010-12-02").failed_gates


def test_retirement_dates_of_the_gradual_raise():
    assert MEN.retirement_date(date(1964, 12, 31)) == date(2024, 12, 31)     # before: 60
    assert MEN.retirement_date(date(1965, 1, 10)) == date(2025, 2, 10)       # 60y1m
    assert MEN.retirement_date(date(1966, 5, 10)) == date(2026, 10, 10)      # 60y5m
    assert MEN.retirement_date(date(1976, 9, 1)) == date(2039, 9, 1)         # 63
    assert WOMEN_55.retirement_date(date(1971, 3, 15)) == date(2026, 7, 15)  # 55y4m
    assert WOMEN_50.retirement_date(date(1976, 3, 15)) == date(2026, 11, 15)  # 50y8m
    assert WOMEN_50.retirement_date(date(1990, 1, 1)) == date(2045, 1, 1)    # 55


def test_working_age_ends_on_the_retirement_date():
    assert "working_age" not in result(birth_date="1966-05-10", as_of="2026-10-09").failed_gates
    assert "working_age" in result(birth_date="1966-05-10", as_of="2026-10-10").failed_gates
    woman = {"gender": "female", "birth_date": "1971-03-15"}
    assert "working_age" not in result(as_of="2026-07-14", **woman).failed_gates
    assert "working_age" in result(as_of="2026-07-15", **woman).failed_gates
    workers = EligibilityRules(retirement_female=WOMEN_50)
    assert assess(profile(as_of="2026-07-14", **woman), workers).failed_gates == ("working_age",)


# ---- profile validation ----------------------------------------------------------------------
@pytest.mark.parametrize("changes,key", [
    ({"as_of": "2026-02-30"}, "as_of"),
    ({"birth_date": "1990/06/15"}, "birth_date"),
    ({"birth_date": 19900615}, "birth_date"),
    ({"birth_date": "2027-01-01"}, "birth_date"),
    ({"last_unemployment_registration": "2026-13-01"}, "last_unemployment_registration"),
    ({"last_unemployment_registration": "2026-12-02"}, "last_unemployment_registration"),
    ({"gender": "f"}, "gender"),
    ({"hukou_division": "4401"}, "hukou_division"),
    ({"residence_division": 440106}, "residence_division"),
    ({"unemployed": "yes"}, "unemployed"),
    ({"veteran": 1}, "veteran"),
    ({"declared": ["unknown_thing"]}, "declared"),
    ({"declared": "landless_farmer"}, "declared"),
    ({"declared": ["landless_farmer", "landless_farmer"]}, "declared"),
    ({"name": "张三"}, "name"),
])
def test_bad_profiles(changes, key):
    with pytest.raises(ProfileError) as info:
        profile(**changes)
    assert info.value.key == key


@pytest.mark.parametrize("key", PROFILE_KEYS)
def test_every_key_is_required(key):
    data = dict(BASE)
    del data[key]
    with pytest.raises(ProfileError) as info:
        HardshipProfile.from_json(data)
    assert info.value.key == key


def test_repr_hides_declared_categories():
    p = profile(declared=["drug_rehabilitated", "released_prisoner"])
    assert "drug" not in repr(p) and "released" not in repr(p)
    assert "categories" not in repr(assess(p))


# ---- wording ----------------------------------------------------------------------------------
def test_self_check_wording_says_may_and_bring_never_qualifies():
    text = self_check_text(result(gender="female", birth_date="1980-01-01",
                                  declared=["disability_certificate"]))
    assert text.lines_zh[0] == ("您可能属于：第（一）类 大龄失业人员（女性满40周岁、男性满50周岁）；"
                                "第（二）类 残疾人员（持有《中华人民共和国残疾人证》，"
                                "或退役军人事务部门发放的伤残证件）。")
    assert text.lines_zh[1] == "请携带：身份证或社会保障卡、残疾人证或退役军人伤残证件。"
    assert text.offer_application and text.contains_sensitive
    assert not self_check_text(result(gender="female", birth_date="1980-01-01")).contains_sensitive


def test_no_text_anywhere_says_you_qualify():
    cases = [result(declared=list(DECLARABLE)), result(), result(unemployed=False),
             result(hukou_division="430102")]
    for r in cases:
        text = self_check_text(r)
        assert not any("您符合" in line or "符合条件" in line for line in text.lines_zh)
    for c in CATEGORIES.values():
        assert "您符合" not in c.plain_zh + "".join(c.bring_zh)


def test_gate_failure_wording():
    text = self_check_text(result(hukou_division="430102"))
    assert text.lines_zh == ("就业困难人员认定面向广东省户籍人员，您的户籍不在广东省。",
                             "您可以办理失业登记或求职登记，也可以申请帮办，由工作人员帮您看看。")
    assert not text.offer_application


def test_sensitive_categories_match_the_reference():
    assert SENSITIVE_CATEGORIES == {2, 3, 8, 9, 10}
    assert [c.number for c in CATEGORIES.values() if c.sensitive] == [2, 3, 8, 9, 10]


# ---- code tables the forms need ---------------------------------------------------------------
def test_form_code_tables():
    assert unemployment_reasons.name_of("22") == "企业破产倒闭终止劳动关系"
    assert len(unemployment_reasons.REASONS) == 14
    assert unemployment_reasons.needs_other_text("90") and "24" in unemployment_reasons.VOLUNTARY
    assert health_status.GROUPS == {"1": "健康或良好", "2": "一般或较弱", "3": "有慢性病", "6": "残疾"}
    assert health_status.group_of("41") == "3" and health_status.group_of("64") == "6"
    assert health_status.needs_disability_details("6")
    assert not health_status.needs_disability_details("37")
    with pytest.raises(UnknownCodeError):
        health_status.group_of("50")
    assert disability.split_certificate_number("44990119900101123523") == ("2", "3")
    assert disability.CATEGORIES["2"] == "听力残疾" and disability.GRADES["3"] == "三级"
    assert len(disability.grades_for("veteran_injury_certificate")) == 10
    with pytest.raises(UnknownCodeError) as info:
        disability.split_certificate_number("44990119900101123583")
    assert "123X" not in str(info.value)
    assert flexible_employment.name_of("part_time") == "非全日制就业"


# ---- CLI --------------------------------------------------------------------------------------
def _write(tmp_path, data) -> str:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data,
                    encoding="utf-8")
    return str(path)


def test_cli_prints_the_object(tmp_path, capsys):
    path = _write(tmp_path, {**BASE, "gender": "female", "birth_date": "1986-12-01",
                             "last_unemployment_registration": "2025-12-01",
                             "declared": ["minimum_living_allowance"]})
    assert main(["assistance", "eligibility", "--profile", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "gates_passed": True, "failed_gates": [], "categories": [1, 3, 7]}


def test_cli_gate_failure_is_exit_0(tmp_path, capsys):
    path = _write(tmp_path, {**BASE, "hukou_division": "430102", "unemployed": False})
    assert main(["assistance", "eligibility", "--profile", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "gates_passed": False, "failed_gates": ["guangdong_hukou", "unemployed"], "categories": []}


def test_cli_without_json_prints_the_wording(tmp_path, capsys):
    path = _write(tmp_path, {**BASE, "declared": ["landless_farmer"]})
    assert main(["assistance", "eligibility", "--profile", path]) == 0
    assert capsys.readouterr().out.startswith("您可能属于：第（六）类 失地农民")


@pytest.mark.parametrize("data,fragment", [
    ({k: v for k, v in BASE.items() if k != "veteran"}, "veteran: is missing"),
    ({**BASE, "phone": "13800138000"}, "phone: is not a profile key"),
    ({**BASE, "as_of": "2026-02-30"}, "as_of: must be a date YYYY-MM-DD"),
    ("{not json", "is not UTF-8 JSON (line 1)"),
    ("[]", "profile: must be a JSON object"),
])
def test_cli_bad_profiles_exit_2_with_one_line(tmp_path, capsys, data, fragment):
    path = _write(tmp_path, data)
    assert main(["assistance", "eligibility", "--profile", path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and fragment in captured.err
    assert "Traceback" not in captured.err


def test_cli_missing_file_exit_2(tmp_path, capsys):
    assert main(["assistance", "eligibility", "--profile", str(tmp_path / "none.json"),
                 "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read") and err.count("\n") == 1


def test_cli_logs_nothing_about_sensitive_answers(tmp_path, capsys, caplog):
    caplog.set_level("DEBUG")
    path = _write(tmp_path, {**BASE, "declared": ["drug_rehabilitated", "mental_disorder_recovered",
                                                  "released_prisoner"]})
    assert main(["assistance", "eligibility", "--profile", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["categories"] == [8, 9, 10]
    logged = " ".join(r.getMessage() for r in caplog.records)
    for word in ("drug", "mental", "released", "戒毒", "精神", "刑满"):
        assert word not in logged


def test_rules_from_a_site_mapping():
    rules = EligibilityRules.from_mapping({"female_retirement_base": 50,
                                           "residence_only_cities": ["4403"],
                                           "continuous_unemployment_days": 366})
    assert rules.retirement_female == WOMEN_50 and rules.residence_only_cities == {"4403"}
    assert 7 not in assess(profile(last_unemployment_registration="2025-12-01"), rules).categories
    assert EligibilityRules.from_mapping({}) == EligibilityRules()
    for bad, key in (({"female_retirement_base": 52}, "female_retirement_base"),
                     ({"older_female_age": "40"}, "older_female_age"),
                     ({"residence_only_cities": "4403"}, "residence_only_cities"),
                     ({"shenzhen": True}, "shenzhen")):
        with pytest.raises(ProfileError) as info:
            EligibilityRules.from_mapping(bad)
        assert info.value.key == key
