"""The sandbox's 招聘会 records: the fairs, jobseekers' sign-ups and check-ins, employers' booths.

The rules are :mod:`kiosk.domain.fairs` (the same functions the kiosk explains with), applied
to the live counts of this database; every method takes ``now`` (aware UTC) so tests pick the
moment. Personal data is minimised as in :mod:`~.casework`: a sign-up keeps the ID number only
as the contract's salted hash (so the card's ``id_number_hash`` finds it at check-in) and the
name masked. Codes: the token is 128 random bits in RFC 4648 base32 (26 characters), the short
code 8 random characters of :data:`~kiosk.domain.station_codes.SHORT_CODE_ALPHABET`, unique per
fair; both are bound to (fair, person) and only that pair checks in with them.

The organiser's casework switch :meth:`FairCasework.set_bookings_open` closes (or reopens) a
fair's booth booking (``PUT /_sandbox/fairs/{fair_id}/bookings``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import replace
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.domain.fairs import (Fair, Refusal, booking_refusal, cancellation_refusal,
                                checkin_refusal, signup_refusal)
from kiosk.domain.masking import mask_name
from kiosk.domain.station_codes import SHORT_CODE_ALPHABET
from kiosk.platform.fair_wire import (BoothBookingRequest, FairCheckinRequest, FairSignupRequest,
                                      FairWire, fair_from_wire, fair_to_wire)
from kiosk.platform.wire_formats import iso
from kiosk.platform.sandbox.store import Store, VacancyQuery
from kiosk.platform.wire_formats import id_number_hash

SCHEMA = """
CREATE TABLE IF NOT EXISTS fairs (id TEXT PRIMARY KEY, starts_at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fair_signups (
    signup_id TEXT PRIMARY KEY, fair_id TEXT NOT NULL, lookup_hash TEXT NOT NULL,
    token TEXT UNIQUE NOT NULL, short_code TEXT NOT NULL, masked_name TEXT, terminal_id TEXT,
    signed_up_at TEXT NOT NULL, checked_in_at TEXT, checked_in_terminal TEXT,
    UNIQUE (fair_id, lookup_hash), UNIQUE (fair_id, short_code));
CREATE TABLE IF NOT EXISTS fair_booths (
    booking_id TEXT PRIMARY KEY, fair_id TEXT NOT NULL, credit_code TEXT NOT NULL,
    employer_name TEXT, booth TEXT NOT NULL, terminal_id TEXT, vacancy_ids TEXT,
    booked_at TEXT NOT NULL, cancelled_at TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS fair_booths_one_per_employer
    ON fair_booths (fair_id, credit_code) WHERE cancelled_at IS NULL;
"""

#: A problem answer: (HTTP status, problem code, detail).
Problem = tuple[int, str, str]


def _problem(refusal: Refusal, status: int = 409) -> Problem:
    return (status, refusal.code, refusal.message_en)


def new_token() -> str:
    """128 random bits, RFC 4648 base32 without padding: 26 characters of A–Z and 2–7."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(8))


class FairCasework:
    """Fairs, sign-ups, check-ins and booths on a :class:`Store`'s connection.

    Args:
        store: the sandbox store (its lock guards every statement).
        salt: the platform's ``lookup_salt`` (sign-ups keep the salted ID-number hash).
        clock: the time now for the routes (aware UTC; tests replace it).
    """

    def __init__(self, store: Store, salt: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.salt = salt
        self.clock = clock
        with store.lock:
            store.db.executescript(SCHEMA)

    # --- the fairs ---------------------------------------------------------------------------------
    def put_fairs(self, fairs: list[Fair]) -> int:
        """Add or replace fairs (seed, tests)."""
        with self.store.lock:
            self.store.db.executemany(
                "INSERT OR REPLACE INTO fairs VALUES (?, ?, ?)",
                [(f.id, iso(f.starts_at), json.dumps(fair_to_wire(f), ensure_ascii=False))
                 for f in fairs])
            self.store.db.commit()
        return len(fairs)

    def fair(self, fair_id: str) -> Fair | None:
        """The fair with its live counts (sign-ups, booths booked), or None."""
        with self.store.lock:
            row = self.store.db.execute("SELECT doc FROM fairs WHERE id = ?",
                                        (fair_id,)).fetchone()
            if row is None:
                return None
            return self._live(fair_from_wire(FairWire.model_validate_json(row[0])))

    def fairs(self, now: datetime) -> list[Fair]:
        """Every fair not over at ``now``, soonest first, with live counts."""
        with self.store.lock:
            rows = self.store.db.execute("SELECT doc FROM fairs ORDER BY starts_at, id").fetchall()
            fairs = [self._live(fair_from_wire(FairWire.model_validate_json(doc)))
                     for (doc,) in rows]
        return [f for f in fairs if f.ends_at > now]

    def etag(self, now: datetime) -> str:
        """Changes with any fair, count or the set of fairs not over."""
        body = json.dumps([fair_to_wire(f) for f in self.fairs(now)], ensure_ascii=False)
        return '"fairs-' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'

    def _live(self, fair: Fair) -> Fair:
        db = self.store.db
        signed = db.execute("SELECT COUNT(*) FROM fair_signups WHERE fair_id = ?",
                            (fair.id,)).fetchone()[0]
        booths = db.execute("SELECT employer_name, credit_code, booth, vacancy_ids FROM "
                            "fair_booths WHERE fair_id = ? AND cancelled_at IS NULL "
                            "ORDER BY booth", (fair.id,)).fetchall()
        return replace(fair, signed_up=fair.signed_up + int(signed),
                       booths_booked=fair.booths_booked + len(booths))

    def set_bookings_open(self, fair_id: str, open_: bool) -> Fair | None:
        """The organiser's casework switch: open or close booth booking for a fair."""
        with self.store.lock:
            row = self.store.db.execute("SELECT doc FROM fairs WHERE id = ?",
                                        (fair_id,)).fetchone()
            if row is None:
                return None
            doc = json.loads(row[0])
            doc["bookings_open"] = open_
            self.store.db.execute("UPDATE fairs SET doc = ? WHERE id = ?",
                                  (json.dumps(doc, ensure_ascii=False), fair_id))
            self.store.db.commit()
        return self.fair(fair_id)

    # --- jobseekers ----------------------------------------------------------------------------------
    def sign_up(self, fair_id: str, req: FairSignupRequest, terminal_id: str, now: datetime
                ) -> tuple[int, dict[str, Any]] | Problem:
        """201 and the new 报到码, 200 and the same one for a person signed up already, or a
        problem (404 ``fair_not_found``, 409 ``fair_past`` / ``fair_full`` / ``fair_cancelled``)."""
        lookup = id_number_hash(self.salt, req.jobseeker.id_number)
        with self.store.lock:
            fair = self.fair(fair_id)
            if fair is None:
                return (404, "fair_not_found", "no fair with this id")
            row = self.store.db.execute(
                "SELECT signup_id, token, short_code, signed_up_at FROM fair_signups "
                "WHERE fair_id = ? AND lookup_hash = ?", (fair_id, lookup)).fetchone()
            if row is not None and not fair.cancelled:
                return (200, self._signup_body(fair_id, *row, status="already_signed_up"))
            refusal = signup_refusal(fair, now)
            if refusal is not None:
                return _problem(refusal)
            token, short = new_token(), self._free_short_code(fair_id)
            signup_id = f"FS-{fair_id}-{secrets.token_hex(4)}"
            self.store.db.execute(
                "INSERT INTO fair_signups (signup_id, fair_id, lookup_hash, token, short_code, "
                "masked_name, terminal_id, signed_up_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (signup_id, fair_id, lookup, token, short, mask_name(req.jobseeker.name),
                 terminal_id, iso(now)))
            self.store.db.commit()
        return (201, self._signup_body(fair_id, signup_id, token, short, iso(now),
                                       status="signed_up"))

    def _free_short_code(self, fair_id: str) -> str:
        while True:
            code = new_short_code()
            if self.store.db.execute("SELECT 1 FROM fair_signups WHERE fair_id = ? AND "
                                     "short_code = ?", (fair_id, code)).fetchone() is None:
                return code

    @staticmethod
    def _signup_body(fair_id: str, signup_id: str, token: str, short: str, at: str, *,
                     status: str) -> dict[str, Any]:
        return {"signup_id": signup_id, "fair_id": fair_id, "token": token, "short_code": short,
                "signed_up_at": at, "status": status}

    def check_in(self, fair_id: str, req: FairCheckinRequest, terminal_id: str, now: datetime
                 ) -> tuple[int, dict[str, Any]] | Problem:
        """200 ``checked_in`` (or ``already_checked_in`` with the first time), or a problem:
        404 ``fair_not_found`` / ``signup_not_found`` (a token of another fair or person is not
        found), 409 ``checkin_too_early`` / ``checkin_too_late`` / ``fair_cancelled``."""
        with self.store.lock:
            fair = self.fair(fair_id)
            if fair is None:
                return (404, "fair_not_found", "no fair with this id")
            if req.token is not None:
                where, value = "token = ?", req.token
            elif req.short_code is not None:
                where, value = "short_code = ?", req.short_code
            else:
                where, value = "lookup_hash = ?", req.id_number_hash or ""
            row = self.store.db.execute(
                "SELECT signup_id, masked_name, checked_in_at FROM fair_signups "
                f"WHERE fair_id = ? AND {where}", (fair_id, value)).fetchone()
            if row is None:
                return (404, "signup_not_found", "no sign-up for this fair matches")
            refusal = checkin_refusal(fair, now)
            if refusal is not None:
                return _problem(refusal)
            signup_id, masked, first = row
            if first:
                return (200, {"fair_id": fair_id, "status": "already_checked_in",
                              "checked_in_at": first, "name_masked": masked or ""})
            self.store.db.execute("UPDATE fair_signups SET checked_in_at = ?, "
                                  "checked_in_terminal = ? WHERE signup_id = ?",
                                  (iso(now), terminal_id, signup_id))
            self.store.db.commit()
        return (200, {"fair_id": fair_id, "status": "checked_in", "checked_in_at": iso(now),
                      "name_masked": masked or ""})

    def signups(self, fair_id: str) -> list[dict[str, Any]]:
        """Masked sign-ups of a fair (tests, the organiser's view)."""
        with self.store.lock:
            rows = self.store.db.execute(
                "SELECT signup_id, masked_name, terminal_id, signed_up_at, checked_in_at, "
                "checked_in_terminal FROM fair_signups WHERE fair_id = ? ORDER BY signed_up_at",
                (fair_id,)).fetchall()
        keys = ("signup_id", "masked_name", "terminal_id", "signed_up_at", "checked_in_at",
                "checked_in_terminal")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    # --- employers -----------------------------------------------------------------------------------
    def book(self, fair_id: str, req: BoothBookingRequest, terminal_id: str, now: datetime
             ) -> tuple[int, dict[str, Any]] | Problem:
        """201 and the booking, or a problem: 404 ``fair_not_found``, 409 ``fair_past`` /
        ``fair_cancelled`` / ``bookings_closed`` / ``booking_deadline_passed`` /
        ``booth_exists`` / ``booths_full``."""
        with self.store.lock:
            fair = self.fair(fair_id)
            if fair is None:
                return (404, "fair_not_found", "no fair with this id")
            has = self.store.db.execute(
                "SELECT 1 FROM fair_booths WHERE fair_id = ? AND credit_code = ? AND "
                "cancelled_at IS NULL", (fair_id, req.credit_code)).fetchone() is not None
            refusal = booking_refusal(fair, now, employer_has_booth=has)
            if refusal is not None:
                return _problem(refusal)
            taken = {b for (b,) in self.store.db.execute(
                "SELECT booth FROM fair_booths WHERE fair_id = ? AND cancelled_at IS NULL",
                (fair_id,))}
            booth = next(f"A{n:02d}" for n in range(1, fair.booths + 1) if f"A{n:02d}" not in taken)
            booking_id = f"FB-{fair_id}-{secrets.token_hex(4)}"
            self.store.db.execute(
                "INSERT INTO fair_booths (booking_id, fair_id, credit_code, employer_name, booth, "
                "terminal_id, vacancy_ids, booked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (booking_id, fair_id, req.credit_code, req.employer_name, booth, terminal_id,
                 json.dumps(req.vacancy_ids), iso(now)))
            self.store.db.commit()
        return (201, self._booking_body(fair, booking_id, booth, iso(now), "booked"))

    def cancel(self, fair_id: str, booking_id: str, terminal_id: str, now: datetime
               ) -> tuple[int, dict[str, Any]] | Problem:
        """200 and the cancelled booking (again 200 for one cancelled already), or a problem:
        404 ``booking_not_found`` (unknown, or another terminal's), 409
        ``cancellation_deadline_passed``."""
        with self.store.lock:
            fair = self.fair(fair_id)
            row = self.store.db.execute(
                "SELECT booth, booked_at, cancelled_at FROM fair_booths WHERE booking_id = ? AND "
                "fair_id = ? AND terminal_id = ?", (booking_id, fair_id, terminal_id)).fetchone()
            if fair is None or row is None:
                return (404, "booking_not_found", "no such booking from this terminal")
            booth, booked_at, cancelled_at = row
            if cancelled_at is None:
                refusal = cancellation_refusal(fair, now)
                if refusal is not None:
                    return _problem(refusal)
                self.store.db.execute("UPDATE fair_booths SET cancelled_at = ? WHERE booking_id = ?",
                                      (iso(now), booking_id))
                self.store.db.commit()
        return (200, self._booking_body(fair, booking_id, booth, booked_at, "cancelled"))

    @staticmethod
    def _booking_body(fair: Fair, booking_id: str, booth: str, booked_at: str, status: str
                      ) -> dict[str, Any]:
        until = fair.cancellation_deadline or fair.starts_at
        return {"booking_id": booking_id, "fair_id": fair.id, "booth": booth, "status": status,
                "booked_at": booked_at, "cancel_until": iso(until)}


def seed_demo_fairs(store: Store, now: datetime, origin: tuple[float, float] | None = None
                    ) -> list[Fair]:
    """Put :func:`demo_fairs` for ``now`` into the store (posts from its vacancies); returns them.
    Ids carry the day (``DEMO-20261201-C``), so a restart on the same day keeps sign-ups."""
    vacancies = store.vacancy_page(VacancyQuery(), None, None, 60)[0]
    fairs = demo_fairs(now, vacancies, origin)
    FairCasework(store, store.meta("lookup_salt")).put_fairs(fairs)
    return fairs


def demo_fairs(now: datetime, vacancies: list[Any], origin: tuple[float, float] | None
               ) -> list[Fair]:
    """Demo fairs around ``now`` (UTC), ids ``DEMO-<China date>-C|G|S|L``: a 社区微型 fair today
    all day (to sign up and check in at once), a 综合 fair in 3 days with booths, a 高校毕业生 专场
    in 8 days, a 直播带岗 the day after tomorrow. Posts are taken from ``vacancies`` (the demo
    catalog), so each opens the usual vacancy detail."""
    from kiosk.domain.china_time import to_china
    from kiosk.domain.fairs import FairEmployer, FairKind, FairPost, Venue

    lat, lon = origin or (23.1291, 113.3644)

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        local = to_china(now).replace(hour=hour, minute=minute, second=0, microsecond=0)
        return (local + timedelta(days=days)).astimezone(now.tzinfo)

    by_employer: dict[str, list[Any]] = {}
    for v in vacancies:
        by_employer.setdefault(v.employer, []).append(v)
    employers = [FairEmployer(name, "", f"A{n + 1:02d}", tuple(
        FairPost(v.id, v.title, v.total_openings, v.salary_min, v.salary_max, v.salary_unit)
        for v in posts[:3])) for n, (name, posts) in enumerate(list(by_employer.items())[:12])]
    day = f"{to_china(now):%Y%m%d}"
    venue = Venue("天河区人力资源市场", "广州市天河区天河路2号", "440106", lat + 0.004, lon - 0.003)
    community = Venue("天河南街道党群服务中心", "广州市天河区天河南二路5号", "440106", lat, lon)
    return [
        Fair(f"DEMO-{day}-C", "天河南街道社区微型招聘会", FairKind.COMMUNITY, at(0, 0, 0),
             at(0, 23, 59), community, "天河南街道就业驿站", capacity=200, booths=20,
             booking_deadline=at(0, 0, 0), cancellation_deadline=at(0, 0, 0),
             employers=tuple(employers[:4])),
        Fair(f"DEMO-{day}-G", "天河区冬季综合招聘会", FairKind.GENERAL, at(3, 9), at(3, 11, 30),
             venue, "天河区人力资源和社会保障局", capacity=500, booths=60,
             booking_deadline=at(1, 23, 59), cancellation_deadline=at(2, 9),
             employers=tuple(employers)),
        Fair(f"DEMO-{day}-S", "高校毕业生就业专场招聘会", FairKind.SPECIALISED, at(8, 9, 30),
             at(8, 12), venue, "天河区人力资源和社会保障局", capacity=300, booths=40,
             booking_deadline=at(6, 17), cancellation_deadline=at(7, 9),
             employers=tuple(employers[4:9])),
        Fair(f"DEMO-{day}-L", "直播带岗·物流仓储专场", FairKind.LIVESTREAM, at(2, 19), at(2, 20, 30),
             Venue("线上直播间", "广东公共就业服务直播平台", "440000"), "广东省人力资源市场",
             capacity=0, booths=0, bookings_open=False, employers=tuple(employers[9:12]),
             live_url="https://example.gov.cn/live/demo"),
    ]
