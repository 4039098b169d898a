"""预约职业指导 screens: the adviser slots one can book, the booking (slip printed), and the
person's bookings with 取消预约 (a cancellation slip).

Journey ``guidance`` (``kiosk/services/journeys/declared/guidance.py``); the work is
``services.guidance`` (:class:`kiosk.services.guidance.GuidanceService`), always off the UI
thread. Values:

* ``guidance_slots``: none (the list is ``services.guidance.open_slots()``);
* ``guidance_book``: ``slot_id``, ``card``, ``phone``, ``consent``, ``outcome`` (this session's
  booking of that slot, or None: then the screen books and sends ``booked``);
* ``guidance_mine``: ``card``, ``cancelled``.

Personal data on screen: the masked name only; ``wipe`` clears it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.guidance import AdviserSlot
from kiosk.domain.masking import mask_name
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.guidance import OFFLINE, BookingOutcome, BookingsFound
from kiosk.services.slip.guidance import GuidanceSlip, cancel_until_text
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language, fact_line
from kiosk.ui.widgets import TileButton

logger = logging.getLogger(__name__)

load_kv(__file__)


def _lang(zh: str, en: str) -> str:
    return en if current_language() == "en" else zh


def slot_title(slot: AdviserSlot) -> str:
    return _lang(slot.when_text(), slot.when_text_en())


def slot_line(slot: AdviserSlot) -> str:
    """``李老师 · 1号职业指导室 · 求职方向与简历 · 余位 1``."""
    left = _("余位 {}", slot.places_left) if slot.places_left else _("已约满")
    return " · ".join(p for p in (slot.adviser, slot.desk, slot.topic, left) if p)


def _print_message(error: BaseException | None, done_text: str, failed_text: str) -> str:
    if error is None:
        return done_text
    return getattr(error, "message_zh", "") or failed_text


class GuidanceSlotsScreen(KioskScreen):
    status_text = StringProperty("")
    busy = BooleanProperty(False)
    prompt_key = "guidance"

    def on_pre_enter(self, *_args: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        guidance = getattr(self.services, "guidance", None)
        if guidance is None:
            self.status_text = _("系统正在启动，请稍候…")
            return
        self.busy = True
        self.status_text = _("正在加载…")
        run_in_background(guidance.open_slots, self._listed, self._failed)

    def _listed(self, slots: list[AdviserSlot]) -> None:
        self.busy = False
        box = self.ids.slot_list
        box.clear_widgets()
        for slot in slots:
            button = TileButton(text=slot_title(slot), subtitle=slot_line(slot), primary=False)
            button.bind(on_release=lambda _b, s=slot: self.nav.send("pick", slot_id=s.id))
            box.add_widget(button)
        self.status_text = (_("请选择时间，与职业指导师面对面聊求职方向、简历和面试") if slots
                            else _("近期暂无可预约的时间，请稍后再来看看或到服务台咨询"))

    def _failed(self, exc: BaseException) -> None:
        logger.warning("adviser slots not listed: %s", type(exc).__name__)
        self.busy = False
        self.status_text = _("预约信息暂时无法加载，请稍后再试")

    def mine(self) -> None:
        self.nav.send("mine")

    def wipe(self) -> None:
        self.busy = False


class GuidanceBookScreen(KioskScreen):
    """Books once per slot and session, shows the booking and prints its slip."""

    when_text = StringProperty("")
    details_text = StringProperty("")
    message = StringProperty("")
    booking_no = StringProperty("")
    person_text = StringProperty("")
    cancel_text = StringProperty("")
    print_text = StringProperty("")
    busy = BooleanProperty(False)
    done = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0
        self._slip: GuidanceSlip | None = None

    def show(self, values: Mapping[str, object]) -> None:
        self._token += 1
        outcome = values.get("outcome")
        if isinstance(outcome, BookingOutcome):
            self._outcome(outcome, print_it=False)
            return
        card, slot_id = values.get("card"), str(values.get("slot_id", ""))
        slot = self.services.guidance.slot(slot_id)
        self._show_slot(slot)
        self.booking_no = self.print_text = self.cancel_text = ""
        self.done, self.busy = False, True
        self.message = _("正在为您预约…")
        self.person_text = mask_name(getattr(card, "name", "") or "")
        token = self._token
        consent = values.get("consent") or {}
        run_in_background(
            lambda: self.services.guidance.book(slot_id, card, consent,
                                                str(values.get("phone", "") or "")),
            lambda result: self._booked(token, result),
            lambda _e: self._booked(token, BookingOutcome()))

    def update(self, values: Mapping[str, object]) -> None:
        """``outcome`` after ``booked`` (the engine echoes it): already shown."""

    def _show_slot(self, slot: AdviserSlot | None) -> None:
        if slot is None:
            self.when_text = self.details_text = ""
            return
        self.when_text = slot_title(slot)
        self.details_text = "\n".join(fact_line(k, v) for k, v in (
            (_("职业指导师"), slot.adviser), (_("地点"), slot.desk), (_("内容"), slot.topic)) if v)

    def _booked(self, token: int, outcome: BookingOutcome) -> None:
        if token != self._token:
            return
        self.nav.send("booked", outcome=outcome)
        self._outcome(outcome, print_it=True)

    def _outcome(self, outcome: BookingOutcome, *, print_it: bool) -> None:
        self.busy = False
        if not outcome.ok or outcome.slip is None:
            refusal = outcome.refusal
            self.message = (_lang(refusal.message_zh, refusal.message_en) if refusal
                            else _("预约暂时无法完成，请稍后再试"))
            self.done = False
            return
        slip = self._slip = outcome.slip
        self._show_slot(slip.slot)
        self.booking_no = slip.booking_no
        self.person_text = mask_name(slip.name)
        self.cancel_text = _("如需取消：{}前在本站终端选择“预约职业指导”→“取消我的预约”，刷同一张身份证",
                             cancel_until_text(slip.slot))
        self.message = (_("您已预约过这个时间，这是您的预约") if outcome.again
                        else _("预约成功！请按时到达，提前10分钟到场"))
        self.done = True
        if print_it:
            voice = getattr(self.services, "voice", None)
            if voice is not None:
                voice.say("guidance_booked")
            self.print_slip()

    def print_slip(self) -> None:
        slip, printer = self._slip, getattr(self.services, "printer", None)
        if slip is None or printer is None:
            self.print_text = _("本终端暂不能打印，请记下预约号和时间")
            return
        self.print_text = _("正在打印预约凭条…")
        token = self._token
        done = on_main_thread(lambda result, error: self._printed(token, result, error))
        self.services.guidance.print_slip(printer, slip, done)

    def _printed(self, token: int, _result: Any, error: BaseException | None) -> None:
        if token != self._token:
            return
        self.print_text = _print_message(error, _("预约凭条已打印，请取走凭条"),
                                         _("打印失败，请记下预约号和时间"))

    def finish(self) -> None:
        self.nav.finish("guidance-done")

    def wipe(self) -> None:
        self._token += 1
        self._slip = None
        self.when_text = self.details_text = self.message = self.booking_no = ""
        self.person_text = self.cancel_text = self.print_text = ""
        self.busy = self.done = False


class GuidanceMineScreen(KioskScreen):
    """The person's bookings (the card read again) with 取消 for each."""

    message = StringProperty("")
    done_text = StringProperty("")
    print_text = StringProperty("")
    busy = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0
        self._card: Any = None

    def show(self, values: Mapping[str, object]) -> None:
        self._token += 1
        self._card = values.get("card")
        self.print_text = self.done_text = ""
        self._ask()

    def update(self, values: Mapping[str, object]) -> None:
        """``outcome`` / ``cancelled`` after ``cancelled``: the list is asked again."""

    def _ask(self) -> None:
        self.busy = True
        self.message = _("正在查找您的预约…")
        self.ids.booking_list.clear_widgets()
        token, card = self._token, self._card
        run_in_background(lambda: self.services.guidance.bookings_of(card),
                          lambda found: self._found(token, found),
                          lambda _e: self._found(token, BookingsFound(refusal=OFFLINE)))

    def _found(self, token: int, found: BookingsFound) -> None:
        if token != self._token:
            return
        self.busy = False
        box = self.ids.booking_list
        box.clear_widgets()
        if not found.ok and found.refusal is not None:
            self.message = _lang(found.refusal.message_zh, found.refusal.message_en)
            return
        for slip in found.slips:
            too_late = self.services.guidance.cancel_refusal(slip)
            button = TileButton(
                text=_("取消 {}", slot_title(slip.slot)),
                subtitle=(f"{slip.slot.adviser} · {slip.slot.desk} · {_('预约号')} {slip.booking_no}"
                          + (f"\n{_lang(too_late.message_zh, too_late.message_en)}"
                             if too_late else "")),
                primary=False, disabled=too_late is not None)
            button.bind(on_release=lambda _b, s=slip: self.cancel(s))
            box.add_widget(button)
        self.message = (_("您有以下预约，点击即可取消") if found.slips
                        else _("您目前没有待进行的预约"))

    def cancel(self, slip: GuidanceSlip) -> None:
        if self.busy:
            return
        self.busy = True
        self.message = _("正在取消…")
        token, card = self._token, self._card
        run_in_background(lambda: self.services.guidance.cancel(slip.booking_no, card),
                          lambda outcome: self._cancelled(token, outcome),
                          lambda _e: self._cancelled(token, BookingOutcome()))

    def _cancelled(self, token: int, outcome: BookingOutcome) -> None:
        if token != self._token:
            return
        self.busy = False
        self.nav.send("cancelled", outcome=outcome)
        if not outcome.ok or outcome.slip is None:
            refusal = outcome.refusal
            self.message = (_lang(refusal.message_zh, refusal.message_en) if refusal
                            else _("取消暂时无法完成，请稍后再试"))
            return
        slip = outcome.slip
        printer = getattr(self.services, "printer", None)
        self._token += 1
        self._ask()
        self.done_text = _("已取消 {} 的预约，名额已释放", slot_title(slip.slot))
        if printer is None:
            return
        self.print_text = _("正在打印取消凭条…")
        token = self._token
        self.services.guidance.print_slip(printer, slip, on_main_thread(
            lambda _r, error: self._printed(token, error)))

    def _printed(self, token: int, error: BaseException | None) -> None:
        if token == self._token:
            self.print_text = _print_message(error, _("取消凭条已打印，请取走凭条"),
                                             _("取消凭条打印失败，预约已取消"))

    def finish(self) -> None:
        self.nav.finish("guidance-done")

    def wipe(self) -> None:
        self._token += 1
        self._card = None
        self.message = self.print_text = self.done_text = ""
        self.busy = False
        if "booking_list" in self.ids:
            self.ids.booking_list.clear_widgets()


SCREENS = {"guidance_slots": GuidanceSlotsScreen, "guidance_book": GuidanceBookScreen,
           "guidance_mine": GuidanceMineScreen}
