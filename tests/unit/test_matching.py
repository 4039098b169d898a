"""Each part of the matching score, its points and its reason."""

from __future__ import annotations

import pytest

from kiosk.domain import matching as m
from kiosk.domain.matching import JobseekerProfile, distance_km, rank, score
from kiosk.domain.vacancy import Vacancy

STATION = (23.1365, 113.3240)


def vac(**kw) -> Vacancy:
    base = dict(id="V-1", title="保洁员", employer="演示物业", city="广州市", district="天河区",
                town="天河南街道", division_code="440106008")
    base.update(kw)
    return Vacancy(**base)


def test_bare_profile_gets_only_education_points():
    got = score(JobseekerProfile(), vac())
    assert (got.score, got.reasons, got.flags) == (10, ["学历符合"], [])


def test_exact_occupation_40_same_major_15():
    p = JobseekerProfile(desired_occupations=("4-09",))
    assert score(p, vac(occupation_code="4-09")).score == 10 + 40
    assert "职业对口" in score(p, vac(occupation_code="4-09")).reasons
    near = score(p, vac(occupation_code="4-10"))
    assert (near.score, near.reasons) == (10 + 15, ["学历符合", "职业相近"])
    assert score(p, vac(occupation_code="6-31")).score == 10


def test_desired_district_by_code_prefix():
    p = JobseekerProfile(desired_districts=("440106",))
    got = score(p, vac())
    assert got.score == 10 + 20 and got.reasons[-1] == "在期望区域（天河南街道）"
    assert score(p, vac(division_code="440105001")).score == 10


def test_fifteen_minute_circle():
    got = score(JobseekerProfile(), vac(), distance=1.24)
    # the circle's reason comes first (issue 17 item 2), also as a message id with its argument
    assert got.score == 10 + 15 and got.reasons == ["在15分钟就业圈内（1.2公里）", "学历符合"]
    assert [(r.message_id, r.args) for r in got.reason_ids] == [
        ("在15分钟就业圈内（{}公里）", ("1.2",)), ("学历符合", ())]
    assert score(JobseekerProfile(), vac(), distance=3.5).score == 10
    assert score(JobseekerProfile(), vac(), distance=None).score == 10


def test_salary_compares_monthly_pay():
    p = JobseekerProfile(expected_salary=4000)
    assert score(p, vac(salary_min=3500, salary_max=4200)).score == 10 + 15
    assert score(p, vac(salary_min=3000, salary_max=3800)).score == 10
    # 200 yuan/day x 21.75 days = 4350 yuan/month
    assert score(p, vac(salary_min=180, salary_max=200, salary_unit="DAY")).score == 25
    assert score(p, vac()).score == 10          # 面议: no salary points


def test_employment_type():
    p = JobseekerProfile(employment_type="PART_TIME")
    got = score(p, vac(employment_type="PART_TIME"))
    assert got.score == 20 and got.reasons[-1] == "用工形式符合（兼职）"
    assert score(p, vac()).score == 10


def test_over_qualified_requirement_excluded_or_flagged():
    p = JobseekerProfile(education_code="61")           # 普通高中毕业
    assert score(p, vac(education_code="30")) is None   # 大专 required
    flagged = score(p, vac(education_code="30"), exclude_over_qualified=False)
    assert (flagged.score, flagged.flags) == (0, [m.FLAG_OVER_QUALIFIED])
    assert score(p, vac(education_code="60")).score == 10
    assert score(p, vac(education_code="70")).score == 10


def test_public_welfare_and_internship_only_for_their_groups():
    pw = vac(public_welfare=True)
    assert score(JobseekerProfile(), pw) is None
    got = score(JobseekerProfile(key_groups=("HARD_TO_EMPLOY",)), pw)
    assert got.score == 10 + 15 and got.reasons[0] == "公益性岗位，面向就业困难人员等"
    intern = vac(internship=True, employment_type="INTERN")
    assert score(JobseekerProfile(key_groups=("MIGRANT_WORKER",)), intern) is None
    assert score(JobseekerProfile(key_groups=("GRADUATE",)), intern).score == 25


def test_all_parts_add_up():
    p = JobseekerProfile(desired_occupations=("4-09",), desired_districts=("440106",),
                         expected_salary=3000, education_code="71", employment_type="FULL_TIME",
                         key_groups=("HARD_TO_EMPLOY",))
    v = vac(occupation_code="4-09", salary_min=2800, salary_max=3200, public_welfare=True)
    got = score(p, v, distance=0.8)
    assert got.score == 15 + 10 + 40 + 20 + 15 + 15 + 10
    assert got.reasons == ["在15分钟就业圈内（0.8公里）", "公益性岗位，面向就业困难人员等",
                           "学历符合", "职业对口", "在期望区域（天河南街道）",
                           "薪资符合期望", "用工形式符合（全职）"]
    assert [r.text_zh for r in got.reason_ids] == got.reasons


def test_distance_km():
    # 0.01 degree of latitude = 1.1132 km; of longitude at 23.1365° = 1.0236 km
    assert distance_km(STATION, (23.1465, 113.3240)) == pytest.approx(1.1132, abs=1e-4)
    assert distance_km(STATION, (23.1365, 113.3340)) == pytest.approx(1.02366, abs=1e-4)


def test_rank_orders_by_score_then_distance_then_date():
    p = JobseekerProfile(desired_occupations=("4-09",), desired_districts=("440106",))
    vs = [vac(id="far", occupation_code="4-09", latitude=23.20, longitude=113.32),
          vac(id="near", occupation_code="4-09", latitude=23.14, longitude=113.32),
          vac(id="other-district", occupation_code="4-09", division_code="440105001"),
          vac(id="newer", occupation_code="4-09", date_posted="2026-11-20"),
          vac(id="older", occupation_code="4-09", date_posted="2026-10-01")]
    got = [x.vacancy.id for x in rank(p, vs, origin=STATION)]
    assert got == ["near", "far", "newer", "older", "other-district"]


def test_salary_text_per_language():
    from kiosk.domain.vacancy import Vacancy

    v = Vacancy(id="V-1", title="保洁员", employer="x", city="广州市", salary_min=2900,
                salary_max=3400)
    assert v.salary_text() == "2900-3400元/月"
    assert v.salary_text("en") == "CNY 2,900–3,400 / month"
    day = Vacancy(id="V-2", title="兼职", employer="x", city="广州市", salary_min=150,
                  salary_unit="DAY")
    assert (day.salary_text(), day.salary_text("en")) == ("150元/天", "CNY 150 / day")
    none = Vacancy(id="V-3", title="普工", employer="x", city="广州市")
    assert (none.salary_text(), none.salary_text("en")) == ("面议", "Negotiable")
