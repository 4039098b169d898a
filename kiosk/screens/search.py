"""找工作 (vacancy search, no card needed): pinyin keyboard with Chinese candidates, filter
groups, and a results list that scrolls through thousands of vacancies.

Live search (issue 23): every keystroke submits the query at once — no fixed debounce — to a
:class:`~kiosk.services.catalog.LatestSearch` worker; while a search runs, newer keystrokes
replace the one waiting and a result is drawn only if no newer query was typed meanwhile
(stale searches are dropped, never waited for). The list loads ``PAGE_SIZE`` rows at a time as
it is scrolled. When the platform cannot be reached the banner says the catalog's update time
(offline catalog).

Issue 17 item 3: each filter tile shows the option chosen (``tab_subtitle``); the 区域 panel
offers the station city's districts and all 21 cities; results are ordered by relevance, then
distance from the station, and show the distance; 搜索 (or tapping the open tab again) folds
the keyboard away so the results take the screen — tapping the query field brings it back.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.catalog import LatestSearch
from kiosk.services.search_filters import ANY, build_filters, filter_groups, offline_since
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _
from kiosk.ui.pinyin_keyboard import PinyinKeyboard  # noqa: F401  (kv rule)
from kiosk.ui.vacancy_list import row_data
from kiosk.ui.widgets import Chip, KioskLabel

logger = logging.getLogger(__name__)

load_kv(__file__)

PAGE_SIZE = 60
#: Seconds the UI thread waits for a just-submitted search before drawing the frame: a search
#: takes milliseconds, so its results come in the same frame as the keystroke (one software
#: redraw of the screen instead of two). Not a debounce: nothing is delayed beyond this, a
#: slower search is simply drawn in a later frame, and stale ones are still dropped.
SAME_FRAME_WAIT_S = 0.03
#: ``panel`` when nothing is open under the tabs (the keyboard folded away)
FOLDED = ""


class SearchScreen(KioskScreen):
    prompt_key = "search"
    query_text = StringProperty("")
    composing_text = StringProperty("")
    status_text = StringProperty("")
    offline_text = StringProperty("")
    empty_hint = StringProperty("")
    searching = BooleanProperty(False)
    total = NumericProperty(-1)
    #: "keyboard", a filter group key, or FOLDED (""): what the panel under the tabs shows
    panel = StringProperty("keyboard")
    #: group key → label of the chosen option ("不限" when none); replaced, never mutated, so
    #: the tiles bound to it redraw
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
        self._live: LatestSearch | None = None
        #: the query whose results are on screen (what the live search last drew)
        self.shown_query = ""

    # ---- lifecycle ----------------------------------------------------------------------
    def on_services(self, _screen: Any, services: Any) -> None:
        if services is None:
            return
        self._groups = filter_groups(services.settings.station.division_code)
        self.chosen_labels = {g.key: ANY for g in self._groups}

    def on_kv_post(self, _base: Any) -> None:
        keyboard = self.ids.keyboard
        keyboard.bind(on_query=self._on_query, on_search=lambda *_: self.search_pressed())
        keyboard.bind(text=self._show_query, composing=self._show_query)

    def on_pre_enter(self, *_args: Any) -> None:
        self.ids.keyboard.candidates_source = self._candidates
        # Built once from the whole catalog (seconds for 100,000 rows): never on the UI thread.
        run_in_background(self.services.vocabulary, self._vocabulary_ready)
        self._check_offline()
        if self.total < 0:
            self.search()

    def tab_subtitle(self, key: str, chosen: dict[str, str], _language: str = "") -> str:
        """What a filter tile says under its title: the chosen option ("天河区", "5000元以上")
        or 不限 (``chosen`` is :attr:`chosen_labels`, passed so kv redraws on a change)."""
        return _(chosen.get(key, ANY))

    def _candidates(self, typed: str, limit: int) -> list[str]:
        return self._vocab.candidates(typed, limit) if self._vocab is not None else []

    def _vocabulary_ready(self, vocabulary: Any) -> None:
        self._vocab = vocabulary
        keyboard = self.ids.keyboard
        if keyboard.composing and not keyboard.candidates:
            keyboard.candidates = self._candidates(keyboard.composing, 40)

    def wipe(self) -> None:
        self._seq += 1
        if self._live is not None:
            self._live.cancel()
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
        self.offline_text = self.shown_query = ""
        self.panel = "keyboard"
        self.total = -1
        self.searching = False

    # ---- typing and filters -------------------------------------------------------------
    def _show_query(self, keyboard: PinyinKeyboard, _value: str) -> None:
        self.query_text = keyboard.text
        self.composing_text = keyboard.composing

    def _on_query(self, _keyboard: PinyinKeyboard) -> None:
        self.search()   # every keystroke, at once: the live search drops what went stale

    def search_pressed(self) -> None:
        """The keyboard's 搜索 key: search now and fold the keyboard away (more results show)."""
        self.panel = FOLDED
        self._check_offline()
        self.search()

    def toggle_panel(self, key: str) -> None:
        """A tab was tapped: open its panel, or fold it away when it is the one open."""
        self.show_panel(FOLDED if self.panel == key else key)

    def show_panel(self, key: str) -> None:
        """Show the keyboard ("keyboard"), a filter group's options, or nothing (FOLDED)."""
        self.panel = key
        if key in ("keyboard", FOLDED):
            return
        group = next(g for g in self._groups if g.key == key)
        box = self.ids.options
        box.clear_widgets()
        chosen = self._chosen.get(key, 0)
        for index, option in enumerate(group.options):
            if option.section:
                box.add_widget(KioskLabel(text=_(option.section), role="body", bold=True,
                                          size_hint_x=1))
            chip = Chip(value=_(option.label), selected=index == chosen)
            chip.bind(on_release=lambda _c, i=index: self.choose(key, i))
            box.add_widget(chip)
        self.ids.options_scroll.scroll_y = 1

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
        self.chosen_labels = {**self.chosen_labels, key: group.options[index].label}
        for chip in self.ids.options.children:
            if isinstance(chip, Chip):
                chip.selected = chip.value == _(group.options[index].label)
        self.search()

    def clear_filters(self) -> None:
        self._chosen.clear()
        self.chosen_labels = {g.key: ANY for g in self._groups}
        self.panel = "keyboard"
        self.search()

    # ---- searching ----------------------------------------------------------------------
    def search(self) -> None:
        """Search for what was typed with the chosen filters (first page), on the live-search
        worker: returns at once; a newer call makes this one's result stale (never drawn)."""
        if self.services is None or self.services.catalog is None:
            return
        query = self.ids.keyboard.query()
        filters = build_filters(self._groups, self._chosen)
        if self._live is None:
            self._live = LatestSearch(self.services.catalog.search, self._result_arrived,
                                      self._error_arrived)
        self._query = query
        self.searching = True
        if self.total < 0:
            self.status_text = _("正在搜索…")
        self._seq = self._live.submit(query, filters, limit=PAGE_SIZE, offset=0,
                                      origin=self._origin())
        self._live.wait_idle(SAME_FRAME_WAIT_S)

    def _result_arrived(self, generation: int, result: Any) -> None:
        """Worker thread: hand the result to the UI thread (drawn in the next frame)."""
        Clock.schedule_once(lambda _dt: self._show(generation, result), -1)

    def _error_arrived(self, generation: int, exc: BaseException) -> None:
        Clock.schedule_once(lambda _dt: self._failed(generation, exc), -1)

    def _check_offline(self) -> None:
        """The offline banner (reads the outbox: off the UI thread; on entry and on 搜索)."""
        services = self.services
        if services is None:
            return

        def show(synced: str | None) -> None:
            self.offline_text = _("离线服务中，岗位信息更新于 {}", _(synced)) if synced else ""

        run_in_background(lambda: offline_since(services), show,
                          lambda exc: logger.warning("offline check failed: %s",
                                                     type(exc).__name__))

    def _origin(self) -> tuple[float, float] | None:
        station = self.services.settings.station
        if station.latitude or station.longitude:
            return (station.latitude, station.longitude)
        return None

    def _show(self, seq: int, result: Any) -> None:
        if seq != self._seq:
            return
        self.searching = False
        self.shown_query = self._query
        self.total = result.total
        self._hits = {hit.vacancy.id: hit for hit in result.items}
        self.ids.results.data = [row_data(h.vacancy, h.distance_km, h.posting_age_days)
                                 for h in result.items]
        self.ids.results.scroll_y = 1
        self.status_text = (_("共找到 {}+ 个岗位", result.total) if result.total_capped else
                            _("共找到 {} 个岗位", result.total)) if result.total else ""
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
