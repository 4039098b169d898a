"""The scrolling vacancy list of search results and matches: a ``RecycleView`` of
:class:`VacancyRow` views (only the rows on screen exist as widgets, so thousands of results
scroll smoothly).

Row data (one dict per vacancy, public vacancy data only) is made by :func:`row_data`:
``vacancy_id``, ``title``, ``employer``, ``meta`` (district · pay · posting age · distance) and
``reasons`` (match reasons, "" in search). A list ``with_reasons`` gives each row the
height its reasons need at the list's width (``row_size``; the reasons wrap by the
line-breaking rule and are never cut). ``VacancyList`` dispatches ``on_open(vacancy_id)``
when a row is tapped and ``on_near_end()`` when the list is scrolled to its last screenful
(load the next page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview import RecycleView
from kivy.uix.recycleview.views import RecycleDataViewBehavior

from kiosk.ui.i18n import _, current_language
from kiosk.ui.line_break import LineBreakingLabel, laid_out_block  # noqa: F401  (kv rule)


def age_text(days: int | None) -> str:
    """"今天发布", "3天前发布", "" when unknown (negative ages count as today); one day has
    its own message (English "posted 1 day ago", not "1 days")."""
    if days is None:
        return ""
    if days == 1:
        return _("1天前发布")
    return _("今天发布") if days <= 0 else _("{}天前发布", days)


def distance_text(km: float | None) -> str:
    """"距驿站850米" under 1 km, "距驿站3.2公里" otherwise, "" when unknown."""
    if km is None:
        return ""
    if km < 1:
        return _("距驿站{}米", int(round(km * 1000, -1)))
    return _("距驿站{}公里", f"{km:.1f}")


def row_data(vacancy: Any, distance_km: float | None = None, age_days: int | None = None,
             reasons: str = "", reason_list: list[str] | None = None,
             separator: str = "") -> dict[str, Any]:
    """The RecycleView dict for one vacancy (``kiosk.domain.vacancy.Vacancy``); ``reasons`` is
    the reasons' text, ``reason_list`` the same as phrases (each kept whole on a line when it
    fits) joined by ``separator``."""
    place = vacancy.district or vacancy.city
    parts = [p for p in (place, vacancy.salary_text(current_language()), age_text(age_days),
                         distance_text(distance_km)) if p]
    row = {"vacancy_id": vacancy.id, "title": vacancy.title, "employer": vacancy.employer,
           "meta": " · ".join(parts), "reasons": reasons, "reasons_shown": reasons}
    if reason_list:
        row["reason_list"], row["separator"] = list(reason_list), separator
    return row


class VacancyRow(RecycleDataViewBehavior, ButtonBehavior, BoxLayout):
    vacancy_id = StringProperty("")
    title = StringProperty("")
    employer = StringProperty("")
    meta = StringProperty("")
    reasons = StringProperty("")
    reasons_shown = StringProperty("")     # the reasons as laid out (``\n`` at each break)
    list_view = ObjectProperty(None, allownone=True)

    def refresh_view_attrs(self, rv: RecycleView, index: int, data: dict[str, Any]) -> None:
        self.list_view = rv
        super().refresh_view_attrs(rv, index, data)

    def on_release(self) -> None:
        if self.list_view is not None and self.vacancy_id:
            self.list_view.dispatch("on_open", self.vacancy_id)


class VacancyList(RecycleView):
    #: rows show their match reasons below the other lines (each row as tall as they need)
    with_reasons = BooleanProperty(False)
    #: px: the reasons' font size, a row's height without reasons, the reasons' line width
    reasons_font_size = NumericProperty(20)
    row_base_height = NumericProperty(0)
    reasons_width = NumericProperty(0)

    __events__ = ("on_open", "on_near_end")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(scroll_y=self._check_end)
        self._sized_for: tuple[float, float, float] | None = None
        self.fbind("data", self._size_rows)
        for name in ("reasons_font_size", "row_base_height", "reasons_width"):
            self.fbind(name, self._size_rows)

    def _size_rows(self, *_args: Any) -> None:
        """Each row's height: the fixed lines plus its reasons broken at the list's width."""
        if not self.with_reasons or self.reasons_width <= 0 or not self.data:
            return
        key = (float(self.reasons_width), float(self.reasons_font_size), float(self.row_base_height))
        if self._sized_for == key and all("row_size" in d for d in self.data):
            return
        self._sized_for = key
        for item in self.data:
            reasons = item.get("reasons", "")
            shown, height = laid_out_block(reasons, self.reasons_width, item.get("reason_list"),
                                           item.get("separator", ""), font_size=self.reasons_font_size)
            item["reasons_shown"] = shown
            item["row_size"] = (None, self.row_base_height + (height + 4 if reasons else 0))
        self.refresh_from_data()

    def _check_end(self, *_args: Any) -> None:
        # scroll_y is 1 at the top and 0 at the bottom; ask for more within the last screenful.
        content = self.children[0].height if self.children else 0
        if self.data and content > self.height and self.scroll_y * (content - self.height) \
                < self.height:
            self.dispatch("on_near_end")

    def on_open(self, vacancy_id: str) -> None:
        pass

    def on_near_end(self) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
