"""`kiosk stats` figures on a seeded record set: exact counts, rates, medians, fault minutes;
retention purge; restart recovery; codes that could carry personal data are refused."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kiosk.cli import main
from kiosk.services.transactions import (TransactionError, TransactionLog, TransactionStore,
                                         station_stats)
from kiosk.services.transactions.stats import nearest_rank
from tests.quality.conftest import T0, FakeClock, run, seed


def test_seeded_figures_exact(log: TransactionLog, store: TransactionStore, clock: FakeClock
                              ) -> None:
    seed(log, clock)
    figures = station_stats(store, clock=clock).as_json()
    t = figures["transactions"]
    assert (t["total"], t["open"], t["completed"], t["abandoned"], t["failed"]) == (12, 1, 8, 2, 1)
    assert t["completion_rate"] == 0.7273                      # 8 / 11 finished
    # completed durations 30 45 60 120 200 300 400 600: median (120+200)/2, p90 = 8th of 8
    assert t["duration_s"] == {"median_s": 160.0, "p90_s": 600.0}
    assert t["abandoned_at_step"] == {"2": 1, "3": 1}
    assert t["failed_by_error"] == {"PrinterPaperEnd": 1}
    reg = figures["by_kind"]["registration"]
    assert (reg["total"], reg["completed"], reg["abandoned"], reg["completion_rate"]) == (5, 4, 1, 0.8)
    assert reg["duration_s"] == {"median_s": 250.0, "p90_s": 600.0}
    ref = figures["by_kind"]["referral"]
    assert (ref["completed"], ref["failed"], ref["abandoned"], ref["completion_rate"]) == (3, 1, 1, 0.6)
    assert ref["duration_s"] == {"median_s": 45.0, "p90_s": 60.0}
    ast = figures["by_kind"]["assistance:unemployment_registration"]
    assert (ast["total"], ast["open"], ast["completed"], ast["completion_rate"]) == (2, 1, 1, 1.0)
    assert list(figures["by_kind"]) == ["assistance:unemployment_registration", "referral",
                                        "registration"]
    r = figures["ratings"]
    assert r["count"] == 7
    assert r["by_level"] == {"5": 3, "4": 1, "3": 1, "2": 1, "1": 1}
    assert r["satisfaction_rate"] == 0.7143                    # levels 3–5: 5 of 7
    assert r["bad"] == 2
    assert r["rated_share"] == 0.875                           # 7 of 8 completed
    assert r["reasons"] == {"device_fault": 1, "not_done": 1, "too_slow": 1}
    assert figures["languages"] == {"zh_CN": 10, "en": 2}
    assert figures["elderly_mode"] == 3
    assert figures["format"] == 1 and figures["since"] is None
    assert set(figures) == {"format", "since", "until", "transactions", "by_kind", "ratings",
                            "device_fault_minutes", "languages", "elderly_mode"}


def test_device_fault_minutes(log: TransactionLog, store: TransactionStore, clock: FakeClock
                              ) -> None:
    log.observe_device("card_reader", "ready")
    log.observe_device("printer", "ok")
    clock.advance(60)
    log.observe_device("card_reader", "disconnected")         # fault from T0+60
    clock.advance(300)
    log.observe_device("card_reader", "disconnected")         # same state: still one fault
    clock.advance(300)
    log.observe_device("card_reader", "sam_fault")            # another fault state
    clock.advance(120)
    log.observe_device("card_reader", "ready")                # 60+300+300+120 → 12 min in fault
    log.observe_device("printer", "near_end")                 # near end still prints: no fault
    clock.advance(60)
    log.observe_device("printer", "paper_end")                # open fault from T0+840
    clock.advance(900)
    figures = station_stats(store, clock=clock).as_json()
    assert figures["device_fault_minutes"] == {"card_reader": 12.0, "printer": 15.0,
                                               "scanner": 0.0}
    # since cuts the open interval: from T0+1140 only 10 minutes of paper end remain
    cut = station_stats(store, since=T0 + 1140, clock=clock).as_json()
    assert cut["device_fault_minutes"] == {"card_reader": 0.0, "printer": 10.0, "scanner": 0.0}
    assert store.counters("device_faults") == [({"device": "card_reader"}, 2.0),
                                               ({"device": "printer"}, 1.0)]


def test_since_filters_by_start(log: TransactionLog, store: TransactionStore, clock: FakeClock
                                ) -> None:
    run(log, clock, "referral", "completed", 30)
    clock.advance(86400)
    later = clock.now
    run(log, clock, "referral", "abandoned", 30)
    figures = station_stats(store, since=later, clock=clock).as_json()
    assert figures["transactions"]["total"] == 1
    assert figures["transactions"]["abandoned"] == 1
    assert figures["since"] == "2026-12-01T08:00:40Z"


def test_nearest_rank() -> None:
    assert nearest_rank([float(v) for v in range(1, 11)], 90) == 9.0
    assert nearest_rank([5.0], 90) == 5.0
    assert nearest_rank([], 90) is None
    assert nearest_rank([3.0, 1.0, 2.0], 50) == 2.0


def test_purge_keeps_counters(log: TransactionLog, store: TransactionStore, clock: FakeClock
                              ) -> None:
    run(log, clock, "registration", "completed", 100, rating=5)
    clock.advance(181 * 86400)
    run(log, clock, "registration", "completed", 50)
    assert log.purge(180) == 1
    assert [r.duration_s for r in store.records()] == [50.0]
    assert store.counters("transactions") == [({"kind": "registration", "outcome": "completed"}, 2.0)]
    assert store.counters("ratings") == [({"level": "5"}, 1.0)]


def test_restart_closes_open_transactions(store: TransactionStore, clock: FakeClock) -> None:
    first = TransactionLog(store, clock=clock, monotonic=clock)
    first.app_started()
    txn = first.started("registration")
    first.step(txn, 2, "register_form")
    clock.advance(70)
    again = TransactionLog(store, clock=clock, monotonic=clock)
    assert again.app_started() == 1
    record = store.record(txn)
    assert record is not None
    assert (record.outcome, record.error_class, record.last_step, record.duration_s) == (
        "failed", "KioskRestarted", 2, 70.0)
    assert store.counters("starts") == [({}, 2.0)]


def test_duration_histogram_counters(log: TransactionLog, store: TransactionStore,
                                     clock: FakeClock) -> None:
    run(log, clock, "referral", "completed", 45)
    buckets = {labels["le"]: value for labels, value in store.counters("duration_bucket")}
    assert buckets == {"60.0": 1, "120.0": 1, "180.0": 1, "300.0": 1, "600.0": 1, "900.0": 1,
                       "1800.0": 1, "+Inf": 1}
    assert store.counters("duration_sum") == [({"kind": "referral", "outcome": "completed"}, 45.0)]


@pytest.mark.parametrize("bad", ["440106199003071234", "ID440106199003071234", "张三",
                                 "13912345678", "Platform error: 13912345678", "", "a b"])
def test_codes_that_could_hold_personal_data_are_refused(log: TransactionLog, bad: str) -> None:
    with pytest.raises(ValueError):
        log.started(bad)
    txn = log.started("registration")
    with pytest.raises(ValueError):
        log.step(txn, 1, bad) if bad else log.finished(txn, "failed", error_class=bad)
    with pytest.raises(ValueError):
        log.finished(txn, "failed", error_class=bad)


def test_wrong_calls_are_typed_errors(log: TransactionLog, clock: FakeClock) -> None:
    txn = run(log, clock, "referral", "abandoned", 10)
    with pytest.raises(TransactionError, match="only a completed"):
        log.rate(txn, 5)
    with pytest.raises(TransactionError, match="already finished"):
        log.finished(txn, "completed")
    with pytest.raises(TransactionError, match="unknown"):
        log.step(999, 1)
    done = run(log, clock, "referral", "completed", 10, rating=4)
    with pytest.raises(TransactionError, match="already rated"):
        log.rate(done, 5)
    other = run(log, clock, "referral", "completed", 10)
    with pytest.raises(ValueError, match="levels 1–2"):
        log.rate(other, 4, ["too_slow"])
    with pytest.raises(ValueError, match="unknown reason"):
        log.rate(other, 1, ["rude_staff"])
    with pytest.raises(ValueError, match="1–5"):
        log.rate(other, 6)


def test_no_personal_data_in_records_file(log: TransactionLog, store: TransactionStore,
                                          clock: FakeClock, tmp_path) -> None:  # noqa: ANN001
    seed(log, clock)
    log.session_ended("finished")
    log.observe_device("card_reader", "disconnected")
    dump = "\n".join(sqlite3.connect(tmp_path / "transactions.db").iterdump())
    import re

    assert not re.search(r"\d{15,18}|1[3-9]\d{9}", dump)      # ID / phone numbers
    assert not re.search(r"[\u4e00-\u9fff]", dump)               # no Chinese text at all


def test_cli_stats_json(tmp_path, site_config, capsys, clock: FakeClock) -> None:  # noqa: ANN001
    config = site_config(f'[paths]\ndata_dir = "{tmp_path}"\n')
    store = TransactionStore(tmp_path / "transactions.db")
    seed(TransactionLog(store, clock=clock, monotonic=clock), clock)
    store.close()
    assert main(["--config", str(config), "stats", "--json", "--since", "2026-11-30"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["transactions"]["total"] == 12
    assert figures["since"] == "2026-11-29T16:00:00Z"          # 00:00 China Standard Time
    assert main(["--config", str(config), "stats", "--since", "2026-12-01"]) == 0
    text = capsys.readouterr().out
    assert "业务 transactions 0" in text
    assert main(["--config", str(config), "stats"]) == 0
    text = capsys.readouterr().out
    assert "完成率 completion rate 72.7%" in text and "满意率 satisfaction 71.4%" in text
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), "stats", "--since", "30/11/2026"])
    assert exit_.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
