"""健康状况 — GB/T 2261.3-2003 (one- and two-digit codes). Pure data.

Source: ``zpldongxie/api-server-fastify`` ``models/dictionary/initData/jkzk1.js`` / ``jkzk2.js``
(standard id GBT_2261_3_2003), ``shared/design/employment-services.md`` §10.1. The kiosk
offers the one-digit values (:data:`GROUPS`) as big buttons and asks the disability details
(:mod:`kiosk.domain.codes.disability`) only when ``"6"`` 残疾 is chosen **(inference)**.
Pitfall: the Shanghai kiosk's older 1–5 list (5 = 残疾) must be mapped, not copied.
"""

from __future__ import annotations

from kiosk.domain.codes.errors import UnknownCodeError

GROUPS: dict[str, str] = {"1": "健康或良好", "2": "一般或较弱", "3": "有慢性病", "6": "残疾"}
DISABLED = "6"

DETAILED: dict[str, str] = {
    "10": "健康或良好", "20": "一般或较弱", "30": "有慢性病", "31": "心血管病", "32": "脑血管病",
    "33": "慢性呼吸系统病", "34": "慢性消化系统病", "35": "慢性肾炎", "36": "结核病",
    "37": "糖尿病", "38": "神经或精神疾病", "41": "癌症", "49": "其他慢性病", "60": "残疾",
    "61": "视力残疾", "62": "听力残疾", "63": "言语残疾", "64": "肢体残疾", "65": "智力残疾",
    "66": "精神残疾", "67": "多重残疾", "69": "其他残疾",
}

#: The Shanghai kiosk's older list → GB/T 2261.3 one-digit groups (§10.1 pitfall).
SHANGHAI_OLD_TO_GROUP = {"1": "1", "2": "2", "3": "3", "4": "6", "5": "6"}


def group_of(code: str) -> str:
    """One-digit group of a one- or two-digit code: "37" → "3", "41" → "3", "64" → "6".

    Raises:
        UnknownCodeError: not a GB/T 2261.3 code of this table.
    """
    if code in GROUPS:
        return code
    if code not in DETAILED:
        raise UnknownCodeError("GB/T 2261.3", code)
    return "3" if code[0] in "34" else code[0]


def needs_disability_details(code: str) -> bool:
    """True when the form must ask 残疾类别/等级 (group 6)."""
    return group_of(code) == DISABLED
