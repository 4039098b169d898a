"""Pick-lists and summaries for the employer posting screens (issue 19). Pure; no I/O.

* choices (code, Chinese label) in the order shown: :data:`HEADCOUNT_CHOICES`,
  :data:`PAY_UNIT_CHOICES` (元/月 元/天 元/小时 元/件, :data:`kiosk.domain.postings.PAY_UNITS`),
  :data:`START_TIMES` ("HH:MM" China time), :data:`DURATION_CHOICES` (hours),
  :data:`SETTLEMENT_CHOICES` (日结/周结/完工结, :data:`kiosk.domain.vacancy.SETTLEMENTS`),
  :data:`REQUIREMENT_CHOICES` (what gig boards show as 要求; nothing on sex, age, 民族 or 户籍:
  《关于规范网络平台招聘类信息发布的通知》 forbids discriminatory conditions,
  ``employment-services.md`` §5.1), at most :data:`MAX_REQUIREMENTS`;
* :func:`work_days` — the gig dates offered: today and the next days, labelled 今天/明天/后天;
  :func:`toggle_work_day` — several may be picked (a gig on up to 7 days);
* :func:`pay_entry` — the digits typed on the keypad as whole yuan (at most 6 digits);
* :func:`summary_lines` — ``(label, value)`` of a draft for the review and done screens
  (the contact phone masked).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kiosk.domain.codes import divisions
from kiosk.domain.i18n_marker import N_
from kiosk.domain.masking import mask_phone
from kiosk.domain.postings import EMPLOYER_KINDS, MAX_GIG_DAYS, PAY_UNITS, work_days_text
from kiosk.domain.vacancy import SETTLEMENTS

HEADCOUNT_CHOICES: tuple[int, ...] = (1, 2, 3, 5, 10, 20, 50)
PAY_UNIT_CHOICES: tuple[tuple[str, str], ...] = tuple(PAY_UNITS.items())
START_TIMES: tuple[str, ...] = ("06:00", "07:00", "08:00", "09:00", "10:00", "13:00", "14:00",
                                "18:00", "20:00")
DURATION_CHOICES: tuple[float, ...] = (2, 3, 4, 6, 8, 10, 12)
SETTLEMENT_CHOICES: tuple[tuple[str, str], ...] = tuple(SETTLEMENTS.items())
REQUIREMENT_CHOICES: tuple[str, ...] = (
    N_("身体健康"),
    N_("能吃苦耐劳"),
    N_("有相关经验"),
    N_("有健康证"),
    N_("有电工证"),
    N_("会骑电动车"),
    N_("有驾驶证"),
    N_("能上夜班"),
    N_("能长时间站立"),
    N_("会用智能手机"),
    N_("包午餐"),
    N_("包住宿"),
    N_("提供工装"),
    N_("报销交通费"),
)
MAX_REQUIREMENTS = 8
MAX_PAY_DIGITS = 6
WORK_DAYS = 7
_DAY_WORDS = ("今天", "明天", "后天")
_WEEKDAYS = "一二三四五六日"


def work_days(today: date, days: int = WORK_DAYS) -> list[tuple[str, str]]:
    """``[("2026-12-01", "今天 12月1日 周二"), …]`` for ``days`` days from ``today``."""
    out = []
    for n in range(days):
        day = today + timedelta(days=n)
        word = _DAY_WORDS[n] + " " if n < len(_DAY_WORDS) else ""
        out.append((day.isoformat(), f"{word}{day.month}月{day.day}日 周{_WEEKDAYS[day.weekday()]}"))
    return out


def toggle_work_day(work_date: str, more_dates: tuple[str, ...], day: str
                    ) -> tuple[str, tuple[str, ...]]:
    """The gig's days after tapping ``day`` on the date strip: added (at most
    :data:`~kiosk.domain.postings.MAX_GIG_DAYS` days) or removed; → ``(work_date, more_dates)``
    with ``work_date`` the earliest ("" when none is left)."""
    days = {d for d in (work_date, *more_dates) if d}
    if day in days:
        days.discard(day)
    elif len(days) < MAX_GIG_DAYS:
        days.add(day)
    ordered = sorted(days)
    return (ordered[0], tuple(ordered[1:])) if ordered else ("", ())


def pay_entry(digits: str, key: str) -> str:
    """The pay digits after one keypad ``key`` (a digit, "backspace" or "clear"); no leading
    zero, at most :data:`MAX_PAY_DIGITS` digits."""
    if key == "backspace":
        return digits[:-1]
    if key == "clear":
        return ""
    if not key.isdigit() or len(digits) >= MAX_PAY_DIGITS or (not digits and key == "0"):
        return digits
    return digits + key


def hours_text(hours: float) -> str:
    return f"{hours:g}小时"


def place_text(division_code: str, address: str) -> str:
    """The address when there is one (the station's is complete: "广州市天河区天河南二路…"),
    else the division's full name ("广州市天河区天河南街道")."""
    if address:
        return address
    return divisions.full_name(division_code) if divisions.is_known(division_code) else ""


def summary_lines(draft: Any, handler_name: str = "") -> list[tuple[str, str]]:
    """What the employer checks before 提交 (and sees again after it), in slip order.

    ``draft`` is a :class:`~kiosk.services.employer_postings.PostingDraft`; ``handler_name``
    (already masked) names a 个人雇主.
    """
    kind = EMPLOYER_KINDS.get(draft.employer_kind, "")
    who = (f"{draft.employer_name}（{kind}）" if draft.employer_kind == "unit"
           else f"{handler_name}（{kind}）")
    lines = [(N_("用工主体"), who)]
    if draft.employer_kind == "unit":
        lines.append((N_("统一社会信用代码"), draft.credit_code))
    lines += [(N_("工种"), draft.title + ("（零工）" if draft.gig else "（长期招聘）")),
              (N_("招聘人数"), f"{draft.headcount}人"),
              (N_("工资"), f"{draft.pay}{PAY_UNITS.get(draft.pay_unit, '')}" if draft.pay else "")]
    if draft.gig:
        lines += [(N_("上工时间"), f"{work_days_text(draft.work_date, draft.more_dates)} "
                               f"{draft.start_time} 起 {hours_text(draft.duration_hours)}"),
                  (N_("结算方式"), SETTLEMENTS.get(draft.settlement, ""))]
    lines += [(N_("工作地点"), place_text(draft.division_code, draft.address)),
              (N_("要求"), "；".join(draft.requirements) or "无"),
              (N_("详细说明"), draft.description or "无"),
              (N_("联系电话"), mask_phone(draft.contact_phone))]
    return lines


__all__ = ["HEADCOUNT_CHOICES", "PAY_UNIT_CHOICES", "START_TIMES", "DURATION_CHOICES",
           "SETTLEMENT_CHOICES", "REQUIREMENT_CHOICES", "MAX_REQUIREMENTS", "work_days",
           "toggle_work_day",
           "pay_entry", "hours_text", "place_text", "summary_lines"]
