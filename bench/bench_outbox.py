"""Benchmark of the offline outbox (issue 6).

1. Enqueue latency: N registrations (realistic 求职登记 bodies; contract check, AES-GCM,
   SQLite WAL with ``synchronous=FULL``, i.e. one fsync per enqueue) into a fresh outbox with
   no sender running. Goal: p95 ≤ 10 ms.
2. Drain rate: the same N items sent by one :class:`OutboxWorker` to the sandbox platform
   (signed HTTP on loopback; by default ``kiosk sandbox serve`` in its own process), in items
   per second, overall and per 1,000-item block (median and spread).
3. Enqueue latency while the worker drains (the UI writing while the sender marks deliveries).

Run: ``.venv/bin/python bench/bench_outbox.py [--items 10000] [--sandbox process|embedded]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.platform.client import build_client  # noqa: E402
from kiosk.services.outbox import Outbox, OutboxWorker  # noqa: E402
from kiosk.settings import OutboxSettings, PathSettings, Settings  # noqa: E402

GOAL_P95_MS = 10.0
CONSENT = {"version": "2026.1", "text_sha256": "ab" * 32,
           "accepted_at": "2026-11-30T10:00:00+08:00", "purposes": ["registration"]}


def registration(n: int) -> dict[str, Any]:
    return {"identity": {"id_number": f"4401{n:014d}", "name": "欧阳小明", "sex": "male",
                         "birth_date": "1990-03-07", "ethnicity_code": "01"},
            "phone": "13912345678", "education_code": "40",
            "desired_occupations": ["4-01-02", "2-02-10"], "desired_divisions": ["440106"],
            "expected_salary": {"min": 4500, "max": 7000, "unit": "MONTH"},
            "employment_type": "FULL_TIME", "key_groups": ["college_graduate"],
            "consent": CONSENT}


def percentiles(samples_ms: list[float]) -> str:
    s = sorted(samples_ms)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))]  # noqa: E731
    return (f"p50 {pick(0.50):.2f} ms  p95 {pick(0.95):.2f} ms  p99 {pick(0.99):.2f} ms  "
            f"max {s[-1]:.2f} ms  (n={len(s)})")


def enqueue_all(outbox: Outbox, first: int, count: int) -> list[float]:
    samples = []
    for n in range(first, first + count):
        t0 = time.perf_counter()
        outbox.enqueue("registration", registration(n))
        samples.append((time.perf_counter() - t0) * 1000.0)
    return samples


class ProcessSandbox:
    """``kiosk sandbox serve --port 0`` in a child process with its own data folder."""

    def __init__(self, settings: Settings, site_file: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--config", str(site_file), "sandbox", "serve",
             "--port", "0"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("sandbox platform: "):
                self.base_url = line.split()[2]
                break
        else:
            raise SystemExit("the sandbox did not start")
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()
        self.settings = settings
        self._wait_ready()

    def _wait_ready(self) -> None:
        import requests
        for _ in range(200):
            try:
                requests.get(self.base_url + "/ping", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise SystemExit("the sandbox does not answer")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--sandbox", choices=("process", "embedded"), default="process")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    site = folder / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{folder / "platform"}"\n', encoding="utf-8")
    settings = dataclasses.replace(Settings(), paths=PathSettings(data_dir=str(folder / "platform")))
    print(f"outbox benchmark: {args.items} items, folder {folder}, {os.cpu_count()} CPUs, "
          f"sandbox {args.sandbox}")

    outbox = Outbox(folder / "outbox.db", folder / "outbox.key",
                    OutboxSettings(backoff_base_s=0.05, backoff_max_s=1.0),
                    terminal_id=settings.station.terminal_id)
    started = time.perf_counter()
    samples = enqueue_all(outbox, 0, args.items)
    elapsed = time.perf_counter() - started
    p95 = sorted(samples)[int(0.95 * len(samples))]
    print(f"enqueue (idle)      {percentiles(samples)}  goal p95 <= {GOAL_P95_MS} ms: "
          f"{'met' if p95 <= GOAL_P95_MS else 'NOT met'}; {args.items / elapsed:.0f} items/s")
    print(f"database size       {(folder / 'outbox.db').stat().st_size / 1e6:.1f} MB "
          f"(+ WAL {(folder / 'outbox.db-wal').stat().st_size / 1e6:.1f} MB)")

    if args.sandbox == "process":
        sandbox: Any = ProcessSandbox(settings, site)
    else:
        from kiosk.platform.sandbox.embedded import start_embedded_sandbox
        sandbox = start_embedded_sandbox(settings)
    client = build_client(settings, sandbox.base_url)
    rtts = []
    for _ in range(21):
        t0 = time.perf_counter()
        client.ping()
        rtts.append((time.perf_counter() - t0) * 1000.0)
    print(f"platform round trip GET /v1/ping on a kept-alive connection: median "
          f"{statistics.median(rtts):.1f} ms, min {min(rtts):.1f}, max {max(rtts):.1f} "
          "(the floor of one send)")
    worker = OutboxWorker(outbox, client, idle_poll_s=0.05, probe_interval_s=0)
    block_rates: list[float] = []
    during: list[float] = []
    try:
        t0 = time.perf_counter()
        worker.start()
        last_t, last_done = t0, 0
        next_ui_write = t0
        n_ui = args.items
        while True:
            now = time.perf_counter()
            if now >= next_ui_write and len(during) < 500:  # the UI writes while draining
                during += enqueue_all(outbox, n_ui, 1)
                n_ui += 1
                next_ui_write = now + 0.02
            done = outbox.status().delivered
            if done - last_done >= 1000:
                block_rates.append((done - last_done) / (now - last_t))
                last_t, last_done = now, done
            if done >= n_ui:
                break
            time.sleep(0.005)
        total = time.perf_counter() - t0
    finally:
        worker.stop()
        client.close()
        sandbox.stop()
    status = outbox.status()
    print(f"drain               {n_ui} items in {total:.1f} s = {n_ui / total:.0f} items/s; "
          f"per 1,000-item block: median {statistics.median(block_rates):.0f}/s, "
          f"min {min(block_rates):.0f}/s, max {max(block_rates):.0f}/s "
          f"(dead {status.dead}, pending {status.pending})")
    print(f"enqueue (draining)  {percentiles(during)}  goal p95 <= {GOAL_P95_MS} ms")
    outbox.close()
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
