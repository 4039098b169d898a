"""求职登记 form, pick-first, one question per step (fewer choices per page in 长辈模式).

Steps (:data:`STEPS`): phone (numeric keypad) → education (GB/T 4658 groups) → occupation
(职业分类大典 middle categories, pinyin-initial search on a letter keypad, up to 5) → division
(city → district → town, up to 5) → terms (monthly salary band, 全职/兼职/灵活就业, 到岗时间) →
groups (重点群体, optional, sensitive) → the review screen. Before the first step the platform
is asked whether this person registered before (in the background); if so the
``register_existing`` screen offers an update instead of a second record.

Values: ``card``, ``form`` (this session's registration draft, owned by the journey: the
values picked go straight into it — keys and codes in :mod:`kiosk.services.registration_form`;
the screen keeps no copy), ``lookup_done`` and optionally ``step`` (open that step: 修改 on the
review, 更新登记). The lookup's answer goes to the engine (``nav.send("looked_up", …)``), which
shows 已登记 when the platform knows this person; the last step's 下一步 is ``nav.next()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kivy.properties import ListProperty, StringProperty

from kiosk.domain.codes.key_groups import KEY_GROUPS
from kiosk.domain.identity_card import IdentityCard
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.registration_form import (AVAILABILITY_CHOICES, EDUCATION_CHOICES,
                                              EMPLOYMENT_CHOICES, MAX_OCCUPATIONS, SALARY_CHOICES,
                                              PREVIOUS_PHONE, FormError, format_phone_entry,
                                              search_occupations, toggle_limited, validate_phone)
from kiosk.ui.background import run_in_background
from kiosk.ui.choice_tile import ChoiceTile
from kiosk.ui.i18n import _

import kiosk.ui.division_picker  # noqa: F401,E402  (kv rules used by register_form.kv)
import kiosk.ui.keypad  # noqa: F401,E402

load_kv(__file__)

STEPS = ("phone", "education", "occupation", "division", "terms", "groups")


class RegisterFormScreen(KioskScreen):
    step = StringProperty("checking")
    phone_digits = StringProperty("")
    search_text = StringProperty("")
    error_text = StringProperty("")
    identity_line = StringProperty("")
    previous_phone = StringProperty("")     # 更新登记: the earlier phone, masked (a hint only)
    occupation_picks = ListProperty([])
    prompt_key = "register_form"
    asks_before_leaving = True   # 首页 asks 继续填写 / 退出并清除 first

    def __init__(self, **kwargs: Any) -> None:
        self._draft: dict[str, Any] = {}
        self._token = ""
        super().__init__(**kwargs)

    # ---- helpers ------------------------------------------------------------------------
    def _form(self) -> dict[str, Any]:
        return self._draft

    def step_number(self, step: str) -> str:
        return _("第{0}步，共{1}步", STEPS.index(step) + 1, len(STEPS)) if step in STEPS else ""

    # ---- entering: the lookup ---------------------------------------------------------------
    def show(self, values: Mapping[str, object]) -> None:
        card = values.get("card")
        form = values.get("form")
        if not isinstance(card, IdentityCard) or not isinstance(form, dict):
            return
        self._draft = form
        self.identity_line = _("{0}    证件号 {1}", card.masked_name, card.masked_id_number)
        step = values.get("step")
        if isinstance(step, str) and step in STEPS:
            self.show_step(step)
            return
        if values.get("lookup_done"):
            if self.step == "checking":
                self.show_step("phone")
            return
        self.step = "checking"
        self.ids.steps.current = "checking"
        token = self._token = uuid.uuid4().hex
        registration = self.services.registration
        run_in_background(lambda: registration.lookup(card),
                          lambda result: self._on_lookup(token, result),
                          lambda _exc: self._on_lookup(token, None))

    def update(self, values: Mapping[str, object]) -> None:
        step = values.get("step")
        if isinstance(step, str) and step in STEPS:
            self.show_step(step)

    def _on_lookup(self, token: str, result: Any) -> None:
        if token != self._token:
            return  # the person left while the platform was asked
        registered = result is not None and bool(result.registered)
        self.nav.send("looked_up", registered=registered,
                      registration_no=(result.registration_no or "") if registered else "",
                      answers=getattr(result, "answers", None) if registered else None)

    # ---- steps --------------------------------------------------------------------------
    def show_step(self, step: str) -> None:
        self.error_text = ""
        form = self._form()
        if step == "phone":
            self.phone_digits = form.get("phone", "")
            self.previous_phone = str(form.get(PREVIOUS_PHONE, "") or "")
        elif step == "education":
            self._fill(self.ids.education_tiles, [(c, n) for c, n in EDUCATION_CHOICES],
                       [form.get("education_code", "")], self._pick_education)
        elif step == "occupation":
            self.occupation_picks = list(form.get("desired_occupations", []))
            self._refresh_occupations()
        elif step == "division":
            picker = self.ids.division_picker
            picker.selected = list(form.get("desired_divisions", []))
            picker.level = ""
            picker.rebuild()
        elif step == "terms":
            self._refresh_terms()
        elif step == "groups":
            self._fill(self.ids.group_tiles, list(KEY_GROUPS.items()), form.get("key_groups", []),
                       self._pick_group)
        self.step = step
        self.ids.steps.current = step

    def next_step(self) -> None:
        form = self._form()
        try:
            if self.step == "phone":
                form["phone"] = validate_phone(self.phone_digits)
            elif self.step == "education" and not form.get("education_code"):
                raise FormError("education_code", "请选择您的学历")
            elif self.step == "occupation" and not form.get("desired_occupations"):
                raise FormError("desired_occupations", "请至少选择一个想做的工作")
            elif self.step == "terms":
                form.setdefault("employment_type", "FULL_TIME")
                form.setdefault("availability", "NOW")
        except FormError as exc:
            self.error_text = _(exc.message_zh)
            return
        if self.step == "division":
            form["desired_divisions"] = list(self.ids.division_picker.selected)
        index = STEPS.index(self.step)
        if index + 1 < len(STEPS):
            self.show_step(STEPS[index + 1])
        else:
            self.nav.next()

    def previous_step(self) -> None:
        if self.step == "division":
            self._form()["desired_divisions"] = list(self.ids.division_picker.selected)
        index = STEPS.index(self.step) if self.step in STEPS else 0
        if index > 0:
            self.show_step(STEPS[index - 1])

    def _fill(self, grid: Any, choices: list[tuple[str, str]], selected: list[str],
              on_pick: Any) -> None:
        grid.clear_widgets()
        for code, name in choices:
            tile = ChoiceTile(caption=_(name), value=code, selected=code in selected)
            tile.bind(on_release=on_pick)
            grid.add_widget(tile)

    # ---- phone ---------------------------------------------------------------------------
    def phone_key(self, key: str) -> None:
        self.error_text = ""
        if key == "backspace":
            self.phone_digits = self.phone_digits[:-1]
        elif key == "clear":
            self.phone_digits = ""
        elif len(self.phone_digits) < 11:
            self.phone_digits += key

    def phone_display(self, digits: str) -> str:
        """The digits typed in 3-4-4 groups ("" while none; the display then shows its hint,
        which names where the keypad is: below in portrait, on the right in landscape)."""
        return format_phone_entry(digits)

    # ---- education -----------------------------------------------------------------------
    def _pick_education(self, tile: ChoiceTile) -> None:
        self._form()["education_code"] = tile.value
        for other in self.ids.education_tiles.children:
            other.selected = other is tile
        self.error_text = ""

    # ---- occupations ---------------------------------------------------------------------
    def search_key(self, key: str) -> None:
        if key == "backspace":
            self.search_text = self.search_text[:-1]
        elif key == "clear":
            self.search_text = ""
        elif len(self.search_text) < 12:
            self.search_text += key
        self._refresh_occupations()

    def _refresh_occupations(self) -> None:
        entries = [(e.code, e.name) for e in search_occupations(self.search_text)]
        self._fill(self.ids.occupation_tiles, entries, self.occupation_picks, self._pick_occupation)
        self.ids.occupation_scroll.scroll_y = 1

    def _pick_occupation(self, tile: ChoiceTile) -> None:
        try:
            self.occupation_picks = toggle_limited(list(self.occupation_picks), tile.value,
                                                   MAX_OCCUPATIONS)
        except FormError as exc:
            self.error_text = _(exc.message_zh)
            return
        self.error_text = ""
        tile.selected = tile.value in self.occupation_picks
        self._form()["desired_occupations"] = list(self.occupation_picks)

    # ---- terms and groups ------------------------------------------------------------------
    def _refresh_terms(self) -> None:
        form = self._form()
        salary = f"{form.get('salary_min', 0)}-{form.get('salary_max', 0)}"
        self._fill(self.ids.salary_tiles, [(f"{lo}-{hi}", label) for lo, hi, label in SALARY_CHOICES],
                   [salary], self._pick_salary)
        self._fill(self.ids.type_tiles, list(EMPLOYMENT_CHOICES),
                   [form.get("employment_type", "FULL_TIME")], self._pick_type)
        self._fill(self.ids.availability_tiles, list(AVAILABILITY_CHOICES),
                   [form.get("availability", "NOW")], self._pick_availability)

    def _single(self, grid: Any, tile: ChoiceTile) -> None:
        for other in grid.children:
            other.selected = other is tile

    def _pick_salary(self, tile: ChoiceTile) -> None:
        lo, hi = (int(v) for v in tile.value.split("-"))
        self._form().update(salary_min=lo, salary_max=hi)
        self._single(self.ids.salary_tiles, tile)

    def _pick_type(self, tile: ChoiceTile) -> None:
        self._form()["employment_type"] = tile.value
        self._single(self.ids.type_tiles, tile)

    def _pick_availability(self, tile: ChoiceTile) -> None:
        self._form()["availability"] = tile.value
        self._single(self.ids.availability_tiles, tile)

    def _pick_group(self, tile: ChoiceTile) -> None:
        groups = self._form().setdefault("key_groups", [])
        if tile.value in groups:
            groups.remove(tile.value)
        else:
            groups.append(tile.value)
        tile.selected = tile.value in groups

    def on_division_limit(self, message_zh: str) -> None:
        self.error_text = _(message_zh)

    # ---- card events and wipe ------------------------------------------------------------
    def wipe(self) -> None:
        self._draft = {}
        self._token = ""
        self.step = "checking"
        self.phone_digits = self.search_text = self.error_text = self.identity_line = ""
        self.previous_phone = ""
        self.occupation_picks = []
        for grid in ("education_tiles", "occupation_tiles", "salary_tiles", "type_tiles",
                     "availability_tiles", "group_tiles"):
            self.ids[grid].clear_widgets()
        self.ids.division_picker.reset()
        self.ids.steps.current = "checking"


SCREENS = {"register_form": RegisterFormScreen}
