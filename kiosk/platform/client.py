"""The platform API client (``docs/openapi.yaml``, /v1) over one :class:`requests.Session`.

Transport rules (pip's ``PipSession`` pattern):

* every request has a ``(connect, read)`` timeout in seconds and is HMAC-signed
  (:mod:`kiosk.platform.signing`, a fresh nonce per request);
* urllib3 :class:`Retry` retries **GET/HEAD only**: connect failures (2) and 429/502/503/504
  answers (3), honouring ``Retry-After`` (capped at ``retry_after_max_s``), else exponential
  backoff (``backoff_factor`` × 2^n s). Read errors are not retried: the server may already have
  consumed that request's nonce, so a resend must be signed afresh by the caller's next cycle.
  **POST is never retried automatically**; writes go through the outbox, which resends with the
  same ``Idempotency-Key``;
* TLS verification is on unless ``verify=False``; a CA bundle path may be given instead;
* failures become :mod:`kiosk.platform.errors` (see there which one when); 2xx bodies are
  validated into :mod:`kiosk.platform.models` (a mismatch is ``PlatformBadResponse``).

Nothing personal is logged: only method, path template, status and milliseconds.

Building a client imports neither requests nor the wire models (issue 23: ~180 ms of the
start-up worker on 2 × AMD EPYC): the session (:mod:`kiosk.platform.transport`) is opened by
the first request and each wire module is imported when a method first needs it
(:mod:`kiosk.deferred_import`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar
from collections.abc import Callable, Mapping
from urllib.parse import quote, urlsplit

from kiosk import __version__
from kiosk.deferred_import import deferred_module
from kiosk.domain.fairs import Fair
from kiosk.domain.vacancy import Vacancy
from kiosk.platform.credentials import load_device_secret, secret_path
from kiosk.platform.errors import (PlatformAuthError, PlatformBadResponse, PlatformError,
                                   PlatformRejected, PlatformRetryAfter, PlatformUnavailable)
from kiosk.platform.wire_formats import id_number_hash, parse_iso
from kiosk.settings import Settings

if TYPE_CHECKING:  # the HTTP stack and the wire models: imported by the first request (issue 23)
    import requests
    from pydantic import BaseModel

    from kiosk.platform import eid_wire, fair_wire, guidance_wire, handoff_wire, models, transport
else:
    eid_wire = deferred_module("kiosk.platform.eid_wire")
    fair_wire = deferred_module("kiosk.platform.fair_wire")
    guidance_wire = deferred_module("kiosk.platform.guidance_wire")
    handoff_wire = deferred_module("kiosk.platform.handoff_wire")
    models = deferred_module("kiosk.platform.models")
    transport = deferred_module("kiosk.platform.transport")

log = logging.getLogger(__name__)
M = TypeVar("M", bound="BaseModel")
#: Answers whose ``Retry-After`` becomes :class:`PlatformRetryAfter` (RFC 9110 §10.2.3).
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_s(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: delay-seconds (``"120"``) or an HTTP-date
    (``"Tue, 01 Dec 2026 08:00:00 GMT"``, against ``now`` in Unix seconds; a past date is 0).
    ``None`` when absent or malformed (then the caller's own backoff applies)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    from email.utils import parsedate_to_datetime  # ~15 ms: only when an answer asks to wait

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class PlatformClient:
    """Typed access to the platform API for one terminal.

    Args:
        base_url: the API root including ``/v1``, e.g. ``https://jy.example.gov.cn/kiosk/v1``.
        terminal_id: this terminal's id (``[station].terminal_id``).
        secret: the device secret (32 bytes, :mod:`kiosk.platform.credentials`).
        connect_timeout_s, read_timeout_s: per-request timeouts in seconds.
        verify: True (system/certifi CAs), False (never in production) or a CA bundle path.
        retries: GET status retries (connect retries are ``min(retries, 2)``).
        backoff_factor: seconds; waits are 0, 2×, 4× … this between GET retries.
        retry_after_max_s: the longest ``Retry-After`` honoured, in seconds.
        clock: local time in Unix seconds (tests pass a skewed one).

    Attributes:
        clock_offset_s: seconds added to the local clock when signing; set it to :meth:`ping`'s
            result to work with a kiosk whose clock is off by more than 300 s.
    """

    def __init__(self, base_url: str, terminal_id: str, secret: bytes,
                 connect_timeout_s: float = 3.05, read_timeout_s: float = 10.0,
                 verify: bool | str = True, *, retries: int = 3, backoff_factor: float = 0.5,
                 retry_after_max_s: int = 30, pool_maxsize: int = 4,
                 clock: Callable[[], float] = time.time) -> None:
        self.base_url = base_url.rstrip("/")
        self.terminal_id = terminal_id
        self.timeout = (connect_timeout_s, read_timeout_s)
        self._secret = secret
        self._verify = verify
        self._clock = clock
        self._offset_s = 0.0
        self._retries, self._backoff_factor = retries, backoff_factor
        self._retry_after_max_s, self._pool_maxsize = retry_after_max_s, pool_maxsize
        self._session: requests.Session | None = None
        self._session_lock = threading.Lock()
        self._station: models.StationInfo | None = None

    @property
    def session(self) -> requests.Session:
        """The HTTP session (:func:`kiosk.platform.transport.open_session`), opened by the first
        request: building the client imports neither requests nor the wire models."""
        with self._session_lock:
            if self._session is None:
                auth = transport.HmacAuth(self.terminal_id, self._secret, self._signing_time)
                self._session = transport.open_session(
                    auth, self._verify, f"gd-employment-kiosk/{__version__}",
                    retries=self._retries, backoff_factor=self._backoff_factor,
                    retry_after_max_s=self._retry_after_max_s, pool_maxsize=self._pool_maxsize)
            return self._session

    def _signing_time(self) -> float:
        return self._clock() + self._offset_s

    @property
    def device_secret(self) -> bytes:
        """The terminal's HMAC secret (also makes referral verification tokens; never log it)."""
        return self._secret

    @property
    def clock_offset_s(self) -> float:
        return self._offset_s

    @clock_offset_s.setter
    def clock_offset_s(self, value: float) -> None:
        self._offset_s = float(value)

    def close(self) -> None:
        with self._session_lock:
            if self._session is not None:
                self._session.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transport -------------------------------------------------------------------------------
    def _request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                 payload: dict[str, Any] | None = None, headers: Mapping[str, str] | None = None,
                 signed: bool = True) -> requests.Response:
        url = self.base_url + path
        hdrs = dict(headers or {})
        data = None
        if payload is not None:
            data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        start = time.monotonic()
        resp = transport.send(self.session, method, url, f"{method} {path}", params=params,
                              data=data, headers=hdrs, timeout=self.timeout, signed=signed)
        log.debug("%s %s -> %d in %.0f ms", method, path.split("?")[0], resp.status_code,
                  (time.monotonic() - start) * 1000)
        status = resp.status_code
        if 200 <= status < 300 or status == 304:
            return resp
        code, detail = transport.problem(resp)
        if status in (401, 403):
            raise PlatformAuthError(status, code, detail)
        if status in RETRY_AFTER_STATUSES:
            delay = retry_after_s(resp.headers.get("Retry-After"), self._clock())
            if delay is not None:
                raise PlatformRetryAfter(f"{method} {path}: {status} {code}, retry after "
                                         f"{delay:.0f} s", status=status, retry_after_s=delay)
        if status == 429 or status >= 500:
            raise PlatformUnavailable(f"{method} {path}: {status} {code}", status=status)
        if 400 <= status < 500:
            raise PlatformRejected(status, code, detail)
        raise PlatformBadResponse(f"{method} {path}: unexpected status {status}", status=status)

    @staticmethod
    def _parse(model: type[M], resp: requests.Response) -> M:
        from pydantic import ValidationError

        try:
            return model.model_validate_json(resp.content)
        except ValidationError as exc:
            fields = sorted({".".join(map(str, e["loc"])) or "<body>" for e in exc.errors()})
            raise PlatformBadResponse(
                f"{resp.request.method} {urlsplit(resp.url).path}: body does not match "
                f"{model.__name__} ({', '.join(fields[:5])})", status=resp.status_code) from exc

    def _post(self, model: type[M], path: str, payload: dict[str, Any],
              idempotency_key: str | None) -> M:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return self._parse(model, self._request("POST", path, payload=payload, headers=headers))

    # --- resources -------------------------------------------------------------------------------
    def ping(self) -> float:
        """Clock skew in seconds (server minus local; positive = local clock is behind).

        Unsigned, so it works when the local clock is off by more than the 300 s signature window.
        """
        before = self._clock()
        reply = self._parse(models.PingReply, self._request("GET", "/ping", signed=False))
        after = self._clock()
        try:
            server = parse_iso(reply.server_time).timestamp()
        except ValueError as exc:
            raise PlatformBadResponse("ping: server_time is not ISO 8601") from exc
        return server - (before + after) / 2.0

    def station(self) -> models.StationInfo:
        """This terminal's station, the verification URL template and the lookup salt."""
        self._station = self._parse(models.StationInfo, self._request("GET", "/station"))
        return self._station

    def vacancy_changes(self, updated_since: str | None = None, cursor: str | None = None,
                        etag: str | None = None, limit: int | None = None) -> models.VacancyPage:
        """One page of the delta sync (``GET /v1/vacancies``).

        Start with ``updated_since`` = the ``server_time`` of the last finished sync (None for a
        full sync) and ``etag`` = that sync's ETag; follow ``next_cursor`` until it is None.
        ``If-None-Match`` is sent only on the first page (no cursor); a 304 gives
        ``not_modified=True`` and no items.
        """
        params: dict[str, Any] = {}
        if updated_since:
            params["updated_since"] = updated_since
        if cursor:
            params["cursor"] = cursor
        if limit:
            params["limit"] = limit
        headers = {"If-None-Match": etag} if etag and not cursor else None
        resp = self._request("GET", "/vacancies", params=params, headers=headers)
        if resp.status_code == 304:
            return models.VacancyPage(items=[], deleted_ids=[], next_cursor=None,
                                      server_time=resp.headers.get("X-Server-Time", ""),
                                      etag=resp.headers.get("ETag", etag), not_modified=True)
        body = self._parse(models.VacancyListWire, resp)
        return models.VacancyPage(items=[models.vacancy_from_wire(w) for w in body.items],
                                  deleted_ids=list(body.deleted_ids),
                                  next_cursor=body.next_cursor, server_time=body.server_time,
                                  etag=resp.headers.get("ETag"), not_modified=False)

    def vacancy(self, vacancy_id: str) -> Vacancy:
        """One vacancy. Raises PlatformRejected(404, "vacancy_not_found") when closed/unknown."""
        resp = self._request("GET", "/vacancies/" + quote(vacancy_id, safe=""))
        return models.vacancy_from_wire(self._parse(models.JobPostingWire, resp))

    def lookup_jobseeker(self, id_number: str) -> models.LookupResult:
        """Whether this ID number is registered (已登记). Only the salted hash is sent."""
        salt = (self._station or self.station()).lookup_salt
        resp = self._request("GET", "/jobseekers/lookup",
                             params={"id_number_hash": id_number_hash(salt, id_number)})
        return self._parse(models.LookupResult, resp)

    def register_jobseeker(self, payload: dict[str, Any], idempotency_key: str
                           ) -> models.RegistrationResult:
        """求职登记 (``RegistrationRequest`` body, see :mod:`kiosk.platform.submissions`)."""
        return self._post(models.RegistrationResult, "/jobseekers/registrations", payload,
                          idempotency_key)

    def create_referral(self, payload: dict[str, Any], idempotency_key: str
                        ) -> models.ReferralResult:
        """Deliver a referral (``ReferralRequest`` body; the kiosk made ``referral_id``)."""
        return self._post(models.ReferralResult, "/referrals", payload, idempotency_key)

    def referral_status(self, referral_id: str) -> models.ReferralStatus:
        """Whether the employer confirmed the interview. PlatformRejected(404) if not received."""
        return self._parse(models.ReferralStatus,
                           self._request("GET", "/referrals/" + quote(referral_id, safe="")))

    def policies(self) -> list[models.Policy]:
        return list(self._parse(models.PolicyListWire, self._request("GET", "/policies")).items)

    def courses(self) -> list[models.Course]:
        return list(self._parse(models.CourseListWire, self._request("GET", "/courses")).items)

    def create_assistance_request(self, payload: dict[str, Any], idempotency_key: str
                                  ) -> models.AssistanceTicket:
        """失业登记 / 就业困难人员认定 / 补贴申领 / 职业指导预约 → a ticket number."""
        return self._post(models.AssistanceTicket, "/assistance-requests", payload, idempotency_key)

    def application_prefill(self, id_number: str) -> models.ApplicationPrefill:
        """What the platform knows to prefill 失业登记 / 灵活就业登记 / 认定 (only the salted hash
        of ``id_number`` is sent)."""
        salt = (self._station or self.station()).lookup_salt
        resp = self._request("GET", "/applications/prefill",
                             params={"id_number_hash": id_number_hash(salt, id_number)})
        return self._parse(models.ApplicationPrefill, resp)

    def submit_application(self, payload: dict[str, Any], idempotency_key: str
                           ) -> models.Application:
        """Submit an ``ApplicationRequest`` (201 new; 200 the person's open one of that kind).
        A refusal by the office is a state (``not_accepted`` with ``reason``), not an error."""
        return self._post(models.Application, "/applications", payload, idempotency_key)

    def application(self, application_no: str) -> models.Application:
        """One application's state. Raises PlatformRejected(404, "application_not_found")."""
        return self._parse(models.Application, self._request(
            "GET", "/applications/" + quote(application_no, safe="")))

    def applications_of(self, id_number: str) -> list[models.Application]:
        """The person's applications, newest first (only the salted hash is sent)."""
        salt = (self._station or self.station()).lookup_salt
        resp = self._request("GET", "/applications",
                             params={"id_number_hash": id_number_hash(salt, id_number)})
        return list(self._parse(models.ApplicationList, resp).items)

    def submit_rating(self, payload: dict[str, Any], idempotency_key: str) -> models.RatingResult:
        """好差评 (``RatingRequest`` body); a 差评 comes back with its ``work_order``.

        Raises PlatformRejected(404, "transaction_not_found") for a transaction the platform
        does not know, (409, "rating_exists") when it was rated already.
        """
        return self._post(models.RatingResult, "/ratings", payload, idempotency_key)

    # --- 招聘会 (docs/fairs.md) -------------------------------------------------------------------
    def fairs(self, etag: str | None = None) -> fair_wire.FairPage:
        """Every fair not over (``GET /v1/fairs``); ``not_modified`` on a 304 to ``etag``."""
        headers = {"If-None-Match": etag} if etag else None
        resp = self._request("GET", "/fairs", headers=headers)
        if resp.status_code == 304:
            return fair_wire.FairPage([], resp.headers.get("X-Server-Time", ""),
                                      resp.headers.get("ETag", etag), True)
        body = self._parse(fair_wire.FairListWire, resp)
        try:
            items = [fair_wire.fair_from_wire(w) for w in body.items]
        except ValueError as exc:
            raise PlatformBadResponse("GET /fairs: a time is not ISO 8601") from exc
        return fair_wire.FairPage(items, body.server_time, resp.headers.get("ETag"), False)

    def fair(self, fair_id: str) -> Fair:
        """One fair. Raises PlatformRejected(404, "fair_not_found")."""
        wire = self._parse(fair_wire.FairWire,
                           self._request("GET", "/fairs/" + quote(fair_id, safe="")))
        try:
            return fair_wire.fair_from_wire(wire)
        except ValueError as exc:
            raise PlatformBadResponse("GET /fairs/{fair_id}: a time is not ISO 8601") from exc

    def sign_up_for_fair(self, fair_id: str, payload: dict[str, Any], idempotency_key: str
                         ) -> fair_wire.FairSignup:
        """A jobseeker's sign-up (``FairSignupRequest`` body) → the 报到码.

        Raises PlatformRejected(409, "fair_full" | "fair_past" | "fair_cancelled"),
        (404, "fair_not_found").
        """
        return self._post(fair_wire.FairSignup, f"/fairs/{quote(fair_id, safe='')}/signups",
                          payload, idempotency_key)

    def check_in_at_fair(self, fair_id: str, payload: dict[str, Any]) -> fair_wire.FairCheckin:
        """Check in with the scanned token, a short code or the card's ``id_number_hash``.

        Raises PlatformRejected(404, "signup_not_found"), (409, "checkin_too_early" |
        "checkin_too_late" | "fair_cancelled"), (404, "fair_not_found").
        """
        return self._post(fair_wire.FairCheckin, f"/fairs/{quote(fair_id, safe='')}/check-ins",
                          payload, None)

    def check_in_at_fair_by_card(self, fair_id: str, id_number: str) -> fair_wire.FairCheckin:
        """:meth:`check_in_at_fair` for the card laid on the reader: only the salted
        ``id_number_hash`` is sent (as for :meth:`lookup_jobseeker`)."""
        salt = (self._station or self.station()).lookup_salt
        return self.check_in_at_fair(fair_id, {"id_number_hash": id_number_hash(salt, id_number)})

    def book_booth(self, fair_id: str, payload: dict[str, Any], idempotency_key: str
                   ) -> fair_wire.BoothBooking:
        """An employer books a booth (``BoothBookingRequest`` body).

        Raises PlatformRejected(409, "booth_exists" | "booths_full" | "bookings_closed" |
        "booking_deadline_passed" | "fair_past" | "fair_cancelled"), (404, "fair_not_found").
        """
        return self._post(fair_wire.BoothBooking, f"/fairs/{quote(fair_id, safe='')}/booths",
                          payload, idempotency_key)

    def cancel_booth(self, fair_id: str, booking_id: str) -> fair_wire.BoothBooking:
        """Cancel a booking (its terminal only). Raises PlatformRejected(409,
        "cancellation_deadline_passed"), (404, "booking_not_found")."""
        path = f"/fairs/{quote(fair_id, safe='')}/booths/{quote(booking_id, safe='')}"
        return self._parse(fair_wire.BoothBooking, self._request("DELETE", path))

    # --- 职业指导 (docs/guidance.md) ------------------------------------------------------------
    def adviser_slots(self, etag: str | None = None) -> guidance_wire.SlotPage:
        """The station's adviser slots not over (``GET /v1/guidance/slots``); ``not_modified``
        on a 304 to ``etag``."""
        headers = {"If-None-Match": etag} if etag else None
        resp = self._request("GET", "/guidance/slots", headers=headers)
        if resp.status_code == 304:
            return guidance_wire.SlotPage([], resp.headers.get("X-Server-Time", ""),
                                          resp.headers.get("ETag", etag), True)
        body = self._parse(guidance_wire.AdviserSlotListWire, resp)
        try:
            items = [guidance_wire.slot_from_wire(w) for w in body.items]
        except ValueError as exc:
            raise PlatformBadResponse("GET /guidance/slots: a time is not ISO 8601") from exc
        return guidance_wire.SlotPage(items, body.server_time, resp.headers.get("ETag"), False)

    def book_adviser_slot(self, slot_id: str, payload: dict[str, Any], idempotency_key: str
                          ) -> guidance_wire.GuidanceBooking:
        """Book a slot (``GuidanceBookingRequest`` body: ``jobseeker``, ``consent``).

        Raises PlatformRejected(409, "slot_full" | "slot_closed" | "slot_cancelled"),
        (404, "slot_not_found").
        """
        return self._post(guidance_wire.GuidanceBooking,
                          f"/guidance/slots/{quote(slot_id, safe='')}/bookings", payload,
                          idempotency_key)

    def guidance_bookings_of(self, id_number: str) -> list[guidance_wire.GuidanceBooking]:
        """The person's bookings not over, soonest first (only the salted hash is sent)."""
        salt = (self._station or self.station()).lookup_salt
        resp = self._request("GET", "/guidance/bookings",
                             params={"id_number_hash": id_number_hash(salt, id_number)})
        return list(self._parse(guidance_wire.GuidanceBookingList, resp).items)

    def cancel_guidance_booking(self, booking_no: str, id_number: str
                                ) -> guidance_wire.GuidanceBooking:
        """Cancel the person's booking (proved by the salted hash of the card read again).

        Raises PlatformRejected(404, "booking_not_found"), (409, "cancellation_too_late").
        """
        salt = (self._station or self.station()).lookup_salt
        return self._post(guidance_wire.GuidanceBooking,
                          f"/guidance/bookings/{quote(booking_no, safe='')}/cancellation",
                          {"id_number_hash": id_number_hash(salt, id_number)}, None)

    def share_resume(self, payload: dict[str, Any], idempotency_key: str | None = None
                     ) -> guidance_wire.ResumeShare:
        """Store the résumé as printed (``ResumeShareRequest`` body) → the phone's PDF link."""
        return self._post(guidance_wire.ResumeShare, "/resumes", payload, idempotency_key)

    # --- long free text from the phone --------------------------------------------------------------
    def create_text_handoff(self, purpose: str, max_chars: int, prompt: str = ""
                            ) -> handoff_wire.TextHandoff:
        """A link for the phone's form (shown as a QR code until ``expires_at``) that takes one
        text of at most ``max_chars`` characters; ``prompt`` is shown above the form.

        Raises PlatformRejected(422, "invalid_request") for an unknown ``purpose`` or a
        ``max_chars`` outside 1–2000; PlatformUnavailable after the (connect, read) timeouts.
        """
        return self._post(handoff_wire.TextHandoff, "/text-handoffs",
                          {"purpose": purpose, "max_chars": max_chars, "prompt": prompt}, None)

    def text_handoff(self, handoff_id: str) -> handoff_wire.TextHandoffState:
        """The hand-off's state (``waiting`` / ``received`` with ``text`` / ``expired``).
        Raises PlatformRejected(404, "handoff_not_found") (unknown, or another terminal's)."""
        return self._parse(handoff_wire.TextHandoffState, self._request(
            "GET", "/text-handoffs/" + quote(handoff_id, safe="")))

    # --- 居民身份电子凭证 login ----------------------------------------------------------------------
    def start_eid_session(self) -> eid_wire.EidSession:
        """A QR for the person's e-ID app to scan, bound to this terminal."""
        return self._parse(eid_wire.EidSession, self._request("POST", "/eid/sessions"))

    def eid_session(self, session_id: str) -> eid_wire.EidSessionStatus:
        """The session's state; ``identity`` is in the one ``approved`` answer (then ``consumed``).
        Raises PlatformRejected(404, "eid_session_not_found") (unknown or another terminal's)."""
        return self._parse(eid_wire.EidSessionStatus,
                           self._request("GET", "/eid/sessions/" + quote(session_id, safe="")))

    def verify_eid_code(self, code: str) -> eid_wire.EidVerification:
        """The identity behind a code the phone showed. Raises PlatformRejected(410,
        "eid_code_used" | "eid_code_expired"), (404, "eid_code_unknown")."""
        return self._post(eid_wire.EidVerification, "/eid/verifications", {"code": code}, None)

    def submit_posting(self, payload: dict[str, Any], idempotency_key: str
                       ) -> models.PostingReceipt:
        """An employer's posting for audit (``PostingRequest`` body); 待审核 on success.

        Raises PlatformRejected(422, "credit_code_invalid"), (409, "posting_duplicate"),
        (409, "posting_limit_reached").
        """
        return self._post(models.PostingReceipt, "/employer-postings", payload, idempotency_key)

    def postings_of(self, id_number: str) -> list[models.PostingStatus]:
        """The postings the handler with this ID number submitted (only the salted hash is
        sent), newest first, with their audit states."""
        salt = (self._station or self.station()).lookup_salt
        resp = self._request("GET", "/employer-postings",
                             params={"handler_hash": id_number_hash(salt, id_number)})
        return list(self._parse(models.PostingListWire, resp).items)

    def posting(self, posting_no: str) -> models.PostingStatus:
        """One posting's state. Raises PlatformRejected(404, "posting_not_found")."""
        return self._parse(models.PostingStatus, self._request(
            "GET", "/employer-postings/" + quote(posting_no, safe="")))

    def sign_up_for_gig(self, vacancy_id: str, payload: dict[str, Any],
                        idempotency_key: str) -> models.GigSignup:
        """零工报名 (``GigSignupRequest`` body) — online only: the answer decides the slip.

        Raises PlatformRejected(409, "gig_full"), (409, "signup_exists"),
        (404, "vacancy_not_found").
        """
        return self._post(models.GigSignup, "/vacancies/" + quote(vacancy_id, safe="") + "/signups",
                          payload, idempotency_key)

    def heartbeat(self, payload: dict[str, Any]) -> models.HeartbeatReply:
        """Report terminal status; the reply may carry settings ("section.key") and notices."""
        return self._post(models.HeartbeatReply, "/devices/heartbeat", payload, None)


#: What the client's first requests import: the HTTP stack and every wire module (:func:`preload`).
DEFERRED_MODULES = ("kiosk.platform.transport", "kiosk.platform.models",
                    "kiosk.platform.submissions", "kiosk.platform.fair_wire",
                    "kiosk.platform.guidance_wire", "kiosk.platform.eid_wire",
                    "kiosk.platform.handoff_wire")


def preload() -> None:
    """Import :data:`DEFERRED_MODULES` now (~190 ms of CPU on 2 × AMD EPYC, 2026-12-02), so that
    no first use pays it on the UI thread: ``Services.start`` runs this in the background once
    every service button works. Importing is thread-safe; a thread that needs one of them
    meanwhile waits for it. Raises ImportError only for a broken installation."""
    import importlib

    for name in DEFERRED_MODULES:
        importlib.import_module(name)


def build_client(settings: Settings, base_url: str | None = None) -> PlatformClient:
    """The client configured from ``[platform]`` and ``[station]``.

    Args:
        base_url: overrides ``platform.base_url`` (pass the embedded sandbox's ``base_url``).

    Raises:
        PlatformError: ``base_url`` is "embedded" and none was given.
        DeviceSecretError: the secret file is missing or malformed.
    """
    url = base_url or settings.platform.base_url
    if url == "embedded":
        raise PlatformError("platform.base_url is 'embedded': start the embedded sandbox and "
                            "pass its base_url")
    p = settings.platform
    verify: bool | str = str(settings.resolve(p.ca_bundle)) if p.ca_bundle else p.verify_tls
    return PlatformClient(url, settings.station.terminal_id,
                          load_device_secret(secret_path(settings)),
                          p.connect_timeout_s, p.read_timeout_s, verify)
