"""申请推荐 (referral): confirm the vacancy and contact number, create the referral (online or
through the outbox), print its slip with progress, and handle the printer's problems.

Steps (``step``): ``phone`` (no number in this session yet: numeric keypad) → ``confirm`` →
``working`` (creating / printing, with a busy bar) → ``printed`` or ``problem``.

* Values (:mod:`kiosk.services.journeys.declared.referral`): ``vacancy``, ``card``, ``phone``
  and ``ticket``. The referral is made once per vacancy and session (the engine keeps the
  tickets: ``nav.send("created", ticket=…)``): going back and applying again reuses it, so a
  retry never makes a second referral.
* Printing goes through ``ReferralService.print_slip``: it refuses a second print of the same
  referral while one runs or after one succeeded or timed out (double tap, retry after a
  timeout); only the explicit 重新打印 button passes ``reprint=True``. The buttons are also
  disabled while working.
* On paper out, cover open, no answer (``PrinterError.message_zh``) the screen says so, keeps
  the referral, shows the slip's verification QR code on screen and points to staff; the
  printer status is refreshed so the technician view shows the problem.
"""

from __future__ import annotations

import logging
from concurrent.futures import TimeoutError as FutureTimeout
import uuid
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.identity_card import IdentityCard
from kiosk.domain.masking import mask_phone
from kiosk.domain.vacancy import Vacancy
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.journeys.declared.referral import referral_request
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language
from kiosk.ui.phone_entry import PhoneEntry  # noqa: F401
from kiosk.ui.presence import Presence
from kiosk.ui.qr_image import QrImage  # noqa: F401

logger = logging.getLogger(__name__)

load_kv(__file__)

#: seconds beyond the printer's own job timeout the screen waits for the print future
PRINT_WAIT_MARGIN_S = 2.0


class ReferralScreen(KioskScreen):
    # No prompt on entry: the screen speaks "printing", "printed" or "printer_problem" as they happen.
    prompt_key = ""
    step = StringProperty("confirm")
    busy = BooleanProperty(False)
    vacancy_text = StringProperty("")
    person_text = StringProperty("")
    message = StringProperty("")
    ticket_text = StringProperty("")
    qr_data = StringProperty("")
    can_reprint = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._token = ""
        self._ticket_shown: Any = None
        self._card: Any = None
        self._presence: Presence | None = None  # set in on_kv_post (inside super().__init__)
        super().__init__(**kwargs)

    def on_kv_post(self, _base: Any) -> None:
        ids = self.ids
        self._steps = {ids.confirm_button: ("confirm",), ids.change_phone: ("confirm",),
                       ids.confirm_note: ("confirm",), ids.retry_print: ("problem",),
                       ids.reprint_button: ("printed", "problem"),
                       ids.more_jobs: ("printed", "problem"), ids.finish_button: ("printed", "problem"),
                       ids.phone_entry: ("phone",), ids.phone_ok: ("phone",),
                       ids.qr_box: ("printed", "problem")}
        self._presence = Presence(*self._steps)
        self.bind(step=self._show_step, can_reprint=self._show_step)
        self._show_step()

    def _show_step(self, *_args: Any) -> None:
        visible = {w: self.step in steps for w, steps in self._steps.items()}
        visible[self.ids.retry_print] = self.step == "problem" and not self.can_reprint
        visible[self.ids.reprint_button] = self.step in ("printed", "problem") and self.can_reprint
        if self._presence is not None:
            self._presence.show(visible)

    # ---- entering -----------------------------------------------------------------------
    def show(self, values: Mapping[str, object]) -> None:
        vacancy = values.get("vacancy")
        card = values.get("card")
        if not isinstance(card, IdentityCard) or not isinstance(vacancy, Vacancy):
            return
        self._token = uuid.uuid4().hex
        self._ticket_shown = values.get("ticket")
        self.vacancy_text = "\n".join(p for p in (
            f"[b]{vacancy.title}[/b]", vacancy.employer, vacancy.salary_text(current_language())) if p)
        ticket = self._ticket()
        if ticket is not None:
            self._show_ticket(ticket)
            self.step = "printed" if self._state(ticket) == "printed" else "problem"
            if self.step == "problem":
                self.message = _("推荐单已开具，尚未打印。请点\u201c重试打印\u201d，或扫描二维码保存到手机。")
            return
        phone = str(values.get("phone", ""))
        self._card = card
        self._set_person(card, phone)
        self.message = ""
        self.step = "confirm" if phone else "phone"

    def update(self, values: Mapping[str, object]) -> None:
        if "ticket" in values:
            self._ticket_shown = values["ticket"]

    def _set_person(self, card: Any, phone: str) -> None:
        self.person_text = _("求职人：{}  {}", card.masked_name, card.masked_id_number) + (
            "\n" + _("联系电话：{}", mask_phone(phone)) if phone else "")

    def _ticket(self) -> Any:
        return self._ticket_shown if self._token else None

    def _state(self, ticket: Any) -> str:
        return self.services.referrals.print_state(ticket.referral_id)

    # ---- phone --------------------------------------------------------------------------
    def change_phone(self) -> None:
        self.ids.phone_entry.clear()
        self.step = "phone"

    def phone_done(self) -> None:
        number = self.ids.phone_entry.number()
        if not self._token or not number:
            return
        self.nav.send("phone_entered", phone=number)
        self.ids.phone_entry.clear()
        self._set_person(self._card, number)
        self.step = "confirm"

    # ---- create and print ---------------------------------------------------------------
    def confirm(self) -> None:
        """确认申请并打印: make the referral (once), then print it."""
        journey = self.nav.journey if self.nav is not None else None
        if journey is None or not self._token or self.busy:
            return
        existing = self._ticket()
        if existing is not None:
            self.print_slip()
            return
        try:
            request = referral_request(journey)
        except ValueError:
            self.step = "phone"
            return
        self._work(_("正在开具推荐单…"))
        token = self._token
        referrals = self.services.referrals
        run_in_background(lambda: referrals.create(request.card, request.phone, request.vacancy,
                                                   request.registration_no),
                          lambda ticket: self._created(token, ticket),
                          lambda exc: self._create_failed(token, exc))

    def _created(self, token: str, ticket: Any) -> None:
        if token != self._token:
            return
        self.nav.send("created", ticket=ticket)
        self._show_ticket(ticket)
        self.busy = False
        self.print_slip()

    def _create_failed(self, token: str, exc: BaseException) -> None:
        if token != self._token:
            return
        logger.warning("referral not created: %s", type(exc).__name__)
        self.busy = False
        self.step = "confirm"
        self.message = getattr(exc, "message_zh", "") or \
            _("推荐单暂时无法开具，请稍后重试，或联系驿站工作人员。")

    def _show_ticket(self, ticket: Any) -> None:
        self.ticket_text = _("推荐单编号：{}\n有效期至：{}", ticket.referral_id, ticket.valid_until)
        self.qr_data = ticket.verify_url

    def print_slip(self, reprint: bool = False) -> None:
        """Print (or, with ``reprint``, print again) this session's referral for the vacancy."""
        ticket = self._ticket()
        if ticket is None or self.busy:
            return
        self._work(_("正在打印推荐单，请稍候…"))
        self.services.voice.say("printing")
        token = self._token
        referrals = self.services.referrals
        wait_s = self.services.printer.job_timeout_s + PRINT_WAIT_MARGIN_S

        def work() -> Any:
            return referrals.print_slip(ticket, reprint=reprint).result(timeout=wait_s)

        run_in_background(work, lambda result: self._printed(token, result),
                          lambda exc: self._print_failed(token, exc))

    def _printed(self, token: str, result: Any) -> None:
        if token != self._token:
            return
        self.busy = False
        self.step = "printed"
        self.can_reprint = True
        warnings = "；".join(getattr(result, "warnings_zh", ()))
        self.message = _("打印完成，请从出纸口取走推荐单。") + (f"\n{warnings}" if warnings else "")
        self.services.voice.say("printed")
        self.nav.send("printer_outcome", state="printed")

    def _print_failed(self, token: str, exc: BaseException) -> None:
        if token != self._token:
            return
        from kiosk.services.referrals import ReferralPrintRefused

        self.busy = False
        if isinstance(exc, ReferralPrintRefused):
            self.step = "printed" if exc.state == "printed" else "problem"
            self.can_reprint = exc.state in ("printed", "unknown")
            self.message = exc.message_zh
            return
        if isinstance(exc, FutureTimeout):
            problem = _("打印机没有响应")
        else:
            problem = getattr(exc, "message_zh", "") or _("打印机暂时无法打印")
        logger.warning("referral slip not printed: %s", type(exc).__name__)
        ticket = self._ticket()
        self.can_reprint = ticket is not None and self._state(ticket) == "unknown"
        self.step = "problem"
        self.message = _("{}。\n您的推荐单已保存，不会丢失。请用手机扫描屏幕上的二维码保存推荐单，"
                         "或联系驿站工作人员补打。", problem.rstrip("。"))
        self.services.voice.say("printer_problem")
        self.nav.send("printer_outcome", state="failed")
        run_in_background(self.services.refresh_printer_status)

    def _work(self, text: str) -> None:
        self.busy = True
        self.step = "working"
        self.message = text

    def finish(self) -> None:
        self.nav.finish("referral-done")

    def wipe(self) -> None:
        self._token = ""
        self._ticket_shown = None
        self._card = None
        self.step = "confirm"
        self.busy = self.can_reprint = False
        self.vacancy_text = self.person_text = self.message = ""
        self.ticket_text = self.qr_data = ""
        if "phone_entry" in self.ids:
            self.ids.phone_entry.clear()


SCREENS = {"referral": ReferralScreen}
