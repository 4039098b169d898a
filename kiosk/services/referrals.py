"""岗位推荐 (job referral): create a referral (online or offline, the same request) and print
its slip, never twice by accident.

A referral id is made on the terminal (``<terminal>-<YYYYMMDD>-<seq>``, unique without asking
the platform), enqueued in the outbox with the kiosk's own record in one transaction, and its
verification URL is known at once from the platform's ``verify_url_template`` (it answers once
the referral is delivered). A referral is valid 14 days from issue (docs/openapi.yaml).

Printing states per referral (``kiosk_referrals.print_state``): ``none`` → ``printing`` →
``printed`` | ``failed`` | ``unknown``. A second print of the same referral is refused while one
is running or after one succeeded or timed out (a double tap, a retry after a timeout); only an
explicit reprint (``reprint=True``) prints it again.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from kiosk.domain.identity_card import IdentityCard
from kiosk.domain.vacancy import Vacancy
from kiosk.services.journey_store import KioskRecords

if TYPE_CHECKING:
    from kiosk.services.outbox import ReferralIdGenerator
    from kiosk.services.slip import Referral
    from kiosk.services.slip.printing import ReceiptPrinter
    from kiosk.settings import StationSettings

logger = logging.getLogger(__name__)

REFERRAL_VALID_DAYS = 14
CHINA = timezone(timedelta(hours=8))
DEFAULT_INTERVIEW_NOTE = "请携带身份证和本推荐单，在有效期内按联系方式预约面试。"


class ReferralPrintRefused(Exception):
    """This referral is printing, or was printed (or may have been): ``state`` says which."""

    def __init__(self, referral_id: str, state: str) -> None:
        self.referral_id = referral_id
        self.state = state
        message = {"printing": "推荐单正在打印，请稍候",
                   "printed": "推荐单已打印；如需补打请点击\u201c重新打印\u201d",
                   "unknown": "上次打印超时，推荐单可能已打出；请先查看出纸口，如需补打请点击\u201c重新打印\u201d"}
        self.message_zh = message.get(state, "推荐单暂不能打印")
        super().__init__(f"referral {referral_id} print refused ({state})")


@dataclass
class ReferralTicket:
    """A referral made in this session. ``slip`` is the ``kiosk.services.slip.Referral`` to
    print (it holds the jobseeker's name, ID number and phone: session memory only)."""

    referral_id: str
    vacancy_id: str
    verify_url: str
    issued_at: str
    valid_until: str
    receipt_no: str
    item_id: int
    slip: Referral


class ReferralService:
    """Args:
        records: the kiosk's own records (its outbox and sender; ``kiosk_referrals`` rows).
        ids: a ``ReferralIdGenerator``.
        printer: a ``ReceiptPrinter`` (``submit(referral) -> Future[PrintResult]``).
        station: ``[station]`` settings (name, hotline, complaint).
        verify_template: callable returning the platform's ``verify_url_template``.
        device_secret: the terminal's secret, which makes the URL's ``{verify_token}``.
        now: callable returning an aware ``datetime`` (injectable for tests).
    """

    def __init__(self, records: KioskRecords, ids: ReferralIdGenerator, printer: ReceiptPrinter,
                 station: StationSettings,
                 verify_template: Callable[[], str],
                 now: Callable[[], datetime] = lambda: datetime.now(CHINA),
                 device_secret: bytes = b"") -> None:
        self.records = records
        self.outbox = records.outbox
        self.worker = records.worker
        self.ids = ids
        self.printer = printer
        self.station = station
        self._verify_template = verify_template
        self._device_secret = device_secret
        self._now = now
        self.last_print_problem: str | None = None

    def create(self, card: IdentityCard, phone: str, vacancy: Vacancy,
               registration_no: str | None = None
               ) -> ReferralTicket:
        """Make and enqueue a referral for ``vacancy`` (a ``kiosk.domain.vacancy.Vacancy``).

        Raises:
            kiosk.services.outbox.InvalidPayload, StorageFull, StorageError.
        """
        from kiosk.services.outbox import verify_url
        from kiosk.services.slip import Referral

        issued = self._now().replace(microsecond=0)
        valid_until = (issued + timedelta(days=REFERRAL_VALID_DAYS)).date().isoformat()
        with self.outbox.transaction() as conn:
            referral_id = self.ids.next_id(conn)
            payload: dict[str, Any] = {
                "referral_id": referral_id, "vacancy_id": vacancy.id,
                "jobseeker": {"id_number": card.id_number.upper(), "name": card.name or card.name_en or "",
                              "phone": phone},
                "issued_at": issued.isoformat(),
            }
            if registration_no:
                payload["registration_no"] = registration_no
            receipt = self.outbox.enqueue("referral", payload, conn=conn)
            self.records.add_referral(conn, referral_id, receipt.item_id, vacancy.id,
                                      issued.timestamp())
        self.worker.kick()
        url = verify_url(self._verify_template(), referral_id, self._device_secret)
        slip = Referral.from_json({
            "referral_id": referral_id,
            "station": {"name": self.station.name, "hotline": self.station.hotline,
                        "complaint": self.station.complaint},
            "issued_at": issued.isoformat(), "valid_until": valid_until, "verify_url": url,
            "jobseeker": payload["jobseeker"],
            "vacancy": {"id": vacancy.id, "title": vacancy.title, "employer": vacancy.employer,
                        "address": vacancy.address or f"{vacancy.city}{vacancy.district}{vacancy.town}",
                        "salary_min": vacancy.salary_min, "salary_max": vacancy.salary_max,
                        "salary_unit": vacancy.salary_unit, "contact_name": vacancy.contact_name,
                        "contact_phone": vacancy.contact_phone,
                        "interview_note": DEFAULT_INTERVIEW_NOTE},
        })
        logger.info("referral %s created for vacancy %s", referral_id, vacancy.id)
        return ReferralTicket(referral_id, vacancy.id, url, issued.isoformat(), valid_until,
                              receipt.receipt_no, receipt.item_id, slip)

    def print_state(self, referral_id: str) -> str:
        return self.records.print_state(referral_id)

    def print_slip(self, ticket: ReferralTicket, *, reprint: bool = False) -> Future:
        """Start printing; the future gives a ``PrintResult`` or raises a ``PrinterError``.

        Raises:
            ReferralPrintRefused: printing now, or already printed / maybe printed and not
                ``reprint``.
        """
        allowed = ("none", "failed", "printed", "unknown") if reprint else ("none", "failed")
        refused = self.records.claim_print(ticket.referral_id, allowed)
        if refused is not None:
            raise ReferralPrintRefused(ticket.referral_id, refused)
        done: Future = Future()
        inner = self.printer.submit(ticket.slip)
        inner.add_done_callback(lambda f: self._record(ticket.referral_id, f, done))
        return done

    def _record(self, referral_id: str, future: Future, done: Future) -> None:
        """Store the print state, then resolve ``done`` (so its waiters see the new state)."""
        try:
            self._store_state(referral_id, future)
        finally:
            exc = future.exception()
            if exc is None:
                done.set_result(future.result())
            else:
                done.set_exception(exc)

    def _store_state(self, referral_id: str, future: Future) -> None:
        from kiosk.devices.printer import PrinterTimeout

        exc = future.exception()
        if exc is None:
            state, error = "printed", None
            self.last_print_problem = None
        else:
            state = "unknown" if isinstance(exc, PrinterTimeout) else "failed"
            error = type(exc).__name__
            self.last_print_problem = getattr(exc, "message_zh", error)
        self.records.store_print_outcome(referral_id, state, error)
        logger.info("referral %s print %s%s", referral_id, state, f" ({error})" if error else "")
