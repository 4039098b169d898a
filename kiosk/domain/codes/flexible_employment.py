"""灵活就业 types for 灵活就业登记 (a practical pick-list). Pure data.

The platform field is 自主(灵活)就业类型 ``bcc700`` (``asengine/ng-sqjyw``
``JiuYeYongGongTuiGongLiShi.ts``), whose code values were **not found (unclear)**. The list
below is the reference's practical pick-list (``shared/design/employment-services.md`` §2.1,
inference) with the project's own stable codes; a site maps them to the platform's values when
known. 非全日制: on average ≤ 4 h a day and ≤ 24 h a week with one employer (《劳动合同法》
第六十八条).
"""

from __future__ import annotations

from kiosk.domain.codes.errors import UnknownCodeError

TYPES: dict[str, str] = {
    "self_employed": "个体经营（有营业执照）",
    "part_time": "非全日制就业",
    "platform": "新就业形态/平台就业（外卖、网约车、快递、网络主播等）",
    "temporary": "临时性、季节性工作或零工",
    "freelance": "自由职业",
    "other": "其他",
}
TYPES_EN: dict[str, str] = {
    "self_employed": "Self-employed (business licence)",
    "part_time": "Part-time work",
    "platform": "Platform work (delivery, ride-hailing, courier, streaming…)",
    "temporary": "Temporary, seasonal or gig work",
    "freelance": "Freelance",
    "other": "Other",
}


def name_of(code: str) -> str:
    """"part_time" → "非全日制就业"; raises UnknownCodeError."""
    try:
        return TYPES[code]
    except KeyError as exc:
        raise UnknownCodeError("灵活就业类型", code) from exc
