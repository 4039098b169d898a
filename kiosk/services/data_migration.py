"""Bring the terminal's databases to this version's schemas, with a backup copy first.

Run by the Debian package's ``postinst`` on an upgrade (``kiosk migrate --backup <old version>``)
while the kiosk is stopped, so a schema change happens once, before the new version starts,
and a failure stops the upgrade with a message instead of a kiosk that will not start.

Databases, in ``<data_dir>`` (each only when its file exists; a fresh terminal has none):

``outbox``   ``outbox.db`` (:mod:`kiosk.services.outbox.schema`, ``PRAGMA user_version``);
             opened with ``recover=False`` (items in flight are not touched);
``catalog``  ``catalog.sqlite3`` (:mod:`kiosk.services.catalog.schema`);
``transactions`` ``transactions.db`` (:mod:`kiosk.services.transactions.store`).

Before anything is written, every database's schema version is compared with the one this
version supports: a database from a newer version (a downgrade) stops the run with
:class:`MigrationError` and leaves the files and the existing backups untouched, so the backup
a rollback needs is never replaced by a copy of the newer files.

The backup is a consistent copy made with SQLite's online backup API
(https://www.sqlite.org/backup.html) into ``<data_dir>/backup/<label>/`` (folder 0700, files
0600). The :data:`KEEP_BACKUPS` newest backups are kept and older ones deleted, since they hold
the same encrypted personal data as the outbox (PIPL minimisation). A rollback to the version
named by ``label`` restores these files.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.paths import data_dir
from kiosk.settings import Settings

BACKUP_DIR = "backup"
#: Backups kept (newest first by modification time); the purge of the package deletes all.
KEEP_BACKUPS = 3
#: A backup label: a Debian version ("0.1.0-1", "1:0.2.0~rc1-3") or similar; no path separators.
LABEL = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+~:_-]{0,63}")


class MigrationError(Exception):
    """A database could not be backed up or migrated.

    Attributes:
        database: ``"outbox"``, ``"catalog"`` or ``"transactions"`` ("" for the backup folder).
        reason: what went wrong, e.g. ``"schema version 3 is newer than 1"``.
    """

    def __init__(self, database: str, reason: str) -> None:
        self.database = database
        self.reason = reason
        super().__init__(f"{database or 'backup'}: {reason}")


@dataclass(frozen=True)
class MigrationResult:
    """One database: ``name``, ``path``, schema version before and after (``user_version``),
    ``backup`` (the copy's path, "" without ``--backup``)."""

    name: str
    path: str
    from_version: int
    to_version: int
    backup: str


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _backup(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target.touch(mode=0o600)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _outbox_schema() -> int:
    from kiosk.services.outbox.schema import SCHEMA_VERSION

    return SCHEMA_VERSION


def _catalog_schema() -> int:
    from kiosk.services.catalog.schema import SCHEMA_VERSION

    return SCHEMA_VERSION


def _transactions_schema() -> int:
    from kiosk.services.transactions.store import SCHEMA_VERSION

    return SCHEMA_VERSION


def _migrate_outbox(settings: Settings, path: Path) -> None:
    from kiosk.services.outbox import OutboxError, open_outbox

    try:
        open_outbox(settings, recover=False).close()
    except OutboxError as exc:
        raise MigrationError("outbox", str(exc)) from exc


def _migrate_catalog(settings: Settings, path: Path) -> None:
    from kiosk.services.catalog import CatalogError, VacancyCatalog, station_origin

    try:     # the station's origin: the re-index orders rows by distance from it, once
        VacancyCatalog(path, origin=station_origin(settings.station)).close()
    except CatalogError as exc:
        raise MigrationError("catalog", str(exc)) from exc


def _migrate_transactions(settings: Settings, path: Path) -> None:
    from kiosk.services.transactions import RecordsError, TransactionStore

    try:
        TransactionStore(path).close()
    except RecordsError as exc:
        raise MigrationError("transactions", str(exc)) from exc


#: ``(name, file in the data folder, migrate step, schema version this code supports)``.
DATABASES = (("outbox", "outbox.db", _migrate_outbox, _outbox_schema),
             ("catalog", "catalog.sqlite3", _migrate_catalog, _catalog_schema),
             ("transactions", "transactions.db", _migrate_transactions, _transactions_schema))


def migrate_databases(settings: Settings, backup_label: str = "") -> list[MigrationResult]:
    """Back up (when ``backup_label`` is given) and migrate every database that exists.

    Returns one :class:`MigrationResult` per database found, in :data:`DATABASES` order.

    Raises:
        ValueError: ``backup_label`` is not a plain label (see :data:`LABEL`).
        MigrationError: a backup or a migration failed (databases before it are migrated, the
            failing one is unchanged: each migration is one SQLite transaction).
    """
    if backup_label and not LABEL.fullmatch(backup_label):
        raise ValueError(f"backup label {backup_label!r}: letters, digits and . + ~ : _ - only")
    folder = data_dir(settings)
    present = [(name, folder / file, step, supported())
               for name, file, step, supported in DATABASES if (folder / file).exists()]
    before = {}
    for name, path, _step, supported in present:
        try:
            before[name] = _user_version(path)
        except sqlite3.DatabaseError as exc:
            raise MigrationError(name, f"{path}: {exc}") from exc
        if before[name] > supported:
            raise MigrationError(name, f"{path}: schema version {before[name]} is newer than {supported} "
                                       "(a newer version wrote it: restore its backup or reinstall that version)")
    backups: dict[str, Path] = {}
    if backup_label and present:
        backups = _make_backup(folder, backup_label, [(name, path) for name, path, _, _ in present])
    results = []
    for name, path, step, _supported in present:
        step(settings, path)
        results.append(MigrationResult(name, str(path), before[name], _user_version(path),
                                       str(backups.get(name, ""))))
    return results


def _make_backup(folder: Path, label: str, databases: list[tuple[str, Path]]) -> dict[str, Path]:
    root = folder / BACKUP_DIR
    target = root / label
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        target.mkdir(mode=0o700, exist_ok=True)
        os.utime(target)  # the newest, also when the label was used before
        older = sorted((d for d in root.iterdir() if d.is_dir() and d != target),
                       key=lambda d: d.stat().st_mtime, reverse=True)
        for old in older[KEEP_BACKUPS - 1:]:
            shutil.rmtree(old)
    except OSError as exc:
        raise MigrationError("", f"{target}: {exc.strerror or exc}") from exc
    copies = {}
    for name, path in databases:
        copy = target / path.name
        try:
            _backup(path, copy)
        except (OSError, sqlite3.Error) as exc:
            raise MigrationError(name, f"backup to {copy} failed: {exc}") from exc
        copies[name] = copy
    return copies


__all__ = ["migrate_databases", "MigrationResult", "MigrationError", "DATABASES", "BACKUP_DIR",
           "KEEP_BACKUPS"]
