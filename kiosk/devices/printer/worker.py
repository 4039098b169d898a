"""The printer worker: one thread runs every printer operation, each with a time limit.

The UI only ever submits and gets a :class:`concurrent.futures.Future`. When a job exceeds
``job_timeout_s`` (seconds) its future fails with :class:`PrinterTimeout`, the connector's
current connection is closed from the watchdog (which unblocks most stuck writes), and until
the stuck call returns every new or queued job fails at once with :class:`PrinterBusy`: a
wedged printer never blocks the UI or piles up jobs.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future, InvalidStateError
from typing import TypeVar, cast
from collections.abc import Callable

from kiosk.devices.printer.errors import PrinterBusy, PrinterTimeout

log = logging.getLogger(__name__)
T = TypeVar("T")
_STOP = object()


#: a queued job: the call and the future its caller holds
_Job = tuple[Callable[[], object], "Future[object]"]

class PrinterWorker:
    """Runs submitted callables one at a time on a daemon thread.

    Args:
        job_timeout_s: seconds a call may run before its future fails with PrinterTimeout.
        on_timeout: called from the watchdog on a timeout (e.g. ``connector.abort``).
        name: thread name, for diagnostics.
    """

    def __init__(self, job_timeout_s: float, on_timeout: Callable[[], None] | None = None,
                 name: str = "printer-worker") -> None:
        if job_timeout_s <= 0:
            raise ValueError("job_timeout_s must be > 0 seconds")
        self.job_timeout_s = job_timeout_s
        self._on_timeout = on_timeout
        self._queue: queue.Queue[object] = queue.Queue()
        self._lock = threading.Lock()
        self._stuck = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def stuck(self) -> bool:
        """True while a timed-out call has not returned yet."""
        return self._stuck

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Queue ``fn``; its result or exception lands in the returned future.

        Raises nothing: a closed or stuck worker returns a future already failed with
        PrinterBusy.
        """
        future: Future[T] = Future()
        with self._lock:
            if self._stuck or self._closed:
                future.set_exception(PrinterBusy(
                    "printer worker is closed" if self._closed
                    else "previous job still stuck after its timeout"))
                return future
            self._queue.put((fn, future))
        return future

    def close(self) -> None:
        """Stop taking jobs; the thread ends after the current one (daemon: never joins)."""
        with self._lock:
            self._closed = True
        self._queue.put(_STOP)

    def _expire(self, future: Future[object]) -> None:
        with self._lock:
            if future.done():
                return
            self._stuck = True
            try:
                future.set_exception(PrinterTimeout(
                    f"job did not finish within {self.job_timeout_s} s",
                    timeout_s=self.job_timeout_s))
            except InvalidStateError:
                return
            pending = []
            while True:
                try:
                    pending.append(self._queue.get_nowait())
                except queue.Empty:
                    break
        for item in pending:
            if item is _STOP:
                self._queue.put(_STOP)
                continue
            cast(_Job, item)[1].set_exception(PrinterBusy("previous job timed out"))
        log.warning("printer job exceeded %.1f s; aborting the connection", self.job_timeout_s)
        if self._on_timeout is not None:
            self._on_timeout()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            fn, future = cast(_Job, item)
            if not future.set_running_or_notify_cancel():
                continue
            timer = threading.Timer(self.job_timeout_s, self._expire, (future,))
            timer.daemon = True
            timer.start()
            result: object = None
            error: BaseException | None = None
            try:
                result = fn()
            except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
                error = exc
            finally:
                timer.cancel()
            with self._lock:
                self._stuck = False
                if not future.done():
                    if error is None:
                        future.set_result(result)
                    else:
                        future.set_exception(error)
            # Drop this job's references before waiting for the next one: the job closure holds
            # the referral (name, ID number, phone), which must not outlive its session.
            del item, fn, future, timer
            result = error = None
