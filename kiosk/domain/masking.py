"""Masking of personal data for screens, slips and logs.

Conventions (``shared/design/kiosk-ux-kivy-privacy.md`` §5.4, not statutes): a name shows its
first and last character (张*明, two-character names 张*); a phone keeps 3 + 4 digits
(138****1234); an ID number on screen keeps the first 4 and last 4 characters
(4499**********1235) and on a slip only the last 4 (…1235). No function here ever returns the
full value of what it masks.
"""

from __future__ import annotations

import re

# GB 11643 18-character numbers, 15-character 2017 foreign numbers, mainland mobiles.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(?:[1-9]\d{16}[0-9Xx]|[A-Z]{3}\d{12})(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")


def mask_name(name: str) -> str:
    """张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明; Latin names keep their first letter."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """Keep the first 4 and last 4 characters: an 18-character number → ``4499**********1235``
    (the demo referral's number, which no one holds: assets/demo/README.md)."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def id_number_last4(number: str) -> str:
    """Only the last 4 characters, as printed on a referral slip: "…1234"."""
    number = (number or "").strip()
    return "…" + number[-4:] if len(number) >= 4 else ""


def mask_phone(phone: str) -> str:
    """Keep 3 + 4 digits: 13812345678 → 138****5678."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_text(text: str) -> str:
    """Mask every ID number and phone number found inside free text (used by the log filter)."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
