"""The Kivy adapter of the keyboard wedge against a stand-in window (no display needed).

The stand-in dispatches like Kivy's window: handlers bound last run first and a True return
stops the event; the system keyboard (bound first) records what a focused TextInput would get.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.devices.scanner.base import ListenerBase, Scan
from kiosk.devices.scanner.keyboard import KeyboardWedgeScanner
from kiosk.ui.scanner_wedge import ScannerWedgeAdapter


class FakeWindow:
    def __init__(self, managed_textinput: bool = True) -> None:
        self.managed_textinput = managed_textinput
        self.handlers: dict[str, list[Callable[..., Any]]] = {}
        self.field: list[str] = []            # what reached the "text field"
        self.bind(on_key_down=self._system_key_down, on_textinput=self._system_textinput,
                  on_keyboard=lambda *a: None, on_key_up=lambda *a: None)

    def bind(self, **events: Callable[..., Any]) -> None:
        for name, handler in events.items():
            self.handlers.setdefault(name, []).append(handler)

    def unbind(self, **events: Callable[..., Any]) -> None:
        for name, handler in events.items():
            self.handlers[name].remove(handler)

    def dispatch(self, name: str, *args: Any) -> bool:
        for handler in reversed(self.handlers.get(name, [])):
            if handler(self, *args):
                return True
        return False

    def _system_key_down(self, _w: Any, key: int, _sc: Any, codepoint: Any, _mods: Any) -> bool:
        if key == 13:
            self.field.append("<Enter>")
        elif codepoint and not self.managed_textinput:
            self.field.append(codepoint)
        return False

    def _system_textinput(self, _w: Any, text: str) -> bool:
        self.field.append(text)
        return True

    def type(self, char: str) -> None:
        """What SDL2 sends for one printable key: key down, then text input."""
        if not self.dispatch("on_key_down", ord(char), 4, char, []):
            self.dispatch("on_keyboard", ord(char), 4, char, [])
        if self.managed_textinput:
            self.dispatch("on_textinput", char)

    def enter(self) -> None:
        self.dispatch("on_key_down", 13, 40, None, [])


class Harness:
    def __init__(self, managed: bool = True) -> None:
        self.now = 100.0
        self.timers: list[tuple[float, Callable[[float], None]]] = []
        self.window = FakeWindow(managed)
        self.scanner = KeyboardWedgeScanner()
        self.scans: list[Scan] = []
        outer = self

        class Seen(ListenerBase):
            def on_scan(self, scan: Scan) -> None:
                outer.scans.append(scan)

        self.scanner.add_listener(Seen())
        self.scanner.start()
        self.adapter = ScannerWedgeAdapter(self.scanner, schedule=self.schedule,
                                           clock=lambda: self.now)
        self.adapter.install(self.window)

    def schedule(self, callback: Callable[[float], None], delay: float) -> object:
        self.timers.append((self.now + delay, callback))
        return None

    def advance(self, seconds: float) -> None:
        self.now += seconds
        due = [t for t in self.timers if t[0] <= self.now]
        self.timers = [t for t in self.timers if t[0] > self.now]
        for _at, callback in due:
            callback(0)


def test_a_wedge_burst_never_reaches_the_field_and_becomes_a_scan() -> None:
    h = Harness()
    for char in "]Q1FAIR-7Q3X":
        h.window.type(char)
        h.advance(0.003)
    h.window.enter()
    h.advance(1.0)
    assert h.window.field == []
    assert [(s.text, s.symbology, s.source) for s in h.scans] == [("FAIR-7Q3X", "]Q1", "keyboard")]


def test_typing_reaches_the_field_in_order_after_the_gap() -> None:
    h = Harness()
    h.window.type("4")
    assert h.window.field == []               # held at most wedge_max_gap_ms
    h.advance(0.2)
    assert h.window.field == ["4"]
    for char in "21":
        h.window.type(char)
        h.advance(0.2)
    h.window.enter()
    assert h.window.field == ["4", "2", "1", "<Enter>"] and h.scans == []


def test_shift_for_capitals_does_not_break_a_burst_and_backspace_releases() -> None:
    h = Harness(managed=False)                # characters come in key-down events
    for char in "AB12":
        h.window.dispatch("on_key_down", 304, 225, None, [])   # Shift
        h.window.dispatch("on_key_down", ord(char), 4, char, ["shift"])
        h.advance(0.002)
    h.window.enter()
    assert [s.text for s in h.scans] == ["AB12"] and h.window.field == []
    h.window.dispatch("on_key_down", ord("x"), 27, "x", [])
    h.window.dispatch("on_key_down", 8, 42, None, [])           # Backspace
    assert h.window.field == ["x"]
    h.adapter.uninstall()
    h.window.type("y")
    assert h.window.field == ["x", "y"]
