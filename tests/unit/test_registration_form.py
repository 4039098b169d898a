"""kiosk.services.registration_form: validation, pinyin search, picker levels, review rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.services.registration_form import (FormError, consent_purposes, continue_url,
                                              division_children, format_phone_entry,
                                              review_rows, search_occupations, toggle_limited,
                                              validate_form, validate_phone)

CARD = Path(__file__).resolve().parents[2] / "assets" / "demo" / "cards" / "resident.json"


@pytest.mark.parametrize("text,expected", [("13812345678", "13812345678"),
                                           ("138 1234 5678", "13812345678"),
                                           ("19900001111", "19900001111")])
def test_valid_mobile_numbers(text, expected):
    assert validate_phone(text) == expected


@pytest.mark.parametrize("text,message", [("", "请输入手机号码"),
                                          ("1381234567", "手机号码应为11位数字，请检查后重新输入"),
                                          ("12812345678", "请输入以13–19开头的11位手机号码"),
                                          ("0201234567a", "手机号码应为11位数字，请检查后重新输入")])
def test_invalid_mobile_numbers_say_why(text, message):
    with pytest.raises(FormError) as info:
        validate_phone(text)
    assert info.value.field == "phone" and info.value.message_zh == message


def test_phone_entry_grouping():
    assert format_phone_entry("13812345678") == "138 1234 5678"
    assert format_phone_entry("1381") == "138 1"


def test_pinyin_initials_full_pinyin_and_hanzi_find_catering():
    for query in ("cy", "CY", "canyin", "餐饮", "zhusu"):
        assert "4-03" in [e.code for e in search_occupations(query)]
    assert [e.code for e in search_occupations("zs")][0] == "4-03"   # prefix hit ranks first
    assert search_occupations("qqqq") == []


def test_empty_search_lists_all_79_common_trades_first():
    entries = search_occupations("")
    assert len(entries) == 79
    assert entries[0].code == "4-01" and entries[-1].code == "7-04"


def test_division_levels_skip_county_for_dongguan_and_zhongshan():
    assert len(division_children("")) == 21
    assert division_children("4401")["440106"] == "天河区"
    assert division_children("440106")["440106008"] == "天河南街道"
    assert division_children("4419")["441900121"] == "虎门镇"
    assert division_children("4420")["442000001"] == "石岐街道"
    assert division_children("440106008") == {}


def test_toggle_limited_adds_removes_and_refuses_a_sixth():
    values = ["a", "b", "c", "d", "e"]
    assert toggle_limited(values, "c", 5) == ["a", "b", "d", "e"]
    with pytest.raises(FormError) as info:
        toggle_limited(values, "f", 5)
    assert info.value.message_zh == "最多选择5项，请先取消一项"


def test_validate_form_names_the_first_missing_field():
    form = {"phone": "13812345678"}
    with pytest.raises(FormError) as info:
        validate_form(form)
    assert info.value.field == "education_code"
    form.update(education_code="30", desired_occupations=["4-03"], employment_type="FULL_TIME")
    validate_form(form)


def test_review_rows_mask_the_identity_and_show_the_phone_in_full():
    from kiosk.domain.identity_card import IdentityCard

    card = IdentityCard.from_json(json.loads(CARD.read_text("utf-8")))
    rows = review_rows(card, {"phone": "13812345678", "education_code": "30",
                              "desired_occupations": ["4-03"], "desired_divisions": ["4419"],
                              "salary_min": 4000, "salary_max": 6000,
                              "employment_type": "PART_TIME", "availability": "WEEK",
                              "key_groups": ["VETERAN"]})
    values = {label: value for _section, label, value in rows}
    assert values == {"姓名": "陈*满", "证件号码": "4499**********4525", "手机号码": "138 1234 5678",
                      "学历": "大专", "想做的工作": "住宿和餐饮服务人员", "希望工作地点": "东莞市",
                      "期望月薪": "4000–6000元", "工作类型": "兼职", "到岗时间": "一周内",
                      "重点群体": "退役军人"}


def test_key_groups_add_the_sensitive_purpose():
    assert consent_purposes(["registration"], {}) == ["registration"]
    assert consent_purposes(["registration"], {"key_groups": ["DISABLED"]}) == \
        ["registration", "sensitive_key_group"]


def test_continue_url_has_only_the_registration_number():
    assert continue_url("https://jy.gd.example/verify/{referral_id}", "REG-440106-000001") == \
        "https://jy.gd.example/jobseeker/continue/REG-440106-000001"
