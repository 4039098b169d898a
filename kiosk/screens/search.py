"""找工作 (vacancy search, no card needed): pinyin keyboard with Chinese candidates, filter
groups, and a results list that scrolls through thousands of vacancies.

Searching runs off the UI thread (``run_in_background``): typing is debounced by
``SEARCH_DEBOUNCE_S``; each search carries a sequence number so a slow, older answer never
replaces a newer one; the list loads ``PAGE_SIZE`` rows at a time as it is scrolled. When the
platform cannot be reached the banner says the catalog's update time (offline catalog).
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.search_filters import ANY, build_filters, filter_groups, offline_since
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _
from kiosk.ui.pinyin_keyboard import PinyinKeyboard  # noqa: F401  (kv rule)
from kiosk.ui.vacancy_list import row_data
from kiosk.ui.widgets import Chip

logger = logging.getLogger(__name__)

load_kv(__file__)

PAGE_SIZE = 60
SEARCH_DEBOUNCE_S = 0.35


class SearchScreen(KioskScreen):
    prompt_key = "search"
    query_text = StringProperty("")
    composing_text = StringProperty("")
    status_text = StringProperty("")
    offline_text = StringProperty("")
    empty_hint = StringProperty("")
    searching = BooleanProperty(False)
    total = NumericProperty(-1)
    #: "keyboard" or a filter group key: what the panel under the tabs shows
    panel = StringProperty("keyboard")
    #: group key → label of the chosen option ("不限" when none)
    chosen_labels = DictProperty({})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._seq = 0
        self._chosen: dict[str, int] = {}
        self._groups: tuple = ()
        self._hits: dict[str, Any] = {}
        self._query = ""
        self._loading_more = False
        self._vocab: Any = None
        self._debounce = Clock.create_trigger(lambda _dt: self.search(), SEARCH_DEBOUNCE_S)

    # ---- lifecycle ----------------------------------------------------------------------
    def on_services(self, _screen: Any, services: Any) -> None:
        if services is None:
            return
        self._groups = filter_groups(services.settings.station.division_code)
        self.chosen_labels = {g.key: ANY for g in self._groups}

    def on_kv_post(self, _base: Any) -> None:
        keyboard = self.ids.keyboard
        keyboard.bind(on_query=self._on_query, on_search=lambda *_: self.search())
        keyboard.bind(text=self._show_query, composing=self._show_query)

    def on_pre_enter(self, *_args: Any) -> None:
        self.ids.keyboard.candidates_source = self._candidates
        # Built once from the whole catalog (seconds for 100,000 rows): never on the UI thread.
        run_in_background(self.services.vocabulary, self._vocabulary_ready)
        if self.total < 0:
            self.search()

    def _candidates(self, typed: str, limit: int) -> list[str]:
        return self._vocab.candidates(typed, limit) if self._vocab is not None else []

    def _vocabulary_ready(self, vocabulary: Any) -> None:
        self._vocab = vocabulary
        keyboard = self.ids.keyboard
        if keyboard.composing and not keyboard.candidates:
            keyboard.candidates = self._candidates(keyboard.composing, 40)

    def wipe(self) -> None:
        self._seq += 1
        self._debounce.cancel()
        if "keyboard" in self.ids:
            self.ids.keyboard.text = ""
            self.ids.keyboard.composing = ""
            self.ids.keyboard.candidates = []
            self.ids.results.data = []
            self.ids.results.scroll_y = 1
        self._chosen.clear()
        self._hits.clear()
        self.chosen_labels = {g.key: ANY for g in self._groups}
        self.query_text = self.composing_text = self.status_text = self.empty_hint = ""
        self.offline_text = ""
        self.panel = "keyboard"
        self.total = -1
        self.searching = False

    # ---- typing and filters -------------------------------------------------------------
    def _show_query(self, keyboard: PinyinKeyboard, _value: str) -> None:
        self.query_text = keyboard.text
        self.composing_text = keyboard.composing

    def _on_query(self, _keyboard: PinyinKeyboard) -> None:
        self._debounce()

    def show_panel(self, key: str) -> None:
        """Show the keyboard ("keyboard") or a filter group's options in the panel."""
        self.panel = key
        if key == "keyboard":
            return
        group = next(g for g in self._groups if g.key == key)
        box = self.ids.options
        box.clear_widgets()
        chosen = self._chosen.get(key, 0)
        for index, option in enumerate(group.options):
            chip = Chip(value=_(option.label), selected=index == chosen)
            chip.bind(on_release=lambda _c, i=index: self.choose(key, i))
            box.add_widget(chip)

    def group_title(self, key: str) -> str:
        group = next((g for g in self._groups if g.key == key), None)
        return _(group.title) if group is not None else ""

    def choose(self, key: str, index: int) -> None:
        """Pick option ``index`` of filter group ``key`` and search again."""
        group = next(g for g in self._groups if g.key == key)
        if index:
            self._chosen[key] = index
        else:
            self._chosen.pop(key, None)
        self.chosen_labels[key] = group.options[index].label
        self.show_panel(key)
        self.search()

    def clear_filters(self) -> None:
        self._chosen.clear()
        self.chosen_labels = {g.key: ANY for g in self._groups}
        self.panel = "keyboard"
        self.search()

    # ---- searching ----------------------------------------------------------------------
    def search(self) -> None:
        """Search for what was typed with the chosen filters (first page)."""
        if self.services is None or self.services.catalog is None:
            return
        self._debounce.cancel()
        self._seq += 1
        seq = self._seq
        query = self.ids.keyboard.query()
        filters = build_filters(self._groups, self._chosen)
        origin = self._origin()
        catalog = self.services.catalog
        self._query = query
        self.searching = True
        self.status_text = _("正在搜索…")

        def work() -> tuple[Any, str | None]:
            result = catalog.search(query, filters, limit=PAGE_SIZE, offset=0, origin=origin)
            return result, offline_since(self.services)

        run_in_background(work, lambda value: self._show(seq, *value),
                          lambda exc: self._failed(seq, exc))

    def _origin(self) -> tuple[float, float] | None:
        station = self.services.settings.station
        if station.latitude or station.longitude:
            return (station.latitude, station.longitude)
        return None

    def _show(self, seq: int, result: Any, synced: str | None) -> None:
        if seq != self._seq:
            return
        self.searching = False
        self.offline_text = _("离线服务中，岗位信息更新于 {}", _(synced)) if synced else ""
        self.total = result.total
        self._hits = {hit.vacancy.id: hit for hit in result.items}
        self.ids.results.data = [row_data(h.vacancy, h.distance_km, h.posting_age_days)
                                 for h in result.items]
        self.ids.results.scroll_y = 1
        self.status_text = _("共找到 {} 个岗位", result.total) if result.total else ""
        self.empty_hint = "" if result.total else self._widen_hint()

    def _widen_hint(self) -> str:
        tips = []
        if self._query:
            tips.append(_("少输入几个字，或换一个说法（如\u201c保洁\u201d\u201c司机\u201d）"))
        if self._chosen:
            tips.append(_("减少筛选条件：点\u201c清除筛选\u201d"))
        if not tips:
            tips.append(_("岗位信息暂未同步，请稍后再试或咨询工作人员"))
        return _("没有找到符合条件的岗位。可以试试：") + "\n" + "\n".join("· " + t for t in tips)

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        logger.warning("vacancy search failed: %s", type(exc).__name__)
        self.searching = False
        self.total = 0
        self.ids.results.data = []
        self.status_text = ""
        self.empty_hint = _("搜索暂时无法使用，请点\u201c搜索\u201d重试，或咨询驿站工作人员")

    def load_more(self) -> None:
        """The list reached its end: fetch the next page (one at a time)."""
        rows = self.ids.results.data
        if self._loading_more or self.searching or len(rows) >= max(self.total, 0):
            return
        self._loading_more = True
        seq, offset = self._seq, len(rows)
        query, filters = self._query, build_filters(self._groups, self._chosen)
        catalog, origin = self.services.catalog, self._origin()

        def done(result: Any) -> None:
            self._loading_more = False
            if seq != self._seq:
                return
            self._hits.update({hit.vacancy.id: hit for hit in result.items})
            self.ids.results.data.extend(row_data(h.vacancy, h.distance_km, h.posting_age_days)
                                         for h in result.items)

        def failed(exc: BaseException) -> None:
            self._loading_more = False
            logger.warning("next page failed: %s", type(exc).__name__)

        run_in_background(lambda: catalog.search(query, filters, limit=PAGE_SIZE, offset=offset,
                                                 origin=origin), done, failed)

    def open_vacancy(self, vacancy_id: str) -> None:
        hit = self._hits.get(vacancy_id)
        if hit is None:
            return
        self.nav.go("vacancy_detail", vacancy=hit.vacancy, distance_km=hit.distance_km,
                    age_days=hit.posting_age_days)


SCREENS = {"search": SearchScreen}
