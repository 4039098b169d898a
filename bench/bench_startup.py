"""Cold-start benchmark (issue 12): process start → home screen drawn and accepting touches,
``kiosk run`` beside a bare Kivy app showing one label (``bench/bare_kivy_app.py``), measured
the same way in the same run.

Each trial spawns a fresh process on a private Xvfb display (started here with ``-displayfd``,
like ``tests/conftest.py``) with ``KIOSK_READY_FILE`` set; the readiness probe
(:mod:`kiosk.ui.ready_probe`) appends the wall-clock time of the first frame drawn after the
root widget is built and the event loop runs. Start-up = that time − ``time.time()`` taken just
before ``Popen`` (includes interpreter start and imports). Trials alternate bare / kiosk.

The kiosk runs in demo mode (embedded sandbox platform, simulated card reader, preview
printer) with a temporary site config (``[paths] data_dir`` = a temporary folder, window
1080×1920 portrait). The first kiosk start on the empty data folder (creating the sandbox
database, outbox, catalog, font extraction) is reported on its own ("provisioning"); the
trials after it are restarts on existing data, the everyday case (power cut, nightly restart).

Goal: kiosk median ≤ 2 × bare median.

Run: ``.venv/bin/python bench/bench_startup.py [--runs 5] [--timeout 60]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
WIDTH, HEIGHT, MAXFPS = 1080, 1920, 30   # the kiosk's defaults (config/kiosk.toml [display])
GOAL_RATIO = 2.0


class BenchError(Exception):
    """A benchmark process failed to start, to get ready, or Xvfb is missing."""


@dataclass
class Display:
    """A private Xvfb server (``name`` like ``:12``)."""

    proc: subprocess.Popen
    name: str

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def start_xvfb() -> Display:
    """Start ``Xvfb -displayfd`` (1920×1920×24, GLX). Raises BenchError without Xvfb."""
    if shutil.which("Xvfb") is None:
        raise BenchError("Xvfb not found (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1920x24",
         "+extension", "GLX", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise BenchError("Xvfb did not report a display number")
    return Display(proc, f":{number}")


def write_site_config(folder: Path) -> Path:
    """A site TOML for ``kiosk run``: data under ``folder/data``, 1080×1920 window."""
    site = folder / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{folder / "data"}"\n'
                    f"[display]\nwidth = {WIDTH}\nheight = {HEIGHT}\nmaxfps = {MAXFPS}\n",
                    encoding="utf-8")
    return site


def command(kind: str, folder: Path) -> tuple[list[str], dict[str, str]]:
    """argv and extra environment for ``kind`` ("kiosk", "kiosk-escpos-cache" or "bare").

    "kiosk-escpos-cache" is the kiosk with ``ESCPOS_CAPABILITIES_PICKLE_DIR`` set to a
    persistent folder: python-escpos 3.1 otherwise caches its parsed capabilities.json in a
    fresh ``mkdtemp()`` folder on every start, so each start re-parses it with pure-Python
    YAML (and leaves one more folder in /tmp). This variant measures what that fix would save.
    """
    if kind.startswith("kiosk"):
        env = {"KIOSK_CONFIG": str(write_site_config(folder))}
        if kind == "kiosk-escpos-cache":
            cache = folder / "escpos-cache"
            cache.mkdir(exist_ok=True)
            env["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
        return [str(PYTHON), "-m", "kiosk", "run"], env
    return ([str(PYTHON), str(REPO / "bench" / "bare_kivy_app.py"), "--width", str(WIDTH),
             "--height", str(HEIGHT), "--maxfps", str(MAXFPS),
             "--kivy-home", str(folder / "bare-kivy")], {})


class ProbedProcess:
    """A kiosk or bare-app process with the readiness probe; ``ready_s`` once ready."""

    def __init__(self, kind: str, folder: Path, display: Display) -> None:
        self.kind = kind
        self.probe_file = folder / f"{kind}-{time.monotonic_ns()}.jsonl"
        argv, extra = command(kind, folder)
        env = {**os.environ, **extra, "DISPLAY": display.name,
               "KIOSK_READY_FILE": str(self.probe_file)}
        env.pop("KIVY_NO_CONSOLELOG", None)
        self.log = open(folder / f"{kind}.log", "ab")
        self.spawned_wall = time.time()
        self.proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=self.log, stderr=self.log)
        self.ready_s: float | None = None
        self.since_start_s: float | None = None

    def records(self, event: str) -> list[dict]:
        try:
            lines = self.probe_file.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [r for r in map(json.loads, lines) if r["event"] == event]

    def wait_event(self, event: str, timeout_s: float) -> float:
        """Seconds from spawn to a later probe milestone (e.g. ``services_ready``)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.records(event)
            if found:
                return found[0]["wall"] - self.spawned_wall
            time.sleep(0.01)
        raise BenchError(f"{self.kind}: no {event} after {timeout_s} s")

    def wait_ready(self, timeout_s: float) -> float:
        """Seconds from spawn to the first frame drawn. Raises BenchError on exit/timeout."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ready = self.records("ready")
            if ready:
                self.ready_s = ready[0]["wall"] - self.spawned_wall
                self.since_start_s = ready[0]["since_start_s"]
                return self.ready_s
            if self.proc.poll() is not None:
                raise BenchError(f"{self.kind} exited with {self.proc.returncode} before ready "
                                 f"(log: {self.log.name})")
            time.sleep(0.005)
        raise BenchError(f"{self.kind} not ready after {timeout_s} s (log: {self.log.name})")

    def counters(self, timeout_s: float = 5.0) -> dict:
        """Ask the probe for its counters (SIGUSR1) and return the new record."""
        before = len(self.records("counters"))
        self.proc.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            records = self.records("counters")
            if len(records) > before:
                return records[-1]
            time.sleep(0.01)
        raise BenchError(f"{self.kind} did not answer SIGUSR1")

    def cpu_s(self) -> float:
        """User + system CPU seconds of the whole process so far (``/proc/<pid>/stat``)."""
        with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        """SIGTERM (the probe stops the app cleanly), SIGKILL after 15 s."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def spread(values: list[float]) -> str:
    """``median (min–max, n=…)`` in seconds."""
    return (f"median {statistics.median(values):.3f} s  (min {min(values):.3f}, "
            f"max {max(values):.3f}, n={len(values)})")


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} × {model}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cold start: kiosk vs bare Kivy app")
    parser.add_argument("--runs", type=int, default=5, help="trials per app (default 5)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to get ready")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    display = start_xvfb()
    kinds = ("bare", "kiosk", "kiosk-escpos-cache")
    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    services_ready: list[float] = []
    in_process: dict[str, list[float]] = {kind: [] for kind in kinds}
    try:
        print(f"machine: {machine()}; display {display.name} (Xvfb, Mesa llvmpipe)")
        first = ProbedProcess("kiosk", folder, display)
        provisioning = first.wait_ready(args.timeout)
        first.stop()
        warm = ProbedProcess("kiosk-escpos-cache", folder, display)  # fills the escpos cache
        warm.wait_ready(args.timeout)
        warm.stop()
        print(f"kiosk first start on an empty data folder (provisioning): {provisioning:.3f} s")
        for trial in range(args.runs):
            for kind in kinds:
                probed = ProbedProcess(kind, folder, display)
                try:
                    results[kind].append(probed.wait_ready(args.timeout))
                    in_process[kind].append(probed.since_start_s or 0.0)
                    if kind == "kiosk":
                        services_ready.append(probed.wait_event("services_ready", args.timeout))
                finally:
                    probed.stop()
            print(f"  trial {trial + 1}: " + ", ".join(
                f"{kind} {results[kind][-1]:.3f} s" for kind in kinds), flush=True)
    finally:
        display.close()
        shutil.rmtree(folder, ignore_errors=True)
    bare, kiosk = statistics.median(results["bare"]), statistics.median(results["kiosk"])
    ratio = kiosk / bare
    print(f"bare Kivy app : spawn→first frame {spread(results['bare'])}; "
          f"in-process {statistics.median(in_process['bare']):.3f} s")
    print(f"kiosk run     : spawn→home drawn  {spread(results['kiosk'])}; "
          f"in-process {statistics.median(in_process['kiosk']):.3f} s")
    print(f"kiosk run     : spawn→all screens built and services up (every button works) "
          f"{spread(services_ready)}")
    cached = statistics.median(results["kiosk-escpos-cache"])
    print(f"kiosk run with a persistent escpos capabilities cache: {spread(results['kiosk-escpos-cache'])}")
    verdict = "met" if ratio <= GOAL_RATIO else "MISSED"
    print(f"ratio kiosk/bare {ratio:.2f}× (goal ≤ {GOAL_RATIO:.0f}×: {verdict}); "
          f"kiosk − bare = {kiosk - bare:.3f} s; with the escpos cache {cached / bare:.2f}× "
          f"({kiosk - cached:+.3f} s saved)")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as exc:
        print(f"bench_startup: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
