"""The referral (岗位推荐) as printed on a slip, parsed from its JSON form.

JSON shape (``assets/demo/referral.example.json``)::

    {"referral_id": str, "station": {"name", "hotline", "complaint"},
     "issued_at": ISO 8601 date-time, "valid_until": "YYYY-MM-DD", "verify_url": http(s) URL,
     "jobseeker": {"name", "id_number", "phone"},
     "vacancy": {"id", "title", "employer", "address", "salary_min", "salary_max",
                 "salary_unit" (MONTH|DAY|HOUR|YEAR), "contact_name", "contact_phone",
                 "interview_note"}}

Salaries are whole yuan per ``salary_unit`` (schema.org ``unitText``); 0 = not stated.
Personal fields are excluded from ``repr`` so a logged referral leaks nothing.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from collections.abc import Mapping

from kiosk.domain.vacancy import SALARY_UNITS
from kiosk.services.slip.errors import ReferralFormatError


@dataclass(frozen=True)
class StationInfo:
    name: str
    hotline: str
    complaint: str = "12333"


@dataclass(frozen=True)
class JobseekerInfo:
    """Full values are kept only in memory for masking; ``repr`` shows nothing."""

    name: str = field(repr=False)
    id_number: str = field(repr=False)
    phone: str = field(repr=False)


@dataclass(frozen=True)
class ReferralVacancy:
    id: str
    title: str
    employer: str
    address: str = ""
    salary_min: int = 0
    salary_max: int = 0
    salary_unit: str = "MONTH"
    contact_name: str = ""
    contact_phone: str = ""
    interview_note: str = ""

    def salary_text(self) -> str:
        """"4500-6000元/月"; "面议" when neither bound is stated."""
        unit = SALARY_UNITS[self.salary_unit]
        lo, hi = self.salary_min, self.salary_max
        if lo and hi and lo != hi:
            return f"{lo}-{hi}{unit}"
        if lo or hi:
            return f"{lo or hi}{unit}"
        return "面议"


@dataclass(frozen=True)
class Referral:
    referral_id: str
    station: StationInfo
    issued_at: datetime
    valid_until: date
    verify_url: str
    jobseeker: JobseekerInfo
    vacancy: ReferralVacancy

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Referral:
        """Validate and build a referral from its JSON mapping.

        The verify URL is percent-encoded to ASCII (a QR payload must be ASCII).

        Raises:
            ReferralFormatError: a missing key or a wrong type/value; ``field`` names it as a
                dotted path ("vacancy.salary_min"). Values are never quoted in the message.
        """
        if not isinstance(data, Mapping):
            raise ReferralFormatError("", "must be a JSON object")
        station = _section(data, "station")
        seeker = _section(data, "jobseeker")
        vac = _section(data, "vacancy")
        issued_raw = _str(data, "issued_at")
        try:
            issued = datetime.fromisoformat(issued_raw)
        except ValueError as exc:
            raise ReferralFormatError("issued_at", "must be an ISO 8601 date-time") from exc
        try:
            valid = date.fromisoformat(_str(data, "valid_until"))
        except ValueError as exc:
            raise ReferralFormatError("valid_until", "must be YYYY-MM-DD") from exc
        if valid < issued.date():
            raise ReferralFormatError("valid_until", "is before issued_at")
        unit = _str(vac, "salary_unit", "vacancy", default="MONTH")
        if unit not in SALARY_UNITS:
            raise ReferralFormatError("vacancy.salary_unit", f"must be one of {sorted(SALARY_UNITS)}")
        salary_min = _int(vac, "salary_min", "vacancy")
        salary_max = _int(vac, "salary_max", "vacancy")
        if salary_min and salary_max and salary_max < salary_min:
            raise ReferralFormatError("vacancy.salary_max", "is below salary_min")
        return cls(
            referral_id=_str(data, "referral_id"),
            station=StationInfo(_str(station, "name", "station"),
                                _str(station, "hotline", "station"),
                                _str(station, "complaint", "station", default="12333")),
            issued_at=issued,
            valid_until=valid,
            verify_url=_url(_str(data, "verify_url")),
            jobseeker=JobseekerInfo(_str(seeker, "name", "jobseeker"),
                                    _str(seeker, "id_number", "jobseeker"),
                                    _str(seeker, "phone", "jobseeker", default="")),
            vacancy=ReferralVacancy(
                id=_str(vac, "id", "vacancy"), title=_str(vac, "title", "vacancy"),
                employer=_str(vac, "employer", "vacancy"),
                address=_str(vac, "address", "vacancy", default=""),
                salary_min=salary_min, salary_max=salary_max, salary_unit=unit,
                contact_name=_str(vac, "contact_name", "vacancy", default=""),
                contact_phone=_str(vac, "contact_phone", "vacancy", default=""),
                interview_note=_str(vac, "interview_note", "vacancy", default="")),
        )


_MISSING = object()


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ReferralFormatError(key, "must be an object")
    return value


def _str(data: Mapping[str, Any], key: str, prefix: str = "", default: Any = _MISSING) -> str:
    name = f"{prefix}.{key}" if prefix else key
    value = data.get(key, default)
    if value is _MISSING:
        raise ReferralFormatError(name, "is missing")
    if not isinstance(value, str):
        raise ReferralFormatError(name, "must be a string")
    if default is _MISSING and not value.strip():
        raise ReferralFormatError(name, "is empty")
    return value.strip()


def _int(data: Mapping[str, Any], key: str, prefix: str) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReferralFormatError(f"{prefix}.{key}", "must be a whole number ≥ 0 (yuan)")
    return value


#: Bytes a QR code can hold at all: version 40, error correction M, byte mode (ISO/IEC 18004
#: Table 7). Whether it also fits the paper is checked when the slip is encoded.
QR_MAX_URL_BYTES = 2331


def _url(value: str) -> str:
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:  # "Invalid IPv6 URL" (http://[::1), bad port …
        raise ReferralFormatError("verify_url", "is not a valid URL") from exc
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ReferralFormatError("verify_url", "must be an http(s) URL")
    try:
        host = parts.netloc.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ReferralFormatError("verify_url", "has an invalid host name") from exc
    quote = lambda s, safe: urllib.parse.quote(s, safe=safe)  # noqa: E731 - keeps % escapes
    url = urllib.parse.urlunsplit((parts.scheme, host, quote(parts.path, "/%:@!$&'()*+,;="),
                                   quote(parts.query, "=&%/:?@!$'()*+,;"),
                                   quote(parts.fragment, "%/?:@")))
    if len(url) > QR_MAX_URL_BYTES:
        raise ReferralFormatError("verify_url", f"is {len(url)} bytes; a QR code holds at most "
                                  f"{QR_MAX_URL_BYTES} (ISO/IEC 18004, version 40-M)")
    return url
