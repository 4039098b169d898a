"""Run blocking work off the UI thread and hand the result back on it.

Screens never call devices, the platform or SQLite directly on the Kivy thread: they call
:func:`run_in_background`, whose callbacks run on the main thread via ``Clock.schedule_once``.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from collections.abc import Callable

from kivy.clock import Clock

logger = logging.getLogger(__name__)

_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kiosk-bg")


def run_in_background(fn: Callable[[], Any],
                      on_result: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None) -> Future:
    """Call ``fn()`` on a worker thread; then ``on_result(value)`` or ``on_error(exc)`` on the UI thread."""

    def done(future: Future) -> None:
        exc = future.exception()
        if exc is not None:
            if on_error is not None:
                Clock.schedule_once(lambda _dt: on_error(exc), 0)
            else:
                logger.error("background task failed: %s", type(exc).__name__)
        elif on_result is not None:
            value = future.result()
            Clock.schedule_once(lambda _dt: on_result(value), 0)

    future = _executor.submit(fn)
    future.add_done_callback(done)
    return future


def on_main_thread(fn: Callable[..., None]) -> Callable[..., None]:
    """Wrap a device/service callback so it runs on the UI thread (next frame)."""

    def hop(*args: Any, **kwargs: Any) -> None:
        Clock.schedule_once(lambda _dt: fn(*args, **kwargs), 0)

    return hop
