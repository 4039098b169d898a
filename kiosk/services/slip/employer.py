"""The employer slip (招聘信息回执) and the 零工 sign-up slip (零工报名凭条), issue 19.

Same machinery as the referral slip (``docs/printing.md``): :class:`SlipBuilder` lines through
:func:`~kiosk.services.slip.text.printable`, encoded by
:func:`~kiosk.services.slip.encode.encode_slip` (GB18030, QR native or raster).

* :func:`layout_posting_slip` — the posting number (or, offline, the receipt number), the audit
  state 待审核, what was posted (工种, 人数, 工资, 日期/时间/时长, 结算, 地点, 要求), the
  contact phone masked, and a QR of ``manage_url`` to manage the posting (none while offline:
  the progress query at any kiosk takes the ID card);
* :func:`layout_signup_slip` — the sign-up number, the gig (工种, 用工单位, 日期 + start +
  hours, 地点, 工资 + 结算), the employer's contact (name and phone: the worker needs them), and
  the worker's name **masked** (张*明). No ID number on either slip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.devices.printer.profile import PaperProfile
from kiosk.domain.codes import divisions
from kiosk.domain.masking import mask_name, mask_phone
from kiosk.domain.postings import PAY_UNITS, state_label, work_days_text
from kiosk.domain.vacancy import SETTLEMENTS, Vacancy
from kiosk.services.slip.layout import SlipBuilder, SlipLayout, SlipQr

POSTING_TITLE = "招聘信息回执"
SIGNUP_TITLE = "零工报名凭条"
MANAGE_CAPTION = "扫码管理这条招聘信息"


@dataclass(frozen=True)
class PostingSlip:
    """What the employer slip prints. ``posting_no`` "" while offline (then ``receipt_no``)."""

    station_name: str
    printed_on: date
    posting_no: str
    receipt_no: str
    employer_name: str
    title: str
    headcount: int
    pay: int
    pay_unit: str
    gig: bool
    work_date: str = ""
    start_time: str = ""
    duration_hours: float = 0.0
    settlement: str = ""
    division_code: str = ""
    address: str = ""
    requirements: tuple[str, ...] = ()
    contact_phone: str = ""
    manage_url: str = ""
    status: str = "pending_review"
    more_dates: tuple[str, ...] = ()      # a gig's further days (YYYY-MM-DD)


def _place(code: str, address: str) -> str:
    """The address when there is one (a station's is complete), else the division's name."""
    if address:
        return address
    return divisions.full_name(code) if code and divisions.is_known(code) else ""


def _hours(h: float) -> str:
    return f"{h:g}小时"


def layout_posting_slip(slip: PostingSlip, profile: PaperProfile) -> SlipLayout:
    """The employer slip for ``profile.columns`` columns (58 mm: 32, 80 mm: 48)."""
    b = SlipBuilder(profile.columns)
    b.block(POSTING_TITLE, align="center", bold=True, width=2, height=2)
    b.rule()
    if slip.posting_no:
        b.field("信息编号", slip.posting_no, identifier=True)
        b.field("状态", state_label(slip.status))
    else:
        b.field("回执号", slip.receipt_no, identifier=True)
        b.field("状态", "已保存，网络恢复后自动提交审核")
    b.field("用工主体", slip.employer_name)
    b.rule()
    b.field("工种", slip.title + ("（零工）" if slip.gig else ""))
    b.field("招聘人数", f"{slip.headcount}人")
    b.field("工资", f"{slip.pay}{PAY_UNITS.get(slip.pay_unit, '')}")
    if slip.gig:
        b.field("上工时间", f"{work_days_text(slip.work_date, slip.more_dates)} {slip.start_time} 起 "
                        f"{_hours(slip.duration_hours)}")
        b.field("结算方式", SETTLEMENTS.get(slip.settlement, ""))
    b.field("工作地点", _place(slip.division_code, slip.address))
    b.field("要求", "；".join(slip.requirements))
    b.field("联系电话", mask_phone(slip.contact_phone), identifier=True)
    b.rule()
    b.block("审核通过后发布到各驿站终端；凭身份证可在任一终端查询审核进度。")
    if slip.manage_url:
        b.items.append(SlipQr(slip.manage_url))
        b.block(MANAGE_CAPTION, align="center")
    b.block(slip.station_name, align="center")
    b.block(f"{slip.printed_on.isoformat()} 自助终端打印", align="center")
    return SlipLayout(tuple(b.items), profile.columns, b.substituted)


@dataclass(frozen=True)
class SignupSlip:
    """What the sign-up slip prints; ``worker_name`` is masked when laid out."""

    station_name: str
    printed_on: date
    signup_no: str
    gig: Vacancy
    worker_name: str

    def __repr__(self) -> str:  # the worker's name stays out of logs
        return f"SignupSlip({self.signup_no!r}, {self.gig.id!r})"


def layout_signup_slip(slip: SignupSlip, profile: PaperProfile) -> SlipLayout:
    """The sign-up slip: time, place, pay, employer contact, masked name."""
    g = slip.gig
    b = SlipBuilder(profile.columns)
    b.block(SIGNUP_TITLE, align="center", bold=True, width=2, height=2)
    b.rule()
    b.field("报名编号", slip.signup_no, identifier=True)
    b.field("报名人", mask_name(slip.worker_name))
    b.rule()
    b.field("工种", g.title)
    b.field("用工单位", g.employer)
    b.field("上工时间", f"{g.work_date} {g.start_time} 起 {_hours(g.duration_hours)}")
    b.field("工作地点", " ".join(p for p in (g.address or _place(g.division_code, ""),) if p))
    b.field("工资", g.salary_text() + (f"（{SETTLEMENTS[g.settlement]}）"
                                       if g.settlement in SETTLEMENTS else ""))
    b.field("联系人", g.contact_name)
    b.field("联系电话", g.contact_phone, identifier=True)
    b.rule()
    b.block("请按时到达；不能去请提前电话告知用工单位。")
    b.block(slip.station_name, align="center")
    b.block(f"{slip.printed_on.isoformat()} 自助终端打印", align="center")
    return SlipLayout(tuple(b.items), profile.columns, b.substituted)


__all__ = ["PostingSlip", "SignupSlip", "layout_posting_slip", "layout_signup_slip",
           "POSTING_TITLE", "SIGNUP_TITLE"]
