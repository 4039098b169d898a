"""预订招聘会展位 (issue 20, employer side): the fairs near the station that take booth bookings,
a fair's booking rules, then 预订 / 取消预订 for the unit identified on the licence steps.

Journey ``employer``, step ``booth`` (values ``code``, ``name``, ``bookings`` — this session's
bookings by fair id —, ``phone``). The rules (:func:`kiosk.domain.fairs.booking_refusal`):
one booth per employer (统一社会信用代码) per fair, not beyond the fair's booths, not after the
organiser's booking deadline or once the organiser closed booking; cancelling is free until the
organiser's cancellation deadline (:func:`~kiosk.domain.fairs.cancellation_refusal`). The kiosk
explains what its own copy of the fair already shows; the platform decides
(``services.fairs.book_booth`` / ``cancel_booth``, off the UI thread) and its refusal is shown
in plain Chinese. Events sent: ``booth_booked(outcome)``, ``booth_cancelled(outcome)``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.china_time import to_china
from kiosk.domain.fairs import Fair, booking_refusal, cancellation_refusal
from kiosk.platform.wire_formats import parse_iso
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.screens.fairs import fair_line
from kiosk.services.fairs.service import BoothOutcome
from kiosk.services.registration_form import format_phone_entry
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language, fair_when
from kiosk.ui.widgets import BigButton

import kiosk.screens.employer  # noqa: F401,E402  (kv rule EmployerIdentityStrip)
import kiosk.ui.keypad  # noqa: F401,E402

logger = logging.getLogger(__name__)

load_kv(__file__)


def _when(value: Any) -> str:
    return f"{to_china(value).month}月{to_china(value).day}日 {to_china(value):%H:%M}"


def booth_rules(fair: Fair) -> str:
    """The booking rules of ``fair`` in plain Chinese (one per line)."""
    lines = [_("每家单位每场招聘会只能预订一个展位"),
             _("展位共{0}个，还剩{1}个", fair.booths, fair.booths_left)]
    if fair.booking_deadline is not None:
        lines.append(_("预订截止：{0}", _when(fair.booking_deadline)))
    cancel = fair.cancellation_deadline or fair.starts_at
    lines.append(_("免责取消截止：{0}（之后不能参会请联系主办方）", _when(cancel)))
    return "\n".join(lines)


class EmployerBoothScreen(KioskScreen):
    page = StringProperty("list")
    unit_text = StringProperty("")
    status_text = StringProperty("")
    fair_title = StringProperty("")
    fair_facts = StringProperty("")
    rules_text = StringProperty("")
    phone_digits = StringProperty("")
    message = StringProperty("")
    booked_text = StringProperty("")
    busy = BooleanProperty(False)
    can_book = BooleanProperty(False)
    can_cancel = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._code = self._name = ""
        self._bookings: dict[str, Any] = {}
        self._fair: Fair | None = None
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        self._code = str(values.get("code", "") or "")
        self._name = str(values.get("name", "") or "")
        bookings = values.get("bookings")
        self._bookings = dict(bookings) if isinstance(bookings, dict) else {}
        self.phone_digits = str(values.get("phone", "") or "")
        self.unit_text = f"{self._name}    {self._code}"
        self.message = ""
        self._list()

    def update(self, values: Mapping[str, object]) -> None:
        """``outcome`` and ``bookings`` after ``booth_booked`` / ``booth_cancelled``."""
        bookings = values.get("bookings")
        if isinstance(bookings, dict):
            self._bookings = dict(bookings)
        outcome = values.get("outcome")
        if isinstance(outcome, BoothOutcome):
            self._answered(outcome)

    # ---- the list ------------------------------------------------------------------------
    def _list(self) -> None:
        self.page = "list"
        fairs = getattr(self.services, "fairs", None)
        if fairs is None:
            self.status_text = _("系统正在启动，请稍候…")
            return
        self.busy = True
        self.status_text = _("正在加载…")
        self._token += 1
        token = self._token
        run_in_background(lambda: [f for f in fairs.board(limit=10) if f.booths > 0],
                          lambda board: self._listed(token, board),
                          lambda _e: self._listed(token, None))

    def _listed(self, token: int, board: list[Fair] | None) -> None:
        if token != self._token:
            return
        self.busy = False
        box = self.ids.booth_fair_list
        box.clear_widgets()
        if board is None:
            self.status_text = _("招聘会信息暂时无法加载，请稍后再试")
            return
        origin = self.services.fairs.origin
        for fair in board:
            booked = self._bookings.get(fair.id)
            state = (_("已预订 展位{0}", booked.booth) if booked is not None
                     else _("余展位 {0}", fair.booths_left))
            button = BigButton(text=fair.title, subtitle=f"{fair_line(fair, origin)} · {state}",
                               primary=False)
            button.bind(on_release=lambda _b, f=fair: self.open(f))
            box.add_widget(button)
        self.status_text = (_("选择要参加的招聘会") if board
                            else _("近期没有可预订展位的招聘会"))

    # ---- one fair ------------------------------------------------------------------------
    def open(self, fair: Fair) -> None:
        self._fair = fair
        self.fair_title = fair.title
        self.fair_facts = "\n".join(p for p in (
            _("时间：{0}", fair_when(fair)), _("地点：{0} {1}", fair.venue.name, fair.venue.address),
            _("主办单位：{0}", fair.organiser)) if p)
        self.rules_text = booth_rules(fair)
        self.message = ""
        self._refresh()
        self.page = "book"

    def _refresh(self) -> None:
        fair = self._fair
        if fair is None:
            return
        now = self.services.fairs.clock()
        booked = self._bookings.get(fair.id)
        self.can_cancel = booked is not None
        if booked is not None:
            self.booked_text = _("已预订展位 {0}，{1}前可免责取消", booked.booth,
                                 _when(parse_iso(booked.cancel_until)))
            self.can_book = False
            return
        self.booked_text = ""
        refusal = booking_refusal(fair, now, employer_has_booth=False)
        self.can_book = refusal is None
        if refusal is not None:
            self.message = self._text(refusal)

    def phone_key(self, key: str) -> None:
        if key == "backspace":
            self.phone_digits = self.phone_digits[:-1]
        elif key == "clear":
            self.phone_digits = ""
        elif len(self.phone_digits) < 12:
            self.phone_digits += key

    def phone_shown(self, digits: str) -> str:
        return format_phone_entry(digits) if digits else _("联系电话（手机11位或座机）")

    def book(self) -> None:
        import re

        from kiosk.platform.submissions import PHONE

        fair, fairs = self._fair, getattr(self.services, "fairs", None)
        if fair is None or fairs is None or self.busy:
            return
        if not re.match(PHONE, self.phone_digits):
            self.message = _("请填写联系电话（手机11位或座机）")
            return
        self._ask(lambda: fairs.book_booth(fair.id, credit_code=self._code,
                                           employer_name=self._name,
                                           contact_phone=self.phone_digits), "booth_booked")

    def cancel(self) -> None:
        fair, fairs = self._fair, getattr(self.services, "fairs", None)
        booked = self._bookings.get(fair.id) if fair is not None else None
        if fair is None or fairs is None or booked is None or self.busy:
            return
        refusal = cancellation_refusal(fair, fairs.clock())
        if refusal is not None:
            self.message = self._text(refusal)
            return
        self._ask(lambda: fairs.cancel_booth(fair.id, booked.booking_id), "booth_cancelled")

    def _ask(self, call: Any, event: str) -> None:
        self.busy = True
        self.message = _("正在办理…")
        self._token += 1
        token = self._token

        def answered(outcome: BoothOutcome) -> None:
            if token == self._token:
                self.busy = False
                self.nav.send(event, outcome=outcome)

        def failed(exc: BaseException) -> None:
            logger.warning("booth %s failed: %s", event, type(exc).__name__)
            answered(BoothOutcome())

        run_in_background(call, answered, failed)

    def _answered(self, outcome: BoothOutcome) -> None:
        self.busy = False
        if outcome.refusal is not None:
            self.message = self._text(outcome.refusal)
        elif outcome.booking is None:
            self.message = _("暂时无法办理，请稍后再试")
        elif outcome.booking.status == "booked":
            self.message = _("预订成功：展位 {0}", outcome.booking.booth)
        else:
            self.message = _("已取消展位预订")
        self._refresh_after()

    def _refresh_after(self) -> None:
        message = self.message
        self._refresh()
        self.message = message

    @staticmethod
    def _text(refusal: Any) -> str:
        return refusal.message_en if current_language() == "en" else refusal.message_zh

    def back_to_list(self) -> None:
        self._fair = None
        self._list()

    def wipe(self) -> None:
        self._token += 1
        self._code = self._name = ""
        self._bookings = {}
        self._fair = None
        self.page = "list"
        self.unit_text = self.status_text = self.fair_title = self.fair_facts = ""
        self.rules_text = self.phone_digits = self.message = self.booked_text = ""
        self.busy = self.can_book = self.can_cancel = False
        self.ids.booth_fair_list.clear_widgets()


SCREENS = {"employer_booth": EmployerBoothScreen}
