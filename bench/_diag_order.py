"""Cold-start benchmark (issues 12, 23): process start → home screen drawn and accepting
touches, and → every service button working, ``kiosk run`` beside a bare Kivy app showing one
label (``bench/bare_kivy_app.py``), measured the same way in the same run.

Each trial spawns a fresh process on a private Xvfb display (started here with ``-displayfd``,
like ``tests/conftest.py``) with ``KIOSK_READY_FILE`` set; the readiness probe
(:mod:`kiosk.ui.ready_probe`) appends the wall-clock time of the first frame drawn after the
root widget is built and the event loop runs ("home drawn"), and of ``services_ready`` (the
platform side and the devices are up: every service button works; before that a button says
系统正在启动). Times are from ``time.time()`` taken just before ``Popen`` (interpreter start
and imports included). Trials alternate bare / remote / demo.

Two shapes of the kiosk, each with a temporary site config (``[paths] data_dir`` = a temporary
folder, window 1080×1920 portrait), simulated card reader and preview printer:

* **remote** (production): ``[platform] base_url`` is a sandbox platform running as a separate
  process (``kiosk sandbox serve``, started once by this script) — the kiosk only connects;
* **demo**: ``base_url = "embedded"``, the sandbox started inside the kiosk process.

The first start of each shape on an empty data folder (creating the databases, font
extraction) is reported on its own ("provisioning"); the trials after it are restarts on
existing data, the everyday case (power cut, nightly restart).

Before the trials the kiosk package is compiled to bytecode (``python -m compileall``), as the
Debian package's postinst does on an installed terminal: with ``PYTHONDONTWRITEBYTECODE`` set
(as in this build environment) every start would otherwise compile the whole ``kiosk``
package from source, which no terminal does (``--no-compile`` measures that case).

Goals (issue 23): every button working ≤ 1.0 s (remote) and ≤ 1.5 s (demo); home drawn
≤ 2 × the bare app's first frame (both shapes).

Run (about 1–2 min): ``.venv/bin/python bench/bench_startup.py [--runs 5] [--timeout 60]
[--no-compile] [--json]``; ``--json`` prints one object with the medians in seconds: {"bare": {"first_frame_s"},
"remote": {"home_s", "ready_s"}, "demo": {"home_s", "ready_s"}, "runs", "loadavg_1m"}.
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


def write_site_config(folder: Path, base_url: str = "embedded", name: str = "site.toml") -> Path:
    """A site TOML for ``kiosk run``: data under ``folder/data``, 1080×1920 window, the platform
    at ``base_url`` ("embedded": the sandbox inside the kiosk)."""
    site = folder / name
    site.write_text(f'[paths]\ndata_dir = "{folder / "data"}"\n'
                    f"[display]\nwidth = {WIDTH}\nheight = {HEIGHT}\nmaxfps = {MAXFPS}\n"
                    f'[platform]\nbase_url = "{base_url}"\n', encoding="utf-8")
    return site


class RemoteSandbox:
    """``kiosk sandbox serve --port 0`` in its own process (the remote platform of the
    production shape); ``base_url`` once it listens. Raises BenchError when it does not start."""

    def __init__(self, folder: Path, timeout_s: float = 60.0, seed: Path | None = None) -> None:
        site = write_site_config(folder, name="sandbox-site.toml")
        self.log = open(folder / "sandbox.log", "w+b")
        self.seeded = f"the vacancies of {seed.name}" if seed else "the demo vacancies"
        self.proc = subprocess.Popen(
            [str(PYTHON), "-m", "kiosk", "sandbox", "serve", "--port", "0",
             *(["--seed", str(seed)] if seed else [])], cwd=REPO,
            env={**os.environ, "KIOSK_CONFIG": str(site), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline = time.monotonic() + timeout_s
        self.base_url = ""
        assert self.proc.stdout is not None
        while time.monotonic() < deadline and not self.base_url:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise BenchError(f"sandbox exited with {self.proc.returncode} ({self.log.name})")
            if line.startswith("sandbox platform: "):
                self.base_url = line.split()[2]
        if not self.base_url:
            self.stop()
            raise BenchError("sandbox did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


#: the platform base URL of the "remote" shape (set once the sandbox process listens)
REMOTE_URL = {"base_url": ""}


def command(kind: str, folder: Path) -> tuple[list[str], dict[str, str]]:
    """argv and extra environment for ``kind``: "kiosk" / "demo" (embedded sandbox),
    "remote" (the platform at ``REMOTE_URL``) or "bare"."""
    if kind in ("kiosk", "demo"):
        return [str(PYTHON), "-m", "kiosk", "run"], {"KIOSK_CONFIG": str(write_site_config(folder))}
    if kind == "remote":
        site = write_site_config(folder, REMOTE_URL["base_url"], "remote-site.toml")
        return [str(PYTHON), "-m", "kiosk", "run"], {"KIOSK_CONFIG": str(site)}
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

    def wait_font_compaction(self, limit_s: float = 900.0) -> float:
        """Keep a first start running until its UI fonts are compacted, as on a provisioned
        terminal (:mod:`kiosk.services.font_compaction`: a child at idle priority, started
        ``START_DELAY_S`` after the fonts are resolved, about 35 s a weight on a quiet 2-core
        machine): until the child has run and ended. Returns the seconds from spawn. Raises
        BenchError when the kiosk exits or ``limit_s`` passes."""
        deadline = time.monotonic() + limit_s
        seen = False
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.kind} exited with {self.proc.returncode} while its "
                                 f"fonts were compacted (log: {self.log.name})")
            running = bool(self._children("kiosk.services.font_compaction"))
            if seen and not running:
                return time.time() - self.spawned_wall
            seen = seen or running
            time.sleep(0.2)
        raise BenchError(f"{self.kind}: fonts not compacted after {limit_s:.0f} s")

    def _children(self, marker: str) -> list[int]:
        """Pids of this process's children whose command line contains ``marker``."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                    "utf-8", "replace")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid and marker in cmdline:
                found.append(int(entry.name))
        return found

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


def compile_bytecode() -> None:
    """Compile ``kiosk/`` to ``__pycache__`` (git-ignored) as ``packaging/debian/postinst``
    does, so the trials start like an installed terminal. Raises BenchError on failure."""
    done = subprocess.run([str(PYTHON), "-m", "compileall", "-q", "-j", "0", str(REPO / "kiosk")],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise BenchError(f"compileall failed: {done.stderr.strip()[-500:]}")


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
    parser.add_argument("--json", action="store_true", help="print one JSON object of medians")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not compile kiosk/ to bytecode first (an uninstalled checkout)")
    args = parser.parse_args(argv)
    say = (lambda *_a, **_k: None) if args.json else print
    if not args.no_compile:
        compile_bytecode()

    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    display = start_xvfb()
    sandbox: RemoteSandbox | None = None
    kinds = ("bare", "demo", "remote")
    home: dict[str, list[float]] = {kind: [] for kind in kinds}
    ready: dict[str, list[float]] = {kind: [] for kind in kinds if kind != "bare"}
    try:
        say(f"machine: {machine()}; display {display.name} (Xvfb, Mesa llvmpipe); "
            f"load average {os.getloadavg()[0]:.2f} at the start")
        for kind in ("demo", "remote"):            # provisioning: first start on empty data
            if kind == "remote":
                sandbox = RemoteSandbox(folder, args.timeout)
                REMOTE_URL["base_url"] = sandbox.base_url
            first = ProbedProcess(kind, folder, display)
            try:
                provisioning = first.wait_ready(args.timeout)
                services = first.wait_event("services_ready", args.timeout)
                compacted = first.wait_font_compaction() if kind == "demo" else 0.0
            finally:
                first.stop()
            say(f"{kind} first start on an empty data folder (provisioning): home "
                f"{provisioning:.3f} s, every button {services:.3f} s"
                + (f", fonts compacted after {compacted:.0f} s" if compacted else ""))
        for trial in range(args.runs):
            for kind in kinds:
                probed = ProbedProcess(kind, folder, display)
                try:
                    home[kind].append(probed.wait_ready(args.timeout))
                    if kind != "bare":
                        ready[kind].append(probed.wait_event("services_ready", args.timeout))
                finally:
                    probed.stop()
            say(f"  trial {trial + 1}: " + ", ".join(
                f"{kind} {home[kind][-1]:.3f} s" + (f" / {ready[kind][-1]:.3f} s"
                                                    if kind in ready else "")
                for kind in kinds), flush=True)
        load = os.getloadavg()[0]
    finally:
        if sandbox is not None:
            sandbox.stop()
        display.close()
        shutil.rmtree(folder, ignore_errors=True)
    bare = statistics.median(home["bare"])
    say(f"bare Kivy app : spawn→first frame {spread(home['bare'])}")
    goals = {"remote": 1.0, "demo": 1.5}
    for kind in ("remote", "demo"):
        ratio = statistics.median(home[kind]) / bare
        ready_med = statistics.median(ready[kind])
        say(f"kiosk {kind:6s}: spawn→home drawn {spread(home[kind])}; {ratio:.2f}× bare "
            f"(goal ≤ {GOAL_RATIO:.0f}×: {'met' if ratio <= GOAL_RATIO else 'MISSED'})")
        say(f"kiosk {kind:6s}: spawn→every button works {spread(ready[kind])} (goal ≤ "
            f"{goals[kind]:.1f} s: {'met' if ready_med <= goals[kind] else 'MISSED'})")
    say(f"load average (1 min) at the end: {load:.2f}")
    if args.json:
        print(json.dumps({
            "bare": {"first_frame_s": round(bare, 3)},
            **{kind: {"home_s": round(statistics.median(home[kind]), 3),
                      "ready_s": round(statistics.median(ready[kind]), 3)}
               for kind in ("remote", "demo")},
            "runs": args.runs, "loadavg_1m": round(load, 2)}))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as exc:
        print(f"bench_startup: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
