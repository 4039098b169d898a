"""The background sender: takes due outbox items and POSTs them with their Idempotency-Key.

Failure policy (the platform's errors are documented in :mod:`kiosk.platform.errors`):

=========================================  ==========  ======  =====================================
Error                                      next        strike  pause other items
=========================================  ==========  ======  =====================================
``PlatformRetryAfter`` (429/503 + header)  as told     no      yes, for Retry-After (kick too)
``PlatformUnavailable`` (network, 5xx)     backoff     no      yes, until the backoff ends
``PlatformAuthError`` (401/403)            backoff     yes     yes (every request would fail)
``PlatformRejected`` 425, 429              backoff*    yes     no
``PlatformRejected`` other 4xx, incl. 409  dead        —       no
``PlatformBadResponse``, other exception   backoff     yes     no
=========================================  ==========  ======  =====================================

``PlatformRetryAfter``: the platform answered 429 or 503 with ``Retry-After`` (seconds, or an
HTTP-date the client converted): the item and the whole queue wait exactly that long, at least
:data:`RETRY_AFTER_MIN_S` and at most :data:`RETRY_AFTER_MAX_S`; a new item (``kick``) does not
end this pause, since the platform asked every request to wait. No strike: the request was not
refused.

\\* 429 "too many requests" and 425 "too early" are worth sending again with the same key; a
``retry_after`` attribute on the error (seconds) is honoured as a minimum. 409 is not retried:
in this contract (``docs/openapi.yaml``) it means ``idempotency_key_conflict`` (the key was
used with another body) or ``referral_exists`` (the referral id is taken), and the platform
finishes a request before answering, so there is no "still in progress" 409 to wait out. Any
other 4xx means the platform understood and refused this request: resending cannot succeed.
The platform replays its first answer for a key, including a rejection.

Backoff: ``d = min(backoff_max_s, backoff_base_s * 2 ** (n - 1))`` and the wait is
``d/2 + uniform(0, d/2)`` ("equal jitter"), where ``n`` counts consecutive network failures
(pause) or the item's strikes. An item is dead-lettered after ``max_attempts`` strikes or
``max_age_hours`` (:class:`~kiosk.services.outbox.store.Outbox`); a network outage therefore
does not use up strikes, only age.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any, Protocol

from kiosk.domain.masking import mask_text
from kiosk.platform.errors import (PlatformAuthError, PlatformBadResponse, PlatformError,
                                   PlatformRejected, PlatformRetryAfter, PlatformUnavailable)
from kiosk.services.outbox.errors import OutboxError
from kiosk.services.outbox.models import ClaimedItem
from kiosk.services.outbox.store import Outbox

logger = logging.getLogger(__name__)

#: kind → method of the platform client (``kiosk.platform.client.PlatformClient``).
SEND_METHODS = {
    "registration": "register_jobseeker",
    "referral": "create_referral",
    "assistance": "create_assistance_request",
    "rating": "submit_rating",
    "application": "submit_application",
    "posting": "submit_posting",
}
#: Kinds whose permanent rejection drops the item instead of dead-lettering it: a 好差评 rating
#: the platform refuses (unknown transaction, already rated) holds no personal data and no
#: technician action could make it acceptable (issue 21).
DROP_WHEN_REFUSED = frozenset({"rating"})
RETRYABLE_STATUSES = frozenset({425, 429})
#: Bounds on a platform's ``Retry-After`` (seconds): no busy loop on ``0``, no day-long stall.
RETRY_AFTER_MIN_S = 1.0
RETRY_AFTER_MAX_S = 3600.0


class PlatformWriter(Protocol):
    """The part of the platform client the worker uses (``PlatformClient`` satisfies it)."""

    def register_jobseeker(self, payload: dict[str, Any], idempotency_key: str) -> Any: ...

    def create_referral(self, payload: dict[str, Any], idempotency_key: str) -> Any: ...

    def create_assistance_request(self, payload: dict[str, Any],
                                  idempotency_key: str) -> Any: ...

    def submit_rating(self, payload: dict[str, Any], idempotency_key: str) -> Any: ...

    def submit_application(self, payload: dict[str, Any], idempotency_key: str) -> Any: ...
    def submit_posting(self, payload: dict[str, Any], idempotency_key: str) -> Any: ...


def backoff_s(n: int, base_s: float, max_s: float, rng: random.Random) -> float:
    """Seconds to wait after the ``n``-th consecutive failure (n ≥ 1), equal jitter."""
    d = min(max_s, base_s * 2.0 ** (max(n, 1) - 1))
    return d / 2.0 + rng.uniform(0.0, d / 2.0)


class OutboxWorker:
    """A daemon thread that drains the outbox.

    Args:
        outbox: the store.
        client: the platform client (or any :class:`PlatformWriter`); if it has ``ping()``,
            the worker probes reachability every ``probe_interval_s`` while idle.
        rng: jitter source (tests pass ``random.Random(seed)``).
        idle_poll_s: longest sleep while idle, seconds (also catches other processes' enqueues).
        probe_interval_s: seconds between reachability probes while idle; 0 = never.
        sweep_interval_s: seconds between retention purges and age dead-lettering.
    """

    def __init__(self, outbox: Outbox, client: PlatformWriter, *,
                 rng: random.Random | None = None, idle_poll_s: float = 2.0,
                 probe_interval_s: float = 60.0, sweep_interval_s: float = 600.0) -> None:
        self.outbox = outbox
        self.client = client
        self.rng = rng or random.Random()
        self.idle_poll_s = idle_poll_s
        self.probe_interval_s = probe_interval_s
        self.sweep_interval_s = sweep_interval_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._network_failures = 0
        self._paused_until = 0.0  # time.monotonic()
        self._not_before = 0.0  # time.monotonic(): the platform's Retry-After; kick() keeps it
        self._last_contact = float("-inf")  # time.monotonic() of the last answer or probe
        self._orphaned = False
        outbox.add_listener(self.kick)

    # -- control ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the thread (at most once per worker)."""
        if self._thread is not None:
            raise RuntimeError("OutboxWorker already started")
        self._thread = threading.Thread(target=self._run, name="outbox-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Ask the thread to stop and wait up to ``timeout_s``; True if it ended.

        A send in progress finishes first (bounded by the client's timeouts); if the process
        exits before, the item stays ``in_flight`` and is sent again after the restart.
        """
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def kick(self) -> None:
        """Send now: wake the thread and end any network backoff pause."""
        self._paused_until = 0.0
        self._wake.set()

    # -- one step -----------------------------------------------------------------------------

    def run_once(self) -> bool:
        """Send the next due item, if any, on the calling thread; True if one was tried.

        Raises:
            OutboxError: the database failed (the item stays in flight until recovered).
        """
        item = self.outbox.claim_next()
        if item is None:
            return False
        send = getattr(self.client, SEND_METHODS[item.kind])
        try:
            result = send(item.payload, item.idempotency_key)
        except PlatformRetryAfter as exc:
            delay = min(max(exc.retry_after_s, RETRY_AFTER_MIN_S), RETRY_AFTER_MAX_S)
            self._not_before = self._paused_until = time.monotonic() + delay
            self._failed(item, f"retry after {delay:.0f} s: {exc}", delay, strike=False,
                         reachable=True)
        except PlatformUnavailable as exc:
            self._network_failures += 1
            delay = self._backoff(self._network_failures)
            self._paused_until = time.monotonic() + delay
            self._failed(item, f"unavailable: {exc}", delay, strike=False, reachable=False)
        except PlatformAuthError as exc:
            delay = self._backoff(item.strikes + 1)
            self._paused_until = time.monotonic() + delay
            self._failed(item, f"auth {exc.status} {exc.code}", delay, strike=True,
                         reachable=True)
        except PlatformRejected as exc:
            if exc.status in RETRYABLE_STATUSES:
                delay = max(self._backoff(item.strikes + 1),
                            float(getattr(exc, "retry_after", 0) or 0))
                self._failed(item, f"rejected {exc.status} {exc.code}: {exc.detail}", delay,
                             strike=True, reachable=True)
            elif item.kind in DROP_WHEN_REFUSED:
                self._last_contact = time.monotonic()
                self.outbox.mark_dropped(item.item_id, f"refused {exc.status} {exc.code}")
            else:
                self._failed(item, f"rejected {exc.status} {exc.code}: {exc.detail}", None,
                             strike=True, reachable=True)
        except (PlatformBadResponse, PlatformError) as exc:
            self._failed(item, f"{type(exc).__name__}: {exc}", self._backoff(item.strikes + 1),
                         strike=True, reachable=True)
        except Exception as exc:  # noqa: BLE001 - a client bug must not end the thread; message may hold data
            logger.error("outbox item %d: client raised %s", item.item_id, type(exc).__name__)
            self._failed(item, f"client raised {type(exc).__name__}",
                         self._backoff(item.strikes + 1), strike=True, reachable=None)
        else:
            self._network_failures = 0
            self._last_contact = time.monotonic()
            try:
                self.outbox.mark_delivered(item.item_id, result)
            except OutboxError:
                self._orphaned = True  # resent after recovery; the platform replays the reply
                raise
            logger.info("outbox item %d (%s) delivered", item.item_id, item.kind)
        return True

    def _failed(self, item: ClaimedItem, error: str, delay: float | None, *, strike: bool,
                reachable: bool | None) -> None:
        if reachable:
            self._last_contact = time.monotonic()
        retry_at = None if delay is None else self.outbox.clock() + delay
        try:
            state = self.outbox.mark_failed(item.item_id, error, retry_at=retry_at,
                                            strike=strike, reachable=reachable)
        except OutboxError:
            self._orphaned = True
            raise
        logger.info("outbox item %d (%s) attempt %d failed, now %s: %s", item.item_id,
                    item.kind, item.attempts, state, mask_text(error))

    def _backoff(self, n: int) -> float:
        s = self.outbox.settings
        return backoff_s(n, s.backoff_base_s, s.backoff_max_s, self.rng)

    # -- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        next_sweep = 0.0
        while not self._stop.is_set():
            try:
                if self._orphaned:
                    self.outbox.recover_in_flight()
                    self._orphaned = False
                if time.monotonic() >= next_sweep:
                    self.outbox.purge_expired()
                    self.outbox.dead_letter_aged()
                    next_sweep = time.monotonic() + self.sweep_interval_s
                pause = max(self._paused_until, self._not_before) - time.monotonic()
                if pause > 0:
                    self._sleep(pause)
                    continue
                if self.run_once():
                    continue
                self._probe()
                due = self.outbox.next_due_at()
                wait = self.idle_poll_s if due is None else due - self.outbox.clock()
                self._sleep(min(max(wait, 0.0), self.idle_poll_s))
            except OutboxError as exc:
                logger.error("outbox worker: storage failed: %s", exc)
                self._sleep(self.idle_poll_s)

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _probe(self) -> None:
        ping = getattr(self.client, "ping", None)
        if ping is None or self.probe_interval_s <= 0:
            return
        if time.monotonic() - self._last_contact < self.probe_interval_s:
            return
        self._last_contact = time.monotonic()
        try:
            ping()
        except PlatformError as exc:
            self.outbox.note_reachability(False, f"probe: {type(exc).__name__}: {exc}")
        else:
            self.outbox.note_reachability(True)


__all__ = ["OutboxWorker", "PlatformWriter", "SEND_METHODS", "RETRYABLE_STATUSES",
           "DROP_WHEN_REFUSED", "RETRY_AFTER_MIN_S", "RETRY_AFTER_MAX_S", "backoff_s"]
