"""The sandbox's jobseeker records: 求职登记, referrals (推荐就业) and assistance tickets.

Stored privacy-minimised: the ID number only as ``lookup_hash`` (the contract's salted SHA-256,
:func:`id_number_hash`), names and phones only masked (:mod:`kiosk.domain.masking`).
The answers of a registration that ``GET /v1/jobseekers/lookup`` gives back for 更新登记信息
(:func:`registration_answers`) are kept without the phone (only masked) and without the
重点群体 (sensitive: asked afresh with their own consent).
Numbering: registrations ``REG-<division>-<6 digits>``, tickets ``TKT-<division>-<6 digits>``.
A referral is valid for :data:`REFERRAL_VALID_DAYS` days from ``issued_at``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kiosk.domain.masking import id_number_last4, mask_id_number, mask_name, mask_phone
from kiosk.platform.wire_formats import iso, parse_iso
from kiosk.platform.sandbox.store import Store
from kiosk.platform.submissions import AssistanceRequest, ReferralRequest, RegistrationRequest
from kiosk.platform.wire_formats import id_number_hash

REFERRAL_VALID_DAYS = 14
REGISTRATION_VALID_DAYS = 180
FOLLOW_UP_TEXT = "驿站工作人员将在2个工作日内与您联系 / Station staff will contact you within 2 working days"

SCHEMA = """
CREATE TABLE IF NOT EXISTS registrations (
    registration_no TEXT PRIMARY KEY, lookup_hash TEXT UNIQUE NOT NULL, masked_name TEXT,
    masked_id TEXT, masked_phone TEXT, data_digest TEXT, terminal_id TEXT,
    registered_at TEXT, updated_at TEXT, valid_until TEXT);
CREATE TABLE IF NOT EXISTS registration_answers (
    lookup_hash TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS referrals (
    referral_id TEXT PRIMARY KEY, vacancy_id TEXT, terminal_id TEXT, lookup_hash TEXT,
    masked_name TEXT, masked_id TEXT, id_last4 TEXT, masked_phone TEXT,
    issued_at TEXT, valid_until TEXT, received_at TEXT, confirmed_at TEXT, hired INTEGER);
CREATE TABLE IF NOT EXISTS tickets (
    ticket_no TEXT PRIMARY KEY, kind TEXT, terminal_id TEXT, masked_name TEXT,
    masked_phone TEXT, note TEXT, preferred_time TEXT, created_at TEXT, status TEXT);
"""


def registration_answers(req: RegistrationRequest) -> dict[str, Any]:
    """The ``RegistrationAnswers`` of a registration: what the form pre-fills for 更新登记信息.
    The phone only masked (the person types the current one); no 重点群体 (sensitive)."""
    salary = req.expected_salary
    return {"phone_masked": mask_phone(req.phone), "education_code": req.education_code,
            "desired_occupations": list(req.desired_occupations),
            "desired_divisions": list(req.desired_divisions),
            "expected_salary": salary.model_dump() if salary else None,
            "employment_type": req.employment_type, "availability": req.availability}


@dataclass(frozen=True)
class ReferralView:
    """What the verification page may show (masked only)."""
    referral_id: str
    vacancy_id: str
    masked_name: str
    masked_id: str
    id_last4: str
    issued_at: str
    valid_until: str
    confirmed_at: str | None
    hired: bool | None
    status: str


class Casework:
    """Registrations, referrals and tickets on a :class:`Store`'s connection."""

    def __init__(self, store: Store, salt: str) -> None:
        self.store = store
        self.salt = salt
        with store.lock:
            store.db.executescript(SCHEMA)

    def _next_no(self, prefix: str, division: str) -> str:
        key = f"seq_{prefix}"
        n = int(self.store.meta(key, "0")) + 1
        self.store.set_meta(key, str(n))
        return f"{prefix}-{division or '440000'}-{n:06d}"

    # --- 求职登记 ------------------------------------------------------------------------------
    def lookup(self, lookup_hash: str) -> dict[str, Any]:
        """The ``LookupResult``: registered or not, and the earlier answers (``answers``)."""
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT registration_no, registered_at, valid_until FROM registrations "
                "WHERE lookup_hash=?", (lookup_hash,)).fetchone()
            kept = self.store.db.execute(
                "SELECT doc FROM registration_answers WHERE lookup_hash=?",
                (lookup_hash,)).fetchone()
        if not row:
            return {"registered": False, "registration_no": None, "registered_at": None,
                    "valid_until": None, "answers": None}
        return {"registered": True, "registration_no": row[0], "registered_at": row[1],
                "valid_until": row[2], "answers": json.loads(kept[0]) if kept else None}

    def _keep_answers(self, lookup_hash: str, req: RegistrationRequest) -> None:
        self.store.db.execute(
            "INSERT INTO registration_answers VALUES (?,?) ON CONFLICT (lookup_hash) "
            "DO UPDATE SET doc=excluded.doc",
            (lookup_hash, json.dumps(registration_answers(req), ensure_ascii=False)))

    def register(self, terminal_id: str, division: str, req: RegistrationRequest
                 ) -> tuple[int, dict[str, Any]]:
        """(201, created) for a new person; (200, updated|already_registered) otherwise."""
        ident = req.identity
        lookup_hash = id_number_hash(self.salt, ident.id_number)
        digest = hashlib.sha256(req.model_dump_json(exclude={"consent"}).encode()).hexdigest()
        now = self.store.stamp()
        valid_until = iso(parse_iso(now) + timedelta(days=REGISTRATION_VALID_DAYS))
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT registration_no, data_digest, registered_at FROM registrations "
                "WHERE lookup_hash=?", (lookup_hash,)).fetchone()
            if row is None:
                number = self._next_no("REG", division)
                self.store.db.execute(
                    "INSERT INTO registrations VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (number, lookup_hash, mask_name(ident.name), mask_id_number(ident.id_number),
                     mask_phone(req.phone), digest, terminal_id, now, now, valid_until))
                self._keep_answers(lookup_hash, req)
                return 201, {"registration_no": number, "status": "created",
                             "registered_at": now, "valid_until": valid_until}
            number, old_digest, registered_at = row
            status = "already_registered" if old_digest == digest else "updated"
            self.store.db.execute(
                "UPDATE registrations SET data_digest=?, masked_phone=?, updated_at=?, "
                "valid_until=? WHERE registration_no=?",
                (digest, mask_phone(req.phone), now, valid_until, number))
            self._keep_answers(lookup_hash, req)
        return 200, {"registration_no": number, "status": status,
                     "registered_at": registered_at, "valid_until": valid_until}

    # --- referrals -----------------------------------------------------------------------------
    def create_referral(self, terminal_id: str, req: ReferralRequest, verify_url: str,
                        issued: datetime) -> tuple[int, dict[str, Any]]:
        """(201, issued). The caller has checked the vacancy, the id prefix and parsed
        ``issued_at`` into ``issued`` (aware)."""
        valid_until = iso(issued + timedelta(days=REFERRAL_VALID_DAYS))
        js = req.jobseeker
        with self.store.lock:
            self.store.db.execute(
                "INSERT INTO referrals VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,NULL)",
                (req.referral_id, req.vacancy_id, terminal_id,
                 id_number_hash(self.salt, js.id_number), mask_name(js.name),
                 mask_id_number(js.id_number), id_number_last4(js.id_number),
                 mask_phone(js.phone) if js.phone else "", iso(issued), valid_until,
                 self.store.stamp()))
        return 201, {"referral_id": req.referral_id, "verify_url": verify_url,
                     "valid_until": valid_until, "status": "issued"}

    def referral(self, referral_id: str) -> ReferralView | None:
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT referral_id, vacancy_id, masked_name, masked_id, id_last4, issued_at, "
                "valid_until, confirmed_at, hired FROM referrals WHERE referral_id=?",
                (referral_id,)).fetchone()
        if row is None:
            return None
        hired = None if row[8] is None else bool(row[8])
        if row[7]:
            status = "confirmed"
        elif parse_iso(row[6]) < parse_iso(self.store.stamp()):
            status = "expired"
        else:
            status = "issued"
        return ReferralView(referral_id=row[0], vacancy_id=row[1], masked_name=row[2],
                            masked_id=row[3], id_last4=row[4], issued_at=row[5],
                            valid_until=row[6], confirmed_at=row[7], hired=hired, status=status)

    def confirm_referral(self, referral_id: str, hired: bool) -> ReferralView | None:
        """Record the employer's confirmation (first confirmation wins). None if unknown."""
        with self.store.lock:
            self.store.db.execute(
                "UPDATE referrals SET confirmed_at=?, hired=? WHERE referral_id=? "
                "AND confirmed_at IS NULL", (self.store.stamp(), int(hired), referral_id))
        return self.referral(referral_id)

    def referral_ids(self) -> list[str]:
        with self.store.lock:
            return [r[0] for r in self.store.db.execute(
                "SELECT referral_id FROM referrals ORDER BY received_at")]

    # --- assistance tickets ----------------------------------------------------------------------
    def create_ticket(self, terminal_id: str, division: str, req: AssistanceRequest
                      ) -> tuple[int, dict[str, Any]]:
        now = self.store.stamp()
        with self.store.lock:
            number = self._next_no("TKT", division)
            self.store.db.execute(
                "INSERT INTO tickets VALUES (?,?,?,?,?,?,?,?, 'received')",
                (number, req.kind, terminal_id, mask_name(req.jobseeker.name),
                 mask_phone(req.jobseeker.phone) if req.jobseeker.phone else "",
                 req.note, req.preferred_time, now))
        return 201, {"ticket_no": number, "kind": req.kind, "status": "received",
                     "created_at": now, "follow_up": FOLLOW_UP_TEXT}

    def tickets(self) -> list[dict[str, Any]]:
        with self.store.lock:
            cur = self.store.db.execute("SELECT * FROM tickets ORDER BY created_at")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def registrations(self) -> list[dict[str, Any]]:
        with self.store.lock:
            cur = self.store.db.execute("SELECT * FROM registrations ORDER BY registered_at")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def canonical_digest(body: bytes) -> str:
    """SHA-256 of a JSON body re-serialised with sorted keys (so key order does not matter).

    A body that is not JSON (or nests too deeply to re-serialise) is digested as its bytes.
    """
    try:
        return hashlib.sha256(json.dumps(json.loads(body), sort_keys=True,
                                         ensure_ascii=False).encode()).hexdigest()
    except (ValueError, RecursionError):
        return hashlib.sha256(body).hexdigest()
