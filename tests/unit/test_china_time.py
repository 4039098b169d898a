"""One clock for people: China Standard Time in one format whatever the machine's zone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain import china_time
from kiosk.domain.china_time import CHINA_FIXED, format_china, format_china_iso

REPO = Path(__file__).resolve().parents[2]
T = 1796112660.0  # 2026-12-01 08:11 UTC


def test_epoch_datetime_and_iso_all_give_the_one_format():
    assert format_china(T) == "2026-12-01 16:11"
    assert format_china(T, seconds=True) == "2026-12-01 16:11:00"
    assert format_china(datetime(2026, 12, 1, 8, 11, tzinfo=UTC)) == "2026-12-01 16:11"
    assert format_china(datetime(2026, 12, 1, 8, 11)) == "2026-12-01 16:11"  # naive = UTC
    assert format_china_iso("2026-12-01T08:11:00Z") == "2026-12-01 16:11"
    assert format_china_iso("2026-12-01T16:11:00+08:00") == "2026-12-01 16:11"
    assert format_china(None) == format_china(0) == format_china_iso("") == "-"
    assert format_china_iso("yesterday") == "yesterday"  # never an exception on a screen


@pytest.mark.parametrize("zone", ["Etc/UTC", "America/New_York", "Asia/Shanghai"])
def test_the_machine_zone_does_not_matter(zone):
    code = ("from kiosk.domain.china_time import format_china; "
            "from kiosk.services.maintenance.diagnostics import format_time; "
            f"print(format_china({T}), format_time({T}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env=dict(os.environ, TZ=zone), timeout=30, check=True).stdout
    assert out.strip() == "2026-12-01 16:11 2026-12-01 16:11"


def test_fixed_offset_fallback_without_tzdata(monkeypatch):
    import zoneinfo

    def missing(_name):
        raise zoneinfo.ZoneInfoNotFoundError("no tzdata")

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    assert china_time._china_tz() is CHINA_FIXED
    assert datetime.fromtimestamp(T, CHINA_FIXED).strftime("%Y-%m-%d %H:%M") == "2026-12-01 16:11"
