"""The 招聘会 resources on the wire (``docs/openapi.yaml``: ``Fair``, ``FairList``,
``FairSignupRequest`` …): pydantic models of the responses the client parses and of the request
bodies the sandbox validates, and the mapping to the domain :class:`~kiosk.domain.fairs.Fair`.

Times are RFC 3339 in UTC (``…Z``); counts are whole numbers; salaries whole yuan per
``salary_unit``; coordinates WGS-84 degrees. Responses ignore unknown fields (a newer platform
may add some); requests refuse them (``extra="forbid"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from kiosk.domain.fairs import DEFAULT_BRING, Fair, FairEmployer, FairKind, FairPost, Venue
from kiosk.platform.wire_formats import iso, parse_iso
from kiosk.platform.submissions import PHONE, Consent, JsonInt
from kiosk.platform.wire_base import WireRequest, WireResponse

FAIR_ID = r"^[A-Za-z0-9_-]{1,64}$"
FairKindWire = Literal["general", "specialised", "community", "livestream"]
CREDIT_CODE = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"   # GB 32100-2015 shape


class VenueWire(WireResponse):
    name: str
    address: str
    division_code: str = Field(default="", pattern=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})?$")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class FairPostWire(WireResponse):
    vacancy_id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1)
    openings: int = Field(default=1, ge=0)
    salary_min: int = Field(default=0, ge=0)
    salary_max: int = Field(default=0, ge=0)
    salary_unit: Literal["MONTH", "DAY", "HOUR", "YEAR"] = "MONTH"


class FairEmployerWire(WireResponse):
    name: str = Field(min_length=1)
    credit_code: str = ""
    booth: str = ""
    posts: list[FairPostWire] = []


class FairWire(WireResponse):
    """One 招聘会 (``Fair`` in the contract)."""
    id: str = Field(pattern=FAIR_ID)
    title: str = Field(min_length=1)
    kind: FairKindWire
    starts_at: str
    ends_at: str
    venue: VenueWire
    organiser: str
    capacity: int = Field(ge=0)
    signed_up: int = Field(ge=0)
    booths: int = Field(ge=0)
    booths_booked: int = Field(ge=0)
    bookings_open: bool
    booking_deadline: str | None = None
    cancellation_deadline: str | None = None
    cancelled: bool = False
    employers: list[FairEmployerWire] = []
    bring: list[str] = []
    live_url: str = ""
    updated_at: str


class FairListWire(WireResponse):
    """Body of ``GET /v1/fairs``: every fair not yet over (and those ended in the last 7 days)."""
    items: list[FairWire]
    server_time: str


@dataclass(frozen=True)
class FairPage:
    """``GET /v1/fairs`` as the client returns it: ``not_modified`` after a 304 (then ``items``
    is empty and the caller keeps its fairs)."""
    items: list[Fair]
    server_time: str
    etag: str | None
    not_modified: bool = False


def fair_from_wire(w: FairWire) -> Fair:
    """The domain :class:`Fair`. Raises ValueError for a time that is not ISO 8601."""
    return Fair(
        id=w.id, title=w.title, kind=FairKind(w.kind), starts_at=parse_iso(w.starts_at),
        ends_at=parse_iso(w.ends_at),
        venue=Venue(w.venue.name, w.venue.address, w.venue.division_code, w.venue.latitude,
                    w.venue.longitude),
        organiser=w.organiser, capacity=w.capacity, signed_up=w.signed_up, booths=w.booths,
        booths_booked=w.booths_booked, bookings_open=w.bookings_open,
        booking_deadline=parse_iso(w.booking_deadline) if w.booking_deadline else None,
        cancellation_deadline=(parse_iso(w.cancellation_deadline) if w.cancellation_deadline
                               else None),
        cancelled=w.cancelled,
        employers=tuple(FairEmployer(e.name, e.credit_code, e.booth, tuple(
            FairPost(p.vacancy_id, p.title, p.openings, p.salary_min, p.salary_max, p.salary_unit)
            for p in e.posts)) for e in w.employers),
        bring=tuple(w.bring) or DEFAULT_BRING, live_url=w.live_url, updated_at=w.updated_at)


def fair_to_wire(f: Fair) -> dict[str, object]:
    """The JSON object of a domain :class:`Fair` (the sandbox serves these; the kiosk's fair
    table stores them)."""
    return {
        "id": f.id, "title": f.title, "kind": f.kind.value, "starts_at": iso(f.starts_at),
        "ends_at": iso(f.ends_at),
        "venue": {"name": f.venue.name, "address": f.venue.address,
                  "division_code": f.venue.division_code, "latitude": f.venue.latitude,
                  "longitude": f.venue.longitude},
        "organiser": f.organiser, "capacity": f.capacity, "signed_up": f.signed_up,
        "booths": f.booths, "booths_booked": f.booths_booked, "bookings_open": f.bookings_open,
        "booking_deadline": iso(f.booking_deadline) if f.booking_deadline else None,
        "cancellation_deadline": (iso(f.cancellation_deadline) if f.cancellation_deadline
                                  else None),
        "cancelled": f.cancelled,
        "employers": [{"name": e.name, "credit_code": e.credit_code, "booth": e.booth,
                       "posts": [{"vacancy_id": p.vacancy_id, "title": p.title,
                                  "openings": p.openings, "salary_min": p.salary_min,
                                  "salary_max": p.salary_max, "salary_unit": p.salary_unit}
                                 for p in e.posts]} for e in f.employers],
        "bring": list(f.bring), "live_url": f.live_url, "updated_at": f.updated_at,
    }


# --- sign-up and check-in ------------------------------------------------------------------------

class FairJobseeker(WireRequest):
    """Who signs up (from the card or the e-ID): the platform binds the 报到码 to this person."""
    id_number: str = Field(pattern=r"^[0-9A-Z]{15,18}$")
    name: str = Field(min_length=1, max_length=120)
    phone: str = Field(default="", pattern=PHONE + r"|^$")


class FairSignupRequest(WireRequest):
    """``POST /v1/fairs/{fair_id}/signups``."""
    jobseeker: FairJobseeker
    consent: Consent


class FairSignup(WireResponse):
    """The 报到码: ``token`` (26 base32 characters, in the QR) and ``short_code`` (8 characters),
    bound to the fair and the person. 201 new, 200 when this person had signed up already (the
    same code again)."""
    signup_id: str
    fair_id: str
    token: str = Field(pattern=r"^[A-Z2-7]{26}$")
    short_code: str = Field(pattern=r"^[2-9A-HJ-NP-Z]{8}$")
    signed_up_at: str
    status: Literal["signed_up", "already_signed_up"]


class FairCheckinRequest(WireRequest):
    """``POST /v1/fairs/{fair_id}/check-ins``: exactly one of ``token`` (the scanned QR),
    ``short_code`` (typed at a desk) or ``id_number_hash`` (the card laid on the reader; the
    salted hash of ``GET /v1/jobseekers/lookup``)."""
    token: str | None = Field(default=None, pattern=r"^[A-Z2-7]{26}$")
    short_code: str | None = Field(default=None, pattern=r"^[2-9A-HJ-NP-Z]{8}$")
    id_number_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _exactly_one(self) -> FairCheckinRequest:
        given = [v for v in (self.token, self.short_code, self.id_number_hash) if v is not None]
        if len(given) != 1:
            raise ValueError("exactly one of token, short_code, id_number_hash")
        return self


class FairCheckin(WireResponse):
    """A check-in: ``already_checked_in`` when the person had checked in before (same time)."""
    fair_id: str
    status: Literal["checked_in", "already_checked_in"]
    checked_in_at: str
    name_masked: str = ""


# --- booths (employers) --------------------------------------------------------------------------

class BoothBookingRequest(WireRequest):
    """``POST /v1/fairs/{fair_id}/booths``: one booth per employer (统一社会信用代码) per fair."""
    credit_code: str = Field(pattern=CREDIT_CODE)
    employer_name: str = Field(min_length=1, max_length=120)
    contact_phone: str = Field(pattern=PHONE)
    vacancy_ids: list[str] = Field(default=[], max_length=20)
    attendees: JsonInt = Field(default=1, ge=1, le=5)


class BoothBooking(WireResponse):
    """A booked booth; ``cancel_until`` is the organiser's free-cancellation deadline."""
    booking_id: str
    fair_id: str
    booth: str
    status: Literal["booked", "cancelled"]
    booked_at: str
    cancel_until: str


__all__ = ["BoothBooking", "BoothBookingRequest", "FairCheckin", "FairCheckinRequest",
           "FairJobseeker", "FairListWire", "FairSignup", "FairSignupRequest", "FairWire",
           "fair_from_wire", "fair_to_wire"]
