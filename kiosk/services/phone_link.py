"""What the kiosk's two phone hand-offs share: a link shown as a QR code, and asking the
platform for it with every failure turned into a value (never an exception on a screen).

* the résumé to the phone (:mod:`kiosk.services.resume_handoff`): the kiosk sends, the phone
  opens a PDF link;
* long free text from the phone (:mod:`kiosk.services.text_handoff`): the phone opens a form
  link, types, and the kiosk polls for the text.

:class:`PhoneLink` is the link (``url``, ``expires_at`` as the platform wrote it) or, when
``url`` is empty, why there is none (``message_zh`` first, ``message_en`` second).
:func:`ask_platform` runs one platform call and answers :data:`OFFLINE` (no client, no answer,
a bad answer) or :data:`REFUSED` (the platform answered 4xx) instead of raising; only the
exception's class (and a problem's status and code) is logged, nothing personal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from kiosk.platform.errors import PlatformError, PlatformRejected

log = logging.getLogger(__name__)
P = TypeVar("P")
T = TypeVar("T")


@dataclass(frozen=True)
class PhoneLink:
    """A link for the phone (``url``, ``expires_at``), or a Chinese/English message why not."""

    url: str = ""
    expires_at: str = ""
    message_zh: str = ""
    message_en: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.url)


class Failure(StrEnum):
    """Why :func:`ask_platform` has no answer."""

    OFFLINE = "offline"      # no client, no answer in time, or an answer that is not the contract's
    REFUSED = "refused"      # the platform answered with a 4xx problem


OFFLINE = Failure.OFFLINE
REFUSED = Failure.REFUSED


def ask_platform(platform: Callable[[], P | None], call: Callable[[P], T], what: str
                 ) -> T | Failure:
    """``call(client)`` with the current client, or the :class:`Failure` (blocks for the
    client's timeouts: call off the UI thread). ``what`` names the call in the log line."""
    client = platform()
    if client is None:
        return OFFLINE
    try:
        return call(client)
    except PlatformRejected as exc:
        log.warning("%s: refused %s %s", what, exc.status, exc.code)
        return REFUSED
    except PlatformError as exc:
        log.warning("%s: %s", what, type(exc).__name__)
        return OFFLINE


__all__ = ["Failure", "OFFLINE", "PhoneLink", "REFUSED", "ask_platform"]
