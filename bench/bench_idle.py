"""Idle-cost benchmark (issue 12): CPU, main-loop rate and redraws of ``kiosk run`` sitting on
the home screen, beside the bare Kivy app (``bench/bare_kivy_app.py``), same run, same display.

Each app is started as in ``bench/bench_startup.py`` (private Xvfb, readiness probe), left to
settle (``--settle`` s: the kiosk's first catalog sync, printer status and health line), then
observed for ``--seconds`` s split into ``--window`` s windows. Per window:

* CPU % of one core: user + system time of the whole process (all threads: card-reader polling,
  outbox worker, embedded sandbox…) from ``/proc/<pid>/stat``, over wall time;
* main-loop iterations per second (Kivy ``Clock.frames``) and frames really drawn (``on_flip``:
  Kivy draws only when a canvas changed), from the probe's SIGUSR1 counters;
* the Xvfb server's CPU % in the same window (drawing cost on the display side).

Goal: kiosk ≤ 3 % of one core and ≤ bare + 1 point; redraws while idle only when something
visible changes (the clock shows minutes, so ≤ ~1 per minute).

Run: ``.venv/bin/python bench/bench_idle.py [--seconds 60] [--runs 2] [--window 10]``.
Note: Xvfb renders with Mesa llvmpipe (software GL in the client process), so each redraw
costs more CPU here than on a kiosk's GPU.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import (BenchError, Display, ProbedProcess, machine,  # noqa: E402
                           start_xvfb)

GOAL_CPU_PCT = 3.0
GOAL_OVER_BARE_PTS = 1.0


def process_cpu_s(pid: int) -> float:
    import os

    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def observe(kind: str, folder: Path, display: Display, settle_s: float, seconds: float,
            window_s: float, timeout_s: float) -> list[dict[str, float]]:
    """Start ``kind``, settle, and return one dict per window (cpu_pct, loop_fps, drawn,
    xvfb_pct, rss_mb)."""
    probed = ProbedProcess(kind, folder, display)
    windows: list[dict[str, float]] = []
    try:
        probed.wait_ready(timeout_s)
        time.sleep(settle_s)
        last = probed.counters()
        last_cpu, last_x, last_t = probed.cpu_s(), process_cpu_s(display.proc.pid), time.monotonic()
        while len(windows) < max(1, round(seconds / window_s)):
            time.sleep(window_s)
            now = probed.counters()
            cpu, xcpu, t = probed.cpu_s(), process_cpu_s(display.proc.pid), time.monotonic()
            dt = t - last_t
            windows.append({"cpu_pct": 100 * (cpu - last_cpu) / dt,
                            "loop_fps": (now["clock_frames"] - last["clock_frames"]) / dt,
                            "drawn": float(now["frames_drawn"] - last["frames_drawn"]),
                            "xvfb_pct": 100 * (xcpu - last_x) / dt,
                            "rss_mb": probed.rss_mb(), "dt": dt})
            last, last_cpu, last_x, last_t = now, cpu, xcpu, t
    finally:
        probed.stop()
    return windows


def summary(name: str, windows: list[dict[str, float]]) -> str:
    def med(key: str) -> str:
        values = [w[key] for w in windows]
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

    seconds = sum(w["dt"] for w in windows)
    drawn = sum(w["drawn"] for w in windows)
    return (f"{name:6s} CPU % of a core {med('cpu_pct')}; loop {med('loop_fps')} it/s; "
            f"frames drawn {drawn:.0f} in {seconds:.0f} s ({60 * drawn / seconds:.1f}/min); "
            f"Xvfb CPU % {med('xvfb_pct')}; RSS {windows[-1]['rss_mb']:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="idle cost: kiosk vs bare Kivy app")
    parser.add_argument("--seconds", type=float, default=60.0, help="observed seconds per run")
    parser.add_argument("--window", type=float, default=10.0, help="seconds per sample window")
    parser.add_argument("--settle", type=float, default=10.0, help="seconds after ready first")
    parser.add_argument("--runs", type=int, default=2, help="runs per app, interleaved")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="bench-idle-"))
    display = start_xvfb()
    results: dict[str, list[dict[str, float]]] = {"bare": [], "kiosk": []}
    try:
        print(f"machine: {machine()}; display {display.name} (Xvfb, Mesa llvmpipe); "
              f"{args.runs} run(s) × {args.seconds:.0f} s per app, windows of {args.window:.0f} s, "
              f"after {args.settle:.0f} s settling")
        for run in range(args.runs):
            for kind in ("bare", "kiosk"):
                windows = observe(kind, folder, display, args.settle, args.seconds, args.window,
                                  args.timeout)
                results[kind] += windows
                print(f"  run {run + 1} {summary(kind, windows)}", flush=True)
    finally:
        display.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(summary("bare", results["bare"]))
    print(summary("kiosk", results["kiosk"]))
    bare = statistics.median(w["cpu_pct"] for w in results["bare"])
    kiosk = statistics.median(w["cpu_pct"] for w in results["kiosk"])
    met = kiosk <= GOAL_CPU_PCT and kiosk <= bare + GOAL_OVER_BARE_PTS
    print(f"goal kiosk ≤ {GOAL_CPU_PCT:.0f} % and ≤ bare + {GOAL_OVER_BARE_PTS:.0f} point: "
          f"kiosk {kiosk:.2f} %, bare {bare:.2f} % → {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as exc:
        print(f"bench_idle: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
