"""The identity card as a value: :class:`IdentityCard`, one frozen shape for all four card types
(GA 467: resident, HK/Macao/Taiwan residence permit, the 2017 and 2023 foreign permanent
resident cards). The reader (``kiosk.devices.idcard``) produces it; the journeys keep it.

Field meaning per card type (``shared/design/idcard-protocol.md`` §4). ``None`` means the card
type has no such field; ``""`` means the field exists but is blank (e.g. a foreigner with no
Chinese name).

==================  ========  ===============  =====================  =====================
field               resident  hk_macao_taiwan  foreign_permanent_2017 foreign_permanent_2023
==================  ========  ===============  =====================  =====================
name                姓名       姓名              中文姓名 ("" if none)    中文姓名
name_en             None      None             英文姓名 (60 chars)      英文姓名 (35+11 chars)
ethnicity_code      GB 3304   None             None                   None
address             住址       住址              None                   None
issuer              签发机关    签发机关           受理机关代码 (4 digits)    None
nationality         None      None             GB/T 2659 alpha-3      GB/T 2659 alpha-3
pass_number         None      通行证号码          None                   None
issue_count         None      签发次数 (int)      None                   None
renewal_count       None      None             None                   换证次数 (int)
previous_id_number  None      None             None                   rebuilt 2017 number
==================  ========  ===============  =====================  =====================

Dates are :class:`datetime.date`; a long-term card has ``valid_until is LONG_TERM`` (never a
sentinel date). The ``repr`` of a card is masked so a card that reaches a log by mistake does
not leak; :meth:`IdentityCard.to_json` masks unless ``reveal=True``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from collections.abc import Mapping

from kiosk.domain import id_numbers as numbers
from kiosk.domain.codes.ethnicity import ethnicity_name
from kiosk.domain.masking import mask_id_number, mask_name

class CardDataError(ValueError):
    """A card value that cannot be decoded (a scripted card's JSON, or a text-block field).

    Attributes: ``field`` (e.g. "birth_date") and ``reason``; the value itself is not kept.
    The reader's own flavour, ``kiosk.devices.idcard.errors.CardDataError``, is also a
    ``CardReaderError``.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"card field {field}: {reason}")


GENDERS = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}  # GB/T 2261.1
LONG_TERM_JSON = "long-term"

JSON_KEYS = ("card_type", "name", "name_en", "gender_code", "gender", "ethnicity_code",
             "ethnicity", "birth_date", "address", "id_number", "id_number_valid", "issuer",
             "valid_from", "valid_until", "nationality", "pass_number", "issue_count",
             "renewal_count", "previous_id_number")


class CardType(str, enum.Enum):
    """Card type, chosen by the UCS-2 flag at bytes 248–249 of the text block."""

    RESIDENT = "resident"                              # flag " "
    HK_MACAO_TAIWAN = "hk_macao_taiwan"                # flag "J"
    FOREIGN_PERMANENT_2017 = "foreign_permanent_2017"  # flag "I"
    FOREIGN_PERMANENT_2023 = "foreign_permanent_2023"  # flag "Y"
    #: 居民身份电子凭证 (e-ID): not read from a card but returned by the platform after an e-ID
    #: login (``docs/fairs.md``); the fields of a resident card, GB 11643 number, no photo.
    E_ID = "e_id"


class LongTerm:
    """The "长期" validity end: a distinct state, compared by identity (``LONG_TERM``)."""

    _instance: LongTerm | None = None

    def __new__(cls) -> LongTerm:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "LONG_TERM"

    def __str__(self) -> str:
        return "长期"


LONG_TERM = LongTerm()


def mask_address(address: str) -> str:
    """Keep the first 6 characters (at most half of them), mask the rest with 4 stars."""
    address = address.strip()
    if not address:
        return ""
    return address[:min(6, len(address) // 2)] + "****"


@dataclass(frozen=True, repr=False)
class IdentityCard:
    """One read of a card. ``photo`` is the opaque 1024-byte WLT blob; ``photo_bmp`` is filled
    only when a licensed decoder hook is configured (see ``reader.PhotoDecoder``)."""

    card_type: CardType
    name: str
    name_en: str | None
    gender_code: str
    ethnicity_code: str | None
    birth_date: date
    address: str | None
    id_number: str
    issuer: str | None
    valid_from: date
    valid_until: date | LongTerm
    nationality: str | None = None
    pass_number: str | None = None
    issue_count: int | None = None
    renewal_count: int | None = None
    previous_id_number: str | None = None
    card_version: str | None = None  # 2017 foreign card 证件版本号 (2 digits), not in the JSON
    photo: bytes = field(default=b"", compare=False)
    fingerprint: bytes = field(default=b"", compare=False)
    photo_bmp: bytes | None = field(default=None, compare=False)

    @property
    def gender(self) -> str | None:
        """未知 / 男 / 女 / 未说明 for codes 0/1/2/9 (GB/T 2261.1); None for any other code."""
        return GENDERS.get(self.gender_code)

    @property
    def ethnicity(self) -> str | None:
        return ethnicity_name(self.ethnicity_code)

    @property
    def is_long_term(self) -> bool:
        return self.valid_until is LONG_TERM

    @property
    def id_number_valid(self) -> bool:
        """Check character and shape for the card type (GB 11643, 810000…, 9…, or 7-3-1)."""
        if self.card_type in (CardType.RESIDENT, CardType.E_ID):
            return numbers.is_valid_gb11643(self.id_number)
        if self.card_type is CardType.HK_MACAO_TAIWAN:
            return numbers.is_valid_hk_macao_taiwan(self.id_number)
        if self.card_type is CardType.FOREIGN_PERMANENT_2017:
            return numbers.is_valid_foreign_2017(self.id_number)
        return numbers.is_valid_foreign_2023(self.id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_name_en(self) -> str | None:
        return None if self.name_en is None else mask_name(self.name_en)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_address(self) -> str | None:
        return None if self.address is None else mask_address(self.address)

    @property
    def masked_previous_id_number(self) -> str | None:
        return None if self.previous_id_number is None else mask_id_number(self.previous_id_number)

    @property
    def masked_pass_number(self) -> str | None:
        """H60123456 → H******56 (first character and last two)."""
        if self.pass_number is None:
            return None
        keep = self.pass_number.strip()
        return keep[:1] + "*" * max(len(keep) - 3, 0) + keep[-2:] if len(keep) > 3 else "*" * len(keep)

    def to_json(self, reveal: bool = False) -> dict[str, Any]:
        """The ``kiosk card read --json`` object (exactly :data:`JSON_KEYS`, in that order).

        Without ``reveal`` the name (Chinese and English), numbers and address are masked.
        """
        return {
            "card_type": self.card_type.value,
            "name": self.name if reveal else self.masked_name,
            "name_en": self.name_en if reveal else self.masked_name_en,
            "gender_code": self.gender_code,
            "gender": self.gender,
            "ethnicity_code": self.ethnicity_code,
            "ethnicity": self.ethnicity,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address if reveal else self.masked_address,
            "id_number": self.id_number if reveal else self.masked_id_number,
            "id_number_valid": self.id_number_valid,
            "issuer": self.issuer,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": (LONG_TERM_JSON if isinstance(self.valid_until, LongTerm)
                            else self.valid_until.isoformat()),
            "nationality": self.nationality,
            "pass_number": self.pass_number if reveal else self.masked_pass_number,
            "issue_count": self.issue_count,
            "renewal_count": self.renewal_count,
            "previous_id_number": (self.previous_id_number if reveal
                                   else self.masked_previous_id_number),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IdentityCard:
        """A card from the JSON shape of :meth:`to_json` (revealed), e.g. a simulator script.

        ``gender``, ``ethnicity`` and ``id_number_valid`` are derived and ignored if present;
        an optional ``card_version`` sets the 2017 foreign card's version digits.

        Raises:
            CardDataError: a key is missing or has the wrong type or format (``field`` names it).
        """
        try:
            card_type = CardType(_get(data, "card_type", str))
        except ValueError as exc:
            raise CardDataError("card_type", f"must be one of {[t.value for t in CardType]}") from exc
        valid_until_raw = _get(data, "valid_until", str)
        return cls(
            card_type=card_type,
            name=_get(data, "name", str),
            name_en=_get(data, "name_en", str, optional=True),
            gender_code=_get(data, "gender_code", str),
            ethnicity_code=_get(data, "ethnicity_code", str, optional=True),
            birth_date=_iso(data, "birth_date"),
            address=_get(data, "address", str, optional=True),
            id_number=numbers.normalise(_get(data, "id_number", str)),
            issuer=_get(data, "issuer", str, optional=True),
            valid_from=_iso(data, "valid_from"),
            valid_until=LONG_TERM if valid_until_raw == LONG_TERM_JSON else _iso(data, "valid_until"),
            nationality=_get(data, "nationality", str, optional=True),
            pass_number=_get(data, "pass_number", str, optional=True),
            issue_count=_get(data, "issue_count", int, optional=True),
            renewal_count=_get(data, "renewal_count", int, optional=True),
            previous_id_number=_get(data, "previous_id_number", str, optional=True),
            card_version=_get(data, "card_version", str, optional=True),
        )

    def __repr__(self) -> str:
        return (f"IdentityCard(card_type={self.card_type.value}, name={self.masked_name!r}, "
                f"id_number={self.masked_id_number!r}, photo=<{len(self.photo)} bytes>)")


def _get(data: Mapping[str, Any], key: str, typ: type, optional: bool = False) -> Any:
    if key not in data:
        if optional:
            return None
        raise CardDataError(key, "missing")
    value = data[key]
    if value is None and optional:
        return None
    if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
        raise CardDataError(key, f"must be {typ.__name__}{' or null' if optional else ''}")
    return value


def _iso(data: Mapping[str, Any], key: str) -> date:
    text = _get(data, key, str)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise CardDataError(key, "must be YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CardDataError(key, "not a calendar date") from exc
