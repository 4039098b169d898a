"""Confirmation of the 求职登记: registration number and a QR code to continue on a phone,
or (offline) the receipt number of the outbox item and "will be submitted automatically".

The QR code carries only the public continue URL with the registration number
(:func:`kiosk.services.registration_form.continue_url`), never personal data. "完成" ends
the session (every screen wiped, home shown). Values: ``outcome`` (``RegistrationOutcome``) and
``continue_to`` ("match" when the person came from 为我推荐: offered first).
"""

from __future__ import annotations

from collections.abc import Mapping

from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.registration import RegistrationOutcome
from kiosk.services.registration_form import continue_url
from kiosk.domain.i18n_marker import N_

import kiosk.ui.qr_image  # noqa: F401,E402  (QrImage kv rule)

load_kv(__file__)

#: The line under the heading, by outcome. The number is not in it: the screen shows the
#: registration (or receipt) number once, on its own line (issue 17 item 10).
MESSAGES = {"created": N_("请记下您的登记号，以后办理和查询时使用"),
            "updated": N_("您的求职登记已更新，登记号不变"),
            "already_registered": N_("您已登记过，登记号如下"),
            "offline": N_("登记已保存，网络恢复后将自动提交，无需再来办理")}


class RegisterDoneScreen(KioskScreen):
    delivered = BooleanProperty(False)
    message = StringProperty("")
    registration_no = StringProperty("")
    receipt_no = StringProperty("")
    qr_data = StringProperty("")
    can_match = BooleanProperty(False)
    match_requested = BooleanProperty(False)  # came here from 为我推荐: offer it first
    prompt_key = "registered"

    def show(self, values: Mapping[str, object]) -> None:
        from kiosk.ui.i18n import _

        outcome = values.get("outcome")
        if not isinstance(outcome, RegistrationOutcome):
            return
        self.prompt_key = "registered" if outcome.delivered else "registered_offline"
        self.delivered = bool(outcome.delivered)
        key = (outcome.status or "created") if outcome.delivered else "offline"
        self.message = _(MESSAGES.get(key, MESSAGES["created"]))
        self.registration_no = outcome.registration_no or ""
        self.receipt_no = outcome.receipt_no or ""
        self.qr_data = (continue_url(self.services.verify_url_template(), self.registration_no)
                        if self.registration_no else "")
        self.can_match = self.nav is not None and self.nav.has_journey("match")
        self.match_requested = values.get("continue_to") == "match"

    def match(self) -> None:
        self.nav.start("match")

    def finish(self) -> None:
        self.nav.finish("finished")

    def wipe(self) -> None:
        self.delivered = False
        self.match_requested = False
        self.message = self.registration_no = self.receipt_no = self.qr_data = ""


SCREENS = {"register_done": RegisterDoneScreen}
