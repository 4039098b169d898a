"""受理回执 (acceptance slip) of a 失业登记 / 灵活就业登记 / 就业困难人员认定 application.

Same machinery as the referral slip (``docs/printing.md``): :class:`~.layout.SlipBuilder` lines,
:func:`~.encode.encode_slip` bytes. Order: station name, "业务受理回执", 办件号 (online) or
"已保存，联网后自动提交" + 回执号 (offline), 办理事项, 申请人 (masked: 张*明, ID number last 4
only), 提交时间 (China time), 当前状态, 办理时限 (the office's, from the rules), the reason of a
不予受理 registration, the QR of the progress page with its caption, the station hotline and the
complaint channel.

Privacy: a slip never names a 就业困难 category, a health status, a disability or a 失业原因
(sensitive or not: a slip is left lying around), never lists missing materials (they may name a
certificate that reveals a category: "请扫码或在本机办件查询查看"), and never prints a 认定 refusal
reason (it may name one). :data:`NEVER_PRINTED` is what the tests scan the bytes for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.devices.printer.profile import PaperProfile
from kiosk.domain import applications as rules
from kiosk.domain.china_time import format_china
from kiosk.domain.masking import id_number_last4, mask_name
from kiosk.services.slip.layout import SlipBuilder, SlipLayout, SlipQr

SLIP_TITLE = "业务受理回执"
QR_CAPTION = "微信/手机扫码查看办理进度"
OFFLINE_LINE = "已保存，联网后自动提交"
OFFLINE_NOTE = "网络恢复后本机自动提交，无需再来；提交后可在本机“办件查询”查看办件号和进度。"
MATERIALS_NOTE = "需补充的材料请扫码或在本机“办件查询”查看（为保护隐私不打印）。"


@dataclass(frozen=True)
class AcceptanceSlip:
    """What an acceptance slip shows. ``name`` and ``id_number`` are masked when laid out and
    kept out of ``repr``.

    Attributes:
        kind: a key of :data:`kiosk.domain.applications.KINDS`.
        application_no: the platform's 办件号, or "" while the application waits in the outbox.
        receipt_no: the kiosk's local receipt number (always).
        submitted_at: aware datetime (printed in China time).
        state: the case state ("" offline).
        progress_url: the progress page (the QR), "" when unknown (offline).
        reason: why a registration was not accepted (printed), else "".
    """

    station_name: str
    hotline: str
    complaint: str
    kind: str
    receipt_no: str
    submitted_at: datetime
    name: str = field(repr=False)
    id_number: str = field(repr=False)
    application_no: str = ""
    state: str = ""
    progress_url: str = ""
    reason: str = ""

    @property
    def offline(self) -> bool:
        return not self.application_no


def layout_acceptance(slip: AcceptanceSlip, profile: PaperProfile) -> SlipLayout:
    """Lay out ``slip`` for ``profile.columns`` columns (see the module docstring).

    Raises:
        KeyError: an unknown ``kind``.
    """
    b = SlipBuilder(profile.columns)
    b.block(slip.station_name, align="center", bold=True, height=2)
    b.block(SLIP_TITLE, align="center", bold=True, width=2, height=2)
    b.rule()
    if slip.offline:
        b.block(OFFLINE_LINE, align="center", bold=True)
        b.field("回执号", slip.receipt_no, identifier=True)
    else:
        b.field("办件号", slip.application_no, identifier=True)
        b.field("回执号", slip.receipt_no, identifier=True)
    b.field("办理事项", rules.KIND_NAMES_ZH[slip.kind])
    b.field("申请人", mask_name(slip.name))
    b.field("身份证号", id_number_last4(slip.id_number))
    b.field("提交时间", format_china(slip.submitted_at))
    if slip.state:
        b.field("当前状态", rules.state_label(slip.state))
    b.field("办理时限", rules.TIME_LIMITS[slip.kind].text_zh)
    if slip.reason and slip.state == "not_accepted" and slip.kind != rules.HARDSHIP:
        b.field("原因", slip.reason)
    if slip.state == "needs_materials":
        b.block(MATERIALS_NOTE)
    b.rule()
    if slip.progress_url:
        b.items.append(SlipQr(slip.progress_url))
        b.block(QR_CAPTION, align="center")
    else:
        b.block(OFFLINE_NOTE)
    b.field("驿站电话", slip.hotline, identifier=True)
    b.field("投诉监督", slip.complaint)
    return SlipLayout(tuple(b.items), profile.columns, b.substituted)


__all__ = ["AcceptanceSlip", "layout_acceptance", "SLIP_TITLE", "OFFLINE_LINE", "QR_CAPTION"]
