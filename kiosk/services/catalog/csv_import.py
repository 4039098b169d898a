"""Import of job-board CSV exports (the columns of ``../shared/data/vacancies_clean.csv``).

Columns: ``title, employer, city, district, salary_min, salary_max, salary_unit, education,
experience, category, description, source_row`` (UTF-8, RFC 4180 quoting, multi-line cells).
Mapping to :class:`~kiosk.domain.vacancy.Vacancy`:

* ``id`` = ``"CSV-"`` + first 12 hex digits of SHA-1(``source_row``) — stable, so importing the
  same file again replaces rather than duplicates;
* ``city``/``district`` → ``division_code`` by :func:`kiosk.domain.codes.divisions.find_division`
  (东莞/中山 "南城区" → town 南城街道 441900004); an unknown district keeps its text and the
  city code;
* ``salary_unit`` "元/月", "元/月（13薪）" → MONTH ("13薪" becomes a tag); "元/周" → MONTH with the
  amounts × 52/12; "元/天" DAY, "元/小时" HOUR, "元/年" YEAR;
* ``education`` wording → GB/T 4658 group (:func:`kiosk.domain.codes.education.parse_requirement`);
* ``category``/``title`` → 大典 middle category (:func:`kiosk.domain.codes.occupations.classify_title`);
* titles with 实习 → ``employment_type`` INTERN; ``experience`` becomes a tag.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from kiosk.domain.codes import divisions, education, occupations
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog.errors import CatalogImportError

COLUMNS = ("title", "employer", "city", "district", "salary_min", "salary_max", "salary_unit",
           "education", "experience", "category", "description", "source_row")
_UNITS = {"元/月": "MONTH", "元/天": "DAY", "元/日": "DAY", "元/小时": "HOUR", "元/时": "HOUR",
          "元/年": "YEAR"}
_MONTHS_PER_WEEK = 52 / 12
_PAY_MONTHS = re.compile(r"（(\d+)薪）|\((\d+)薪\)")


def _amount(text: str, path: str, line: int, column: str) -> int:
    text = text.strip()
    if not text:
        return 0
    try:
        return int(float(text))
    except ValueError as exc:
        raise CatalogImportError(path, line, f"{column} is not a number: {text!r}") from exc


def row_to_vacancy(row: dict[str, str], path: str = "<csv>", line: int = 0,
                   updated_at: str = "") -> Vacancy:
    """Map one CSV record to a Vacancy (see the module docstring).

    Raises:
        CatalogImportError: empty title, unknown city, bad number, unknown education wording.
    """
    title = (row.get("title") or "").strip()
    if not title:
        raise CatalogImportError(path, line, "empty title")
    city_name = (row.get("city") or "").strip()
    city_code = divisions.find_city(city_name)
    if not city_code:
        raise CatalogImportError(path, line, f"not a Guangdong city: {city_name!r}")
    district_text = (row.get("district") or "").strip()
    code = divisions.find_division(city_code, district_text) or city_code
    district, town = district_text, ""
    if len(code) == 9:
        town = divisions.name_of(code)
        county = divisions.county_code_of(code)
        district = divisions.name_of(county) if county else ""
    elif len(code) == 6:
        district = divisions.name_of(code)
    tags: list[str] = []
    unit_text = (row.get("salary_unit") or "").strip()
    low = _amount(row.get("salary_min") or "", path, line, "salary_min")
    high = _amount(row.get("salary_max") or "", path, line, "salary_max")
    pay_months = _PAY_MONTHS.search(unit_text)
    if pay_months:
        tags.append(f"{pay_months.group(1) or pay_months.group(2)}薪")
        unit_text = _PAY_MONTHS.sub("", unit_text)
    if unit_text == "元/周":
        unit, low, high = "MONTH", round(low * _MONTHS_PER_WEEK), round(high * _MONTHS_PER_WEEK)
    else:
        unit = _UNITS.get(unit_text, "MONTH")
    try:
        edu = education.parse_requirement(row.get("education") or "")
    except CodeError as exc:
        raise CatalogImportError(path, line, str(exc)) from exc
    occupation = occupations.classify_title(title, row.get("category") or "")
    experience = (row.get("experience") or "").strip()
    if experience:
        tags.append(experience)
    source = row.get("source_row") or f"{path}#{line}"
    return Vacancy(
        id="CSV-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:12],
        title=title, employer=(row.get("employer") or "").strip(), city=divisions.CITIES[city_code],
        district=district, town=town, division_code=code, salary_min=low, salary_max=high,
        salary_unit=unit, education_code=edu,
        employment_type="INTERN" if "实习" in title else "FULL_TIME",
        occupation_code=occupation,
        occupation_name=occupations.MIDDLES[occupation] if occupation else "",
        description=(row.get("description") or "").strip(), updated_at=updated_at,
        tags=tuple(tags))


def read_csv(path: str | Path, updated_at: str = "") -> Iterator[Vacancy]:
    """Vacancies of a CSV file, one per record, in file order.

    Raises:
        CatalogImportError: the file is missing, not UTF-8, lacks a column, or a record is bad
            (``line`` is the file line where the record ends).
    """
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS[:4] if c not in (reader.fieldnames or [])]
            if missing:
                raise CatalogImportError(name, 0, f"missing columns: {', '.join(missing)}")
            for row in reader:
                yield row_to_vacancy(row, name, reader.line_num, updated_at)
    except FileNotFoundError as exc:
        raise CatalogImportError(name, 0, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise CatalogImportError(name, 0, f"not UTF-8 ({exc.reason})") from exc
    except csv.Error as exc:
        raise CatalogImportError(name, 0, f"not valid CSV: {exc}") from exc
