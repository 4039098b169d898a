"""Running the sandbox platform in-process: a uvicorn server on a background thread.

:func:`start_embedded_sandbox` is what ``kiosk run`` uses with ``platform.base_url =
"embedded"``: it opens ``<data_dir>/sandbox.db`` (or ``db_path``), provisions this terminal
(id from ``[station].terminal_id``, secret from :func:`kiosk.platform.credentials.secret_path`,
created 0600 if missing) with the station fields from ``[station]``, seeds the demo catalog
once (again only when the demo files change) and serves on a free ``127.0.0.1`` port.
Typical start time: well under a second (the seed is skipped when the DB is up to date).
``kiosk run`` does the same after the service buttons work, on a socket that listens from the
start (:mod:`kiosk.platform.sandbox.background`).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import uvicorn

from kiosk.domain.china_time import china_now
from kiosk.paths import data_dir
from kiosk.platform.credentials import load_device_secret, secret_path
from kiosk.platform.errors import PlatformUnavailable
from kiosk.platform.sandbox.app import SandboxPlatform, build_sandbox
from kiosk.platform.sandbox.loopback import bound_socket
from kiosk.platform.sandbox.casework import Casework
from kiosk.platform.sandbox.fair_casework import seed_demo_fairs
from kiosk.platform.sandbox.guidance_casework import seed_demo_slots
from kiosk.platform.sandbox.faults import ConnectionDropped, Faults
from kiosk.platform.sandbox.gigs import DemoStation, seed_demo_gigs
from kiosk.platform.sandbox.seed import seed_demo
from kiosk.platform.sandbox.store import Store
from kiosk.settings import Settings

log = logging.getLogger(__name__)
START_TIMEOUT_S = 5.0


class _HideInjectedDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_DROP_FILTER = _HideInjectedDrops()


class SandboxServer:
    """A :class:`SandboxPlatform` served by uvicorn on a background thread.

    Attributes:
        origin: ``http://127.0.0.1:PORT``; ``base_url`` is ``origin + "/v1"``.
    """

    def __init__(self, platform: SandboxPlatform, host: str = "127.0.0.1", port: int = 0, *,
                 sock: socket.socket | None = None) -> None:
        """``sock``: a socket already bound (and maybe listening) to serve on instead of
        binding ``host``:``port`` (:mod:`kiosk.platform.sandbox.background`)."""
        self.platform = platform
        self._sock = sock if sock is not None else bound_socket(host, port)
        self.host, self.port = self._sock.getsockname()[:2]
        self.origin = f"http://{self.host}:{self.port}"
        self.base_url = self.origin + "/v1"
        logging.getLogger("uvicorn.error").addFilter(_DROP_FILTER)
        config = uvicorn.Config(platform.asgi, log_level="warning", access_log=False,
                                lifespan="off", http="h11", timeout_keep_alive=30,
                                backlog=4096)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name="sandbox-platform", daemon=True)

    @property
    def store(self) -> Store:
        return self.platform.store

    @property
    def faults(self) -> Faults:
        return self.platform.faults

    @property
    def casework(self) -> Casework:
        return self.platform.casework

    def start(self) -> SandboxServer:
        """Start serving; returns when the server accepts connections.

        Raises:
            PlatformUnavailable: the server did not start within 5 s.
        """
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise PlatformUnavailable("embedded sandbox platform did not start")
            time.sleep(0.005)
        log.info("sandbox platform serving on %s", self.origin)
        return self

    def serve_forever(self) -> None:
        """Block until the server stops (Ctrl-C in the CLI raises KeyboardInterrupt here)."""
        while self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop serving and close the database (idempotent)."""
        if self._thread.is_alive():
            self._server.should_exit = True
            self._server.force_exit = True          # do not wait for idle keep-alive clients
            self._thread.join(timeout_s)
        self._sock.close()
        self.platform.store.close()

    def __enter__(self) -> SandboxServer:
        return self.start() if not self._thread.is_alive() else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


EmbeddedSandbox = SandboxServer


def _signature(*paths: Path) -> str:
    parts = []
    for p in paths:
        st = p.stat() if p.exists() else None
        parts.append(f"{p}:{st.st_size}:{st.st_mtime_ns}" if st else f"{p}:absent")
    return "|".join(parts)


def station_record(settings: Settings) -> dict[str, object]:
    """The ``[station]`` fields the sandbox answers in ``GET /v1/station``."""
    st = asdict(settings.station)
    st.pop("terminal_id", None)
    for key in ("latitude", "longitude"):
        if not st[key]:
            st[key] = None
    return st


ADMIN_TOKEN_FILE = "sandbox.token"


def admin_token_path(settings: Settings) -> Path:
    """``<data_dir>/sandbox.token``: the ``X-Sandbox-Token`` of ``/_sandbox/*`` (0600)."""
    return data_dir(settings) / ADMIN_TOKEN_FILE


def load_admin_token(path: Path, *, create: bool = False) -> str:
    """The sandbox admin token; with ``create`` a missing file is made (0600, 192 random bits).

    Raises:
        OSError: the file cannot be read or made (``FileNotFoundError`` when missing and not
            ``create``).
        ValueError: the file is empty or not ASCII.
    """
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(24) + "\n")
    try:
        token = path.read_text(encoding="ascii").strip()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not an ASCII token") from exc
    if not token:
        raise ValueError(f"{path} is empty")
    return token


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists with mode 0600 (also an older, wider file and its SQLite
    ``-wal``/``-shm`` companions); a missing folder is made 0700 (an existing one, such as the
    data folder that :func:`kiosk.paths.data_dir` makes 0700, is left as it is).

    Raises:
        OSError: the folder or file cannot be made or changed.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists():
            os.chmod(companion, 0o600)
    return path


def prepare_sandbox(settings: Settings, db_path: Path | None = None) -> SandboxPlatform:
    """Open the store (0600: it holds the terminal's HMAC secret), provision this terminal,
    load or make the admin token (:func:`admin_token_path`) and seed the demo catalog if it
    changed.

    Raises:
        DeviceSecretError: the configured secret file is malformed.
        SeedError: the demo data files exist but are malformed.
        OSError, ValueError: the database or token file cannot be made or read.
        sqlite3.Error: the database file is not a database.
    """
    db = private_file(db_path or data_dir(settings) / "sandbox.db")
    platform = build_sandbox(db, admin_token=load_admin_token(admin_token_path(settings),
                                                              create=True))
    secret = load_device_secret(secret_path(settings), create=True)
    platform.store.provision_terminal(settings.station.terminal_id, secret,
                                      station_record(settings))
    vacancies_json = settings.resolve(settings.catalog.demo_data)
    content_json = vacancies_json.with_name("content.json")
    signature = _signature(vacancies_json, content_json)
    if vacancies_json.exists() and platform.store.meta("demo_seed") != signature:
        count = seed_demo(platform.store, vacancies_json, content_json)
        platform.store.set_meta("demo_seed", signature)
        log.info("sandbox platform seeded with %d demo vacancies", count)
    elif not vacancies_json.exists():
        log.warning("demo data %s not found: the sandbox catalog stays as it is", vacancies_json)
    gigs_json = vacancies_json.with_name("gigs.json")
    if gigs_json.exists():
        st = settings.station
        own = DemoStation(st.terminal_id, st.division_code, (st.latitude, st.longitude)) \
            if st.latitude or st.longitude else None
        gigs = seed_demo_gigs(platform.store, gigs_json, china_now().date(), own)
        if gigs:
            log.info("sandbox platform seeded with %d demo gigs for this week", gigs)
    st = settings.station
    fairs = seed_demo_fairs(platform.store, datetime.now(UTC),
                            (st.latitude, st.longitude) if st.latitude or st.longitude else None)
    log.info("sandbox platform seeded with %d demo fairs from today", len(fairs))
    slots = seed_demo_slots(platform.store, datetime.now(UTC))
    log.info("sandbox platform seeded with %d adviser slots for the coming week", len(slots))
    return platform


def start_embedded_sandbox(settings: Settings, db_path: Path | None = None) -> SandboxServer:
    """:func:`prepare_sandbox`, then serve on a free 127.0.0.1 port (returns once listening).

    Raises:
        DeviceSecretError, SeedError: see :func:`prepare_sandbox`.
        PlatformUnavailable: the server did not start within 5 s.
    """
    return SandboxServer(prepare_sandbox(settings, db_path)).start()
