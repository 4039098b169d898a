"""求职简历 screens: the three pick-list steps (past jobs with years, skills and certificates, the
work wanted) on one screen, and the preview — the paper itself, rendered from the very ESC/POS
bytes the printer gets — with the 姓名 / 联系电话 ticks, 打印 and 发到手机 (QR).

Journey ``resume`` (``kiosk/services/journeys/declared/resume.py``). Values:

* ``resume_form``: ``step`` ("jobs" | "skills" | "wanted"), ``card``, ``answers``,
  ``prefill_done`` (False: the screen asks ``services.applications.prefill(card)`` once and
  sends ``prefilled``), ``phone``;
* ``resume_preview``: ``card``, ``answers``, ``prefill``, ``phone``, ``show_name``,
  ``show_phone``, ``share``, ``print_state``.

Personal data on screen: the preview image (name and phone only when ticked) and the phone
keypad's digits; ``wipe`` clears both.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty

from kiosk.domain.china_time import to_china
from kiosk.domain.codes import everyday_jobs, skills
from kiosk.domain.i18n_marker import N_
from kiosk.domain.vacancy import EMPLOYMENT_TYPES
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.journeys.declared.resume import YEARS
from kiosk.services.registration_form import FormError, validate_phone
from kiosk.services.resume_handoff import ResumeHandoff, ShareOutcome, make_resume, preview_png
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.choice_tile import ChoiceTile
from kiosk.ui.i18n import _, current_language
from kiosk.ui.phone_entry import PhoneEntry
from kiosk.ui.qr_image import QrImage  # noqa: F401  (kv rule)
from kiosk.ui.widgets import KioskLabel

logger = logging.getLogger(__name__)

load_kv(__file__)

STEP_TITLES = {"jobs": N_("第1步/共3步：以前做过什么工作？"),
               "skills": N_("第2步/共3步：会什么？有什么证书？"),
               "wanted": N_("第3步/共3步：想找什么样的工作？")}
SALARIES = (0, 3000, 4000, 5000, 6000, 8000)


def years_text(years: float) -> str:
    return _("不满1年") if years < 1 else _("{}年", f"{years:g}")


def _job_name(job_id: str) -> str:
    job = everyday_jobs.get(job_id)
    return job.name_en if current_language() == "en" else job.name


class ResumeFormScreen(KioskScreen):
    step = StringProperty("jobs")
    step_title = StringProperty("")
    chosen_text = StringProperty("")
    error_text = StringProperty("")
    group = StringProperty("")          # the job group open (jobs / wanted steps)
    pending_job = StringProperty("")    # a past job picked, waiting for its years
    prompt_key = "resume"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._answers: dict[str, Any] = {}
        self._token = 0
        self.phone_entry = PhoneEntry()
        self._phone_label = KioskLabel(
            text=_("联系电话（可不填；只有在预览时勾选，才会印在简历上）"), bold=True)

    def _phone_panel(self, shown: bool) -> None:
        """The phone keypad only on the 3rd step (a hidden keypad must not take taps)."""
        box = self.ids.get("phone_box")
        if box is None:
            return
        if shown and self.phone_entry.parent is None:
            box.add_widget(self._phone_label)
            box.add_widget(self.phone_entry)
        elif not shown and self.phone_entry.parent is not None:
            box.clear_widgets()

    def show(self, values: Mapping[str, object]) -> None:
        self.step = str(values.get("step", self.step))
        self.step_title = _(STEP_TITLES[self.step])
        self.error_text = ""
        self.pending_job = ""
        self._answers = dict(values.get("answers") or {})  # type: ignore[call-overload]
        if self.step in ("jobs", "wanted") and not self.group:
            self.group = everyday_jobs.GROUPS[0][0]
        self._phone_panel(self.step == "wanted")
        if self.step == "wanted":
            self.phone_entry.digits = str(values.get("phone") or "")
        if self.step == "jobs" and values.get("prefill_done") is False:
            self._prefill(values.get("card"))
        self._render()

    def update(self, values: Mapping[str, object]) -> None:
        if "answers" in values:
            self._answers = dict(values["answers"])  # type: ignore[call-overload]
            self._render()

    def _prefill(self, card: Any) -> None:
        """What the platform knows (education, district of residence), once per session."""
        self._token += 1
        token = self._token
        apps = getattr(self.services, "applications", None)

        def done(prefill: Any) -> None:
            if token == self._token and self.nav is not None:
                self.nav.send("prefilled", prefill=prefill.model_dump() if prefill else None)

        run_in_background(lambda: apps.prefill(card) if apps is not None and card else None,
                          done, lambda _e: done(None))

    # ---- rendering -------------------------------------------------------------------------
    def _render(self) -> None:
        if "tiles" not in self.ids:
            return
        grid, extra = self.ids.tiles, self.ids.extra_tiles
        grid.clear_widgets()
        extra.clear_widgets()
        if self.step == "jobs":
            self._render_jobs(grid, extra)
        elif self.step == "skills":
            self._tiles(grid, [(s, s) for s in skills.SKILLS], self._answers.get("skills", []),
                        lambda v: self._toggle("skills", v))
            self._tiles(extra, [(c, c) for c in skills.CERTIFICATES],
                        self._answers.get("certificates", []),
                        lambda v: self._toggle("certificates", v))
            self.chosen_text = ""
        else:
            self._render_wanted(grid, extra)

    def _tiles(self, grid: Any, choices: list[tuple[str, str]], selected: Any,
               on_pick: Any, kind: str = "toggle") -> None:
        for value, caption in choices:
            tile = ChoiceTile(caption=caption, value=value, selected=value in selected, kind=kind)
            tile.bind(on_release=lambda t: on_pick(t.value))
            grid.add_widget(tile)

    def _groups(self, grid: Any) -> None:
        names = [(g, en if current_language() == "en" else zh)
                 for g, zh, en in everyday_jobs.GROUPS]
        self._tiles(grid, names, [self.group], self.open_group, kind="open")

    def _render_jobs(self, grid: Any, extra: Any) -> None:
        past = [(j, float(y)) for j, y in self._answers.get("past_jobs", [])]
        self.chosen_text = (_("已添加（点击可删除）：") if past
                            else _("请选择做过的工作，再选做了几年；没有可直接下一步"))
        for index, (job, years) in enumerate(past):
            tile = ChoiceTile(caption=f"{_job_name(job)} {years_text(years)}", selected=True,
                              value=str(index))
            tile.bind(on_release=lambda t: self.nav.send("job_removed", index=int(t.value)))
            extra.add_widget(tile)
        if self.pending_job:
            self.chosen_text = _("{}做了多久？", _job_name(self.pending_job))
            extra.clear_widgets()
            self._tiles(extra, [(str(y), years_text(y)) for y in YEARS], [], self._years)
            return
        self._groups(grid)
        self._tiles(grid, [(j.id, _job_name(j.id)) for j in everyday_jobs.in_group(self.group)],
                    [j for j, _y in past], self._pick_job)

    def _render_wanted(self, grid: Any, extra: Any) -> None:
        wanted = list(self._answers.get("wanted_jobs", []))
        names = "、".join(_job_name(j) for j in wanted)
        self.chosen_text = _("想做：{}", names) if names else _("请选择想做的工作（可多选）")
        self._groups(grid)
        self._tiles(grid, [(j.id, _job_name(j.id)) for j in everyday_jobs.in_group(self.group)],
                    wanted, lambda v: self._toggle("wanted_jobs", v))
        self._tiles(extra, [(k, _(v)) for k, v in EMPLOYMENT_TYPES.items()],
                    [self._answers.get("employment_type", "")],
                    lambda v: self.nav.send("chosen", field="employment_type", value=v))
        self._tiles(extra, [(str(s), _("{}元/月以上", s) if s else _("工资面议")) for s in SALARIES],
                    [str(self._answers.get("salary_min", 0))],
                    lambda v: self.nav.send("chosen", field="salary_min", value=int(v)))

    # ---- what the person does --------------------------------------------------------------
    def open_group(self, group: str) -> None:
        self.group = group
        self._render()

    def _pick_job(self, job: str) -> None:
        self.pending_job = job
        self._render()

    def _years(self, value: str) -> None:
        job, self.pending_job = self.pending_job, ""
        self.nav.send("job_added", job=job, years=float(value))

    def _toggle(self, name: str, value: str) -> None:
        self.nav.send("toggled", field=name, value=value)

    def next_step(self) -> None:
        if self.step == "wanted":
            digits = self.phone_entry.digits
            if digits:
                try:
                    validate_phone(digits)
                except FormError as exc:
                    self.error_text = exc.message_zh
                    return
            self.nav.send("phone_entered", phone=digits)
        self.nav.next()

    def wipe(self) -> None:
        self._token += 1
        self._answers = {}
        self.chosen_text = self.error_text = self.pending_job = ""
        self.group = ""
        self.phone_entry.digits = ""
        self.phone_entry.error = ""
        self._phone_panel(False)
        for name in ("tiles", "extra_tiles"):
            if name in self.ids:
                self.ids[name].clear_widgets()


class ResumePreviewScreen(KioskScreen):
    """The paper as it will print; ticks for 姓名 / 联系电话; 打印 and 发到手机."""

    paper = ObjectProperty(None, allownone=True)     # the texture of the paper
    paper_lines = ListProperty([])                   # the same paper as text (tests, audit)
    show_name = BooleanProperty(False)
    show_phone = BooleanProperty(False)
    has_phone = BooleanProperty(False)
    qr_data = StringProperty("")
    message = StringProperty("")
    print_text = StringProperty("")
    busy = BooleanProperty(False)
    printing = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token = 0
        self._resume: Any = None
        self._values: dict[str, Any] = {}

    def show(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)
        self.show_name = bool(values.get("show_name"))
        self.show_phone = bool(values.get("show_phone"))
        self.has_phone = bool(values.get("phone"))
        share = values.get("share")
        self.qr_data = share.url if isinstance(share, ShareOutcome) and share.ok else ""
        self.message = ""
        self._build()

    def update(self, values: Mapping[str, object]) -> None:
        if "show_name" in values or "show_phone" in values:
            self.show(values)
        elif isinstance(values.get("share"), ShareOutcome):
            self._shared(values["share"])  # type: ignore[arg-type]

    def _profile(self) -> Any:
        printer = getattr(self.services, "printer", None)
        if printer is not None:
            return printer.profile
        from kiosk.devices.printer.profile import paper_profile

        return paper_profile(80)

    def _build(self) -> None:
        """The résumé from this session's values, its paper lines and its picture."""
        from kiosk.services.resume_handoff import paper_lines

        v = self._values
        card = v.get("card")
        if card is None:
            self.message = _("请先读取身份证")
            return
        station = self.services.settings.station.name if self.services is not None else ""
        try:
            self._resume = make_resume(
                card, station_name=station, today=to_china(datetime.now(UTC)).date(),
                show_name=self.show_name, show_phone=self.show_phone,
                phone=str(v.get("phone") or ""), answers=v.get("answers") or {},
                prefill=v.get("prefill"))  # type: ignore[arg-type]
        except ValueError as exc:
            logger.warning("résumé not made: %s", type(exc).__name__)
            self._resume = None
            self.message = _("简历内容有误，请返回修改")
            return
        profile = self._profile()
        self.paper_lines = list(paper_lines(self._resume, profile))
        self._token += 1
        token, resume = self._token, self._resume
        self.busy = True
        run_in_background(lambda: preview_png(resume, profile),
                          lambda png: self._drawn(token, png),
                          lambda _e: self._drawn(token, None))

    def _drawn(self, token: int, png: bytes | None) -> None:
        if token != self._token:
            return
        self.busy = False
        if png is None:
            self.paper = None
            return
        self.paper = CoreImage(io.BytesIO(png), ext="png").texture

    def tick_name(self) -> None:
        self.nav.send("ticked", show_name=not self.show_name, show_phone=self.show_phone)

    def tick_phone(self) -> None:
        if not self.has_phone:
            self.message = _("本次没有填写电话：返回上一步可以填写")
            return
        self.nav.send("ticked", show_name=self.show_name, show_phone=not self.show_phone)

    def print_resume(self) -> None:
        printer = getattr(self.services, "printer", None)
        if self._resume is None or self.printing:
            return
        if printer is None:
            self.print_text = _("本终端暂不能打印，请用“发到手机”")
            return
        self.printing = True
        self.print_text = _("正在打印简历…")
        token = self._token
        ResumeHandoff.print_resume(printer, self._resume, on_main_thread(
            lambda result, error: self._printed(token, error)))

    def _printed(self, token: int, error: BaseException | None) -> None:
        self.printing = False
        if token != self._token:
            return
        if error is None:
            self.print_text = _("简历已打印，请取走")
            self.nav.send("printed", state="printed")
        else:
            self.print_text = getattr(error, "message_zh", "") or _("打印失败，请用“发到手机”")
            self.nav.send("printed", state="failed")

    def to_phone(self) -> None:
        if self._resume is None or self.busy:
            return
        if self.qr_data:
            return
        self.busy = True
        self.message = _("正在生成手机链接…")
        token, resume = self._token, self._resume
        handoff = ResumeHandoff(lambda: getattr(self.services, "client", None))
        run_in_background(lambda: handoff.share(resume),
                          lambda outcome: self._share_done(token, outcome),
                          lambda _e: self._share_done(token, ShareOutcome(
                              message_zh="暂时不能发到手机，请打印纸质简历")))

    def _share_done(self, token: int, outcome: ShareOutcome) -> None:
        if token != self._token:
            return
        self.busy = False
        self.nav.send("shared", outcome=outcome)
        self._shared(outcome)

    def _shared(self, outcome: ShareOutcome) -> None:
        if outcome.ok:
            self.qr_data = outcome.url
            self.message = _("请用手机扫码查看、保存简历（24小时内有效）")
        else:
            self.message = (outcome.message_en if current_language() == "en"
                            else outcome.message_zh)

    def finish(self) -> None:
        self.nav.finish("resume-done")

    def wipe(self) -> None:
        self._token += 1
        self._resume = None
        self._values = {}
        self.paper = None
        self.paper_lines = []
        self.qr_data = self.message = self.print_text = ""
        self.show_name = self.show_phone = self.has_phone = False
        self.busy = self.printing = False


SCREENS = {"resume_form": ResumeFormScreen, "resume_preview": ResumePreviewScreen}
