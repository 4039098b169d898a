"""就业援助 applications (办件): the three items, their case states, transitions and time limits.
Pure data and functions; the sandbox platform and the kiosk both use them.

Items (``docs/openapi.yaml`` ``ApplicationKind``; sources in ``shared/design/employment-services.md``):

* ``unemployment_registration`` 失业登记 (§1) — 《就业服务与就业管理规定》 第六十三条 (2007 numbering);
  time limit **1 working day** (法定 and 承诺, 揭阳市榕城区 办事指南 2022-11-09, §1.6);
* ``flexible_employment_registration`` 灵活就业登记 (§2) — 规定 第六十二条; no Guangdong time limit was
  found: the default is the **2 working days** of the generic 广东政务服务网 online receipt (吴川 guide,
  §1.1) **(unclear — configurable)**;
* ``hardship_certification`` 就业困难人员认定 (§3) — 粤人社规〔2023〕11号; the county agency decides
  **within 10 working days** of receiving the materials (第四条); a refusal may be reviewed
  (重核) on request **within 30 days** of receiving the notice. The 公示 length is **(unclear)**.

States (§3.2 for 认定, the 吴川 online flow for the registrations):

* 认定: ``submitted`` 已提交 → ``preliminary_review`` 初审中 → ``public_notice`` 公示中 →
  ``final_review`` 终审中 → ``certified`` 已认定 | ``refused`` 不予认定 (reason; 30 days for 重核);
  ``certified`` → ``cancelled`` 已注销. A failed 初审 or a confirmed objection during 公示 goes to the
  county agency, which refuses: ``preliminary_review``/``public_notice`` → ``refused`` too.
* registrations: ``accepted`` 已受理 → ``completed`` 已办结 | ``not_accepted`` 不予受理 (reason) |
  ``needs_materials`` 需补充材料 (every missing item at once, 一次性告知); after 补正
  ``needs_materials`` → ``accepted`` again, or ``not_accepted``.

Refused / not accepted carry a ``reason``; ``needs_materials`` carries ``missing_items`` (all of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

UNEMPLOYMENT = "unemployment_registration"
FLEXIBLE = "flexible_employment_registration"
HARDSHIP = "hardship_certification"
KINDS: tuple[str, ...] = (UNEMPLOYMENT, FLEXIBLE, HARDSHIP)

KIND_NAMES_ZH: dict[str, str] = {UNEMPLOYMENT: "失业登记", FLEXIBLE: "灵活就业登记",
                                 HARDSHIP: "就业困难人员认定"}
KIND_NAMES_EN: dict[str, str] = {UNEMPLOYMENT: "Unemployment registration",
                                 FLEXIBLE: "Flexible employment registration",
                                 HARDSHIP: "Certification as a person with employment difficulty"}

#: every state of either workflow, with its plain Chinese label
STATE_LABELS_ZH: dict[str, str] = {
    "submitted": "已提交", "preliminary_review": "初审中", "public_notice": "公示中",
    "final_review": "终审中", "certified": "已认定", "refused": "不予认定", "cancelled": "已注销",
    "accepted": "已受理", "completed": "已办结", "not_accepted": "不予受理",
    "needs_materials": "需补充材料",
}
STATE_LABELS_EN: dict[str, str] = {
    "submitted": "Submitted", "preliminary_review": "Preliminary review",
    "public_notice": "Public notice", "final_review": "Final review", "certified": "Certified",
    "refused": "Not certified", "cancelled": "Cancelled", "accepted": "Accepted",
    "completed": "Completed", "not_accepted": "Not accepted",
    "needs_materials": "More documents needed",
}
#: what the state means for the person, in plain words (shown under the label)
STATE_EXPLAINED_ZH: dict[str, str] = {
    "submitted": "申请已送到街道（乡镇）公共就业服务平台，等待初审。",
    "preliminary_review": "街道（乡镇）公共就业服务机构正在初审您的材料。",
    "public_notice": "初审已通过，正在公示。公示期间无异议即进入终审。",
    "final_review": "县级公共就业服务机构正在审核。",
    "certified": "您已被认定为就业困难人员，可以享受就业援助。",
    "refused": "经审核不予认定。如有异议，可在收到告知书之日起30日内申请重核。",
    "cancelled": "您的就业困难人员认定已注销。",
    "accepted": "经办机构已受理您的申请，正在办理。",
    "completed": "已办结。",
    "not_accepted": "经办机构不予受理。",
    "needs_materials": "还需要补充材料，请一次带齐下面列出的全部材料。",
}

HARDSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"preliminary_review"}),
    "preliminary_review": frozenset({"public_notice", "refused"}),
    "public_notice": frozenset({"final_review", "refused"}),
    "final_review": frozenset({"certified", "refused"}),
    "certified": frozenset({"cancelled"}),
    "refused": frozenset(),
    "cancelled": frozenset(),
}
REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    "accepted": frozenset({"completed", "not_accepted", "needs_materials"}),
    "needs_materials": frozenset({"accepted", "not_accepted"}),
    "completed": frozenset(),
    "not_accepted": frozenset(),
}
#: the happy path of each workflow (the sandbox's "advance" without a target state)
HAPPY_PATH: dict[str, tuple[str, ...]] = {
    HARDSHIP: ("submitted", "preliminary_review", "public_notice", "final_review", "certified"),
    UNEMPLOYMENT: ("accepted", "completed"),
    FLEXIBLE: ("accepted", "completed"),
}
STATES_WITH_REASON = frozenset({"refused", "not_accepted"})
FINAL_STATES = frozenset({"completed", "not_accepted", "refused", "cancelled"})
#: 重核: within 30 days of receiving the 《不予认定就业困难人员告知书》 (粤人社规〔2023〕11号 第四条)
APPEAL_DAYS = 30


def transitions(kind: str) -> dict[str, frozenset[str]]:
    """The state machine of ``kind``. Raises KeyError for an unknown kind."""
    if kind not in KINDS:
        raise KeyError(kind)
    return HARDSHIP_TRANSITIONS if kind == HARDSHIP else REGISTRATION_TRANSITIONS


def initial_state(kind: str) -> str:
    """``submitted`` for 认定, ``accepted`` for the registrations. Raises KeyError."""
    return HAPPY_PATH[kind][0]


def states(kind: str) -> tuple[str, ...]:
    """Every state of ``kind``'s workflow, in display order."""
    return tuple(transitions(kind))


def can_move(kind: str, current: str, target: str) -> bool:
    """Whether the casework may move a case of ``kind`` from ``current`` to ``target``."""
    return target in transitions(kind).get(current, frozenset())


def appeal_until(decided_on: date) -> date:
    """Last day to ask for 重核 after a refusal decided (and served) on ``decided_on``: 30 days
    (counted from the notice; the kiosk takes the decision day as the day it was received —
    **(inference)**)."""
    return decided_on + timedelta(days=APPEAL_DAYS)


@dataclass(frozen=True)
class TimeLimit:
    """The office's case-handling time limit for one item.

    Attributes:
        working_days: 工作日 from receiving complete materials.
        text_zh / text_en: what the slip and the screen say.
        basis: where the figure comes from (document and article, or "unclear").
    """

    working_days: int
    text_zh: str
    text_en: str
    basis: str


TIME_LIMITS: dict[str, TimeLimit] = {
    UNEMPLOYMENT: TimeLimit(1, "1个工作日内办结", "completed within 1 working day",
                            "揭阳市榕城区《失业登记》办事指南：法定时限、承诺时限各1个工作日"),
    FLEXIBLE: TimeLimit(2, "2个工作日内受理", "accepted within 2 working days",
                        "(unclear) 广东政务服务网网上办理：2个工作日内出具收件回执（吴川指南）"),
    HARDSHIP: TimeLimit(10, "收到材料后10个工作日内审核（另需公示）",
                        "reviewed within 10 working days of receiving the documents (plus a "
                        "public notice)",
                        "粤人社规〔2023〕11号 第四条；公示天数 (unclear)"),
}


@dataclass(frozen=True)
class Guide:
    """办事指南 of one item, in plain words (each line short enough for 长辈模式).

    Attributes:
        who_zh: who may apply. need_zh: what to have with you. how_long_zh: the time limit.
        where_zh: where the case is handled (the station's address is added by the screen).
        next_zh: what happens after submitting at the kiosk.
    """

    kind: str
    who_zh: tuple[str, ...]
    need_zh: tuple[str, ...]
    how_long_zh: str
    where_zh: str
    next_zh: str


GUIDES: dict[str, Guide] = {
    UNEMPLOYMENT: Guide(
        UNEMPLOYMENT,
        ("年满16周岁、未到法定退休年龄", "有劳动能力、想找工作",
         "目前没有工作（没有单位就业、没有营业执照经营、没有领取养老金、不在上学）",
         "常住地在广东省（户籍在外地也可以在常住地办理）"),
        ("身份证（本机读取）", "手机号码", "如有：劳动合同解除证明、营业执照注销证明"),
        TIME_LIMITS[UNEMPLOYMENT].text_zh,
        "常住地的镇（街）公共就业服务机构（党群服务中心）",
        "提交后打印受理回执，凭办件号可在本机“办件查询”或扫码查看进度。"),
    FLEXIBLE: Guide(
        FLEXIBLE,
        ("年满16周岁、未到法定退休年龄", "正在从事个体经营、非全日制、平台或零工等灵活就业"),
        ("身份证（本机读取）", "手机号码", "开始从事灵活就业的日期", "如有：营业执照、平台或单位名称"),
        TIME_LIMITS[FLEXIBLE].text_zh,
        "常住地的街道（乡镇）公共就业服务机构",
        "登记灵活就业后，原有的失业登记会按规定终止。"),
    HARDSHIP: Guide(
        HARDSHIP,
        ("广东省户籍（深圳：常住深圳的省内户籍也可以）", "年满16周岁、未到法定退休年龄",
         "目前没有工作、有劳动能力和就业意愿", "属于就业困难人员的某一类（可以先做自查）"),
        ("身份证或社会保障卡", "手机号码", "相关类别的证明材料（能在系统中查到的不用带）"),
        TIME_LIMITS[HARDSHIP].text_zh,
        "户籍地或常住地的街道（乡镇）公共就业服务平台",
        "是否认定由经办机构审核决定；不予认定的，可在30日内申请重核。"),
}


def state_label(state: str, language: str = "zh_CN") -> str:
    """"已受理" / "Accepted"; the state name itself for an unknown state (never raises)."""
    labels = STATE_LABELS_EN if language == "en" else STATE_LABELS_ZH
    return labels.get(state, state)


__all__ = ["UNEMPLOYMENT", "FLEXIBLE", "HARDSHIP", "KINDS", "KIND_NAMES_ZH", "KIND_NAMES_EN",
           "STATE_LABELS_ZH", "STATE_LABELS_EN", "STATE_EXPLAINED_ZH", "TIME_LIMITS", "TimeLimit",
           "GUIDES", "Guide", "transitions", "initial_state", "states", "can_move",
           "appeal_until", "state_label", "HAPPY_PATH", "FINAL_STATES", "STATES_WITH_REASON",
           "APPEAL_DAYS"]
