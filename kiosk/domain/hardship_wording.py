"""Plain-Chinese (and English) wording of the 就业困难人员 self-check, as data. Pure.

The journey shows this after :func:`kiosk.domain.eligibility.assess`. Rules for the text
(``shared/design/employment-services.md`` §3.5): say "您可能属于…" and "请携带…", **never
"您符合"** — the county-level agency decides (粤人社规〔2023〕11号 第四条); name the place to apply
(户籍地 or 常住地 街道(乡镇) public employment service platform) and the 10-working-day review.

Proof documents: only the category definitions come from the 2023 text; the documents listed
are the typical proofs of older local guides (韶关武江区, 中山, under the 2019 rules). The 2023
rules tell offices to fetch shared data instead of paper where they can, so the text says
"可能需要" and that documents the office can look up are not needed. Proofs marked
**(unclear)** in the reference (categories 8 and 10) are worded generally.

Sensitive categories (:data:`~kiosk.domain.eligibility.SENSITIVE_CATEGORIES`) carry
``sensitive=True``: show them on the screen only, never on a slip or in a log.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.eligibility import SENSITIVE_CATEGORIES, Assessment

CHINESE_NUMERALS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一")
ALWAYS_BRING_ZH = "身份证或社会保障卡"
ALWAYS_BRING_EN = "your ID card or social security card"


@dataclass(frozen=True)
class CategoryText:
    """One category of 第一条: its number, names, a plain explanation and what to bring."""

    number: int
    name_zh: str
    name_en: str
    plain_zh: str
    plain_en: str
    bring_zh: tuple[str, ...]
    bring_en: tuple[str, ...]

    @property
    def sensitive(self) -> bool:
        return self.number in SENSITIVE_CATEGORIES

    @property
    def label_zh(self) -> str:
        """"第（一）类 大龄失业人员"."""
        return f"第（{CHINESE_NUMERALS[self.number]}）类 {self.name_zh}"


CATEGORIES: dict[int, CategoryText] = {c.number: c for c in (
    CategoryText(1, "大龄失业人员", "Older unemployed person",
                 "女性满40周岁、男性满50周岁", "women aged 40 or over, men aged 50 or over",
                 (), ()),
    CategoryText(2, "残疾人员", "Person with a disability",
                 "持有《中华人民共和国残疾人证》，或退役军人事务部门发放的伤残证件",
                 "holds a disability certificate, or a disability document from the veterans' "
                 "affairs department",
                 ("残疾人证或退役军人伤残证件",), ("the disability certificate",)),
    CategoryText(3, "享受最低生活保障待遇人员", "Person receiving minimum living allowance",
                 "已纳入民政部门最低生活保障（低保）", "registered for the minimum living allowance (低保)",
                 ("低保证明（能在系统中查到的不用带）",),
                 ("proof of the allowance (not needed if the office can look it up)",)),
    CategoryText(4, "城镇“零就业家庭”人员", "Member of an urban household with nobody in work",
                 "户口簿上是城镇家庭，家里在劳动年龄内、有劳动能力和就业意愿的人都没有工作",
                 "an urban household in which nobody of working age who can and wants to work "
                 "has a job",
                 ("户口簿", "家庭成员无业的书面承诺"), ("the household register",
                                                "a written statement that the members are out of work")),
    CategoryText(5, "农村零转移就业原建档立卡贫困家庭人员",
                 "Member of a former registered poor rural household with nobody in work",
                 "户口簿上是农村家庭，原为建档立卡贫困户，家里在劳动年龄内、有劳动能力和就业意愿的人都没有转移就业",
                 "a rural household formerly registered as poor in which nobody of working age "
                 "who can and wants to work has found work",
                 ("户口簿", "原建档立卡贫困户证明", "家庭成员无业的书面承诺"),
                 ("the household register", "proof of the former poverty registration",
                  "a written statement that the members are out of work")),
    CategoryText(6, "失地农民", "Farmer who lost all land",
                 "因市、县政府统一组织的征地，失去全部土地的农民",
                 "a farmer who lost all land through expropriation organised by the city or county",
                 ("征地协议或乡镇、自然资源部门出具的证明",),
                 ("the expropriation agreement or a certificate from the township or "
                  "natural-resources department",)),
    CategoryText(7, "连续失业1年以上人员", "Unemployed for one year or more",
                 "从最近一次失业登记起，连续失业满1年", "continuously unemployed for at least one year "
                 "since the latest unemployment registration",
                 (), ()),
    CategoryText(8, "戒毒康复人员", "Person recovered from drug rehabilitation",
                 "经戒毒治疗康复后回归社会", "returned to society after drug treatment and rehabilitation",
                 ("有关部门出具的证明",), ("a certificate from the competent authority",)),
    CategoryText(9, "刑满释放人员", "Person released from prison",
                 "刑满释放后回归社会", "returned to society after serving a prison sentence",
                 ("释放证明",), ("the release certificate",)),
    CategoryText(10, "精神障碍康复人员", "Person recovered from a mental disorder",
                 "经精神障碍治疗康复后回归社会",
                 "returned to society after treatment and rehabilitation for a mental disorder",
                 ("医疗或康复证明",), ("a medical or rehabilitation certificate",)),
    CategoryText(11, "失业6个月以上的退役军人", "Veteran unemployed for six months or more",
                 "依法退出现役，申请时已登记失业满6个月",
                 "left active service lawfully and has been registered unemployed for at least "
                 "six months",
                 ("退役证件",), ("the discharge certificate",)),
)}

GATE_TEXT_ZH: dict[str, str] = {
    "guangdong_hukou": "就业困难人员认定面向广东省户籍人员，您的户籍不在广东省。",
    "working_age": "就业困难人员认定面向法定劳动年龄内（16周岁至法定退休年龄）的人员。",
    "unemployed": "就业困难人员认定需要您目前处于无业状态。",
    "able_and_willing": "就业困难人员认定需要您有劳动能力并且想找工作。",
}
GATE_TEXT_EN: dict[str, str] = {
    "guangdong_hukou": "Certification is for people with Guangdong household registration.",
    "working_age": "Certification is for people of working age (16 to the statutory retirement age).",
    "unemployed": "Certification requires that you are currently out of work.",
    "able_and_willing": "Certification requires that you can work and want to work.",
}
GATES_FAILED_NEXT_ZH = "您可以办理失业登记或求职登记，也可以申请帮办，由工作人员帮您看看。"
GATES_FAILED_NEXT_EN = ("You can register as unemployed or as a jobseeker, or ask for assisted "
                        "service.")
NO_CATEGORY_ZH = ("根据您的回答，暂时没有看出您可能属于哪一类就业困难人员。"
                  "如有疑问，可以申请帮办或到街道（乡镇）公共就业服务平台咨询。")
NO_CATEGORY_EN = ("From your answers no category stands out. If in doubt, ask for assisted "
                  "service or at the street or township employment service platform.")
WHERE_ZH = ("到户籍地或常住地的街道（乡镇）公共就业服务平台提交《广东省就业困难人员认定申请表》，"
            "县级公共就业服务机构收到材料后10个工作日内审核。能在系统中查到的材料不用再交纸质件。")
WHERE_EN = ("Apply at the public employment service platform of the street or township where "
            "your household is registered or where you live; the county-level agency reviews "
            "within 10 working days of receiving the materials. Documents the office can look up "
            "are not needed on paper.")
DECIDES_ZH = "是否认定，由经办机构审核决定，这里的结果只是帮您自查。"
DECIDES_EN = "The office decides; this is only a self-check."


@dataclass(frozen=True)
class SelfCheckText:
    """What the self-check screen shows, in order (Chinese ``lines_zh``, English ``lines_en``).

    ``offer_application`` is True when the gates pass and a category may apply (the journey
    then offers to submit the 认定 application). ``contains_sensitive`` tells the journey the
    text must stay on screen (no print, no log).
    """

    lines_zh: tuple[str, ...]
    lines_en: tuple[str, ...]
    offer_application: bool
    contains_sensitive: bool


def self_check_text(assessment: Assessment) -> SelfCheckText:
    """The wording for an :class:`~kiosk.domain.eligibility.Assessment`.

    Gates failed → why, and what else the person can do. Gates passed and categories found →
    "您可能属于：…", "请携带：…", where to apply and who decides. Never "您符合".
    """
    if not assessment.gates_passed:
        zh = tuple(GATE_TEXT_ZH[g] for g in assessment.failed_gates) + (GATES_FAILED_NEXT_ZH,)
        en = tuple(GATE_TEXT_EN[g] for g in assessment.failed_gates) + (GATES_FAILED_NEXT_EN,)
        return SelfCheckText(zh, en, False, False)
    found = [CATEGORIES[n] for n in assessment.categories]
    if not found:
        return SelfCheckText((NO_CATEGORY_ZH,), (NO_CATEGORY_EN,), False, False)
    zh_lines = ["您可能属于：" + "；".join(f"{c.label_zh}（{c.plain_zh}）" for c in found) + "。"]
    en_lines = ["You may belong to: " + "; ".join(
        f"category {c.number}, {c.name_en} ({c.plain_en})" for c in found) + "."]
    bring_zh = [ALWAYS_BRING_ZH] + [b for c in found for b in c.bring_zh]
    bring_en = [ALWAYS_BRING_EN] + [b for c in found for b in c.bring_en]
    zh_lines.append("请携带：" + "、".join(dict.fromkeys(bring_zh)) + "。")
    en_lines.append("Please bring: " + "; ".join(dict.fromkeys(bring_en)) + ".")
    zh_lines += [WHERE_ZH, DECIDES_ZH]
    en_lines += [WHERE_EN, DECIDES_EN]
    return SelfCheckText(tuple(zh_lines), tuple(en_lines), True,
                         any(c.sensitive for c in found))
