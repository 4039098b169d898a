"""``kiosk migrate`` / :mod:`kiosk.services.data_migration`: backup, then schema migration."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.services.data_migration import MigrationError, migrate_databases
from kiosk.services.outbox import open_outbox
from kiosk.services.outbox.schema import SCHEMA_VERSION as OUTBOX_SCHEMA
from kiosk.services.catalog.schema import SCHEMA_VERSION as CATALOG_SCHEMA
from kiosk.services.catalog import VacancyCatalog
from kiosk.services.transactions import TransactionStore
from kiosk.services.transactions.store import SCHEMA_VERSION as RECORDS_SCHEMA
from kiosk.settings import load_settings


@pytest.fixture
def site(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    path = tmp_path / "site.toml"
    path.write_text(f'[paths]\ndata_dir = "{data}"\n', encoding="utf-8")
    return path


def _settings(site: Path):
    return load_settings(site)


def test_a_fresh_terminal_has_nothing_to_migrate(site):
    assert migrate_databases(_settings(site), "0.1.0-1") == []
    assert not (Path(_settings(site).paths.data_dir) / "backup").exists()


def test_backup_then_migrate_outbox_and_catalog(site):
    settings = _settings(site)
    data = Path(settings.paths.data_dir)
    open_outbox(settings).close()
    VacancyCatalog(data / "catalog.sqlite3").close()
    TransactionStore(data / "transactions.db").close()
    conn = sqlite3.connect(data / "outbox.db")  # an outbox from before schema 1 was stamped
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    results = migrate_databases(settings, "0.1.0-1")
    assert [(r.name, r.from_version, r.to_version) for r in results] == [
        ("outbox", 0, OUTBOX_SCHEMA), ("catalog", CATALOG_SCHEMA, CATALOG_SCHEMA),
        ("transactions", RECORDS_SCHEMA, RECORDS_SCHEMA)]
    backup = data / "backup" / "0.1.0-1"
    assert results[0].backup == str(backup / "outbox.db")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    assert stat.S_IMODE((backup / "outbox.db").stat().st_mode) == 0o600
    copy = sqlite3.connect(backup / "outbox.db")
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 0  # as it was before
    copy.close()
    os.utime(backup, (1000, 1000))
    for n, label in enumerate(("0.1.0-2", "0.1.0-3", "0.1.0-4"), 1):
        migrate_databases(settings, label)
        os.utime(data / "backup" / label, (1000 + n, 1000 + n))
    # KEEP_BACKUPS (3) newest are kept: the oldest, 0.1.0-1, is gone.
    assert sorted(p.name for p in (data / "backup").iterdir()) == ["0.1.0-2", "0.1.0-3", "0.1.0-4"]


def test_a_newer_schema_stops_before_any_backup(site):
    """A downgrade: the old version must not replace the backup the rollback needs."""
    settings = _settings(site)
    data = Path(settings.paths.data_dir)
    open_outbox(settings).close()
    VacancyCatalog(data / "catalog.sqlite3").close()
    migrate_databases(settings, "0.1.0-1")  # the upgrade from 0.1.0-1 made this backup
    conn = sqlite3.connect(data / "catalog.sqlite3")  # ... and a newer version wrote schema +1
    conn.execute(f"PRAGMA user_version = {CATALOG_SCHEMA + 1}")
    conn.close()
    with pytest.raises(MigrationError) as caught:
        migrate_databases(settings, "0.1.0-2")
    assert caught.value.database == "catalog" and "newer" in caught.value.reason
    assert sorted(p.name for p in (data / "backup").iterdir()) == ["0.1.0-1"]


def test_labels_are_plain_names(site):
    with pytest.raises(ValueError):
        migrate_databases(_settings(site), "../etc")


def test_cli_json_and_exit_status(site, capsys):
    open_outbox(_settings(site)).close()
    assert main(["--config", str(site), "migrate", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["error"] == ""
    assert [(d["name"], d["from_version"], d["to_version"], d["backup"]) for d in out["databases"]] == [
        ("outbox", OUTBOX_SCHEMA, OUTBOX_SCHEMA, "")]
    assert main(["--config", str(site), "migrate", "--backup", "a/b"]) == 2
    assert "--backup" in capsys.readouterr().err
