"""The employer's posting by pick-lists, its review (the minimum-wage flag before 提交) and the
result with the slip.

Journey ``employer`` (:mod:`kiosk.services.journeys.declared.employer`):

* ``employer_posting`` — one question per page (:data:`PAGES`): 工种 (the everyday job list
  registration uses, pinyin-initial search), 用工方式 and 人数, 工资 and its unit (the
  minimum-wage check shown as the pay is typed), for a 零工 the day / start / hours /
  settlement, the place (the station's address by default, or a division on the picker), the
  requirements and the contact phone. The draft is this screen's working copy of the journey's
  :class:`~kiosk.services.employer_postings.PostingDraft`; the last page sends
  ``posting_filled(draft)`` and the journey answers with the problems (shown) or the review;
* ``employer_review`` — what will be posted; pay below the minimum wage is flagged and 提交 is
  refused until it is changed; 提交 runs ``services.employer.submit`` off the UI thread and sends
  ``submitted`` (delivered: the posting number, 待审核; offline: the receipt number) or
  ``refused`` (the platform's reason);
* ``employer_done`` — the number, what was posted, a QR to manage it; the slip is printed.

Personal data on screen: the handler's masked name; the contact phone while typed, masked
elsewhere. ``wipe`` clears every page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.china_time import china_now
from kiosk.domain.codes import everyday_jobs
from kiosk.domain.masking import mask_name
from kiosk.domain.postings import PAY_UNITS
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.screens.employer import identity_line
from kiosk.services.employer_postings import (PostingDraft, PostingError, PostingOutcome,
                                              pay_check)
from kiosk.services.journeys.declared.employer import with_station
from kiosk.services.posting_form import (DURATION_CHOICES, HEADCOUNT_CHOICES, MAX_REQUIREMENTS,
                                         PAY_UNIT_CHOICES, REQUIREMENT_CHOICES,
                                         SETTLEMENT_CHOICES, START_TIMES, hours_text, pay_entry,
                                         place_text, summary_lines, toggle_work_day,
                                         work_days)
from kiosk.services.registration_form import format_phone_entry
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.choice_tile import ChoiceTile
from kiosk.ui.i18n import _, fact_line
from kiosk.ui.qr_image import QrImage  # noqa: F401  (kv rule)

import kiosk.ui.division_picker  # noqa: F401,E402  (kv rule)
import kiosk.ui.keypad  # noqa: F401,E402

logger = logging.getLogger(__name__)

load_kv(__file__)

PAGES = ("job", "terms", "pay", "time", "place", "details", "contact")
#: the pages of a long-term vacancy (no day, start or hours)
JOB_PAGES = tuple(p for p in PAGES if p != "time")


class EmployerPostingScreen(KioskScreen):
    page = StringProperty("job")
    identity_text = StringProperty("")
    search_text = StringProperty("")
    pay_digits = StringProperty("")
    pay_note = StringProperty("")
    pay_below = BooleanProperty(False)
    phone_digits = StringProperty("")
    station_place = StringProperty("")
    problems_text = StringProperty("")
    gig = BooleanProperty(True)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        self._draft = PostingDraft()     # before the kv rules: pay_shown reads it
        self._station: dict[str, object] = {}
        super().__init__(**kwargs)

    # ---- entering ------------------------------------------------------------------------
    def show(self, values: Mapping[str, object]) -> None:
        draft = values.get("draft")
        if not isinstance(draft, PostingDraft):
            return
        self.identity_text = identity_line(values.get("card"))
        self._station = self._station_place()
        if not draft.division_code:
            draft = with_station(draft, self._station)
        if not draft.work_date:
            draft = draft.with_(work_date=china_now().date().isoformat())
        self._draft = draft
        self.gig = draft.gig
        self.pay_digits = str(draft.pay) if draft.pay else ""
        self.phone_digits = draft.contact_phone
        self.station_place = place_text(str(self._station.get("division_code", "")),
                                        str(self._station.get("address", "")))
        self.search_text = ""
        self._show_problems(values.get("problems"))
        self.show_page("job")

    def update(self, values: Mapping[str, object]) -> None:
        """``problems`` from the journey after ``posting_filled`` (the first one's page shown)."""
        self._show_problems(values.get("problems"))

    def _show_problems(self, problems: object) -> None:
        items = [str(p) for p in problems] if isinstance(problems, list) else []
        self.problems_text = "\n".join(_(p) for p in items)

    def _station_place(self) -> dict[str, object]:
        station = self.services.settings.station if self.services is not None else None
        if station is None:
            return {}
        return {"division_code": station.division_code, "address": station.address,
                "latitude": station.latitude, "longitude": station.longitude}

    def pages(self) -> tuple[str, ...]:
        return PAGES if self.gig else JOB_PAGES

    def page_number(self, page: str, gig: bool) -> str:
        pages = PAGES if gig else JOB_PAGES
        return _("第{0}步，共{1}步", pages.index(page) + 1, len(pages)) if page in pages else ""

    def show_page(self, page: str) -> None:
        fill: dict[str, Callable[[], None]] = {
            "job": self._fill_jobs, "terms": self._fill_terms, "pay": self._fill_pay,
            "time": self._fill_time, "place": self._fill_place, "details": self._fill_details,
            "contact": lambda: None}
        fill[page]()
        self.page = page
        self.ids.pages.current = page

    def next_page(self) -> None:
        if self.page == "job" and not self._draft.job_id:
            self.problems_text = _("请选择招聘的工种")
            return
        if self.page == "pay":
            self._draft = self._draft.with_(pay=int(self.pay_digits or 0))
            if not self._draft.pay:
                self.problems_text = _("请填写工资")
                return
        self.problems_text = ""
        pages = self.pages()
        index = pages.index(self.page)
        if index + 1 < len(pages):
            self.show_page(pages[index + 1])
            return
        self._draft = self._draft.with_(contact_phone=self.phone_digits)
        self.nav.send("posting_filled", draft=self._draft)

    def previous_page(self) -> None:
        pages = self.pages()
        index = pages.index(self.page) if self.page in pages else 0
        self.problems_text = ""
        if index > 0:
            self.show_page(pages[index - 1])
        else:
            self.nav.back()

    # ---- tiles -----------------------------------------------------------------------------
    def _fill(self, grid: Any, choices: list[tuple[str, str]], selected: list[str],
              on_pick: Callable[[ChoiceTile], None]) -> None:
        grid.clear_widgets()
        for value, caption in choices:
            tile = ChoiceTile(caption=caption, value=value, selected=value in selected)
            tile.bind(on_release=on_pick)
            grid.add_widget(tile)

    @staticmethod
    def _single(grid: Any, tile: ChoiceTile) -> None:
        for other in grid.children:
            other.selected = other is tile

    # ---- 工种 -------------------------------------------------------------------------------
    def search_key(self, key: str) -> None:
        if key == "backspace":
            self.search_text = self.search_text[:-1]
        elif key == "clear":
            self.search_text = ""
        elif len(self.search_text) < 12:
            self.search_text += key
        self._fill_jobs()

    def _fill_jobs(self) -> None:
        jobs = everyday_jobs.search(self.search_text) if self.search_text else list(
            everyday_jobs.JOBS)
        self._fill(self.ids.job_tiles, [(j.id, _(j.name)) for j in jobs], [self._draft.job_id],
                   self._pick_job)
        self.ids.job_scroll.scroll_y = 1

    def _pick_job(self, tile: ChoiceTile) -> None:
        self._draft = self._draft.with_(job_id=tile.value)
        self._single(self.ids.job_tiles, tile)
        self.problems_text = ""

    # ---- 用工方式, 人数 ------------------------------------------------------------------------
    def _fill_terms(self) -> None:
        d = self._draft
        self._fill(self.ids.mode_tiles, [("gig", _("零工（按天、按小时）")), ("job", _("长期招聘"))],
                   ["gig" if d.gig else "job"], self._pick_mode)
        self._fill(self.ids.headcount_tiles, [(str(n), _("{0}人", n)) for n in HEADCOUNT_CHOICES],
                   [str(d.headcount)], self._pick_headcount)

    def _pick_mode(self, tile: ChoiceTile) -> None:
        gig = tile.value == "gig"
        unit = self._draft.pay_unit
        if gig and unit == "MONTH":
            unit = "DAY"
        elif not gig and unit in ("DAY", "HOUR"):
            unit = "MONTH"
        self._draft = self._draft.with_(gig=gig, pay_unit=unit)
        self.gig = gig
        self._single(self.ids.mode_tiles, tile)

    def _pick_headcount(self, tile: ChoiceTile) -> None:
        self._draft = self._draft.with_(headcount=int(tile.value))
        self._single(self.ids.headcount_tiles, tile)

    # ---- 工资 -------------------------------------------------------------------------------
    def _fill_pay(self) -> None:
        self._fill(self.ids.unit_tiles, [(c, _(n)) for c, n in PAY_UNIT_CHOICES],
                   [self._draft.pay_unit], self._pick_unit)
        self._check_pay()

    def _pick_unit(self, tile: ChoiceTile) -> None:
        self._draft = self._draft.with_(pay_unit=tile.value)
        self._single(self.ids.unit_tiles, tile)
        self._check_pay()

    def pay_key(self, key: str) -> None:
        self.pay_digits = pay_entry(self.pay_digits, key)
        self._check_pay()

    def pay_shown(self, digits: str) -> str:
        unit = _(PAY_UNITS.get(self._draft.pay_unit, ""))
        return f"{digits} {unit}" if digits else ""    # "": the display shows its hint

    def _check_pay(self) -> None:
        """The minimum-wage check as the pay is typed (the review flags it again)."""
        check = pay_check(self._draft.with_(pay=int(self.pay_digits or 0)))
        if check is None or not self.pay_digits:
            self.pay_note, self.pay_below = "", False
            return
        self.pay_below = check.below is True
        self.pay_note = check.message_zh

    # ---- 上工时间 ------------------------------------------------------------------------------
    def _fill_time(self) -> None:
        d = self._draft
        self._fill(self.ids.date_tiles, work_days(china_now().date()), list(d.work_dates),
                   self._toggle_day)
        self._fill(self.ids.start_tiles, [(t, t) for t in START_TIMES], [d.start_time],
                   lambda t: self._pick("start_time", t.value, self.ids.start_tiles, t))
        self._fill(self.ids.duration_tiles, [(f"{h:g}", hours_text(h)) for h in DURATION_CHOICES],
                   [f"{d.duration_hours:g}"],
                   lambda t: self._pick("duration_hours", float(t.value), self.ids.duration_tiles,
                                        t))
        self._fill(self.ids.settlement_tiles, [(c, _(n)) for c, n in SETTLEMENT_CHOICES],
                   [d.settlement],
                   lambda t: self._pick("settlement", t.value, self.ids.settlement_tiles, t))

    def _toggle_day(self, tile: ChoiceTile) -> None:
        """A gig may be on several days: each tap adds or removes one (at most 7)."""
        first, more = toggle_work_day(self._draft.work_date, self._draft.more_dates, tile.value)
        self._draft = self._draft.with_(work_date=first, more_dates=more)
        for other in self.ids.date_tiles.children:
            other.selected = other.value in self._draft.work_dates

    def _pick(self, name: str, value: object, grid: Any, tile: ChoiceTile) -> None:
        self._draft = self._draft.with_(**{name: value})
        self._single(grid, tile)

    # ---- 地点 -------------------------------------------------------------------------------
    def _fill_place(self) -> None:
        d = self._draft
        at_station = bool(self._station) and d.division_code == self._station.get("division_code") \
            and d.address == self._station.get("address")
        self.ids.station_tile.selected = at_station
        picker = self.ids.place_picker
        picker.selected = [] if at_station else ([d.division_code] if d.division_code else [])
        picker.level = ""
        picker.rebuild()

    def use_station(self) -> None:
        self._draft = with_station(self._draft, self._station)
        self.ids.station_tile.selected = True
        self.ids.place_picker.selected = []

    def place_picked(self, selected: list[str]) -> None:
        """The picker's choice: one division (the last tapped); the address is then the
        division's name only (coordinates unknown)."""
        if not selected:
            return
        code = selected[-1]
        if list(selected) != [code]:
            self.ids.place_picker.selected = [code]
            return
        self._draft = self._draft.with_(division_code=code, address="", latitude=None,
                                        longitude=None)
        self.ids.station_tile.selected = False

    # ---- 要求, 联系电话 -------------------------------------------------------------------------
    def _fill_details(self) -> None:
        self._fill(self.ids.requirement_tiles, [(r, _(r)) for r in REQUIREMENT_CHOICES],
                   list(self._draft.requirements), self._pick_requirement)

    def _pick_requirement(self, tile: ChoiceTile) -> None:
        picked = list(self._draft.requirements)
        if tile.value in picked:
            picked.remove(tile.value)
        elif len(picked) >= MAX_REQUIREMENTS:
            self.problems_text = _("要求最多选{0}项", MAX_REQUIREMENTS)
            return
        else:
            picked.append(tile.value)
        self._draft = self._draft.with_(requirements=tuple(picked))
        tile.selected = tile.value in picked
        self.problems_text = ""

    def phone_key(self, key: str) -> None:
        if key == "backspace":
            self.phone_digits = self.phone_digits[:-1]
        elif key == "clear":
            self.phone_digits = ""
        elif len(self.phone_digits) < 12:
            self.phone_digits += key

    def phone_shown(self, digits: str) -> str:
        return format_phone_entry(digits) if digits else _("联系电话（手机11位或座机）")

    def wipe(self) -> None:
        self._draft = PostingDraft()
        self.identity_text = self.search_text = self.pay_digits = self.pay_note = ""
        self.phone_digits = self.problems_text = self.station_place = ""
        self.pay_below = False
        self.gig = True
        for grid in ("job_tiles", "mode_tiles", "headcount_tiles", "unit_tiles", "date_tiles",
                     "start_tiles", "duration_tiles", "settlement_tiles", "requirement_tiles"):
            self.ids[grid].clear_widgets()
        self.ids.place_picker.reset()
        self.page = "job"
        self.ids.pages.current = "job"


def _summary(draft: PostingDraft, card: Any) -> str:
    handler = mask_name(getattr(card, "name", "") or "")
    return "\n".join(fact_line(_(label), value) for label, value in summary_lines(draft, handler))


class EmployerReviewScreen(KioskScreen):
    """核对: what will be posted, the minimum-wage flag, 提交."""

    summary_text = StringProperty("")
    pay_flag = StringProperty("")
    pay_note = StringProperty("")
    message = StringProperty("")
    busy = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._draft: PostingDraft | None = None
        self._card: Any = None
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        draft = values.get("draft")
        self._draft = draft if isinstance(draft, PostingDraft) else None
        self._card = values.get("card")
        self.summary_text = _summary(self._draft, self._card) if self._draft else ""
        self.pay_flag = str(values.get("pay_flag", "") or "")
        self.pay_note = str(values.get("pay_note", "") or "")
        self.message = str(values.get("refusal", "") or "")
        self.busy = False

    def update(self, values: Mapping[str, object]) -> None:
        """``refusal`` after ``refused``."""
        self.busy = False
        if "refusal" in values:
            self.message = str(values.get("refusal") or "")

    def submit(self) -> None:
        employer = getattr(self.services, "employer", None)
        if self.busy or self.pay_flag or self._draft is None:
            return
        if employer is None:
            self.message = _("系统正在启动，请稍候…")
            return
        self.busy = True
        self.message = _("正在提交…")
        self._token += 1
        token = self._token
        draft, card = self._draft, self._card
        run_in_background(lambda: employer.submit(card, draft),
                          lambda outcome: self._submitted(token, outcome),
                          lambda exc: self._failed(token, exc))

    def _submitted(self, token: int, outcome: Any) -> None:
        if token != self._token:
            return
        self.busy = False
        self.nav.send("refused" if outcome.refused else "submitted", outcome=outcome)

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self.busy = False
        if isinstance(exc, PostingError):
            self.message = exc.message_zh
            return
        logger.warning("posting not stored: %s", type(exc).__name__)
        self.message = _("招聘信息暂时无法保存，请到人工窗口办理")

    def change(self) -> None:
        self.nav.back()

    def wipe(self) -> None:
        self._token += 1
        self._draft = self._card = None
        self.summary_text = self.pay_flag = self.pay_note = self.message = ""
        self.busy = False


class EmployerDoneScreen(KioskScreen):
    """The result: the posting number (or the offline receipt number), the manage QR, the slip."""

    number_text = StringProperty("")
    message = StringProperty("")
    summary_text = StringProperty("")
    qr_data = StringProperty("")
    print_text = StringProperty("")
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        outcome, draft, card = values.get("outcome"), values.get("draft"), values.get("card")
        if not isinstance(outcome, PostingOutcome) or not isinstance(draft, PostingDraft):
            return
        self._token += 1
        self.number_text = (_("信息编号 {0}", outcome.posting_no) if outcome.posting_no
                            else _("回执号 {0}", outcome.receipt_no))
        self.message = outcome.message_zh
        self.summary_text = _summary(draft, card)
        self.qr_data = outcome.manage_url or ""
        self.print_slip(outcome, draft, card)

    def print_slip(self, outcome: Any, draft: PostingDraft, card: Any) -> None:
        from kiosk.services.slip.employer import PostingSlip, layout_posting_slip

        printer = getattr(self.services, "printer", None)
        if printer is None:
            self.print_text = _("本终端暂不能打印，请记下信息编号")
            return
        employer = (draft.employer_name if draft.employer_kind == "unit"
                    else mask_name(getattr(card, "name", "") or "") + "（个人雇主）")
        slip = PostingSlip(
            station_name=self.services.settings.station.name, printed_on=china_now().date(),
            posting_no=outcome.posting_no or "", receipt_no=outcome.receipt_no,
            employer_name=employer, title=draft.title, headcount=draft.headcount, pay=draft.pay,
            pay_unit=draft.pay_unit, gig=draft.gig, work_date=draft.work_date,
            more_dates=draft.work_dates[1:],
            start_time=draft.start_time, duration_hours=draft.duration_hours,
            settlement=draft.settlement, division_code=draft.division_code,
            address=draft.address, requirements=draft.requirements,
            contact_phone=draft.contact_phone, manage_url=outcome.manage_url or "")
        self.print_text = _("正在打印回执…")
        token = self._token
        done = on_main_thread(lambda result, error: self._printed(token, error))
        printer.submit_layout(layout_posting_slip(slip, printer.profile),
                              outcome.posting_no or outcome.receipt_no, done)

    def _printed(self, token: int, error: BaseException | None) -> None:
        if token != self._token:
            return
        self.print_text = (_("回执已打印，请取走凭条") if error is None
                           else getattr(error, "message_zh", "") or _("打印失败，请记下信息编号"))

    def again(self) -> None:
        """再发布一条: the employer journey again, the card already read."""
        self.nav.start("employer")

    def wipe(self) -> None:
        self._token += 1
        self.number_text = self.message = self.summary_text = self.qr_data = ""
        self.print_text = ""


SCREENS = {"employer_posting": EmployerPostingScreen, "employer_review": EmployerReviewScreen,
           "employer_done": EmployerDoneScreen}
