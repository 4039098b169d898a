"""Start-up and idle probe for the benchmarks (``bench/bench_startup.py``, ``bench/bench_idle.py``).

Off unless the environment variable ``KIOSK_READY_FILE`` names a file; then :func:`install`
(called by ``KioskApp.on_start`` and by ``bench/bare_kivy_app.py``, i.e. once the root widget is
built and the window shown) arranges:

* on the first frame drawn after it (Window ``on_flip``: the home screen is on the glass and
  the event loop is dispatching input; Kivy calls an event's handlers last-bound first, so
  the app installs the probe after binding its own ``on_flip`` work and the time is the
  flip's): one JSON line
  ``{"event": "ready", "wall": <time.time() s>, "since_start_s": <s since the process started>,
  "cpu_s": <process CPU s so far, all threads>}`` appended to the file (later milestones,
  :func:`mark`, have the same keys and ``frames_drawn``, the frames drawn so far), and
  ``READY <since_start_s>`` printed to stderr;
* on ``SIGTERM``: the app stops cleanly (``App.stop`` on the next frame, so ``kiosk run``
  releases its devices and temporary files) instead of dying;
* on every ``SIGUSR1``: one JSON line ``{"event": "counters", "wall": s, "clock_frames": n,
  "frames_drawn": n, "cpu_s": s}``: Kivy main-loop iterations (``Clock.frames``), frames really
  drawn (``on_flip`` dispatches: Kivy draws only when a canvas changed) and the process CPU
  time (``time.process_time``, all threads).

``wall`` is the wall clock so a parent process can subtract its own ``time.time()`` taken just
before spawning (that includes interpreter start-up). ``since_start_s`` comes from
``/proc/self/stat`` start time (10 ms resolution, Linux; ``-1`` elsewhere).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from typing import Any

ENV_VAR = "KIOSK_READY_FILE"

_state: dict[str, Any] = {}


def since_process_start_s() -> float:
    """Seconds since this process was created (``/proc/self/stat`` field 22 vs CLOCK_BOOTTIME);
    ``-1.0`` when ``/proc`` is not available."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 counted from 1; fields[0] is field 3
        return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return -1.0


def _append(record: dict[str, Any]) -> None:
    with open(_state["path"], "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


def mark(event: str) -> None:
    """Record a later milestone (e.g. ``services_ready``) when the probe runs; no-op otherwise."""
    if _state:
        _append({"event": event, "wall": time.time(),
                 "since_start_s": round(since_process_start_s(), 3),
                 "cpu_s": round(time.process_time(), 3), "frames_drawn": _state["flips"]})


def install() -> bool:
    """Start the probe if ``KIOSK_READY_FILE`` is set (idempotent). Returns whether it runs."""
    path = os.environ.get(ENV_VAR, "")
    if not path or _state:
        return bool(_state)
    from kivy.clock import Clock
    from kivy.core.window import Window

    _state.update(path=path, flips=0, ready=False)

    def on_flip(*_args: Any) -> None:
        _state["flips"] += 1
        if not _state["ready"]:
            _state["ready"] = True
            since = since_process_start_s()
            _append({"event": "ready", "wall": time.time(), "since_start_s": round(since, 3),
                     "cpu_s": round(time.process_time(), 3)})
            print(f"READY {since:.3f}", file=sys.stderr, flush=True)

    def on_signal(_signum: int, _frame: Any) -> None:
        _append({"event": "counters", "wall": time.time(), "clock_frames": Clock.frames,
                 "frames_drawn": _state["flips"], "cpu_s": time.process_time()})

    def on_term(_signum: int, _frame: Any) -> None:
        from kivy.app import App

        app = App.get_running_app()
        if app is not None:
            Clock.schedule_once(lambda _dt: app.stop(), 0)

    Window.bind(on_flip=on_flip)
    signal.signal(signal.SIGUSR1, on_signal)
    signal.signal(signal.SIGTERM, on_term)
    return True
