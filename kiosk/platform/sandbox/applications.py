"""The sandbox's 办件 casework: 失业登记, 灵活就业登记 and 就业困难人员认定 applications.

What it decides at once (``POST /v1/applications``; wording for the person, plain Chinese):

* an open application (not in a final state, :data:`kiosk.domain.applications.FINAL_STATES`) of the
  same kind for the same person → that application again, ``200`` (nothing new);
* 失业登记 while the person holds a valid 失业登记 → ``not_accepted`` "您已有有效的失业登记…";
* 失业登记 with a 常住地 outside Guangdong → ``not_accepted`` (register at the 常住地, 人社部发〔2014〕97号);
* 灵活就业登记 while one is valid → ``not_accepted``;
* otherwise the first state (``accepted`` / ``submitted``).

Every later move is the **casework switch** (:meth:`ApplicationCasework.move`, served at
``POST /_sandbox/applications/{application_no}/state`` and ``kiosk sandbox casework``), checked
against the state machine of :mod:`kiosk.domain.applications`; ``completed`` / ``certified`` /
``cancelled`` update what the prefill says about the person.

Personal data: the person is kept only as the salted ID-number hash; divisions and education
are kept for the prefill. The details sent (失业原因, 健康状况, disability, 就业困难 categories) are
**not stored at all**: the sandbox reads them to decide and drops them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.domain import applications as rules
from kiosk.platform.sandbox.store import Store
from kiosk.platform.signing import verify_token
from kiosk.platform.submissions import (FlexibleEmploymentApplication, HardshipApplication,
                                        UnemploymentApplication)
from kiosk.platform.wire_formats import id_number_hash, parse_iso

CHINA = timezone(timedelta(hours=8))
#: the progress page a phone opens from the slip's QR code (outside /v1, no signature)
PROGRESS_PATH_TEMPLATE = "/progress/{application_no}?t={token}"
DEMO_APPLICANTS = Path(__file__).resolve().parents[3] / "assets" / "demo" / "applicants.json"

SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    application_no TEXT PRIMARY KEY, kind TEXT NOT NULL, lookup_hash TEXT NOT NULL,
    terminal_id TEXT NOT NULL, state TEXT NOT NULL, reason TEXT, missing_items TEXT NOT NULL,
    appeal_until TEXT, submitted_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    history TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS applications_person ON applications (lookup_hash, submitted_at);
CREATE TABLE IF NOT EXISTS applicants (
    lookup_hash TEXT PRIMARY KEY, hukou_division TEXT, residence_division TEXT,
    education_code TEXT, registration_status TEXT NOT NULL DEFAULT 'none',
    last_unemployment_registration TEXT, hardship_certified INTEGER NOT NULL DEFAULT 0);
"""

AnyApplication = UnemploymentApplication | FlexibleEmploymentApplication | HardshipApplication


class MoveRefused(ValueError):
    """The casework switch cannot make this move. ``code``: ``application_not_found``,
    ``transition_invalid`` or ``reason_missing`` / ``missing_items_missing``."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Reply:
    """(status, body) of a submission: 201 new, 200 the open one returned."""

    status: int
    body: dict[str, Any]


class ApplicationCasework:
    """Applications and applicants on the sandbox store's connection."""

    def __init__(self, store: Store, salt: str) -> None:
        self.store = store
        self.salt = salt
        with store.lock:
            store.db.executescript(SCHEMA)

    # --- demo data ----------------------------------------------------------------------------
    def seed_applicants(self, path: Path = DEMO_APPLICANTS) -> int:
        """Load demo applicants ``{"applicants": [{"id_number", "hukou_division", …}]}`` (the
        ID number is hashed on the way in). Returns how many; 0 when the file is absent."""
        if not path.is_file():
            return 0
        people = json.loads(path.read_text(encoding="utf-8")).get("applicants", [])
        with self.store.lock:
            for p in people:
                self.store.db.execute(
                    "INSERT OR IGNORE INTO applicants VALUES (?,?,?,?,?,?,?)",
                    (id_number_hash(self.salt, p["id_number"]), p.get("hukou_division"),
                     p.get("residence_division"), p.get("education_code"),
                     p.get("registration_status", "none"),
                     p.get("last_unemployment_registration"), int(bool(p.get("hardship_certified")))))
        return len(people)

    # --- prefill --------------------------------------------------------------------------------
    def prefill(self, lookup_hash: str) -> dict[str, Any]:
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT hukou_division, residence_division, education_code, registration_status, "
                "last_unemployment_registration, hardship_certified FROM applicants "
                "WHERE lookup_hash=?", (lookup_hash,)).fetchone()
        if row is None:
            return {"known": False, "hukou_division": None, "residence_division": None,
                    "education_code": None, "registration_status": "none",
                    "last_unemployment_registration": None, "hardship_certified": False}
        return {"known": True, "hukou_division": row[0], "residence_division": row[1],
                "education_code": row[2], "registration_status": row[3],
                "last_unemployment_registration": row[4], "hardship_certified": bool(row[5])}

    # --- submit ---------------------------------------------------------------------------------
    def submit(self, terminal_id: str, division: str, app: AnyApplication, base_url: str,
               secret: bytes) -> Reply:
        """Decide a new application (see the module docstring)."""
        lookup = id_number_hash(self.salt, app.identity.id_number)
        with self.store.lock:
            self.store.db.execute(
                "INSERT INTO applicants (lookup_hash, hukou_division, residence_division, "
                "education_code) VALUES (?,?,?,?) ON CONFLICT (lookup_hash) DO UPDATE SET "
                "hukou_division=excluded.hukou_division, "
                "residence_division=excluded.residence_division, "
                "education_code=excluded.education_code",
                (lookup, app.hukou_division, app.residence_division, app.education_code))
            open_one = self.store.db.execute(
                "SELECT application_no FROM applications WHERE lookup_hash=? AND kind=? AND "
                f"state NOT IN ({','.join('?' * len(rules.FINAL_STATES))}) "
                "ORDER BY submitted_at DESC LIMIT 1",
                (lookup, app.kind, *sorted(rules.FINAL_STATES))).fetchone()
            if open_one is not None:
                view = self.view(open_one[0], base_url, secret)
                assert view is not None
                return Reply(200, view)
            person = self.prefill(lookup)
            state, reason = rules.initial_state(app.kind), None
            if isinstance(app, UnemploymentApplication):
                if person["registration_status"] == "registered_unemployed":
                    state, reason = "not_accepted", (
                        f"您已有有效的失业登记（登记日期 {person['last_unemployment_registration']}），"
                        "无需重复办理。")
                elif not app.residence_division.startswith("44"):
                    state, reason = "not_accepted", (
                        "失业登记请到常住地的公共就业服务机构办理；本平台受理常住地在广东省的失业登记。")
            elif isinstance(app, FlexibleEmploymentApplication) and \
                    person["registration_status"] == "flexible_employment":
                state, reason = "not_accepted", "您已有有效的灵活就业登记，无需重复办理。"
            now = self.store.stamp()
            number = self._next_no(division)
            self.store.db.execute(
                "INSERT INTO applications VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (number, app.kind, lookup, terminal_id, state, reason, "[]", None, now, now,
                 json.dumps([{"state": state, "at": now}])))
        view = self.view(number, base_url, secret)
        assert view is not None
        return Reply(201, view)

    def _next_no(self, division: str) -> str:
        n = int(self.store.meta("seq_APP", "0")) + 1
        self.store.set_meta("seq_APP", str(n))
        return f"APP-{division or '440000'}-{n:06d}"

    # --- the casework switch ----------------------------------------------------------------
    def move(self, application_no: str, target: str | None = None, reason: str = "",
             missing_items: list[str] | None = None) -> str:
        """Move a case: to ``target`` (validated against the state machine), or along the happy
        path when ``target`` is None (from ``needs_materials``: back to ``accepted``, the 补正
        having been made). Returns the new state.

        ``refused`` / ``not_accepted`` need a ``reason``; ``needs_materials`` needs
        ``missing_items`` (every item at once). A refusal sets ``appeal_until`` (30 days).

        Raises:
            MoveRefused: unknown number, a move the workflow does not allow, or what the target
                state needs is missing.
        """
        missing = [m.strip() for m in (missing_items or []) if m.strip()]
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT kind, state, history, lookup_hash FROM applications "
                "WHERE application_no=?", (application_no,)).fetchone()
            if row is None:
                raise MoveRefused("application_not_found", "no application with this number")
            kind, state, history_json, lookup = row
            if target is None and state == "needs_materials":
                target = "accepted"          # 补正 done: accepted again (then 已办结)
            if target is None:
                path = rules.HAPPY_PATH[kind]
                if state not in path or path.index(state) + 1 >= len(path):
                    raise MoveRefused("transition_invalid",
                                      f"{state} has no next state on the usual path")
                target = path[path.index(state) + 1]
            if not rules.can_move(kind, state, target):
                raise MoveRefused("transition_invalid", f"{kind}: {state} → {target} is not allowed")
            if target in rules.STATES_WITH_REASON and not reason.strip():
                raise MoveRefused("reason_missing", f"{target} needs a reason")
            if target == "needs_materials" and not missing:
                raise MoveRefused("missing_items_missing", "needs_materials lists every missing item")
            now = self.store.stamp()
            appeal = None
            if target == "refused":
                appeal = rules.appeal_until(parse_iso(now).astimezone(CHINA).date()).isoformat()
            history = json.loads(history_json) + [{"state": target, "at": now}]
            self.store.db.execute(
                "UPDATE applications SET state=?, reason=?, missing_items=?, appeal_until=?, "
                "updated_at=?, history=? WHERE application_no=?",
                (target, (reason.strip() or None) if target in rules.STATES_WITH_REASON else None,
                 json.dumps(missing if target == "needs_materials" else [], ensure_ascii=False),
                 appeal, now, json.dumps(history), application_no))
            self._person_after(lookup, kind, target, now)
        return target

    def _person_after(self, lookup: str, kind: str, state: str, now: str) -> None:
        today = parse_iso(now).astimezone(CHINA).date().isoformat()
        db = self.store.db
        if kind == rules.UNEMPLOYMENT and state == "completed":
            db.execute("UPDATE applicants SET registration_status='registered_unemployed', "
                       "last_unemployment_registration=? WHERE lookup_hash=?", (today, lookup))
        elif kind == rules.FLEXIBLE and state == "completed":
            # 灵活就业 is 就业: it ends an open 失业登记 (§2.3, inference)
            db.execute("UPDATE applicants SET registration_status='flexible_employment' "
                       "WHERE lookup_hash=?", (lookup,))
        elif kind == rules.HARDSHIP and state in ("certified", "cancelled"):
            db.execute("UPDATE applicants SET hardship_certified=? WHERE lookup_hash=?",
                       (int(state == "certified"), lookup))

    # --- reading --------------------------------------------------------------------------------
    def view(self, application_no: str, base_url: str, secret: bytes | None) -> dict[str, Any] | None:
        """The contract's ``Application`` object, or None for an unknown number. ``secret``:
        the device secret of the terminal that submitted it (makes the progress-page token)."""
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT application_no, kind, state, reason, missing_items, appeal_until, "
                "submitted_at, updated_at, history, terminal_id FROM applications "
                "WHERE application_no=?", (application_no,)).fetchone()
            if row is None:
                return None
            if secret is None:
                secret = self.store.secret_for(row[9]) or b""
        number, kind, state = row[0], row[1], row[2]
        limit = rules.TIME_LIMITS[kind]
        return {"application_no": number, "kind": kind, "state": state,
                "state_label": rules.state_label(state), "submitted_at": row[6],
                "updated_at": row[7],
                "time_limit": {"working_days": limit.working_days, "text": limit.text_zh},
                "reason": row[3], "missing_items": json.loads(row[4]), "appeal_until": row[5],
                "progress_url": base_url + PROGRESS_PATH_TEMPLATE.format(
                    application_no=number, token=progress_token(secret, number)),
                "history": json.loads(row[8])}

    def for_person(self, lookup_hash: str, base_url: str) -> list[dict[str, Any]]:
        with self.store.lock:
            numbers = [r[0] for r in self.store.db.execute(
                "SELECT application_no FROM applications WHERE lookup_hash=? "
                "ORDER BY submitted_at DESC", (lookup_hash,))]
        views = [self.view(n, base_url, None) for n in numbers]
        return [v for v in views if v is not None]

    def numbers(self) -> list[str]:
        with self.store.lock:
            return [r[0] for r in self.store.db.execute(
                "SELECT application_no FROM applications ORDER BY submitted_at")]


def progress_token(secret: bytes, application_no: str) -> str:
    """The unguessable token of the progress page URL (application numbers are sequential):
    :func:`kiosk.platform.signing.verify_token` over ``"APPLICATION " + number``."""
    return verify_token(secret, "APPLICATION " + application_no)


__all__ = ["ApplicationCasework", "MoveRefused", "Reply", "progress_token", "SCHEMA",
           "PROGRESS_PATH_TEMPLATE"]
