"""Keyboard-wedge timing: tell a scanner's key burst from a person typing. Pure; no UI.

A USB keyboard-wedge (HID) scanner "types" each code as a burst of key events ending in Enter,
a few milliseconds apart; a person types tens to hundreds of milliseconds apart. The
:class:`WedgeClassifier` holds every key until it knows which it was, so a scan never reaches a
text field, and releases typing (with its Enter) to the UI when it is sure:

* a **scan** is at least ``min_length`` characters followed by Enter, where every gap (between
  two keys, and before the Enter) is at most ``max_gap_ms`` and the mean gap is at most
  ``mean_gap_ms``; its text goes through the AIM rules (:func:`~.symbology.split_symbology`);
* anything else is **typed**: a gap longer than ``max_gap_ms`` (seen on the next key or by
  :meth:`WedgeClassifier.poll`), a non-text key, an Enter after too few or too slow keys.

A gap exactly at a threshold still counts as a scan's. The thresholds are configurable
(``[scanner] wedge_*``) because engines differ (some insert a programmable inter-key delay) and
no standard fixes them. Typing is held at most ``max_gap_ms`` before it is released (the
kiosk's own text entry is an on-screen keyboard; this concerns a technician's USB keyboard).

Events come in with timestamps in seconds (any monotonic clock; the UI adapter uses
``time.monotonic()`` at the event) and results come out as :class:`WedgeScan` /
:class:`~.base.Typed` values. Known limit: if the UI thread stalls, queued key events arrive together
and typing can look fast; ``min_length`` plus the Enter keep a stray burst rare.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.scanner.base import ENTER, Scan, Typed
from kiosk.devices.scanner.errors import SymbologyIdentifierError
from kiosk.devices.scanner.symbology import AimMode, split_symbology

@dataclass(frozen=True)
class WedgeTiming:
    """Thresholds in milliseconds (``max_gap_ms``, ``mean_gap_ms``) and characters."""

    max_gap_ms: float = 50.0
    mean_gap_ms: float = 20.0
    min_length: int = 4

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0 or self.mean_gap_ms <= 0 or self.min_length < 1:
            raise ValueError("wedge thresholds must be positive")
        if self.mean_gap_ms > self.max_gap_ms:
            raise ValueError("mean_gap_ms must not exceed max_gap_ms")


@dataclass(frozen=True)
class WedgeScan:
    """A burst recognised as a scan (its keys are not delivered anywhere)."""

    scan: Scan


@dataclass(frozen=True)
class WedgeRejected:
    """A burst fast enough to be a scan whose text the AIM rules refuse (``aim_prefix = "on"``
    without an identifier). Dropped, not typed: it came from the scanner."""

    error: SymbologyIdentifierError


WedgeOutput = WedgeScan | Typed | WedgeRejected


class WedgeClassifier:
    """Feed key events in time order; each call returns what became certain (maybe nothing)."""

    def __init__(self, timing: WedgeTiming | None = None, aim: AimMode = AimMode.AUTO) -> None:
        self.timing = timing or WedgeTiming()
        self.aim = aim
        self._held: list[tuple[str, float]] = []

    @property
    def holding(self) -> bool:
        """Keys are held, undecided."""
        return bool(self._held)

    def _gap_ok(self, gap_s: float) -> bool:
        return gap_s * 1000 <= self.timing.max_gap_ms + 1e-6

    def _release(self, *extra: str) -> list[WedgeOutput]:
        keys = tuple(k for k, _ in self._held) + extra
        self._held.clear()
        return [Typed(keys)] if keys else []

    def _expired(self, now_s: float) -> list[WedgeOutput]:
        if self._held and not self._gap_ok(now_s - self._held[-1][1]):
            return self._release()
        return []

    def key(self, char: str, at_s: float) -> list[WedgeOutput]:
        """A text key (one character, as the keyboard layout produced it) at ``at_s``."""
        out = self._expired(at_s)
        self._held.append((char, at_s))
        return out

    def enter(self, at_s: float) -> list[WedgeOutput]:
        """The Enter key at ``at_s``: ends a scan, or is typed."""
        out = self._expired(at_s)
        if not self._held:
            return out + [Typed((ENTER,))]
        times = [t for _, t in self._held] + [at_s]
        gaps_ms = [(b - a) * 1000 for a, b in zip(times, times[1:], strict=False)]
        fast = (len(self._held) >= self.timing.min_length
                and all(self._gap_ok(g / 1000) for g in gaps_ms)
                and sum(gaps_ms) / len(gaps_ms) <= self.timing.mean_gap_ms + 1e-6)
        if not fast:
            return out + self._release(ENTER)
        text = "".join(k for k, _ in self._held)
        self._held.clear()
        try:
            symbology, data = split_symbology(text, self.aim, len(text.encode("utf-8")))
        except SymbologyIdentifierError as exc:
            return out + [WedgeRejected(exc)]
        return out + [WedgeScan(Scan(text=data, symbology=symbology, source="keyboard",
                                     encoding="keyboard"))]

    def other(self, at_s: float) -> list[WedgeOutput]:
        """A non-text key (arrow, Backspace, a Ctrl shortcut …): held keys were typed. The key
        itself is the caller's to pass on."""
        return self._release()

    def poll(self, now_s: float) -> list[WedgeOutput]:
        """Time passed with no key: release held keys once the gap exceeds ``max_gap_ms``."""
        return self._expired(now_s)

    def next_deadline(self) -> float | None:
        """The time (seconds) after which :meth:`poll` releases the held keys, or None."""
        if not self._held:
            return None
        return self._held[-1][1] + self.timing.max_gap_ms / 1000
