"""The 256-byte machine-readable text block of the four card types (``idcard-protocol.md`` §4).

UCS-2 little-endian, fixed-length fields padded with U+0020. The card type is the character at
bytes 248–249: space = resident ID card (居民身份证), ``J`` = HK/Macau/Taiwan residence permit
(港澳台居民居住证), ``I`` = 2017 foreign permanent resident ID card, ``Y`` = 2023 edition.
Offsets (bytes) and sizes are in the ``LAYOUTS`` table; :func:`parse_text_block` and
:func:`encode_text_block` are inverses of each other for every card :func:`parse_text_block`
accepts.
"""

from __future__ import annotations

from datetime import date

from kiosk.devices.idcard import numbers
from kiosk.devices.idcard.errors import CardDataError
from kiosk.devices.idcard.frames import TEXT_SIZE
from kiosk.domain.identity_card import LONG_TERM, CardType, IdentityCard, LongTerm

FLAG_OFFSET = 248
LONG_TERM_TEXT = "长期"
FLAGS = {" ": CardType.RESIDENT, "J": CardType.HK_MACAO_TAIWAN,
         "I": CardType.FOREIGN_PERMANENT_2017, "Y": CardType.FOREIGN_PERMANENT_2023}
FLAG_OF = {card_type: flag for flag, card_type in FLAGS.items()}

# field -> (byte offset, byte size), per card type.
LAYOUTS: dict[CardType, dict[str, tuple[int, int]]] = {
    CardType.RESIDENT: {
        "name": (0, 30), "gender_code": (30, 2), "ethnicity_code": (32, 4),
        "birth_date": (36, 16), "address": (52, 70), "id_number": (122, 36),
        "issuer": (158, 30), "valid_from": (188, 16), "valid_until": (204, 16),
    },
    CardType.HK_MACAO_TAIWAN: {
        "name": (0, 30), "gender_code": (30, 2), "birth_date": (36, 16), "address": (52, 70),
        "id_number": (122, 36), "issuer": (158, 30), "valid_from": (188, 16),
        "valid_until": (204, 16), "pass_number": (220, 18), "issue_count": (238, 4),
    },
    CardType.FOREIGN_PERMANENT_2017: {
        "name_en": (0, 120), "gender_code": (120, 2), "id_number": (122, 30),
        "nationality": (152, 6), "name": (158, 30), "valid_from": (188, 16),
        "valid_until": (204, 16), "birth_date": (220, 16), "card_version": (236, 4),
        "issuer": (240, 8),
    },
    CardType.FOREIGN_PERMANENT_2023: {
        "name": (0, 30), "gender_code": (30, 2), "renewal_count": (32, 4),
        "birth_date": (36, 16), "name_en": (52, 70), "id_number": (122, 36),
        "valid_from": (188, 16), "valid_until": (204, 16), "name_en_more": (220, 22),
        "nationality": (242, 6), "previous_link": (250, 6),
    },
}
_DATES = ("birth_date", "valid_from", "valid_until")
_COUNTS = ("issue_count", "renewal_count")


def _raw(block: bytes, name: str, offset: int, size: int) -> str:
    try:
        return block[offset:offset + size].decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise CardDataError(name, "not valid UCS-2 text") from exc


def _text(block: bytes, name: str, offset: int, size: int) -> str:
    return _raw(block, name, offset, size).strip(" \x00")


def _date(value: str, name: str) -> date | LongTerm:
    if name == "valid_until" and value == LONG_TERM_TEXT:
        return LONG_TERM
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise CardDataError(name, "not an 8-digit YYYYMMDD date")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise CardDataError(name, "not a calendar date") from exc


def _count(value: str, name: str) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise CardDataError(name, "not a 2-digit count")
    return int(value)


def card_type_of(block: bytes) -> CardType:
    """The card type from the flag at bytes 248–249 (NUL is read as a resident card's space).

    Raises :class:`CardDataError` (field ``card_type``) for a short block or an unknown flag.
    """
    if len(block) != TEXT_SIZE:
        raise CardDataError("text_block", f"{len(block)} bytes, expected {TEXT_SIZE}")
    flag = _text(block, "card_type", FLAG_OFFSET, 2) or " "
    if flag not in FLAGS:
        raise CardDataError("card_type", f"unknown type flag U+{ord(flag[0]):04X}")
    return FLAGS[flag]


def parse_text_block(block: bytes, photo: bytes = b"", fingerprint: bytes = b"") -> IdentityCard:
    """Decode a 256-byte text block (plus the opaque photo/fingerprint bytes) into a card.

    Padding is trimmed; dates become :class:`datetime.date`, "长期" becomes ``LONG_TERM``;
    counts become ``int``; an unknown ethnicity or gender code is kept as it is. For a 2023
    foreign card the 2017 number is rebuilt from the 关联项 (``None`` when blank or when the
    new number is malformed). The ID number is *not* rejected when its check character is wrong:
    ``IdentityCard.id_number_valid`` reports it.

    Raises:
        CardDataError: wrong block size, unknown type flag, undecodable UCS-2, a date that is
            not YYYYMMDD, a count that is not digits, an empty ID number.
    """
    card_type = card_type_of(block)
    raw = {name: _text(block, name, off, size) for name, (off, size) in LAYOUTS[card_type].items()}
    if not raw["id_number"]:
        raise CardDataError("id_number", "empty")
    name_en = raw.get("name_en")
    if card_type is CardType.FOREIGN_PERMANENT_2023:
        # chars 1-35 at 52, chars 36-46 at 220: join before trimming so inner spaces survive
        name_en = (_raw(block, "name_en", *LAYOUTS[card_type]["name_en"])
                   + _raw(block, "name_en", *LAYOUTS[card_type]["name_en_more"])).strip(" \x00")
    previous = None
    link = raw.get("previous_link")
    if link and raw.get("nationality"):
        try:
            previous = numbers.rebuild_foreign_2017(raw["id_number"], raw["nationality"], link)
        except ValueError:
            previous = None
    dates = {name: _date(raw[name], name) for name in _DATES}
    counts = {name: _count(raw.get(name, ""), name) for name in _COUNTS}
    return IdentityCard(
        card_type=card_type,
        name=raw.get("name", ""),
        name_en=name_en,
        gender_code=raw["gender_code"],
        ethnicity_code=raw.get("ethnicity_code"),
        birth_date=dates["birth_date"],  # type: ignore[arg-type]
        address=raw.get("address"),
        id_number=numbers.normalise(raw["id_number"]),
        issuer=raw.get("issuer"),
        valid_from=dates["valid_from"],  # type: ignore[arg-type]
        valid_until=dates["valid_until"],
        nationality=raw.get("nationality"),
        pass_number=raw.get("pass_number"),
        issue_count=counts["issue_count"],
        renewal_count=counts["renewal_count"],
        previous_id_number=previous,
        card_version=raw.get("card_version"),
        photo=photo,
        fingerprint=fingerprint,
    )


def _put(block: bytearray, name: str, offset: int, size: int, value: str) -> None:
    data = value.encode("utf-16-le")
    if len(data) > size:
        raise CardDataError(name, f"longer than its {size // 2} characters")
    block[offset:offset + size] = data + " ".encode("utf-16-le") * ((size - len(data)) // 2)


def _date_text(value: date | LongTerm, name: str) -> str:
    if value is LONG_TERM:
        if name != "valid_until":
            raise CardDataError(name, "only valid_until can be long-term")
        return LONG_TERM_TEXT
    return value.strftime("%Y%m%d")  # type: ignore[union-attr]


def encode_text_block(card: IdentityCard) -> bytes:
    """The 256-byte block a reader would deliver for ``card`` (the simulator's card image).

    Raises:
        CardDataError: a field is too long for its slot, a count is outside 0–99, or a 2023
            card's ``previous_id_number`` is not the one its number and nationality rebuild to;
            an e-ID identity (``card_type`` ``e_id``), which no card carries.
    """
    if card.card_type not in LAYOUTS:
        raise CardDataError("card_type", "an e-ID identity is not a card and has no text block")
    layout = LAYOUTS[card.card_type]
    block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    values: dict[str, str] = {
        "name": card.name, "gender_code": card.gender_code,
        "ethnicity_code": card.ethnicity_code or "", "address": card.address or "",
        "id_number": card.id_number, "issuer": card.issuer or "",
        "nationality": card.nationality or "", "pass_number": card.pass_number or "",
        "card_version": card.card_version or "",
        "birth_date": _date_text(card.birth_date, "birth_date"),
        "valid_from": _date_text(card.valid_from, "valid_from"),
        "valid_until": _date_text(card.valid_until, "valid_until"),
    }
    for name in _COUNTS:
        count = getattr(card, name)
        if count is not None and not 0 <= count <= 99:
            raise CardDataError(name, "must be 0-99")
        values[name] = "" if count is None else f"{count:02d}"
    if card.card_type is CardType.FOREIGN_PERMANENT_2023:
        name_en = card.name_en or ""
        values["name_en"], values["name_en_more"] = name_en[:35], name_en[35:]
        values["previous_link"] = ""
        if card.previous_id_number:
            try:
                link = numbers.link_from_foreign_2017(card.previous_id_number)
                rebuilt = numbers.rebuild_foreign_2017(card.id_number, values["nationality"], link)
            except ValueError as exc:
                raise CardDataError("previous_id_number", str(exc)) from exc
            if rebuilt != numbers.normalise(card.previous_id_number):
                raise CardDataError("previous_id_number",
                                    "does not match the number and nationality of the card")
            values["previous_link"] = link
    else:
        values["name_en"] = card.name_en or ""
    for name, (offset, size) in layout.items():
        _put(block, name, offset, size, values[name])
    _put(block, "card_type", FLAG_OFFSET, 2, FLAG_OF[card.card_type])
    return bytes(block)
