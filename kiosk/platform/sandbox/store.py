"""SQLite storage of the sandbox platform: terminals, catalog, content, idempotency, heartbeats.

One connection (``check_same_thread=False``, WAL) guarded by one re-entrant lock: FastAPI runs
the handlers in a thread pool. The jobseeker-facing records (registrations, referrals,
assistance tickets) live in :mod:`kiosk.platform.sandbox.casework` on the same connection.
Personal data: the sandbox keeps ID numbers only as salted SHA-256 hashes and names/phones only
masked, which is all the verification page and the "已登记" lookup need.

Time stamps are ISO 8601 UTC with microseconds (``2026-11-30T08:00:00.000001Z``) from
:meth:`Store.stamp`, strictly increasing across calls, so a delta sync's ``server_time`` is a
watermark no later write can fall behind.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import sqlite3
import threading
from datetime import datetime, timedelta, UTC
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from kiosk.domain.vacancy import EDUCATION_RANK, Vacancy
from kiosk.platform.wire_formats import iso, parse_iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS terminals (
    terminal_id TEXT PRIMARY KEY, secret BLOB NOT NULL, station TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vacancies (
    id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, division_code TEXT, occupation_code TEXT,
    education_rank INTEGER, employment_type TEXT, public_welfare INTEGER, internship INTEGER,
    search TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS vacancies_sync ON vacancies (updated_at, id);
CREATE TABLE IF NOT EXISTS tombstones (id TEXT PRIMARY KEY, deleted_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS content (kind TEXT, id TEXT, doc TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS idempotency (
    terminal_id TEXT, key TEXT, request_digest TEXT NOT NULL, status INTEGER NOT NULL,
    body TEXT NOT NULL, seen INTEGER NOT NULL, PRIMARY KEY (terminal_id, key));
CREATE TABLE IF NOT EXISTS heartbeats (terminal_id TEXT PRIMARY KEY, received_at TEXT, doc TEXT);
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, terminal_id TEXT, kind TEXT, doc TEXT);
"""


def encode_cursor(updated_at: str, vacancy_id: str) -> str:
    raw = json.dumps([updated_at, vacancy_id], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    """Raises ValueError for a cursor this server did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        updated_at, vacancy_id = json.loads(raw)
        return str(updated_at), str(vacancy_id)
    except Exception as exc:  # noqa: BLE001 - any decoding failure means "not our cursor"
        raise ValueError("invalid cursor") from exc


@dataclasses.dataclass(frozen=True)
class VacancyQuery:
    """Filters of ``GET /v1/vacancies`` (all optional; codes match by prefix)."""
    division_code: str = ""
    occupation_code: str = ""
    education_code: str = ""          # the jobseeker's level: vacancies asking no more than it
    employment_type: str = ""
    public_welfare: bool | None = None
    internship: bool | None = None
    q: str = ""

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(dataclasses.asdict(self), sort_keys=True,
                                         ensure_ascii=False).encode()).hexdigest()[:10]


class Store:
    """The sandbox's database. ``path`` may be ``":memory:"``."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.lock = threading.RLock()
        with self.lock:
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        self._last = datetime.now(UTC)
        self._secrets: dict[str, bytes] = {}

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # --- clock and meta ------------------------------------------------------------------------
    def stamp(self) -> str:
        """A strictly increasing UTC time stamp (see the module docstring)."""
        with self.lock:
            now = datetime.now(UTC)
            self._last = max(now, self._last + timedelta(microseconds=1))
            return iso(self._last)

    def meta(self, key: str, default: str = "") -> str:
        with self.lock:
            row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- terminals -----------------------------------------------------------------------------
    def provision_terminal(self, terminal_id: str, secret: bytes, station: dict[str, Any]) -> None:
        """Register (or re-key) a terminal with its HMAC secret and station fields."""
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO terminals VALUES (?, ?, ?)",
                            (terminal_id, secret, json.dumps(station, ensure_ascii=False)))
            self._secrets[terminal_id] = secret

    def secret_for(self, terminal_id: str) -> bytes | None:
        if terminal_id in self._secrets:
            return self._secrets[terminal_id]
        with self.lock:
            row = self.db.execute("SELECT secret FROM terminals WHERE terminal_id=?",
                                  (terminal_id,)).fetchone()
        if row:
            self._secrets[terminal_id] = bytes(row[0])
        return self._secrets.get(terminal_id)

    def station(self, terminal_id: str) -> dict[str, Any]:
        with self.lock:
            row = self.db.execute("SELECT station FROM terminals WHERE terminal_id=?",
                                  (terminal_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    # --- catalog -------------------------------------------------------------------------------
    def catalog_version(self) -> int:
        return int(self.meta("catalog_version", "0"))

    def upsert_vacancies(self, vacancies: Iterable[Vacancy]) -> int:
        """Insert or replace vacancies; each gets a fresh ``updated_at``. Returns the count."""
        n = 0
        with self.lock:
            self.db.execute("BEGIN")
            for v in vacancies:
                v = dataclasses.replace(v, updated_at=self.stamp())
                doc = dataclasses.asdict(v)
                doc["tags"] = list(v.tags)
                self.db.execute(
                    "INSERT OR REPLACE INTO vacancies VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (v.id, v.updated_at, v.division_code, v.occupation_code,
                     EDUCATION_RANK.get(v.education_code, 0), v.employment_type,
                     int(v.public_welfare), int(v.internship),
                     f"{v.title}\n{v.employer}\n{v.occupation_name}".lower(),
                     json.dumps(doc, ensure_ascii=False)))
                self.db.execute("DELETE FROM tombstones WHERE id=?", (v.id,))
                n += 1
            self.db.execute("COMMIT")
            self.set_meta("catalog_version", str(self.catalog_version() + 1))
        return n

    def delete_vacancy(self, vacancy_id: str) -> bool:
        """Remove a vacancy and leave a tombstone for delta sync. False if it did not exist."""
        with self.lock:
            cur = self.db.execute("DELETE FROM vacancies WHERE id=?", (vacancy_id,))
            if cur.rowcount == 0:
                return False
            self.db.execute("INSERT OR REPLACE INTO tombstones VALUES (?, ?)",
                            (vacancy_id, self.stamp()))
            self.set_meta("catalog_version", str(self.catalog_version() + 1))
            return True

    def vacancy(self, vacancy_id: str) -> Vacancy | None:
        with self.lock:
            row = self.db.execute("SELECT doc FROM vacancies WHERE id=?", (vacancy_id,)).fetchone()
        return _vacancy(row[0]) if row else None

    def vacancy_count(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT count(*) FROM vacancies").fetchone()[0])

    def etag(self, query: VacancyQuery) -> str:
        """Strong ETag naming the catalog version and the filters (not the sync position)."""
        return f'"c{self.catalog_version()}-{query.digest()}"'

    def vacancy_page(self, query: VacancyQuery, updated_since: str | None, cursor: str | None,
                     limit: int) -> tuple[list[Vacancy], list[str], str | None, str]:
        """One page ordered by (updated_at, id): (items, deleted_ids, next_cursor, server_time).

        ``updated_since`` is exclusive. Tombstones are returned on the first page only.
        Raises ValueError for a cursor this store did not make.
        """
        where: list[str] = ["1=1"]
        args: list[object] = []
        if updated_since:
            where.append("updated_at > ?")
            args.append(iso(parse_iso(updated_since)))
        if cursor:
            cu, ci = decode_cursor(cursor)
            where.append("(updated_at, id) > (?, ?)")
            args += [cu, ci]
        if query.division_code:
            where.append("division_code LIKE ?")
            args.append(query.division_code + "%")
        if query.occupation_code:
            where.append("occupation_code LIKE ?")
            args.append(query.occupation_code + "%")
        if query.education_code:
            where.append("education_rank <= ?")
            args.append(EDUCATION_RANK.get(query.education_code, len(EDUCATION_RANK)))
        if query.employment_type:
            where.append("employment_type = ?")
            args.append(query.employment_type)
        for name in ("public_welfare", "internship"):
            flag = getattr(query, name)
            if flag is not None:
                where.append(f"{name} = ?")
                args.append(int(flag))
        if query.q:
            where.append("instr(search, ?) > 0")
            args.append(query.q.lower())
        sql = (f"SELECT doc, updated_at, id FROM vacancies WHERE {' AND '.join(where)} "
               "ORDER BY updated_at, id LIMIT ?")
        with self.lock:
            rows = self.db.execute(sql, (*args, limit + 1)).fetchall()
            deleted: list[str] = []
            if not cursor:
                deleted = [r[0] for r in self.db.execute(
                    "SELECT id FROM tombstones WHERE deleted_at > ? ORDER BY deleted_at",
                    (iso(parse_iso(updated_since)) if updated_since else "",))]
            server_time = self.stamp()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1][1], rows[-1][2]) if more else None
        return [_vacancy(r[0]) for r in rows], deleted, next_cursor, server_time

    # --- content -------------------------------------------------------------------------------
    def set_content(self, kind: str, items: Iterable[dict[str, Any]]) -> None:
        """Replace all ``policies`` or ``courses`` (dicts with an ``id``)."""
        with self.lock:
            self.db.execute("DELETE FROM content WHERE kind=?", (kind,))
            self.db.executemany("INSERT INTO content VALUES (?, ?, ?)",
                                [(kind, str(i["id"]), json.dumps(i, ensure_ascii=False))
                                 for i in items])

    def content(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(r[0]) for r in self.db.execute(
                "SELECT doc FROM content WHERE kind=? ORDER BY id", (kind,))]

    # --- idempotency ---------------------------------------------------------------------------
    def idempotent_reply(self, terminal_id: str, key: str, digest: str
                         ) -> tuple[int, dict[str, Any]] | None:
        """The stored reply for a repeated key (counting the repeat), else None.

        Raises ValueError("conflict") when the key was used with a different body.
        """
        with self.lock:
            row = self.db.execute(
                "SELECT request_digest, status, body FROM idempotency WHERE terminal_id=? AND key=?",
                (terminal_id, key)).fetchone()
            if row is None:
                return None
            if row[0] != digest:
                raise ValueError("conflict")
            self.db.execute("UPDATE idempotency SET seen = seen + 1 WHERE terminal_id=? AND key=?",
                            (terminal_id, key))
            return int(row[1]), json.loads(row[2])

    def remember_reply(self, terminal_id: str, key: str, digest: str, status: int,
                       body: dict[str, Any]) -> None:
        with self.lock:
            self.db.execute("INSERT INTO idempotency VALUES (?, ?, ?, ?, ?, 1)",
                            (terminal_id, key, digest, status, json.dumps(body, ensure_ascii=False)))

    def idempotency_counts(self) -> dict[str, int]:
        """Idempotency-Key -> requests received with it (1 = applied once, never repeated;
        n > 1 = applied once and replayed n - 1 times)."""
        with self.lock:
            return {k: int(n) for k, n in self.db.execute(
                "SELECT key, sum(seen) FROM idempotency GROUP BY key")}

    # --- heartbeats and remote configuration -------------------------------------------------
    def queue_settings(self, terminal_id: str, settings: dict[str, Any]) -> None:
        """Settings ("section.key" -> value) delivered with the terminal's next heartbeat reply."""
        with self.lock:
            self.db.execute("INSERT INTO pending (terminal_id, kind, doc) VALUES (?, 'settings', ?)",
                            (terminal_id, json.dumps(settings, ensure_ascii=False)))

    def queue_notice(self, terminal_id: str, text: str) -> None:
        """A notice shown by the terminal after its next heartbeat."""
        with self.lock:
            self.db.execute("INSERT INTO pending (terminal_id, kind, doc) VALUES (?, 'notice', ?)",
                            (terminal_id, json.dumps(text, ensure_ascii=False)))

    def record_heartbeat(self, terminal_id: str, doc: dict[str, Any]
                         ) -> tuple[dict[str, Any], list[str]]:
        """Store the heartbeat; return and clear the pending (settings, notices)."""
        settings: dict[str, Any] = {}
        notices: list[str] = []
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO heartbeats VALUES (?, ?, ?)",
                            (terminal_id, self.stamp(), json.dumps(doc, ensure_ascii=False)))
            rows = self.db.execute("SELECT seq, kind, doc FROM pending WHERE terminal_id=? "
                                   "ORDER BY seq", (terminal_id,)).fetchall()
            for _seq, kind, raw in rows:
                if kind == "settings":
                    settings.update(json.loads(raw))
                else:
                    notices.append(json.loads(raw))
            if rows:
                self.db.execute("DELETE FROM pending WHERE seq <= ? AND terminal_id=?",
                                (rows[-1][0], terminal_id))
        return settings, notices

    def heartbeats(self) -> dict[str, dict[str, Any]]:
        """terminal id -> {"received_at": ..., **last heartbeat body}."""
        with self.lock:
            return {t: {"received_at": at, **json.loads(doc)} for t, at, doc in
                    self.db.execute("SELECT terminal_id, received_at, doc FROM heartbeats")}


def _vacancy(doc: str) -> Vacancy:
    data = json.loads(doc)
    data["tags"] = tuple(data.get("tags") or ())
    return Vacancy(**data)
