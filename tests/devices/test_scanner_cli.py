"""`kiosk scanner simulate` + `kiosk scanner read`: round trips, timeout exit 1, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import COMMAND_MODULES, main
from kiosk.devices.scanner.simulator import ScannerSimulator

pytestmark = pytest.mark.timeout(60)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(tmp_path: Path) -> str:
    path = tmp_path / "site.toml"
    path.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    return str(path)


def kiosk(site: str, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", site, *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


def test_simulate_then_read_round_trip_with_stdin_scans(site: str) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", site, "scanner",
                             "simulate", "--code", "报到码:FAIR-7Q3X", "--suffix", "lf",
                             "--aim", "]Q1"],
                            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        first = proc.stdout.readline().strip()
        assert first.startswith("PORT=")
        port = first.removeprefix("PORT=")
        out = kiosk(site, "scanner", "read", "--port", port, "--suffix", "lf", "--timeout", "5",
                    "--json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == {"text": "报到码:FAIR-7Q3X", "symbology": "]Q1"}
        proc.stdin.write("9787111234567\n")
        proc.stdin.flush()
        second = kiosk(site, "scanner", "read", "--port", port, "--suffix", "lf",
                       "--timeout", "5")
        assert second.returncode == 0, second.stderr
        assert second.stdout == "text: 9787111234567\nsymbology: ]Q1 (QR Code)\n"
        proc.stdin.close()                 # end of input does not stop the simulator
        assert proc.poll() is None
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()


def test_read_timeout_exits_1_with_one_line(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    with ScannerSimulator() as sim:
        code = main(["--config", site, "scanner", "read", "--port", sim.port, "--timeout", "0.2",
                     "--json"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err == "error: 未扫描到条码 no scan within 0.200 s\n"


def test_read_errors_are_one_line_never_a_traceback(site: str) -> None:
    missing = kiosk(site, "scanner", "read", "--port", "/dev/ttyKIOSK-NO-SCANNER", "--timeout",
                    "0.2", "--json")
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith("error: 扫码器未连接")
    bad_timeout = kiosk(site, "scanner", "read", "--timeout", "-1")
    assert bad_timeout.returncode == 2 and "Traceback" not in bad_timeout.stderr
    bad_aim = kiosk(site, "scanner", "simulate", "--code", "X", "--aim", "Q1")
    assert bad_aim.returncode == 2 and "not an AIM symbology identifier" in bad_aim.stderr


def test_garbled_frame_exits_1_with_the_reason(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    with ScannerSimulator() as sim:
        sim.garbled()
        code = main(["--config", site, "scanner", "read", "--port", sim.port, "--timeout", "3"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: 未能识别，请重新扫描 bad scan (4 bytes): neither")


def test_read_without_a_serial_scanner_says_so(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path}"\n[scanner]\nmode = "keyboard"\n', "utf-8")
    assert main(["--config", str(site), "scanner", "read", "--timeout", "0.1"]) == 1
    assert "本机未配置扫码器" in capsys.readouterr().err
    assert "scanner" in COMMAND_MODULES


def test_simulate_fault_commands_for_technicians(site: str) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", site, "scanner",
                             "simulate", "--code", "FIRST", "--faults"],
                            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    try:
        port = proc.stdout.readline().strip().removeprefix("PORT=")
        assert kiosk(site, "scanner", "read", "--port", port, "--timeout", "5").returncode == 0
        proc.stdin.write("!garbled\n")
        proc.stdin.flush()
        assert proc.stderr.readline() == "sent garbled bytes 80 ff fe 9f 0d\n"
        garbled = kiosk(site, "scanner", "read", "--port", port, "--timeout", "5")
        assert garbled.returncode == 1 and "neither UTF-8 nor GB18030" in garbled.stderr
        proc.stdin.write("!nonsense\n!!bang\n")
        proc.stdin.flush()
        assert proc.stderr.readline().startswith("error: unknown fault 'nonsense'")
        bang = kiosk(site, "scanner", "read", "--port", port, "--timeout", "5", "--json")
        assert json.loads(bang.stdout) == {"text": "!bang", "symbology": None}
        proc.stdin.write("!unplug\n")
        proc.stdin.flush()
        assert proc.stderr.readline() == "unplugged (the port path is gone)\n"
        gone = kiosk(site, "scanner", "read", "--port", port, "--timeout", "1")
        assert gone.returncode == 1 and "扫码器未连接" in gone.stderr
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
