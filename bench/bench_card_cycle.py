"""Benchmark: one find → select → read cycle through pyserial against the paced pty simulator.

Goals (issue 3): median cycle time ≤ 1.2 × the wire time of the bytes exchanged at 115200 Bd
(8N1, 10 bits per byte), and driver CPU time ≤ 5 ms per cycle (``time.thread_time`` of the
calling thread, which runs the whole driver; the simulator runs on its own thread).

Run: ``.venv/bin/python bench/bench_card_cycle.py [--cycles N] [--baud N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.devices.idcard.reader import CardReader, ReaderConfig  # noqa: E402
from kiosk.devices.idcard.simulator import CardSimulator  # noqa: E402

# request + reply bytes of 20 01 (10 + 15), 20 02 (10 + 19), 30 01 (10 + 1295)
CYCLE_BYTES = 10 + 15 + 10 + 19 + 10 + 1295


def spread(values: list[float]) -> str:
    q = statistics.quantiles(values, n=20)
    return f"p5 {q[0]:.2f}  p95 {q[-1]:.2f}  min {min(values):.2f}  max {max(values):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--baud", type=int, default=115200)
    args = parser.parse_args()
    card = json.loads((REPO / "assets/demo/cards/resident.json").read_text("utf-8"))
    wire_ms = CYCLE_BYTES * 10 / args.baud * 1000
    walls, cpus = [], []
    with CardSimulator(card, baudrate=args.baud, pace=True) as sim:
        reader = CardReader(ReaderConfig(url=sim.port, baudrate=args.baud))
        with reader:
            reader.read_once(5)  # warm-up: open the port, first import costs
            for _ in range(args.cycles):
                sim.remove()
                sim.place(card)  # a fresh, unread card: find answers 0x9F
                cpu0, wall0 = time.thread_time(), time.perf_counter()
                result = reader.read_once(5)
                walls.append((time.perf_counter() - wall0) * 1000)
                cpus.append((time.thread_time() - cpu0) * 1000)
                assert result.id_number_valid
            commands = sim.sam.handled[-3:]
    assert commands == [0x2001, 0x2002, 0x3001], commands
    median_wall, median_cpu = statistics.median(walls), statistics.median(cpus)
    ratio = median_wall / wire_ms
    print(f"ID-card cycle (20 01 → 20 02 → 30 01), {args.cycles} cycles at {args.baud} Bd, "
          f"{CYCLE_BYTES} bytes on the wire")
    print(f"wire time         {wire_ms:8.2f} ms")
    print(f"cycle time median {median_wall:8.2f} ms  ({spread(walls)})")
    print(f"cycle / wire      {ratio:8.3f}     goal ≤ 1.2   {'OK' if ratio <= 1.2 else 'MISSED'}")
    print(f"driver CPU median {median_cpu:8.3f} ms  ({spread(cpus)})  goal ≤ 5 ms   "
          f"{'OK' if median_cpu <= 5 else 'MISSED'}")
    return 0 if ratio <= 1.2 and median_cpu <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
