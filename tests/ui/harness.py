"""Drive the real kiosk app in-process, as a person would: find widgets by id or text, tap
them with synthetic touches, wait for screens by pumping frames (no fixed sleeps), and save a
PNG of every screen visited under ``tests/artifacts/``.

One Kivy window per process: the app is created once per test session (``ui`` fixture in
``tests/ui/conftest.py``) and every test starts from the home screen with no session.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.input.motionevent import MotionEvent
from kivy.uix.widget import Widget

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


class _Touch(MotionEvent):
    """A single synthetic finger (like ``kivy.tests.common.UnitTestTouch``)."""

    def __init__(self, x: float, y: float) -> None:
        win = EventLoop.window
        super().__init__("harness", 99, {"x": x / (win.width - 1.0), "y": y / (win.height - 1.0)},
                         is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args: dict) -> None:
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)

    def _post(self, etype: str) -> None:
        EventLoop.post_dispatch_input(etype, self)


#: How often (s) the window is drawn while a test pumps frames. Under Xvfb, Mesa's llvmpipe
#: rasterises and copies one 1080×1920 frame in 100–200 ms on 2 cores, and Kivy redraws every
#: turn in which a canvas changed: drawing each turn kept the UI tests ~75 % of their time in
#: ``Window.flip`` (cProfile of the employer journey: 178 flips, 38.8 s of 50 s). Nothing a
#: test asserts is read from the window's pixels: screenshots render the widget tree offscreen
#: (:meth:`UiDriver.screenshot`), and the app's ``on_flip`` listeners still see frames.
DRAW_INTERVAL_S = 5.0


def _turn_without_drawing() -> None:
    """:meth:`kivy.base.EventLoopBase.idle` up to (not including) ``on_draw``/``on_flip``."""
    Clock.tick()
    if EventLoop.quit:
        return
    EventLoop.dispatch_input()
    Builder.sync()
    Clock.tick_draw()
    Builder.sync()


class UiDriver:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.visited: list[str] = []
        self._last_draw = float("-inf")

    # ---- time ---------------------------------------------------------------------------
    def pump(self, frames: int = 1) -> None:
        """Run ``frames`` turns of Kivy's event loop: the clock (paced at the app's frame rate),
        input, kv rules and layout every turn; the window drawn at most every
        :data:`DRAW_INTERVAL_S` (the first turn after a pause draws at once)."""
        for _ in range(frames):
            now = time.monotonic()
            if now - self._last_draw >= DRAW_INTERVAL_S:
                self._last_draw = now
                EventLoop.idle()
            else:
                _turn_without_drawing()

    def wait_until(self, condition: Callable[[], Any], timeout: float = 15.0,
                   what: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            value = condition()
            if value:
                return value
            time.sleep(0.005)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}")

    def wait_screen(self, name: str, timeout: float = 15.0) -> Any:
        self.wait_until(lambda: self.app.sm.current == name, timeout, f"screen {name!r} "
                        f"(still on {self.app.sm.current!r})")
        self.pump(3)
        return self.app.sm.current_screen

    # ---- finding ------------------------------------------------------------------------
    def walk(self, root: Widget | None = None) -> Iterator[Widget]:
        root = root or self.app.root
        yield from root.walk(restrict=True)

    def find(self, id: str | None = None, text: str | None = None,
             within: Widget | None = None) -> Widget:
        """The first visible widget with kv id ``id`` or whose ``text`` contains ``text``.

        Searches the current screen (and overlays), or ``within``.
        """
        roots = [within] if within is not None else [self.app.sm.current_screen, self.app.overlay]
        for root in roots:
            if root is None:
                continue
            for widget in root.walk(restrict=True):
                if id is not None and id in getattr(widget, "ids", {}):
                    found = widget.ids[id]
                    if found.get_root_window() is not None:
                        return found
                if text is not None and text in str(getattr(widget, "text", "")) \
                        and widget.get_root_window() is not None and widget.opacity > 0:
                    return widget
        raise LookupError(f"no widget with id={id!r} text={text!r} on {self.app.sm.current!r}")

    def texts(self, root: Widget | None = None) -> list[str]:
        """Every non-empty ``text`` shown in the tree (for privacy and content checks)."""
        root = root or self.app.root
        return [str(w.text) for w in root.walk(restrict=True)
                if isinstance(getattr(w, "text", None), str) and w.text]

    # ---- acting -------------------------------------------------------------------------
    def tap(self, widget: Widget | None = None, *, id: str | None = None,
            text: str | None = None) -> None:
        if widget is None:
            widget = self.wait_until(lambda: self._try_find(id, text), 10,
                                     f"widget id={id!r} text={text!r}")
        x, y = self._settled_center(widget)
        touch = _Touch(x, y)
        touch._post("begin")
        self.pump()
        touch.move({"x": x / (EventLoop.window.width - 1.0), "y": y / (EventLoop.window.height - 1.0)})
        touch._post("end")
        self.pump(2)

    def _settled_center(self, widget: Widget, timeout: float = 3.0) -> tuple[float, float]:
        """The widget's centre in window coordinates once it stays put for two turns (a layout
        or scroll still settling would take the touch elsewhere)."""
        deadline = time.monotonic() + timeout
        self.pump()
        where = widget.to_window(*widget.center)
        while time.monotonic() < deadline:
            self.pump()
            now = widget.to_window(*widget.center)
            if now == where:
                return now
            where = now
        return where

    def long_press(self, x: float, y: float, seconds: float) -> None:
        touch = _Touch(x, y)
        touch._post("begin")
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.pump()
            time.sleep(0.02)
        touch._post("end")
        self.pump(2)

    def _try_find(self, id: str | None, text: str | None) -> Widget | None:
        try:
            return self.find(id=id, text=text)
        except LookupError:
            return None

    # ---- pictures and window ------------------------------------------------------------
    def screenshot(self, name: str) -> Path:
        """Save what the app draws as ``tests/artifacts/<name>-<orientation>.png``.

        Rendered from the root widget into an offscreen framebuffer (``export_as_image``) and
        laid on the window's clear colour: reading the window's own framebuffer right after a
        resize under Xvfb gave torn images.
        """
        from PIL import Image

        self.pump(3)
        w, h = EventLoop.window.size
        orientation = "portrait" if h > w else "landscape"
        path = ARTIFACTS / f"{name}-{orientation}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = path.with_suffix(".raw.png")
        self.app.root.export_as_image().save(str(raw), flipped=False)
        drawn = Image.open(raw).convert("RGBA")
        clear = tuple(int(c * 255) for c in EventLoop.window.clearcolor[:3]) + (255,)
        canvas = Image.new("RGBA", drawn.size, clear)
        canvas.alpha_composite(drawn)
        canvas.convert("RGB").save(path)
        raw.unlink()
        self.visited.append(path.name)
        return path

    def set_size(self, width: int, height: int) -> None:
        EventLoop.window.size = (width, height)
        self.wait_until(lambda: tuple(EventLoop.window.size) == (width, height)
                        and tuple(self.app.root.size) == (width, height), 5, "resize")
        self.pump(5)

    def reset(self) -> None:
        """End any session and return home (each test starts here); a 好差评 step the end
        brings up is skipped."""
        self.app.finish_session("test-reset")
        if self.app.sm.current == "rating":
            self.app.nav.skip_rating()
        self.wait_screen("home")
