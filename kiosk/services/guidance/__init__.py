"""预约职业指导 and the 求职简历 hand-off (issue 22): :class:`GuidanceService` (adviser slots,
bookings, cancellations, slips) over :class:`SlotStore` (the terminal's copy of the slots)."""

from kiosk.services.guidance.service import (OFFLINE, BookingOutcome, BookingsFound,
                                             GuidanceService, SyncResult)
from kiosk.services.guidance.store import SlotStore, SlotStoreError

__all__ = ["OFFLINE", "BookingOutcome", "BookingsFound", "GuidanceService", "SlotStore",
           "SlotStoreError", "SyncResult"]
