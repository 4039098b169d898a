"""零工报名 (gig sign-up, issue 19): one tap after identification, online only.

A sign-up takes one of a gig's places at the platform (``POST /v1/vacancies/{id}/signups``),
which counts the places across all terminals; so it is not queued in the outbox: a sign-up the
worker cannot see confirmed would promise a place nobody holds. Outcomes:

* ``confirmed`` — the sign-up number and the places left; the catalog's copy of the gig is
  updated at once (the next sync brings the platform's count anyway);
* ``full`` — the gig filled while the worker was signing up: the catalog's copy is set to 0
  places and :meth:`GigSignupService.next_gigs` offers the next ones (same day window, nearest
  first, with places left);
* ``exists`` — this worker is signed up already; ``gone`` — the gig was taken down;
* ``offline`` — the platform cannot be reached: nothing was signed up (say so, try again).

The gig board (:meth:`GigSignupService.board`) lists the gigs of a 今天/明天/本周 window from
the terminal's catalog, nearest the station first (附近: within a distance), those with places
left before full ones; :meth:`GigSignupService.refresh` asks the platform for a gig's places
left when its detail is opened (other terminals' sign-ups count down there at once);
:meth:`GigSignupService.print_slip` prints the sign-up slip
(:func:`kiosk.services.slip.employer.layout_signup_slip`).

The worker's ID number and name go to the platform only; the slip prints the name masked.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime, UTC
from typing import Any

from kiosk.domain.vacancy import Vacancy

logger = logging.getLogger(__name__)

MESSAGES = {
    "confirmed": "报名成功，请按时到达。",
    "full": "这份零工刚刚报满了，看看下面这些：",
    "exists": "您已报名过这份零工。",
    "gone": "这份零工已下架。",
    "offline": "网络暂时不通，未能报名，请稍后再试或到人工窗口。",
}


@dataclass(frozen=True)
class SignupOutcome:
    """``state`` one of :data:`MESSAGES`' keys; ``signup_no``/``places_left``/``signed_up_at``
    when confirmed; ``gig`` the gig as signed up for (places updated)."""

    state: str
    gig: Vacancy
    signup_no: str = ""
    places_left: int | None = None
    signed_up_at: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "confirmed"

    @property
    def message_zh(self) -> str:
        return MESSAGES[self.state]


class GigSignupService:
    """Signs workers up for gigs and offers the next gigs when one is full.

    Args:
        client: callable returning the ``PlatformClient`` (None when not configured).
        catalog: the terminal's ``VacancyCatalog`` (its copy of a gig is updated).
        now: UTC time source (``signed_up_at``); today: China-time date for :meth:`board`,
            :meth:`next_gigs` and the slip (default: today in China).
        station_name: printed on the sign-up slip.
    """

    def __init__(self, client: Callable[[], Any], catalog: Any = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 today: Callable[[], date] | None = None, station_name: str = "") -> None:
        self._client = client
        self.catalog = catalog
        self._now = now
        self._today = today
        self.station_name = station_name

    def today(self) -> date:
        """Today's date in China (the injected one in tests)."""
        if self._today is not None:
            return self._today()
        from kiosk.domain.china_time import china_now

        return china_now().date()

    @property
    def has_origin(self) -> bool:
        """The station has coordinates: distances and 附近 are known (``[station] latitude /
        longitude``)."""
        return self.catalog is not None and self.catalog.origin is not None

    def board(self, window: str = "today", within_km: float | None = None,
              limit: int = 60) -> list[Any]:
        """The gigs of ``window`` (``today`` / ``tomorrow`` / ``week``, :func:`gig_dates`) as
        ``SearchHit`` (``distance_km`` from the station), within ``within_km`` km of the
        station (None: any distance; ignored when the station has no coordinates), nearest
        first, gigs with places left before full ones. [] without a catalog.

        Raises:
            ValueError: an unknown window.
            CatalogError: the catalog cannot be read.
        """
        from kiosk.services.catalog import SearchFilters, gig_dates

        first, last = gig_dates(window, self.today())
        if self.catalog is None:
            return []
        origin = self.catalog.origin
        result = self.catalog.search("", SearchFilters(
            kind="gig", work_date_from=first, work_date_to=last,
            within_km=within_km if origin is not None else None), limit=limit, origin=origin)
        return sorted(result.items, key=lambda h: h.vacancy.places_left <= 0)

    def print_slip(self, printer: Any, outcome: SignupOutcome, worker_name: str,
                   on_done: Callable[[Any, Exception | None], None] | None = None,
                   ) -> Future[Any]:
        """Lay out and print the sign-up slip of a confirmed ``outcome`` on ``printer``'s
        worker (never blocks; ``on_done(result, error)`` from the worker thread).

        Raises:
            ValueError: ``outcome`` is not a confirmed sign-up.
        """
        from kiosk.services.slip.employer import SignupSlip, layout_signup_slip

        if not outcome.ok or not outcome.signup_no:
            raise ValueError("only a confirmed sign-up has a slip")
        slip = SignupSlip(self.station_name, self.today(), outcome.signup_no, outcome.gig,
                          worker_name)
        layout = layout_signup_slip(slip, printer.profile)
        future: Future[Any] = printer.submit_layout(layout, outcome.signup_no, on_done)
        return future

    def sign_up(self, card: Any, gig: Vacancy, phone: str = "") -> SignupOutcome:
        """Sign the card's holder up for ``gig``; never raises for platform failures."""
        from kiosk.platform.errors import PlatformError, PlatformRejected

        client = self._client()
        if client is None:
            return SignupOutcome("offline", gig)
        payload = {"worker": {"id_number": card.id_number.upper(), "name": card.name,
                              "phone": phone},
                   "signed_up_at": self._now().astimezone(UTC).isoformat().replace("+00:00", "Z")}
        try:
            reply = client.sign_up_for_gig(gig.id, payload, str(uuid.uuid4()))
        except PlatformRejected as exc:
            if exc.code == "gig_full":
                self._set_places(gig, 0)
                return SignupOutcome("full", dataclasses.replace(gig, places_left=0))
            if exc.code == "signup_exists":
                return SignupOutcome("exists", gig)
            if exc.status == 404:
                return SignupOutcome("gone", gig)
            logger.warning("gig sign-up refused: %s %s", exc.status, exc.code)
            return SignupOutcome("offline", gig)
        except PlatformError as exc:
            logger.info("gig sign-up unavailable: %s", type(exc).__name__)
            return SignupOutcome("offline", gig)
        updated = dataclasses.replace(gig, places_left=reply.places_left)
        self._set_places(gig, reply.places_left)
        return SignupOutcome("confirmed", updated, reply.signup_no, reply.places_left,
                             reply.signed_up_at)

    def refresh(self, gig: Vacancy) -> Vacancy | None:
        """The gig as the platform has it now (``GET /v1/vacancies/{id}``: the places left
        across all terminals), the catalog's copy updated when the count moved; ``gig`` itself
        when the platform cannot be asked (offline: the catalog's count is what there is);
        None when the platform says it is gone (taken down, 404). Never raises for platform
        failures."""
        from kiosk.platform.errors import PlatformError, PlatformRejected

        client = self._client()
        if client is None:
            return gig
        try:
            live: Vacancy = client.vacancy(gig.id)
        except PlatformRejected as exc:
            if exc.status == 404:
                return None
            logger.info("gig refresh refused: %s %s", exc.status, exc.code)
            return gig
        except PlatformError as exc:
            logger.info("gig refresh unavailable: %s", type(exc).__name__)
            return gig
        if not live.is_gig:
            return gig
        if live.places_left != gig.places_left:
            self._set_places(gig, live.places_left)
        return dataclasses.replace(gig, places_left=live.places_left)

    def _set_places(self, gig: Vacancy, left: int) -> None:
        if self.catalog is None:
            return
        try:
            self.catalog.upsert([dataclasses.replace(gig, places_left=left)])
        except Exception:  # noqa: BLE001 - the catalog copy is a cache; the next sync repairs it
            logger.warning("catalog copy of a gig not updated")

    def next_gigs(self, full: Vacancy, window: str = "today", limit: int = 5,
                  within_km: float | None = None) -> list[Any]:
        """Other gigs of the same day window with places left, nearest first (``SearchHit``s)."""
        if self.catalog is None:
            return []
        from kiosk.services.catalog import SearchFilters, gig_dates

        first, last = gig_dates(window, self.today())
        result = self.catalog.search("", SearchFilters(kind="gig", work_date_from=first,
                                                       work_date_to=last, within_km=within_km),
                                     limit=limit + 10, origin=self.catalog.origin)
        hits = [h for h in result.items if h.vacancy.id != full.id and h.vacancy.places_left > 0]
        return hits[:limit]


__all__ = ["GigSignupService", "SignupOutcome", "MESSAGES"]
