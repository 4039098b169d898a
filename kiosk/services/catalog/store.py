"""The offline vacancy catalog: a SQLite database with full-text, pinyin and filter search.

One :class:`VacancyCatalog` per database file; it is not shared between threads (open one per
thread — SQLite in WAL mode lets a sync thread write while the UI thread reads).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, UTC
from pathlib import Path

from kiosk.domain.vacancy import Vacancy
from kiosk.services.heap_release import release_freed_memory
from kiosk.services.catalog import schema, text_index
from kiosk.services.catalog.csv_import import read_csv
from kiosk.services.catalog.errors import CatalogDatabaseError
from kiosk.services.catalog.query import SearchFilters
from kiosk.domain.matching import distance_km
from kiosk.services.catalog.postings import SearchIndex, build_in_child
from kiosk.services.catalog.ranked import Stream, rare_tokens, read_stream
from kiosk.services.catalog.search import SearchHit, SearchResult
from kiosk.services.catalog.search import read_page
from kiosk.services.catalog.search import run as run_search
from kiosk.services.catalog.sync import SyncReport, VacancyFeed, sync_from

log = logging.getLogger(__name__)
_BATCH = 500
__all__ = ["VacancyCatalog", "SearchHit", "SearchResult", "station_origin"]
# Per connection: page cache (KiB, negative = size) and memory-mapped reads of the file. Searches
# are answered by the in-memory posting index (postings.py) and read only a page of rows, so a
# small cache serves; a memory map counted every page of the file a sync had touched in the
# terminal's resident memory (issue 23: idle RSS ≤ 220 MB).
_CACHE_KIB = 2048
_MMAP_BYTES = 0


MAX_QUERY_TERMS = 20


def station_origin(station: object) -> tuple[float, float] | None:
    """(latitude, longitude) of a station-like object (``settings.station``), or None when
    neither is configured (both 0): the ``origin`` for :class:`VacancyCatalog` and searches."""
    lat = float(getattr(station, "latitude", 0) or 0)
    lon = float(getattr(station, "longitude", 0) or 0)
    return (lat, lon) if lat or lon else None


class VacancyCatalog:
    """The catalog database at ``db_path`` (created with its schema when missing).

    Args:
        db_path: file path, or ":memory:".
        today: returns the current local date (tests pass a fixed one); posting ages,
            ``max_age_days`` and gig dates are counted from it.
        origin: the station (latitude, longitude) in degrees. Results are ordered by
            relevance, then distance from it, then recency, and that order is stored (the row
            ids, see :mod:`~kiosk.services.catalog.schema`): searches with this origin are
            the fast ones. None keeps the origin the catalog was built with. A different
            origin than the stored one re-orders the catalog once (a rebuild, logged).

    Raises:
        CatalogDatabaseError: the file is not a usable SQLite catalog.
    """

    def __init__(self, db_path: str | Path, today: Callable[[], date] = date.today,
                 origin: tuple[float, float] | None = None) -> None:
        self.path = str(db_path)
        self._today = today
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self._writing = 0               # write calls running in this process (any thread)
        try:
            db = self._db
            if self.path != ":memory:":
                db.execute("PRAGMA journal_mode=WAL")
            pending = schema.migrate(db)
            stored = self.meta("order_origin")
            self.origin: tuple[float, float] | None = (
                tuple(json.loads(stored)) if stored else None)  # type: ignore[assignment]
            if origin is not None and tuple(origin) != self.origin:
                if self.count() and not pending:
                    log.info("catalog station moved: re-ordering the catalog by distance")
                    schema.start_rebuild(db)
                    pending = True
                self.origin = (float(origin[0]), float(origin[1]))
                self.set_meta(order_origin=json.dumps(list(self.origin)))
            if pending:
                self._reinsert_old()
        except sqlite3.DatabaseError as exc:
            raise CatalogDatabaseError(self.path, str(exc)) from exc

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (SQLite objects are per thread; WAL lets the sync thread
        write while the UI's worker threads read). ``:memory:`` shares one connection."""
        if self.path == ":memory:":
            if self._shared is None:
                self._shared = self._open(check_same_thread=False)
            return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open()
        return conn

    def _open(self, check_same_thread: bool = True) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10.0, check_same_thread=check_same_thread)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        conn.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
        conn.execute("PRAGMA temp_store = MEMORY")
        with self._connections_lock:
            self._connections.append(conn)
        return conn

    # --- writing ---------------------------------------------------------------------------

    def upsert(self, vacancies: Iterable[Vacancy]) -> int:
        """Insert or replace vacancies by id, in batches of one transaction each; returns count."""
        count = 0
        batch: list[Vacancy] = []
        self._writing += 1
        try:
            for v in vacancies:
                batch.append(v)
                if len(batch) >= _BATCH:
                    count += self._write(batch, [])
                    batch = []
            if batch:
                count += self._write(batch, [])
        finally:
            self._writing -= 1
        self._analyze()
        text_index.forget_readings()
        return count

    def delete(self, ids: Iterable[str]) -> int:
        """Delete vacancies by id (unknown ids are ignored); returns how many were deleted."""
        ids = list(ids)
        deleted = 0
        self._writing += 1
        try:
            for start in range(0, len(ids), _BATCH):
                with self._write_lock, self._db:
                    removed = self._remove(ids[start:start + _BATCH])
                    if removed:
                        self._bump_generation()
                    deleted += removed
        finally:
            self._writing -= 1
        self._analyze()
        return deleted

    def _analyze(self) -> None:
        """Refresh the planner's statistics of ``vacancy_search`` (sampled, ~2 ms at 100,000
        rows): without them SQLite starts filtered searches from the wrong index (10× slower)."""
        self._db.execute("PRAGMA analysis_limit = 1000")
        self._db.execute("ANALYZE vacancy_search")
        self._db.commit()

    def _write(self, batch: list[Vacancy], delete_ids: list[str]) -> int:
        latest = {v.id: v for v in batch}
        cols = ", ".join(schema.INSERT_COLUMNS)
        marks = ", ".join("?" * len(schema.INSERT_COLUMNS))
        with self._write_lock, self._db:
            self._remove(list(latest) + delete_ids)
            seq = int(self.meta("seq") or 0)
            counts: Counter[str] = Counter()
            for v in latest.values():
                while True:
                    seq += 1
                    rid = schema.rank_key(v, self.origin, seq)
                    try:
                        self._db.execute(f"INSERT INTO vacancy ({cols}) VALUES ({marks})",
                                         schema.to_row(v, rid))
                        break
                    except sqlite3.IntegrityError:
                        if self._db.execute("SELECT 1 FROM vacancy WHERE id = ?",
                                            (v.id,)).fetchone():
                            raise
                        # the 24-bit sequence wrapped onto a live row id: take the next one
                terms = self._terms(v)
                self._db.execute("INSERT INTO fts_terms(rowid, terms) VALUES (?, ?)",
                                 (rid, terms))
                self._db.execute("INSERT INTO search_terms(rid, terms) VALUES (?, ?)",
                                 (rid, terms))
                counts.update(schema.filter_tokens(v))
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('seq', ?)",
                             (str(seq),))
            self._count_tokens(counts)
            self._bump_generation()
        return len(latest)

    def _bump_generation(self) -> None:
        """Count a write (in its transaction): the in-memory search index built before it is
        stale (:meth:`prepare_search`)."""
        self._db.execute("INSERT INTO meta(key, value) VALUES ('gen', '1') "
                         "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def _count_tokens(self, counts: Counter[str]) -> None:
        self._db.executemany(
            "INSERT INTO token_count(term, n) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET n = n + excluded.n",
            [(term, n) for term, n in counts.items() if n])

    def _reinsert_old(self) -> None:
        """Insert every vacancy an older schema (or another origin) left in the old table,
        in batches, then drop it (see :func:`schema.migrate`)."""
        count = 0
        for batch in schema.old_rows(self._db, _BATCH):
            count += self._write(batch, [])
        self._db.execute(f"DROP TABLE {schema.OLD_TABLE}")
        self._db.commit()
        self._analyze()
        log.info("catalog rebuilt for schema %d: %d vacancies re-indexed",
                 schema.SCHEMA_VERSION, count)

    @staticmethod
    def _terms(v: Vacancy) -> str:
        search_text = "\n".join(schema.searchable_fields(v))
        return text_index.index_tokens(search_text, schema.pinyin_fields(v), v.title,
                                       schema.filter_tokens(v))

    def _remove(self, ids: list[str]) -> int:
        if not ids:
            return 0
        marks = ", ".join("?" * len(ids))
        fields = ", ".join(schema.VACANCY_FIELDS)
        rows = self._db.execute(f"SELECT rid, {fields} FROM vacancy WHERE id IN ({marks})",
                                ids).fetchall()
        gone: Counter[str] = Counter()
        for row in rows:
            old = schema.from_row(row)
            stored = self._db.execute("SELECT terms FROM search_terms WHERE rid = ?",
                                      (row["rid"],)).fetchone()
            self._db.execute("INSERT INTO fts_terms(fts_terms, rowid, terms) "
                             "VALUES ('delete', ?, ?)",
                             (row["rid"], stored[0] if stored else self._terms(old)))
            self._db.execute("DELETE FROM search_terms WHERE rid = ?", (row["rid"],))
            self._db.execute("DELETE FROM vacancy WHERE rid = ?", (row["rid"],))
            gone.update(schema.filter_tokens(old))
        self._count_tokens(Counter({term: -n for term, n in gone.items()}))
        return len(rows)

    # --- reading ---------------------------------------------------------------------------

    def get(self, vacancy_id: str) -> Vacancy | None:
        """The vacancy with this id, or None."""
        row = self._db.execute(
            f"SELECT {', '.join(schema.VACANCY_FIELDS)} FROM vacancy WHERE id = ?",
            (vacancy_id,)).fetchone()
        return schema.from_row(row) if row else None

    def count(self) -> int:
        """Number of vacancies in the catalog."""
        return self._db.execute("SELECT count(*) FROM vacancy").fetchone()[0]

    def all(self) -> Iterable[Vacancy]:
        """Every vacancy, in insertion order (a generator; used by matching and the vocabulary)."""
        cur = self._db.execute(f"SELECT {', '.join(schema.VACANCY_FIELDS)} FROM vacancy "
                               "ORDER BY rid")
        for row in cur:
            yield schema.from_row(row)

    def select(self, where: str, order_by: str, params: list, limit: int) -> list[Vacancy]:
        """Vacancies by raw SQL ``WHERE``/``ORDER BY`` over the narrow ``vacancy_search`` table
        (its columns: ``rid`` and :data:`~kiosk.services.catalog.schema.SEARCH_COLUMNS`), in
        that order; for the catalog's own modules (matching)."""
        rids = [row[0] for row in self._db.execute(
            f"SELECT rid FROM vacancy_search WHERE {where} ORDER BY {order_by} LIMIT ?",
            [*params, limit])]
        fields = ", ".join(schema.VACANCY_FIELDS)
        rows = {row["rid"]: row for row in self._db.execute(
            f"SELECT rid, {fields} FROM vacancy WHERE rid IN ({', '.join('?' * len(rids))})",
            rids)}
        return [schema.from_row(rows[rid]) for rid in rids]

    def stream_rids(self, stream: Stream, limit: int, rid_max: int | None = None,
                    after: int | None = None) -> list[int]:
        """Row ids of a full-text stream in result order (for the catalog's matching):
        ``stream.expr`` over ``fts_terms``, ``stream.check`` on ``vacancy_search v``."""
        return read_stream(self._db, stream, limit, rid_max, after)

    def rare_tokens(self, tokens: list[str]) -> set[str]:
        """The filter tokens held by few enough rows to be read from the full-text index in a
        small result (:func:`kiosk.services.catalog.ranked.rare_tokens`; for matching)."""
        return rare_tokens(self._db, tokens, dense_ok=False)

    def order_like_pure(self, rids: list[int], origin: tuple[float, float]) -> list[int]:
        """``rids`` in the pure ranking's tie order: nearer (exact distance, no coordinates
        last), newer, then id."""
        rows = []
        for start in range(0, len(rids), 500):
            chunk = rids[start:start + 500]
            rows += self._db.execute(
                "SELECT rid, id, latitude, longitude, posted_day FROM vacancy_search "
                f"WHERE rid IN ({', '.join('?' * len(chunk))})", chunk).fetchall()

        def key(row: sqlite3.Row) -> tuple:
            lat, lon = row["latitude"], row["longitude"]
            dist = distance_km(origin, (lat, lon)) if lat is not None and lon is not None \
                else 1e9
            return (dist, -(row["posted_day"] if row["posted_day"] is not None else -1 << 40),
                    row["id"])

        return [row["rid"] for row in sorted(rows, key=key)]

    def by_rids(self, rids: list[int]) -> list[Vacancy]:
        """The vacancies with these row ids, in that order."""
        return [hit.vacancy for hit in read_page(self._db, [(rid, 0) for rid in rids], None, 0)]

    def newest(self, limit: int = 3, kind: str = "job") -> list[SearchHit]:
        """The most recently posted vacancies of ``kind`` ("job" or "gig"): ``posted_day``
        newest first, then the catalog's row order (nearest the station first); vacancies
        without a posting date are left out. Hits carry the distance from the catalog's origin
        (km) and the age in days. For the home screen's board (index ``search_recent``)."""
        rids = [(row[0], 0) for row in self._db.execute(
            "SELECT rid FROM vacancy_search WHERE posted_day IS NOT NULL AND kind = ? "
            "ORDER BY posted_day DESC, rid LIMIT ?", (kind, limit))]
        return read_page(self._db, rids, self.origin, self.today_day())

    def today_day(self) -> int:
        """Today as days since 1970-01-01 (the unit of ``posted_day``)."""
        return self._today().toordinal() - date(1970, 1, 1).toordinal()

    def search(self, query: str = "", filters: SearchFilters | None = None, limit: int = 50,
               offset: int = 0, origin: tuple[float, float] | None = None,
               exhaustive: bool = False) -> SearchResult:
        """Vacancies (jobs and gigs) matching every term of ``query`` (substring, full pinyin or
        initials; see :mod:`~kiosk.services.catalog.text_index`) and every filter, best first:
        relevance, then distance from ``origin`` (vacancies with coordinates first, nearest
        first; each hit carries ``distance_km``), then recency. Past
        :data:`~kiosk.services.catalog.search.COUNT_CAP` hits the total is not counted
        (``total_capped``); see :mod:`~kiosk.services.catalog.search`. Fast (a few ms at
        120,000 vacancies) for one term or none with ``origin`` = the catalog's ``origin``.

        Args:
            query: what the jobseeker typed ("" = filters only).
            filters: see :class:`SearchFilters` (``kind="gig"`` and the work-date range for the
                gig board; :func:`~kiosk.services.catalog.query.gig_dates` gives 今天/明天/本周).
            limit, offset: the page wanted.
            origin: (latitude, longitude) in degrees of the station, for distances, ordering
                and ``filters.within_km``.
            exhaustive: score every hit (the reference plan; tests compare the two).

        Raises:
            UnknownCodeError: ``filters.education_max`` is not a GB/T 4658 code.
            ValueError: a gig date in ``filters`` is not YYYY-MM-DD.
        """
        # A kiosk query is a few words; a pasted essay would only exhaust SQLite's expression
        # depth (1000): the first MAX_QUERY_TERMS words are searched.
        query = " ".join(query.split()[:MAX_QUERY_TERMS])
        index = None if exhaustive or origin != self.origin else self._fresh_index()
        return run_search(self._db, query, filters or SearchFilters(), limit, offset, origin,
                          self.today_day(), self.origin, exhaustive, index)

    def _generation(self) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'gen'").fetchone()
        return None if row is None else str(row[0])

    def _fresh_index(self) -> SearchIndex | None:
        """The in-memory search index if it is up to date, (re)built now if not — unless a
        write is running in this process (a sync: the SQL plans answer meanwhile instead of
        rebuilding after every batch) or another thread is building it."""
        index, generation = self._index, self._generation()
        if index is not None and index.generation == generation:
            return index
        if self._writing or not self._index_lock.acquire(blocking=False):
            return None
        try:
            return self._build_index()
        finally:
            self._index_lock.release()

    def _build_index(self) -> SearchIndex:
        index = self._index
        if index is None or index.generation != self._generation():
            self._index = None          # the old one's memory is freed before the new one
            del index
            index = self._index = self._read_index()
        return index

    def _read_index(self) -> SearchIndex:
        """Build the index in a child process (:func:`~kiosk.services.catalog.postings.
        build_in_child`); if that fails (logged), here, through a connection of its own without
        memory-mapped reads (the one full scan would keep its pages mapped in this process)."""
        if self.path == ":memory:":
            return SearchIndex.build(self._db)
        try:
            return build_in_child(self.path)
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            log.warning("catalog index builder process failed (%s): building in-process",
                        type(exc).__name__)
        conn = sqlite3.connect(self.path, timeout=10.0)
        try:
            conn.execute("PRAGMA mmap_size = 0")
            conn.execute("PRAGMA cache_size = -2048")
            return SearchIndex.build(conn)
        finally:
            conn.close()

    def prepare_search(self) -> int:
        """Build the in-memory search index now (:mod:`~kiosk.services.catalog.postings`;
        ~0.5 s per 13,000 vacancies on a quiet 2-core machine) if it is missing or older than
        the last write, instead of in the first search that needs it. Safe from any thread.
        Returns the bytes the index holds (~8 MB at 13,000 vacancies, ~50 MB at 120,000)."""
        with self._index_lock:
            return self._build_index().memory_bytes()

    # --- import and sync -----------------------------------------------------------------

    def import_csv(self, path: str | Path) -> int:
        """Upsert every record of a job-board CSV (:mod:`~kiosk.services.catalog.csv_import`)
        and record the time as ``last_synced_at``; returns the number of records.

        Raises:
            CatalogImportError: the file or one of its records is bad (nothing after it is
                imported; batches before it stay).
        """
        now = datetime.now(UTC)
        count = self.upsert(read_csv(path, updated_at=now.strftime("%Y-%m-%dT%H:%M:%SZ")))
        self.mark_synced(now)
        log.info("imported %d vacancies from CSV", count)
        return count

    def sync_from(self, feed: VacancyFeed) -> SyncReport:
        """Delta sync from the platform (see :func:`kiosk.services.catalog.sync.sync_from`).
        The in-memory search index is then brought up to date here, on the syncing thread
        (:meth:`prepare_search`; nothing to do when the sync changed nothing), not by the next
        search."""
        report = sync_from(self, feed)
        self.prepare_search()
        release_freed_memory()  # the sync's decoded rows are freed: give their pages back
        return report

    def sync_by(self, run: Callable[[], SyncReport]) -> SyncReport:
        """A sync that another process writes (``run`` waits for it: :func:`~kiosk.services.
        catalog.sync_job.run_sync_job`). Meanwhile searches here take the SQL plans, as during
        a sync of this process; then the in-memory index is rebuilt from what it wrote.

        Raises:
            whatever ``run`` raises (the index is then left as it was).
        """
        self._writing += 1
        try:
            report = run()
        finally:
            self._writing -= 1
        if not report.not_modified:
            self.prepare_search()
        return report

    # --- sync state ------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A stored sync-state value (``last_synced_at``, ``updated_since``, ``etag``)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values: str | None) -> None:
        """Store sync-state values (None deletes)."""
        with self._db:
            for key, value in values.items():
                if value is None:
                    self._db.execute("DELETE FROM meta WHERE key = ?", (key,))
                else:
                    self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                                     (key, value))

    def last_synced_at(self) -> str | None:
        """UTC ISO time of the last completed sync or import ("…Z"), None if never."""
        return self.meta("last_synced_at")

    def mark_synced(self, when: datetime | None = None) -> str:
        """Record a completed sync/import now (or at ``when``); returns the stored string."""
        stamp = (when or datetime.now(UTC)).astimezone(UTC)
        text = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.set_meta(last_synced_at=text)
        return text

    def close(self) -> None:
        """Close every thread's connection."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            try:
                conn.close()
            except sqlite3.ProgrammingError:
                pass  # made in another thread that is still using it: closed at exit
        self._local = threading.local()
        self._shared = None
        self._index = None

    def __enter__(self) -> VacancyCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
