"""Review page of the 求职登记 form, then submit (in the background, with progress).

Values: ``card`` and ``form`` (this session's draft). Rows come from
:func:`kiosk.services.registration_form.review_rows` (identity masked; the phone in full, for checking); each section
has a 修改 button back to its form step (``nav.back(step=…)``). "确认提交" assembles the payload
with :func:`kiosk.services.journeys.declared.registration.submission` and calls
``services.registration.submit(card, form, consent)`` on a worker thread: delivered → the
registration number; not delivered within its wait → saved in the outbox with a receipt
number; ``RegistrationError`` / storage errors → a Chinese message and 重新提交. The outcome goes
to the engine (``nav.send("submitted", outcome=…)``), which shows the done screen.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.journeys.declared.registration import submission
from kiosk.services.registration_form import FormError, review_rows
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _

load_kv(__file__)

GENERIC_FAILURE = "暂时无法保存您的登记，请点击“重新提交”，或到人工窗口办理"


class ReviewRowView(BoxLayout):
    """One line of the review: label, value and (first row of a section) a 修改 button that
    dispatches ``on_edit(section)``."""

    label = StringProperty("")
    value = StringProperty("")
    section = StringProperty("")
    editable = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self.register_event_type("on_edit")
        super().__init__(**kwargs)

    def on_edit(self, section: str) -> None:
        """Default handler."""


class RegisterReviewScreen(KioskScreen):
    state = StringProperty("review")        # review | submitting | failed
    error_text = StringProperty("")
    prompt_key = "review"
    asks_before_leaving = True   # 首页 asks 继续填写 / 退出并清除 first

    def __init__(self, **kwargs: Any) -> None:
        self._token = ""
        super().__init__(**kwargs)

    def show(self, values: Mapping[str, object]) -> None:
        self.state, self.error_text = "review", ""
        self._token = uuid.uuid4().hex
        self._build_rows(values.get("card"), values.get("form"))

    def _build_rows(self, card: Any, form: Any) -> None:
        box = self.ids.rows
        box.clear_widgets()
        if card is None or not isinstance(form, dict):
            return
        last_section = ""
        for section, label, value in review_rows(card, form):
            row = ReviewRowView(label=_(label), value=value,
                                        section=section,
                                        editable=section not in ("identity", last_section))
            row.bind(on_edit=lambda _row, s: self.edit(s))
            box.add_widget(row)
            last_section = section

    def edit(self, section: str) -> None:
        step = {"terms": "terms", "groups": "groups", "division": "division",
                "occupation": "occupation", "education": "education"}.get(section, "phone")
        self.nav.back(step=step)

    def submit(self) -> None:
        journey = self.nav.journey if self.nav is not None else None
        if journey is None or self.state == "submitting":
            return
        try:
            parts = submission(journey)
        except FormError as exc:
            self.state, self.error_text = "failed", _(exc.message_zh)
            return
        token = self._token
        self.state, self.error_text = "submitting", ""
        registration = self.services.registration
        run_in_background(lambda: registration.submit(parts.card, parts.form, parts.consent),
                          lambda outcome: self._done(token, outcome),
                          lambda exc: self._failed(token, exc))

    def _done(self, token: str, outcome: Any) -> None:
        if token != self._token:
            return  # the person walked away during submission; the outbox still delivers it
        self.state = "review"
        self.nav.send("submitted", outcome=outcome)

    def _failed(self, token: str, exc: BaseException) -> None:
        if token != self._token:
            return
        self.state = "failed"
        self.error_text = _(getattr(exc, "message_zh", "") or GENERIC_FAILURE)

    def wipe(self) -> None:
        self._token = ""
        self.state, self.error_text = "review", ""
        self.ids.rows.clear_widgets()


SCREENS = {"register_review": RegisterReviewScreen}
