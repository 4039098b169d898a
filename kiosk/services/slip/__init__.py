"""Referral slips (就业岗位推荐单): referral model, text safety, wrapping, layout, encoding,
and the :class:`ReceiptPrinter` the UI uses. See ``docs/printing.md``."""

from kiosk.services.slip.encode import encode_slip
from kiosk.services.slip.errors import ReferralFormatError, SlipError, UnprintableTextError
from kiosk.services.slip.layout import SlipLayout, SlipLine, SlipQr, layout_slip
from kiosk.services.slip.printing import PrintResult, ReceiptPrinter, build_printer
from kiosk.services.slip.referral import JobseekerInfo, Referral, ReferralVacancy, StationInfo
from kiosk.services.slip.text import SUBSTITUTE, printable, text_columns
from kiosk.services.slip.wrap import wrap_columns

__all__ = [
    "encode_slip", "ReferralFormatError", "SlipError", "UnprintableTextError", "SlipLayout",
    "SlipLine", "SlipQr", "layout_slip", "PrintResult", "ReceiptPrinter", "build_printer",
    "JobseekerInfo", "Referral", "ReferralVacancy", "StationInfo", "SUBSTITUTE", "printable",
    "text_columns", "wrap_columns",
]
