"""预约职业指导 slips: the booking a jobseeker takes home, and the cancellation note.

Same machinery as the referral slip (``docs/printing.md``). Order: station name, "职业指导预约"
(double size), the time (double height), the adviser and the desk, the topic, the booking
number (an identifier: never split), the jobseeker (name masked 陈*英, never the ID number),
how to cancel (at any kiosk of the station with the same ID card, until the slot's
``cancellable_until``; after that by the station hotline), the hotline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.devices.printer.profile import PaperProfile
from kiosk.domain.china_time import format_china, to_china
from kiosk.domain.guidance import AdviserSlot
from kiosk.domain.masking import mask_name
from kiosk.services.slip.layout import SlipBuilder, SlipLayout

SLIP_TITLE = "职业指导预约"
CANCELLED_TITLE = "职业指导预约已取消"


@dataclass(frozen=True)
class GuidanceSlip:
    """What the booking slip prints (``cancelled``: the cancellation note instead).

    Attributes:
        booking_no: the platform's booking number.
        slot: the slot booked.
        booked_at: when the platform recorded it (aware; printed in China time).
        station_name, hotline: the station that printed it.
        name: the jobseeker, printed masked only; kept out of ``repr``.
    """

    booking_no: str
    slot: AdviserSlot
    booked_at: datetime
    station_name: str
    hotline: str
    name: str = field(repr=False, default="")
    cancelled: bool = False

    @property
    def slip_id(self) -> str:
        return f"guidance {self.booking_no}"


def cancel_until_text(slot: AdviserSlot) -> str:
    local = to_china(slot.cancellable_until)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def layout_guidance(slip: GuidanceSlip, profile: PaperProfile) -> SlipLayout:
    """Lay out ``slip`` for ``profile.columns`` columns (module docstring for the order)."""
    b = SlipBuilder(profile.columns)
    slot = slip.slot
    b.block(slip.station_name, align="center", bold=True, height=2)
    b.block(CANCELLED_TITLE if slip.cancelled else SLIP_TITLE, align="center", bold=True,
            width=2, height=2)
    b.rule()
    b.block(slot.when_text(), align="center", bold=True, height=2)
    b.field("职业指导师", slot.adviser)
    b.field("地点", slot.desk)
    b.field("内容", slot.topic)
    b.field("预约号", slip.booking_no, identifier=True)
    b.field("求职者", mask_name(slip.name) if slip.name else "")
    b.field("预约时间", format_china(slip.booked_at))
    b.rule()
    if slip.cancelled:
        b.block("您的这次预约已取消，名额已释放给其他人。如需再约，请在终端选择“预约职业指导”。")
    else:
        b.block("请提前10分钟到达，凭本凭条或身份证到上述地点找职业指导师。")
        b.block(f"如需取消：{cancel_until_text(slot)}前，在本站自助终端选择“预约职业指导”"
                f"→“取消预约”，刷同一张身份证即可；之后请致电驿站。")
    b.field("驿站电话", slip.hotline, identifier=True)
    return SlipLayout(tuple(b.items), profile.columns, b.substituted)
