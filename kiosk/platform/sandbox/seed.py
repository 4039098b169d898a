"""Seeding the sandbox's catalog and content.

Two sources:

* the project's demo data: ``assets/demo/vacancies.json`` = ``{"vacancies": [objects with the
  field names of kiosk.domain.vacancy.Vacancy]}`` and ``assets/demo/content.json`` =
  ``{"policies": [...], "courses": [...]}`` (:func:`seed_demo`);
* a CSV in the columns of ``../shared/data/vacancies_clean.csv`` (``title, employer, city,
  district, salary_min, salary_max, salary_unit, education, experience, category, description,
  source_row``; UTF-8, RFC 4180) (:func:`seed_csv`). Division codes are looked up in a
  ``gd_divisions.csv`` beside the CSV when there is one (GB/T 2260, city then county name);
  education names map to GB/T 4658 categories; salary units other than 元/月 (incl. "13薪"
  variants), 元/天, 元/小时, 元/年 are treated as not stated.

Errors: :class:`SeedError` (file missing, not JSON/CSV, a record that does not fit).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from kiosk.domain.vacancy import Vacancy
from kiosk.platform.sandbox.store import Store

CSV_COLUMNS = ("title", "employer", "city", "district", "salary_min", "salary_max",
               "salary_unit", "education", "experience", "category", "description", "source_row")
EDUCATION_BY_NAME = {"不限": "", "": "", "初中及以下": "70", "高中": "60", "中专/中技": "40",
                     "中专": "40", "大专": "30", "本科": "20", "硕士": "10", "博士": "10"}
UNIT_BY_TEXT = {"元/月": "MONTH", "元/天": "DAY", "元/小时": "HOUR", "元/年": "YEAR"}


class SeedError(Exception):
    """Seed data cannot be used. ``source`` names the file, ``reason`` what is wrong."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"seed data {source}: {reason}")
        self.source = source
        self.reason = reason


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SeedError(str(path), "file not found") from exc
    except ValueError as exc:
        raise SeedError(str(path), f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SeedError(str(path), "top level must be an object")
    return data


def demo_vacancies(path: Path) -> list[Vacancy]:
    """Vacancies of a demo ``vacancies.json``. Raises SeedError."""
    records = _load_json(path).get("vacancies")
    if not isinstance(records, list):
        raise SeedError(str(path), 'expected {"vacancies": [...]}')
    out = []
    for n, rec in enumerate(records):
        try:
            rec = dict(rec)
            rec["tags"] = tuple(rec.get("tags") or ())
            out.append(Vacancy(**rec))
        except TypeError as exc:
            raise SeedError(str(path), f"vacancy #{n}: {exc}") from exc
    return out


def seed_demo(store: Store, vacancies_json: Path, content_json: Path | None = None) -> int:
    """Load demo vacancies (and policies/courses when ``content_json`` exists). Returns the count."""
    count = store.upsert_vacancies(demo_vacancies(vacancies_json))
    if content_json is not None and content_json.exists():
        content = _load_json(content_json)
        for kind in ("policies", "courses"):
            items = content.get(kind, [])
            if not isinstance(items, list) or not all(isinstance(i, dict) and "id" in i
                                                      for i in items):
                raise SeedError(str(content_json), f"{kind} must be a list of objects with an id")
            store.set_content(kind, items)
    return count


def _divisions(folder: Path) -> dict[tuple[str, str], str]:
    """(city name, county name or "") -> GB/T 2260 code, from ``gd_divisions.csv`` if present."""
    path = folder / "gd_divisions.csv"
    if not path.exists():
        return {}
    names: dict[str, str] = {}
    out: dict[tuple[str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        names[row["code"]] = row["name"]
    for row in rows:
        if row["level"] == "city":
            out[(row["name"], "")] = row["code"]
        elif row["level"] == "county":
            out[(names.get(row["city_code"], ""), row["name"])] = row["code"]
    return out


def _int(text: str) -> int:
    try:
        return max(0, int(float(text))) if text.strip() else 0
    except ValueError:
        return 0


def csv_vacancies(path: Path) -> Iterator[Vacancy]:
    """Vacancies from a CSV with :data:`CSV_COLUMNS`. Raises SeedError (missing file/columns)."""
    try:
        fh = path.open(encoding="utf-8", newline="")
    except FileNotFoundError as exc:
        raise SeedError(str(path), "file not found") from exc
    divisions = _divisions(path.parent)
    with fh:
        reader = csv.DictReader(fh)
        missing = set(CSV_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise SeedError(str(path), f"missing columns: {', '.join(sorted(missing))}")
        for n, row in enumerate(reader, start=1):
            unit_text = row["salary_unit"].split("（")[0]
            unit = UNIT_BY_TEXT.get(unit_text)
            city, district = row["city"].strip(), row["district"].strip()
            code = divisions.get((city, district)) or divisions.get((city, ""), "")
            key = row["source_row"] or f"{path.name}#{n}"
            yield Vacancy(
                id="CSV-" + hashlib.sha256(key.encode()).hexdigest()[:12],
                title=row["title"].strip() or "（未命名岗位）", employer=row["employer"].strip(),
                city=city, district=district, division_code=code,
                salary_min=_int(row["salary_min"]) if unit else 0,
                salary_max=_int(row["salary_max"]) if unit else 0,
                salary_unit=unit or "MONTH",
                education_code=EDUCATION_BY_NAME.get(row["education"].strip(), ""),
                occupation_name=row["category"].strip(), description=row["description"],
                tags=tuple(t for t in (row["experience"].strip(),) if t))


def seed_csv(store: Store, path: Path, limit: int | None = None) -> int:
    """Load up to ``limit`` vacancies from a CSV (see :func:`csv_vacancies`). Returns the count."""
    batch: list[Vacancy] = []
    total = 0
    for v in csv_vacancies(path):
        if limit is not None and total + len(batch) >= limit:
            break
        batch.append(v)
        if len(batch) >= 1000:
            total += store.upsert_vacancies(batch)
            batch = []
    return total + store.upsert_vacancies(batch)
