"""The Prometheus exposition: parsed with ``prometheus_client.parser``, every metric present
with the right type and labels and current values; the endpoint on loopback, a busy port as a
warning; the node_exporter textfile; `kiosk metrics`; no personal data in any metric."""

from __future__ import annotations

import dataclasses
import logging
import re
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.cli import main
from kiosk.services.metrics import (MetricsSources, build_registry, render, serve,
                                    serving_enabled, write_textfile)
from kiosk.services.outbox import Outbox
from kiosk.services.transactions import TransactionLog, TransactionStore
from kiosk.settings import MetricsSettings, OutboxSettings, PlatformSettings, Settings
from tests.quality.conftest import T0, FakeClock, run, seed

#: family name (as the parser reports it: counters without ``_total``) → (type, label names).
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "kiosk_build_info": ("gauge", {"version", "terminal_id"}),
    "kiosk_device_up": ("gauge", {"device"}),
    "kiosk_device_state": ("gauge", {"device", "state"}),
    "kiosk_device_faults": ("counter", {"device"}),
    "kiosk_printer_paper_near_end": ("gauge", set()),
    "kiosk_printer_paper_end": ("gauge", set()),
    "kiosk_platform_reachable": ("gauge", set()),
    "kiosk_platform_last_success_timestamp_seconds": ("gauge", set()),
    "kiosk_outbox_items": ("gauge", {"state"}),
    "kiosk_outbox_oldest_pending_age_seconds": ("gauge", set()),
    "kiosk_catalog_last_sync_age_seconds": ("gauge", set()),
    "kiosk_sessions": ("counter", {"end_reason"}),
    "kiosk_last_session_timestamp_seconds": ("gauge", set()),
    "kiosk_transactions": ("counter", {"kind", "outcome"}),
    "kiosk_transaction_duration_seconds": ("histogram", {"kind", "outcome"}),
    "kiosk_ratings": ("counter", {"level"}),
    "kiosk_ratings_held": ("gauge", set()),
    "kiosk_restarts": ("counter", set()),
    "kiosk_uptime_seconds": ("gauge", set()),
    "kiosk_process_resident_memory_bytes": ("gauge", set()),
    "kiosk_process_start_time_seconds": ("gauge", set()),
    "kiosk_metrics_source_up": ("gauge", {"source"}),
}


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def outbox(tmp_path: Path, clock: FakeClock) -> Any:
    box = Outbox(tmp_path / "outbox.db", tmp_path / "outbox.key", OutboxSettings(), clock,
                 terminal_id="GD-DEMO-0001", check=None)
    yield box
    box.close()


def sources(store: TransactionStore, outbox: Any, clock: FakeClock, **changes: Any
            ) -> MetricsSources:
    mono = FakeMonotonic()
    base = MetricsSources(
        terminal_id="GD-DEMO-0001", records=store,
        device_states=lambda: {"card_reader": "ready", "printer": "near_end",
                               "scanner": "disconnected"},
        outbox=outbox, catalog_synced_at=lambda: "2026-11-30T07:00:00Z",
        process_started=mono.now - 3600.0, clock=clock, monotonic=mono)
    return dataclasses.replace(base, **changes)


def families(text: str) -> dict[str, Any]:
    return {family.name: family for family in text_string_to_metric_families(text)}


def value(fams: dict[str, Any], name: str, sample: str | None = None, **labels: str) -> float:
    family = fams[name]
    matches = [s.value for s in family.samples
               if (sample is None or s.name == sample) and s.labels == labels]
    assert len(matches) == 1, (name, labels, family.samples)
    return matches[0]


def test_every_metric_with_type_labels_and_current_values(
        log: TransactionLog, store: TransactionStore, outbox: Any, clock: FakeClock) -> None:
    log.app_started()
    log.app_started()                                           # one restart
    seed(log, clock)
    log.session_ended("finished")
    log.session_ended("idle")
    log.session_ended("idle")
    log.observe_device("card_reader", "disconnected")
    log.observe_device("card_reader", "ready")
    outbox.enqueue("registration", {"n": 0})
    sent = outbox.claim_next()
    outbox.mark_delivered(sent.item_id, {"registration_no": "REG-440106-000001"})
    delivered_at = clock.now
    outbox.enqueue("registration", {"n": 1})                    # pending since clock.now
    clock.advance(90)
    fams = families(render(build_registry(sources(store, outbox, clock))))

    for name, (kind, labels) in EXPECTED.items():
        assert name in fams, name
        assert fams[name].type == kind, name
        for sample in fams[name].samples:
            assert set(sample.labels) - {"le"} == labels, (name, sample)
    unexpected = {n for n in fams if n not in EXPECTED and not n.startswith("kiosk_process_")}
    assert unexpected == set()

    assert value(fams, "kiosk_device_up", device="card_reader") == 1
    assert value(fams, "kiosk_device_up", device="scanner") == 0
    assert value(fams, "kiosk_device_state", device="printer", state="near_end") == 1
    assert value(fams, "kiosk_device_state", device="printer", state="ok") == 0
    assert value(fams, "kiosk_printer_paper_near_end") == 1
    assert value(fams, "kiosk_printer_paper_end") == 0
    assert value(fams, "kiosk_device_faults", device="card_reader") == 1
    assert value(fams, "kiosk_platform_reachable") == 1
    assert value(fams, "kiosk_platform_last_success_timestamp_seconds") == delivered_at
    assert value(fams, "kiosk_outbox_items", state="delivered") == 1
    assert value(fams, "kiosk_outbox_items", state="pending") == 1
    assert value(fams, "kiosk_outbox_items", state="dead") == 0
    assert value(fams, "kiosk_outbox_oldest_pending_age_seconds") == 90.0
    # synced 07:00Z; now is T0 (08:00Z) + the seeded transactions (1,880 s) and gaps (110 s) + 90 s
    assert value(fams, "kiosk_catalog_last_sync_age_seconds") == 3600.0 + 1990.0 + 90.0
    assert value(fams, "kiosk_sessions", "kiosk_sessions_total", end_reason="idle") == 2
    assert value(fams, "kiosk_last_session_timestamp_seconds") == T0 + 1990.0
    assert value(fams, "kiosk_transactions", "kiosk_transactions_total",
                 kind="registration", outcome="completed") == 4
    assert value(fams, "kiosk_transactions", "kiosk_transactions_total",
                 kind="referral", outcome="failed") == 1
    assert value(fams, "kiosk_ratings", "kiosk_ratings_total", level="5") == 3
    assert value(fams, "kiosk_ratings", "kiosk_ratings_total", level="1") == 1
    assert value(fams, "kiosk_restarts", "kiosk_restarts_total") == 1
    assert value(fams, "kiosk_uptime_seconds") == 3600.0
    hist = "kiosk_transaction_duration_seconds"
    labels = {"kind": "registration", "outcome": "completed"}
    assert value(fams, hist, hist + "_count", **labels) == 4
    assert value(fams, hist, hist + "_sum", **labels) == 1220.0   # 120 + 300 + 200 + 600
    assert value(fams, hist, hist + "_bucket", le="180.0", **labels) == 1
    assert value(fams, hist, hist + "_bucket", le="300.0", **labels) == 3
    assert value(fams, hist, hist + "_bucket", le="+Inf", **labels) == 4
    assert value(fams, hist, hist + "_bucket", le="15.0", **labels) == 0
    assert value(fams, "kiosk_metrics_source_up", source="outbox") == 1


def test_a_failing_source_is_reported_not_fatal(store: TransactionStore, clock: FakeClock) -> None:
    def broken() -> dict[str, str]:
        raise OSError("printer gone")

    text = render(build_registry(sources(store, None, clock, device_states=broken,
                                         catalog_synced_at=lambda: None)))
    fams = families(text)
    assert value(fams, "kiosk_metrics_source_up", source="devices") == 0
    assert value(fams, "kiosk_metrics_source_up", source="records") == 1
    assert value(fams, "kiosk_catalog_last_sync_age_seconds") == float("inf")
    assert "kiosk_outbox_items" not in fams and "kiosk_device_up" not in fams


def test_no_personal_data_in_any_metric(log: TransactionLog, store: TransactionStore,
                                        outbox: Any, clock: FakeClock) -> None:
    person = {"identity": {"id_number": "440106199003071234", "name": "陈小梅"},
              "phone": "13912345678"}
    outbox.enqueue("registration", person)
    txn = log.started("registration")
    clock.advance(30)
    log.finished(txn, "completed", transaction_no="REG-440106-000001")
    log.rate(txn, 2, ["too_slow"])
    text = render(build_registry(sources(store, outbox, clock)))
    assert "陈小梅" not in text and "440106199003071234" not in text
    assert "13912345678" not in text and "REG-440106-000001" not in text
    # no ID or phone number in any name, label or help text (sample values are numbers anyway)
    without_values = "\n".join(line.rsplit(" ", 1)[0] if not line.startswith("#") else line
                               for line in text.splitlines())
    assert not re.search(r"\d{15,18}|1[3-9]\d{9}", without_values)
    labels = [v for f in families(text).values() for smp in f.samples for v in smp.labels.values()]
    assert labels and not [v for v in labels if re.search(r"\d{6}|[\u4e00-\u9fff]", v)]


def test_serve_on_loopback_and_busy_port_is_a_warning(
        store: TransactionStore, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    registry = build_registry(sources(store, None, clock))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = serve(registry, MetricsSettings(port=port))
    assert server is not None
    try:
        assert server.url == f"http://127.0.0.1:{port}/metrics"
        with urllib.request.urlopen(server.url, timeout=5) as response:
            body = response.read().decode("utf-8")
        assert "kiosk_ratings_total" in body
        caplog.set_level(logging.WARNING, "kiosk.services.metrics.exposition")
        assert serve(registry, MetricsSettings(port=port)) is None
        assert f"metrics endpoint not started on 127.0.0.1:{port}" in caplog.text
        assert "port already in use" in caplog.text
    finally:
        server.stop()


def test_serving_mode() -> None:
    demo = Settings()
    assert serving_enabled(demo) is False                      # embedded sandbox = demo
    real = dataclasses.replace(demo, platform=PlatformSettings(base_url="https://p.invalid/v1"))
    assert serving_enabled(real) is True
    off = dataclasses.replace(real, metrics=MetricsSettings(serve="off"))
    assert serving_enabled(off) is False
    on = dataclasses.replace(demo, metrics=MetricsSettings(serve="on"))
    assert serving_enabled(on) is True


def test_bind_must_be_loopback(site_config) -> None:  # noqa: ANN001
    from kiosk.settings import ConfigError, load_settings

    with pytest.raises(ConfigError) as err:
        load_settings(site_config('[metrics]\nbind = "0.0.0.0"\n'))
    assert err.value.option == "metrics.bind"
    assert "loopback" in err.value.reason
    assert load_settings(site_config('[metrics]\nbind = "::1"\n')).metrics.bind == "::1"


def test_textfile_is_written_atomically(store: TransactionStore, clock: FakeClock,
                                        tmp_path: Path) -> None:
    folder = tmp_path / "node-exporter"
    folder.mkdir()
    path = write_textfile(build_registry(sources(store, None, clock)), folder)
    assert path == folder / "kiosk.prom"
    assert "kiosk_build_info" in families(path.read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.iterdir()) == ["kiosk.prom"]


def test_cli_metrics_from_the_data_folder(tmp_path: Path, site_config, capsys,  # noqa: ANN001
                                          clock: FakeClock) -> None:
    store = TransactionStore(tmp_path / "transactions.db")
    log = TransactionLog(store, clock=clock, monotonic=clock)
    log.app_started()
    run(log, clock, "referral", "completed", 45, rating=4)
    log.observe_device("printer", "paper_end")
    store.close()
    config = site_config(f'[paths]\ndata_dir = "{tmp_path}"\n')
    assert main(["--config", str(config), "metrics"]) == 0
    out = capsys.readouterr()
    fams = families(out.out)
    assert value(fams, "kiosk_transactions", "kiosk_transactions_total",
                 kind="referral", outcome="completed") == 1
    assert value(fams, "kiosk_ratings", "kiosk_ratings_total", level="4") == 1
    assert value(fams, "kiosk_printer_paper_end") == 1         # the state the kiosk recorded
    assert "kiosk_uptime_seconds" not in fams                  # not the kiosk process
    assert "from the data folder" in out.err
