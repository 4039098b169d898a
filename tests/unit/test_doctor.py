"""``kiosk doctor``: one line per check, a fix for each failure, exit status 1 when broken."""

from __future__ import annotations

import json

import pytest

from kiosk.bootstrap import doctor_adapters
from kiosk.cli import main
from kiosk.platform.credentials import load_device_secret
from kiosk.services.maintenance.doctor import check_display, check_printer, run_doctor
from kiosk.services.slip import build_printer
from kiosk.settings import load_settings

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def broken_site(tmp_path):
    """No reader on the configured port and a platform nobody listens on (port 9, discard)."""
    secret = tmp_path / "device.secret"
    load_device_secret(secret, create=True)
    site = tmp_path / "site.toml"
    site.write_text(
        f'[paths]\ndata_dir = "{tmp_path / "data"}"\n'
        '[card_reader]\nport = "/dev/ttyKIOSK-MISSING"\n'
        f'[platform]\nbase_url = "http://127.0.0.1:9/v1"\nsecret_file = "{secret}"\n'
        'connect_timeout_s = 0.5\n', encoding="utf-8")
    return site


def _by_name(checks):
    return {c["name"]: c for c in checks}


def test_cli_reports_missing_reader_and_unreachable_platform(broken_site, capsys):
    status = main(["--config", str(broken_site), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1 and report["ok"] is False
    checks = _by_name(report["checks"])
    assert list(checks) == ["config", "maintenance_pin", "font", "display", "card_reader",
                            "scanner", "printer", "platform", "clock", "timezone", "disk", "data_dir",
                            "outbox_db", "outbox_key", "catalog", "audio"]
    reader = checks["card_reader"]
    assert reader["ok"] is False and "/dev/ttyKIOSK-MISSING" in reader["detail"]
    assert "kiosk card ports" in reader["fix"] and reader["fix"].startswith("检查读卡器")
    platform = checks["platform"]
    assert platform["ok"] is False and "127.0.0.1:9" in platform["detail"]
    assert "platform.base_url" in platform["fix"]
    # not demo mode (real reader port) and no PIN: reported with the command that fixes it
    assert checks["maintenance_pin"] == {"name": "maintenance_pin", "ok": False,
                                         "detail": "未设置维护 PIN no maintenance PIN set",
                                         "fix": "运行 run `kiosk maintenance set-pin`",
                                         "required": True}
    assert checks["printer"]["ok"] is True and checks["printer"]["detail"].startswith("preview:")
    assert checks["clock"]["ok"] is True and "unreachable" in checks["clock"]["detail"]
    assert all(c["fix"] == "" for c in report["checks"] if c["ok"])


def test_text_output_has_one_line_per_check_and_a_fix_for_each_failure(broken_site, capsys):
    assert main(["--config", str(broken_site), "doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 17 and lines[-1] == "有故障 something is broken"
    failed = [line for line in lines[:-1] if line.startswith("[FAIL]")]
    assert {line.split(":")[0] for line in failed} >= {"[FAIL] card_reader", "[FAIL] platform"}
    assert all(" → " in line for line in failed)


def test_printer_out_of_paper_fails_with_the_fix(tmp_path):
    settings = load_settings(_site(tmp_path), environ={})
    printer = build_printer(settings)
    try:
        printer.connector.set_state("paper_end")
        check = check_printer(settings, printer)
        assert (check.ok, check.fix) == (False, "更换打印纸卷 load a new paper roll")
        assert check.detail == "preview: 打印纸已用完，请联系工作人员更换 (offline paper_end paper_near_end)"
        printer.connector.set_state("near_end")
        near = check_printer(settings, printer)
        assert near.ok and "即将用完" in near.detail
    finally:
        printer.close()


def test_demo_terminal_passes_every_device_check(tmp_path):
    settings = load_settings(_site(tmp_path), environ={})
    cards = tmp_path / "cards"
    cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n", encoding="utf-8")
    report = run_doctor(settings, doctor_adapters(), environ={"DISPLAY": "kiosk-host:0"},
                        audio_cards=cards, zone="Asia/Shanghai")
    checks = {c.name: c for c in report.checks}
    assert report.ok, report.lines()
    assert checks["card_reader"].detail.startswith("simulator: SAM OK, SAM ID ")
    assert checks["maintenance_pin"].detail.endswith("demo mode: default PIN 2468")
    assert "signed heartbeat accepted" in checks["platform"].detail
    assert checks["audio"].detail.startswith("ALSA: HDA-Intel - HDA Intel PCH; ")


def test_display_check(tmp_path):
    (tmp_path / "X0").touch()
    assert check_display({"DISPLAY": ":0"}, tmp_path).ok
    assert not check_display({"DISPLAY": ":7"}, tmp_path).ok
    assert check_display({}, tmp_path).detail.startswith("X display :0")
    missing = check_display({}, tmp_path / "none")
    assert not missing.ok and "systemctl start kiosk" in missing.fix
    assert check_display({"WAYLAND_DISPLAY": "wayland-0"}, tmp_path / "none").ok


def _site(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    return site
