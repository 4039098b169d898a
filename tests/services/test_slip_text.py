"""Text normalisation, the 2-byte GB18030 rule and the column rule."""

from __future__ import annotations

import pytest

from kiosk.services.slip import SUBSTITUTE, printable, text_columns, wrap_columns
from kiosk.services.slip.text import encode_gb18030


@pytest.mark.parametrize("raw,text,substituted,gb_hex", [
    ("¥5000/月", "￥5000/月", 0, "a3a4 35303030 2f d4c2"),
    ("Tel\u00a0020", "Tel 020", 0, "54656c 20 303230"),
    ("No.1 • A", "No.1 · A", 0, "4e6f2e31 20 a1a4 20 41"),
    ("Café", "Café", 0, "436166 a8a6"),
    ("cafe\u0301", "café", 0, "636166 a8a6"),
    ("©2025™", "(C)2025TM", 0, "28432932303235544d"),
    ("a\u200bb\ufe0f", "ab", 0, "6162"),
    ("王䶮", "王" + SUBSTITUTE, 1, "cdf5 a1fe"),
    ("😀好", SUBSTITUTE + "好", 1, "a1fe bac3"),
    ("x\x1b@y", "x@y", 0, "784079"),
])
def test_printable(raw, text, substituted, gb_hex):
    result = printable(raw)
    assert (result.text, result.substituted) == (text, substituted)
    assert encode_gb18030(result.text) == bytes.fromhex(gb_hex)


def test_columns_count_every_non_ascii_as_two():
    # The design note's example: len 29, wcwidth 45, printer columns 48.
    s = printable("岗位：仓库管理员（全职）· 薪资¥5000—8000元/月").text
    assert text_columns(s) == 48
    assert len(encode_gb18030(s)) == 48


def test_wrap_never_exceeds_width_and_never_splits_characters():
    text = printable("广州市天河区天河南二路168号天河城写字楼西塔28层2801室（近地铁体育西路站B出口）").text
    lines = wrap_columns(text, 22)
    assert lines == ["广州市天河区天河南二路", "168号天河城写字楼西塔",
                     "28层2801室（近地铁体育", "西路站B出口）"]
    assert "".join(lines) == text


def test_wrap_long_ascii_run_is_split_between_characters():
    url = "https://jy.example.gov.cn/verify/GD-DEMO-0001?sig=ab12cd34"
    assert wrap_columns(url, 22) == ["https://jy.example.gov", ".cn/verify/GD-DEMO-000",
                                     "1?sig=ab12cd34"]


def test_wrap_keeps_opening_bracket_off_the_line_end():
    assert wrap_columns("一二三四五六七八九十（百）", 22) == ["一二三四五六七八九十", "（百）"]


def test_wrap_moves_an_identifier_whole_to_the_next_line():
    # issue 17 item 7: a referral or phone number that fits on a line is never split
    assert wrap_columns("推荐单号GD-440106-20261130-000123", 32) == [
        "推荐单号", "GD-440106-20261130-000123"]
    assert wrap_columns("请拨打电话 020-87654321 咨询", 20) == ["请拨打电话", "020-87654321 咨询"]


def test_wrap_keeps_line_start_punctuation_with_the_identifier_before_it():
    # "。" never starts a line, even after an identifier that moved down
    lines = wrap_columns("编号甲乙丙丁戊己庚辛GD-0001-000123。", 20)
    assert lines == ["编号甲乙丙丁戊己庚辛", "GD-0001-000123。"]
    assert not any(line.startswith("。") for line in lines)
