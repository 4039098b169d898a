"""重点群体 (key groups of employment policy) with stable codes, and who a special post is for.

Codes are the project's own (stable, ASCII, stored in profiles and on the wire); names follow
national employment policy wording. Sources: the national priority groups (高校毕业生, 农民工,
退役军人, 脱贫人口, 就业困难人员, 残疾人, 失业人员); 就业困难人员 as defined by
粤人社规〔2023〕11号.

* 公益性岗位 are for 就业困难人员 first (including 零就业家庭 members), with 残疾人 and
  脱贫人口 placed through the same channel — :data:`PUBLIC_WELFARE_GROUPS`.
* 见习岗位 (就业见习) are for 高校毕业生 (离校2年内未就业) and young 失业人员 (16–24 岁) —
  :data:`INTERNSHIP_GROUPS`.
"""

from __future__ import annotations

from kiosk.domain.codes.errors import UnknownCodeError

KEY_GROUPS: dict[str, str] = {
    "GRADUATE": "高校毕业生",
    "HARD_TO_EMPLOY": "就业困难人员",
    "MIGRANT_WORKER": "农民工",
    "VETERAN": "退役军人",
    "POVERTY_ALLEVIATED": "脱贫人口",
    "DISABLED": "残疾人",
    "UNEMPLOYED": "失业人员",
}

# The same groups under the platform contract's names (docs/openapi.yaml ``KeyGroup``).
CONTRACT_CODES: dict[str, str] = {
    "GRADUATE": "college_graduate",
    "HARD_TO_EMPLOY": "employment_difficulty",
    "MIGRANT_WORKER": "migrant_worker",
    "VETERAN": "veteran",
    "POVERTY_ALLEVIATED": "poverty_alleviated",
    "DISABLED": "disabled",
    "UNEMPLOYED": "unemployed",
}

PUBLIC_WELFARE_GROUPS = frozenset({"HARD_TO_EMPLOY", "DISABLED", "POVERTY_ALLEVIATED"})
INTERNSHIP_GROUPS = frozenset({"GRADUATE", "UNEMPLOYED"})


def name_of(code: str) -> str:
    """"GRADUATE" → "高校毕业生"; raises UnknownCodeError for other codes."""
    try:
        return KEY_GROUPS[code]
    except KeyError as exc:
        raise UnknownCodeError("重点群体", code) from exc


def eligible_for_public_welfare(groups: tuple[str, ...] | frozenset[str]) -> bool:
    """True when one of the groups is a target of 公益性岗位."""
    return bool(PUBLIC_WELFARE_GROUPS.intersection(groups))


def eligible_for_internship(groups: tuple[str, ...] | frozenset[str]) -> bool:
    """True when one of the groups is a target of 见习岗位."""
    return bool(INTERNSHIP_GROUPS.intersection(groups))
