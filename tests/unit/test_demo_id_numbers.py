"""The demo data's ID numbers pass the kiosk's checks and belong to no one (assets/demo/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kiosk.domain import id_numbers
from kiosk.domain.codes import divisions
from kiosk.domain.identity_card import IdentityCard

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo"
NUMBER = re.compile(r"\b(?:[1-9]\d{16}[0-9X]|[A-Z]{3}\d{12})\b")


def _no_one_holds(number: str) -> bool:
    if id_numbers.is_valid_hk_macao_taiwan(number):
        return number[14:17] == "000"                  # no 顺序号 000
    if id_numbers.is_valid_foreign_2023(number):
        return 900 <= int(number[3:6]) <= 999           # ISO 3166-1 user-assigned numeric
    if id_numbers.is_valid_foreign_2017(number):
        return "ZZA" <= number[:3] <= "ZZZ"             # ISO 3166-1 user-assigned alpha-3
    return id_numbers.is_valid_gb11643(number) and number[:4] == "4499" \
        and not divisions.is_known(number[:6])          # GB/T 2260 §3.2: no prefecture 99


def test_every_demo_id_number_is_valid_and_reserved() -> None:
    found = {path.relative_to(DEMO).as_posix(): sorted(set(NUMBER.findall(path.read_text("utf-8"))))
             for path in sorted(DEMO.rglob("*.json"))}
    assert {name: numbers for name, numbers in found.items() if numbers} == {
        "applicants.json": ["449901199203154525", "810000199001010000"],
        "cards/foreign_permanent_2017.json": ["ZZZ440190010112"],
        "cards/foreign_permanent_2023.json": ["944999199001010012", "ZZZ440190010112"],
        "cards/hk_macao_taiwan.json": ["810000199001010000"],
        "cards/resident.json": ["449901199203154525"],
        "referral.example.json": ["449901199001011235"],
        "resume.example.json": ["449901198003150023"],
    }
    assert [n for numbers in found.values() for n in numbers if not _no_one_holds(n)] == []


def test_demo_cards_are_accepted_and_consistent() -> None:
    """The app accepts each card; birth date and sex agree with the number (GB 11643)."""
    for path in sorted((DEMO / "cards").glob("*.json")):
        card = IdentityCard.from_json(json.loads(path.read_text("utf-8")))
        assert card.id_number_valid and _no_one_holds(card.id_number), path.name
        if len(card.id_number) == 18:
            assert card.id_number[6:14] == card.birth_date.strftime("%Y%m%d"), path.name
            assert int(card.id_number[16]) % 2 == (card.gender_code == "1"), path.name
