"""The 256-byte text block of the four card types (§4), built by hand from the offset tables."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kiosk.devices.idcard.errors import CardDataError
from kiosk.domain.identity_card import CardDataError as IdentityDataError
from kiosk.devices.idcard.ethnicity import ETHNICITIES, ethnicity_name
from kiosk.domain.identity_card import JSON_KEYS, LONG_TERM, CardType, IdentityCard
from kiosk.devices.idcard.text_block import encode_text_block, parse_text_block

REPO = Path(__file__).resolve().parents[2]
CARDS = REPO / "assets" / "demo" / "cards"
SHARED_DATA = REPO / ".." / "shared" / "data"


def block(fields: dict[int, str]) -> bytes:
    """256 bytes of UCS-2 spaces with each text written at its byte offset."""
    out = bytearray("\u0020".encode("utf-16-le") * 128)
    for offset, text in fields.items():
        data = text.encode("utf-16-le")
        out[offset:offset + len(data)] = data
    return bytes(out)


def test_resident_card_by_offsets() -> None:
    raw = block({0: "陈晓满", 30: "2", 32: "11", 36: "19920315", 52: "广东省广州市天河区示例路1号",
                 122: "11010519491231002X", 158: "广州市公安局天河分局", 188: "20160420",
                 204: "长期"})
    card = parse_text_block(raw, photo=b"\x01" * 1024)
    assert card.card_type is CardType.RESIDENT
    assert (card.name, card.gender, card.ethnicity_code, card.ethnicity) == ("陈晓满", "女", "11", "满族")
    assert card.birth_date == date(1992, 3, 15)
    assert card.address == "广东省广州市天河区示例路1号"
    assert card.id_number == "11010519491231002X" and card.id_number_valid
    assert card.issuer == "广州市公安局天河分局"
    assert card.valid_from == date(2016, 4, 20)
    assert card.valid_until is LONG_TERM and card.is_long_term
    assert card.to_json(reveal=True)["valid_until"] == "long-term"
    assert (card.name_en, card.nationality, card.pass_number, card.previous_id_number) == (None,) * 4
    assert card.photo == b"\x01" * 1024
    assert raw[204:208] == bytes.fromhex("7F 95 1F 67")


def test_hk_macao_taiwan_card_by_offsets() -> None:
    raw = block({0: "林示例", 30: "2", 36: "19880808", 52: "广东省深圳市福田区示例路2号",
                 122: "830000198808080025", 158: "深圳市公安局", 188: "20190301",
                 204: "20240301", 220: "12345678", 238: "03", 248: "J"})
    card = parse_text_block(raw)
    assert card.card_type is CardType.HK_MACAO_TAIWAN
    assert (card.ethnicity_code, card.ethnicity) == (None, None)
    assert (card.pass_number, card.issue_count) == ("12345678", 3)
    assert card.valid_until == date(2024, 3, 1)
    assert card.id_number_valid


def test_foreign_2017_card_by_offsets() -> None:
    raw = block({0: "SMITH,JOHN", 120: "1", 122: "ZZZ440190010112", 152: "ZZZ", 188: "20180601",
                 204: "20280601", 220: "19900101", 236: "01", 240: "4400", 248: "I"})
    card = parse_text_block(raw)
    assert card.card_type is CardType.FOREIGN_PERMANENT_2017
    assert (card.name, card.name_en, card.nationality) == ("", "SMITH,JOHN", "ZZZ")
    assert (card.birth_date, card.card_version, card.issuer) == (date(1990, 1, 1), "01", "4400")
    assert card.address is None and card.id_number_valid


def test_foreign_2023_card_by_offsets_rebuilds_old_number() -> None:
    name = "SMITH, JOHNATHAN EXAMPLE ALEXANDER WILLIAMS"  # 43 chars: 35 + 8
    raw = block({0: "史密约", 30: "1", 32: "01", 36: "19900101", 52: name[:35],
                 122: "944999199001010012", 188: "20240115", 204: "20340115", 220: name[35:],
                 242: "ZZZ", 248: "Y", 250: "011"})
    card = parse_text_block(raw)
    assert card.card_type is CardType.FOREIGN_PERMANENT_2023
    assert card.name_en == name
    assert (card.renewal_count, card.nationality) == (1, "ZZZ")
    assert card.previous_id_number == "ZZZ440190010112"
    assert card.ethnicity is None and card.issuer is None and card.id_number_valid


def test_foreign_2023_without_link_has_no_previous_number() -> None:
    raw = block({0: "史密约", 30: "1", 32: "00", 36: "19900101", 52: "SMITH",
                 122: "944999199001010012", 188: "20240115", 204: "20340115", 242: "ZZZ", 248: "Y"})
    assert parse_text_block(raw).previous_id_number is None


@pytest.mark.parametrize("code,gender", [("0", "未知"), ("1", "男"), ("2", "女"), ("9", "未说明"),
                                         ("5", None)])
def test_gender_codes(code: str, gender: str | None) -> None:
    raw = block({0: "张三", 30: code, 32: "01", 36: "19900101", 122: "440306199001010014",
                 188: "20200101", 204: "20300101"})
    card = parse_text_block(raw)
    assert (card.gender_code, card.gender) == (code, gender)


@pytest.mark.parametrize("code,name", [("01", "汉族"), ("56", "基诺族"), ("97", "其他"),
                                       ("98", "外国血统中国籍人士"), ("57", None), ("00", None)])
def test_ethnicity_codes_unknown_kept(code: str, name: str | None) -> None:
    raw = block({0: "张三", 30: "1", 32: code, 36: "19900101", 122: "440306199001010014",
                 188: "20200101", 204: "20300101"})
    card = parse_text_block(raw)
    assert (card.ethnicity_code, card.ethnicity) == (code, name)


def test_ethnicity_table_matches_gbt3304() -> None:
    path = SHARED_DATA / "gbt3304_ethnicities.csv"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    with path.open(encoding="utf-8") as f:
        rows = {r["code"]: r["name"] for r in csv.DictReader(f)}
    assert len(ETHNICITIES) == 58
    for code in (f"{i:02d}" for i in range(1, 57)):
        assert ethnicity_name(code) == rows[code]


@pytest.mark.parametrize("fields,field", [
    ({36: "1990013X"}, "birth_date"), ({36: "19900230"}, "birth_date"),
    ({188: "长期"}, "valid_from"), ({248: "Z"}, "card_type"), ({122: " "}, "id_number"),
])
def test_bad_fields_raise_card_data_error(fields: dict[int, str], field: str) -> None:
    base = {0: "张三", 30: "1", 32: "01", 36: "19900101", 122: "440306199001010014",
            188: "20200101", 204: "20300101"}
    base.update(fields)
    with pytest.raises(CardDataError) as info:
        parse_text_block(block(base))
    assert info.value.field == field


def test_wrong_size_and_bad_utf16() -> None:
    with pytest.raises(CardDataError):
        parse_text_block(bytes(255))
    raw = bytearray(block({36: "19900101", 122: "440306199001010014", 188: "20200101",
                           204: "20300101"}))
    raw[0:2] = b"\x00\xD8"  # lone high surrogate
    with pytest.raises(CardDataError) as info:
        parse_text_block(bytes(raw))
    assert info.value.field == "name"


@pytest.mark.parametrize("path", sorted(CARDS.glob("*.json")), ids=lambda p: p.stem)
def test_demo_cards_round_trip(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    card = IdentityCard.from_json(data)
    assert parse_text_block(encode_text_block(card)) == card
    out = card.to_json(reveal=True)
    assert tuple(out) == JSON_KEYS
    assert out == {k: v for k, v in data.items() if k in JSON_KEYS}
    assert out["id_number_valid"] is True


def test_masking_and_repr_hide_personal_data() -> None:
    card = IdentityCard.from_json(json.loads((CARDS / "resident.json").read_text("utf-8")))
    masked = card.to_json()
    assert masked["name"] == "陈*满"
    assert masked["id_number"] == "4499**********4525"
    assert masked["address"] == "广东省广州市****"
    assert "449901199203154525" not in repr(card) and "陈晓满" not in repr(card)


def test_encode_rejects_inconsistent_previous_number_and_overlong_fields() -> None:
    card = IdentityCard.from_json(json.loads((CARDS / "foreign_permanent_2023.json").read_text("utf-8")))
    with pytest.raises(CardDataError) as info:
        encode_text_block(replace(card, previous_id_number="ZZZ440290010112"))
    assert info.value.field == "previous_id_number"
    with pytest.raises(CardDataError) as info:
        encode_text_block(replace(card, name="很" * 16))
    assert info.value.field == "name"


def test_from_json_errors_name_the_field() -> None:
    data = json.loads((CARDS / "resident.json").read_text("utf-8"))
    for key, value in (("birth_date", "1992/03/15"), ("card_type", "passport"),
                       ("issue_count", "1"), ("name", None)):
        with pytest.raises(IdentityDataError) as info:  # the domain's (a card file's JSON)
            IdentityCard.from_json({**data, key: value})
        assert info.value.field == key
