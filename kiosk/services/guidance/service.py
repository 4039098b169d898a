"""预约职业指导 for the kiosk: the station's adviser slots kept in sync, booking one after the
identity, the person's bookings found again by the card, cancelling one, and the slips.

Every call that reaches the platform may block (seconds): screens run them off the UI thread.
Outcomes are values with a Chinese message first and English second, never exceptions, for what
a person can cause; a :class:`~kiosk.platform.errors.PlatformError` other than a refusal becomes
the ``offline`` outcome (a booking takes a place that other kiosks see, so it is made at the
platform or not at all: nothing is queued).

Rules: :mod:`kiosk.domain.guidance` (the kiosk explains a refusal before asking when its own
copy already shows it — a closed or withdrawn slot — and asks the platform otherwise: only the
platform knows the last place).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.domain.fairs import Refusal
from kiosk.domain.guidance import AdviserSlot, bookable, booking_refusal, cancellation_refusal, explain
from kiosk.platform.errors import PlatformError, PlatformRejected
from kiosk.platform.wire_formats import parse_iso
from kiosk.services.guidance.store import SlotStore
from kiosk.services.slip.guidance import GuidanceSlip, layout_guidance
from kiosk.services.slip.printing import PrintResult, ReceiptPrinter

if TYPE_CHECKING:  # the wire models are imported on first use (issue 23: start-up)
    from kiosk.platform.guidance_wire import GuidanceBooking, SlotPage

log = logging.getLogger(__name__)

OFFLINE = Refusal("offline", "网络暂不可用，请稍后再试或到服务台预约",
                  "The network is unavailable; please try again later or ask at the desk")
#: how many slots the booking screen lists
LIST_SIZE = 12


class GuidancePlatform(Protocol):
    """What this service needs of :class:`~kiosk.platform.client.PlatformClient`."""

    def adviser_slots(self, etag: str | None = None) -> SlotPage: ...
    def book_adviser_slot(self, slot_id: str, payload: dict[str, Any],
                          idempotency_key: str) -> GuidanceBooking: ...
    def guidance_bookings_of(self, id_number: str) -> list[GuidanceBooking]: ...
    def cancel_guidance_booking(self, booking_no: str, id_number: str) -> GuidanceBooking: ...


class Person(Protocol):
    """The identity of the session (an ``IdentityCard``: from the card or the e-ID)."""

    name: str
    id_number: str


@dataclass(frozen=True)
class SyncResult:
    stored: int
    not_modified: bool


@dataclass(frozen=True)
class BookingOutcome:
    """A booking or a cancellation: ``slip`` when done (``slip.cancelled`` for a cancellation),
    else ``refusal``. ``again``: this person had booked this slot before (the same booking)."""

    slip: GuidanceSlip | None = None
    refusal: Refusal | None = None
    again: bool = False

    @property
    def ok(self) -> bool:
        return self.slip is not None

    @property
    def booking_no(self) -> str:
        return self.slip.booking_no if self.slip is not None else ""


@dataclass(frozen=True)
class BookingsFound:
    """The person's bookings (``ok`` False: the platform could not be asked, ``refusal``)."""

    slips: tuple[GuidanceSlip, ...] = ()
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


class GuidanceService:
    """预约职业指导 on this terminal.

    Args:
        store: the slot table.
        platform: the platform client (or anything of :class:`GuidancePlatform`'s shape).
        station_name, hotline: printed on the slips.
        clock: the time now (aware UTC; tests inject one).
    """

    def __init__(self, store: SlotStore, platform: GuidancePlatform, *, station_name: str,
                 hotline: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.platform = platform
        self.station_name = station_name
        self.hotline = hotline
        self.clock = clock

    # --- the slots -----------------------------------------------------------------------------
    def sync(self) -> SyncResult:
        """Bring the slot table up to date (``If-None-Match`` with the last ETag).

        Raises:
            PlatformError: the platform did not answer (the table is kept as it was).
            SlotStoreError: the table cannot be written.
        """
        page = self.platform.adviser_slots(etag=self.store.meta("etag"))
        if page.not_modified:
            self.store.mark_synced()
            return SyncResult(len(self.store.all()), True)
        stored = self.store.replace(page.items, etag=page.etag, server_time=page.server_time)
        log.info("adviser slot sync: %d slots", stored)
        return SyncResult(stored, False)

    def open_slots(self, limit: int = LIST_SIZE) -> list[AdviserSlot]:
        """The slots one can book now, soonest first (from the terminal's copy)."""
        return bookable(self.store.all(), self.clock(), limit)

    def slot(self, slot_id: str) -> AdviserSlot | None:
        return self.store.get(slot_id)

    # --- booking -------------------------------------------------------------------------------
    def book(self, slot_id: str, person: Person, consent: dict[str, Any], phone: str = "",
             idempotency_key: str | None = None) -> BookingOutcome:
        """Book ``slot_id`` for ``person`` → the slip, or why not.

        ``consent`` is the session's consent record (purposes including ``guidance_booking``).
        A second booking of the same slot by the same person gives the same booking (``again``).
        """
        now = self.clock()
        slot = self.store.get(slot_id)
        if slot is None:
            return BookingOutcome(refusal=explain("slot_not_found", None, now))
        local = booking_refusal(slot, now)
        if local is not None and local.code != "slot_full":   # full: the platform knows better
            return BookingOutcome(refusal=local)
        payload = {"jobseeker": {"id_number": person.id_number, "name": person.name,
                                 "phone": phone}, "consent": consent}
        try:
            booking = self.platform.book_adviser_slot(slot_id, payload,
                                                      idempotency_key or uuid.uuid4().hex)
        except PlatformRejected as exc:
            return BookingOutcome(refusal=explain(exc.code, slot, now, self.hotline))
        except PlatformError as exc:
            log.warning("adviser booking not made: %s", type(exc).__name__)
            return BookingOutcome(refusal=OFFLINE)
        slip = self._slip(booking, person.name)
        self.store.put(slip.slot)
        return BookingOutcome(slip=slip, again=booking.status == "already_booked")

    def bookings_of(self, person: Person) -> BookingsFound:
        """The person's bookings not over (the card read again proves who asks)."""
        try:
            found = self.platform.guidance_bookings_of(person.id_number)
        except PlatformError as exc:
            log.warning("adviser bookings not looked up: %s", type(exc).__name__)
            return BookingsFound(refusal=OFFLINE)
        return BookingsFound(tuple(self._slip(b, person.name) for b in found))

    def cancel(self, booking_no: str, person: Person) -> BookingOutcome:
        """Cancel the person's booking → the cancellation slip, or why not (too late: the
        message names the hotline)."""
        now = self.clock()
        try:
            booking = self.platform.cancel_guidance_booking(booking_no, person.id_number)
        except PlatformRejected as exc:
            return BookingOutcome(refusal=explain(exc.code, None, now, self.hotline))
        except PlatformError as exc:
            log.warning("adviser booking not cancelled: %s", type(exc).__name__)
            return BookingOutcome(refusal=OFFLINE)
        slip = self._slip(booking, person.name)
        self.store.put(slip.slot)
        return BookingOutcome(slip=slip)

    def cancel_refusal(self, slip: GuidanceSlip) -> Refusal | None:
        """Why the kiosk will not offer 取消 for ``slip`` now (None: it will)."""
        return cancellation_refusal(slip.slot, self.clock(), self.hotline)

    def _slip(self, booking: GuidanceBooking, name: str) -> GuidanceSlip:
        from kiosk.platform.guidance_wire import slot_from_wire

        return GuidanceSlip(booking_no=booking.booking_no, slot=slot_from_wire(booking.slot),
                            booked_at=parse_iso(booking.booked_at), station_name=self.station_name,
                            hotline=self.hotline, name=name,
                            cancelled=booking.status == "cancelled")

    @staticmethod
    def print_slip(printer: ReceiptPrinter, slip: GuidanceSlip,
                   on_done: Callable[[PrintResult | None, Exception | None], None] | None = None,
                   ) -> Future[PrintResult]:
        """Lay out and print ``slip`` on ``printer``'s worker (never blocks)."""
        return printer.submit_layout(layout_guidance(slip, printer.profile), slip.slip_id, on_done)
