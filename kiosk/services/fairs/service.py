"""招聘会 for the kiosk: the fair list kept in sync, the board of next fairs near the station,
a jobseeker's sign-up (→ the 报到码 and its slip), check-in on the fair's day (a scanned QR or
the card), and an employer's booth booking.

Every call that reaches the platform may block (seconds): screens run them off the UI thread.
Outcomes are values with a Chinese message first and English second, never exceptions, for
what a person can cause; :class:`~kiosk.platform.errors.PlatformError` other than a refusal
becomes the ``offline`` outcome (sign-up and check-in need the platform: the 报到码 is made and
checked there, so no kiosk can accept a code another kiosk invented).

Rules: :mod:`kiosk.domain.fairs` (the kiosk explains a refusal before asking when its own copy
already shows it — a past fair, the wrong day — and uses the platform's answer otherwise).
Scanned codes: :mod:`kiosk.domain.station_codes` (a code that is not ours → "这不是本站的二维码"
and nothing else happens).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.domain.china_time import to_china
from kiosk.domain.fairs import Fair, Refusal, checkin_refusal, explain, signup_refusal, upcoming
from kiosk.domain.station_codes import (NOT_OURS_EN, NOT_OURS_ZH, EidCode, FairCheckinCode,
                                        ForeignCode, classify)
from kiosk.platform.errors import PlatformError, PlatformRejected
from kiosk.platform.wire_formats import parse_iso
from kiosk.services.fairs.store import FairStore
from kiosk.services.slip.fair_checkin import FairCheckinSlip, layout_fair_checkin
from kiosk.services.slip.printing import PrintResult, ReceiptPrinter

if TYPE_CHECKING:  # the wire models are imported on first use (issue 23: start-up)
    from kiosk.platform.fair_wire import BoothBooking, FairCheckin, FairPage, FairSignup

log = logging.getLogger(__name__)

OFFLINE = Refusal("offline", "网络暂不可用，请稍后再试或到服务台办理",
                  "The network is unavailable; please try again later or ask at the desk")
NOT_OURS = Refusal("not_ours", NOT_OURS_ZH, NOT_OURS_EN)
#: How many fairs the home board and the 招聘会 page show, and how far (km) a venue may be.
BOARD_SIZE = 3
NEAR_KM = 30.0


class FairPlatform(Protocol):
    """What this service needs of :class:`~kiosk.platform.client.PlatformClient`."""

    def fairs(self, etag: str | None = None) -> FairPage: ...
    def fair(self, fair_id: str) -> Fair: ...
    def sign_up_for_fair(self, fair_id: str, payload: dict[str, Any],
                         idempotency_key: str) -> FairSignup: ...
    def check_in_at_fair(self, fair_id: str, payload: dict[str, Any]) -> FairCheckin: ...
    def check_in_at_fair_by_card(self, fair_id: str, id_number: str) -> FairCheckin: ...
    def book_booth(self, fair_id: str, payload: dict[str, Any],
                   idempotency_key: str) -> BoothBooking: ...
    def cancel_booth(self, fair_id: str, booking_id: str) -> BoothBooking: ...


class Person(Protocol):
    """The identity of the session (an ``IdentityCard``: from the card or the e-ID)."""

    name: str
    id_number: str


@dataclass(frozen=True)
class SyncResult:
    """One fair sync: how many fairs are stored now, and whether the platform said 304."""

    stored: int
    not_modified: bool


@dataclass(frozen=True)
class SignupOutcome:
    """A sign-up: ``slip`` (to print and show) when signed up, else ``refusal``.
    ``again`` is True when this person had signed up before (the same 报到码 again).
    ``signup_id`` is the platform's number of the sign-up (its 好差评 is bound to it)."""

    slip: FairCheckinSlip | None = None
    refusal: Refusal | None = None
    again: bool = False
    signup_id: str = ""

    @property
    def ok(self) -> bool:
        return self.slip is not None


@dataclass(frozen=True)
class CheckinOutcome:
    """A check-in attempt.

    ``status`` is "checked_in", "already_checked_in", "refused" (``refusal`` says why), or
    "eid" — the scan was a 居民身份电子凭证 code, for the login instead (``eid_code``); then
    nothing was done here. ``fair`` is the fair concerned when known.
    """

    status: str
    fair: Fair | None = None
    refusal: Refusal | None = None
    checked_in_at: datetime | None = None
    eid_code: EidCode | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.status in ("checked_in", "already_checked_in")

    @property
    def message_zh(self) -> str:
        if self.refusal is not None:
            return self.refusal.message_zh
        if self.status == "already_checked_in" and self.checked_in_at is not None:
            return f"您已于{to_china(self.checked_in_at):%H:%M}签到，无需重复签到"
        if self.ok and self.fair is not None:
            return f"签到成功：{self.fair.title}，请入场"
        return ""

    @property
    def message_en(self) -> str:
        if self.refusal is not None:
            return self.refusal.message_en
        if self.status == "already_checked_in" and self.checked_in_at is not None:
            return f"You checked in at {to_china(self.checked_in_at):%H:%M} already"
        if self.ok and self.fair is not None:
            return "Checked in: please go in"
        return ""


@dataclass(frozen=True)
class BoothOutcome:
    """An employer's booking or cancellation: ``booking`` when done, else ``refusal``."""

    booking: BoothBooking | None = None
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.booking is not None


class FairService:
    """招聘会 on this terminal.

    Args:
        store: the fair table.
        platform: the platform client (or anything of :class:`FairPlatform`'s shape).
        station_name, hotline: printed on the 报到码 slip.
        origin: the station's (latitude, longitude) in degrees, for "near the station".
        clock: the time now (aware UTC; tests inject one).
    """

    def __init__(self, store: FairStore, platform: FairPlatform, *, station_name: str,
                 hotline: str, origin: tuple[float, float] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.platform = platform
        self.station_name = station_name
        self.hotline = hotline
        self.origin = origin
        self.clock = clock

    # --- the list ---------------------------------------------------------------------------------
    def sync(self) -> SyncResult:
        """Bring the fair table up to date (``If-None-Match`` with the last ETag).

        Raises:
            PlatformError: the platform did not answer (the table is kept as it was).
            FairStoreError: the table cannot be written.
        """
        page = self.platform.fairs(etag=self.store.meta("etag"))
        if page.not_modified:
            self.store.mark_synced()
            return SyncResult(self.store.count(), True)
        stored = self.store.replace(page.items, etag=page.etag, server_time=page.server_time)
        log.info("fair sync: %d fairs", stored)
        return SyncResult(stored, False)

    def board(self, limit: int = BOARD_SIZE, radius_km: float = NEAR_KM) -> list[Fair]:
        """The next fairs near the station (soonest first; online 直播带岗 always count)."""
        return upcoming(self.store.all(), self.clock(), self.origin, radius_km=radius_km,
                        limit=limit)

    def fair(self, fair_id: str) -> Fair | None:
        return self.store.get(fair_id)

    def signup_check(self, fair: Fair) -> Refusal | None:
        """Why ``fair`` cannot be signed up for now, from this terminal's copy
        (:func:`kiosk.domain.fairs.signup_refusal`: cancelled, ``fair_past``, ``fair_full``), or
        None. The detail screen says so before the consent and card steps; :meth:`sign_up`
        still asks the platform when the copy shows a full fair (a place may have been freed)."""
        return signup_refusal(fair, self.clock())

    # --- jobseekers -------------------------------------------------------------------------------
    def sign_up(self, fair_id: str, person: Person, consent: dict[str, Any], phone: str = "",
                idempotency_key: str | None = None) -> SignupOutcome:
        """Sign ``person`` up for the fair → the 报到码 slip, or why not.

        ``consent`` is the session's consent record (``kiosk.services.consent.consent_record``,
        purposes including ``fair_signup``). A second sign-up of the same person gives the same
        code again (``again``). The idempotency key makes a retried request safe.
        """
        now = self.clock()
        fair = self.store.get(fair_id) or self._fetch(fair_id)
        if fair is None:
            return SignupOutcome(refusal=explain("fair_not_found", None, now))
        local = signup_refusal(fair, now)
        if local is not None and local.code != "fair_full":  # full: the platform knows better
            return SignupOutcome(refusal=local)
        payload = {"jobseeker": {"id_number": person.id_number, "name": person.name,
                                 "phone": phone},
                   "consent": consent}
        try:
            signup = self.platform.sign_up_for_fair(fair_id, payload,
                                                    idempotency_key or uuid.uuid4().hex)
        except PlatformRejected as exc:
            return SignupOutcome(refusal=explain(exc.code, fair, now))
        except PlatformError as exc:
            log.warning("fair sign-up not sent: %s", exc.__class__.__name__)
            return SignupOutcome(refusal=OFFLINE)
        slip = FairCheckinSlip(fair=fair, token=signup.token, short_code=signup.short_code,
                               signed_up_at=parse_iso(signup.signed_up_at),
                               station_name=self.station_name, hotline=self.hotline,
                               name=person.name, id_number=person.id_number)
        return SignupOutcome(slip=slip, again=signup.status == "already_signed_up",
                             signup_id=signup.signup_id)

    @staticmethod
    def print_slip(printer: ReceiptPrinter, slip: FairCheckinSlip,
                   on_done: Callable[[PrintResult | None, Exception | None], None] | None = None,
                   ) -> Future[PrintResult]:
        """Lay out and print the 报到码 slip on ``printer``'s worker (never blocks); the screen
        shows the same QR (``slip.qr_payload``) for the phone."""
        layout = layout_fair_checkin(slip, printer.profile)
        return printer.submit_layout(layout, slip.slip_id, on_done)

    def check_in_scan(self, text: str) -> CheckinOutcome:
        """Check in with a scanned code (any kiosk, the fair's day).

        A code that is not ours → ``refused`` with "这不是本站的二维码" and nothing is sent; an
        e-ID code → ``eid`` (for the login); a 报到码 of a fair on another day → the local
        explanation, nothing sent.
        """
        code = classify(text)
        if isinstance(code, ForeignCode):
            log.info("scan refused: not ours (%s)", code.kind)
            return CheckinOutcome("refused", refusal=NOT_OURS)
        if isinstance(code, EidCode):
            return CheckinOutcome("eid", eid_code=code)
        return self._check_in(code)

    def _check_in(self, code: FairCheckinCode) -> CheckinOutcome:
        now = self.clock()
        fair = self.store.get(code.fair_id) or self._fetch(code.fair_id)
        if fair is not None:
            local = checkin_refusal(fair, now)
            if local is not None:
                return CheckinOutcome("refused", fair, local)
        return self._ask(fair, code.fair_id, now,
                         lambda: self.platform.check_in_at_fair(code.fair_id,
                                                                {"token": code.token}))

    def check_in_card(self, person: Person) -> CheckinOutcome:
        """Check in with the card laid on the reader: at today's fair(s) this person signed up
        for (tried soonest first). No fair today → ``no_fair_today`` (naming the next one)."""
        now = self.clock()
        today = to_china(now).date()
        todays = [f for f in self.store.all() if f.day == today and not f.cancelled]
        if not todays:
            nxt = upcoming(self.store.all(), now, limit=1)
            refusal = explain("no_fair_today", None, now)
            if nxt:
                refusal = Refusal(refusal.code, f"今天没有招聘会，下一场在{nxt[0].when_text()}",
                                  "There is no job fair today")
            return CheckinOutcome("refused", refusal=refusal)
        last: CheckinOutcome | None = None
        for fair in todays:
            local = checkin_refusal(fair, now)
            if local is not None:
                last = CheckinOutcome("refused", fair, local)
                continue
            outcome = self._ask(fair, fair.id, now,
                                partial(self.platform.check_in_at_fair_by_card, fair.id,
                                        person.id_number))
            if outcome.ok or (outcome.refusal and outcome.refusal.code != "signup_not_found"):
                return outcome
            last = outcome
        assert last is not None
        return last

    def _fetch(self, fair_id: str) -> Fair | None:
        """A fair no longer in the table (over, withdrawn), from the platform, to explain."""
        try:
            return self.platform.fair(fair_id)
        except PlatformError:
            return None

    def _ask(self, fair: Fair | None, fair_id: str, now: datetime,
             call: Callable[[], FairCheckin]) -> CheckinOutcome:
        try:
            reply = call()
        except PlatformRejected as exc:
            return CheckinOutcome("refused", fair, explain(exc.code, fair, now))
        except PlatformError as exc:
            log.warning("fair check-in not sent: %s", exc.__class__.__name__)
            return CheckinOutcome("refused", fair, OFFLINE)
        return CheckinOutcome(reply.status, fair, checked_in_at=parse_iso(reply.checked_in_at))

    # --- employers --------------------------------------------------------------------------------
    def book_booth(self, fair_id: str, *, credit_code: str, employer_name: str,
                   contact_phone: str, vacancy_ids: tuple[str, ...] = (), attendees: int = 1,
                   idempotency_key: str | None = None) -> BoothOutcome:
        """Book one booth for an employer (identified by its 统一社会信用代码, checked by the
        caller with :mod:`kiosk.domain.credit_code`). The platform enforces the rules
        (:func:`kiosk.domain.fairs.booking_refusal`); its refusal comes back explained."""
        now = self.clock()
        fair = self.store.get(fair_id)
        payload = {"credit_code": credit_code, "employer_name": employer_name,
                   "contact_phone": contact_phone, "vacancy_ids": list(vacancy_ids),
                   "attendees": attendees}
        try:
            booking = self.platform.book_booth(fair_id, payload,
                                               idempotency_key or uuid.uuid4().hex)
        except PlatformRejected as exc:
            return BoothOutcome(refusal=explain(exc.code, fair or self._fetch(fair_id), now,
                                                employer_has_booth=exc.code == "booth_exists"))
        except PlatformError:
            return BoothOutcome(refusal=OFFLINE)
        return BoothOutcome(booking=booking)

    def cancel_booth(self, fair_id: str, booking_id: str) -> BoothOutcome:
        """Cancel a booking before the organiser's free-cancellation deadline."""
        now = self.clock()
        try:
            booking = self.platform.cancel_booth(fair_id, booking_id)
        except PlatformRejected as exc:
            fair = self.store.get(fair_id) or self._fetch(fair_id)
            return BoothOutcome(refusal=explain(exc.code, fair, now))
        except PlatformError:
            return BoothOutcome(refusal=OFFLINE)
        return BoothOutcome(booking=booking)


def fair_from_json(data: dict[str, Any]) -> Fair:
    """A fair from its contract JSON (demo files, tests). Raises pydantic's ValidationError."""
    from kiosk.platform.fair_wire import FairWire, fair_from_wire

    return fair_from_wire(FairWire.model_validate(data))


_PRINTED_CODE = re.compile(rb"GDJY:FAIR:1:[A-Za-z0-9_-]{1,64}:[A-Z2-7]{26}")


def last_printed_code(slips_dir: Path, newest: int = 20) -> str | None:
    """The 报到码 QR text of the newest slip the preview printer wrote into ``slips_dir`` (its
    ``.bin`` ESC/POS jobs; the native QR carries the text as is), or None. For the demo's
    "scan the printed slip" button only: a real kiosk scans the paper."""
    try:
        jobs = sorted(slips_dir.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return None
    for job in jobs[:newest]:
        try:
            found = _PRINTED_CODE.findall(job.read_bytes())
        except OSError:
            continue
        if found:
            return found[-1].decode("ascii")
    return None
