"""Personal-information notice and consent (PIPL Art. 14/17), shown before any card is read.

What is read, why, who receives it, how long it is kept, and the alternative (the counter):
the text of :mod:`kiosk.services.consent`. "同意" (``nav.agree()``) records the consent (version,
SHA-256 of the text, time, the purposes of the journey asking) and only then allows the reader
to read; "不同意" (``nav.decline()``) forbids reading, ends the session and shows home: nothing
is read. The gate itself is the journey engine's (:mod:`kiosk.services.journeys.engine`).

Values: ``purposes`` and ``card_on_reader`` (a card already lies on the reader: laid on the
home screen, say); the 同意 button then says that card will be read instead of asking for it
(issue 17 item 4), and follows the card being taken away or laid down (``update``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kivy.properties import BooleanProperty

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.consent import notice_text

load_kv(__file__)


class ConsentScreen(KioskScreen):
    prompt_key = "consent"
    card_on_reader = BooleanProperty(False)

    def notice(self, language: str) -> str:
        """The notice in ``language``; "1. 读取内容" kept on one line (a no-break space after
        the item number, else Kivy wraps the number alone onto its own line)."""
        return re.sub(r"^(\d+\.) ", "\\1\u00a0", notice_text(language), flags=re.MULTILINE)

    def show(self, values: Mapping[str, object]) -> None:
        # The engine withdraws a pending consent and forbids reading when this is shown.
        self.card_on_reader = bool(values.get("card_on_reader", False))
        if "notice_scroll" in self.ids:
            self.ids.notice_scroll.scroll_y = 1

    def update(self, values: Mapping[str, object]) -> None:
        if "card_on_reader" in values:
            self.card_on_reader = bool(values["card_on_reader"])

    def agree(self) -> None:
        self.nav.agree()

    def decline(self) -> None:
        self.nav.decline()

    def wipe(self) -> None:
        self.card_on_reader = False
        self.ids.notice_scroll.scroll_y = 1


SCREENS = {"consent": ConsentScreen}
