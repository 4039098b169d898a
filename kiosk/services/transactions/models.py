"""Value types of the per-transaction records (issue 21); none holds personal data.

A *transaction* is one service the jobseeker finishes or leaves at the kiosk (求职登记, a
referral, an assistance request, …). Its record keeps only: kind, start/finish, outcome,
duration, the last step reached, the error class of a failure, language, 长辈模式 and the
好差评 rating. Free text never enters a record: kinds, step names and error classes must match
:data:`CODE_RE` (``ValueError`` otherwise), so a message with an ID number cannot slip in.

Times are Unix epoch seconds (float, UTC); durations are seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Outcome = Literal["completed", "abandoned", "failed"]
OUTCOMES: tuple[str, ...] = ("completed", "abandoned", "failed")

#: Kinds, step names and error classes: a short code (letters, digits, ``_ . : -``), never text.
CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")
#: Six digits in a row never occur in a code but do in ID numbers (GB 11643), phone numbers
#: and receipt dates: such a value is refused even if it matches :data:`CODE_RE`.
DIGIT_RUN_RE = re.compile(r"\d{6}")
#: Transaction kinds: lower-case codes (``registration``, ``assistance:subsidy_application``).
KIND_RE = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")
LANGUAGES: tuple[str, ...] = ("zh_CN", "en")

#: Devices whose fault minutes are counted, and the states that count as a fault for each.
#: Card reader: :class:`kiosk.devices.idcard.reader.ReaderState`; printer: the health keys of
#: :func:`kiosk.services.health.printer_state` (``near_end`` still prints, so it is no fault);
#: scanner: the QR scanner's states (issue 20).
FAULT_STATES: dict[str, frozenset[str]] = {
    "card_reader": frozenset({"disconnected", "sam_fault"}),
    "printer": frozenset({"paper_end", "cover_open", "offline"}),
    "scanner": frozenset({"disconnected"}),
}


def check_code(what: str, value: str) -> str:
    """``value`` if it is a code per :data:`CODE_RE`. Raises ValueError naming ``what`` (never
    the value: it might be a message holding personal data)."""
    if not isinstance(value, str) or not CODE_RE.fullmatch(value) or DIGIT_RUN_RE.search(value):
        raise ValueError(f"{what} must be a short code matching {CODE_RE.pattern} "
                         "without 6 digits in a row")
    return value


@dataclass(frozen=True)
class TransactionRecord:
    """One row of ``transactions`` as :class:`~.store.TransactionStore` returns it.

    Attributes:
        txn_id: local row id (never sent anywhere).
        kind: e.g. ``registration``, ``referral``, ``assistance:unemployment_registration``.
        started_at, finished_at: epoch seconds (``finished_at`` None while open).
        outcome: one of :data:`OUTCOMES`, or None while open.
        last_step: 1-based number of the last step reached (0 = none yet); for ``abandoned``
            this is "abandoned at step N".
        step_name: code of that step (a screen/step id) or "".
        error_class: for ``failed``: the error's class (``PlatformUnavailable``), else "".
        duration_s: seconds from start to finish (None while open).
        language: ``zh_CN`` or ``en`` at the finish.
        elderly: 长辈模式 was on at the finish.
        rating: 好差评 level 1–5 (5 = 非常满意) or None (not rated / skipped).
        rating_reasons: reason chip codes chosen with a low rating.
        rating_state: ``none``, ``held`` (waiting for the transaction's delivery), ``queued``
            (in the outbox), ``dropped`` (its transaction never reached the platform).
    """

    txn_id: int
    kind: str
    started_at: float
    finished_at: float | None
    outcome: str | None
    last_step: int
    step_name: str
    error_class: str
    duration_s: float | None
    language: str
    elderly: bool
    rating: int | None
    rating_reasons: tuple[str, ...]
    rating_state: str


@dataclass(frozen=True)
class DeviceFault:
    """A stretch of time a device spent in a fault state (``ended_at`` None = still faulty)."""

    device: str
    state: str
    started_at: float
    ended_at: float | None


__all__ = ["Outcome", "OUTCOMES", "CODE_RE", "KIND_RE", "LANGUAGES", "FAULT_STATES", "check_code",
           "TransactionRecord", "DeviceFault"]
