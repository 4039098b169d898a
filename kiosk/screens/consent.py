"""Personal-information notice and consent (PIPL Art. 14/17), shown before any card is read.

What is read, why, who receives it, how long it is kept, and the alternative (the counter):
the text of :mod:`kiosk.services.consent`. "同意" records the consent (version, SHA-256 of the
text, time, purposes for the pending action) in the session and only then allows the reader to
read (``services.card.allow_reading(True)``); "不同意" forbids reading, ends the session and
shows home: nothing is read.
"""

from __future__ import annotations

import re

from kivy.app import App

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.consent import consent_record, notice_text

load_kv(__file__)

#: consent purposes (docs/openapi.yaml ``Consent.purposes``) by pending action
ACTION_PURPOSES: dict[str, list[str]] = {
    "register": ["registration"],
    "match": ["registration"],
    "referral": ["referral"],
    "assistance": ["assistance"],
}


class ConsentScreen(KioskScreen):
    prompt_key = "consent"

    def notice(self, language: str) -> str:
        """The notice in ``language``; "1. 读取内容" kept on one line (a no-break space after
        the item number, else Kivy wraps the number alone onto its own line)."""
        return re.sub(r"^(\d+\.) ", "\\1\u00a0", notice_text(language), flags=re.MULTILINE)

    def on_pre_enter(self, *_args: object) -> None:
        # Coming back here (返回 from the card screen) withdraws the pending consent.
        if self.services is None:
            return
        if self.services.card is not None:
            self.services.card.allow_reading(False)
        session = self.services.session.current
        if session is not None and session.identity is None:
            session.consent = None
        self.ids.notice_scroll.scroll_y = 1

    def agree(self) -> None:
        session = self.services.session.start()
        purposes = ACTION_PURPOSES.get(session.pending_action, ["registration"])
        session.consent = consent_record(purposes)
        if self.services.card is not None:
            self.services.card.allow_reading(True)
        App.get_running_app().go("card_read")

    def decline(self) -> None:
        if self.services.card is not None:
            self.services.card.allow_reading(False)
        App.get_running_app().finish_session("declined")

    def on_card_event(self, event: object) -> bool:
        return True  # a card laid down while reading the notice waits for "同意"

    def wipe(self) -> None:
        self.ids.notice_scroll.scroll_y = 1
