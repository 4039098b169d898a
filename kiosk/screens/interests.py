"""兴趣探索 screens: the intro, one statement at a time, the result.

Driven by :mod:`kiosk.services.journeys.declared.interests` (the values each screen is shown
with are documented there). No identity is asked for; the answers stay in the session.

* ``interest_intro``: what this is (a self-exploration, not a test; answers never sent to
  employers, cleared when the person leaves) and 开始.
* ``interest_item``: the statement in large type, 喜欢 / 说不准 / 不喜欢 as three big buttons,
  the progress (第 n 题 / 共 30 题), 上一题, 跳过 and 结束看结果 (a partial result) at any time.
  With voice on (长辈模式) each statement is read out (``interest_<id>`` prompts).
* ``interest_result``: the top types with their plain explanation, suggested everyday jobs and
  occupation groups, vacancies in those groups (catalog search off the UI thread), 为我推荐 with
  this result, 重新探索, 完成.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.domain.codes.occupations import name_of
from kiosk.domain.interests import InterestItem, InterestResult
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.interests import vacancies_for_interests
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language
from kiosk.ui.vacancy_list import VacancyList, row_data  # noqa: F401

logger = logging.getLogger(__name__)

load_kv(__file__)

RESULT_VACANCIES = 10


def _pick(pair: object) -> str:
    """The (Chinese, English) text in the current language."""
    if not isinstance(pair, tuple) or len(pair) != 2:
        return ""
    return str(pair[1] if current_language() == "en" else pair[0])


class InterestIntroScreen(KioskScreen):
    prompt_key = "interest_intro"
    intro_text = StringProperty("")

    def show(self, values: Mapping[str, object]) -> None:
        self.intro_text = _pick(values.get("intro"))

    def begin(self) -> None:
        self.nav.next()

    def wipe(self) -> None:
        pass  # shows nothing personal


class InterestItemScreen(KioskScreen):
    statement_text = StringProperty("")
    progress_text = StringProperty("")
    progress = NumericProperty(0)
    answer = StringProperty("")
    like_text = StringProperty("")
    unsure_text = StringProperty("")
    dislike_text = StringProperty("")

    def show(self, values: Mapping[str, object]) -> None:
        item = values.get("item")
        if not isinstance(item, InterestItem):
            return
        position, total = values.get("position", 0), values.get("total", 0)
        if not isinstance(position, int) or not isinstance(total, int) or total <= 0:
            return
        self.statement_text = item.en if current_language() == "en" else item.zh
        self.progress_text = _("第 {} 题 / 共 {} 题", position + 1, total)
        self.progress = position / total
        self.answer = str(values.get("answer", "") or "")
        labels = values.get("labels")
        if isinstance(labels, Mapping):
            self.like_text = _pick(labels.get("like"))
            self.unsure_text = _pick(labels.get("unsure"))
            self.dislike_text = _pick(labels.get("dislike"))
        if self.services is not None:
            self.services.voice.say(f"interest_{item.id}")

    def choose(self, answer: str) -> None:
        self.nav.send("answered", answer=answer)

    def skip(self) -> None:
        self.nav.send("skipped")

    def previous(self) -> None:
        self.nav.send("previous")

    def stop(self) -> None:
        self.nav.send("stop")

    def wipe(self) -> None:
        self.statement_text = self.progress_text = self.answer = ""
        self.progress = 0


class InterestResultScreen(KioskScreen):
    prompt_key = "interest_result"
    summary_text = StringProperty("")
    types_text = StringProperty("")
    jobs_text = StringProperty("")
    note_text = StringProperty("")
    vacancies_text = StringProperty("")
    has_top = BooleanProperty(False)
    busy = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._token = ""
        self._found: dict[str, Any] = {}
        super().__init__(**kwargs)

    def show(self, values: Mapping[str, object]) -> None:
        result = values.get("result")
        if not isinstance(result, InterestResult):
            return
        self._token = uuid.uuid4().hex
        en = current_language() == "en"
        types = [t for t in values.get("types", []) or [] if hasattr(t, "code")]  # type: ignore[attr-defined]
        self.has_top = bool(types)
        if result.answered == 0:
            self.summary_text = _("您还没有回答任何题目，所以暂时没有结果。可以点\u201c重新探索\u201d再试一次。")
        elif not types:
            self.summary_text = _("您回答了 {} 题。这些活动里您喜欢的不多，暂时没有明显的兴趣方向。"
                                  "可以和职业指导员聊一聊。", result.answered)
        elif result.partial:
            # short enough for one line at the title size in both orientations ("果。" was
            # left alone on a second line)
            self.summary_text = _("根据您回答的 {} 题（共 {} 题），结果如下：",
                                  result.answered, result.total)
        else:
            self.summary_text = _("您回答了全部 {} 题。您的兴趣方向：", result.total)
        lines = []
        for n, t in enumerate(types, 1):
            name, plain = (t.name_en, t.plain_en) if en else (t.name_zh, t.plain_zh)
            groups = "、".join(name_of(g) for g in t.occupation_groups)
            lines.append(f"{n}.{name}：{plain}\n" + _("职业方向：{}", groups))
        self.types_text = "\n\n".join(lines)
        jobs = [j for j in values.get("jobs", []) or [] if hasattr(j, "name")]  # type: ignore[attr-defined]
        self.jobs_text = _("可以看看这些工作：{}", "、".join(
            j.name_en if en else j.name for j in jobs)) if jobs else ""
        self.note_text = _pick(values.get("note")) + "\n" + _(
            "这是自我探索，不是考试；您的回答不会发给用人单位，离开后自动清除。")
        self.ids.vacancies.data = []
        self.vacancies_text = ""
        hints = values.get("hints") or ()
        if hints and self.services is not None:
            self._find(tuple(hints))  # type: ignore[arg-type]

    def _find(self, hints: tuple[Any, ...]) -> None:
        self.busy = True
        self.vacancies_text = _("正在查找附近符合您兴趣的岗位…")
        station = self.services.settings.station
        origin = (station.latitude, station.longitude) if station.latitude else None
        catalog, token = self.services.catalog, self._token
        run_in_background(
            lambda: vacancies_for_interests(hints, catalog, origin=origin, limit=RESULT_VACANCIES),
            lambda found: self._show_found(token, found), lambda exc: self._failed(token, exc))

    def _show_found(self, token: str, found: list[Any]) -> None:
        if token != self._token:
            return
        self.busy = False
        self._found = {f.vacancy.id: f for f in found}
        self.ids.vacancies.data = [row_data(f.vacancy, f.distance_km, reasons=f.reason)
                                   for f in found]
        self.vacancies_text = _("附近符合您兴趣的岗位和零工：") if found else \
            _("附近暂时没有这些方向的岗位，可以到\u201c找工作\u201d看看其他岗位。")

    def _failed(self, token: str, exc: BaseException) -> None:
        if token != self._token:
            return
        logger.warning("interest vacancies failed: %s", type(exc).__name__)
        self.busy = False
        self.vacancies_text = _("岗位查询暂时无法使用，请稍后再试。")

    def open_vacancy(self, vacancy_id: str) -> None:
        found = self._found.get(vacancy_id)
        if found is not None:
            self.nav.go("vacancy_detail", vacancy=found.vacancy, distance_km=found.distance_km)

    def to_match(self) -> None:
        self.nav.send("to_match")

    def again(self) -> None:
        self.nav.send("again")

    def wipe(self) -> None:
        self._token = ""
        self._found.clear()
        self.summary_text = self.types_text = self.jobs_text = self.note_text = ""
        self.vacancies_text = ""
        self.has_top = self.busy = False
        if "vacancies" in self.ids:
            self.ids.vacancies.data = []


SCREENS = {"interest_intro": InterestIntroScreen, "interest_item": InterestItemScreen,
           "interest_result": InterestResultScreen}
