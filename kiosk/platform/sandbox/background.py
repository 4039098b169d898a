"""The embedded sandbox of demo mode, listening from the start and serving once started in the
background (issue 23: every service button working within 1.5 s of start in demo mode).

Starting the embedded sandbox (:func:`~kiosk.platform.sandbox.embedded.start_embedded_sandbox`:
FastAPI, uvicorn, pydantic and the routers imported, the store opened and the demo data
seeded) took ~650 ms of the start-up worker on 2 × AMD EPYC (2026-12-02: imports 470–570 ms,
``prepare_sandbox`` 60–160 ms, uvicorn 25 ms) before any button worked. ``kiosk run`` makes a
:class:`BackgroundSandbox` instead: this module imports only the standard library, binds and
listens on a free loopback port at once — so the platform client knows its ``base_url`` and a
request sent early is queued by the kernel (the listen backlog), not refused — and
``Services.start()`` starts the real server on a thread once the buttons work. A request made
meanwhile waits for its answer, as with a slow platform (the client's read timeout, 10 s by
default, is far above the start's ~1 s).

If the start fails (a corrupt ``sandbox.db``, malformed demo files) the error is logged and the
socket closed: requests fail as :class:`~kiosk.platform.errors.PlatformUnavailable` and the kiosk
works offline, the outbox keeping what is submitted. Tools and tests that build services
without ``kiosk run`` start the sandbox before they return, as before.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.platform.credentials import load_device_secret, secret_path
from kiosk.platform.errors import PlatformUnavailable
from kiosk.platform.sandbox.loopback import bound_socket

if TYPE_CHECKING:
    from kiosk.platform.sandbox.app import SandboxPlatform
    from kiosk.platform.sandbox.casework import Casework
    from kiosk.platform.sandbox.embedded import SandboxServer
    from kiosk.platform.sandbox.faults import Faults
    from kiosk.platform.sandbox.store import Store
    from kiosk.settings import Settings

log = logging.getLogger(__name__)
#: how long (s) a reader of :attr:`BackgroundSandbox.platform` waits for the start at most
START_TIMEOUT_S = 30.0
#: connections the kernel queues while the server starts (as uvicorn's ``backlog``)
BACKLOG = 4096


class BackgroundSandbox:
    """The embedded sandbox for ``settings`` (its database ``db_path``), listening at once on a
    free ``127.0.0.1`` port and serving after :meth:`start`.

    Construction makes the terminal's device secret if it is missing (0600; the platform client
    reads it before the sandbox has provisioned the terminal) and listens.

    Attributes:
        origin: ``http://127.0.0.1:PORT``; ``base_url`` is ``origin + "/v1"``.

    Raises:
        DeviceSecretError: the secret file is malformed.
        OSError: no loopback port can be bound.
    """

    def __init__(self, settings: Settings, db_path: Path) -> None:
        self._settings = settings
        self._db_path = db_path
        load_device_secret(secret_path(settings), create=True)
        self._sock = bound_socket()
        self._sock.listen(BACKLOG)
        self.host, self.port = self._sock.getsockname()[:2]
        self.origin = f"http://{self.host}:{self.port}"
        self.base_url = self.origin + "/v1"
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._server: SandboxServer | None = None
        self._stopped = False

    def start(self) -> BackgroundSandbox:
        """Start the server on a thread (once; returns at once). Requests already queued are
        answered when it serves."""
        with self._lock:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="sandbox-start",
                                                daemon=True)
                self._thread.start()
        return self

    def _run(self) -> None:
        server: SandboxServer | None = None
        try:
            from kiosk.platform.sandbox.embedded import SandboxServer, prepare_sandbox

            if not self._stopped:             # stop() came while it imported: nothing to do
                platform = prepare_sandbox(self._settings, self._db_path)
                candidate = SandboxServer(platform, sock=self._sock)
                # Under the lock: a stop() meanwhile waits for uvicorn's start (~25 ms, not the
                # seeding before it) and then stops it; before, it could close the socket
                # under a uvicorn that had just started (ValueError in its shutdown thread).
                with self._lock:
                    if not self._stopped:
                        candidate.start()
                        server = self._server = candidate
        except Exception as exc:  # noqa: BLE001 - logged; the kiosk then works offline
            if self._stopped:
                log.info("the embedded sandbox platform was stopped while it started (%s)",
                         type(exc).__name__)
            else:
                log.error("the embedded sandbox platform did not start (%s): requests fail as "
                          "offline", type(exc).__name__, exc_info=True)
            self._sock.close()                # queued and later connections are refused
        finally:
            if self._stopped and server is None:
                self._sock.close()
            self._done.set()

    @property
    def started(self) -> bool:
        """Whether the background start has ended (serving, or failed)."""
        return self._done.is_set()

    def server(self, timeout_s: float = START_TIMEOUT_S) -> SandboxServer:
        """The serving :class:`~kiosk.platform.sandbox.embedded.SandboxServer`, after waiting
        for the start (started now if :meth:`start` was not called yet).

        Raises:
            PlatformUnavailable: the start failed, or did not end within ``timeout_s`` s.
        """
        self.start()
        if not self._done.wait(timeout_s) or self._server is None:
            raise PlatformUnavailable("the embedded sandbox platform did not start")
        return self._server

    @property
    def platform(self) -> SandboxPlatform:
        return self.server().platform

    @property
    def store(self) -> Store:
        return self.server().store

    @property
    def faults(self) -> Faults:
        return self.server().faults

    @property
    def casework(self) -> Casework:
        return self.server().casework

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop serving and close the database (idempotent). A start still under way is not
        waited for (``kiosk run`` stops within 5 s, and a first start seeds for seconds): the
        socket is closed at once, so a request waiting in its backlog (the catalog sync's) is
        refused instead of waiting for its read timeout; the start then ends without serving,
        or is cut short when the process exits (SQLite rolls an unfinished seed back; the
        next start seeds again)."""
        with self._lock:
            self._stopped = True
            server = self._server
        if server is not None:
            server.stop(timeout_s)
        else:
            self._sock.close()
