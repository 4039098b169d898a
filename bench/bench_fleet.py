"""Fleet simulation against the sandbox platform (loopback only).

1,300 simulated terminals, each with its own id, secret and PlatformClient (keep-alive session),
send jittered heartbeats and conditional delta syncs to a sandbox running in a separate process.
Time is compressed: a sync interval (900 s in production) becomes ``--interval`` seconds; each
terminal syncs once and heartbeats 3 times (300 s) per interval, at random offsets. After an
initial full sync, the catalog does not change, so every steady-state sync should be a single
conditional GET answered 304.

Reported: requests per second sustained, latency p50/p95/p99 (ms), and HTTP bytes per terminal
per production hour (request line + headers + body, both directions; TCP/IP overhead excluded),
for syncs alone and with heartbeats. Goal: one 304 per sync interval per terminal.

    .venv/bin/python bench/bench_fleet.py [--terminals 1300] [--intervals 3] [--interval 6]
"""

from __future__ import annotations

import argparse
import heapq
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.platform.client import PlatformClient  # noqa: E402

SYNC_S, HEARTBEAT_S = 900, 300


def _terminal(n: int) -> tuple[str, bytes]:
    return f"GD-FLEET-{n:04d}", (f"fleet-secret-{n:04d}".encode() * 3)[:32]


def _serve(db: str, terminals: int, ready: mp.Queue) -> None:
    from kiosk.platform.sandbox.app import build_sandbox
    from kiosk.platform.sandbox.embedded import SandboxServer
    from kiosk.platform.sandbox.seed import seed_demo
    platform = build_sandbox(db)
    station = {"name": "天河区天河南街道就业驿站", "division_code": "440106",
               "address": "广州市天河区", "hotline": "020-12345678"}
    for n in range(terminals):
        tid, secret = _terminal(n)
        platform.store.provision_terminal(tid, secret, station)
    demo = ROOT / "assets" / "demo" / "vacancies.json"
    if not demo.exists():
        demo = ROOT / "tests" / "platform" / "fixtures" / "vacancies.json"
    count = seed_demo(platform.store, demo, demo.with_name("content.json"))
    server = SandboxServer(platform).start()
    ready.put((server.base_url, count))
    server.serve_forever()


def _wire_bytes(resp: requests.Response) -> tuple[int, int]:
    req = resp.request
    sent = len(f"{req.method} {req.path_url} HTTP/1.1\r\n") + sum(
        len(k) + len(v) + 4 for k, v in req.headers.items()) + 2 + len(req.body or b"")
    got = len(f"HTTP/1.1 {resp.status_code} {resp.reason}\r\n") + sum(
        len(k) + len(v) + 4 for k, v in resp.headers.items()) + 2 + len(resp.content)
    return sent, got


class Terminal:
    def __init__(self, n: int, base_url: str) -> None:
        tid, secret = _terminal(n)
        self.client = PlatformClient(base_url, tid, secret, connect_timeout_s=5,
                                     read_timeout_s=30, pool_maxsize=1)
        self.bytes = {"sync": 0, "heartbeat": 0}
        self.syncs_304 = 0
        self.sync_requests = 0
        self.client.session.hooks["response"].append(self._count)
        self.watermark: str | None = None
        self.etag: str | None = None

    def _count(self, resp: requests.Response, *args: object, **kwargs: object) -> None:
        sent, got = _wire_bytes(resp)
        kind = "sync" if "/vacancies" in (resp.request.path_url or "") else "heartbeat"
        self.bytes[kind] += sent + got

    def sync(self) -> None:
        cursor = None
        while True:
            self.sync_requests += 1
            page = self.client.vacancy_changes(self.watermark, cursor, self.etag)
            if page.not_modified:
                self.syncs_304 += 1
                return
            cursor = page.next_cursor
            if cursor is None:
                self.watermark, self.etag = page.server_time, page.etag
                return

    def heartbeat(self) -> None:
        self.client.heartbeat({"status": "ok", "sent_at": "2026-11-30T02:00:00Z",
                               "versions": {"app": "0.1.0"}, "outbox_depth": 0,
                               "catalog_etag": self.etag})


def run(args: argparse.Namespace) -> None:
    ctx = mp.get_context("spawn")
    ready: mp.Queue = ctx.Queue()
    with tempfile.TemporaryDirectory() as tmp:
        proc = ctx.Process(target=_serve, args=(str(Path(tmp) / "fleet.db"), args.terminals,
                                                ready), daemon=True)
        proc.start()
        base_url, count = ready.get(timeout=120)
        try:
            _drive(args, base_url, count)
        finally:
            proc.terminate()
            proc.join(10)


def _drive(args: argparse.Namespace, base_url: str, count: int) -> None:
    rng = random.Random(args.seed)
    fleet = [Terminal(n, base_url) for n in range(args.terminals)]
    pool = ThreadPoolExecutor(max_workers=args.workers)
    t0 = time.monotonic()
    list(pool.map(lambda t: t.sync(), fleet))                 # initial full sync
    initial_s = time.monotonic() - t0
    initial_bytes = statistics.median(t.bytes["sync"] for t in fleet)
    for t in fleet:
        t.bytes = {"sync": 0, "heartbeat": 0}
        t.sync_requests = t.syncs_304 = 0
    per_interval = SYNC_S // HEARTBEAT_S
    events: list[tuple[float, int, str]] = []
    for i in range(args.intervals):
        for n in range(args.terminals):
            heapq.heappush(events, (i * args.interval + rng.uniform(0, args.interval), n, "sync"))
            for h in range(per_interval):
                slot = args.interval / per_interval
                at = i * args.interval + h * slot + rng.uniform(0, slot)
                heapq.heappush(events, (at, n, "heartbeat"))
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def fire(n: int, kind: str) -> None:
        start = time.perf_counter()
        try:
            getattr(fleet[n], kind)()
        except Exception:  # noqa: BLE001 - a benchmark counts failures, it does not stop
            with lock:
                errors[0] += 1
            return
        with lock:
            latencies.append((time.perf_counter() - start) * 1000)

    start = time.monotonic()
    futures = []
    while events:
        at, n, kind = heapq.heappop(events)
        delay = start + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(fire, n, kind))
    for f in futures:
        f.result()
    elapsed = time.monotonic() - start
    pool.shutdown()
    total = len(latencies) + errors[0]
    q = statistics.quantiles(latencies, n=100)
    hours = args.intervals * SYNC_S / 3600
    sync_bytes = [t.bytes["sync"] / hours for t in fleet]
    all_bytes = [(t.bytes["sync"] + t.bytes["heartbeat"]) / hours for t in fleet]
    one_304 = sum(t.syncs_304 == args.intervals and t.sync_requests == args.intervals
                  for t in fleet)
    print(f"fleet: {args.terminals} terminals, catalog {count} vacancies, {args.intervals} sync "
          f"intervals of {SYNC_S} s compressed to {args.interval} s, {args.workers} client threads")
    print(f"initial full sync: {args.terminals} terminals in {initial_s:.1f} s, "
          f"median {initial_bytes / 1024:.0f} KiB per terminal")
    print(f"steady state: {total} requests in {elapsed:.1f} s = {total / elapsed:.0f} req/s "
          f"sustained (offered {total / (args.intervals * args.interval):.0f} req/s; production "
          f"fleet load is {args.terminals / SYNC_S + args.terminals / HEARTBEAT_S:.1f} req/s); "
          f"errors {errors[0]}")
    print(f"latency ms: p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  "
          f"(spread: min {min(latencies):.1f}, max {max(latencies):.1f})")
    print(f"bytes per terminal per hour, sync only: median {statistics.median(sync_bytes):.0f} B "
          f"(min {min(sync_bytes):.0f}, max {max(sync_bytes):.0f}); "
          f"with heartbeats: median {statistics.median(all_bytes):.0f} B")
    print(f"goal one conditional request answered 304 per sync interval: {one_304}/"
          f"{args.terminals} terminals met it ({'PASS' if one_304 == args.terminals else 'FAIL'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--terminals", type=int, default=1300)
    parser.add_argument("--intervals", type=int, default=3)
    parser.add_argument("--interval", type=float, default=6.0,
                        help="seconds one 900 s sync interval is compressed to")
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
