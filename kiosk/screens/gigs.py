"""零工 screens (issue 19): the gig board, a gig's detail with one-tap 报名, and the sign-up
done (number on screen, slip printed).

Journey ``gigs`` (:mod:`kiosk.services.journeys.declared.gigs`); the work is ``services.gigs``
(:class:`kiosk.services.gig_signup.GigSignupService`), always off the UI thread. Values:

* ``gigs``: ``window`` (``today`` | ``tomorrow`` | ``week``), ``nearby`` (bool), ``notice``
  ("" or "这份零工刚刚报满了…"), ``next`` (the next gigs after a full one, ``SearchHit`` list;
  empty: the screen lists ``services.gigs.board(window, within_km)`` itself);
* ``gig_detail``: ``gig`` (``Vacancy``), ``distance_km``, ``step`` (``detail`` | ``signup``),
  ``message`` (on ``detail`` the places left are asked of the platform meanwhile:
  ``services.gigs.refresh``), and on the ``signup`` step ``card``, ``phone``, ``window`` and ``nearby``: the
  screen signs up once and sends ``signed(outcome, next)`` (``next``: when full, the next
  gigs of the same window, nearby first); a refusal comes back as ``message``/``state`` (``update``);
* ``gig_done``: ``outcome`` (confirmed ``SignupOutcome``) and ``card``: the sign-up number,
  the gig, the places left, the masked name; the slip is printed on entering.

Each card (:class:`GigCard`) shows the time, the place and its distance from the station, the
pay with its unit and 日结/周结/完工结, the requirements and the places left; in 长辈模式 the
cards take the whole width (one column) with 1.5× text. Personal data on screen: the masked
name only, on ``gig_done``; ``wipe`` clears it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.domain.masking import mask_name
from kiosk.domain.vacancy import SETTLEMENTS, Vacancy
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.gig_signup import SignupOutcome
from kiosk.services.journeys.declared.gigs import NEARBY_KM
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language, fact_line
from kiosk.ui.vacancy_list import distance_text

logger = logging.getLogger(__name__)

load_kv(__file__)

REQUIREMENT_PREFIX = "要求："
WINDOW_NAMES = {"today": "今天", "tomorrow": "明天", "week": "本周"}


# ---- what a card says (public gig data only) ------------------------------------------------
def gig_day_text(work_date: str, today: date) -> str:
    """``12月1日 今天`` / ``12月2日 明天`` / ``12月5日 星期六`` (English ``12/1 today`` …)."""
    try:
        day = date.fromisoformat(work_date)
    except ValueError:
        return work_date
    delta = (day - today).days
    weekday = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"),
               _("星期日"))[day.weekday()]
    label = _("今天") if delta == 0 else _("明天") if delta == 1 else weekday
    return f"{_('{}月{}日', day.month, day.day)} {label}"


def gig_time_text(gig: Vacancy, today: date) -> str:
    """``12月1日 今天 08:00起 · 8小时``."""
    parts = [gig_day_text(gig.work_date, today)]
    if gig.start_time:
        parts.append(_("{}起", gig.start_time))
    text = " ".join(parts)
    if gig.duration_hours:
        text += " · " + _("{}小时", f"{gig.duration_hours:g}")
    return text


def gig_pay_text(gig: Vacancy) -> str:
    """``220元/天 · 日结`` (pay, its unit, and how it is settled)."""
    pay = gig.salary_text(current_language())
    settlement = SETTLEMENTS.get(gig.settlement, "")
    return f"{pay} · {_(settlement)}" if settlement else pay


def gig_place_text(gig: Vacancy, distance_km: float | None) -> str:
    """``天河区 天河南二路 示例地址 · 距驿站850米``."""
    place = gig.address or f"{gig.city}{gig.district}{gig.town}"
    return " · ".join(p for p in (place, distance_text(distance_km)) if p)


def gig_requirements(gig: Vacancy) -> str:
    """The requirements (the ``要求：`` lines the platform puts in the description, joined with
    "；"), "" when none."""
    found = [line[len(REQUIREMENT_PREFIX):].strip()
             for line in gig.description.splitlines() if line.startswith(REQUIREMENT_PREFIX)]
    return "；".join(f for f in found if f)


def requirements_line(gig: Vacancy) -> str:
    """``要求：能吃苦`` on a card, ``无特殊要求`` when the gig states none."""
    text = gig_requirements(gig)
    return _("要求：{}", text) if text else _("无特殊要求")


def places_text(left: int) -> str:
    return _("还剩 {} 个名额", left) if left > 0 else _("已报满")


class GigCard(ButtonBehavior, BoxLayout):
    """One gig on the board (the kv rule in ``gigs.kv``)."""

    title = StringProperty("")
    employer = StringProperty("")
    pay_text = StringProperty("")
    time_text = StringProperty("")
    place_text = StringProperty("")
    requirements = StringProperty("")
    places = StringProperty("")
    full = BooleanProperty(False)


def _hits(values: Mapping[str, object], key: str) -> list[Any]:
    found = values.get(key)
    return list(found) if isinstance(found, Sequence) and not isinstance(found, str) else []


class GigsScreen(KioskScreen):
    """The board: 今天 / 明天 / 本周 and 附近 first, then the gigs as big cards."""

    window = StringProperty("today")
    nearby = BooleanProperty(True)
    notice = StringProperty("")
    status_text = StringProperty("")
    busy = BooleanProperty(False)
    nearby_km = StringProperty(f"{NEARBY_KM:g}")
    #: the station has coordinates (else no 附近 chip and no distances)
    nearby_known = BooleanProperty(True)
    prompt_key = "gigs"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        self.window = str(values.get("window", self.window) or "today")
        self.nearby = bool(values.get("nearby", self.nearby))
        self.notice = str(values.get("notice", "") or "")
        offered = _hits(values, "next")
        if self.notice:
            self._token += 1
            self._listed(self._token, offered)
            return
        self.refresh()

    def choose(self, window: str) -> None:
        """A 今天 / 明天 / 本周 chip."""
        self.nav.send("window", window=window, nearby=self.nearby)

    def toggle_nearby(self) -> None:
        self.nav.send("window", window=self.window, nearby=not self.nearby)

    def refresh(self) -> None:
        gigs = getattr(self.services, "gigs", None)
        self._token += 1
        token = self._token
        if gigs is None:
            self.status_text = _("系统正在启动，请稍候…")
            return
        self.busy = True
        self.status_text = _("正在查找零工…")
        self.nearby_known = gigs.has_origin
        nearby = self.nearby and self.nearby_known
        window, within = self.window, (NEARBY_KM if nearby else None)
        run_in_background(lambda: (gigs.board(window, within), gigs.today()),
                          lambda found: self._listed(token, found[0], found[1]),
                          lambda exc: self._failed(token, exc))

    def _listed(self, token: int, hits: list[Any], today: date | None = None) -> None:
        if token != self._token:
            return
        self.busy = False
        gigs = getattr(self.services, "gigs", None)
        day = today or (gigs.today() if gigs is not None else date.today())
        box = self.ids.gig_list
        box.clear_widgets()
        for hit in hits:
            box.add_widget(self._card(hit, day))
        if "gig_scroll" in self.ids:
            self.ids.gig_scroll.scroll_y = 1
        where = _(WINDOW_NAMES.get(self.window, "今天"))
        nearby = self.nearby and self.nearby_known
        if self.notice:
            self.status_text = "" if hits else _("附近暂时没有其他零工，请稍后再来看看")
        elif hits:
            self.status_text = (_("{}·附近{}公里内共{}份零工，由近到远", where, self.nearby_km,
                                  len(hits)) if nearby
                                else _("{}共{}份零工，由近到远", where, len(hits)))
        else:
            self.status_text = (_("{}附近暂时没有零工，可以看看别的日子，或取消“附近”", where)
                                if nearby else _("{}暂时没有零工，可以看看别的日子", where))

    def _card(self, hit: Any, today: date) -> GigCard:
        gig = hit.vacancy
        card = GigCard(title=gig.title, employer=gig.employer, pay_text=gig_pay_text(gig),
                       time_text=gig_time_text(gig, today),
                       place_text=gig_place_text(gig, hit.distance_km),
                       requirements=requirements_line(gig), places=places_text(gig.places_left),
                       full=gig.places_left <= 0)
        card.bind(on_release=lambda _c, h=hit: self.nav.send(
            "chosen", gig=h.vacancy, distance_km=h.distance_km))
        return card

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        logger.warning("gig board not listed: %s", type(exc).__name__)
        self.busy = False
        self.status_text = _("零工信息暂时无法加载，请稍后再试")

    def wipe(self) -> None:
        self._token += 1
        self.busy = False
        self.notice = self.status_text = ""
        self.window, self.nearby = "today", True
        if "gig_list" in self.ids:
            self.ids.gig_list.clear_widgets()


class GigDetailScreen(KioskScreen):
    """A gig in large text and 报名; on the ``signup`` step it signs up (once per entry)."""

    title_text = StringProperty("")
    pay_text = StringProperty("")
    facts_text = StringProperty("")
    places = StringProperty("")
    message = StringProperty("")
    can_sign_up = BooleanProperty(False)
    busy = BooleanProperty(False)
    refused = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        gig = values.get("gig")
        self._token += 1
        if not isinstance(gig, Vacancy):
            self.title_text, self.facts_text, self.can_sign_up = _("未找到这份零工"), "", False
            return
        distance = values.get("distance_km")
        self._render(gig, distance if isinstance(distance, (int, float)) else None)
        self.message = str(values.get("message", "") or "")
        self.refused = bool(self.message)
        if values.get("step") == "detail":
            self._refresh(gig)
        if values.get("step") == "signup":
            self._sign_up(gig, values.get("card"), str(values.get("phone", "") or ""),
                          str(values.get("window", "today")), bool(values.get("nearby", True)))

    def update(self, values: Mapping[str, object]) -> None:
        """A refusal (``message``, ``state``) after ``signed``: say it; 报名 tries again."""
        self.busy = False
        self.message = str(values.get("message", "") or "")
        self.refused = bool(self.message)
        if values.get("state") == "gone":
            self.can_sign_up = False

    def _render(self, gig: Vacancy, distance_km: float | None) -> None:
        gigs = getattr(self.services, "gigs", None)
        today = gigs.today() if gigs is not None else date.today()
        self.title_text = gig.title
        self.pay_text = gig_pay_text(gig)
        facts = [(_("上工时间"), gig_time_text(gig, today)),
                 (_("工作地点"), gig_place_text(gig, distance_km)),
                 (_("用工单位"), gig.employer),
                 (_("要求"), gig_requirements(gig) or _("无特殊要求")),
                 (_("联系人"), gig.contact_name),
                 (_("联系电话"), gig.contact_phone),
                 (_("岗位编号"), gig.id)]
        self.facts_text = "\n".join(fact_line(k, v) for k, v in facts if v)
        self.places = places_text(gig.places_left)
        self.can_sign_up = gig.places_left > 0
        self.busy = False
        if "scroll" in self.ids:
            self.ids.scroll.scroll_y = 1

    def _refresh(self, gig: Vacancy) -> None:
        """The places left as the platform counts them now (other terminals' sign-ups)."""
        gigs = getattr(self.services, "gigs", None)
        if gigs is None:
            return
        token = self._token
        run_in_background(lambda: gigs.refresh(gig), lambda live: self._refreshed(token, live),
                          lambda _exc: None)

    def _refreshed(self, token: int, live: Vacancy | None) -> None:
        if token != self._token or self.busy:
            return
        if live is None:
            self.places, self.can_sign_up = _("这份零工已下架"), False
            return
        self.places = places_text(live.places_left)
        self.can_sign_up = live.places_left > 0

    def sign_up(self) -> None:
        """报名: the engine asks for the identity first when this session has none."""
        self.nav.send("sign_up")

    def _sign_up(self, gig: Vacancy, card: object, phone: str, window: str,
                 nearby: bool) -> None:
        gigs = self.services.gigs
        self.busy, self.refused, self.can_sign_up = True, False, False
        self.message = _("正在为您报名…")
        token = self._token

        def work() -> tuple[SignupOutcome, list[Any]]:
            outcome = gigs.sign_up(card, gig, phone)
            offered: list[Any] = []
            if outcome.state == "full":
                offered = gigs.next_gigs(gig, window, within_km=NEARBY_KM if nearby else None)
                if not offered and nearby:
                    offered = gigs.next_gigs(gig, window)
            return outcome, offered

        run_in_background(work, lambda done: self._signed(token, *done),
                          lambda exc: self._signed(token, SignupOutcome("offline", gig), []))

    def _signed(self, token: int, outcome: SignupOutcome, offered: list[Any]) -> None:
        if token != self._token:
            return
        self.busy = False
        self.nav.send("signed", outcome=outcome, next=offered)

    def wipe(self) -> None:
        self._token += 1
        self.title_text = self.pay_text = self.facts_text = self.places = self.message = ""
        self.can_sign_up = self.busy = self.refused = False


class GigDoneScreen(KioskScreen):
    """报名成功: the number, the gig, places left, the masked name; the slip printed."""

    signup_no = StringProperty("")
    title_text = StringProperty("")
    facts_text = StringProperty("")
    places = StringProperty("")
    person_text = StringProperty("")
    print_text = StringProperty("")
    printed = BooleanProperty(False)
    prompt_key = "gig_signed"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0
        self._outcome: SignupOutcome | None = None
        self._name = ""

    def show(self, values: Mapping[str, object]) -> None:
        self._token += 1
        outcome = values.get("outcome")
        if not isinstance(outcome, SignupOutcome) or not outcome.ok:
            self.wipe()
            return
        card = values.get("card")
        self._outcome = outcome
        self._name = str(getattr(card, "name", "") or "")
        gig = outcome.gig
        gigs = getattr(self.services, "gigs", None)
        today = gigs.today() if gigs is not None else date.today()
        self.signup_no = outcome.signup_no
        self.title_text = f"{gig.title}｜{gig.employer}"
        contact = " ".join(p for p in (gig.contact_name, gig.contact_phone) if p)
        facts = [(_("上工时间"), gig_time_text(gig, today)),
                 (_("工作地点"), gig_place_text(gig, None)),
                 (_("工资"), gig_pay_text(gig)),
                 (_("联系用工单位"), contact)]
        self.facts_text = "\n".join(fact_line(k, v) for k, v in facts if v)
        left = outcome.places_left if outcome.places_left is not None else gig.places_left
        self.places = _("这份零工还剩 {} 个名额", left) if left > 0 else _("您报上了最后一个名额")
        self.person_text = mask_name(self._name)
        self.print_slip()

    def print_slip(self) -> None:
        outcome, printer = self._outcome, getattr(self.services, "printer", None)
        if outcome is None:
            return
        if printer is None:
            self.print_text = _("本终端暂不能打印，请用手机拍下屏幕上的报名编号")
            return
        self.printed = False
        self.print_text = _("正在打印报名凭条…")
        token = self._token
        done = on_main_thread(lambda result, error: self._printed(token, result, error))
        try:
            self.services.gigs.print_slip(printer, outcome, self._name, done)
        except ValueError:
            self.print_text = _("打印失败，请用手机拍下屏幕上的报名编号")

    def _printed(self, token: int, _result: Any, error: BaseException | None) -> None:
        if token != self._token:
            return
        self.printed = error is None
        self.print_text = (_("报名凭条已打印，请取走凭条") if error is None else
                           getattr(error, "message_zh", "") or
                           _("打印失败，请用手机拍下屏幕上的报名编号"))

    def more_gigs(self) -> None:
        """看看其他零工: the board again (the identity stays: the next 报名 is one tap)."""
        self.nav.go("board")

    def finish(self) -> None:
        self.nav.finish("gig-done")

    def wipe(self) -> None:
        self._token += 1
        self._outcome, self._name = None, ""
        self.signup_no = self.title_text = self.facts_text = self.places = ""
        self.person_text = self.print_text = ""
        self.printed = False


SCREENS = {"gigs": GigsScreen, "gig_detail": GigDetailScreen, "gig_done": GigDoneScreen}
