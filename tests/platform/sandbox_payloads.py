"""Request bodies and constants shared by the platform tests (valid per docs/openapi.yaml)."""

from __future__ import annotations

import uuid
from typing import Any

TERMINAL = "GD-TEST-0001"
SECRET = bytes(range(32))
ID_NUMBER = "449901199001011235"   # GB 11643 check digit valid (demo number)


def key() -> str:
    return str(uuid.uuid4())


def consent(*purposes: str) -> dict[str, Any]:
    return {"version": "2026-11", "text_sha256": "ab" * 32,
            "accepted_at": "2026-11-30T02:00:00Z", "purposes": list(purposes or ["registration"])}


def registration(phone: str = "13800138000", **changes: Any) -> dict[str, Any]:
    body = {"identity": {"document_type": "resident_id", "id_number": ID_NUMBER,
                         "name": "张小明", "sex": "male", "birth_date": "1990-01-01",
                         "ethnicity_code": "01"},
            "phone": phone, "education_code": "40", "desired_occupations": ["4-02"],
            "desired_divisions": ["440106"],
            "expected_salary": {"min": 4500, "max": 6000, "unit": "MONTH"},
            "employment_type": "FULL_TIME", "key_groups": ["unemployed"],
            "consent": consent("registration", "sensitive_key_group")}
    body.update(changes)
    return body


def referral(seq: int = 7, vacancy_id: str = "T-0001", terminal: str = TERMINAL) -> dict[str, Any]:
    return {"referral_id": f"{terminal}-20261130-{seq:04d}", "vacancy_id": vacancy_id,
            "jobseeker": {"id_number": ID_NUMBER, "name": "张小明", "phone": "13800138000"},
            "issued_at": "2026-11-30T02:15:00Z"}


def assistance(kind: str = "career_guidance_appointment") -> dict[str, Any]:
    return {"kind": kind, "jobseeker": {"id_number": ID_NUMBER, "name": "张小明",
                                        "phone": "13800138000"},
            "note": "希望了解家政培训", "preferred_time": "工作日上午",
            "consent": consent("assistance")}


def heartbeat(**changes: Any) -> dict[str, Any]:
    body = {"status": "ok", "sent_at": "2026-11-30T02:00:00Z",
            "versions": {"app": "0.1.0", "python": "3.11"},
            "devices": {"card_reader": "ok", "printer": "paper_low"},
            "outbox_depth": 2, "outbox_dead": 0, "uptime_s": 3600}
    body.update(changes)
    return body


def application(kind: str = "unemployment_registration", id_number: str = "440106198805051237",
                **changes: Any) -> dict[str, Any]:
    """A valid ``ApplicationRequest`` body of ``kind`` (no sensitive answers)."""
    body: dict[str, Any] = {
        "kind": kind,
        "identity": {"document_type": "resident_id", "id_number": id_number, "name": "李四",
                     "sex": "male", "birth_date": "1988-05-05", "ethnicity_code": "01"},
        "phone": "13800138000", "hukou_division": "440106", "residence_division": "440106",
        "education_code": "60", "consent": consent("assistance"),
    }
    if kind == "unemployment_registration":
        body["unemployment"] = {"reason_code": "21", "unemployed_since": "2026-11-20",
                                "health_code": "1", "claims_insurance": True}
    elif kind == "flexible_employment_registration":
        body["flexible_employment"] = {"type_code": "platform", "started_on": "2026-11-01",
                                       "workplace_division": "440106"}
    else:
        body["hardship"] = {"categories": [7]}
    body.update(changes)
    return body
