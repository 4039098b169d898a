"""kiosk.ui.fan_out.collected_first: a 长辈模式 or language switch never reaches the kv rule of a
widget freed by a garbage collection on another thread (ReferenceError in builder.call_fn)."""

from __future__ import annotations

import gc
import os
import sys
import threading

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from kivy.event import EventDispatcher  # noqa: E402
from kivy.factory import Factory  # noqa: E402
from kivy.lang import Builder, global_idmap  # noqa: E402
from kivy.properties import NumericProperty  # noqa: E402

from kiosk.ui.fan_out import collected_first  # noqa: E402


class FakeTheme(EventDispatcher):
    body = NumericProperty(10)


theme = FakeTheme()
global_idmap["fan_out_theme"] = theme
Builder.load_string("""
<FanOutRow@Widget>:
    width: fan_out_theme.body
    height: fan_out_theme.body * 2
""")


def garbage_rows(n: int) -> None:
    """``n`` rows that only the cyclic collector can free (each refers to itself)."""
    for _ in range(n):
        row = Factory.FanOutRow()
        row.itself = row


def test_the_bindings_of_garbage_widgets_are_gone_before_the_change() -> None:
    keep = Factory.FanOutRow()
    gc.collect()
    live = len(theme.get_property_observers("body"))
    garbage_rows(5)
    assert len(theme.get_property_observers("body")) == live + 10   # width and height each
    with collected_first():
        assert len(theme.get_property_observers("body")) == live
        assert not gc.isenabled()
        theme.body = 12
    assert gc.isenabled()
    assert (keep.width, keep.height) == (12, 24)


def test_no_change_reaches_a_freed_widget_while_another_thread_collects() -> None:
    stop = threading.Event()

    def allocate() -> None:                  # like a device thread: its allocations collect
        while not stop.is_set():
            for item in [[] for _ in range(200)]:
                item.append(item)

    thread = threading.Thread(target=allocate, daemon=True)
    keep = [Factory.FanOutRow() for _ in range(300)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)           # switch threads as often as possible
    thread.start()
    errors = 0
    try:
        for _ in range(100):
            garbage_rows(10)
            try:
                with collected_first():
                    theme.body += 1
            except ReferenceError:
                errors += 1
    finally:
        stop.set()
        thread.join(5)
        sys.setswitchinterval(interval)
    assert errors == 0
    assert {row.width for row in keep} == {theme.body}
