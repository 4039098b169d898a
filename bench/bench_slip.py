"""Referral-slip figures: bytes per slip, send time at 9600 baud, layout+encode time.

Goals (issue 4): an 80 mm slip with native QR ≤ 1,500 bytes (so < 1.6 s at 9600 baud, 8N1 =
10 bits per byte), and layout + encode ≤ 20 ms per slip.

    .venv/bin/python bench/bench_slip.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from kiosk.devices.printer.profile import paper_profile
from kiosk.services.slip import Referral, encode_slip, layout_slip

EXAMPLE = Path(__file__).resolve().parents[1] / "assets" / "demo" / "referral.example.json"
BAUD_BITS_PER_BYTE = 10  # start + 8 data + stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    referral = Referral.from_json(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    print(f"{'profile':<22}{'bytes':>7}{'9600 baud s':>13}{'layout+encode ms (median, p5-p95)':>38}")
    for paper, columns, qr in ((80, 0, "native"), (80, 42, "native"), (58, 0, "native"),
                               (80, 0, "raster"), (58, 0, "raster")):
        profile = paper_profile(paper, columns, qr=qr)
        job = encode_slip(layout_slip(referral, profile), profile)
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            encode_slip(layout_slip(referral, profile), profile)
            times.append((time.perf_counter() - t0) * 1000)
        q = statistics.quantiles(times, n=20)
        name = f"{paper} mm/{profile.columns} col/{qr}"
        print(f"{name:<22}{len(job):>7}{len(job) * BAUD_BITS_PER_BYTE / 9600:>13.2f}"
              f"{statistics.median(times):>20.2f} ({q[0]:.2f}-{q[-1]:.2f})")
    print("goal: 80 mm native QR <= 1500 bytes (< 1.6 s at 9600 baud); layout+encode <= 20 ms")


if __name__ == "__main__":
    main()
