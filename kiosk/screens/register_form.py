"""求职登记 form, pick-first, one question per step (fewer choices per page in 长辈模式).

Steps (:data:`STEPS`): phone (numeric keypad) → education (GB/T 4658 groups) → occupation
(everyday job names first — 保洁员, 保安员, 普工 … in groups with a pictogram each, every one
mapped to its 职业分类大典 middle code; the 79 official categories one tap away; pinyin search
over names, synonyms and official names on a letter keypad; up to 5) → division
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

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.domain.codes import everyday_jobs
from kiosk.domain.codes.key_groups import KEY_GROUPS
from kiosk.domain.identity_card import IdentityCard
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.registration_form import (AVAILABILITY_CHOICES, EDUCATION_CHOICES,
                                              EMPLOYMENT_CHOICES, MAX_OCCUPATIONS, SALARY_CHOICES,
                                              PREVIOUS_PHONE, FormError, OccupationChoice,
                                              everyday_groups, format_phone_entry,
                                              occupation_choice, occupation_codes,
                                              occupation_picks, official_choices,
                                              search_occupations, toggle_limited, validate_phone)
from kiosk.ui.background import run_in_background
from kiosk.ui.choice_tile import ChoiceTile, TileGrid
from kiosk.ui.i18n import _, current_language
from kiosk.ui.job_pictogram import JobGroupHeader

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
    occupation_picks = ListProperty([])   # desired_jobs values: everyday job ids or 大典 codes
    browse_official = BooleanProperty(False)  # the 79 official categories instead of the groups
    job_cols = NumericProperty(3)              # (set in kv: fewer in 长辈模式)
    category_cols = NumericProperty(2)
    prompt_key = "register_form"
    asks_before_leaving = True   # 首页 asks 继续填写 / 退出并清除 first

    def __init__(self, **kwargs: Any) -> None:
        self._draft: dict[str, Any] = {}
        self._token = ""
        # the 职业 step's kept lists ("browse", "official": (language, view)) and search tiles
        self._views: dict[str, tuple[str, BoxLayout]] = {}
        self._pool: dict[str, ChoiceTile] = {}
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
        if "browse" not in self._views:   # build the 职业 list while the platform is asked
            Clock.schedule_once(lambda _dt: self._list_view("browse"), 0)
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
            self.occupation_picks = occupation_picks(form)
            self.search_text = ""
            self.browse_official = False
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
        """Show the 职业 list: the everyday groups (nothing typed), the official categories
        (after 查看全部), or what the search found — everyday jobs first, then categories.

        The two long lists (84 and 80 widgets) are built once per language and kept (building
        them takes a few hundred ms); search results reuse one tile per value.
        """
        holder = self.ids.occupation_list
        holder.clear_widgets()
        views = []
        if self.search_text:
            views.append(self._search_view(self.search_text))
        else:
            if not self.browse_official:
                views.extend(self._earlier_view())
            views.append(self._list_view("official" if self.browse_official else "browse"))
        for view in views:
            for tile in self._tiles_in(view):
                tile.selected = tile.value in self.occupation_picks
            holder.add_widget(view)
        self.ids.occupation_scroll.scroll_y = 1

    def _earlier_view(self) -> list[BoxLayout]:
        """Categories already picked (an earlier registration's answers come back as 大典
        codes, not as everyday jobs): shown ticked above the groups, so they can be seen and
        unticked. Built when the list is shown, not when a tile is ticked (nothing moves)."""
        codes = [v for v in self.occupation_picks if v not in everyday_jobs.BY_ID]
        if not codes:
            return []
        view = self._new_view()
        self._section(view, "official", _("已选的职业分类"),
                      [self._pooled(occupation_choice(code)) for code in codes], "categories")
        return [view]

    def _new_view(self) -> BoxLayout:
        view = BoxLayout(orientation="vertical", size_hint_y=None, spacing=dp(12))
        view.bind(minimum_height=view.setter("height"))
        return view

    def _list_view(self, name: str) -> BoxLayout:
        language = current_language()
        cached = self._views.get(name)
        if cached is not None and cached[0] == language:
            return cached[1]
        view = self._new_view()
        if name == "official":
            back = ChoiceTile(caption=_("‹ 返回常见工作"), value="", kind="back")
            back.bind(on_release=lambda _tile: self.show_official(False))
            self._section(view, "official", _("国家职业分类（2022年版）"),
                          [back, *map(self._tile, official_choices())], "categories")
        else:
            english = language == "en"
            for group, zh, en, jobs in everyday_groups():
                self._section(view, group, en if english else _(zh), [self._tile(c) for c in jobs],
                              "jobs")
            more = ChoiceTile(caption=_("查看全部国家职业分类"), value="", kind="open")
            more.bind(on_release=lambda _tile: self.show_official(True))
            self._section(view, "official", _("没有您的工作？"), [more], "categories")
        self._views[name] = (language, view)
        return view

    def _search_view(self, query: str) -> BoxLayout:
        view = self._new_view()
        found = search_occupations(query)
        jobs = [self._pooled(c) for c in found if not c.official]
        categories = [self._pooled(c) for c in found if c.official]
        if jobs:
            self._section(view, "found", _("找到的工作"), jobs, "jobs")
        if categories:
            self._section(view, "official", _("国家职业分类"), categories, "categories")
        if not found:
            view.add_widget(Factory.KioskLabel(
                text=_("没有找到“{0}”。请换个拼音试试，或点“清空”看常见工作。", query.upper())))
        return view

    def _caption(self, choice: OccupationChoice) -> str:
        if current_language() == "en":
            return choice.name_en or _(choice.name)
        # found by a synonym: say which ("保安员（门卫）")
        return choice.name + (f"（{choice.matched}）" if choice.matched else "")

    def _tile(self, choice: OccupationChoice) -> ChoiceTile:
        tile = ChoiceTile(caption=self._caption(choice), value=choice.value)
        tile.bind(on_release=self._pick_occupation)
        return tile

    def _pooled(self, choice: OccupationChoice) -> ChoiceTile:
        tile = self._pool.get(choice.value)
        if tile is None:
            tile = self._pool[choice.value] = self._tile(choice)
        elif tile.parent is not None:
            tile.parent.remove_widget(tile)
        tile.caption = self._caption(choice)
        return tile

    def _section(self, view: BoxLayout, group: str, title: str, tiles: list[ChoiceTile],
                 kind: str) -> None:
        view.add_widget(JobGroupHeader(group=group, title=title))
        grid = TileGrid(cols=self.job_cols if kind == "jobs" else self.category_cols,
                        spacing=dp(12))
        grid.tile_kind = kind
        for tile in tiles:
            grid.add_widget(tile)
        view.add_widget(grid)

    @staticmethod
    def _tiles_in(view: Any) -> list[ChoiceTile]:
        return [tile for grid in reversed(view.children) if isinstance(grid, TileGrid)
                for tile in grid.tiles()]

    def _grids(self) -> list[TileGrid]:
        views = [v for _lang, v in self._views.values()] + list(self.ids.occupation_list.children)
        return [g for view in dict.fromkeys(views) for g in view.children if isinstance(g, TileGrid)]

    def on_job_cols(self, _screen: Any, cols: int) -> None:
        for grid in self._grids():
            if grid.tile_kind == "jobs":
                grid.cols = cols

    def on_category_cols(self, _screen: Any, cols: int) -> None:
        for grid in self._grids():
            if grid.tile_kind == "categories":
                grid.cols = cols

    def occupation_tiles(self) -> list[ChoiceTile]:
        """The tiles shown on the 职业 step, in reading order."""
        return [tile for view in reversed(self.ids.occupation_list.children)
                for tile in self._tiles_in(view)]

    def show_official(self, official: bool) -> None:
        self.browse_official = official
        self._refresh_occupations()

    def _pick_occupation(self, tile: ChoiceTile) -> None:
        try:
            self.occupation_picks = toggle_limited(list(self.occupation_picks), tile.value,
                                                   MAX_OCCUPATIONS)
        except FormError as exc:
            self.error_text = _(exc.message_zh)
            return
        self.error_text = ""
        for shown in self.occupation_tiles():   # 常见工作 repeats a tile of its group
            if shown.value == tile.value:
                shown.selected = tile.value in self.occupation_picks
        form = self._form()
        form["desired_jobs"] = list(self.occupation_picks)
        form["desired_occupations"] = occupation_codes(list(self.occupation_picks))

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
        self.browse_official = False
        for tile in [*self._pool.values(), *(t for _lang, view in self._views.values()
                                            for t in self._tiles_in(view))]:
            tile.selected = False          # the kept lists show nobody's picks
        for grid in ("education_tiles", "occupation_list", "salary_tiles", "type_tiles",
                     "availability_tiles", "group_tiles"):
            self.ids[grid].clear_widgets()
        self.ids.division_picker.reset()
        self.ids.steps.current = "checking"


SCREENS = {"register_form": RegisterFormScreen}
