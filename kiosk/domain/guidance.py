"""预约职业指导: a station's career-adviser slots and the rules for booking and cancelling one.

A slot is one adviser at one desk for a stretch of time (``starts_at``–``ends_at``), taking up to
``capacity`` people (1 for a one-to-one talk; more for a small group session). The platform
publishes the slots of each station (``GET /v1/guidance/slots``); the kiosk keeps a copy.

The reference (``../shared/design/employment-services.md``) names 职业指导 as a basic station
service but gives **no rule** for booking windows (unclear), so the two deadlines are the
platform's, carried on each slot and never hard-coded here:

* ``bookable_until`` — after it the slot takes no new bookings (typically its start);
* ``cancellable_until`` — after it a booking cannot be cancelled at the kiosk any more (the
  person is told to call the station instead).

Every refusal is a :class:`~kiosk.domain.fairs.Refusal` with a stable ``code`` (the platform's
problem ``code``), a Chinese message and its English translation. Times are aware datetimes
(UTC from the platform); texts for people are in China time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.china_time import to_china
from kiosk.domain.fairs import Refusal

WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")


@dataclass(frozen=True)
class AdviserSlot:
    """One bookable adviser slot (``AdviserSlot`` in ``docs/openapi.yaml``).

    Attributes:
        id: the platform's slot id.
        starts_at, ends_at: aware datetimes (UTC from the platform).
        adviser: how the adviser is called at the desk ("李老师"); never a full name on paper.
        desk: where to go ("2号职业指导室").
        topic: what the talk is for ("求职方向与简历").
        capacity: people per slot (≥ 1).
        booked: people booked (live count at the platform's last answer).
        bookable_until, cancellable_until: the platform's deadlines (see the module docstring).
        cancelled: the station withdrew the slot.
        updated_at: the platform's change stamp (RFC 3339).
    """

    id: str
    starts_at: datetime
    ends_at: datetime
    adviser: str
    desk: str
    topic: str
    capacity: int
    booked: int
    bookable_until: datetime
    cancellable_until: datetime
    cancelled: bool = False
    updated_at: str = ""

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.booked)

    def when_text(self) -> str:
        """``12月5日（星期六）09:30–10:00`` in China time."""
        start, end = to_china(self.starts_at), to_china(self.ends_at)
        return (f"{start.month}月{start.day}日（星期{WEEKDAYS_ZH[start.weekday()]}）"
                f"{start:%H:%M}–{end:%H:%M}")

    def when_text_en(self) -> str:
        start, end = to_china(self.starts_at), to_china(self.ends_at)
        return f"{start:%a %d %b} {start:%H:%M}–{end:%H:%M}"


def _clock(when: datetime) -> str:
    local = to_china(when)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def booking_refusal(slot: AdviserSlot, now: datetime) -> Refusal | None:
    """Why ``slot`` takes no booking at ``now`` (None: it does). Order: withdrawn, closed
    (``bookable_until`` passed), full (``booked`` reached ``capacity``)."""
    if slot.cancelled:
        return Refusal("slot_cancelled", "这个时段已取消，请选择其他时间",
                       "This time has been withdrawn; please choose another")
    if now >= slot.bookable_until:
        return Refusal("slot_closed", "这个时段已停止预约，请选择其他时间",
                       "This time takes no more bookings; please choose another")
    if slot.booked >= slot.capacity:
        return Refusal("slot_full", "这个时段已约满，请选择其他时间",
                       "This time is fully booked; please choose another")
    return None


def cancellation_refusal(slot: AdviserSlot, now: datetime, hotline: str = "") -> Refusal | None:
    """Why a booking of ``slot`` cannot be cancelled at ``now`` (None: it can)."""
    if now >= slot.cancellable_until:
        call = f"，如需改约请致电{hotline}" if hotline else "，如需改约请联系驿站工作人员"
        return Refusal("cancellation_too_late",
                       f"已过取消时间（{_clock(slot.cancellable_until)}）{call}",
                       "It is too late to cancel at the kiosk; please call the station")
    return None


#: the platform's problem codes the kiosk explains (others: a generic message)
REFUSALS = {
    "slot_not_found": Refusal("slot_not_found", "这个时段已不存在，请重新选择",
                              "This time no longer exists; please choose again"),
    "booking_not_found": Refusal("booking_not_found", "没有找到您的这条预约",
                                 "No such booking of yours was found"),
}


def explain(code: str, slot: AdviserSlot | None, now: datetime, hotline: str = "") -> Refusal:
    """The :class:`Refusal` for the platform's problem ``code`` (with the slot when known, so
    the message matches the kiosk's own check)."""
    if slot is not None:
        for check in (booking_refusal(slot, now), cancellation_refusal(slot, now, hotline)):
            if check is not None and check.code == code:
                return check
    if code in REFUSALS:
        return REFUSALS[code]
    fixed = {"slot_cancelled": "这个时段已取消，请选择其他时间",
             "slot_closed": "这个时段已停止预约，请选择其他时间",
             "slot_full": "这个时段已约满，请选择其他时间",
             "cancellation_too_late": (f"已过取消时间，如需改约请致电{hotline}" if hotline
                                       else "已过取消时间，如需改约请联系驿站工作人员")}
    if code in fixed:
        return Refusal(code, fixed[code], "This cannot be done now; please choose another time")
    return Refusal(code or "refused", "预约暂时无法完成，请到服务台办理",
                   "The booking cannot be completed; please ask at the desk")


def bookable(slots: list[AdviserSlot], now: datetime, limit: int = 20) -> list[AdviserSlot]:
    """The slots a person can book at ``now``, soonest first (at most ``limit``)."""
    open_ = [s for s in slots if booking_refusal(s, now) is None]
    return sorted(open_, key=lambda s: (s.starts_at, s.id))[:limit]


__all__ = ["AdviserSlot", "REFUSALS", "bookable", "booking_refusal", "cancellation_refusal",
           "explain"]
