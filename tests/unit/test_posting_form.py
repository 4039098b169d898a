"""The employer posting pick-lists and summaries (kiosk.services.posting_form) and the unit-name
candidates (kiosk.services.employer_names)."""

from __future__ import annotations

from datetime import date

from kiosk.services.employer_names import NAME_WORDS, common_characters, name_vocabulary
from kiosk.services.employer_postings import PostingDraft
from kiosk.services.posting_form import (REQUIREMENT_CHOICES, pay_entry, summary_lines,
                                         work_days)
from kiosk.domain.vacancy import Vacancy


def test_work_days_label_today_tomorrow_and_weekdays():
    days = work_days(date(2026, 12, 1), 4)
    assert days == [("2026-12-01", "今天 12月1日 周二"), ("2026-12-02", "明天 12月2日 周三"),
                    ("2026-12-03", "后天 12月3日 周四"), ("2026-12-04", "12月4日 周五")]


def test_pay_entry_whole_yuan_without_leading_zero_and_six_digits_at_most():
    digits = ""
    for key in "0200":
        digits = pay_entry(digits, key)
    assert digits == "200"
    assert pay_entry("123456", "7") == "123456"
    assert pay_entry("200", "backspace") == "20" and pay_entry("200", "clear") == ""


def test_requirements_never_ask_for_sex_age_or_origin():
    banned = ("男", "女", "岁", "年龄", "户籍", "本地", "民族")
    assert not [r for r in REQUIREMENT_CHOICES if any(b in r for b in banned)]


def test_summary_masks_the_phone_and_names_the_individual_employer():
    draft = PostingDraft(employer_kind="individual", job_id="cleaner", headcount=2, pay=200,
                         pay_unit="DAY", gig=True, work_date="2026-12-02", start_time="08:00",
                         duration_hours=4, settlement="DAILY", division_code="440106",
                         address="天河南二路", contact_phone="13800138000")
    lines = dict(summary_lines(draft, "王*明"))
    assert lines == {"用工主体": "王*明（个人雇主）", "工种": "保洁员（零工）", "招聘人数": "2人",
                     "工资": "200元/天", "上工时间": "2026-12-02 08:00 起 4小时",
                     "结算方式": "日结", "工作地点": "天河南二路",
                     "要求": "无", "详细说明": "无", "联系电话": "138****8000"}
    unit = dict(summary_lines(draft.with_(employer_kind="unit", employer_name="某公司",
                                          credit_code="91440101MA5CJQ4N59", gig=False,
                                          pay_unit="MONTH", pay=5000)))
    assert unit["用工主体"] == "某公司（单位）" and unit["统一社会信用代码"] == "91440101MA5CJQ4N59"
    assert unit["工种"] == "保洁员（长期招聘）" and "上工时间" not in unit


def test_name_candidates_cover_company_words_places_catalog_names_and_any_character():
    assert len(common_characters()) == 3755
    vocabulary = name_vocabulary([Vacancy("V1", "保洁员", "广州市示例物业管理有限公司", "广州市")])
    assert vocabulary.candidates("yxgs", 3)[0] == "有限公司"
    assert vocabulary.candidates("gzssl", 3)[0] == "广州市示例物业管理有限公司"
    assert "州" in vocabulary.candidates("zhou", 40)
    assert "物业管理" in NAME_WORDS and vocabulary.candidates("wygl", 3)[0] == "物业管理"
