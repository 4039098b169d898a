"""招聘会 screens: the next fairs near the station, a fair's detail, the sign-up (报到码 shown and
printed) and the check-in screen (scan the 报到码 or lay the card).

Journeys: ``fairs`` and ``fair_checkin`` (``kiosk/services/journeys/declared/``); the work is
``services.fairs`` (:class:`kiosk.services.fairs.FairService`), always off the UI thread. Values:

* ``fairs``: none (the list is ``services.fairs.board(limit=10)``);
* ``fair_detail``: ``fair_id``;
* ``fair_signup``: ``fair_id``, ``card``, ``phone``, ``consent``, ``outcome`` (this session's
  sign-up, or None: then the screen signs up and sends ``signed_up``);
* ``fair_checkin``: ``card`` (None: wait for a scan), ``outcome`` (after ``checked_in``).

Scanner events reach the check-in screen only while it is shown (it adds its listener on show
and removes it on leave). Personal data on screen: the masked name only; ``wipe`` clears it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.devices.scanner.base import ListenerBase, Scan
from kiosk.domain.fairs import Fair
from kiosk.domain.masking import mask_name
from kiosk.domain.matching import distance_km
from kiosk.domain.station_codes import format_short_code
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.fairs import CheckinOutcome, SignupOutcome
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language, fact_line, fair_when
from kiosk.ui.qr_image import QrImage  # noqa: F401  (kv rule)
from kiosk.ui.vacancy_list import distance_text
from kiosk.ui.widgets import TileButton

logger = logging.getLogger(__name__)

load_kv(__file__)


def fair_line(fair: Fair, origin: tuple[float, float] | None) -> str:
    """``12月5日（星期六）09:00–11:30 · 天河区人力资源市场 · 距驿站600米 · 余位 120``."""
    parts = [fair_when(fair), fair.venue.name, distance_text(fair.distance_from(origin))]
    left = fair.places_left
    if left is not None:
        parts.append(_("余位 {}", left) if left else _("已满"))
    return " · ".join(p for p in parts if p)


def _lang_text(zh: str, en: str) -> str:
    return en if current_language() == "en" else zh


class FairsScreen(KioskScreen):
    status_text = StringProperty("")
    busy = BooleanProperty(False)
    prompt_key = ""

    def on_pre_enter(self, *_args: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        fairs = getattr(self.services, "fairs", None)
        if fairs is None:
            self.status_text = _("系统正在启动，请稍候…")
            return
        self.busy = True
        self.status_text = _("正在加载…")
        run_in_background(lambda: fairs.board(limit=10), self._listed, self._failed)

    def _listed(self, board: list[Fair]) -> None:
        self.busy = False
        box = self.ids.fair_list
        box.clear_widgets()
        origin = self.services.fairs.origin
        for fair in board:
            button = TileButton(text=f"{_(fair.kind.name_zh)}｜{fair.title}",
                               subtitle=fair_line(fair, origin), primary=False)
            button.bind(on_release=lambda _b, f=fair: self.nav.send("open_fair", fair_id=f.id))
            box.add_widget(button)
        self.status_text = (_("近期驿站附近的招聘会，点击查看参会单位和岗位") if board
                            else _("近期暂无招聘会，请稍后再来看看"))

    def _failed(self, exc: BaseException) -> None:
        logger.warning("fairs not listed: %s", type(exc).__name__)
        self.busy = False
        self.status_text = _("招聘会信息暂时无法加载，请稍后再试")

    def check_in(self) -> None:
        self.nav.start("fair_checkin")

    def wipe(self) -> None:
        self.busy = False


class FairDetailScreen(KioskScreen):
    title_text = StringProperty("")
    facts_text = StringProperty("")
    status_text = StringProperty("")
    can_sign_up = BooleanProperty(False)
    prompt_key = ""

    def show(self, values: Mapping[str, object]) -> None:
        fair_id = str(values.get("fair_id", ""))
        fair = self.services.fairs.fair(fair_id) if self.services is not None else None
        box = self.ids.post_list
        box.clear_widgets()
        if fair is None:
            self.title_text, self.facts_text, self.can_sign_up = _("未找到这场招聘会"), "", False
            self.status_text = ""
            return
        self.title_text = fair.title
        facts = [(_("类型"), _(fair.kind.name_zh)), (_("时间"), fair_when(fair)),
                 (_("地点"), fair.venue.name), (_("地址"), fair.venue.address),
                 (_("主办单位"), fair.organiser),
                 (_("参会单位"), _("{} 家，{} 个岗位", len(fair.employers), fair.post_count))]
        if fair.places_left is not None:
            facts.append((_("剩余名额"), str(fair.places_left)))
        self.facts_text = "\n".join(fact_line(k, v) for k, v in facts if v)
        refusal = self.services.fairs.signup_check(fair)    # full or over: say so, no sign-up
        self.can_sign_up = refusal is None
        self.status_text = "" if refusal is None else _lang_text(refusal.message_zh,
                                                                 refusal.message_en)
        for employer in fair.employers:
            for post in employer.posts:
                button = TileButton(text=post.title, subtitle=f"{employer.name}"
                                   + (f" · {_('展位')} {employer.booth}" if employer.booth else ""),
                                   primary=False)
                button.bind(on_release=lambda _b, p=post.vacancy_id: self.open_post(p))
                box.add_widget(button)
        if "scroll" in self.ids:
            self.ids.scroll.scroll_y = 1

    def open_post(self, vacancy_id: str) -> None:
        """A post: the usual vacancy detail (from the catalog, else the platform)."""
        services = self.services

        def find() -> Any:
            found = services.catalog.get(vacancy_id) if services.catalog is not None else None
            return found or services.client.vacancy(vacancy_id)

        run_in_background(find, self._open_vacancy,
                          lambda _e: setattr(self, "status_text", _("该岗位已下架或暂时无法查看")))

    def _open_vacancy(self, vacancy: Any) -> None:
        origin = self.services.fairs.origin
        km = (distance_km(origin, (vacancy.latitude, vacancy.longitude))
              if origin and vacancy.latitude is not None and vacancy.longitude is not None else None)
        self.nav.send("open_post", vacancy=vacancy, distance_km=km, age_days=None)

    def sign_up(self) -> None:
        self.nav.next()

    def wipe(self) -> None:
        self.status_text = ""


class FairSignupScreen(KioskScreen):
    """Signs up once per fair and session, shows the 报到码 and prints its slip."""

    title_text = StringProperty("")
    message = StringProperty("")
    qr_data = StringProperty("")
    short_code = StringProperty("")
    person_text = StringProperty("")
    print_text = StringProperty("")
    busy = BooleanProperty(False)
    done = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0
        self._slip: Any = None

    def show(self, values: Mapping[str, object]) -> None:
        outcome = values.get("outcome")
        if isinstance(outcome, SignupOutcome):
            self._outcome(outcome, print_it=False)
            return
        card, fair_id = values.get("card"), str(values.get("fair_id", ""))
        fair = self.services.fairs.fair(fair_id)
        self.title_text = fair.title if fair is not None else ""
        self.qr_data = self.short_code = self.print_text = ""
        self.done, self.busy = False, True
        self.message = _("正在为您报名…")
        self.person_text = mask_name(getattr(card, "name", "") or "")
        self._token += 1
        token = self._token
        consent = values.get("consent") or {}
        run_in_background(
            lambda: self.services.fairs.sign_up(fair_id, card, consent,
                                                str(values.get("phone", "") or "")),
            lambda result: self._signed(token, result),
            lambda _e: self._signed(token, SignupOutcome()))

    def update(self, values: Mapping[str, object]) -> None:
        """``outcome`` after ``signed_up`` (the engine echoes it): already shown."""

    def _signed(self, token: int, outcome: SignupOutcome) -> None:
        if token != self._token:
            return
        self.nav.send("signed_up", outcome=outcome)
        self._outcome(outcome, print_it=True)

    def _outcome(self, outcome: SignupOutcome, *, print_it: bool) -> None:
        self.busy = False
        if not outcome.ok or outcome.slip is None:
            refusal = outcome.refusal
            self.message = (_lang_text(refusal.message_zh, refusal.message_en) if refusal
                            else _("报名暂时无法完成，请稍后再试"))
            self.done = False
            return
        slip = self._slip = outcome.slip
        self.title_text = slip.fair.title
        self.qr_data = slip.qr_payload
        self.short_code = format_short_code(slip.short_code)
        self.person_text = mask_name(slip.name)
        self.message = (_("您已报名过本场招聘会，这是您的报到码") if outcome.again
                        else _("报名成功！招聘会当天在任一驿站终端扫码签到"))
        self.done = True
        if print_it:
            self.print_slip()

    def print_slip(self) -> None:
        slip, printer = self._slip, getattr(self.services, "printer", None)
        if slip is None or printer is None:
            self.print_text = _("本终端暂不能打印，请用手机拍下屏幕上的报到码")
            return
        self.print_text = _("正在打印报到码…")
        token = self._token
        done = on_main_thread(lambda result, error: self._printed(token, result, error))
        self.services.fairs.print_slip(printer, slip, done)

    def _printed(self, token: int, _result: Any, error: BaseException | None) -> None:
        if token != self._token:
            return
        if error is None:
            self.print_text = _("报到码已打印，请取走凭条")
        else:
            self.print_text = getattr(error, "message_zh", "") or _("打印失败，请用手机拍下屏幕上的报到码")

    def finish(self) -> None:
        self.nav.finish("fair-signed-up")

    def wipe(self) -> None:
        self._token += 1
        self._slip = None
        self.title_text = self.message = self.qr_data = self.short_code = ""
        self.person_text = self.print_text = ""
        self.busy = self.done = False


class _ScanListener(ListenerBase):
    def __init__(self, screen: FairCheckinScreen) -> None:
        self._deliver = on_main_thread(screen.scanned)

    def on_scan(self, scan: Scan) -> None:
        self._deliver(scan.text)


class FairCheckinScreen(KioskScreen):
    """签到: waits for a scan (or, on its second step, checks the card in)."""

    message = StringProperty("")
    result = StringProperty("")            # "", "ok", "refused"
    busy = BooleanProperty(False)
    by_card = BooleanProperty(False)
    demo = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._listener = _ScanListener(self)
        self._listening = False
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        self._token += 1
        self.result, self.busy = "", False
        self.demo = bool(self.services is not None and self.services.sandbox is not None)
        card = values.get("card")
        self.by_card = card is not None
        scanner = getattr(self.services, "scanner", None)
        if scanner is not None and not self._listening:
            scanner.add_listener(self._listener)
            self._listening = True
        if card is None:
            self.message = _("请将报到码（凭条或手机）对准扫码窗口")
            return
        self.message = _("正在签到…")
        self._ask(lambda: self.services.fairs.check_in_card(card))

    def update(self, values: Mapping[str, object]) -> None:
        """``outcome`` after ``checked_in``: already shown."""

    def scanned(self, text: str) -> None:
        if self.busy or (self.manager is not None and self.manager.current != self.name):
            return
        self._ask(lambda: self.services.fairs.check_in_scan(text))

    def _ask(self, call: Any) -> None:
        self._token += 1
        token = self._token
        self.busy = True
        run_in_background(call, lambda outcome: self._answered(token, outcome),
                          lambda _e: self._answered(token, None))

    def _answered(self, token: int, outcome: CheckinOutcome | None) -> None:
        if token != self._token:
            return
        self.busy = False
        if outcome is None:
            self.result, self.message = "refused", _("签到暂时无法完成，请到服务台办理")
            return
        if outcome.status == "eid":
            self.result = "refused"
            self.message = _("这是居民身份电子凭证码，签到请扫描报到码或刷身份证")
            return
        self.nav.send("checked_in", outcome=outcome)
        self.result = "ok" if outcome.ok else "refused"
        self.message = _lang_text(outcome.message_zh, outcome.message_en)

    def with_card(self) -> None:
        self.nav.next()

    def demo_scan(self) -> None:
        """Demo: scan the 报到码 last printed on this machine (the preview printer's files)."""
        if self.services is None:
            return
        code = self.services.demo_last_fair_code()
        if code is None:
            self.result, self.message = "refused", _("演示：本机还没有打印过报到码")
        elif not self.services.demo_scan(code):
            self.scanned(code)

    def finish(self) -> None:
        self.nav.finish("fair-checked-in")

    def on_leave(self, *_args: Any) -> None:
        self._token += 1
        scanner = getattr(self.services, "scanner", None)
        if scanner is not None and self._listening:
            scanner.remove_listener(self._listener)
            self._listening = False

    def wipe(self) -> None:
        self.on_leave()
        self.message = self.result = ""
        self.busy = self.by_card = False


SCREENS = {"fairs": FairsScreen, "fair_detail": FairDetailScreen,
           "fair_signup": FairSignupScreen, "fair_checkin": FairCheckinScreen}
