"""招聘会报到码 slips: the sign-up a jobseeker takes to the fair, and its layout.

Same machinery as the referral slip (``docs/printing.md``): every line goes through
:func:`~kiosk.services.slip.text.printable` and the column wrapper, and the layout is encoded by
:func:`~kiosk.services.slip.encode.encode_slip` (GB18030 in Chinese mode, native or raster QR).

Order: station name, "招聘会报到码" (double size), the fair (name, kind, date and hours, venue
and address, organiser), the QR of the 报到码 (:func:`kiosk.domain.station_codes.fair_code_payload`,
scanned at any kiosk on the fair's day) with the short code in double size under it, what to
bring, the jobseeker (name masked 张*明, ID number as its last 4 characters only), the sign-up
time, the station hotline. The short code is an identifier: never split across lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.devices.printer.profile import PaperProfile
from kiosk.domain.china_time import format_china
from kiosk.domain.fairs import Fair
from kiosk.domain.masking import id_number_last4, mask_name
from kiosk.domain.station_codes import fair_code_payload, format_short_code
from kiosk.services.slip.layout import SlipBuilder, SlipLayout, SlipQr

SLIP_TITLE = "招聘会报到码"
QR_CAPTION = "招聘会当天在任一驿站终端扫码签到"


@dataclass(frozen=True)
class FairCheckinSlip:
    """What the 报到码 slip prints.

    Attributes:
        fair: the fair signed up for.
        token: the 报到码 token (26 base32 characters; the QR holds it with the fair id).
        short_code: the 8-character short code (printed ``ABCD-EFGH``).
        signed_up_at: when the platform recorded the sign-up (aware; printed in China time).
        station_name, hotline: the station that printed it.
        name, id_number: the jobseeker, printed masked only; kept out of ``repr``.
    """

    fair: Fair
    token: str = field(repr=False)
    short_code: str = field(repr=False)
    signed_up_at: datetime
    station_name: str
    hotline: str
    name: str = field(repr=False, default="")
    id_number: str = field(repr=False, default="")

    @property
    def slip_id(self) -> str:
        """What the printer log and the print result name: the fair and the masked short code."""
        return f"fair {self.fair.id} {self.short_code[:2]}******"

    @property
    def qr_payload(self) -> str:
        return fair_code_payload(self.fair.id, self.token)


def layout_fair_checkin(slip: FairCheckinSlip, profile: PaperProfile) -> SlipLayout:
    """Lay out ``slip`` for ``profile.columns`` columns (module docstring for the order).

    Raises:
        ValueError: the token or short code is not of the documented shape.
    """
    b = SlipBuilder(profile.columns)
    fair = slip.fair
    b.block(slip.station_name, align="center", bold=True, height=2)
    b.block(SLIP_TITLE, align="center", bold=True, width=2, height=2)
    b.rule()
    b.field("招聘会", fair.title)
    b.field("类型", fair.kind.name_zh)
    b.field("时间", fair.when_text())
    b.field("地点", fair.venue.name)
    b.field("地址", fair.venue.address)
    b.field("主办单位", fair.organiser)
    b.rule()
    b.items.append(SlipQr(slip.qr_payload))
    b.block(QR_CAPTION, align="center")
    b.block("报到码 " + format_short_code(slip.short_code), align="center", bold=True,
            width=2, height=2)
    b.rule()
    b.field("请携带", "、".join(fair.bring))
    b.field("求职者", mask_name(slip.name) if slip.name else "")
    b.field("身份证号", id_number_last4(slip.id_number) if slip.id_number else "")
    b.field("报名时间", format_china(slip.signed_up_at))
    b.rule()
    b.field("驿站电话", slip.hotline, identifier=True)
    b.block("凭本码于招聘会当天签到入场，本码仅限本人使用", align="center")
    return SlipLayout(tuple(b.items), profile.columns, b.substituted)
