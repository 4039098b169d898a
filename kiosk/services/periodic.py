"""A small jittered periodic runner on its own daemon thread (catalog sync, heartbeat).

``interval_s`` seconds between runs, each wait multiplied by a random factor in
[1 - jitter, 1 + jitter] so a fleet of terminals does not call the platform in step.
Exceptions of the expected kinds are logged and the loop goes on; ``kick()`` runs now.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)


class PeriodicTask:
    def __init__(self, name: str, fn: Callable[[], object], interval_s: float,
                 jitter: float = 0.2, first_delay_s: float = 0.0,
                 expected: tuple[type[BaseException], ...] = (Exception,),
                 rng: random.Random | None = None) -> None:
        self.name = name
        self.fn = fn
        self.interval_s = interval_s
        self.jitter = jitter
        self.first_delay_s = first_delay_s
        self.expected = expected
        self._rng = rng or random.Random()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0
        self.last_error: str | None = None

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()

    def stop_soon(self) -> None:
        """No further run starts; a run under way finishes (:meth:`stop` waits for it)."""
        self._stop.set()
        self._wake.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        self.stop_soon()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)

    def kick(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        wait = self.first_delay_s
        while not self._stop.is_set():
            self._wake.wait(wait)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.fn()
                self.last_error = None
            except self.expected as exc:  # noqa: PERF203 - one failure must not end the loop
                self.last_error = type(exc).__name__
                logger.warning("%s failed: %s", self.name, type(exc).__name__)
            except Exception as exc:  # noqa: BLE001 - a daemon loop of a 24/7 terminal must not die
                self.last_error = type(exc).__name__
                logger.exception("%s failed unexpectedly", self.name)
            self.runs += 1
            factor = 1 + self._rng.uniform(-self.jitter, self.jitter)
            wait = max(1.0, self.interval_s * factor)
