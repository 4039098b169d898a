"""Review page of the 求职登记 form, then submit (in the background, with progress).

Rows come from :func:`kiosk.services.registration_form.review_rows` (identity and phone
masked); each section has a 修改 button back to its form step. "确认提交" calls
``services.registration.submit(card, form, consent)`` on a worker thread: delivered → the
registration number; not delivered within its wait → saved in the outbox with a receipt
number; ``RegistrationError`` / storage errors → a Chinese message and 重新提交. ``availability``
(到岗时间) is sent as the contract's ``availability``.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.consent import consent_record
from kiosk.services.registration_form import (FormError, consent_purposes, review_rows,
                                              validate_form)
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _

load_kv(__file__)

SEND_KEYS = ("phone", "education_code", "desired_occupations", "desired_divisions",
             "salary_min", "salary_max", "employment_type", "key_groups")
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

    def on_pre_enter(self, *_args: object) -> None:
        self.state, self.error_text = "review", ""
        self._build_rows()

    def _build_rows(self) -> None:
        box = self.ids.rows
        box.clear_widgets()
        session = self.services.session.current
        if session is None or session.identity is None:
            return
        last_section = ""
        for section, label, value in review_rows(session.identity, session.registration):
            row = ReviewRowView(label=_(label), value=value,
                                        section=section,
                                        editable=section not in ("identity", last_section))
            row.bind(on_edit=lambda _row, s: self.edit(s))
            box.add_widget(row)
            last_section = section

    def edit(self, section: str) -> None:
        step = {"terms": "terms", "groups": "groups", "division": "division",
                "occupation": "occupation", "education": "education"}.get(section, "phone")
        app = App.get_running_app()
        app.screen("register_form").show_step(step)
        app.go_back()

    def submit(self) -> None:
        session = self.services.session.current
        if session is None or session.identity is None or self.state == "submitting":
            return
        form = session.registration
        try:
            validate_form(form)
        except FormError as exc:
            self.state, self.error_text = "failed", _(exc.message_zh)
            return
        consent = dict(session.consent or consent_record(["registration"]))
        consent["purposes"] = consent_purposes(consent.get("purposes", []), form)
        payload_form = {key: form[key] for key in SEND_KEYS if key in form}
        card, session_id = session.identity, session.session_id
        self.state, self.error_text = "submitting", ""
        run_in_background(lambda: self.services.registration.submit(card, payload_form, consent),
                          lambda outcome: self._done(session_id, outcome),
                          lambda exc: self._failed(session_id, exc))

    def _current(self, session_id: str) -> Any:
        session = self.services.session.current
        return session if session is not None and session.session_id == session_id else None

    def _done(self, session_id: str, outcome: Any) -> None:
        session = self._current(session_id)
        if session is None:
            return  # the person walked away during submission; the outbox still delivers it
        session.registration_result = outcome
        self.state = "review"
        app = App.get_running_app()
        done = app.screen("register_done")
        done.prompt_key = "registered" if outcome.delivered else "registered_offline"
        app.history.clear()
        app.go("register_done", remember=False)

    def _failed(self, session_id: str, exc: BaseException) -> None:
        if self._current(session_id) is None:
            return
        self.state = "failed"
        self.error_text = _(getattr(exc, "message_zh", "") or GENERIC_FAILURE)

    def on_card_event(self, event: object) -> bool:
        return True

    def wipe(self) -> None:
        self.state, self.error_text = "review", ""
        self.ids.rows.clear_widgets()
