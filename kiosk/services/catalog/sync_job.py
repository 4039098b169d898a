"""The vacancy delta sync in a short-lived child process (issue 23: idle memory).

A sync decodes thousands of vacancies from JSON, validates them (pydantic), reads every title
in pinyin (pypinyin and its dictionaries: ~17 MB on their own) and writes them to SQLite. In
the kiosk process that work would stay resident for the rest of the day: CPython and glibc keep
most of the memory a burst frees (measured: +17 MB after a sync of the 13,656 real vacancies,
with ``malloc_trim``), and its pure-Python loops hold the UI's interpreter lock while they run.
So ``kiosk run`` syncs in a child — ``python -m kiosk.services.catalog.sync_job``, the same
:func:`~kiosk.services.catalog.sync.sync_from` over its own platform client and its own
connection to the catalog file — and the parent only loads the new search index (also built in
a child, :func:`~kiosk.services.catalog.postings.build_in_child`).

Protocol: the parent writes one JSON object (:class:`SyncJob`) to the child's stdin; the child
prints one JSON line to stdout and exits 0 with ``{"report": {SyncReport's fields}}`` or 1 with
``{"error": {"kind": "platform" | "catalog" | "job", "type": "<exception class>",
"message": "…", "status": int | null}}``. The device secret is read by the child from
``secret_file``; it never passes through a pipe, an argument or the environment. Nothing
personal is in a vacancy feed, so nothing personal reaches the child's stderr (logged at
warning level by the parent when the child fails).

The catalog is SQLite in WAL mode: the parent's searches read while the child writes; the
parent learns of the new rows from the catalog's generation counter (table ``meta``).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.platform.errors import PlatformError
from kiosk.services.catalog.errors import CatalogDatabaseError, CatalogError
from kiosk.services.catalog.sync import SyncReport

log = logging.getLogger(__name__)

#: seconds a sync child may run before it is killed (the real catalog takes ~8 s on a quiet
#: 2-core terminal, ~30 s at load 15; 100,000 vacancies take a few minutes)
DEFAULT_TIMEOUT_S = 900.0

_running: set[subprocess.Popen[bytes]] = set()   # the sync children now running
_running_lock = threading.Lock()


@dataclass(frozen=True)
class SyncJob:
    """What the child needs: the catalog file, and the platform client's settings.

    Attributes:
        db: path of ``catalog.sqlite3``.
        base_url: the platform's ``…/v1`` URL (for the embedded sandbox, its loopback URL).
        terminal_id: the station's terminal id (``[station] terminal_id``).
        secret_file: the device secret's file (HMAC-SHA256 key; the child reads it).
        connect_timeout_s, read_timeout_s: the client's timeouts, seconds.
        verify: TLS verification: true/false, or a CA bundle path.
        origin: the station's (latitude, longitude) the catalog ranks by, or None
            (:func:`~kiosk.services.catalog.store.station_origin`; rows are keyed with it).
    """

    db: str
    base_url: str
    terminal_id: str
    secret_file: str
    connect_timeout_s: float
    read_timeout_s: float
    verify: bool | str
    origin: tuple[float, float] | None = None


class SyncJobFailed(PlatformError):
    """The child's sync failed on the platform side (offline, refused, a bad answer) or the
    child itself failed (``kind`` "job": it crashed, timed out or printed no answer).

    Attributes:
        kind: "platform" or "job".
        error_type: the child's exception class name ("PlatformUnavailable", …).
        status: the HTTP status when the platform answered, else None.
    """

    def __init__(self, kind: str, error_type: str, message: str,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.kind, self.error_type, self.status = kind, error_type, status


def run_sync_job(job: SyncJob, timeout_s: float = DEFAULT_TIMEOUT_S) -> SyncReport:
    """Run one delta sync of ``job.db`` in a child process and return its report.

    Raises:
        SyncJobFailed: the platform side failed, or the child crashed, timed out (killed) or
            answered nonsense (the watermark is then unchanged: the next sync repeats).
        CatalogDatabaseError: the child could not write the catalog file.
    """
    root = str(Path(__file__).resolve().parents[3])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])]))
    try:
        child = subprocess.Popen([sys.executable, "-m", __name__], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
    except OSError as exc:
        raise SyncJobFailed("job", type(exc).__name__,
                            f"catalog sync process could not start: {exc}") from exc
    with _running_lock:
        _running.add(child)
    try:
        stdout, stderr = child.communicate(json.dumps(asdict(job)).encode(), timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        child.kill()
        child.communicate()
        raise SyncJobFailed("job", "TimeoutExpired",
                            f"catalog sync process killed after {timeout_s:.0f} s") from exc
    finally:
        with _running_lock:
            _running.discard(child)
    done = subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
    answer = _answer(done.stdout)
    if "report" in answer and done.returncode == 0:
        try:
            return SyncReport(**answer["report"])
        except TypeError as exc:
            raise SyncJobFailed("job", "TypeError", "catalog sync process: bad report") from exc
    error = answer.get("error")
    if not isinstance(error, dict):
        tail = done.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1:]
        log.warning("catalog sync process exited with %d: %s", done.returncode, tail)
        raise SyncJobFailed("job", "exit", f"catalog sync process exited with {done.returncode}")
    kind, error_type = str(error.get("kind")), str(error.get("type"))
    message = str(error.get("message", ""))
    status = error.get("status") if isinstance(error.get("status"), int) else None
    if kind == "catalog":
        raise CatalogDatabaseError(job.db, f"{error_type}: {message}")
    raise SyncJobFailed("platform" if kind == "platform" else "job", error_type, message, status)


def cancel_running_jobs() -> int:
    """Terminate the sync children now running (SIGTERM; ``kiosk run`` is stopping and must be
    gone within 5 s, while a first sync takes seconds). Their :func:`run_sync_job` raises
    :class:`SyncJobFailed`; the catalog keeps its watermark, so the next start syncs again.
    Returns how many were told to stop."""
    with _running_lock:
        children = [c for c in _running if c.poll() is None]
    for child in children:
        child.terminate()
    return len(children)


def _answer(stdout: bytes) -> dict:
    """The last JSON object line of the child's stdout ({} when there is none)."""
    for line in reversed(stdout.decode("utf-8", errors="replace").splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def _sync(job: SyncJob) -> SyncReport:
    from kiosk.platform.client import PlatformClient
    from kiosk.platform.credentials import load_device_secret
    from kiosk.services.catalog.store import VacancyCatalog
    from kiosk.services.catalog.sync import sync_from

    client = PlatformClient(job.base_url, job.terminal_id,
                            load_device_secret(Path(job.secret_file)),
                            job.connect_timeout_s, job.read_timeout_s, job.verify)
    catalog = VacancyCatalog(job.db, origin=(job.origin[0], job.origin[1]) if job.origin else None)
    try:
        # VacancyPage is the feed protocol's VacancyChangesPage: the same shape
        return sync_from(catalog, client)  # type: ignore[arg-type]
    finally:
        catalog.close()


def main() -> int:
    """The child: read a :class:`SyncJob` from stdin, sync, print the answer (module docs)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        job = SyncJob(**json.loads(sys.stdin.buffer.read()))
    except (ValueError, TypeError) as exc:
        print(json.dumps({"error": {"kind": "job", "type": type(exc).__name__,
                                    "message": "bad sync job on stdin"}}))
        return 1
    try:
        report = _sync(job)
    except PlatformError as exc:
        answer = {"kind": "platform", "type": type(exc).__name__, "message": str(exc),
                  "status": getattr(exc, "status", None)}
    except (CatalogError, OSError, ValueError) as exc:
        # OSError/ValueError here: the secret file or the catalog file (the client's own
        # network failures are PlatformUnavailable)
        answer = {"kind": "catalog" if isinstance(exc, CatalogError) else "job",
                  "type": type(exc).__name__, "message": str(exc)}
    else:
        print(json.dumps({"report": asdict(report)}))
        return 0
    print(json.dumps({"error": answer}, ensure_ascii=False))
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
