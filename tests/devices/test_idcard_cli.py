"""`kiosk card …` commands and the settings factory."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.devices.idcard.factory import open_reader
from kiosk.domain.identity_card import JSON_KEYS
from kiosk.devices.idcard.simulator import CardSimulator
from kiosk.settings import CardReaderSettings, ConfigError

pytestmark = pytest.mark.timeout(30)
REPO = Path(__file__).resolve().parents[2]
CARDS = REPO / "assets" / "demo" / "cards"


@pytest.fixture
def site(tmp_path: Path) -> str:
    path = tmp_path / "site.toml"
    path.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                    '[card_reader]\ncommand_timeout_ms = 300\npoll_interval_ms = 50\n', "utf-8")
    return str(path)


def test_read_json_masked_and_revealed(site: str, capsys: pytest.CaptureFixture) -> None:
    with CardSimulator(json.loads((CARDS / "resident.json").read_text("utf-8"))) as sim:
        assert main(["--config", site, "card", "read", "--port", sim.port, "--json",
                     "--timeout", "2"]) == 0
        masked = json.loads(capsys.readouterr().out)
        assert main(["--config", site, "card", "read", "--port", sim.port, "--json", "--reveal",
                     "--timeout", "2"]) == 0
        revealed = json.loads(capsys.readouterr().out)
    assert tuple(masked) == JSON_KEYS
    assert (masked["name"], masked["id_number"], masked["address"]) == \
        ("陈*满", "4499**********4525", "广东省广州市****")
    assert (revealed["name"], revealed["id_number"], revealed["ethnicity"]) == \
        ("陈晓满", "449901199203154525", "满族")


def test_read_timeout_exits_1_with_one_line(site: str, capsys: pytest.CaptureFixture) -> None:
    with CardSimulator() as sim:
        code = main(["--config", site, "card", "read", "--port", sim.port, "--json",
                     "--timeout", "0.2"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: no card placed within 0.200 s")


def test_read_missing_port_exits_1(site: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--config", site, "card", "read", "--port", "/dev/no-such-reader",
                 "--timeout", "0.2"]) == 1
    assert "unavailable" in capsys.readouterr().err


def test_read_from_configured_simulator(site: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--config", site, "card", "read", "--json", "--timeout", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["card_type"] == "resident"


def test_ports_json(site: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--config", site, "card", "ports", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list)
    for row in rows:
        assert set(row) >= {"device", "vid_pid", "description"}


def test_simulate_subprocess_serves_until_stopped(site: str) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", site, "card", "simulate",
                             "--card", str(CARDS / "foreign_permanent_2017.json"), "--no-pace"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().strip()
        assert first.startswith("PORT=")
        port = first.removeprefix("PORT=")
        out = subprocess.run([sys.executable, "-m", "kiosk", "--config", site, "card", "read",
                              "--port", port, "--json", "--reveal", "--timeout", "3"],
                             cwd=REPO, capture_output=True, text=True, timeout=20)
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert (data["id_number"], data["nationality"], data["id_number_valid"]) == \
            ("ZZZ440190010112", "ZZZ", True)
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0


def test_factory_simulator_and_bad_demo_card(tmp_path: Path) -> None:
    reader = open_reader(CardReaderSettings(port="simulator", command_timeout_ms=300))
    try:
        assert reader.simulator is not None
        assert reader.read_once(2).card_type.value == "resident"
        port = reader.simulator.port
    finally:
        reader.close()
    assert not Path(port).exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"card_type": "resident"}', "utf-8")
    for demo in (str(bad), str(tmp_path / "missing.json")):
        with pytest.raises(ConfigError) as info:
            open_reader(dataclasses.replace(CardReaderSettings(), demo_card=demo))
        assert info.value.option == "card_reader.demo_card"


def test_factory_real_port_is_not_opened_until_used() -> None:
    reader = open_reader(CardReaderSettings(port="/dev/no-such-reader"))
    assert reader.simulator is None and reader.config.url == "/dev/no-such-reader"
    assert reader.config.command_timeout_s == 2.0 and reader.config.poll_interval_s == 0.5
