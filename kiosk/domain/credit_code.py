"""Offline checks of an employer's licence number (营业执照上的代码). Pure: no I/O.

Two kinds are accepted (``shared/design/employment-services.md`` §6):

* **统一社会信用代码**, GB 32100-2015, 18 characters (kind ``"credit_code_18"``):
  position 1 登记管理部门代码, 2 机构类别代码, 3–8 登记管理机关行政区划码 (GB/T 2260 digits),
  9–17 主体标识码 (the 9-character 组织机构代码 of GB 11714, char 17 being its own check),
  18 校验码. Alphabet of 31 symbols :data:`ALPHABET` (``0-9`` then ``A-Y`` without
  **I, O, S, V, Z**), value = index. Weights ``Wᵢ = 3^(i−1) mod 31`` for i = 1..17
  (:data:`WEIGHTS`); check value ``(31 − Σ value(cᵢ)·Wᵢ mod 31) mod 31``; check char =
  ``ALPHABET[check value]``. A failed outer check rejects the code, except codes listed in a
  configurable whitelist (early pilot codes exist that fail it, §6.3).
  The inner GB 11714 check of positions 9–17 (weights 3 7 9 10 5 8 4 2, C₉ = 11 − Σ mod 11,
  10 → ``X``, 11 → ``0``, letters A–Z = 10–35) and the position 1–2 pair table (the "majority
  reading" of §6.1 — **(unclear)** on later amendments) only give warnings.
* **注册号**, the old 15-digit 工商注册号 (GS15—2006), kind ``"registration_no_15"``: 14 digits
  + a check digit by GB/T 17710 / ISO 7064 **MOD 11,10** (:func:`mod11_10_check_digit`).

Input is normalised first (:func:`normalise`): NFKC (full-width ``９１４４…`` and ``Ａ`` become
ASCII, U+3000 becomes a space), surrounding spaces removed, upper case.

Reasons and warnings are plain Chinese for the employer at the screen; they never contain the
code itself except single offending characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
FORBIDDEN_LETTERS = frozenset("IOSVZ")
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, ...
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

KIND_CREDIT_CODE = "credit_code_18"
KIND_REGISTRATION_NO = "registration_no_15"

REASON_LENGTH = "长度不对：统一社会信用代码是18位，旧营业执照注册号是15位数字"
REASON_LETTER = "含有不能使用的字母"
REASON_CHECK = "校验位不对，请核对营业执照"
REASON_DIVISION = "第3至8位应为数字（登记机关行政区划码），请核对营业执照"
WARNING_ORG_CODE = "第9至17位（组织机构代码）的校验位对不上，请再核对一次"
WARNING_CATEGORY = "第1、2位（登记管理部门和机构类别）不在常见代码表中，请再核对一次"
WARNING_WHITELISTED = "校验位不符合国家标准，但属于已登记的早期试点代码"

#: Position 1 → allowed position-2 category codes (GB 32100-2015 table as transcribed in
#: §6.1; majority reading, **(unclear)** on later amendments — a miss only warns).
CATEGORY_CODES: dict[str, frozenset[str]] = {
    "1": frozenset("1239"), "2": frozenset("19"), "3": frozenset("123459"),
    "4": frozenset("19"), "5": frozenset("1239"), "6": frozenset("129"),
    "7": frozenset("129"), "8": frozenset("19"), "9": frozenset("123"),
    "A": frozenset("19"), "N": frozenset("1239"), "Y": frozenset("1"),
}


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of :func:`check_code`.

    Attributes:
        code: the normalised input.
        valid: True when the code may be used.
        kind: :data:`KIND_CREDIT_CODE`, :data:`KIND_REGISTRATION_NO`, or None when the length
            fits neither (an invalid code of 18 or 15 characters keeps the kind it was checked as).
        reason: why it is invalid (plain Chinese), None when valid.
        warnings: plain-Chinese warnings that do not make the code invalid.
    """

    code: str
    valid: bool
    kind: str | None
    reason: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        """``{"code", "valid", "kind", "reason", "warnings": [...]}`` (the CLI's object)."""
        return {"code": self.code, "valid": self.valid, "kind": self.kind,
                "reason": self.reason, "warnings": list(self.warnings)}


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), strip surrounding spaces, upper case."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def credit_check_char(body: str) -> str:
    """GB 32100-2015 check character of the first 17 characters ``body``.

    Raises:
        ValueError: ``body`` is not 17 characters of :data:`ALPHABET`.
    """
    if len(body) != 17 or any(ch not in VALUES for ch in body):
        raise ValueError("body must be 17 characters of the GB 32100 alphabet")
    total = sum(VALUES[ch] * w for ch, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """GB 11714 check character of the 8-character organisation-code body (A–Z = 10–35).

    Raises:
        ValueError: ``body`` is not 8 characters of 0-9/A-Z.
    """
    if len(body) != 8 or not all(ch.isdigit() or "A" <= ch <= "Z" for ch in body):
        raise ValueError("body must be 8 characters 0-9/A-Z")
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w
                for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def mod11_10_check_digit(body: str) -> str:
    """ISO 7064 / GB/T 17710 MOD 11,10 check digit of a digit string (14 digits for a 注册号).

    P = 10; for each digit d: S = (P + d) mod 10, S = 10 if S == 0; P = 2·S mod 11;
    check = (11 − P) mod 10.

    Raises:
        ValueError: ``body`` is empty or not all ASCII digits.
    """
    if not body or not all("0" <= ch <= "9" for ch in body):
        raise ValueError("body must be ASCII digits")
    p = 10
    for ch in body:
        s = (p + int(ch)) % 10 or 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


def check_code(text: str, whitelist: Iterable[str] = ()) -> CodeCheck:
    """Check a 统一社会信用代码 or 15-digit 注册号 as typed by an employer.

    Args:
        text: the input as typed (full-width, lower case and surrounding spaces allowed).
        whitelist: normalised 18-character codes accepted although their outer check fails
            (configurable: early pilot codes, confirmed by the operator).

    Returns:
        A :class:`CodeCheck`; never raises for any string.
    """
    code = normalise(text)
    if len(code) == 18:
        return _check_credit_code(code, frozenset(normalise(c) for c in whitelist))
    if len(code) == 15:
        return _check_registration_no(code)
    bad = _forbidden(code)
    if bad in FORBIDDEN_LETTERS and bad:
        return CodeCheck(code, False, None, _letter_reason(bad) + "；" + _length_reason(code))
    return CodeCheck(code, False, None, _length_reason(code))


def _length_reason(code: str) -> str:
    return f"{REASON_LENGTH}（现在是{len(code)}位）"


def _forbidden(code: str) -> str:
    """The first character that can appear in neither kind, as shown to the employer."""
    for ch in code:
        if ch not in VALUES:
            return ch
    return ""


def _shown(ch: str) -> str:
    """How an offending character is named: “-”, “空格”, or U+001B for invisible ones."""
    if ch.isspace():
        return "“空格”"
    return f"“{ch}”" if ch.isprintable() else f"U+{ord(ch):04X}"


def _letter_reason(ch: str) -> str:
    hint = {"O": "（是数字0吗？）", "I": "（是数字1吗？）", "Z": "（是数字2吗？）",
            "S": "（是数字5吗？）"}.get(ch, "")
    return f"{REASON_LETTER}：{ch}{hint}（代码中不使用I、O、S、V、Z）"


def _check_credit_code(code: str, whitelist: frozenset[str]) -> CodeCheck:
    bad = _forbidden(code)
    if bad:
        reason = _letter_reason(bad) if bad in FORBIDDEN_LETTERS else (
            f"{REASON_LETTER}：{_shown(bad)}（只能是数字和大写字母）")
        return CodeCheck(code, False, KIND_CREDIT_CODE, reason)
    if not code[2:8].isdigit():
        return CodeCheck(code, False, KIND_CREDIT_CODE, REASON_DIVISION)
    warnings: list[str] = []
    if code[1] not in CATEGORY_CODES.get(code[0], frozenset()):
        warnings.append(WARNING_CATEGORY)
    inner = code[8:16]
    if all(ch.isdigit() or "A" <= ch <= "Z" for ch in inner) and \
            org_code_check_char(inner) != code[16]:
        warnings.append(WARNING_ORG_CODE)
    if credit_check_char(code[:17]) != code[17]:
        if code in whitelist:
            return CodeCheck(code, True, KIND_CREDIT_CODE, None,
                             (*warnings, WARNING_WHITELISTED))
        return CodeCheck(code, False, KIND_CREDIT_CODE, REASON_CHECK, tuple(warnings))
    return CodeCheck(code, True, KIND_CREDIT_CODE, None, tuple(warnings))


def _check_registration_no(code: str) -> CodeCheck:
    if not all("0" <= ch <= "9" for ch in code):
        # Letters in 15 characters: most likely a credit code with characters missing.
        bad = _forbidden(code)
        if bad:
            return CodeCheck(code, False, None, _letter_reason(bad) if bad in FORBIDDEN_LETTERS
                             else f"{REASON_LETTER}：{_shown(bad)}（只能是数字和大写字母）")
        return CodeCheck(code, False, None, _length_reason(code))
    if mod11_10_check_digit(code[:14]) != code[14]:
        return CodeCheck(code, False, KIND_REGISTRATION_NO, REASON_CHECK)
    return CodeCheck(code, True, KIND_REGISTRATION_NO)
