"""Employer postings (招聘信息) and their audit states (issue 19; ``employment-services.md`` §5).

A posting an employer submits at the kiosk is audited by the platform before it is published
(Xiamen 零工市场 rule, §5.2: "every 零工 posting is audited"; 人社部等《关于规范网络平台招聘类信息
发布的通知》: a posting carries a validity period). The wire names of the states
(``docs/openapi.yaml`` ``PostingStatus.status``) and what the employer reads:

==================  ========  ====================================================
wire                shown     meaning
==================  ========  ====================================================
``pending_review``  待审核    received, not yet checked by the platform's staff
``published``       已发布    visible at every kiosk after its next catalog sync
``rejected``        驳回      refused; ``reason`` says why (shown to the employer)
``withdrawn``       已下架    taken down (by the employer or the platform)
``expired``         已过期    past its validity (a gig: after its work date)
==================  ========  ====================================================

Pay units are the contract's ``baseSalary.unitText`` values an employer may choose
(:data:`PAY_UNITS`: 元/月, 元/天, 元/小时, 元/件).
"""

from __future__ import annotations

AUDIT_STATES: dict[str, str] = {
    "pending_review": "待审核", "published": "已发布", "rejected": "驳回",
    "withdrawn": "已下架", "expired": "已过期",
}
AUDIT_STATES_EN: dict[str, str] = {
    "pending_review": "Under review", "published": "Published", "rejected": "Rejected",
    "withdrawn": "Withdrawn", "expired": "Expired",
}
#: states in which a posting counts towards the employer's limit and against duplicates
OPEN_STATES = frozenset({"pending_review", "published"})
#: the states the platform's casework may move a posting to
AUDIT_DECISIONS = frozenset({"published", "rejected", "withdrawn", "expired"})
PAY_UNITS: dict[str, str] = {"MONTH": "元/月", "DAY": "元/天", "HOUR": "元/小时", "PIECE": "元/件"}
EMPLOYER_KINDS: dict[str, str] = {"unit": "单位", "individual": "个人雇主"}


def state_label(status: str, language: str = "zh_CN") -> str:
    """The employer-facing label of a wire state ("待审核" …); the wire name if unknown."""
    table = AUDIT_STATES_EN if language == "en" else AUDIT_STATES
    return table.get(status, status)


#: Most days one gig posting can have (the date strip offers today and the next 6).
MAX_GIG_DAYS = 7


def work_days_text(work_date: str, more_dates: tuple[str, ...] | list[str] = (),
                   count: bool = True) -> str:
    """A gig's days as printed and shown: ``2026-12-02`` for one day; several as the first in
    full and the others as MM-DD with the count: ``2026-12-02、12-03、12-05（共3天）``
    (``count`` False: without ``（共3天）``)."""
    days = sorted({d for d in (work_date, *more_dates) if d})
    if len(days) <= 1:
        return days[0] if days else ""
    rest = "、".join(d[5:] if d[:4] == days[0][:4] else d for d in days[1:])
    return f"{days[0]}、{rest}" + (f"（共{len(days)}天）" if count else "")


__all__ = ["MAX_GIG_DAYS", "work_days_text",
           "AUDIT_STATES", "AUDIT_STATES_EN", "OPEN_STATES", "AUDIT_DECISIONS", "PAY_UNITS",
           "EMPLOYER_KINDS", "state_label"]
