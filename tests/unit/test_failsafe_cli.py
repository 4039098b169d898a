"""Issue 16: every expected failure of a `kiosk` command is one line on stderr and a non-zero
exit (never a traceback); a lost outbox key is a fault, never a silent new key; doctor sees the
outbox, its key, the catalog and audio; `kiosk card read` retries a failed read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.bootstrap import doctor_adapters
from kiosk.cli import main
from kiosk.devices.idcard.simulator import CardSimulator
from kiosk.services.maintenance.doctor import check_audio, check_timezone, run_doctor
from kiosk.services.outbox import KeyLost, Outbox, open_outbox
from kiosk.services.outbox.schema import SCHEMA_VERSION
from kiosk.settings import OutboxSettings, load_settings

pytestmark = pytest.mark.timeout(60)
REPO = Path(__file__).resolve().parents[2]
REFERRAL = REPO / "assets" / "demo" / "referral.example.json"
CARD = REPO / "assets" / "demo" / "cards" / "resident.json"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    path = tmp_path / "site.toml"
    path.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                    '[card_reader]\ncommand_timeout_ms = 300\npoll_interval_ms = 50\n', "utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture, site: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--config", str(site), *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    return err.strip()


def queue_one_item(data: Path) -> None:
    """An outbox with one pending (sealed) registration, as a real kiosk leaves it."""
    box = Outbox(data / "outbox.db", data / "outbox.key", OutboxSettings(), check=None)
    box.enqueue("registration", {"name": "欧阳小明", "id_number": "44010619900307123X"})
    box.close()


def referral_file(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(REFERRAL.read_text("utf-8"))
    data.update(changes)
    path = tmp_path / "referral.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


# ---- files that are not what they claim -------------------------------------------------------

def test_card_simulate_with_a_non_utf8_file(site, tmp_path, capsys):
    bad = tmp_path / "card.json"
    bad.write_bytes(b"\xff\xfe{}")
    code, out, err = run_cli(capsys, site, "card", "simulate", "--card", str(bad))
    assert code == 1 and out == ""
    assert one_line(err) == (f"error: {bad}: 不是 UTF-8 文本 not UTF-8 text (byte 0xff at "
                             "offset 0)")


def test_card_simulate_with_a_json_array(site, tmp_path, capsys):
    bad = tmp_path / "card.json"
    bad.write_text("[1, 2]", "utf-8")
    code, _, err = run_cli(capsys, site, "card", "simulate", "--card", str(bad))
    assert code == 1 and "must be a JSON object" in one_line(err)


@pytest.mark.parametrize("content, expected", [
    (b"\xff\xfe{}", "不是 UTF-8 文本 not UTF-8 text (byte 0xff at offset 0)"),
    (b"[" * 100_000 + b"]" * 100_000, "JSON 嵌套过深 nested too deeply"),
    (b'{"a": ', "不是有效的 JSON not JSON: Expecting value (line 1, column 7)"),
    (b"1" * 5000, "不是有效的 JSON not JSON: Exceeds the limit"),
])
def test_slip_render_with_a_bad_referral_file(site, tmp_path, capsys, content, expected):
    bad = tmp_path / "referral.json"
    bad.write_bytes(content)
    code, out, err = run_cli(capsys, site, "slip", "render", "--referral", str(bad),
                             "--paper", "80", "--out", str(tmp_path / "o.bin"))
    assert code == 1 and out == ""
    assert one_line(err).startswith(f"error: {bad}: {expected}")
    assert not (tmp_path / "o.bin").exists()


@pytest.mark.parametrize("url, expected", [
    ("http://[::1", "error: referral verify_url: is not a valid URL"),
    ("https://jy.example.gov.cn:99999/r", "error: referral verify_url: is not a valid URL"),
    ("https://jy.example.gov.cn/r/" + "A" * 3000, "error: referral verify_url: is 3028 bytes; "
     "a QR code holds at most 2331 (ISO/IEC 18004, version 40-M)"),
    ("https://jy.example.gov.cn/r/" + "A" * 1000, "error: QR code of 1028 bytes (version 22, "
     "113 modules × 6 dots) is wider than the paper (576 dots); shorten the URL"),
])
def test_slip_render_with_a_bad_verify_url(site, tmp_path, capsys, url, expected):
    path = referral_file(tmp_path, verify_url=url)
    code, _, err = run_cli(capsys, site, "slip", "render", "--referral", str(path),
                           "--paper", "80", "--out", str(tmp_path / "o.bin"))
    assert code == 1 and one_line(err) == expected


def test_slip_render_to_a_missing_folder(site, tmp_path, capsys):
    code, _, err = run_cli(capsys, site, "slip", "render", "--referral", str(REFERRAL),
                           "--paper", "58", "--out", str(tmp_path / "none" / "o.bin"))
    assert code == 1
    assert one_line(err) == f"error: cannot write {tmp_path / 'none' / 'o.bin'}: No such file " \
                            "or directory"


def test_printer_test_with_a_nested_referral(site, tmp_path, capsys):
    bad = tmp_path / "deep.json"
    bad.write_text("{\"a\":" * 50_000 + "1" + "}" * 50_000, "utf-8")
    code, _, err = run_cli(capsys, site, "printer", "test", "--referral", str(bad))
    assert code == 1 and one_line(err) == f"error: {bad}: JSON 嵌套过深 nested too deeply"


def test_vacancies_search_with_a_corrupt_catalog(site, tmp_path, capsys):
    (tmp_path / "data" / "catalog.sqlite3").write_bytes(b"not a database" * 100)
    code, _, err = run_cli(capsys, site, "vacancies", "search", "保安")
    assert code == 1 and one_line(err).endswith("catalog.sqlite3: file is not a database")


# ---- the outbox: corrupt key, corrupt database, a folder instead of a file ------------------

@pytest.mark.parametrize("action", [("status",), ("retry", "1"), ("list",), ("purge",)])
def test_outbox_with_a_lost_key_and_pending_items(site, tmp_path, capsys, action):
    data = tmp_path / "data"
    queue_one_item(data)
    (data / "outbox.key").unlink()
    code, out, err = run_cli(capsys, site, "outbox", *action)
    line = one_line(err)
    assert code == 1 and out == ""
    assert line.startswith(f"离线队列无法使用 outbox unusable: outbox key file {data / 'outbox.key'}: "
                           "missing; 1 undelivered item(s) cannot be read.")
    assert line.endswith("kiosk outbox discard --unreadable")
    assert not (data / "outbox.key").exists()  # never a silent new key


@pytest.mark.parametrize("action", [("status",), ("retry", "1")])
def test_outbox_with_a_corrupt_key(site, tmp_path, capsys, action):
    data = tmp_path / "data"
    queue_one_item(data)
    (data / "outbox.key").write_bytes(b"\x00" * 5)
    code, _, err = run_cli(capsys, site, "outbox", *action)
    assert code == 1 and "5 bytes, must be 32; 1 undelivered item(s)" in one_line(err)


@pytest.mark.parametrize("action", [("status",), ("retry", "1")])
def test_outbox_with_a_corrupt_database(site, tmp_path, capsys, action):
    (tmp_path / "data" / "outbox.db").write_bytes(b"garbage, not SQLite " * 200)
    code, _, err = run_cli(capsys, site, "outbox", *action)
    assert code == 1
    assert one_line(err).startswith(f"离线队列数据库损坏 outbox database damaged: "
                                    f"{tmp_path / 'data' / 'outbox.db'} (SQLITE_NOTADB); 修复 fix:")


@pytest.mark.parametrize("action", [("status",), ("retry", "1"), ("discard", "--unreadable")])
def test_outbox_db_being_a_folder(site, tmp_path, capsys, action):
    (tmp_path / "data" / "outbox.db").mkdir()
    code, _, err = run_cli(capsys, site, "outbox", *action)
    assert code == 1
    assert one_line(err).startswith(f"离线队列数据库无法打开 outbox database unusable: "
                                    f"{tmp_path / 'data' / 'outbox.db'} (SQLITE_CANTOPEN)")


def test_discard_unreadable_after_a_lost_key_then_the_outbox_works(site, tmp_path, capsys):
    data = tmp_path / "data"
    queue_one_item(data)
    (data / "outbox.key").unlink()
    settings = load_settings(site, environ={})
    with pytest.raises(KeyLost):  # the kiosk's start-up fault
        open_outbox(settings)
    code, out, err = run_cli(capsys, site, "outbox", "discard", "--unreadable")
    assert code == 0 and err == ""
    assert out.startswith("已放弃 1 条无法读取的记录，已生成新密钥 discarded 1 unreadable item(s), new "
                          "key in place: R")
    code, out, _ = run_cli(capsys, site, "outbox", "list", "--state", "discarded")
    assert code == 0 and "\tdiscarded\t" in out and "unreadable (key lost)" in out
    code, out, _ = run_cli(capsys, site, "outbox", "discard", "--unreadable")
    assert code == 0 and out.startswith("没有无法读取的记录 no unreadable items")


def test_outbox_discard_needs_an_id_or_unreadable(site, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["--config", str(site), "outbox", "discard"])
    assert usage.value.code == 2 and "Traceback" not in capsys.readouterr().err


# ---- the central guard: a bug is one line too, its traceback only in the log -----------------

def test_an_unexpected_error_is_one_line_and_the_traceback_goes_to_the_log(site, capsys,
                                                                            monkeypatch):
    import kiosk.cli.outbox as outbox_cli

    def broken(_args):
        raise ZeroDivisionError("/secret/path 44010619900307123X")

    monkeypatch.setattr(outbox_cli, "cmd_status", broken)
    code, _, err = run_cli(capsys, site, "outbox", "status")
    assert code == 1
    assert one_line(err) == ("内部错误 internal error (ZeroDivisionError); 详情见日志 details in "
                             "logs/kiosk.log; 请报告 please report it")


# ---- `kiosk card read` retries a failed read --------------------------------------------------

def test_card_read_retries_a_read_failed_reply(site, capsys):
    with CardSimulator(json.loads(CARD.read_text("utf-8"))) as sim:
        sim.set_fault("read_fail", count=2)  # SW3 0x41 twice: the card was moved
        code, out, err = run_cli(capsys, site, "card", "read", "--port", sim.port, "--json",
                                 "--timeout", "5")
    assert code == 0 and err == ""
    assert json.loads(out)["id_number"] == "4499**********4525"


def test_card_read_gives_up_with_one_line_when_every_read_fails(site, capsys):
    with CardSimulator(json.loads(CARD.read_text("utf-8"))) as sim:
        sim.set_fault("read_fail")
        code, out, err = run_cli(capsys, site, "card", "read", "--port", sim.port,
                                 "--timeout", "0.5")
    assert code == 1 and out == ""
    assert "0x41" in one_line(err) and one_line(err).startswith("error: ")


# ---- doctor: the outbox key, the catalog, audio --------------------------------------------------

def _doctor_json(capsys, site) -> tuple[int, dict]:
    code, out, _ = run_cli(capsys, site, "doctor", "--json")
    report = json.loads(out)
    return code, {c["name"]: c for c in report["checks"]} | {"_ok": report["ok"]}


def test_doctor_json_for_a_corrupt_key_with_pending_items(site, tmp_path, capsys):
    data = tmp_path / "data"
    queue_one_item(data)
    (data / "outbox.key").write_bytes(b"\x01" * 31)
    code, checks = _doctor_json(capsys, site)
    assert code == 1 and checks["_ok"] is False
    key = checks["outbox_key"]
    assert key["ok"] is False and key["required"] is True
    assert key["detail"] == (f"{data / 'outbox.key'}: 31 bytes, must be 32; 1 条待发送记录无法读取 "
                             "undelivered item(s) cannot be read")
    assert "kiosk outbox discard --unreadable" in key["fix"] and "fingerprint" in key["fix"]
    assert checks["outbox_db"]["ok"] is True
    assert checks["outbox_db"]["detail"].endswith(f"schema {SCHEMA_VERSION}, 1 pending, 1 sealed")


def test_doctor_json_for_a_replaced_key(site, tmp_path, capsys):
    data = tmp_path / "data"
    queue_one_item(data)
    (data / "outbox.key").write_bytes(os.urandom(32))
    code, checks = _doctor_json(capsys, site)
    assert code == 1 and checks["outbox_key"]["ok"] is False
    assert "is not the recorded" in checks["outbox_key"]["detail"]


def test_doctor_json_for_a_corrupt_catalog_and_outbox(site, tmp_path, capsys):
    data = tmp_path / "data"
    (data / "catalog.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    (data / "outbox.db").write_bytes(b"garbage" * 100)
    code, checks = _doctor_json(capsys, site)
    assert code == 1
    catalog = checks["catalog"]
    assert catalog["ok"] is False and catalog["required"] is True
    assert catalog["detail"].startswith(f"{data / 'catalog.sqlite3'}: ")
    assert "delete" in catalog["fix"] and "kiosk vacancies import" in catalog["fix"]
    assert checks["outbox_db"]["ok"] is False
    assert checks["outbox_db"]["detail"].endswith("已损坏 damaged (SQLITE_NOTADB)")


def test_doctor_catalog_reports_schema_and_sync_age(site, tmp_path, capsys):
    from kiosk.services.catalog import VacancyCatalog

    with VacancyCatalog(tmp_path / "data" / "catalog.sqlite3") as catalog:
        catalog.set_meta(last_synced_at="2020-01-01T00:00:00Z")
    code, checks = _doctor_json(capsys, site)
    catalog = checks["catalog"]
    assert catalog["ok"] is False and catalog["required"] is False  # stale: a warning
    from kiosk.services.catalog.schema import SCHEMA_VERSION
    assert (f"schema {SCHEMA_VERSION}, 0 vacancies, 上次同步 last sync 2020-01-01 08:00"
            in catalog["detail"])


def test_doctor_json_for_a_missing_audio_device(site, tmp_path):
    settings = load_settings(site, environ={})
    cards = tmp_path / "cards"
    cards.write_text("--- no soundcards ---\n", "utf-8")
    environ = {"DISPLAY": "kiosk-host:0", "XDG_RUNTIME_DIR": str(tmp_path)}
    report = run_doctor(settings, doctor_adapters(), environ=environ, audio_cards=cards,
                        zone="Asia/Shanghai").as_json()
    checks = {c["name"]: c for c in report["checks"]}
    assert report["ok"] is False
    assert checks["audio"] == {
        "name": "audio", "ok": False, "required": True,
        "detail": "没有音频输出设备 no audio output (no ALSA sound card, no PulseAudio/PipeWire "
                  "server)",
        "fix": "连接并打开扬声器，检查 `aplay -l` connect and power the speakers, check `aplay -l`; "
               "不用语音请设 or set accessibility.voice = false"}
    (tmp_path / "pulse").mkdir()
    (tmp_path / "pulse" / "native").touch()
    assert check_audio(settings, cards, environ).ok


def test_doctor_warns_when_the_system_zone_is_not_china():
    utc = check_timezone("Etc/UTC")
    assert (utc.ok, utc.required) == (False, False)
    assert utc.fix == "设置时区 set it: timedatectl set-timezone Asia/Shanghai"
    assert check_timezone("Asia/Shanghai").ok


def test_doctor_flags_a_world_writable_data_folder_and_exposed_secrets(site, tmp_path, capsys):
    data = tmp_path / "data"
    queue_one_item(data)
    os.chmod(data, 0o777)
    os.chmod(data / "outbox.key", 0o644)
    code, checks = _doctor_json(capsys, site)
    assert code == 1
    assert checks["data_dir"]["ok"] is False
    assert "writable by others (mode 0777)" in checks["data_dir"]["detail"]
    assert f"chmod 700 {data}" in checks["data_dir"]["fix"]
    assert f"chmod 600 {data / 'outbox.key'}" in checks["data_dir"]["fix"]


# ---- one real process: stderr of the installed command ---------------------------------------

def test_installed_command_prints_no_traceback_for_a_folder_outbox(site, tmp_path):
    (tmp_path / "data" / "outbox.db").mkdir()
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(site), "outbox",
                             "status"], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "SQLITE_CANTOPEN" in result.stderr


@pytest.mark.parametrize("exc, expected", [
    (RecursionError("maximum recursion depth exceeded"),
     "输入嵌套过深 input nested too deeply (a JSON file with thousands of levels?)"),
    (ModuleNotFoundError("No module named 'prometheus_client'", name="prometheus_client"),
     "缺少软件包 missing Python package prometheus_client; 重新安装 reinstall: ./scripts/setup.sh "
     "(或 or the kiosk .deb)"),
    (PermissionError(13, "Permission denied", "/var/lib/kiosk/x"),
     "系统错误 system error: /var/lib/kiosk/x: Permission denied"),
])
def test_the_guard_names_common_failures(site, capsys, monkeypatch, exc, expected):
    import kiosk.cli.outbox as outbox_cli

    def broken(_args):
        raise exc

    monkeypatch.setattr(outbox_cli, "cmd_status", broken)
    code, _, err = run_cli(capsys, site, "outbox", "status")
    assert code == 1 and one_line(err) == expected


@pytest.mark.parametrize("value", ["nan", "-5", "0", "inf", "abc"])
def test_card_read_timeout_must_be_a_sane_number(site, capsys, value):
    with pytest.raises(SystemExit) as usage:
        main(["--config", str(site), "card", "read", "--port", "loop://", "--timeout", value])
    err = capsys.readouterr().err
    assert usage.value.code == 2 and "argument --timeout" in err and "Traceback" not in err
