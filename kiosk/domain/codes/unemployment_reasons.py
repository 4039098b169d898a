"""失业原因 pick-list for 失业登记 (two-digit, tens digit = group). Pure data.

Source: the Shanghai 一网通办 kiosk dictionary ``unemploymentList`` (public repository
zhouzhuliang0901/wanda, ``front/linfen/selfWorkBench_V2/RS_unemploymentRegistration/js/ywtbUrl.js``),
``shared/design/employment-services.md`` §1.4. **Guangdong's AJC093 table was not found
(unclear)**: a site loads the platform's list when it has one (:data:`REASONS` is the fallback);
the group digit is kept for analytics. Code ``90`` 其他 requires the free text 其他原因.
"""

from __future__ import annotations

from kiosk.domain.codes.errors import UnknownCodeError

REASONS: dict[str, str] = {
    "10": "年满16周岁，从各类学校毕业、肄业",
    "20": "从企业、机关、事业单位等各类用人单位失业",
    "21": "被企业解除或终止劳动关系",
    "22": "企业破产倒闭终止劳动关系",
    "23": "从机关事业单位被辞退解聘",
    "24": "从各类单位辞职",
    "31": "退出个体经营",
    "32": "私营企业业主停业、破产停止经营",
    "33": "退出灵活就业",
    "40": "退出公益性岗位",
    "50": "符合当地规定条件，承包土地被征用等情况（含转产渔民和牧民）",
    "60": "军人退出现役且未纳入国家统一安置",
    "70": "刑满释放、假释、监外执行",
    "90": "其他",
}
OTHER = "90"
#: Reasons that are a voluntary departure: never presented as qualifying for 失业保险金
#: (《失业保险条例》 asks for a non-voluntary interruption) **(inference, §1.4)**.
VOLUNTARY = frozenset({"24"})

#: The six situations of Guangdong county 办事指南 (揭阳榕城, 吴川) → reason codes (inference, §1.4).
GUANGDONG_SITUATIONS: dict[str, tuple[str, ...]] = {
    "单位离职": ("20", "21", "22", "23", "24"),
    "终止灵活就业": ("33",),
    "企业倒闭": ("22", "32"),
    "毕(肄、结)业生": ("10",),
    "退伍": ("60",),
    "刑满释放等": ("70",),
}


def name_of(code: str) -> str:
    """"22" → "企业破产倒闭终止劳动关系"; raises UnknownCodeError."""
    try:
        return REASONS[code]
    except KeyError as exc:
        raise UnknownCodeError("失业原因", code) from exc


def needs_other_text(code: str) -> bool:
    """True for 其他 (the form then asks 其他原因)."""
    return code == OTHER
