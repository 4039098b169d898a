"""为我推荐 (matching): after the card is read, the vacancies that fit the jobseeker's
求职意向 from this session's registration form, best first, each with its reasons.

Values (from :mod:`kiosk.services.journeys.declared.match`): ``card`` and ``profile`` (the
``JobseekerProfile`` of the registration form filled in this session, or None). Without a
profile the screen says so — with what the platform lookup tells (已登记 and its number, or
not registered) — and offers 求职登记 first (``nav.send("register_first")``); the registration's
done screen then offers 为我推荐 first.
Matching (SQL over the whole catalog) and the lookup run off the UI thread.

Each card shows every reason in full, in the session's language (:func:`reasons_text`), the
15-minute circle first when it applies; the card is as tall as its reasons need.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.identity_card import IdentityCard
from kiosk.domain.matching import JobseekerProfile, Match
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.catalog import match
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, current_language
from kiosk.ui.presence import Presence
from kiosk.ui.vacancy_list import VacancyList, row_data  # noqa: F401

logger = logging.getLogger(__name__)

load_kv(__file__)

MATCH_LIMIT = 30


def reasons_text(found: Match) -> str:
    """The card's reasons and warnings, in the current language: "在15分钟就业圈内（0.8公里）、
    学历符合、…" or "Within the 15-minute job circle (0.8 km); Education fits; …"."""
    return reason_separator().join(reason_list(found))


def reason_separator() -> str:
    return "; " if current_language() == "en" else "、"


def reason_list(found: Match) -> list[str]:
    """Each reason, then each warning, as a phrase in the current language."""
    english = current_language() == "en"
    parts = []
    for reason in found.reason_ids:
        args = reason.args_en if english and reason.args_en is not None else tuple(
            _(a) if a else a for a in reason.args)
        parts.append(_(reason.message_id, *args))
    return parts + [_(flag) for flag in found.flags]


class MatchScreen(KioskScreen):
    prompt_key = "match"
    who_text = StringProperty("")
    status_text = StringProperty("")
    need_registration = BooleanProperty(False)
    busy = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._matches: dict[str, Any] = {}
        self._token = ""
        self._presence: Presence | None = None  # set in on_kv_post (inside super().__init__)
        super().__init__(**kwargs)

    def on_kv_post(self, _base: Any) -> None:
        buttons = (self.ids.register_first, self.ids.to_search)
        self._presence = Presence(*buttons)
        self.bind(need_registration=lambda *_: self._presence.show(
            {b: self.need_registration for b in buttons}))
        self._presence.show({b: False for b in buttons})

    def show(self, values: Mapping[str, object]) -> None:
        card = values.get("card")
        if not isinstance(card, IdentityCard):
            return
        self._token = uuid.uuid4().hex  # results of an earlier visit are dropped
        self.who_text = _("{}，您好（{}）", card.masked_name, card.masked_id_number)
        profile = values.get("profile")
        if isinstance(profile, JobseekerProfile):
            self._run_match(profile)
        else:
            self._ask_registration(card)

    def _run_match(self, profile: JobseekerProfile) -> None:
        self.need_registration = False
        self.busy = True
        self.status_text = _("正在为您匹配岗位…")
        station = self.services.settings.station
        origin = (station.latitude, station.longitude) if station.latitude else None
        catalog, token = self.services.catalog, self._token
        run_in_background(lambda: match(profile, catalog, origin=origin, limit=MATCH_LIMIT),
                          lambda found: self._show(token, found),
                          lambda exc: self._failed(token, exc))

    def _show(self, token: str, found: list[Any]) -> None:
        if token != self._token:
            return
        self.busy = False
        self._matches = {m.vacancy.id: m for m in found}
        self.ids.matches.data = [row_data(m.vacancy, m.distance_km, reasons=reasons_text(m),
                                          reason_list=reason_list(m), separator=reason_separator())
                                 for m in found]
        self.ids.matches.scroll_y = 1
        self.status_text = _("根据您的求职意向，为您推荐 {} 个岗位", len(found)) if found else \
            _("暂时没有符合您求职意向的岗位。可以放宽期望区域或薪资后重新登记，或到\u201c找工作\u201d自行查找。")

    def _failed(self, token: str, exc: BaseException) -> None:
        if token != self._token:
            return
        logger.warning("matching failed: %s", type(exc).__name__)
        self.busy = False
        self.status_text = _("推荐暂时无法使用，请稍后重试，或到\u201c找工作\u201d自行查找。")

    def _ask_registration(self, card: Any) -> None:
        self.need_registration = True
        self.busy = True
        self.ids.matches.data = []
        self.status_text = _("正在查询您的登记情况…")
        token = self._token
        run_in_background(lambda: self.services.registration.lookup(card),
                          lambda found: self._lookup_done(token, found),
                          lambda exc: self._lookup_done(token, None))

    def _lookup_done(self, token: str, found: Any) -> None:
        if token != self._token:
            return
        self.busy = False
        if found is not None and found.registered:
            self.status_text = _("您已在平台办理求职登记（登记号 {}）。请先确认本次的求职意向，"
                                 "我们再按意向为您推荐岗位。", found.registration_no or "")
        else:
            self.status_text = _("为您推荐岗位需要先了解您的求职意向。请先办理求职登记（约2分钟）。")

    def register_first(self) -> None:
        self.nav.send("register_first")

    def open_vacancy(self, vacancy_id: str) -> None:
        found = self._matches.get(vacancy_id)
        if found is None:
            return
        self.nav.go("vacancy_detail", vacancy=found.vacancy, distance_km=found.distance_km)

    def wipe(self) -> None:
        self._token = ""
        self._matches.clear()
        self.who_text = self.status_text = ""
        self.need_registration = self.busy = False
        if "matches" in self.ids:
            self.ids.matches.data = []


SCREENS = {"match": MatchScreen}
