"""What the kiosk checks locally before asking anything (journey rules of issue 18). Pure.

* **法定劳动年龄** from the card's birth date and sex: 16th birthday (《就业服务与就业管理规定》 第六条)
  up to the day before the statutory retirement date (:class:`~kiosk.domain.eligibility.
  EligibilityRules`, configurable, retirement ages (unclear) — see ``docs/assistance.md``).
* **无业** (失业登记, 认定): the person declares none of the situations that end or bar a 失业登记
  (``shared/design/employment-services.md`` §1.2, **(inference)**: the 注销 list used as the
  exclusion list): :data:`NOT_UNEMPLOYED_QUESTIONS`.
* **Guangdong**: 失业登记 at the 常住地 (人社部发〔2014〕97号: no refusal for 人户分离 or an other-province
  户籍), so the 常住地 must be in Guangdong; 灵活就业登记 likewise by 常住地 **(inference)**;
  认定: 广东省户籍 (or a configured 常住地 city) — :func:`kiosk.domain.eligibility.assess`'s gate.

Every failure is a :class:`CheckFailure` with a plain-Chinese message and what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.domain import applications as kinds
from kiosk.domain.eligibility import DEFAULT_RULES, EligibilityRules, age_on

GUANGDONG = "44"

#: §1.2 situations (key → the yes/no question). Answering "是" to any means not 无业.
NOT_UNEMPLOYED_QUESTIONS: dict[str, str] = {
    "employed": "您现在是否被单位录用或已办理就业登记？",
    "business": "您现在是否持有营业执照经营（个体户、开办企业）？",
    "stable_income": "您现在是否有稳定收入、每月不低于当地最低工资？",
    "pension": "您是否已经领取基本养老金（退休金）？",
    "student": "您现在是否是在校学生？",
    "unable": "您是否已完全丧失劳动能力？",
}


@dataclass(frozen=True)
class CheckFailure:
    """A local check that failed: ``code`` (``working_age``, ``not_unemployed:<key>``,
    ``residence_outside_guangdong``, ``hukou_outside_guangdong``), the message and what to do."""

    code: str
    message_zh: str
    instead_zh: str


def working_age_failure(birth: date, gender: str, on: date,
                        rules: EligibilityRules = DEFAULT_RULES) -> CheckFailure | None:
    """None when ``on`` lies in 法定劳动年龄 for a person born ``birth`` (``gender`` female|male)."""
    if age_on(birth, on) < rules.min_working_age:
        return CheckFailure("working_age", f"需年满{rules.min_working_age}周岁才能办理。",
                            "可以先看看岗位信息，或咨询驿站工作人员。")
    rule = rules.retirement_female if gender == "female" else rules.retirement_male
    if on >= rule.retirement_date(birth):
        return CheckFailure("working_age", "您已达到法定退休年龄，不能办理此项业务。",
                            "如需咨询养老保险待遇，请拨打12333。")
    return None


def not_unemployed_failures(answers: dict[str, bool]) -> list[CheckFailure]:
    """One failure per §1.2 situation answered "是" (unknown keys are ignored)."""
    return [CheckFailure(f"not_unemployed:{key}", "目前不属于无业状态：" + question.rstrip("？") + "。",
                         "如果您在从事灵活就业，可以办理灵活就业登记；也可以办理求职登记。")
            for key, question in NOT_UNEMPLOYED_QUESTIONS.items() if answers.get(key)]


def local_failures(kind: str, *, birth: date, gender: str, on: date, hukou_division: str,
                   residence_division: str, not_unemployed: dict[str, bool],
                   rules: EligibilityRules = DEFAULT_RULES) -> list[CheckFailure]:
    """Every local check of ``kind`` that fails, in the order the journey explains them.

    Raises:
        KeyError: an unknown kind.
    """
    if kind not in kinds.KINDS:
        raise KeyError(kind)
    failures: list[CheckFailure] = []
    age = working_age_failure(birth, gender, on, rules)
    if age is not None:
        failures.append(age)
    if kind in (kinds.UNEMPLOYMENT, kinds.HARDSHIP):
        failures += not_unemployed_failures(not_unemployed)
    if kind in (kinds.UNEMPLOYMENT, kinds.FLEXIBLE):
        if residence_division and not residence_division.startswith(GUANGDONG):
            failures.append(CheckFailure(
                "residence_outside_guangdong", "本机办理常住地在广东省的登记。",
                "请到您常住地的公共就业服务机构办理。"))
    elif hukou_division and not (hukou_division.startswith(GUANGDONG)
                                 or residence_division[:4] in rules.residence_only_cities):
        failures.append(CheckFailure(
            "hukou_outside_guangdong", "就业困难人员认定面向广东省户籍人员。",
            "您可以办理失业登记或求职登记，也可以申请帮办。"))
    return failures


__all__ = ["NOT_UNEMPLOYED_QUESTIONS", "CheckFailure", "working_age_failure",
           "not_unemployed_failures", "local_failures"]
