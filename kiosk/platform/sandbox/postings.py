"""The sandbox's employer postings (招聘信息), their audit, and 零工 sign-ups (issue 19).

Postings (``POST /v1/employer-postings``) arrive ``pending_review``; the casework switch
(:meth:`Postings.audit`, ``PUT /_sandbox/employer-postings/{posting_no}``, ``kiosk sandbox
audit``) moves them to ``published`` (the posting becomes a vacancy, id = posting number, and
reaches every kiosk with its next delta sync), ``rejected`` (with the reason the employer reads),
``withdrawn`` or ``expired`` (both take the vacancy down: a tombstone for delta sync). A gig
with several days (``gig.more_dates``) is published as one vacancy per day (id ``posting_no``
for the first, ``<posting_no>-<YYYYMMDD>`` for the others), each with ``headcount`` places; a
day that has passed leaves the catalog. A published posting whose validity ended (a gig after
its last work date, a job 30 days after publication) reads as ``expired``.

Rules of this sandbox (a real platform sets its own; **configurable**, meta keys):

* at most ``posting_max_open`` (default :data:`DEFAULT_MAX_OPEN`) postings per employer in an
  open state (待审核 / 已发布) — 409 ``posting_limit_reached``; the employer is the unit's
  licence code, or the 个人雇主's ID number (kept hashed);
* the same posting twice while the first is open (same employer, title, occupation, pay, place
  and gig day/start) — 409 ``posting_duplicate``.

Sign-ups (``POST /v1/vacancies/{vacancy_id}/signups``) take one place of a gig under the store's
lock, so concurrent sign-ups from any number of terminals never overbook: the last place goes to
exactly one worker, everyone after gets 409 ``gig_full``. A worker signs up once per gig (409
``signup_exists``). The gig's ``placesLeft`` is updated in the catalog (delta sync).

Personal data: handler and worker ID numbers only as salted hashes, names and phones masked.
Numbers: postings ``ZP-<division>-<6 digits>``, sign-ups ``BM-<division>-<6 digits>``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import timedelta
from typing import Any

from kiosk.domain import credit_code
from kiosk.domain.china_time import CHINA_TZ
from kiosk.domain.codes import divisions
from kiosk.domain.masking import mask_name, mask_phone
from kiosk.domain.postings import AUDIT_DECISIONS, OPEN_STATES
from kiosk.domain.vacancy import Vacancy
from kiosk.platform.wire_formats import parse_iso
from kiosk.platform.sandbox.store import Store
from kiosk.platform.submissions import GigSignupRequest, PostingRequest
from kiosk.platform.wire_formats import id_number_hash

DEFAULT_MAX_OPEN = 5
JOB_VALID_DAYS = 30
MANAGE_URL = "https://platform.example.invalid/employer/postings/{posting_no}"

SCHEMA = """
CREATE TABLE IF NOT EXISTS postings (
    posting_no TEXT PRIMARY KEY, employer_key TEXT NOT NULL, handler_hash TEXT NOT NULL,
    dedup TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, terminal_id TEXT,
    submitted_at TEXT, received_at TEXT, updated_at TEXT, published_at TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS postings_handler ON postings (handler_hash);
CREATE TABLE IF NOT EXISTS signups (
    signup_no TEXT PRIMARY KEY, vacancy_id TEXT NOT NULL, lookup_hash TEXT NOT NULL,
    masked_name TEXT, masked_phone TEXT, terminal_id TEXT, signed_up_at TEXT, received_at TEXT,
    UNIQUE (vacancy_id, lookup_hash));
"""


def gig_days(number: str, gig: dict[str, Any] | None) -> list[tuple[str, str]]:
    """``[(vacancy id, work date), …]`` of a posting's days, sorted: the first day's id is the
    posting number, each further day's ``<posting_no>-<YYYYMMDD>``; ``[]`` for a job."""
    if not gig:
        return []
    days = sorted({gig["work_date"], *(gig.get("more_dates") or [])})
    return [(number if i == 0 else f"{number}-{day.replace('-', '')}", day)
            for i, day in enumerate(days)]


def vacancy_ids(number: str, gig: dict[str, Any] | None) -> list[str]:
    """Every vacancy id a posting is published as (the posting number alone for a job)."""
    return [vid for vid, _ in gig_days(number, gig)] or [number]


class PostingRefused(Exception):
    """A posting or sign-up the rules refuse: ``status`` and ``code`` of the problem answer."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def employer_key(salt: str, req: PostingRequest) -> str:
    """Who "the same employer" is: the unit's normalised code, or the 个人雇主's hashed ID."""
    emp = req.employer
    if emp.kind == "unit":
        return "unit:" + credit_code.normalise(emp.credit_code)
    return "person:" + id_number_hash(salt, emp.handler.id_number)


def _dedup(key: str, req: PostingRequest) -> str:
    gig = req.gig
    parts = [key, req.title.strip(), req.occupation_code, str(req.pay), req.pay_unit,
             req.division_code, ",".join(gig.work_dates) if gig else "",
             gig.start_time if gig else ""]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Postings:
    """Postings and sign-ups on a :class:`Store`'s connection (see the module docstring)."""

    def __init__(self, store: Store, salt: str) -> None:
        self.store = store
        self.salt = salt
        with store.lock:
            store.db.executescript(SCHEMA)

    # --- rules -----------------------------------------------------------------------------
    @property
    def max_open(self) -> int:
        """Open postings allowed per employer (meta ``posting_max_open``)."""
        return int(self.store.meta("posting_max_open", str(DEFAULT_MAX_OPEN)))

    def set_max_open(self, n: int) -> None:
        if n < 1:
            raise ValueError("posting_max_open must be at least 1")
        self.store.set_meta("posting_max_open", str(n))

    def _next_no(self, prefix: str, division: str) -> str:
        key = f"seq_{prefix}"
        n = int(self.store.meta(key, "0")) + 1
        self.store.set_meta(key, str(n))
        return f"{prefix}-{division or '440000'}-{n:06d}"

    # --- postings ----------------------------------------------------------------------------
    def submit(self, terminal_id: str, division: str, req: PostingRequest) -> dict[str, Any]:
        """Record a posting ``pending_review``; the reply of ``POST /v1/employer-postings``.

        Raises:
            PostingRefused: 422 ``credit_code_invalid``, 409 ``posting_duplicate`` /
                ``posting_limit_reached``.
        """
        emp = req.employer
        if emp.kind == "unit":
            check = credit_code.check_code(emp.credit_code)
            if not check.valid:
                raise PostingRefused(422, "credit_code_invalid",
                                     check.reason or "请核对营业执照上的统一社会信用代码")
        elif emp.credit_code:
            raise PostingRefused(422, "credit_code_invalid",
                                 "个人雇主不填统一社会信用代码 / an individual employer has no code")
        key = employer_key(self.salt, req)
        dedup = _dedup(key, req)
        placeholders = ",".join("?" * len(OPEN_STATES))
        with self.store.lock:
            self._expire_due()
            if self.store.db.execute(
                    f"SELECT 1 FROM postings WHERE dedup=? AND status IN ({placeholders})",
                    (dedup, *sorted(OPEN_STATES))).fetchone():
                raise PostingRefused(409, "posting_duplicate",
                                     "该招聘信息已提交过，正在审核或已发布 / already posted")
            (n_open,) = self.store.db.execute(
                f"SELECT count(*) FROM postings WHERE employer_key=? AND status IN ({placeholders})",
                (key, *sorted(OPEN_STATES))).fetchone()
            if n_open >= self.max_open:
                raise PostingRefused(409, "posting_limit_reached",
                                     f"同一用工主体最多同时发布{self.max_open}条招聘信息 / "
                                     f"at most {self.max_open} open postings per employer")
            now = self.store.stamp()
            number = self._next_no("ZP", division)
            doc = req.model_dump()
            doc["employer"] = {"kind": emp.kind, "name": emp.name,
                               "credit_code": credit_code.normalise(emp.credit_code),
                               "masked_handler": mask_name(emp.handler.name),
                               "masked_phone": mask_phone(emp.phone)}
            self.store.db.execute(
                "INSERT INTO postings VALUES (?,?,?,?,'pending_review',NULL,?,?,?,?,NULL,?)",
                (number, key, id_number_hash(self.salt, emp.handler.id_number), dedup,
                 terminal_id, req.submitted_at, now, now,
                 json.dumps(doc, ensure_ascii=False)))
        return {"posting_no": number, "status": "pending_review", "received_at": now,
                "manage_url": MANAGE_URL.format(posting_no=number)}

    def status(self, posting_no: str) -> dict[str, Any] | None:
        """``PostingStatus`` of one posting, None if unknown."""
        with self.store.lock:
            self._expire_due()
            row = self.store.db.execute(
                "SELECT posting_no, status, reason, received_at, updated_at, published_at, doc "
                "FROM postings WHERE posting_no=?", (posting_no,)).fetchone()
        return self._view(row) if row else None

    def of_handler(self, handler_hash: str) -> list[dict[str, Any]]:
        """Every posting submitted by this person (``handler_hash`` = the lookup hash), newest
        first."""
        with self.store.lock:
            self._expire_due()
            rows = self.store.db.execute(
                "SELECT posting_no, status, reason, received_at, updated_at, published_at, doc "
                "FROM postings WHERE handler_hash=? ORDER BY received_at DESC",
                (handler_hash,)).fetchall()
        return [self._view(r) for r in rows]

    def _view(self, row: tuple[Any, ...]) -> dict[str, Any]:
        number, status, reason, received_at, updated_at, published_at, raw = row
        doc = json.loads(raw)
        gig = doc.get("gig")
        places = None
        live: list[str] = []
        if status == "published":
            found = [(vid, self.store.vacancy(vid)) for vid in vacancy_ids(number, gig)]
            live = [vid for vid, v in found if v is not None]
            if gig:
                places = sum(v.places_left for _, v in found if v is not None) if live else None
        days = [day for _, day in gig_days(number, gig)]
        return {"posting_no": number, "status": status, "reason": reason,
                "title": doc["title"], "kind": "gig" if gig else "job",
                "headcount": doc["headcount"], "work_date": days[0] if days else None,
                "work_dates": days, "places_left": places,
                "vacancy_id": live[0] if live else None, "vacancy_ids": live,
                "received_at": received_at, "updated_at": updated_at,
                "published_at": published_at}

    def audit(self, posting_no: str, status: str, reason: str = "") -> dict[str, Any]:
        """The casework switch: move a posting to ``published`` / ``rejected`` (``reason``
        required) / ``withdrawn`` / ``expired``; returns its ``PostingStatus``.

        Raises:
            KeyError: no such posting.
            ValueError: not one of those states, or a rejection without a reason.
        """
        if status not in AUDIT_DECISIONS:
            raise ValueError(f"status must be one of {sorted(AUDIT_DECISIONS)}")
        if status == "rejected" and not reason.strip():
            raise ValueError("a rejection needs the reason the employer will read")
        with self.store.lock:
            row = self.store.db.execute("SELECT doc, published_at FROM postings WHERE posting_no=?",
                                        (posting_no,)).fetchone()
            if row is None:
                raise KeyError(posting_no)
            now = self.store.stamp()
            published_at = row[1]
            doc = json.loads(row[0])
            if status == "published":
                published_at = published_at or now
                self.store.upsert_vacancies(self._vacancies(posting_no, doc, published_at))
            else:
                for vid in vacancy_ids(posting_no, doc.get("gig")):
                    self.store.delete_vacancy(vid)
            self.store.db.execute(
                "UPDATE postings SET status=?, reason=?, updated_at=?, published_at=? "
                "WHERE posting_no=?",
                (status, reason.strip() or None, now, published_at, posting_no))
        found = self.status(posting_no)
        assert found is not None
        return found

    def _vacancies(self, number: str, doc: dict[str, Any], published_at: str) -> list[Vacancy]:
        """The posting as vacancies: one for a job, one per day for a gig (own places each);
        a day already in the catalog keeps its places left (a repeated publication)."""
        base = self._vacancy(number, doc, published_at)
        days = gig_days(number, doc.get("gig"))
        if not days:
            return [base]
        out = []
        for vid, day in days:
            kept = self.store.vacancy(vid)
            out.append(dataclasses.replace(
                base, id=vid, work_date=day, valid_through=day,
                places_left=kept.places_left if kept is not None else base.places_left))
        return out

    def _vacancy(self, number: str, doc: dict[str, Any], published_at: str) -> Vacancy:
        emp, gig = doc["employer"], doc.get("gig")
        code = doc["division_code"]
        city = divisions.CITIES.get(code[:4], "")
        district = divisions.name_of(code[:6]) if len(code) >= 6 and divisions.is_known(code[:6]) \
            else ""
        town = divisions.name_of(code) if len(code) == 9 and divisions.is_known(code) else ""
        employer = emp["name"] if emp["kind"] == "unit" else f"{mask_name(emp['name'])}（个人雇主）"
        published = parse_iso(published_at).astimezone(CHINA_TZ).date()
        valid = gig["work_date"] if gig else (published + timedelta(days=JOB_VALID_DAYS)).isoformat()
        requirements = "；".join(doc.get("requirements") or [])
        description = "\n".join(t for t in (doc.get("description", ""),
                                            f"要求：{requirements}" if requirements else "") if t)
        base = Vacancy(
            id=number, title=doc["title"], employer=employer, city=city, district=district,
            town=town, division_code=code, address=doc.get("address", ""),
            latitude=doc.get("latitude"), longitude=doc.get("longitude"),
            salary_min=doc["pay"], salary_max=doc["pay"], salary_unit=doc["pay_unit"],
            employment_type="TEMPORARY" if gig else "FULL_TIME",
            occupation_code=doc["occupation_code"], description=description,
            contact_name=emp.get("masked_handler", ""), contact_phone=doc["contact_phone"],
            date_posted=published.isoformat(), valid_through=valid,
            total_openings=doc["headcount"], tags=("零工",) if gig else ())
        if not gig:
            return base
        return dataclasses.replace(base, kind="gig", work_date=gig["work_date"],
                                   start_time=gig["start_time"],
                                   duration_hours=float(gig["duration_hours"]),
                                   places_left=doc["headcount"], settlement=gig["settlement"])

    def _expire_due(self) -> None:
        """Published postings past their validity become ``expired`` (and leave the catalog)."""
        today = self.store_today()
        rows = self.store.db.execute(
            "SELECT posting_no, doc FROM postings WHERE status='published'").fetchall()
        for number, raw in rows:
            open_days = passed = 0
            for vid in vacancy_ids(number, json.loads(raw).get("gig")):
                found = self.store.vacancy(vid)
                if found is not None and found.valid_through and found.valid_through < today:
                    self.store.delete_vacancy(vid)           # a day that has passed
                    passed += 1
                elif found is not None:
                    open_days += 1
            if passed and not open_days:
                self.store.db.execute("UPDATE postings SET status='expired', updated_at=? "
                                      "WHERE posting_no=?", (self.store.stamp(), number))

    def store_today(self) -> str:
        """Today's date in China time by the store's clock (YYYY-MM-DD)."""
        return parse_iso(self.store.stamp()).astimezone(CHINA_TZ).date().isoformat()

    # --- sign-ups ----------------------------------------------------------------------------
    def sign_up(self, terminal_id: str, division: str, vacancy_id: str,
                req: GigSignupRequest) -> dict[str, Any]:
        """Take one place of gig ``vacancy_id`` for the worker; the ``GigSignup`` reply.

        Raises:
            PostingRefused: 404 ``vacancy_not_found`` (unknown, or not a gig), 409
                ``gig_full`` / ``signup_exists``.
        """
        lookup = id_number_hash(self.salt, req.worker.id_number)
        with self.store.lock:
            found = self.store.vacancy(vacancy_id)
            if found is None or not found.is_gig:
                raise PostingRefused(404, "vacancy_not_found", "no open gig with this id")
            if self.store.db.execute("SELECT 1 FROM signups WHERE vacancy_id=? AND lookup_hash=?",
                                     (vacancy_id, lookup)).fetchone():
                raise PostingRefused(409, "signup_exists", "您已报名这份零工 / already signed up")
            if found.places_left <= 0:
                raise PostingRefused(409, "gig_full", "这份零工已报满 / this gig is full")
            now = self.store.stamp()
            number = self._next_no("BM", division)
            self.store.db.execute("INSERT INTO signups VALUES (?,?,?,?,?,?,?,?)",
                                  (number, vacancy_id, lookup, mask_name(req.worker.name),
                                   mask_phone(req.worker.phone) if req.worker.phone else "",
                                   terminal_id, req.signed_up_at, now))
            left = found.places_left - 1
            self.store.upsert_vacancies([dataclasses.replace(found, places_left=left)])
        return {"signup_no": number, "vacancy_id": vacancy_id, "status": "confirmed",
                "places_left": left, "signed_up_at": now}

    def signups(self, vacancy_id: str) -> list[dict[str, Any]]:
        """The sign-ups of one gig (masked), oldest first."""
        with self.store.lock:
            cur = self.store.db.execute(
                "SELECT signup_no, vacancy_id, masked_name, masked_phone, terminal_id, received_at "
                "FROM signups WHERE vacancy_id=? ORDER BY received_at", (vacancy_id,))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

