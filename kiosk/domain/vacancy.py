"""The vacancy (岗位) record shared by the platform client, the sandbox, the catalog and the UI.

Field meanings follow schema.org ``JobPosting`` (https://schema.org/JobPosting); the JSON shape
on the wire is defined in ``docs/openapi.yaml`` and mapped by the platform client. Codes:

* ``division_code``: GB/T 2260 code of the job location, most precise level known
  (4 digits city, 6 digits county, 9 digits town/street; 东莞 4419 and 中山 4420 have no county
  level, so their towns hang directly under the city).
* ``occupation_code``: 职业分类大典 (2022) / GB/T 6565 middle-category code, e.g. ``"4-07"``.
* ``education_code``: the lowest GB/T 4658 category accepted ("" = 不限), see
  :data:`EDUCATION_ORDER`.
* ``salary_min``/``salary_max``: yuan (元) per ``salary_unit`` (schema.org ``unitText``:
  ``MONTH``, ``DAY``, ``HOUR``, ``YEAR``, and ``PIECE`` = 元/件 for piece-rate gigs); 0 = not
  stated.
* ``kind``: ``"job"`` (an ordinary vacancy) or ``"gig"`` (零工: one day's work). Gigs carry
  ``work_date`` (YYYY-MM-DD, China time), ``start_time`` ("HH:MM"), ``duration_hours``,
  ``places_left`` (signed-up places still free) and ``settlement`` (:data:`SETTLEMENTS`:
  日结/周结/完工结); the pay is ``salary_min``/``salary_max`` per ``salary_unit``. For jobs these
  fields are empty/0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain.i18n_marker import N_

# GB/T 4658-2006 category codes from lowest to highest, with the names a jobseeker sees.
EDUCATION_ORDER: tuple[tuple[str, str], ...] = (
    ("90", N_("其他/不限")),
    ("80", N_("小学")),
    ("70", N_("初中")),
    ("60", N_("普通高中")),
    ("40", N_("中专/技校/职高")),
    ("30", N_("大专")),
    ("20", N_("本科")),
    ("10", N_("研究生")),
)
EDUCATION_RANK = {code: rank for rank, (code, _name) in enumerate(EDUCATION_ORDER)}
EDUCATION_NAMES = dict(EDUCATION_ORDER)

EMPLOYMENT_TYPES = {"FULL_TIME": N_("全职"), "PART_TIME": N_("兼职"), "TEMPORARY": N_("灵活就业"),
                    "INTERN": N_("见习/实习")}
SALARY_UNITS = {"MONTH": "元/月", "DAY": "元/天", "HOUR": "元/小时", "YEAR": "元/年", "PIECE": "元/件"}
SALARY_UNITS_EN = {"MONTH": "month", "DAY": "day", "HOUR": "hour", "YEAR": "year",
                   "PIECE": "piece"}
KINDS = ("job", "gig")
# How a gig is paid (issue 19): daily, weekly, when the work is done.
SETTLEMENTS = {"DAILY": N_("日结"), "WEEKLY": N_("周结"), "ON_COMPLETION": N_("完工结")}


@dataclass(frozen=True)
class Vacancy:
    id: str
    title: str
    employer: str
    city: str
    district: str = ""
    town: str = ""
    division_code: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    salary_min: int = 0
    salary_max: int = 0
    salary_unit: str = "MONTH"
    education_code: str = ""
    employment_type: str = "FULL_TIME"
    occupation_code: str = ""
    occupation_name: str = ""
    description: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    date_posted: str = ""
    valid_through: str = ""
    total_openings: int = 1
    public_welfare: bool = False
    internship: bool = False
    updated_at: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    kind: str = "job"
    work_date: str = ""
    start_time: str = ""
    duration_hours: float = 0.0
    places_left: int = 0
    settlement: str = ""

    @property
    def is_gig(self) -> bool:
        """True for a 零工 gig (``kind == "gig"``)."""
        return self.kind == "gig"

    def salary_text(self, language: str = "zh_CN") -> str:
        """"4500-6000元/月" ("面议" when not stated); in English "CNY 4,500–6,000 / month"
        ("Negotiable")."""
        lo, hi = self.salary_min, self.salary_max
        if language == "en":
            unit = SALARY_UNITS_EN.get(self.salary_unit, "month")
            if lo and hi and hi != lo:
                return f"CNY {lo:,}–{hi:,} / {unit}"
            if lo or hi:
                return f"CNY {lo or hi:,} / {unit}"
            return "Negotiable"
        unit = SALARY_UNITS.get(self.salary_unit, "元/月")
        if lo and hi and hi != lo:
            return f"{lo}-{hi}{unit}"
        if lo or hi:
            return f"{lo or hi}{unit}"
        return "面议"
