"""Long free text typed on the person's own phone and brought back to the kiosk (a posting's
详细说明, issue 19): the kiosk shows a QR code, the phone opens the platform's form, types and
submits; the kiosk polls and shows the text for confirmation before it is used.

:meth:`TextHandoffService.start` → a :class:`HandoffQr` (a :class:`~kiosk.services.phone_link.PhoneLink`
with the hand-off's id, the characters allowed and the poll interval) or, when the platform
cannot make one, a :class:`HandoffOutcome` ``offline`` / ``refused``. The screen then calls
:meth:`TextHandoffService.poll` every ``poll_after_s`` seconds (off the UI thread) until the
outcome is final: ``received`` (``text`` tidied by :func:`kiosk.domain.free_text.tidy`, cut to
``max_chars``; ``personal`` names the kinds of personal numbers found in it: ``id_number``,
``phone``; ``masked_text`` is the text with them masked — what the posting carries),
``expired`` (past ``expires_at`` by the injected clock, without asking the platform), or
``offline`` after :data:`MAX_LOST_POLLS` polls in a row got no answer (one lost poll is retried
by the next). Outcomes are values with a Chinese message first, English second; the text is
never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from kiosk.domain.free_text import personal_numbers, tidy, without_personal_numbers
from kiosk.platform.wire_formats import parse_iso
from kiosk.services.phone_link import OFFLINE, REFUSED, Failure, PhoneLink, ask_platform

if TYPE_CHECKING:  # the wire models are imported on first use (issue 23: start-up)
    from kiosk.platform.handoff_wire import TextHandoff, TextHandoffState

#: Characters a posting's 详细说明 may have (the contract allows up to 2000).
DESCRIPTION_MAX_CHARS = 500
#: Polls in a row without an answer before the hand-off is given up as ``offline``.
MAX_LOST_POLLS = 3

MESSAGES = {
    "waiting": ("请用手机扫描二维码填写", "Scan the code with your phone and type there"),
    "received": ("已收到手机上填写的内容，请核对", "Received from your phone; please check it"),
    "expired": ("二维码已过期，请点“重新生成二维码”，或跳过这一步",
                "The code has expired; make a new one or skip this step"),
    "offline": ("网络暂不可用，不能用手机填写。可以跳过这一步，不影响发布",
                "The network is unavailable; you can skip this step"),
    "refused": ("暂时不能用手机填写，可以跳过这一步，不影响发布",
                "Typing on the phone is not available now; you can skip this step"),
}
PERSONAL_NOTES = {
    "id_number": ("说明中有身份证号码，已隐去", "An ID number in the text is hidden"),
    "phone": ("说明中有手机号码，已隐去（联系电话在“联系电话”一步填写）",
              "A mobile number in the text is hidden (the contact phone has its own step)"),
}


class HandoffPlatform(Protocol):
    """What this service needs of :class:`~kiosk.platform.client.PlatformClient`."""

    def create_text_handoff(self, purpose: str, max_chars: int, prompt: str = ""
                            ) -> TextHandoff: ...
    def text_handoff(self, handoff_id: str) -> TextHandoffState: ...


@dataclass(frozen=True)
class HandoffQr(PhoneLink):
    """The QR to show (``url``) until ``expires`` (aware UTC); poll every ``poll_after_s`` s."""

    handoff_id: str = field(default="", repr=False)
    expires: datetime = datetime.min.replace(tzinfo=UTC)
    max_chars: int = DESCRIPTION_MAX_CHARS
    poll_after_s: float = 2.0


@dataclass(frozen=True)
class HandoffOutcome:
    """``status``: waiting | received | expired | offline | refused (see the module docstring)."""

    status: str
    text: str = field(default="", repr=False)
    personal: tuple[str, ...] = ()

    @property
    def final(self) -> bool:
        return self.status != "waiting"

    @property
    def masked_text(self) -> str:
        """The text with ID and phone numbers masked (what goes into the posting)."""
        return without_personal_numbers(self.text)

    @property
    def message_zh(self) -> str:
        return MESSAGES[self.status][0]

    @property
    def message_en(self) -> str:
        return MESSAGES[self.status][1]

    @property
    def notes_zh(self) -> tuple[str, ...]:
        """One line per kind of personal number found (shown under the received text)."""
        return tuple(PERSONAL_NOTES[k][0] for k in self.personal)

    @property
    def notes_en(self) -> tuple[str, ...]:
        return tuple(PERSONAL_NOTES[k][1] for k in self.personal)


class TextHandoffService:
    """Hand-offs through the platform (see the module docstring).

    Args:
        platform: returns the platform client (None while it is not built).
        now: UTC time source (the expiry is decided by it; tests inject a clock).
    """

    def __init__(self, platform: Callable[[], HandoffPlatform | None],
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._platform = platform
        self._now = now
        self._lost = 0

    def start(self, prompt: str = "", purpose: str = "posting_description",
              max_chars: int = DESCRIPTION_MAX_CHARS) -> HandoffQr | HandoffOutcome:
        """A new hand-off's QR, or the ``offline`` / ``refused`` outcome (blocks for the
        client's timeouts: call off the UI thread)."""
        made = ask_platform(self._platform,
                            lambda c: c.create_text_handoff(purpose, max_chars, prompt[:60]),
                            "text hand-off not made")
        if isinstance(made, Failure):
            return HandoffOutcome("refused" if made is REFUSED else "offline")
        try:
            expires = parse_iso(made.expires_at)
        except ValueError:
            return HandoffOutcome("offline")
        self._lost = 0
        return HandoffQr(url=made.url, expires_at=made.expires_at, handoff_id=made.handoff_id,
                         expires=expires, max_chars=made.max_chars,
                         poll_after_s=made.poll_after_ms / 1000.0)

    def poll(self, qr: HandoffQr) -> HandoffOutcome:
        """The hand-off's state now (blocks for one request at most)."""
        if self._now() >= qr.expires:
            return HandoffOutcome("expired")
        state = ask_platform(self._platform, lambda c: c.text_handoff(qr.handoff_id),
                             "text hand-off not read")
        if state is REFUSED:
            return HandoffOutcome("expired")          # the platform forgot it
        if state is OFFLINE or isinstance(state, Failure):
            self._lost += 1
            return HandoffOutcome("offline" if self._lost >= MAX_LOST_POLLS else "waiting")
        self._lost = 0
        if state.status == "received" and state.text is not None:
            text = tidy(state.text)[:qr.max_chars]
            return HandoffOutcome("received", text, personal_numbers(text))
        if state.status == "expired":
            return HandoffOutcome("expired")
        return HandoffOutcome("waiting")


#: What 演示：手机填写 submits (the embedded sandbox plays the employer's phone).
DEMO_TEXT = "工作内容：写字楼公共区域日常保洁。\n时间：早上8点到下午5点，中午休息1小时。\n待遇：包午餐，当天结算。"


def demo_phone_submit(link: HandoffQr, text: str, timeout_s: float = 5.0) -> bool:
    """Play the phone (demo with the embedded sandbox only): submit ``text`` to the form at
    ``link.url`` as a phone browser would (UTF-8 form). True when the platform took it."""
    import requests

    try:
        resp = requests.post(link.url, data={"text": text}, timeout=timeout_s)
    except requests.RequestException:
        return False
    return resp.status_code == 200


__all__ = ["DEMO_TEXT", "demo_phone_submit", "DESCRIPTION_MAX_CHARS", "HandoffOutcome", "HandoffQr", "MAX_LOST_POLLS",
           "TextHandoffService"]
