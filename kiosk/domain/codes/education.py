"""GB/T 4658-2006 学历代码: the detailed codes, their groups, and job-board wording.

The kiosk works with the eight group codes of :data:`kiosk.domain.vacancy.EDUCATION_ORDER`
("10" 研究生 … "80" 小学, "90" 其他/不限). A detailed code ("21" 大学本科毕业) belongs to the
group of its tens digit ("20"); the standard has no group "50" (1984-style lists used it for
技工学校 — :func:`group_of` maps it to "40"). ``""`` means 不限 on a vacancy.
"""

from __future__ import annotations

from kiosk.domain.codes.errors import UnknownCodeError
from kiosk.domain.vacancy import EDUCATION_NAMES, EDUCATION_ORDER, EDUCATION_RANK

__all__ = ["GBT4658", "EDUCATION_ORDER", "EDUCATION_NAMES", "group_of", "rank_of",
           "parse_requirement", "meets"]

GBT4658: dict[str, str] = {
    "10": "研究生教育", "11": "博士研究生毕业", "12": "博士研究生结业", "13": "博士研究生肄业",
    "14": "硕士研究生毕业", "15": "硕士研究生结业", "16": "硕士研究生肄业",
    "17": "研究生班毕业", "18": "研究生班结业", "19": "研究生班肄业",
    "20": "大学本科教育", "21": "大学本科毕业", "22": "大学本科结业", "23": "大学本科肄业",
    "28": "大学普通班毕业",
    "30": "大学专科教育", "31": "大学专科毕业", "32": "大学专科结业", "33": "大学专科肄业",
    "40": "中等职业教育", "41": "中等专科毕业", "42": "中等专科结业", "43": "中等专科肄业",
    "44": "职业高中毕业", "45": "职业高中结业", "46": "职业高中肄业",
    "47": "技工学校毕业", "48": "技工学校结业", "49": "技工学校肄业",
    "60": "普通高级中学教育", "61": "普通高中毕业", "62": "普通高中结业", "63": "普通高中肄业",
    "70": "初级中学教育", "71": "初中毕业", "73": "初中肄业",
    "80": "小学教育", "81": "小学毕业", "83": "小学肄业",
    "90": "其他",
}

# Job-board wording of a *minimum requirement* → group code ("" = 不限).
_REQUIREMENT_WORDS: tuple[tuple[str, str], ...] = (
    ("博士", "10"), ("硕士", "10"), ("研究生", "10"), ("本科", "20"), ("大专", "30"),
    ("专科", "30"), ("高职", "30"), ("中专", "40"), ("中技", "40"), ("技校", "40"),
    ("职高", "40"), ("高中", "60"), ("初中", "70"), ("小学", "80"),
)
_ANY_WORDS = ("不限", "无要求", "学历不限", "")


def group_of(code: str) -> str:
    """Group of a GB/T 4658 code: "21" → "20", "47" → "40", "20" → "20"; "" stays "".

    Raises:
        UnknownCodeError: not a GB/T 4658 code (1984-style "50" is accepted as "40").
    """
    if code == "":
        return ""
    if code == "50":
        return "40"
    if code not in GBT4658:
        raise UnknownCodeError("GB/T 4658", code)
    return code[0] + "0"


def rank_of(code: str) -> int:
    """0 (其他/不限, also "") … 7 (研究生): higher = more education."""
    return EDUCATION_RANK[group_of(code)] if code else 0


def parse_requirement(text: str) -> str:
    """Group code of a job board's minimum education ("本科" → "20", "中专/中技" → "40",
    "初中及以下" → "70", "不限"/"" → "").

    Raises:
        UnknownCodeError: wording that names no level (table "学历要求").
    """
    value = text.strip()
    if value in _ANY_WORDS:
        return ""
    for word, code in _REQUIREMENT_WORDS:
        if word in value:
            return code
    raise UnknownCodeError("学历要求", text)


def meets(jobseeker_code: str, required_code: str) -> bool:
    """True when the jobseeker's education reaches the vacancy's minimum ("" = 不限)."""
    return not required_code or rank_of(jobseeker_code) >= rank_of(required_code)
