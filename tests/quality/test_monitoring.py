"""deploy/monitoring: the alert rules pass `promtool check rules` and their unit tests
(`promtool test rules`), the Grafana dashboard's queries are valid PromQL, and every kiosk
metric the rules and the dashboard name exists in the kiosk's exposition (a renamed metric
cannot silently break an alert)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from kiosk.services.metrics import build_registry, render
from kiosk.services.outbox import Outbox
from kiosk.services.transactions import TransactionLog, TransactionStore
from kiosk.settings import OutboxSettings
from tests.quality.conftest import FakeClock, seed
from tests.quality.test_metrics_exposition import sources

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"
RULES = MONITORING / "kiosk-alerts.yml"
DASHBOARD = MONITORING / "grafana-kiosk-fleet.json"
REQUIRED_ALERTS = {"KioskCardReaderDown", "KioskPrinterPaperEnd", "KioskOutboxPendingTooLong",
                   "KioskPlatformUnreachable", "KioskNoSessionIn24Hours"}
needs_promtool = pytest.mark.skipif(shutil.which("promtool") is None,
                                    reason="promtool (Debian package prometheus) not installed")


@pytest.fixture(scope="module")
def exposed_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every sample and family name of a full exposition (all sources present)."""
    folder = tmp_path_factory.mktemp("exposition")
    clock = FakeClock()
    store = TransactionStore(folder / "transactions.db")
    log = TransactionLog(store, clock=clock, monotonic=clock)
    log.app_started()
    seed(log, clock)
    log.session_ended("finished")
    outbox = Outbox(folder / "o.db", folder / "o.key", OutboxSettings(), clock, check=None)
    outbox.enqueue("registration", {"n": 1})
    outbox.mark_delivered(outbox.claim_next().item_id, {})
    try:
        text = render(build_registry(sources(store, outbox, clock)))
    finally:
        outbox.close()
        store.close()
    names: set[str] = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
    return names


def rules() -> list[dict[str, Any]]:
    doc = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in doc["groups"] for rule in group["rules"]]


def dashboard_exprs() -> list[str]:
    doc = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [target["expr"] for panel in doc["panels"] for target in panel["targets"]]


def kiosk_names(expr: str) -> set[str]:
    return set(re.findall(r"\bkiosk_[a-z0-9_]+", expr))


def test_rules_file_shape() -> None:
    alerts = {rule["alert"]: rule for rule in rules() if "alert" in rule}
    assert REQUIRED_ALERTS <= set(alerts)
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in ("critical", "warning"), name
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], name
        assert re.search(r"[\u4e00-\u9fff]", rule["annotations"]["summary"]), name  # Chinese first
    assert alerts["KioskCardReaderDown"]["for"] == "10m"
    assert alerts["KioskPlatformUnreachable"]["for"] == "15m"
    assert "> 3600" in alerts["KioskOutboxPendingTooLong"]["expr"]
    assert "> 86400" in alerts["KioskNoSessionIn24Hours"]["expr"]
    assert "kiosk:station_open" in alerts["KioskNoSessionIn24Hours"]["expr"]


def test_every_kiosk_metric_named_exists(exposed_names: set[str]) -> None:
    exprs = [rule["expr"] for rule in rules()] + dashboard_exprs()
    named = set().union(*(kiosk_names(expr) for expr in exprs))
    assert named - exposed_names == set()
    assert {"kiosk_device_up", "kiosk_printer_paper_end", "kiosk_outbox_oldest_pending_age_seconds",
            "kiosk_platform_reachable", "kiosk_last_session_timestamp_seconds",
            "kiosk_transaction_duration_seconds_bucket", "kiosk_ratings_total"} <= named
    recorded = {rule["record"] for rule in rules() if "record" in rule}
    used = set().union(*(set(re.findall(r"\bkiosk:[a-z_:]+", e)) for e in exprs))
    assert used <= recorded


def test_dashboard_shape() -> None:
    doc = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    ids = [panel["id"] for panel in doc["panels"]]
    assert len(ids) == len(set(ids)) == 18
    assert doc["uid"] == "gd-kiosk-fleet"
    assert [v["name"] for v in doc["templating"]["list"]] == ["datasource", "instance"]
    for panel in doc["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}"
        for target in panel["targets"]:
            assert 'instance=~"$instance"' in target["expr"], panel["title"]


@needs_promtool
def test_promtool_check_and_unit_tests() -> None:
    check = subprocess.run(["promtool", "check", "rules", str(RULES)], capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS: 8 rules found" in check.stdout
    test = subprocess.run(["promtool", "test", "rules", "kiosk-alerts.test.yml"],
                          cwd=MONITORING, capture_output=True, text=True, timeout=60)
    assert test.returncode == 0, test.stdout + test.stderr
    assert "SUCCESS" in test.stdout


@needs_promtool
def test_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    exprs = [expr.replace("$instance", ".*") for expr in dashboard_exprs()]
    doc = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{n}", "expr": expr} for n, expr in enumerate(exprs)]}]}
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    check = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


@needs_promtool
def test_exposition_passes_promtool_lint(tmp_path: Path) -> None:
    clock = FakeClock()
    store = TransactionStore(tmp_path / "transactions.db")
    log = TransactionLog(store, clock=clock, monotonic=clock)
    seed(log, clock)
    text = render(build_registry(sources(store, None, clock)))
    store.close()
    lint = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                          text=True, timeout=60)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert lint.stdout.strip() == "" and lint.stderr.strip() == ""
