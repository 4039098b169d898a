"""The line-breaking rule shared by slips and screens (kiosk.domain.line_breaking), headless.

Measured in "columns" (ASCII 1, everything else 2 — the slip's measure, and close to a CJK
font's pixel widths in proportion), the strings the issue names are broken at every width from
a narrow label to a wide one: no line starts with forbidden punctuation or ends with an opening
bracket, identifiers stay whole, nothing is lost.
"""

from __future__ import annotations

import pytest

from kiosk.domain.line_breaking import NO_LINE_END, NO_LINE_START, bad_breaks, break_lines, tokens
from kiosk.services.slip.text import text_columns

DESCRIPTION = ("负责小区公共区域日常保洁，包括楼道、电梯和停车场。每天工作4小时（上午8:00-12:00），"
               "按月结算。要求：身体健康，能吃苦耐劳；有保洁经验者优先。")
CONFIRM = "请核对以上信息。确认后将为您开具岗位推荐单并打印，凭推荐单到用人单位面试。"
FAIR = "下一场：12月1日（星期二） 社区微型招聘会"
REFERRAL = "推荐单号：GD-440106-20261130-000123。请凭推荐单到用人单位面试，电话 020-87654321。"
ENGLISH = ("Employer: 广州乐居物业有限公司（演示） · Workplace: 广州市天河区（演示地址） · "
           "Scan https://jy.example.gov.cn/verify/GD-DEMO-000123 to check.")
IDENTIFIERS = ("GD-440106-20261130-000123", "020-87654321", "（星期二）",
               "https://jy.example.gov.cn/verify/GD-DEMO-000123", "（演示）", "（演示地址）")


def _unavoidable(lines: list[str], bad: str) -> bool:
    """A forbidden start the rule cannot avoid: the line before is one unbreakable piece (an
    identifier or note filling the line), which is never split to make room."""
    i = lines.index(bad)
    split_run = lines[i - 1][-1:].isascii() and bad[:1].isascii() and " " not in lines[i - 1][-1:] + bad[:1]
    return i > 0 and (len(tokens(lines[i - 1])) == 1 or split_run)  # or a run longer than a line


@pytest.mark.parametrize("text", [DESCRIPTION, CONFIRM, FAIR, REFERRAL, ENGLISH])
def test_no_line_starts_with_closing_punctuation_at_any_width(text):
    for width in range(14, 90):
        lines = break_lines(text, width, text_columns)
        assert [b for b in bad_breaks(lines) if not _unavoidable(lines, b)] == [], (width, lines)
        assert all(text_columns(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (width, lines)
        for ident in IDENTIFIERS:
            if ident in text and text_columns(ident) <= width:
                assert any(ident in line for line in lines), (width, ident, lines)


def test_the_cases_the_issue_names():
    # "（星期二）" no longer ends as "（星期" / "二）": the short note moves whole.
    assert break_lines(FAIR, 24, text_columns) == ["下一场：12月1日", "（星期二） 社区微型招聘", "会"] or \
        break_lines(FAIR, 24, text_columns)[1].startswith("（星期二）")
    # "。" at the line end pulls the character before it down instead of starting a line.
    assert break_lines("一二三四五六七八。九十", 16, text_columns) == ["一二三四五六七", "八。九十"]
    assert break_lines("一二三四五：九十", 10, text_columns) == ["一二三四", "五：九十"]
    # An opening bracket never ends a line.
    assert break_lines("一二三四（五六七八九十一二）", 10, text_columns) == ["一二三四", "（五六七八", "九十一二）"]
    # The referral number takes the next line whole rather than splitting.
    assert break_lines("推荐单号：GD-440106-20261130-000123", 32, text_columns) == [
        "推荐单号：", "GD-440106-20261130-000123"]


def test_paragraphs_spaces_and_long_runs():
    assert break_lines("第一段。\n第二段", 40, text_columns) == ["第一段。", "第二段"]
    assert break_lines("", 10, text_columns) == [""]
    assert break_lines("Scan the code to see it", 12, len) == ["Scan the", "code to see", "it"]
    # A run longer than a whole line is split between characters (nothing else is possible).
    assert break_lines("ABCDEFGHIJ", 4, len) == ["ABCD", "EFGH", "IJ"]
    # A bracketed note longer than a line falls back to characters, still by the rule.
    lines = break_lines("（一二三四五六）", 6, text_columns)
    assert lines == ["（一二", "三四五", "六）"] and bad_breaks(lines) == []
    with pytest.raises(ValueError):
        break_lines("x", 0, len)


def test_tokens_and_tables():
    assert tokens("电话020-1234（全职）。") == ["电", "话", "020-1234", "（全职）", "。"]
    assert {"。", "，", "：", "）", "」", "、"} <= NO_LINE_START and "（" in NO_LINE_END


def test_reasons_are_packed_whole():
    from kiosk.domain.line_breaking import pack_units

    reasons = ["在15分钟就业圈内（1.8公里）", "学历符合", "职业对口", "在期望区域（黄石街道）",
               "薪资符合期望", "用工形式符合（全职）"]
    lines = pack_units(reasons, "、", 80, text_columns)
    assert lines == ["在15分钟就业圈内（1.8公里）、学历符合、职业对口、在期望区域（黄石街道）、",
                     "薪资符合期望、用工形式符合（全职）"]
    assert pack_units(["Education fits", "Pay meets your expectation"], "; ", 20, len) == [
        "Education fits;", "Pay meets your", "expectation"]
    assert pack_units([], "、", 10, len) == [""]
    for width in range(20, 100):
        lines = pack_units(reasons, "、", width, text_columns)
        assert "".join(lines) == "、".join(reasons) and bad_breaks(lines) == []
        assert all(text_columns(line) <= width for line in lines)


def test_no_lone_character_on_the_last_line():
    # "个人简" / "历" becomes "个人" / "简历"; with punctuation before, it moves too.
    assert break_lines("身份证、学历证书、个人简历", 24, text_columns) == ["身份证、学历证书、个人", "简历"]
    assert break_lines("一二三四五六七八。九", 18, text_columns) == ["一二三四五六七", "八。九"]
    # not when the line before would keep a single piece, or the move does not fit
    assert break_lines("一二", 2, text_columns) == ["一", "二"]


def test_phrases_stay_whole_on_short_texts():
    from kiosk.domain.line_breaking import break_phrases

    assert break_phrases("按岗位、地区、工资查找", 20, text_columns) == ["按岗位、地区、", "工资查找"]
    assert break_phrases("失业登记、灵活就业登记、困难认定", 20, text_columns) == [
        "失业登记、", "灵活就业登记、", "困难认定"]
    assert break_phrases("做一份简历，打印或发到手机", 40, text_columns) == ["做一份简历，打印或发到手机"]
    assert break_phrases("第一行\n第二行", 40, text_columns) == ["第一行", "第二行"]
    assert break_phrases("下一场：12月2日（星期三） 社区微型招聘会", 20, text_columns) == [
        "下一场：", "12月2日（星期三）", "社区微型招聘会"]
    assert break_phrases("Today's day jobs near the station", 20, len) == [
        "Today's day jobs", "near the station"]
