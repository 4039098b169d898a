"""Live search: every keystroke submits the query; the latest one wins (issue 23, no debounce).

:class:`LatestSearch` runs searches on one worker thread. :meth:`~LatestSearch.submit` returns
at once with a generation number; while a search runs, newer submissions replace the one
waiting (at most one waits — intermediate keystrokes are dropped, not queued), and a result
is delivered only if no newer query was submitted meanwhile, so a slow old search can never
overwrite a newer result. Results and errors go to the callbacks on the worker thread; a UI
hands them to its own thread (Kivy's ``Clock.schedule_once``) — nothing here imports Kivy.

Example (a screen)::

    live = LatestSearch(catalog.search, on_result=lambda gen, result: Clock.schedule_once(
        lambda _dt: show(gen, result)), on_error=lambda gen, exc: ...)
    live.submit(query, filters=filters, limit=20, origin=origin)   # on every key
    ...
    live.close()                                                      # when the screen goes

``show`` may still compare ``gen`` with :attr:`~LatestSearch.latest` on the UI thread, to drop a
result that arrived after a newer keystroke.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class _Request:
    generation: int
    args: tuple
    kwargs: dict[str, Any] = field(default_factory=dict)


class LatestSearch:
    """Run ``search(*args, **kwargs)`` for the latest submission only (see the module docstring).

    Args:
        search: the search function (e.g. ``VacancyCatalog.search``); it runs on the worker
            thread, so a catalog opened per thread (``VacancyCatalog`` does this) is needed.
        on_result: ``(generation, result)``, called on the worker thread for the newest query.
        on_error: ``(generation, exception)`` when the newest query raised (its message is not
            logged: a query may hold what a person typed).
        clock: monotonic seconds (``time.monotonic``; tests pass a fake one) for
            :attr:`last_duration_s`.
    """

    def __init__(self, search: Callable[..., Any], on_result: Callable[[int, Any], None],
                 on_error: Callable[[int, BaseException], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._search = search
        self._on_result = on_result
        self._on_error = on_error
        self._clock = clock
        self._cond = threading.Condition()
        self._pending: _Request | None = None
        self._generation = 0
        self._closed = False
        self._busy = False
        self.dropped = 0            # submissions replaced before they ran
        self.discarded = 0          # results thrown away because a newer query came
        self.last_duration_s: float | None = None
        self._thread = threading.Thread(target=self._run, name="live-search", daemon=True)
        self._thread.start()

    @property
    def latest(self) -> int:
        """The generation of the newest submission (0 before the first)."""
        with self._cond:
            return self._generation

    def submit(self, *args: Any, **kwargs: Any) -> int:
        """Search for these arguments next, replacing any search still waiting; returns its
        generation (1, 2, …). Raises RuntimeError after :meth:`close`."""
        with self._cond:
            if self._closed:
                raise RuntimeError("live search closed")
            self._generation += 1
            if self._pending is not None:
                self.dropped += 1
            self._pending = _Request(self._generation, args, kwargs)
            self._cond.notify()
            return self._generation

    def cancel(self) -> None:
        """Drop what is waiting and make any running search's result stale (e.g. the query
        was cleared)."""
        with self._cond:
            self._generation += 1
            if self._pending is not None:
                self.dropped += 1
            self._pending = None

    def wait_idle(self, timeout_s: float = 5.0) -> bool:
        """Block until nothing runs or waits — the newest result delivered — or ``timeout_s``
        seconds (tests, shutdown, and a UI that wants a fast result in the frame it is drawing);
        False on timeout."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._pending is not None or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def close(self, timeout_s: float = 2.0) -> None:
        """Stop the worker (a running search finishes; its result is discarded)."""
        with self._cond:
            self._closed = True
            self._pending = None
            self._generation += 1
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                request, self._pending = self._pending, None
                self._busy = True
            assert request is not None
            started = self._clock()
            try:
                result: Any = self._search(*request.args, **request.kwargs)
                error: BaseException | None = None
            except Exception as exc:  # noqa: BLE001 - any search failure goes to on_error
                result, error = None, exc
            self.last_duration_s = self._clock() - started
            with self._cond:
                current = request.generation == self._generation
                if not current:
                    self.discarded += 1
            try:
                if current and error is None:
                    self._on_result(request.generation, result)
                elif current and self._on_error is not None:
                    assert error is not None
                    self._on_error(request.generation, error)
                elif current:
                    log.warning("live search failed (%s)", type(error).__name__)
            except Exception:  # noqa: BLE001 - a failing callback must not kill the worker
                log.exception("live search callback failed")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
