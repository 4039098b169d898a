"""`kiosk run` stops cleanly on SIGTERM (systemctl stop) and SIGINT within 5 s, exit 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_kiosk_run_stops_within_5_s_on(tmp_path, signum):
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    ready = tmp_path / "ready.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(site), "run",
                             "--windowed", "--orientation", "portrait"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, KIOSK_READY_FILE=str(ready)))
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            if ready.exists() and '"services_ready"' in ready.read_text("utf-8"):
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read()[-2000:] if proc.stderr else ""
        events = [json.loads(line)["event"] for line in ready.read_text("utf-8").splitlines()]
        assert "services_ready" in events  # outbox and catalog are open
        time.sleep(0.5)
        sent = time.monotonic()
        proc.send_signal(signum)
        code = proc.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert code == 0, stderr[-2000:]
    assert took < 5.0, f"{took:.2f} s"
    assert f"{signal.Signals(signum).name} received: stopping" in stderr
    assert "Traceback" not in stderr
