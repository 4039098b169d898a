"""GB 3304 ethnicity (民族) codes as stored on the resident ID card (2 digits, §4.6).

01–56 are the 56 recognised ethnic groups and are displayed with the suffix 族 (满 → 满族);
97 其他 and 98 外国血统中国籍人士 are shown as they are. A code outside the table is kept by the
parser and simply has no name (:func:`ethnicity_name` returns ``None``).
"""

from __future__ import annotations

_GROUPS = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)

ETHNICITIES: dict[str, str] = {f"{i:02d}": f"{name}族" for i, name in enumerate(_GROUPS, start=1)}
ETHNICITIES["97"] = "其他"
ETHNICITIES["98"] = "外国血统中国籍人士"


def ethnicity_name(code: str | None) -> str | None:
    """``"11"`` → ``"满族"``, ``"98"`` → ``"外国血统中国籍人士"``; unknown or None → None."""
    if code is None:
        return None
    return ETHNICITIES.get(code)
