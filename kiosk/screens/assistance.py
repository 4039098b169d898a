"""就业帮办 (assistance): choose the service (失业登记, 就业困难人员认定申请, 补贴申领,
职业指导预约), confirm identity by card, leave a phone number, get a ticket number.

Step ``choose`` (no card needed; ``nav.send("chosen", kind=…)``) → the engine asks for the
identity (consent, card) → back here at step ``phone`` (values ``kind``, ``card``, ``phone``:
keypad prefilled from this session's number) → ``sending`` (``AssistanceService.submit`` off the
UI thread with :func:`kiosk.services.journeys.declared.assistance.assistance_request`: the
platform's ticket number, or the outbox receipt number when offline) → ``nav.send("submitted",
…)`` → the ``assistance_done`` screen (values ``kind``, ``outcome``). The engine keeps the
chosen service and the number.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.masking import mask_phone
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.domain.identity_card import IdentityCard
from kiosk.services.assistance import ASSISTANCE_SERVICES, AssistanceOutcome
from kiosk.services.journeys.declared.assistance import assistance_request
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _
from kiosk.ui.phone_entry import PhoneEntry  # noqa: F401
from kiosk.ui.presence import Presence
from kiosk.ui.qr_image import QrImage  # noqa: F401

logger = logging.getLogger(__name__)

load_kv(__file__)


class AssistanceScreen(KioskScreen):
    prompt_key = "assistance"
    step = StringProperty("choose")
    busy = BooleanProperty(False)
    service_text = StringProperty("")
    person_text = StringProperty("")
    message = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        self._token = ""
        self._presence: Presence | None = None  # set in on_kv_post (inside super().__init__)
        super().__init__(**kwargs)

    def on_kv_post(self, _base: Any) -> None:
        ids = self.ids
        self._steps = {ids.choose_note: ("choose",), ids.services_grid: ("choose",),
                       ids.service_info: ("phone", "sending"), ids.person_info: ("phone", "sending"),
                       ids.phone_entry: ("phone",), ids.submit_button: ("phone",)}
        self._presence = Presence(*self._steps)
        self.bind(step=self._show_step)
        self._show_step()

    def _show_step(self, *_args: Any) -> None:
        if self._presence is not None:
            self._presence.show({w: self.step in steps for w, steps in self._steps.items()})

    def show(self, values: Mapping[str, object]) -> None:
        kind = str(values.get("kind", "") or "")
        card = values.get("card")
        if values.get("step") == "choose" or not isinstance(card, IdentityCard) \
                or kind not in ASSISTANCE_SERVICES:
            self.step = "choose"
            return
        self._token = uuid.uuid4().hex
        name, bring = ASSISTANCE_SERVICES[kind]
        self.service_text = _("办理事项：{}\n请携带：{}", _(name), _(bring))
        self.person_text = _("申请人：{}  {}", card.masked_name, card.masked_id_number)
        phone = str(values.get("phone", "") or "")
        if phone and not self.ids.phone_entry.digits:
            self.ids.phone_entry.digits = phone
        self.message = ""
        self.step = "phone"

    def choose(self, kind: str) -> None:
        """A service button: the engine keeps the choice, then asks for the identity."""
        self.nav.send("chosen", kind=kind)

    def submit(self) -> None:
        journey = self.nav.journey if self.nav is not None else None
        if journey is None or not self._token or self.busy:
            return
        number = self.ids.phone_entry.number()
        if not number:
            return
        try:
            request = assistance_request(journey, number)
        except ValueError:
            return
        self.busy = True
        self.step = "sending"
        self.message = _("正在提交，请稍候…（电话 {}）", mask_phone(number))
        token = self._token
        assistance = self.services.assistance
        run_in_background(lambda: assistance.submit(request.kind, request.card, request.phone,
                                                    consent=request.consent),
                          lambda outcome: self._done(token, number, outcome),
                          lambda exc: self._failed(token, exc))

    def _done(self, token: str, number: str, outcome: Any) -> None:
        if token != self._token:
            return
        self.busy = False
        self.nav.send("submitted", phone=number, outcome=outcome)

    def _failed(self, token: str, exc: BaseException) -> None:
        if token != self._token:
            return
        logger.warning("assistance request not saved: %s", type(exc).__name__)
        self.busy = False
        self.step = "phone"
        self.message = getattr(exc, "message_zh", "") or \
            _("暂时无法提交，请点\u201c提交申请\u201d重试，或联系驿站工作人员。")

    def wipe(self) -> None:
        self._token = ""
        self.step = "choose"
        self.busy = False
        self.service_text = self.person_text = self.message = ""
        if "phone_entry" in self.ids:
            self.ids.phone_entry.clear()


class AssistanceDoneScreen(KioskScreen):
    """The ticket number (large), what happens next and what to bring."""

    prompt_key = "assistance_done"
    number_text = StringProperty("")
    message = StringProperty("")
    bring_text = StringProperty("")

    def show(self, values: Mapping[str, object]) -> None:
        """Values: ``kind`` (a key of ``ASSISTANCE_SERVICES``) and ``outcome``
        (``AssistanceOutcome``)."""
        kind = str(values.get("kind", ""))
        outcome = values.get("outcome")
        if not isinstance(outcome, AssistanceOutcome) or kind not in ASSISTANCE_SERVICES:
            return
        name, bring = ASSISTANCE_SERVICES[kind]
        self.number_text = outcome.number
        self.message = _(name) + "\n" + outcome.message_zh + (
            f"\n{outcome.follow_up}" if outcome.follow_up else "")
        self.bring_text = _("办理时请携带：{}", _(bring))

    def wipe(self) -> None:
        self.number_text = self.message = self.bring_text = ""


SCREENS = {"assistance": AssistanceScreen, "assistance_done": AssistanceDoneScreen}
