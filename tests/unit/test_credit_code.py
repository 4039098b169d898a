"""统一社会信用代码 (GB 32100-2015) and 15-digit 注册号 (ISO 7064 MOD 11,10) checks, and the CLI."""

from __future__ import annotations

import json
import random

import pytest

from kiosk.cli import main
from kiosk.domain.credit_code import (ALPHABET, KIND_CREDIT_CODE, KIND_REGISTRATION_NO,
                                      REASON_CHECK, WARNING_CATEGORY, WARNING_ORG_CODE,
                                      WARNING_WHITELISTED, WEIGHTS, check_code, credit_check_char,
                                      mod11_10_check_digit, normalise, org_code_check_char)

# Published examples (shared/design/employment-services.md §6.2–6.3): a worked example and real
# codes from public test lists, each verified by hand there.
PUBLISHED_VALID = ("91350100M000100Y43", "91440101MA5CJQ4N59", "91430111MA4L41YT1U")
# Real early pilot codes that fail the outer check (§6.3).
PUBLISHED_FAILING = ("91350100M0001TGQXM", "91350203M0001QAY9B")


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)


def test_worked_example_sum():
    body = "91350100M000100Y4"
    assert sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True)) == 1640
    assert credit_check_char(body) == "3"


@pytest.mark.parametrize("code", PUBLISHED_VALID)
def test_published_codes_are_valid(code):
    result = check_code(code)
    assert (result.valid, result.kind, result.reason, result.warnings) == (
        True, KIND_CREDIT_CODE, None, ())


def test_computed_codes_are_valid_and_every_single_change_of_the_check_fails():
    rng = random.Random(32100)
    for _ in range(200):
        org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        body = "92" + "440106" + org + org_code_check_char(org)
        if body[16] not in ALPHABET:  # inner check char X/0 is fine; skip letters not allowed
            continue
        code = body + credit_check_char(body)
        assert check_code(code).valid, code
        for wrong in ALPHABET.replace(code[17], ""):
            bad = check_code(code[:17] + wrong)
            assert (bad.valid, bad.reason) == (False, REASON_CHECK)


def test_check_char_zero_when_sum_is_a_multiple_of_31():
    # All-zero body: S = 0 → (31 - 0) mod 31 = 0.
    assert credit_check_char("91000000000000000") == ALPHABET[(31 - (9 + 3)) % 31]
    assert credit_check_char("00000000000000000") == "0"


def test_normalisation_of_full_width_lower_case_and_spaces():
    typed = "\u3000９１４４０１０１ｍａ５ｃｊｑ４ｎ５９ "
    assert normalise(typed) == "91440101MA5CJQ4N59"
    result = check_code(typed)
    assert result.valid and result.code == "91440101MA5CJQ4N59"
    assert check_code("  91440101ma5cjq4n59\t").valid


@pytest.mark.parametrize("letter,hint", [("O", "是数字0吗"), ("I", "是数字1吗"), ("S", "是数字5吗"),
                                         ("Z", "是数字2吗"), ("V", "")])
def test_forbidden_letters_are_named(letter, hint):
    result = check_code("91440101MA5CJQ4N5" + letter)
    assert not result.valid and result.kind == KIND_CREDIT_CODE
    assert result.reason.startswith(f"含有不能使用的字母：{letter}")
    assert hint in result.reason


def test_punctuation_is_not_allowed():
    result = check_code("91440101MA5CJQ-N59")
    assert not result.valid and result.reason.startswith("含有不能使用的字母：“-”")


def test_letters_in_the_division_part_are_refused():
    body = "91A40101MA5CJQ4N5"
    result = check_code(body + credit_check_char(body))
    assert not result.valid and "第3至8位应为数字" in result.reason


@pytest.mark.parametrize("text", ["", "9144", "91440101MA5CJQ4N5", "91440101MA5CJQ4N590",
                                  "1101080000000161"])
def test_wrong_lengths(text):
    result = check_code(text)
    assert (result.valid, result.kind) == (False, None)
    assert result.reason.startswith("长度不对") and f"现在是{len(text)}位" in result.reason


def test_fifteen_characters_with_letters_is_a_short_credit_code():
    result = check_code("9144010MA5CJQ4N")
    assert (result.valid, result.kind) == (False, None)
    assert result.reason.startswith("长度不对")


def test_inner_org_code_check_only_warns():
    assert org_code_check_char("M000100Y") == "4" and org_code_check_char("MA5CJQ4N") == "5"
    body = "91440101MA5CJQ4N7"  # inner check should be 5
    result = check_code(body + credit_check_char(body))
    assert result.valid and result.warnings == (WARNING_ORG_CODE,)


def test_org_code_x_and_zero_rules():
    found = {}
    rng = random.Random(11714)
    while len(found) < 2:
        body = "".join(rng.choice("0123456789") for _ in range(8))
        c9 = 11 - sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if c9 in (10, 11):
            found[c9] = body
    assert org_code_check_char(found[10]) == "X"
    assert org_code_check_char(found[11]) == "0"


def test_unknown_category_pair_only_warns():
    body = "95440101MA5CJQ4N5"
    result = check_code(body + credit_check_char(body))
    assert result.valid and result.warnings == (WARNING_CATEGORY,)


@pytest.mark.parametrize("code", PUBLISHED_FAILING)
def test_pilot_codes_fail_unless_whitelisted(code):
    assert check_code(code).reason == REASON_CHECK
    allowed = check_code(code, whitelist=[code.lower()])
    assert allowed.valid and WARNING_WHITELISTED in allowed.warnings


def test_registration_number_mod_11_10():
    assert mod11_10_check_digit("11010800000001") == "6"  # the reference's constructed example
    result = check_code("110108000000016")
    assert (result.valid, result.kind, result.reason) == (True, KIND_REGISTRATION_NO, None)
    for wrong in "012345789":
        bad = check_code("11010800000001" + wrong)
        assert (bad.valid, bad.kind, bad.reason) == (False, KIND_REGISTRATION_NO, REASON_CHECK)


def test_registration_number_every_body_has_exactly_one_check_digit():
    rng = random.Random(17710)
    for _ in range(100):
        body = "4401" + "".join(rng.choice("0123456789") for _ in range(10))
        ok = [d for d in "0123456789" if check_code(body + d).valid]
        assert ok == [mod11_10_check_digit(body)]


def test_registration_number_with_forbidden_letter():
    result = check_code("11010800000001O")
    assert not result.valid and result.reason.startswith("含有不能使用的字母：O")


def test_cli_valid_code_prints_one_object_and_exits_0(capsys):
    assert main(["employer", "check-code", " ９１４４０１０１ma5cjq4n59 "]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert json.loads(out) == {"code": "91440101MA5CJQ4N59", "valid": True,
                               "kind": "credit_code_18", "reason": None, "warnings": []}


def test_cli_invalid_code_exits_1(capsys):
    assert main(["employer", "check-code", "91440101MA5CJQ4N58"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "code": "91440101MA5CJQ4N58", "valid": False, "kind": "credit_code_18",
        "reason": "校验位不对，请核对营业执照", "warnings": []}
    assert main(["employer", "check-code", "abc"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] is None and data["reason"].startswith("长度不对")


def test_check_code_never_raises_and_always_gives_a_reason():
    rng = random.Random(2015)
    pool = ALPHABET + "IOSVZabcxyz -_/．。　９Ａ\u200b\x1b汉"
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.choice((0, 5, 15, 17, 18, 19, 30))))
        result = check_code(text)
        assert result.valid or result.reason
        assert result.kind in (None, KIND_CREDIT_CODE, KIND_REGISTRATION_NO)
        assert result.reason is None or result.reason.isprintable()


def test_invisible_characters_are_named_by_code_point():
    assert check_code("91440101MA5CJQ4N5\x1b").reason.startswith("含有不能使用的字母：U+001B")
    assert check_code("91440101 A5CJQ4N59").reason.startswith("含有不能使用的字母：“空格”")
