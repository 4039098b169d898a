"""详细说明 of an employer's posting, typed on the employer's own phone (issue 19): the screen
shows a QR code of the platform's form, polls the platform off the UI thread every
``poll_after_s`` (:meth:`kiosk.services.text_handoff.TextHandoffService.poll`) and, when the
text arrives, shows it for confirmation with a note for each kind of personal number found
(masked in what is posted). 使用这段说明 sends ``description_taken``; 跳过 (always allowed)
``description_skipped``; 删除说明 ``description_removed``. An expired QR or a lost network says
so in Chinese (English second) with 重新生成二维码. Demo (embedded sandbox): 演示：手机填写 plays
the phone submitting a sample text.

Journey ``employer``, step ``description`` (:mod:`kiosk.services.journeys.declared.employer`).
Values: ``draft``, ``prompt``, ``link``, ``outcome``, ``card``. ``wipe`` clears the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.employer_postings import PostingDraft
from kiosk.services.text_handoff import DEMO_TEXT, HandoffOutcome, HandoffQr, demo_phone_submit
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _, current_language
from kiosk.ui.qr_image import QrImage  # noqa: F401  (kv rule)

load_kv(__file__)


class EmployerDescriptionScreen(KioskScreen):
    qr_data = StringProperty("")
    message = StringProperty("")
    received_text = StringProperty("")
    notes_text = StringProperty("")
    current_text = StringProperty("")
    failed = BooleanProperty(False)
    received = BooleanProperty(False)
    demo = BooleanProperty(False)
    prompt_key = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._link: HandoffQr | None = None
        self._prompt = ""
        self._poll_ev: Any = None
        self._polling = False
        self._token = 0

    def show(self, values: Mapping[str, object]) -> None:
        self.demo = bool(self.services is not None and self.services.sandbox is not None)
        self._prompt = str(values.get("prompt", "") or "")
        self._show_draft(values.get("draft"))
        self.received, self.received_text, self.notes_text = False, "", ""
        self.start_qr()

    def update(self, values: Mapping[str, object]) -> None:
        """``link`` / ``outcome`` after ``handoff_started`` / ``handoff_polled``; ``draft``
        after ``description_removed``."""
        if "draft" in values:
            self._show_draft(values["draft"])
        outcome = values.get("outcome")
        if not isinstance(outcome, HandoffOutcome):
            return
        link = values.get("link")
        self._link = link if isinstance(link, HandoffQr) else None
        self.qr_data = self._link.url if self._link else ""
        english = current_language() == "en"
        self.message = outcome.message_en if english else outcome.message_zh
        self.failed = outcome.status in ("expired", "offline", "refused")
        if outcome.status == "received":
            self.received = True
            self.received_text = outcome.masked_text
            self.notes_text = "\n".join(outcome.notes_en if english else outcome.notes_zh)
        if outcome.final:
            self._stop_polling()

    def _show_draft(self, draft: object) -> None:
        text = draft.description if isinstance(draft, PostingDraft) else ""
        self.current_text = text

    # ---- the QR and the polls -------------------------------------------------------------
    def start_qr(self) -> None:
        """A new QR (also 重新生成二维码)."""
        self._stop_polling()
        self._token += 1
        token = self._token
        self._link = None
        self.qr_data, self.failed, self.received = "", False, False
        self.received_text = self.notes_text = ""
        self.message = _("正在生成二维码…")
        employer = getattr(self.services, "employer", None)
        if employer is None:
            self._started(token, HandoffOutcome("offline"))
            return
        prompt = self._prompt
        run_in_background(lambda: employer.handoff.start(prompt),
                          lambda result: self._started(token, result),
                          lambda _exc: self._started(token, HandoffOutcome("offline")))

    def _started(self, token: int, result: HandoffQr | HandoffOutcome) -> None:
        if token != self._token or self.nav is None:
            return
        self.nav.send("handoff_started", link=result)
        if isinstance(result, HandoffQr):
            self._poll_ev = Clock.schedule_interval(lambda _dt: self._poll(),
                                                    result.poll_after_s)

    def _poll(self) -> None:
        link, token = self._link, self._token
        employer = getattr(self.services, "employer", None)
        if link is None or employer is None or self._polling:
            return
        self._polling = True
        run_in_background(lambda: employer.handoff.poll(link),
                          lambda outcome: self._polled(token, outcome),
                          lambda _exc: setattr(self, "_polling", False))

    def _polled(self, token: int, outcome: HandoffOutcome) -> None:
        self._polling = False
        if token != self._token or self.nav is None:
            return
        if outcome.status != "waiting":
            self.nav.send("handoff_polled", outcome=outcome)

    def _stop_polling(self) -> None:
        if self._poll_ev is not None:
            self._poll_ev.cancel()
            self._poll_ev = None

    # ---- buttons ------------------------------------------------------------------------------
    def take(self) -> None:
        if self.received:
            self._stop_polling()
            self.nav.send("description_taken")

    def skip(self) -> None:
        self._stop_polling()
        self._token += 1
        self.nav.send("description_skipped")

    def remove(self) -> None:
        self.nav.send("description_removed")

    def demo_phone(self) -> None:
        """演示：手机填写 — the embedded sandbox's phone submits :data:`DEMO_TEXT`."""
        link = self._link
        if link is not None and self.demo:
            run_in_background(lambda: demo_phone_submit(link, DEMO_TEXT),
                              lambda _ok: self._poll())

    def on_leave(self, *_args: Any) -> None:
        self._stop_polling()
        self._token += 1

    def wipe(self) -> None:
        self._stop_polling()
        self._token += 1
        self._link = None
        self._prompt = ""
        self.qr_data = self.message = self.received_text = self.notes_text = ""
        self.current_text = ""
        self.failed = self.received = False


SCREENS = {"employer_description": EmployerDescriptionScreen}
