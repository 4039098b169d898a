"""Keyboard-wedge timing: a scanner's burst vs a person typing, at the edges of the thresholds.

Times are injected (seconds); thresholds are milliseconds (defaults 50 ms max gap, 20 ms mean,
4 characters).
"""

from __future__ import annotations

import pytest

from kiosk.devices.scanner.base import ENTER, ListenerBase, Scan, Typed
from kiosk.devices.scanner.errors import ScannerError, SymbologyIdentifierError
from kiosk.devices.scanner.keyboard import KeyboardWedgeScanner
from kiosk.devices.scanner.symbology import AimMode
from kiosk.devices.scanner.wedge import (WedgeClassifier, WedgeRejected, WedgeScan,
                                         WedgeTiming)


def burst(classifier: WedgeClassifier, text: str, start: float, gap_ms: float,
          enter_gap_ms: float | None = None) -> list[object]:
    out: list[object] = []
    t = start
    for i, char in enumerate(text):
        if i:
            t += gap_ms / 1000
        out += classifier.key(char, t)
    out += classifier.enter(t + (gap_ms if enter_gap_ms is None else enter_gap_ms) / 1000)
    return out


def test_a_wedge_burst_is_one_scan_with_nothing_typed() -> None:
    classifier = WedgeClassifier()
    out = burst(classifier, "]Q1KIOSK-7Q3X", 100.0, 4)
    assert out == [WedgeScan(Scan(text="KIOSK-7Q3X", symbology="]Q1", source="keyboard",
                                  encoding="keyboard"))]
    assert not classifier.holding and classifier.next_deadline() is None


def test_a_person_typing_is_released_as_typed_keys_in_order() -> None:
    classifier = WedgeClassifier()
    out: list[object] = []
    for i, char in enumerate("hello"):
        out += classifier.key(char, 10.0 + i * 0.150)   # 150 ms apart
    out += classifier.enter(10.0 + 5 * 0.150)
    assert out == [Typed(("h",)), Typed(("e",)), Typed(("l",)), Typed(("l",)), Typed(("o",)),
                   Typed((ENTER,))]
    assert "".join(t.text for t in out if isinstance(t, Typed)) == "hello"


def test_held_key_is_released_by_poll_only_after_the_max_gap() -> None:
    classifier = WedgeClassifier()
    assert classifier.key("a", 5.0) == []
    assert classifier.next_deadline() == pytest.approx(5.05)
    assert classifier.poll(5.05) == []                     # exactly 50 ms: could still be a scan
    assert classifier.poll(5.0501) == [Typed(("a",))]
    assert classifier.poll(6.0) == []


@pytest.mark.parametrize("gap_ms, enter_gap_ms, is_scan", [
    (20, 20, True),     # mean exactly 20 ms, every gap ≤ 50 ms
    (20.5, 20.5, False),  # mean just above 20 ms
    (10, 50, True),     # Enter at exactly the max gap (mean (30+50)/4 = 20)
    (5, 50.1, False),   # Enter just past the max gap: all typed (keys released first)
])
def test_edge_gaps(gap_ms: float, enter_gap_ms: float, is_scan: bool) -> None:
    out = burst(WedgeClassifier(), "ABCD", 0.0, gap_ms, enter_gap_ms)
    if is_scan:
        assert out == [WedgeScan(Scan(text="ABCD", source="keyboard", encoding="keyboard"))]
    else:
        typed = [o for o in out if isinstance(o, Typed)]
        assert len(typed) == len(out) and sum((t.keys for t in typed), ()) == \
            ("A", "B", "C", "D", ENTER)


def test_one_slow_gap_inside_a_fast_burst_splits_it() -> None:
    classifier = WedgeClassifier()
    out = []
    times = [0.0, 0.004, 0.008, 0.070, 0.074, 0.078, 0.082]   # 62 ms pause after "ABC"
    for char, t in zip("ABCDEFG", times, strict=True):
        out += classifier.key(char, t)
    out += classifier.enter(0.086)
    assert out[0] == Typed(("A", "B", "C"))
    assert out[1] == WedgeScan(Scan(text="DEFG", source="keyboard", encoding="keyboard"))


def test_too_short_burst_and_lone_enter_are_typed() -> None:
    classifier = WedgeClassifier(WedgeTiming(min_length=4))
    assert burst(classifier, "abc", 0.0, 3) == [Typed(("a", "b", "c", ENTER))]
    assert classifier.enter(1.0) == [Typed((ENTER,))]


def test_other_key_releases_held_keys() -> None:
    classifier = WedgeClassifier()
    classifier.key("x", 0.0)
    classifier.key("y", 0.002)
    assert classifier.other(0.004) == [Typed(("x", "y"))] and not classifier.holding


def test_aim_on_burst_without_identifier_is_rejected_not_typed() -> None:
    out = burst(WedgeClassifier(aim=AimMode.ON), "ABCDEF", 0.0, 3)
    assert len(out) == 1 and isinstance(out[0], WedgeRejected)
    assert isinstance(out[0].error, SymbologyIdentifierError)


def test_thresholds_are_validated() -> None:
    with pytest.raises(ValueError, match="mean_gap_ms"):
        WedgeTiming(max_gap_ms=10, mean_gap_ms=20)
    with pytest.raises(ValueError):
        WedgeTiming(min_length=0)


class Recorder(ListenerBase):
    def __init__(self) -> None:
        self.scans: list[Scan] = []
        self.errors: list[ScannerError] = []

    def on_scan(self, scan: Scan) -> None:
        self.scans.append(scan)

    def on_error(self, exc: ScannerError) -> None:
        self.errors.append(exc)


def test_keyboard_scanner_emits_scans_and_returns_typing() -> None:
    scanner = KeyboardWedgeScanner(aim=AimMode.ON)
    seen = Recorder()
    scanner.add_listener(seen)
    assert scanner.key("a", 0.0) == [Typed(("a",))]          # not started: passes at once
    scanner.start()
    assert scanner.state.value == "ready" and "keyboard wedge" in scanner.describe()
    for i, char in enumerate("]E09787111234567"):
        assert scanner.key(char, 1.0 + i * 0.003) == []
    assert scanner.enter(1.0 + 16 * 0.003) == []
    assert [(s.text, s.symbology, s.source) for s in seen.scans] == \
        [("9787111234567", "]E0", "keyboard")]
    for i, char in enumerate("ABCDE"):
        scanner.key(char, 2.0 + i * 0.003)
    scanner.enter(2.015)
    assert len(seen.errors) == 1 and isinstance(seen.errors[0], SymbologyIdentifierError)
    scanner.key("z", 3.0)
    assert scanner.next_deadline() == pytest.approx(3.05)
    assert scanner.poll(3.1) == [Typed(("z",))]
    scanner.key("q", 4.0)
    scanner.stop()                                            # held keys dropped
    assert scanner.poll(5.0) == [] and scanner.state.value == "stopped"
