"""The one state object of a session: :class:`Journey`.

Everything personal about the person at the terminal lives here and nowhere else: the card
read (``identity``), the consent given, the phone number typed, and one typed *part* per
journey walked in this session (the 求职登记 draft, the referral tickets, the chosen assistance
service …: each journey module declares its own dataclass and reaches it with
``journey.part(RegistrationDraft)``). Ending the session clears every field and drops the
object (:class:`kiosk.services.session.SessionService`), so nothing survives the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast

from kiosk.domain.identity_card import IdentityCard
from kiosk.services.journeys.transaction_ref import RatingDue


def _new_session_id() -> str:
    """A random 32-hex-digit session id (UUID4), made when a journey starts; uuid is imported
    then, not at start-up."""
    import uuid

    return uuid.uuid4().hex


class Part(Protocol):
    """A journey's typed state: a dataclass with a no-argument constructor."""


P = TypeVar("P")


@dataclass(frozen=True)
class HistoryEntry:
    """A step the back button returns to: ``(journey, step)`` and the values it was shown with."""

    journey: str
    step: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class Journey:
    """The session's state (see the module docstring).

    Attributes:
        current: the journey being walked ("" on the home screen).
        step: its current step ("consent" / "card_read" while the identity is asked for).
        step_values: the values the current step was entered with (kept for 返回).
        history: where the back button goes, newest last.
        identity: the card read in this session (one read per session: reading is forbidden
            again once it is kept).
        consent: the consent record (``kiosk.services.consent.consent_record``) or None.
        phone: the contact number typed in this session ("" until then).
        pending: the step waiting for the identity (entered once the card is read).
        continue_to: the journey the current one offers to go on with when it ends.
        ratings_due: this session's completed transactions not rated yet, oldest first (the
            好差评 step asks for them when the person ends the session).
        rating_level: the level tapped on the rating step while its reasons are asked.
        ending: the end reason the rating step ends the session with.
    """

    session_id: str = field(default_factory=_new_session_id)
    started_at: float = 0.0
    last_activity: float = 0.0
    current: str = ""
    step: str = ""
    step_values: dict[str, object] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    identity: IdentityCard | None = None
    consent: dict[str, object] | None = None
    phone: str = ""
    pending: HistoryEntry | None = None
    continue_to: str = ""
    ratings_due: list[RatingDue] = field(default_factory=list)
    rating_level: int | None = None
    ending: str = ""
    _parts: dict[type, object] = field(default_factory=dict)

    def part(self, kind: type[P]) -> P:
        """This session's ``kind`` part, created empty on first use."""
        found = self._parts.get(kind)
        if found is None:
            found = kind()
            self._parts[kind] = found
        return cast(P, found)

    def has_part(self, kind: type) -> bool:
        return kind in self._parts

    def clear(self) -> None:
        """Overwrite every field holding personal data (references elsewhere become empty)."""
        self.identity = None
        self.consent = None
        self.phone = ""
        self.pending = None
        self.continue_to = self.ending = ""
        self.ratings_due.clear()
        self.rating_level = None
        self.current = self.step = ""
        self.step_values.clear()
        self.history.clear()
        for part in self._parts.values():
            clear = getattr(part, "clear", None)
            if callable(clear):
                clear()
        self._parts.clear()
