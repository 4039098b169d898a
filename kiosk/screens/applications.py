"""就业援助 screens: 办事指南, local checks, the 就业困难人员 self-check, the form, the review, the
result with its acceptance slip, and 办件查询 (issue 18).

They only show what the journey engine gives them and send what the person did
(:mod:`kiosk.services.journeys.application_flow` lists the values and events). Work that blocks
(the platform prefill, submitting, printing, the 办件查询 query) runs off the UI thread
(:func:`~kiosk.ui.background.run_in_background`); a token drops late answers after the person
left. Text is built from the journey's plain-Chinese lines; sensitive answers appear on screen
only and :meth:`wipe` forgets all of it when the session ends.
"""

from __future__ import annotations

import logging
import uuid
from functools import partial
from collections.abc import Callable, Mapping
from datetime import datetime, UTC
from typing import Any

from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.stacklayout import StackLayout
from kivy.uix.widget import Widget

from kiosk.domain import applications as rules
from kiosk.domain.china_time import china_now
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.journeys.application_flow import FIELD_NAMES_ZH, submission
from kiosk.services.sensitive_consent import sensitive_notice
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _
from kiosk.ui.phone_entry import PhoneEntry
from kiosk.ui.widgets import BigButton, Chip, KioskLabel

logger = logging.getLogger(__name__)
#: a list item's bullet: a no-break space keeps it on the line of its text when the text wraps
BULLET = "·\u00a0"

load_kv(__file__)


class ApplicationScreenBase(KioskScreen):
    """Header, a scrolling body and an action bar; subclasses fill them in :meth:`show`."""

    title = StringProperty("")
    show_back = BooleanProperty(True)
    busy = BooleanProperty(False)
    message = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        self._token = ""
        #: the pick-list boxes of the current view by field name (tests find chips in them)
        self.boxes: dict[str, StackLayout] = {}
        super().__init__(**kwargs)

    # ---- building -------------------------------------------------------------------------
    def reset(self, title: str) -> None:
        self.title = title
        self.boxes = {}
        self.ids.body.clear_widgets()
        self.ids.actions.clear_widgets()

    def line(self, text: str, role: str = "body", **kwargs: Any) -> KioskLabel:
        label = KioskLabel(text=text, role=role, **kwargs)
        self.ids.body.add_widget(label)
        return label

    def action(self, text: str, on_release: Callable[[], None], subtitle: str = "",
               primary: bool = True, where: str = "actions") -> BigButton:
        button = BigButton(text=text, subtitle=subtitle, primary=primary)
        button.bind(on_release=lambda *_a: on_release())
        (self.ids.actions if where == "actions" else self.ids.body).add_widget(button)
        return button

    def chips(self, options: Mapping[str, str], selected: str | set[str],
              on_pick: Callable[[str], None], name: str = "") -> StackLayout:
        box = StackLayout(size_hint_y=None, spacing=12)
        box.bind(minimum_height=box.setter("height"))
        for code, label in options.items():
            chosen = code in selected if isinstance(selected, set) else code == selected
            chip = Chip(value=label, selected=chosen)
            chip.bind(on_release=lambda _c, code=code: on_pick(code))
            box.add_widget(chip)
        self.ids.body.add_widget(box)
        if name:
            self.boxes[name] = box
        return box

    def on_pre_enter(self, *_args: Any) -> None:
        """A screen comes up at the top of its text (not where the last person left it)."""
        self._to_top()

    def _to_top(self) -> None:
        scroll = self.ids.get("scroll")
        if scroll is not None:
            scroll.effect_y.velocity = 0
            scroll.scroll_y = 1

    def speak(self, key: str) -> None:
        """Voice prompt ``key`` (:data:`~kiosk.services.voice_prompts.PROMPTS`) for what the screen
        shows now: played by the app when the screen comes up, or here at once when the screen is
        already showing and turns to another view (the same screen serves several steps)."""
        if key == self.prompt_key and self.manager is not None and \
                self.manager.current == self.name:
            return
        self.prompt_key = key
        if key and self.manager is not None and self.manager.current == self.name:
            self.services.voice.say(key)

    def wipe(self) -> None:
        self._token = ""
        self.busy = False
        self.message = ""
        self.boxes = {}          # the chips of the last person's answers go with the body
        self._to_top()
        if "body" in self.ids:
            self.ids.body.clear_widgets()
            self.ids.actions.clear_widgets()


def _kind_title(kind: str) -> str:
    return _(rules.KIND_NAMES_ZH.get(kind, "就业援助"))


class ApplicationChooseScreen(ApplicationScreenBase):
    """就业援助办理: the three items (values ``items``: (journey, title, subtitle))."""

    prompt_key = "assistance"

    def show(self, values: Mapping[str, object]) -> None:
        items: Any = values.get("items", ())
        self.reset(_("就业援助办理"))
        self.line(_("请选择要办理的事项。每一项都会先告诉您办理条件、需要准备什么和办理时限。"))
        for name, title, subtitle in items:
            self.action(_(title), partial(self._choose, name), _(subtitle), where="body")

    def _choose(self, name: str) -> None:
        self.nav.send("chosen", journey=name)


class ApplicationGuideScreen(ApplicationScreenBase):
    """办事指南. Values: ``kind``, ``guide`` (:class:`~kiosk.domain.applications.Guide`)."""

    prompt_key = "application_guide"

    def show(self, values: Mapping[str, object]) -> None:
        guide: Any = values.get("guide")
        kind = str(values.get("kind", ""))
        if guide is None:
            return
        self.reset(_kind_title(kind) + " · " + _("办事指南"))
        self.line(_("谁可以办"), "title")
        for text in guide.who_zh:
            self.line(BULLET + _(text))
        self.line(_("需要准备"), "title")
        for text in guide.need_zh:
            self.line(BULLET + _(text))
        self.line(_("办理时限"), "title")
        self.line(_(guide.how_long_zh))
        self.line(_("由谁办理"), "title")
        station: Any = getattr(self.services, "station_info", None)
        where = _(guide.where_zh)
        address = str(getattr(station, "address", "") or "")
        if address:
            where += "\n" + _("本驿站：{}", address)
        self.line(where)
        self.line(_(guide.next_zh), color=(0.35, 0.35, 0.35, 1))
        self.action(_("开始办理"), lambda: self.nav.next(), _("先刷身份证，再回答几个问题"))


class ApplicationChecksScreen(ApplicationScreenBase):
    """The local checks (values ``kind``, ``card``, ``prefill_done``, ``questions``) or, at step
    ``blocked``, why not (``failures``)."""

    prompt_key = "application_checks"

    def __init__(self, **kwargs: Any) -> None:
        self._answers: dict[str, bool] = {}
        self._resides: bool | None = None
        self._questions: dict[str, str] = {}
        super().__init__(**kwargs)

    def show(self, values: Mapping[str, object]) -> None:
        kind = str(values.get("kind", ""))
        failures: Any = values.get("failures")
        if failures is not None:
            self.speak("application_blocked")
            self._blocked(kind, list(failures))
            return
        self.speak("application_checks")
        if not values.get("prefill_done"):
            self._prefill(kind, values.get("card"))
            return
        questions: Any = values.get("questions")
        if isinstance(questions, dict):
            self._questions = dict(questions)
            self._answers = {key: False for key in self._questions}
            self._resides = None
        self._render(kind)

    def _prefill(self, kind: str, card: Any) -> None:
        self.reset(_kind_title(kind))
        self.busy = True
        self.line(_("正在查询您已登记的信息，请稍候…"))
        token = self._token = uuid.uuid4().hex
        station = getattr(self.services, "station_info", None)
        division = getattr(station, "division_code", "") or \
            getattr(self.services.settings.station, "division_code", "")
        apps = self.services.applications

        def done(prefill: Any) -> None:
            if token != self._token:
                return
            self.busy = False
            self.nav.send("prefilled", prefill=prefill.model_dump() if prefill else None,
                          station_division=str(division)[:6], today=china_now().date())

        run_in_background(lambda: apps.prefill(card) if apps is not None else None, done,
                          lambda _exc: done(None))

    def _render(self, kind: str) -> None:
        self.reset(_kind_title(kind))
        self.line(_("请回答下面的问题（点“是”或“否”）："), "title")
        for key, question in self._questions.items():
            self.line(_(question))
            self.chips({"yes": _("是"), "no": _("否")}, "yes" if self._answers[key] else "no",
                       partial(self._answer, kind, key), key)
        self.line(_("您的常住地（平时居住的地方）在广东省吗？"))
        picked = "" if self._resides is None else ("yes" if self._resides else "no")
        self.chips({"yes": _("是"), "no": _("否")}, picked,
                   lambda code: self._reside(kind, code == "yes"), "resides_in_guangdong")
        self.action(_("下一步"), self._next)

    def _answer(self, kind: str, key: str, code: str) -> None:
        self._answers[key] = code == "yes"
        self._render(kind)

    def _reside(self, kind: str, value: bool) -> None:
        self._resides = value
        self._render(kind)

    def _next(self) -> None:
        if self._resides is None:
            self.line(_("请先回答：您的常住地在广东省吗？"), color=(0.8, 0.3, 0, 1))
            return
        self.nav.send("checked", answers=dict(self._answers), resides_in_guangdong=self._resides)

    def _blocked(self, kind: str, failures: list[Any]) -> None:
        self.reset(_kind_title(kind))
        self.line(_("暂时不能在本机办理"), "title")
        for failure in failures:
            self.line(BULLET + _(failure.message_zh))
        seen: list[str] = []
        for failure in failures:
            if failure.instead_zh not in seen:
                seen.append(failure.instead_zh)
        for text in seen:
            self.line(_(text))
        self.action(_("返回首页"), lambda: self.nav.finish("blocked"), _("清除本次信息"))

    def wipe(self) -> None:
        super().wipe()
        self._answers, self._questions, self._resides = {}, {}, None


class HardshipCheckScreen(ApplicationScreenBase):
    """就业困难人员 self-check (values of ``self_check_view``) and its result (``result_view``)."""

    prompt_key = "hardship_check"
    asks_before_leaving = True   # 首页 asks 继续填写 / 退出并清除 first

    def __init__(self, **kwargs: Any) -> None:
        self._declared: set[str] = set()
        self._veteran = False
        self._values: dict[str, object] = {}
        super().__init__(**kwargs)

    def show(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)
        if "lines_zh" in values:
            self.speak("hardship_result")
            self._result(values)
        elif "questions" in values:
            self.speak("hardship_check")
            self._declared, self._veteran = set(), False
            self._questions()

    def _questions(self) -> None:
        values = self._values
        self.reset(_("就业困难人员自查"))
        questions: Any = values.get("questions", {})
        if values.get("ask_sensitive_consent"):
            self.line(_(sensitive_notice("zh_CN")))
            self.action(_("同意，回答这些问题"), lambda: self.nav.send("sensitive_consent",
                                                             agreed=True), where="body")
            self.action(_("不同意，跳过"), lambda: self.nav.send("sensitive_consent",
                                                          agreed=False),
                        primary=False, where="body")
        for key, question in questions.items():
            self.line(_(question))
            self.chips({"yes": _("是"), "no": _("否")}, "yes" if key in self._declared else "no",
                       partial(self._toggle, key), key)
        self.line(_(str(values.get("veteran_question", ""))))
        self.chips({"yes": _("是"), "no": _("否")}, "yes" if self._veteran else "no",
                   self._set_veteran, "veteran")
        self.action(_("查看自查结果"), lambda: self.nav.send(
            "self_checked", declared=sorted(self._declared), veteran=self._veteran))

    def _toggle(self, key: str, code: str) -> None:
        (self._declared.add if code == "yes" else self._declared.discard)(key)
        self._questions()

    def _set_veteran(self, code: str) -> None:
        self._veteran = code == "yes"
        self._questions()

    def _result(self, values: Mapping[str, object]) -> None:
        self.reset(_("自查结果"))
        lines: Any = values.get("lines_zh", ())
        for text in lines:
            self.line(_(text))
        if values.get("offer_application"):
            self.action(_("提交认定申请"), lambda: self.nav.send("apply"),
                        _("由经办机构审核决定"))
        self.action(_("完成"), lambda: self.nav.finish("self-check-done"),
                    _("清除本次信息并返回首页"), primary=not values.get("offer_application"))

    def wipe(self) -> None:
        super().wipe()
        self._declared, self._veteran, self._values = set(), False, {}


class ApplicationFormScreen(ApplicationScreenBase):
    """The pick-lists (values of ``form_view``; ``update`` after every answer)."""

    prompt_key = "application_form"
    asks_before_leaving = True   # 首页 asks 继续填写 / 退出并清除 first

    def __init__(self, **kwargs: Any) -> None:
        self._values: dict[str, object] = {}
        self._phone: PhoneEntry | None = None
        self.phone_entry: PhoneEntry | None = None
        super().__init__(**kwargs)

    def show(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)
        self._render()

    def update(self, values: Mapping[str, object]) -> None:
        self._values.update(values)
        self._render()

    def _render(self) -> None:
        values = self._values
        kind = str(values.get("kind", ""))
        draft: Any = values.get("draft")
        if draft is None:
            return
        self.reset(_kind_title(kind) + " · " + _("填写信息"))
        problems: Any = values.get("problems") or []
        if problems:
            self.line(_("还有{}项需要处理：", len(problems)), "title", color=(0.8, 0.3, 0, 1))
            for text in problems:
                self.line(BULLET + _(text), color=(0.8, 0.3, 0, 1))
        if values.get("ask_sensitive_consent"):
            self.line(_(sensitive_notice("zh_CN")))
            self.action(_("同意"), lambda: self.nav.send("sensitive_consent", agreed=True),
                        where="body")
            self.action(_("不同意（改选其他选项）"),
                        lambda: self.nav.send("sensitive_consent", agreed=False),
                        primary=False, where="body")
        choices: Any = values.get("choices") or {}
        for name, options in choices.items():
            self.line(_(FIELD_NAMES_ZH.get(name, name)), "title")
            current = ("yes" if draft.claims_insurance else "no") if name == "claims_insurance" \
                else str(getattr(draft, name, ""))
            self.chips({k: _(v) for k, v in options.items()}, current,
                       partial(self._pick, name), name)
        self.line(_("手机号码"), "title")
        phone = self._phone
        if phone is None:              # one entry per session: typed digits survive re-renders
            phone = self._phone = self.phone_entry = PhoneEntry()
            phone.digits = draft.phone or ""
        elif phone.parent is not None:
            phone.parent.remove_widget(phone)
        self.ids.body.add_widget(phone)
        self.action(_("完成填写"), self._done, _("核对后提交"))

    def _pick(self, name: str, code: str) -> None:
        self.nav.send("answered", **{name: code})

    def _done(self) -> None:
        number = self._phone.number() if self._phone is not None else ""
        if number:
            self.nav.send("answered", phone=number)
        self.nav.send("form_done")

    def wipe(self) -> None:
        super().wipe()
        self._values = {}
        if self._phone is not None:
            self._phone.clear()
        self._phone = self.phone_entry = None


class ApplicationReviewScreen(ApplicationScreenBase):
    """核对信息 and 提交 (values ``kind``, ``card``, ``lines_zh``)."""

    prompt_key = "review"
    asks_before_leaving = True   # 首页 asks 继续填写 / 退出并清除 first

    def show(self, values: Mapping[str, object]) -> None:
        kind = str(values.get("kind", ""))
        card: Any = values.get("card")
        self.reset(_kind_title(kind) + " · " + _("核对信息"))
        if card is not None:
            self.line(_("申请人：{}  {}", card.masked_name, card.masked_id_number), "title")
        lines: Any = values.get("lines_zh", ())
        for text in lines:
            self.line(_(text))
        self.message = ""
        self.action(_("返回修改"), lambda: self.nav.back(), primary=False)
        self.action(_("提交申请"), self.submit, _("提交后打印受理回执"))

    def submit(self) -> None:
        if self.busy or self.nav is None or self.nav.journey is None:
            return
        try:
            sub = submission(self.nav.journey)
        except ValueError:
            return
        self.busy = True
        self.line(_("正在提交，请稍候…"))
        token = self._token = uuid.uuid4().hex
        service = self.services.applications
        run_in_background(
            lambda: service.submit(sub.card, sub.draft, sub.consent, sub.sensitive_consent),
            lambda outcome: self._done(token, outcome), lambda exc: self._failed(token, exc))

    def _done(self, token: str, outcome: Any) -> None:
        if token != self._token:
            return
        self.busy = False
        self.nav.send("submitted", outcome=outcome)

    def _failed(self, token: str, exc: BaseException) -> None:
        if token != self._token:
            return
        logger.warning("application not saved: %s", type(exc).__name__)
        self.busy = False
        self.line(getattr(exc, "message_zh", "") or
                  _("暂时无法提交，请重试，或联系驿站工作人员。"), color=(0.8, 0.3, 0, 1))


def _print(screen: ApplicationScreenBase, card: Any, kind: str, receipt_no: str,
           application: dict[str, Any] | None, status: KioskLabel) -> None:
    """Print an acceptance slip off the UI thread and say how it went in ``status``."""
    from kiosk.services.applications import acceptance_slip, print_acceptance

    printer = getattr(screen.services, "printer", None)
    if printer is None:
        status.text = _("打印机暂时无法使用，请拍照记下办件号或回执号。")
        return
    slip = acceptance_slip(getattr(screen.services, "station_info", None), card, kind,
                           receipt_no, application, datetime.now(UTC))
    status.text = _("正在打印受理回执…")
    token = screen._token

    def done(_report: Any) -> None:
        if token == screen._token:
            status.text = _("打印完成，请从出纸口取走受理回执。")

    def failed(exc: BaseException) -> None:
        if token == screen._token:
            logger.warning("acceptance slip not printed: %s", type(exc).__name__)
            status.text = _("回执未能打印（{}），申请不受影响；请拍照记下办件号或回执号。",
                            getattr(exc, "message_zh", "") or _("打印机故障"))

    run_in_background(lambda: print_acceptance(printer, slip), done, failed)


class ApplicationDoneScreen(ApplicationScreenBase):
    """The result (values ``kind``, ``outcome``: ``ApplicationOutcome``); the slip is printed."""

    prompt_key = "application_done"     # or "application_saved" (offline), set in show()
    show_back = BooleanProperty(False)

    def show(self, values: Mapping[str, object]) -> None:
        outcome: Any = values.get("outcome")
        kind = str(values.get("kind", ""))
        if outcome is None:
            return
        self._token = uuid.uuid4().hex
        self.speak("application_done" if outcome.application_no else "application_saved")
        self.reset(_kind_title(kind))
        number = outcome.application_no or outcome.receipt_no
        self.line(_("办件号") if outcome.application_no else _("回执号"), "title")
        self.line(number, "huge", bold=True)
        for text in outcome.lines_zh:
            self.line(_(text))
        status = self.line("")
        card = self.nav.journey.identity if self.nav is not None and self.nav.journey else None
        if card is not None:
            _print(self, card, kind, outcome.receipt_no, outcome.application, status)
            self.action(_("重新打印回执"), lambda: _print(self, card, kind, outcome.receipt_no,
                                                    outcome.application, status),
                        primary=False)
        self.action(_("完成，退出"), lambda: self.nav.finish("application-done"),
                    _("清除您的信息并返回首页"))


class ApplicationQueryScreen(ApplicationScreenBase):
    """办件查询 (values ``card``, ``applications`` — None until asked — and ``offline``)."""

    prompt_key = "application_query"

    def show(self, values: Mapping[str, object]) -> None:
        from kiosk.services.applications import application_lines_zh

        card: Any = values.get("card")
        apps: Any = values.get("applications")
        self.reset(_("办件查询"))
        if card is None:
            return
        if apps is None and not values.get("offline"):
            self.busy = True
            self.line(_("正在查询，请稍候…"))
            token = self._token = uuid.uuid4().hex
            service = self.services.applications

            def done(found: Any) -> None:
                if token == self._token:
                    self.busy = False
                    self.nav.send("queried", applications=found)

            run_in_background(lambda: service.of_person(card), done, lambda _e: done(None))
            return
        self.busy = False
        self.line(_("申请人：{}  {}", card.masked_name, card.masked_id_number), "title")
        if apps is None:
            self.line(_("网络暂时不可用，无法查询办理进度，请稍后再试。"))
        elif not apps:
            self.line(_("没有查到您的办件记录。"))
        for app in apps or []:              # one block each: a gap, its heading line in bold,
            self.ids.body.add_widget(Widget(size_hint_y=None, height=dp(20)))  # its 补打 last
            for number, text in enumerate(application_lines_zh(app)):
                self.line(_(text), bold=number == 0)
            status = self.line("")
            self.action(_("补打受理回执"), partial(self._reprint, card, app, status),
                        primary=False, where="body")
        self.action(_("完成，退出"), lambda: self.nav.finish("query-done"),
                    _("清除您的信息并返回首页"))

    def update(self, values: Mapping[str, object]) -> None:
        if "reprinted" in values:         # the list stays; the slip's status line says the rest
            return
        self.show(values)

    def _reprint(self, card: Any, app: dict[str, Any], status: KioskLabel) -> None:
        self.nav.send("reprinted", application_no=app.get("application_no", ""))
        _print(self, card, str(app.get("kind", "")), "", app, status)


SCREENS = {"application_choose": ApplicationChooseScreen,
           "application_guide": ApplicationGuideScreen,
           "application_checks": ApplicationChecksScreen, "hardship_check": HardshipCheckScreen,
           "application_form": ApplicationFormScreen,
           "application_review": ApplicationReviewScreen,
           "application_done": ApplicationDoneScreen, "application_query": ApplicationQueryScreen}
