"""`[scanner]` settings, the factory (serial, simulator, keyboard, none) and the doctor check."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kiosk.devices.scanner.absent import NoScanner
from kiosk.devices.scanner.base import ScannerMode, ScannerState
from kiosk.devices.scanner.errors import ScannerNotConfigured
from kiosk.devices.scanner.factory import open_scanner, wedge_timing
from kiosk.devices.scanner.frames import Suffix
from kiosk.devices.scanner.keyboard import KeyboardWedgeScanner
from kiosk.devices.scanner.reader import SerialScanner
from kiosk.devices.scanner.simulator import ScannerSimulator
from kiosk.devices.scanner.symbology import AimMode
from kiosk.services.maintenance.doctor import check_scanner
from kiosk.settings import (ConfigError, ScannerSettings, Settings, load_settings,
                            replace_option)

pytestmark = pytest.mark.timeout(30)
REPO = Path(__file__).resolve().parents[2]


def test_shipped_defaults() -> None:
    section = load_settings(environ={}).scanner
    assert section == ScannerSettings()
    assert (section.enabled, section.mode, section.port, section.baudrate, section.suffix,
            section.aim_prefix) == (True, "serial", "simulator", 9600, "cr", "auto")
    assert (section.inter_char_timeout_ms, section.wedge_max_gap_ms, section.wedge_mean_gap_ms,
            section.wedge_min_length) == (50, 50, 20, 4)
    example = load_settings(REPO / "config" / "site.example.toml", environ={}).scanner
    assert (example.port, example.aim_prefix) == ("/dev/ttyACM0", "on")


@pytest.mark.parametrize("text, option, words", [
    ('mode = "usb"', "scanner.mode", "one of serial, keyboard, none"),
    ('suffix = "tab"', "scanner.suffix", "one of cr, lf, crlf, none"),
    ('aim_prefix = true', "scanner.aim_prefix", "must be a string"),
    ('baudrate = 9601', "scanner.baudrate", "one of 1200"),
    ('enabled = "no"', "scanner.enabled", "true or false"),
    ('inter_char_timeout_ms = 0', "scanner.inter_char_timeout_ms", "between 1 and 5000"),
    ('wedge_max_gap_ms = 10', "scanner.wedge_mean_gap_ms", "must not exceed wedge_max_gap_ms (10)"),
    ('wedge_min_length = 0', "scanner.wedge_min_length", "between 1 and 1000"),
    ('prefix = "]Q1"', "scanner.prefix", "unknown option"),
])
def test_bad_values_name_section_key_and_file(tmp_path: Path, text: str, option: str,
                                              words: str) -> None:
    site = tmp_path / "site.toml"
    site.write_text(f"[scanner]\n{text}\n", "utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(site, environ={})
    assert info.value.option == option and words in str(info.value)
    assert info.value.source == str(site) or info.value.source.endswith(f" + {site}")


def test_runtime_change_is_validated() -> None:
    settings = replace_option(Settings(), "scanner.port", "/dev/ttyACM1")
    assert settings.scanner.port == "/dev/ttyACM1"
    with pytest.raises(ConfigError) as info:
        replace_option(settings, "scanner.wedge_mean_gap_ms", 80)
    assert info.value.option == "scanner.wedge_mean_gap_ms"


def test_factory_builds_each_mode() -> None:
    off = open_scanner(ScannerSettings(enabled=False))
    none = open_scanner(ScannerSettings(mode="none"))
    assert isinstance(off, NoScanner) and isinstance(none, NoScanner)
    assert (off.state, off.mode, off.describe()) == \
        (ScannerState.ABSENT, ScannerMode.NONE, "no scanner (scanner.enabled = false)")
    with pytest.raises(ScannerNotConfigured):
        none.read_once(0.1)
    wedge = open_scanner(ScannerSettings(mode="keyboard", wedge_max_gap_ms=80,
                                         wedge_mean_gap_ms=30, aim_prefix="on"))
    assert isinstance(wedge, KeyboardWedgeScanner)
    assert (wedge.classifier.timing.max_gap_ms, wedge.classifier.aim) == (80, AimMode.ON)
    real = open_scanner(ScannerSettings(port="/dev/ttyKIOSK-NO-SCANNER", suffix="crlf",
                                        reopen_interval_ms=250))
    assert isinstance(real, SerialScanner) and real.simulator is None
    assert (real.config.suffix, real.config.reopen_interval_s, real.state) == \
        (Suffix.CRLF, 0.25, ScannerState.STOPPED)
    with pytest.raises(ValueError, match="must not exceed"):
        dataclasses.replace(ScannerSettings(), wedge_mean_gap_ms=90)
    assert wedge_timing(ScannerSettings()).min_length == 4


def test_factory_simulator_scans_and_is_stopped_by_close() -> None:
    scanner = open_scanner(ScannerSettings(suffix="lf"))
    assert isinstance(scanner, SerialScanner) and isinstance(scanner.simulator, ScannerSimulator)
    try:
        scanner.simulator.scan("DEMO-CODE")
        assert scanner.read_once(5).text == "DEMO-CODE"
        assert scanner.describe() == "serial simulator 9600 Bd, suffix LF, AIM auto"
        port = scanner.simulator.port
    finally:
        scanner.close()
    assert not Path(port).exists()


def test_doctor_reports_the_scanner_as_a_warning_never_a_failure() -> None:
    absent = check_scanner(Settings(scanner=ScannerSettings(enabled=False)), open_scanner)
    assert absent.ok and absent.detail == "可选设备 optional: no scanner (scanner.enabled = false)"
    wedge = check_scanner(Settings(scanner=ScannerSettings(mode="keyboard")), open_scanner)
    assert wedge.ok and "keyboard wedge" in wedge.detail
    demo = check_scanner(Settings(), open_scanner)
    assert demo.ok and demo.detail.startswith("simulator: 端口可打开 port opens (serial simulator")
    broken = check_scanner(Settings(scanner=ScannerSettings(port="/dev/ttyKIOSK-NO-SCANNER")),
                           open_scanner)
    assert not broken.ok and not broken.required and "/dev/ttyKIOSK-NO-SCANNER" in broken.detail
    assert broken.fix.startswith("检查扫码器") and "scanner.enabled = false" in broken.fix
    assert not any(c.required for c in (absent, wedge, demo, broken))
    assert check_scanner(Settings(), None).detail == "未检查 not checked (no scanner factory)"
