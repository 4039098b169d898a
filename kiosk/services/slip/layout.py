"""Lay out a referral slip (就业岗位推荐单) for a paper profile. Pure: no printer I/O.

Order: station name (bold, double height, centred), "就业岗位推荐单" (bold, double size,
centred), referral number / issue time / validity, vacancy block (岗位名称, 用人单位, 工作地点,
薪资待遇, 联系人, 联系电话, 面试须知), jobseeker block (name masked 张*明, ID number as its last
4 characters only, phone 3+4), the QR code of the verification URL (centred) with its caption,
the station hotline and the complaint channel.

Labels take 10 columns ("岗位名称："); wrapped values are indented by that much. Separators are
``columns`` "-" characters. Every text line goes through :func:`printable` and
:func:`wrap_columns`, so no line is wider than the paper at its size factor.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.printer.profile import PaperProfile
from kiosk.domain.china_time import FORMAT, format_china
from kiosk.domain.masking import id_number_last4, mask_name, mask_phone
from kiosk.services.slip.referral import Referral
from kiosk.services.slip.text import printable, text_columns
from kiosk.services.slip.wrap import wrap_columns

SLIP_TITLE = "就业岗位推荐单"
QR_CAPTION = "微信/手机扫码核验推荐单"
LABEL_COLUMNS = 10


@dataclass(frozen=True)
class SlipLine:
    """One printed line. ``width``/``height`` are GS ! factors (1 or 2); ``align`` is
    "left", "center" or "right"."""

    text: str
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True)
class SlipQr:
    """A QR code of ``payload`` (ASCII), centred."""

    payload: str


SlipItem = SlipLine | SlipQr


@dataclass(frozen=True)
class SlipLayout:
    """The laid-out slip: items in print order, for ``columns`` Font-A columns.

    ``substituted`` counts characters replaced by "〓" (outside the GB18030 2-byte area).
    """

    items: tuple[SlipItem, ...]
    columns: int
    substituted: int = 0

    @property
    def lines(self) -> tuple[str, ...]:
        """The text of every line, in order (QR codes excluded)."""
        return tuple(item.text for item in self.items if isinstance(item, SlipLine))

    @property
    def qr_payload(self) -> str:
        """The verification URL encoded in the QR code ("" if none)."""
        return next((item.payload for item in self.items if isinstance(item, SlipQr)), "")


class _Builder:
    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.items: list[SlipItem] = []
        self.substituted = 0

    def clean(self, text: str) -> str:
        result = printable(text)
        self.substituted += result.substituted
        return result.text

    def block(self, text: str, *, align: str = "left", bold: bool = False, width: int = 1,
              height: int = 1) -> None:
        for line in wrap_columns(self.clean(text), self.columns // width):
            self.items.append(SlipLine(line, align, bold, width, height))

    def field(self, label: str, value: str, *, identifier: bool = False) -> None:
        """``label：value``, the value wrapped under itself. An ``identifier`` (referral number,
        phone number: what staff type in) is never split: when it does not fit beside the
        label, the label takes a line and the value the next one, at the full paper width."""
        value = self.clean(value).strip()
        if not value:
            return
        label = label + "："
        pad = LABEL_COLUMNS - text_columns(label)
        label += " " * max(0, pad)
        indent = " " * text_columns(label)
        if identifier and text_columns(value) > self.columns - len(indent):
            self.items.append(SlipLine(label.rstrip()))
            for line in wrap_columns(value, self.columns):
                self.items.append(SlipLine(line))
            return
        for i, line in enumerate(wrap_columns(value, self.columns - len(indent))):
            self.items.append(SlipLine((label if i == 0 else indent) + line))

    def rule(self) -> None:
        self.items.append(SlipLine("-" * self.columns))


#: The line builder, public for the other slips of this package (résumé).
SlipBuilder = _Builder


def issued_text(referral: Referral) -> str:
    """``issued_at`` in China Standard Time, ``"2026-12-01 16:11"`` (an offset-less time is
    taken as already China time, as the platform writes it)."""
    issued = referral.issued_at
    return format_china(issued) if issued.tzinfo is not None else issued.strftime(FORMAT)


def layout_slip(referral: Referral, profile: PaperProfile) -> SlipLayout:
    """Lay out ``referral`` for ``profile.columns`` columns.

    Returns:
        A :class:`SlipLayout`; its lines are already normalised and wrapped.
    """
    b = _Builder(profile.columns)
    vac = referral.vacancy
    b.block(referral.station.name, align="center", bold=True, height=2)
    b.block(SLIP_TITLE, align="center", bold=True, width=2, height=2)
    b.rule()
    b.field("推荐单号", referral.referral_id, identifier=True)
    b.field("开具时间", issued_text(referral))
    b.field("有效期至", referral.valid_until.isoformat())
    b.rule()
    b.field("岗位名称", vac.title)
    b.field("用人单位", vac.employer)
    b.field("工作地点", vac.address)
    b.field("薪资待遇", vac.salary_text())
    b.field("联系人", vac.contact_name)
    b.field("联系电话", vac.contact_phone, identifier=True)
    b.field("面试须知", vac.interview_note)
    b.rule()
    b.field("求职者", mask_name(referral.jobseeker.name))
    b.field("身份证号", id_number_last4(referral.jobseeker.id_number))
    b.field("手机号码", mask_phone(referral.jobseeker.phone))
    b.rule()
    b.items.append(SlipQr(referral.verify_url))
    b.block(QR_CAPTION, align="center")
    b.field("驿站电话", referral.station.hotline, identifier=True)
    b.field("投诉监督", referral.station.complaint)
    b.block("凭本单于有效期内前往面试", align="center")
    return SlipLayout(tuple(b.items), profile.columns, b.substituted)
