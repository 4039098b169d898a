"""职业指导 on the wire (``docs/openapi.yaml``: ``AdviserSlot``, ``GuidanceBooking``,
``ResumeShareRequest`` …): pydantic models of what the client parses and the sandbox validates,
and the mapping to :class:`~kiosk.domain.guidance.AdviserSlot`.

Times are RFC 3339 (UTC, ``…Z``); responses ignore unknown fields, requests refuse them.
A résumé sent for the phone hand-off carries only what is on the paper: there is **no** ID
number field at all, and the name and phone are present only when the person ticked them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from kiosk.domain.guidance import AdviserSlot
from kiosk.platform.wire_formats import iso, parse_iso
from kiosk.platform.submissions import PHONE, Consent, JsonInt
from kiosk.platform.wire_base import WireRequest, WireResponse

SLOT_ID = r"^[A-Za-z0-9_-]{1,64}$"
BOOKING_NO = r"^[A-Z0-9][A-Z0-9-]{0,63}$"
HASH = r"^[0-9a-f]{64}$"
#: one entry of a list on the résumé (a skill, a certificate, a job or place name)
Item = Annotated[str, Field(min_length=1, max_length=40)]


class AdviserSlotWire(WireResponse):
    """One adviser slot (``AdviserSlot`` in the contract)."""
    id: str = Field(pattern=SLOT_ID)
    starts_at: str
    ends_at: str
    adviser: str = Field(min_length=1)
    desk: str = Field(min_length=1)
    topic: str = ""
    capacity: int = Field(ge=1)
    booked: int = Field(ge=0)
    bookable_until: str
    cancellable_until: str
    cancelled: bool = False
    updated_at: str


class AdviserSlotListWire(WireResponse):
    """Body of ``GET /v1/guidance/slots``."""
    items: list[AdviserSlotWire]
    server_time: str


@dataclass(frozen=True)
class SlotPage:
    """``GET /v1/guidance/slots`` as the client returns it (``not_modified`` after a 304: then
    ``items`` is empty and the caller keeps its copy)."""
    items: list[AdviserSlot]
    server_time: str
    etag: str | None
    not_modified: bool = False


def slot_from_wire(w: AdviserSlotWire) -> AdviserSlot:
    """The domain slot. Raises ValueError for a time that is not ISO 8601."""
    return AdviserSlot(id=w.id, starts_at=parse_iso(w.starts_at), ends_at=parse_iso(w.ends_at),
                       adviser=w.adviser, desk=w.desk, topic=w.topic, capacity=w.capacity,
                       booked=w.booked, bookable_until=parse_iso(w.bookable_until),
                       cancellable_until=parse_iso(w.cancellable_until), cancelled=w.cancelled,
                       updated_at=w.updated_at)


def slot_to_wire(s: AdviserSlot) -> dict[str, object]:
    """The JSON object of a slot (the sandbox serves these; the kiosk's slot table keeps them)."""
    return {"id": s.id, "starts_at": iso(s.starts_at), "ends_at": iso(s.ends_at),
            "adviser": s.adviser, "desk": s.desk, "topic": s.topic, "capacity": s.capacity,
            "booked": s.booked, "bookable_until": iso(s.bookable_until),
            "cancellable_until": iso(s.cancellable_until), "cancelled": s.cancelled,
            "updated_at": s.updated_at}


class GuidanceJobseeker(WireRequest):
    """Who books (from the card or the e-ID); the platform keeps the salted hash and the
    masked name only."""
    id_number: str = Field(pattern=r"^[0-9A-Z]{15,18}$")
    name: str = Field(min_length=1, max_length=120)
    phone: str = Field(default="", pattern=PHONE + r"|^$")


class GuidanceBookingRequest(WireRequest):
    """``POST /v1/guidance/slots/{slot_id}/bookings``."""
    jobseeker: GuidanceJobseeker
    consent: Consent


class GuidanceBooking(WireResponse):
    """A booking: 201 ``booked``, 200 ``already_booked`` (this person had booked this slot: the
    same booking again), ``cancelled`` after a cancellation."""
    booking_no: str = Field(pattern=BOOKING_NO)
    slot: AdviserSlotWire
    status: Literal["booked", "already_booked", "cancelled"]
    booked_at: str
    cancelled_at: str | None = None
    name_masked: str = ""


class GuidanceBookingList(WireResponse):
    """``GET /v1/guidance/bookings``: the person's bookings not over yet, soonest first."""
    items: list[GuidanceBooking]


class GuidanceCancelRequest(WireRequest):
    """``POST /v1/guidance/bookings/{booking_no}/cancellation``: the person proves it is theirs
    by the card laid on the reader again (the salted hash, never the number)."""
    id_number_hash: str = Field(pattern=HASH)


# --- the résumé for the phone ------------------------------------------------------------------

class ResumePastJob(WireRequest):
    job: str = Field(min_length=1, max_length=40)
    years: float = Field(ge=0, le=60)


class ResumePerson(WireRequest):
    """The personal block as printed: ``name`` / ``phone`` only when ticked; no ID number."""
    name: str = Field(default="", max_length=120)
    phone: str = Field(default="", pattern=PHONE + r"|^$")
    gender: Literal["女", "男", ""] = ""
    age: JsonInt | None = Field(default=None, ge=14, le=120)
    education: str = Field(default="", max_length=40)
    residence: str = Field(default="", max_length=80)


class ResumeWanted(WireRequest):
    jobs: list[Item] = Field(default=[], max_length=10)
    places: list[Item] = Field(default=[], max_length=10)
    employment_type: str = Field(default="", max_length=20)
    salary: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=200)


class ResumeShareRequest(WireRequest):
    """``POST /v1/resumes``: the résumé exactly as on the paper (texts, not codes), for a PDF
    the phone opens from the QR."""
    station_name: str = Field(min_length=1, max_length=120)
    created_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    person: ResumePerson
    past_jobs: list[ResumePastJob] = Field(default=[], max_length=10)
    skills: list[Item] = Field(default=[], max_length=10)
    certificates: list[Item] = Field(default=[], max_length=10)
    wanted: ResumeWanted = ResumeWanted()
    self_intro: str = Field(default="", max_length=200)


class ResumeShare(WireResponse):
    """The phone link: ``url`` opens the PDF (no login; 128-bit token) until ``expires_at``."""
    resume_id: str
    url: str
    expires_at: str


__all__ = ["AdviserSlotListWire", "AdviserSlotWire", "GuidanceBooking", "GuidanceBookingList",
           "GuidanceBookingRequest", "GuidanceCancelRequest", "GuidanceJobseeker",
           "ResumeShare", "ResumeShareRequest", "SlotPage", "slot_from_wire", "slot_to_wire"]
