"""Maintenance actions against the simulated reader, the preview printer and the embedded
sandbox; settings written to the site file; the maintenance and outbox CLIs."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

import pytest

from kiosk.bootstrap import build_services
from kiosk.cli import main
from kiosk.services.maintenance.diagnostics import RECOVER_CLEAR_BUFFERS, MaintenanceService
from kiosk.services.maintenance.pin import verify_pin
from kiosk.services.maintenance.site_file import SiteFileError, apply_site_changes
from kiosk.settings import ConfigError, load_settings

pytestmark = pytest.mark.timeout(60)
REPO = Path(__file__).resolve().parents[2]
PHONE = "13800138000"


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(f'# technician site file\n[paths]\ndata_dir = "{tmp_path / "data"}"\n',
                    encoding="utf-8")
    return path


@pytest.fixture
def services(site):
    svc = build_services(load_settings(site, environ={}))
    svc.card.start()
    yield svc
    svc.stop()


@pytest.fixture
def maintenance(services):
    return MaintenanceService(services)


def test_test_read_reads_the_card_masked_and_resumes_polling(services, maintenance):
    services.demo_place_card()
    result = maintenance.test_card_read(5.0)
    assert (result.ok, result.masked_name, result.card_type) == (True, "陈*满", "resident")
    assert result.masked_id_number.startswith("4499") and "*" in result.masked_id_number
    assert services.card.reader._thread is not None and services.card.reader._thread.is_alive()
    services.demo_remove_card()
    none = maintenance.test_card_read(0.3)
    assert (none.ok, none.message_zh) == (False, "0 秒内未检测到身份证，请放好后重试")


def test_snapshot_reports_reader_printer_platform_outbox(services, maintenance):
    snap = maintenance.snapshot()
    assert snap.reader.port.startswith("simulator (") and snap.reader.sam.startswith("0x90")
    assert snap.reader.sam_id == "05.01-20240101-0000012345-0000067890"
    assert snap.printer_status.ready and snap.printer_profile == "80 mm · 48 列"
    assert snap.platform.base_url.startswith("http://127.0.0.1:")
    assert snap.platform.clock_skew_s is not None and abs(snap.platform.clock_skew_s) < 5
    assert (snap.outbox.pending, snap.outbox.dead, snap.dead_items) == (0, 0, ())
    assert snap.health.disk_free_mb > 0 and snap.health.rss_mb > 0


def _wait(condition, timeout_s: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_snapshot_and_heartbeat_report_the_optional_scanner(services, maintenance):
    from kiosk.devices.scanner.absent import NoScanner
    from kiosk.services.maintenance.diagnostics import ScannerInfo, scanner_info

    assert maintenance.snapshot().scanner.presence == "fault"      # built, not started yet
    services.scanner.start()
    _wait(lambda: services.scanner.state == "ready")
    assert maintenance.snapshot().scanner == ScannerInfo(
        "present", "ready", "serial", "serial simulator 9600 Bd, suffix CR, AIM auto")
    assert maintenance.sync_now().endswith("心跳已发送")
    sent = services.sandbox.store.heartbeats()[services.settings.station.terminal_id]
    assert sent["devices"] == {"card_reader": services.card.last_state,
                               "printer": services.health().printer, "scanner": "ready"}
    services.scanner.simulator.unplug()
    _wait(lambda: services.scanner.state == "disconnected")
    snap = maintenance.snapshot()
    assert (snap.scanner.presence, snap.scanner.state, snap.health.scanner) == (
        "fault", "disconnected", "disconnected")
    assert snap.scanner.message_zh() == "已配置但无法连接 configured but not connected"
    assert services.heartbeat.payload()["devices"]["scanner"] == "disconnected"
    services.scanner.simulator.replug()
    _wait(lambda: services.scanner.state == "ready")
    absent = scanner_info(NoScanner("scanner.enabled = false"))
    assert absent == ScannerInfo("absent", "absent", "none", "no scanner (scanner.enabled = false)")
    assert absent.message_zh() == "未配置扫码器 none configured"
    assert scanner_info(None).presence == "absent"


def test_a_missing_scanner_is_healthy_a_broken_one_degrades_never_errors():
    from kiosk.services.health import HealthReport

    base = dict(card_reader="ready", printer="ok", printer_message="", platform_reachable=True,
                outbox_pending=0, outbox_dead=0, last_success_at=None, catalog_synced_at=None,
                disk_free_mb=10_000, rss_mb=100)
    assert HealthReport(**base).overall == "ok"                        # default: absent
    assert HealthReport(**base, scanner="ready").overall == "ok"
    assert HealthReport(**base, scanner="disconnected").overall == "degraded"


def test_the_status_line_tells_a_connecting_reader_from_an_unavailable_one():
    from kiosk.services.health import HealthReport

    base = dict(printer="ok", printer_message="", platform_reachable=True, outbox_pending=2,
                outbox_dead=0, last_success_at=None, catalog_synced_at=None,
                disk_free_mb=10_000, rss_mb=100)
    lines = {state: HealthReport(card_reader=state, **base).home_line_zh()
             for state in ("ready", "card_present", "connecting", "stopped", "disconnected",
                           "sam_fault")}
    assert lines["ready"] == lines["card_present"] == "网络正常 · 读卡器正常 · 打印机正常 · 待提交 2"
    assert lines["connecting"] == lines["stopped"] == "网络正常 · 读卡器连接中 · 打印机正常 · 待提交 2"
    assert lines["disconnected"] == lines["sam_fault"] == "网络正常 · 读卡器不可用 · 打印机正常 · 待提交 2"


def test_test_print_writes_the_test_page_bytes(services, maintenance):
    maintenance.clock = lambda: 1796112660.0
    result = maintenance.test_print()
    assert result.ok and result.message_zh == "测试页已打印"
    page = maintenance.test_page()
    written = services.printer.connector.last_outputs[0]
    assert written.read_bytes() == page and result.bytes_sent == len(page)
    assert "打印测试 PRINT TEST".encode("gb18030") in page
    assert b"2026-12-01 16:11" in page  # China time, whatever the machine's zone
    assert maintenance.last_test_print == "test page 2026-12-01 16:11"
    assert b"123456789012345678901234567890123456789012345678" in page  # 48 columns
    assert maintenance.snapshot().last_print_job.startswith(written.name)


def test_paper_end_refuses_then_resume_after_paper_change(services, maintenance):
    connector = services.printer.connector
    connector.set_state("paper_end")
    refused = maintenance.test_print()
    assert (refused.ok, refused.message_zh) == (False, "打印纸已用完，请联系工作人员更换")
    assert services.health().printer == "paper_end"
    still = maintenance.resume_printer()
    assert not still.ok and still.status.paper_end
    connector.set_state("ok")
    resumed = maintenance.resume_printer()
    assert (resumed.ok, resumed.message_zh) == (True, "打印机已恢复，可以打印")
    assert services.health().printer == "ok"


def test_resume_sends_dle_enq_2_on_a_recoverable_error(services, maintenance):
    services.printer.connector.set_state("cutter_error")
    result = maintenance.resume_printer()
    assert not result.ok and result.status.cutter_error
    assert services.printer.connector.last_outputs[0].read_bytes() == RECOVER_CLEAR_BUFFERS


def test_sync_now_heartbeat_changes_idle_timeout(services, maintenance):
    terminal = services.settings.station.terminal_id
    services.sandbox.store.queue_settings(terminal, {"session.idle_timeout_s": 90,
                                                     "station.name": "not allowed remotely"})
    services.sandbox.store.queue_notice(terminal, "今晚22:00系统维护")
    summary = maintenance.sync_now()
    assert "岗位更新" in summary and "session.idle_timeout_s" in summary
    assert services.session.idle_timeout_s == 90 and services.settings.session.idle_timeout_s == 90
    assert services.settings.station.name == "天河区天河南街道就业驿站"
    assert services.notices == ["今晚22:00系统维护"]
    assert maintenance.snapshot().platform.last_heartbeat_at is not None


def test_dead_item_retry_and_discard(services, maintenance):
    card = json.loads((REPO / "assets/demo/cards/resident.json").read_text(encoding="utf-8"))
    from kiosk.domain.identity_card import IdentityCard

    services.sandbox.faults.down = True
    services.assistance.wait_s = 0.01
    ids = []
    for _ in range(2):
        services.assistance.submit("subsidy_application", IdentityCard.from_json(card), PHONE)
        claimed = services.outbox.claim_next()
        services.outbox.mark_failed(claimed.item_id, "rejected 400 invalid_request",
                                    retry_at=None, strike=True, reachable=True)
        ids.append(claimed.item_id)
    assert [i.item_id for i in maintenance.snapshot().dead_items] == ids
    maintenance.retry_item(ids[0])
    maintenance.discard_item(ids[1])
    assert services.outbox.item(ids[0]).state == "pending"
    discarded = services.outbox.item(ids[1])
    assert (discarded.state, discarded.has_payload) == ("discarded", False)


def test_change_settings_validates_persists_and_applies(services, maintenance, site):
    with pytest.raises(ConfigError) as err:
        maintenance.change_settings({"station.name": "天河南街道驿站"})
    assert err.value.option == "station.name" and "就业驿站" in err.value.reason
    with pytest.raises(ConfigError):
        maintenance.change_settings({"platform.base_url": "http://evil.invalid/v1"})
    before = site.read_text(encoding="utf-8")
    assert "station" not in before
    change = maintenance.change_settings({"station.name": "越秀区北京街道就业驿站",
                                          "session.idle_timeout_s": 75,
                                          "card_reader.port": "/dev/idcard"})
    assert change.restart_needed == ("card_reader.port",)
    assert change.message_zh == "已保存，重启应用后生效：card_reader.port"
    written = tomllib.loads(site.read_text(encoding="utf-8"))
    assert written["station"] == {"name": "越秀区北京街道就业驿站"}
    assert written["session"] == {"idle_timeout_s": 75}
    assert written["paths"]["data_dir"].endswith("data")  # other keys kept
    assert oct(site.stat().st_mode & 0o777) == "0o600"
    assert services.session.idle_timeout_s == 75
    reloaded = load_settings(site, environ={})
    assert (reloaded.station.name, reloaded.card_reader.port) == ("越秀区北京街道就业驿站",
                                                                  "/dev/idcard")
    assert maintenance.change_settings({"session.idle_timeout_s": 75}).applied == ()


def test_recent_logs_are_masked(services, maintenance):
    log = Path(services.data_dir) / "logs" / "kiosk.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("".join(f"line {i}\n" for i in range(300))
                   + "2026 WARNING x: caller 13812345678 id 44010619900307123X\n",
                   encoding="utf-8")
    lines = maintenance.recent_logs(50)
    assert len(lines) == 50 and lines[0] == "line 251"
    assert lines[-1] == "2026 WARNING x: caller 138****5678 id 4401**********123X"


def test_data_dir_site_file_is_loaded_when_no_config_is_named(tmp_path):
    base = tmp_path / "kiosk.toml"
    base.write_text((REPO / "config/kiosk.toml").read_text(encoding="utf-8").replace(
        'data_dir = ""', f'data_dir = "{tmp_path / "data"}"'), encoding="utf-8")
    first = load_settings(environ={}, base_file=base)
    assert first.site_file == str(tmp_path / "data" / "site.toml")
    assert first.session.idle_timeout_s == 60
    apply_site_changes(first, {"session.idle_timeout_s": 45})
    second = load_settings(environ={}, base_file=base)
    assert second.session.idle_timeout_s == 45 and second.site_file == first.site_file
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("", encoding="utf-8")
    assert load_settings(environ={"KIOSK_CONFIG": str(explicit)},
                         base_file=base).session.idle_timeout_s == 60


def test_site_file_error_is_typed(tmp_path):
    bad = tmp_path / "site.toml"
    bad.write_text("[station\n", encoding="utf-8")
    settings = load_settings(environ={})
    import dataclasses

    with pytest.raises(SiteFileError):
        apply_site_changes(dataclasses.replace(settings, site_file=str(bad)),
                           {"session.idle_timeout_s": 30})


def test_set_pin_from_stdin_writes_only_the_hash(site, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("135790\n"))
    assert main(["--config", str(site), "maintenance", "set-pin", "--pin-stdin"]) == 0
    text = site.read_text(encoding="utf-8")
    assert "135790" not in text
    assert verify_pin("135790", load_settings(site, environ={}).maintenance.pin_hash)
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["--config", str(site), "maintenance", "set-pin", "--pin-stdin"]) == 1
    assert "4 到 8 位数字" in capsys.readouterr().err


def test_set_pin_interactive_mismatch(site, monkeypatch, capsys):
    answers = iter(["2468", "2469"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert main(["--config", str(site), "maintenance", "set-pin"]) == 1
    assert "两次输入不一致" in capsys.readouterr().err


def test_set_pin_without_a_terminal_asks_for_pin_stdin(site, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--config", str(site), "maintenance", "set-pin"]) == 1
    assert "--pin-stdin" in capsys.readouterr().err


def test_outbox_cli(services, site, capsys):
    card = json.loads((REPO / "assets/demo/cards/resident.json").read_text(encoding="utf-8"))
    from kiosk.domain.identity_card import IdentityCard

    services.sandbox.faults.down = True
    services.assistance.wait_s = 0.01
    services.assistance.submit("subsidy_application", IdentityCard.from_json(card), PHONE)
    claimed = services.outbox.claim_next()
    services.outbox.mark_failed(claimed.item_id, "rejected 400", retry_at=None, strike=True,
                                reachable=True)
    capsys.readouterr()
    assert main(["--config", str(site), "outbox", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["dead"], status["pending"]) == (1, 0)
    assert main(["--config", str(site), "outbox", "list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert (item["item_id"], item["kind"], item["state"]) == (claimed.item_id, "assistance", "dead")
    assert "payload" not in item and PHONE not in json.dumps(item)
    assert main(["--config", str(site), "outbox", "discard", "999"]) == 1
    assert main(["--config", str(site), "outbox", "retry", str(claimed.item_id)]) == 0
    assert services.outbox.item(claimed.item_id).state == "pending"
    assert main(["--config", str(site), "outbox", "purge", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"purged": 0}
