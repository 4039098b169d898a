"""The ID-card reader's port: what the services use of a reader, and how it calls back.

:class:`CardReaderPort` is implemented by :class:`kiosk.devices.idcard.reader.CardReader`
(the serial GA 467 SAM reader, real or over the simulator's pseudo-terminal). A reader calls
its listeners (:class:`CardReaderListener`; :class:`ListenerBase` to subclass) **on its own
thread**; :class:`ReaderState` travels as this enum everywhere above the driver (the health
line and the diagnostics print ``state.value``).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Protocol

from kiosk.devices.idcard.errors import CardReaderError

if TYPE_CHECKING:
    from kiosk.domain.identity_card import IdentityCard
    from kiosk.devices.idcard.simulator import CardSimulator


class ReaderState(enum.StrEnum):
    """The reader's state; ``str(state)`` is its value ("ready" …)."""

    STOPPED = "stopped"
    CONNECTING = "connecting"
    DISCONNECTED = "disconnected"
    SAM_FAULT = "sam_fault"
    READY = "ready"              # connected, no card read
    CARD_PRESENT = "card_present"


#: states in which no card can be read (the card screen says "读卡器暂时无法使用")
UNAVAILABLE_STATES = frozenset({ReaderState.DISCONNECTED, ReaderState.SAM_FAULT})


class CardReaderListener(Protocol):
    def on_card_placed(self, card: IdentityCard) -> None: ...
    def on_card_removed(self) -> None: ...
    def on_card_detected(self) -> None: ...
    def on_error(self, exc: CardReaderError) -> None: ...
    def on_status(self, state: ReaderState) -> None: ...


class ListenerBase:
    """No-op listener to subclass when only some events matter."""

    def on_card_placed(self, card: IdentityCard) -> None:
        pass

    def on_card_detected(self) -> None:
        """A card lies on the reader but reading is not allowed yet (no consent)."""

    def on_card_removed(self) -> None:
        pass

    def on_error(self, exc: CardReaderError) -> None:
        pass

    def on_status(self, state: ReaderState) -> None:
        pass


class CardReaderPort(Protocol):
    """A card reader as the services see it.

    ``set_read_allowed(False)`` means presence detection only (no READ: PIPL, nothing is read
    before consent). ``simulator`` is the built-in simulator in demo mode, else None.
    """

    simulator: CardSimulator | None

    def add_listener(self, listener: CardReaderListener) -> None: ...

    def set_read_allowed(self, allowed: bool) -> None: ...

    @property
    def read_allowed(self) -> bool: ...

    @property
    def state(self) -> ReaderState: ...

    def start(self) -> None: ...

    def close(self) -> None: ...
