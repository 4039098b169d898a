"""The sandbox's 职业指导 records: the stations' adviser slots, jobseekers' bookings of them, and
the résumés handed to phones.

Rules: :mod:`kiosk.domain.guidance` (the functions the kiosk explains with), applied to the live
counts of this database under the store lock, so two kiosks booking the last place at once
never overbook (the second gets 409 ``slot_full``). **One booking per person per slot**: a
second booking of the same slot by the same person is the first one again (200
``already_booked``). Every method takes ``now`` (aware UTC) so tests pick the moment.

Personal data is minimised as in :mod:`~.casework`: a booking keeps the ID number only as the
contract's salted hash (which is how the person proves the booking is theirs when cancelling:
the card laid on the reader again) and the name masked; a shared résumé keeps only what is on
the paper (no ID number at all) and is deleted when its link expires.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.domain.china_time import to_china
from kiosk.domain.guidance import (AdviserSlot, booking_refusal, cancellation_refusal)
from kiosk.domain.masking import mask_name
from kiosk.platform.guidance_wire import (AdviserSlotWire, GuidanceBookingRequest,
                                          ResumeShareRequest, slot_from_wire, slot_to_wire)
from kiosk.platform.wire_formats import iso, parse_iso
from kiosk.platform.sandbox.store import Store
from kiosk.platform.wire_formats import id_number_hash

SCHEMA = """
CREATE TABLE IF NOT EXISTS guidance_slots (
    id TEXT PRIMARY KEY, starts_at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS guidance_bookings (
    booking_no TEXT PRIMARY KEY, slot_id TEXT NOT NULL, lookup_hash TEXT NOT NULL,
    masked_name TEXT, terminal_id TEXT, booked_at TEXT NOT NULL, cancelled_at TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS guidance_one_per_person_and_slot
    ON guidance_bookings (slot_id, lookup_hash) WHERE cancelled_at IS NULL;
CREATE TABLE IF NOT EXISTS shared_resumes (
    token TEXT PRIMARY KEY, resume_id TEXT UNIQUE NOT NULL, terminal_id TEXT,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, doc TEXT NOT NULL);
"""

#: how long a résumé link works (the sandbox's choice; a real platform sets its own)
RESUME_LINK_TTL = timedelta(hours=24)

#: A problem answer: (HTTP status, problem code, detail).
Problem = tuple[int, str, str]


class GuidanceCasework:
    """Slots, bookings and shared résumés on a :class:`Store`'s connection.

    Args:
        store: the sandbox store (its lock guards every statement).
        salt: the platform's ``lookup_salt``.
        clock: the time now for the routes (aware UTC; tests replace it).
    """

    def __init__(self, store: Store, salt: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.salt = salt
        self.clock = clock
        with store.lock:
            store.db.executescript(SCHEMA)

    # --- slots ---------------------------------------------------------------------------------
    def put_slots(self, slots: list[AdviserSlot]) -> int:
        """Add or replace slots (seed, tests); ``booked`` in them counts bookings made elsewhere."""
        with self.store.lock:
            self.store.db.executemany(
                "INSERT OR REPLACE INTO guidance_slots VALUES (?, ?, ?)",
                [(s.id, iso(s.starts_at), json.dumps(slot_to_wire(
                    replace(s, updated_at=s.updated_at or self.store.stamp())),
                    ensure_ascii=False)) for s in slots])
            self.store.db.commit()
        return len(slots)

    def slot(self, slot_id: str) -> AdviserSlot | None:
        """The slot with its live count, or None."""
        with self.store.lock:
            row = self.store.db.execute("SELECT doc FROM guidance_slots WHERE id = ?",
                                        (slot_id,)).fetchone()
            return None if row is None else self._live(row[0])

    def slots(self, now: datetime) -> list[AdviserSlot]:
        """Every slot not over at ``now`` (soonest first), with live counts."""
        with self.store.lock:
            rows = self.store.db.execute(
                "SELECT doc FROM guidance_slots ORDER BY starts_at, id").fetchall()
            slots = [self._live(doc) for (doc,) in rows]
        return [s for s in slots if s.ends_at > now]

    def etag(self, now: datetime) -> str:
        """Changes with any slot, count, or the set of slots not over."""
        body = json.dumps([slot_to_wire(s) for s in self.slots(now)], ensure_ascii=False)
        return '"slots-' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'

    def _live(self, doc: str) -> AdviserSlot:
        slot = slot_from_wire(AdviserSlotWire.model_validate_json(doc))
        n = self.store.db.execute("SELECT COUNT(*) FROM guidance_bookings WHERE slot_id = ? AND "
                                  "cancelled_at IS NULL", (slot.id,)).fetchone()[0]
        return replace(slot, booked=slot.booked + int(n))

    # --- bookings -------------------------------------------------------------------------------
    def book(self, slot_id: str, req: GuidanceBookingRequest, terminal_id: str, now: datetime
             ) -> tuple[int, dict[str, Any]] | Problem:
        """201 and the new booking, 200 and the same one for a person who booked this slot
        already, or a problem: 404 ``slot_not_found``, 409 ``slot_cancelled`` /
        ``slot_closed`` / ``slot_full``."""
        lookup = id_number_hash(self.salt, req.jobseeker.id_number)
        with self.store.lock:
            slot = self.slot(slot_id)
            if slot is None:
                return (404, "slot_not_found", "no adviser slot with this id")
            row = self.store.db.execute(
                "SELECT booking_no, masked_name, booked_at FROM guidance_bookings WHERE "
                "slot_id = ? AND lookup_hash = ? AND cancelled_at IS NULL",
                (slot_id, lookup)).fetchone()
            if row is not None:
                return (200, _booking_body(row[0], slot, "already_booked", row[2], None, row[1]))
            refusal = booking_refusal(slot, now)
            if refusal is not None:
                return (409, refusal.code, refusal.message_en)
            booking_no = self._new_booking_no(now)
            masked = mask_name(req.jobseeker.name)
            self.store.db.execute(
                "INSERT INTO guidance_bookings (booking_no, slot_id, lookup_hash, masked_name, "
                "terminal_id, booked_at) VALUES (?, ?, ?, ?, ?, ?)",
                (booking_no, slot_id, lookup, masked, terminal_id, iso(now)))
            self.store.db.commit()
            slot = replace(slot, booked=slot.booked + 1)
        return (201, _booking_body(booking_no, slot, "booked", iso(now), None, masked))

    def _new_booking_no(self, now: datetime) -> str:
        day = f"{to_china(now):%Y%m%d}"
        while True:
            no = f"ZD{day}{secrets.randbelow(10**6):06d}"
            if self.store.db.execute("SELECT 1 FROM guidance_bookings WHERE booking_no = ?",
                                     (no,)).fetchone() is None:
                return no

    def bookings_of(self, lookup_hash: str, now: datetime) -> list[dict[str, Any]]:
        """The person's bookings whose slot is not over, not cancelled, soonest first."""
        with self.store.lock:
            rows = self.store.db.execute(
                "SELECT booking_no, slot_id, masked_name, booked_at FROM guidance_bookings "
                "WHERE lookup_hash = ? AND cancelled_at IS NULL", (lookup_hash,)).fetchall()
            found = [(self.slot(slot_id), no, masked, at) for no, slot_id, masked, at in rows]
        items = [(s, no, masked, at) for s, no, masked, at in found if s and s.ends_at > now]
        items.sort(key=lambda t: (t[0].starts_at, t[1]))
        return [_booking_body(no, s, "booked", at, None, masked) for s, no, masked, at in items]

    def cancel(self, booking_no: str, lookup_hash: str, now: datetime
               ) -> tuple[int, dict[str, Any]] | Problem:
        """200 and the cancelled booking (again 200 for one cancelled already), or a problem:
        404 ``booking_not_found`` (unknown, or the hash is not the booker's — the same answer,
        so nobody learns whether a number exists), 409 ``cancellation_too_late``."""
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT slot_id, masked_name, booked_at, cancelled_at FROM guidance_bookings "
                "WHERE booking_no = ? AND lookup_hash = ?", (booking_no, lookup_hash)).fetchone()
            slot = self.slot(row[0]) if row is not None else None
            if row is None or slot is None:
                return (404, "booking_not_found", "no such booking of this person")
            _slot_id, masked, booked_at, cancelled_at = row
            if cancelled_at is None:
                refusal = cancellation_refusal(slot, now)
                if refusal is not None:
                    return (409, refusal.code, refusal.message_en)
                cancelled_at = iso(now)
                self.store.db.execute("UPDATE guidance_bookings SET cancelled_at = ? WHERE "
                                      "booking_no = ?", (cancelled_at, booking_no))
                self.store.db.commit()
                slot = replace(slot, booked=max(0, slot.booked - 1))
        return (200, _booking_body(booking_no, slot, "cancelled", booked_at, cancelled_at, masked))

    def bookings(self, slot_id: str) -> list[dict[str, Any]]:
        """A slot's bookings, masked (tests, the adviser's view)."""
        with self.store.lock:
            rows = self.store.db.execute(
                "SELECT booking_no, masked_name, terminal_id, booked_at, cancelled_at FROM "
                "guidance_bookings WHERE slot_id = ? ORDER BY booked_at, booking_no",
                (slot_id,)).fetchall()
        keys = ("booking_no", "masked_name", "terminal_id", "booked_at", "cancelled_at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # --- résumés for the phone ------------------------------------------------------------------
    def share_resume(self, req: ResumeShareRequest, terminal_id: str, base_url: str,
                     now: datetime) -> tuple[int, dict[str, Any]]:
        """201 and the link ``<base_url>/resumes/<token>.pdf`` (128-bit token) valid for
        :data:`RESUME_LINK_TTL`; expired résumés are deleted first."""
        token = secrets.token_urlsafe(16)
        resume_id = "RS-" + secrets.token_hex(6).upper()
        expires = now + RESUME_LINK_TTL
        with self.store.lock:
            self.purge_resumes(now)
            self.store.db.execute("INSERT INTO shared_resumes VALUES (?, ?, ?, ?, ?, ?)",
                                  (token, resume_id, terminal_id, iso(now), iso(expires),
                                   req.model_dump_json()))
            self.store.db.commit()
        return (201, {"resume_id": resume_id, "url": f"{base_url.rstrip('/')}/resumes/{token}.pdf",
                      "expires_at": iso(expires)})

    def shared_resume(self, token: str, now: datetime) -> ResumeShareRequest | None:
        """The résumé behind a link, or None (unknown or expired)."""
        with self.store.lock:
            row = self.store.db.execute("SELECT expires_at, doc FROM shared_resumes WHERE "
                                        "token = ?", (token,)).fetchone()
        if row is None or parse_iso(row[0]) <= now:
            return None
        return ResumeShareRequest.model_validate_json(row[1])

    def purge_resumes(self, now: datetime) -> int:
        """Delete every résumé whose link expired; returns how many."""
        with self.store.lock:
            cur = self.store.db.execute("DELETE FROM shared_resumes WHERE expires_at <= ?",
                                        (iso(now),))
            self.store.db.commit()
            return int(cur.rowcount)


def _booking_body(booking_no: str, slot: AdviserSlot, status: str, booked_at: str,
                  cancelled_at: str | None, masked: str | None) -> dict[str, Any]:
    return {"booking_no": booking_no, "slot": slot_to_wire(slot), "status": status,
            "booked_at": booked_at, "cancelled_at": cancelled_at, "name_masked": masked or ""}


def demo_slots(now: datetime) -> list[AdviserSlot]:
    """The demo station's adviser slots for the next 7 days from ``now`` (UTC): weekdays
    09:30, 10:30, 14:30 and 15:30 China time, 45 minutes, ids ``GS-<date>-<HHMM>``, desks
    1号/2号职业指导室, one person each (the 14:30 slot is a group session of 6). Booking closes
    at the start; cancelling at the kiosk up to 2 hours before."""
    day0 = to_china(now).replace(hour=0, minute=0, second=0, microsecond=0)
    advisers = (("李老师", "1号职业指导室", "求职方向与简历"), ("陈老师", "2号职业指导室", "面试准备"),
                ("王老师", "职业指导团辅室", "返岗就业小组辅导"), ("李老师", "1号职业指导室", "技能培训与补贴"))
    slots = []
    for d in range(8):
        day = day0 + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for n, (hour, minute) in enumerate(((9, 30), (10, 30), (14, 30), (15, 30))):
            start = day.replace(hour=hour, minute=minute)
            adviser, desk, topic = advisers[n]
            slots.append(AdviserSlot(
                id=f"GS-{start:%Y%m%d-%H%M}", starts_at=start.astimezone(UTC),
                ends_at=(start + timedelta(minutes=45)).astimezone(UTC), adviser=adviser,
                desk=desk, topic=topic, capacity=6 if n == 2 else 1, booked=0,
                bookable_until=start.astimezone(UTC),
                cancellable_until=(start - timedelta(hours=2)).astimezone(UTC)))
    return slots


def seed_demo_slots(store: Store, now: datetime) -> list[AdviserSlot]:
    """Put :func:`demo_slots` into the store (ids carry the day: a restart keeps bookings)."""
    slots = demo_slots(now)
    GuidanceCasework(store, store.meta("lookup_salt")).put_slots(slots)
    return slots
