"""ID-card reader events as the journey sees them: classified outcomes with Chinese messages.

The reader (``kiosk.devices.idcard``) reports on its own thread; :class:`CardService` turns
those reports into :class:`CardEvent` objects for one subscriber (the app, which hops them to
the UI thread) and decides what a failure means for the jobseeker:

* ``placed`` with ``problem=None``: a valid card was read;
* ``placed`` with ``problem="card_expired"``: read, but past its validity date (GA 467 text
  block ``valid_until``; "长期" never expires);
* ``problem="read_failed"``: frame, checksum, timeout or SAM read errors: remove and place again;
* ``problem="reader_unavailable"``: port gone, SAM self-test failed: ask staff;
* ``detected``: a card lies on the reader before consent (nothing read);
* ``removed``.

:attr:`CardService.card_present` says whether a card lies on the reader now (detected or read,
not yet removed): the notice then says that the card on the reader will be read, instead of
asking for it (issue 17 item 4).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from collections.abc import Callable

from kiosk.devices.idcard.errors import (CardDataError, CardReaderError, FrameError,
                                         ReaderTimeout, ReaderUnavailable, SamError)
from kiosk.devices.idcard.base import CardReaderPort, ListenerBase, ReaderState
from kiosk.domain.identity_card import IdentityCard
from kiosk.domain.i18n_marker import N_

logger = logging.getLogger(__name__)

#: message ids (``N_``): the card screen translates them where it shows them
PROBLEM_MESSAGES = {
    "read_failed": N_("读卡失败，请拿开身份证后重新放置"),
    "card_expired": N_("您的身份证已过有效期，请到人工窗口办理"),
    "reader_unavailable": N_("读卡器暂时无法使用，请联系工作人员"),
    "invalid_number": N_("证件号码校验未通过，请到人工窗口办理"),
    "card_kind": N_("此项服务暂不支持您的证件类型，请到人工窗口办理"),
}

SAM_SELF_TEST_FAILED = 0x60


@dataclass(frozen=True)
class CardEvent:
    kind: str                      # "placed" | "removed" | "detected" | "problem" | "state"
    card: IdentityCard | None = None   # the card read, for "placed"
    problem: str | None = None     # key of PROBLEM_MESSAGES
    state: ReaderState | None = None   # for "state"

    @property
    def message_zh(self) -> str:
        return PROBLEM_MESSAGES.get(self.problem or "", "")


def classify_error(exc: CardReaderError) -> str:
    """Map a reader error to a problem key of :data:`PROBLEM_MESSAGES`."""
    if isinstance(exc, ReaderUnavailable):
        return "reader_unavailable"
    if isinstance(exc, SamError) and exc.status == SAM_SELF_TEST_FAILED:
        return "reader_unavailable"
    if isinstance(exc, (FrameError, ReaderTimeout, SamError, CardDataError)):
        return "read_failed"
    return "read_failed"


def card_problem(card: IdentityCard, today: date) -> str | None:
    """``card_expired`` / ``invalid_number`` / None for a card that may be used."""
    if not card.id_number_valid:
        return "invalid_number"
    until = card.valid_until
    if isinstance(until, date) and until < today:
        return "card_expired"
    return None


class CardService(ListenerBase):
    """Subscribes to the reader and forwards classified :class:`CardEvent` s.

    Args:
        reader: a started or startable ``CardReader`` (or None when no reader is configured).
        today: injectable date source for the expiry check.
    """

    def __init__(self, reader: CardReaderPort | None,
                 today: Callable[[], date] = date.today) -> None:
        self.reader = reader
        self._today = today
        self._subscriber: Callable[[CardEvent], None] | None = None
        self.last_state = ReaderState.STOPPED
        self.last_read_at: float | None = None
        #: a card lies on the reader (detected or read, not removed since); reader thread writes
        self.card_present = False
        if reader is not None:
            reader.add_listener(self)
            reader.set_read_allowed(False)

    def subscribe(self, callback: Callable[[CardEvent], None] | None) -> None:
        """``callback(event)`` is called on the reader thread."""
        self._subscriber = callback

    def allow_reading(self, allowed: bool) -> None:
        """Reading is allowed only after consent, and forbidden again when the session ends."""
        if self.reader is not None:
            self.reader.set_read_allowed(allowed)

    def start(self) -> None:
        if self.reader is not None:
            self.reader.start()

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()

    def _send(self, event: CardEvent) -> None:
        if self._subscriber is not None:
            self._subscriber(event)

    # ---- reader listener (reader thread) -------------------------------------------------
    def on_card_placed(self, card: IdentityCard) -> None:
        import time

        self.last_read_at = time.time()
        self.card_present = True
        self._send(CardEvent("placed", card=card, problem=card_problem(card, self._today())))

    def on_card_detected(self) -> None:
        self.card_present = True
        self._send(CardEvent("detected"))

    def on_card_removed(self) -> None:
        self.card_present = False
        self._send(CardEvent("removed"))

    def on_error(self, exc: CardReaderError) -> None:
        self._send(CardEvent("problem", problem=classify_error(exc)))

    def on_status(self, state: ReaderState) -> None:
        self.last_state = state
        self._send(CardEvent("state", state=state))
