"""The background part in the kiosk process: endpoint, textfile, device-state upkeep, printer
refresh; a busy port is a warning and the rest still runs. Driven with a stand-in for the
composition root's Services bundle (attributes only)."""

from __future__ import annotations

import dataclasses
import logging
import socket
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.devices.printer.status import PrinterStatus
from kiosk.services.metrics import QualityService
from kiosk.services.metrics.live import device_states, live_sources
from kiosk.services.transactions import TransactionLog, TransactionStore
from kiosk.settings import MetricsSettings, Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bundle(tmp_path: Path, **metrics: Any) -> SimpleNamespace:
    settings = dataclasses.replace(Settings(), metrics=MetricsSettings(**metrics))
    store = TransactionStore(tmp_path / "transactions.db")
    services = SimpleNamespace(
        settings=settings, card=SimpleNamespace(last_state="disconnected"),
        printer=object(), printer_status=PrinterStatus(online=True, paper_end=True, unknown=False),
        outbox=None, catalog=SimpleNamespace(last_synced_at=lambda: "2026-11-30T07:00:00Z"),
        transactions=TransactionLog(store))
    return services


def wait_for(predicate: Any, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_device_states_from_the_bundle(tmp_path: Path) -> None:
    services = bundle(tmp_path)
    assert device_states(services) == {"card_reader": "disconnected", "printer": "paper_end"}
    services.printer_status = None                         # never asked: unknown, not "ok"
    services.scanner = SimpleNamespace(state=lambda: "absent")
    assert device_states(services) == {"card_reader": "disconnected", "printer": "unknown",
                                       "scanner": "absent"}


def test_service_serves_writes_textfile_and_records_faults(tmp_path: Path) -> None:
    folder = tmp_path / "textfile"
    folder.mkdir()
    port = free_port()
    services = bundle(tmp_path, serve="on", port=port, textfile_dir=str(folder))
    refreshed: list[int] = []
    quality = QualityService(services.settings, live_sources(services), services.transactions,
                             refresh_printer=lambda: refreshed.append(1))
    quality.start()
    try:
        assert quality.server is not None
        with urllib.request.urlopen(quality.server.url, timeout=5) as response:
            text = response.read().decode("utf-8")
        fams = {f.name: f for f in text_string_to_metric_families(text)}
        assert [s.value for s in fams["kiosk_printer_paper_end"].samples] == [1.0]
        assert [s.labels["source"] for s in fams["kiosk_metrics_source_up"].samples
                if s.value == 0] == ["outbox"]             # not built yet: reported, not fatal
        assert "kiosk_uptime_seconds" in fams
        wait_for(lambda: (folder / "kiosk.prom").exists() and refreshed)
        wait_for(lambda: services.transactions.store.device_states().get("printer"))
        states = services.transactions.store.device_states()
        assert {d: s[0] for d, s in states.items()} == {"card_reader": "disconnected",
                                                        "printer": "paper_end"}
    finally:
        quality.stop()
    assert quality.server is None


def test_busy_port_is_a_warning_and_the_rest_runs(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        services = bundle(tmp_path, serve="on", port=port)
        caplog.set_level(logging.WARNING)
        quality = QualityService(services.settings, live_sources(services),
                                 services.transactions)
        quality.start()                                    # must not raise
        try:
            assert quality.server is None
            assert "指标服务未启动 metrics endpoint not started" in caplog.text
            wait_for(lambda: services.transactions.store.device_states())
        finally:
            quality.stop()


def test_demo_settings_serve_nothing(tmp_path: Path) -> None:
    services = bundle(tmp_path)                            # serve = "auto", embedded platform
    quality = QualityService(services.settings, live_sources(services), None)
    quality.start()
    try:
        assert quality.server is None
    finally:
        quality.stop()


def test_cli_metrics_reads_the_running_kiosk(tmp_path: Path, site_config, capsys) -> None:  # noqa: ANN001
    port = free_port()
    services = bundle(tmp_path, serve="on", port=port)
    quality = QualityService(services.settings, live_sources(services), services.transactions)
    quality.start()
    config = site_config(f'[paths]\ndata_dir = "{tmp_path}"\n[metrics]\nserve = "on"\n'
                         f'port = {port}\n')
    try:
        from kiosk.cli import main

        assert main(["--config", str(config), "metrics"]) == 0
        out = capsys.readouterr()
        assert f"from the running kiosk at http://127.0.0.1:{port}/metrics" in out.err
        assert "kiosk_uptime_seconds" in out.out               # the serving process's own
    finally:
        quality.stop()
    assert main(["--config", str(config), "metrics"]) == 0     # stopped: the data folder
    err = capsys.readouterr().err
    assert "kiosk not serving at" in err and "from the data folder" in err
