"""`kiosk vacancies import` and `kiosk vacancies search --json` end to end (in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main

CSV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "vacancies_clean.csv"


@pytest.fixture
def site(tmp_path, monkeypatch):
    cfg = tmp_path / "site.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(cfg))
    return tmp_path


def test_import_demo_and_search_json(site, capsys):
    db = str(site / "c.sqlite3")
    assert main(["vacancies", "import", "--demo", "--db", db]) == 0
    assert "imported 304 vacancies" in capsys.readouterr().out
    assert main(["vacancies", "search", "bj", "--city", "广州", "--district", "天河区",
                 "--salary-min", "3000", "--limit", "5", "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and len(rows) <= 5
    for row in rows:
        assert {"id", "title", "employer", "city", "district", "salary_min",
                "salary_max"} <= set(row)
        assert row["city"] == "广州市" and row["district"] == "天河区"
        per_month = {"MONTH": 1, "DAY": 21.75, "HOUR": 174}[row["salary_unit"]]
        assert "保洁" in row["title"] and row["salary_max"] * per_month >= 3000
        assert row["kind"] == "job" and "work_date" not in row


def test_import_csv_and_search(site, capsys):
    if not CSV.exists():
        pytest.skip(f"reference data {CSV} absent")
    db = str(site / "c.sqlite3")
    assert main(["vacancies", "import", "--csv", str(CSV), "--db", db]) == 0
    capsys.readouterr()
    assert main(["vacancies", "search", "软件测试", "--city", "4403", "--limit", "3",
                 "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and all("软件测试" in r["title"] and r["city"] == "深圳市" for r in rows)


def test_bad_input_gives_exit_codes(site, capsys):
    db = str(site / "c.sqlite3")
    assert main(["vacancies", "search", "x", "--city", "北京", "--db", db]) == 2
    assert main(["vacancies", "import", "--csv", str(site / "missing.csv"), "--db", db]) == 1
    assert "file not found" in capsys.readouterr().err
