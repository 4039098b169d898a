"""用工单位/雇主 screens: who is posting (单位 / 个人雇主, 我的发布, 预订招聘会展位), the
统一社会信用代码 on the large code keyboard, the unit's name on the pinyin keyboard, and the
progress query of the handler's postings.

Journey: ``employer`` (:mod:`kiosk.services.journeys.declared.employer`; values documented
there). The ``employer`` screen shows three steps of it (``kind``, ``licence``, ``unit_name``);
the code is checked offline by the journey (``code_entered``) and the reason shown as it comes
back; while typing, a letter that never occurs in a code (I, O, S, V, Z) is pointed out at once.
``employer_progress`` asks ``services.employer.progress`` off the UI thread and sends
``progress_loaded``. Personal data on screen: the handler's masked name and ID number only;
``wipe`` clears them and everything typed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain import credit_code
from kiosk.domain.postings import state_label, work_days_text
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.code_keyboard import MAX_CODE, CodeKeyboard, grouped  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language
from kiosk.ui.pinyin_keyboard import PinyinKeyboard  # noqa: F401  (kv rule)
from kiosk.ui.widgets import KioskLabel

logger = logging.getLogger(__name__)

load_kv(__file__)

STEPS = ("kind", "licence", "unit_name")


def identity_line(card: Any) -> str:
    """``经办人 陈*满  证件号 4401**********1234`` (masked; "" without a card)."""
    if card is None:
        return ""
    return _("经办人 {0}    证件号 {1}", card.masked_name, card.masked_id_number)


class EmployerScreen(KioskScreen):
    step = StringProperty("kind")
    identity_text = StringProperty("")
    code = StringProperty("")
    problem = StringProperty("")
    warnings_text = StringProperty("")
    purpose = StringProperty("posting")
    name_shown = StringProperty("")
    prompt_key = ""

    _names: Any = None    # the unit-name candidates, built once (kiosk.services.employer_names)

    def show(self, values: Mapping[str, object]) -> None:
        step = str(values.get("step", "kind"))
        if step not in STEPS:
            step = "kind"
        self.identity_text = identity_line(values.get("card"))
        self.problem = str(values.get("problem", "") or "")
        if step == "licence":
            self.code = str(values.get("code", "") or "")
            self.purpose = str(values.get("purpose", "posting"))
        elif step == "unit_name":
            warnings = values.get("warnings") or ()
            self.warnings_text = "\n".join(_(w) for w in warnings) if isinstance(
                warnings, (list, tuple)) else ""
            keyboard = self.ids.name_keyboard
            keyboard.clear()
            keyboard.text = str(values.get("name", "") or "")
            self._name_source()
        self.step = step
        self.ids.steps.current = step

    def update(self, values: Mapping[str, object]) -> None:
        """The journey's answer on the same step: ``problem`` (and the normalised ``code``)."""
        if "problem" in values:
            self.problem = str(values.get("problem") or "")
        if "code" in values and self.step == "licence":
            self.code = str(values.get("code") or "")

    # ---- kind ------------------------------------------------------------------------------
    def choose(self, kind: str) -> None:
        self.nav.send("kind_chosen", kind=kind)

    # ---- licence code ------------------------------------------------------------------------
    def code_key(self, key: str) -> None:
        if key == "backspace":
            self.code = self.code[:-1]
        elif key == "clear":
            self.code = ""
        elif len(self.code) < MAX_CODE:
            self.code += key
        bad = next((ch for ch in self.code if ch in credit_code.FORBIDDEN_LETTERS), "")
        self.problem = (credit_code.check_code(self.code).reason or "").split("；")[0] if bad else ""

    def code_shown(self, code: str) -> str:
        return grouped(code) if code else _("请点击下方按键输入")

    def code_count(self, code: str) -> str:
        return _("已输入{0}位（统一社会信用代码18位，旧注册号15位）", len(code))

    def code_done(self) -> None:
        self.nav.send("code_entered", code=self.code)

    # ---- unit name ---------------------------------------------------------------------------
    def _name_source(self) -> None:
        keyboard = self.ids.name_keyboard
        if EmployerScreen._names is not None:
            keyboard.candidates_source = EmployerScreen._names.candidates
            return
        catalog = getattr(self.services, "catalog", None)

        def build() -> Any:
            from kiosk.services.employer_names import name_vocabulary

            return name_vocabulary(catalog.all() if catalog is not None else ())

        def built(vocabulary: Any) -> None:
            EmployerScreen._names = vocabulary
            keyboard.candidates_source = vocabulary.candidates

        run_in_background(build, built,
                          lambda exc: logger.warning("name candidates not built: %s",
                                                     type(exc).__name__))

    def name_changed(self) -> None:
        keyboard = self.ids.name_keyboard
        self.name_shown = keyboard.text.replace(" ", "") + keyboard.composing
        self.problem = ""

    def name_done(self) -> None:
        self.nav.send("name_entered", name=self.ids.name_keyboard.text.replace(" ", ""))

    def wipe(self) -> None:
        self.step = "kind"
        self.identity_text = self.code = self.problem = self.warnings_text = ""
        self.name_shown = ""
        self.purpose = "posting"
        if "name_keyboard" in self.ids:
            self.ids.name_keyboard.clear()
            self.ids.steps.current = "kind"


def status_line(posting: Any, language: str = "zh_CN") -> str:
    """One posting of the progress query: ``ZP-440106-0001  保洁员（零工 12月5日）  已发布``,
    with the reason of a 驳回 and the places left of a published gig (over its open days; a gig
    on several days lists them: 2026-12-02、12-03)."""
    what = posting.title
    if posting.kind == "gig":
        days = list(getattr(posting, "work_dates", None) or [])
        what += _("（零工 {0}）", work_days_text(posting.work_date or "", days,
                                                        count=False))
    parts = [posting.posting_no, what, state_label(posting.status, language)]
    if posting.status == "rejected" and posting.reason:
        parts.append(_("原因：{0}", posting.reason))
    if posting.status == "published" and posting.places_left is not None:
        parts.append(_("余{0}人", posting.places_left))
    return "  ".join(parts)


class EmployerProgressScreen(KioskScreen):
    """我的发布: the handler's postings and their audit states."""

    identity_text = StringProperty("")
    status_text = StringProperty("")
    busy = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        card = values.get("card")
        self.identity_text = identity_line(card)
        postings = values.get("postings")
        if isinstance(postings, list):
            self._list(postings)
            return
        self.ids.posting_list.clear_widgets()
        employer = getattr(self.services, "employer", None)
        if employer is None or card is None:
            self.status_text = _("系统正在启动，请稍候…")
            return
        self.busy = True
        self.status_text = _("正在查询…")
        self._token += 1
        token = self._token
        run_in_background(lambda: employer.progress(card),
                          lambda result: self._loaded(token, result),
                          lambda _e: self._loaded(token, None))

    def update(self, values: Mapping[str, object]) -> None:
        """``postings`` after ``progress_loaded``: already shown."""

    def _loaded(self, token: int, postings: list[Any] | None) -> None:
        if token != self._token:
            return
        self.busy = False
        if postings is None:
            self.status_text = _("暂时无法查询审核进度（网络不可用），请稍后再试")
            return
        self.nav.send("progress_loaded", postings=postings)
        self._list(postings)

    def _list(self, postings: list[Any]) -> None:
        self.busy = False
        box = self.ids.posting_list
        box.clear_widgets()
        language = current_language()
        for posting in postings:
            box.add_widget(KioskLabel(text=status_line(posting, language)))
        self.status_text = (_("共{0}条招聘信息（最新的在前）", len(postings)) if postings
                            else _("您还没有通过身份证发布过招聘信息"))

    def wipe(self) -> None:
        self._token += 1
        self.identity_text = self.status_text = ""
        self.busy = False
        self.ids.posting_list.clear_widgets()


SCREENS = {"employer": EmployerScreen, "employer_progress": EmployerProgressScreen}
