"""Identity-number check characters (``shared/design/idcard-protocol.md`` §9).

* GB 11643-1999 citizen numbers (resident card, HK/Macau/Taiwan residence permit) and the
  2023 foreign permanent resident number: 17 digits + ISO 7064 MOD 11-2 check character.
* The 2017 foreign permanent resident number: 3 letters + 12 digits, the last one a 7-3-1
  weighted check digit (ICAO 9303 style, letters A=10 … Z=35, ``<`` = 0).
* The 2017 number rebuilt from a 2023 card (§9.3).

The numbers in the examples and in ``assets/demo`` pass these checks but belong to no one (an
address code outside GB/T 2260's ranges, sequence 000, ISO 3166 user-assigned nationality
codes): ``assets/demo/README.md`` says why.

All functions are pure; invalid shapes return ``False`` (validators) or raise ``ValueError``
(builders) — they never raise anything else.
"""

from __future__ import annotations

import re

# Weight of position i (1-based, left to right) is 2^(18-i) mod 11.
GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
GB11643_CHECK = "10X98765432"  # indexed by S mod 11

GB11643_RE = re.compile(r"[1-9]\d{16}[0-9X]")
HK_MACAO_TAIWAN_PREFIXES = ("810000", "820000", "830000")
FOREIGN_2023_RE = re.compile(r"9\d{16}[0-9X]")
FOREIGN_2017_RE = re.compile(r"[A-Z]{3}\d{12}")
ICAO_WEIGHTS = (7, 3, 1)


def normalise(number: str) -> str:
    """Strip spaces and write a lower-case ``x`` check character as ``X``."""
    return number.strip().upper()


def gb11643_check_char(first17: str) -> str:
    """The MOD 11-2 check character for 17 digits. Raises ``ValueError`` if not 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("GB 11643 needs exactly 17 digits before the check character")
    total = sum(int(d) * w for d, w in zip(first17, GB11643_WEIGHTS, strict=True))
    return GB11643_CHECK[total % 11]


def is_valid_gb11643(number: str) -> bool:
    """18 characters, no leading 0, 17 digits and a matching MOD 11-2 check character."""
    number = normalise(number)
    return bool(GB11643_RE.fullmatch(number)) and gb11643_check_char(number[:17]) == number[17]


def is_valid_hk_macao_taiwan(number: str) -> bool:
    """A GB 11643 number starting 810000 (HK), 820000 (Macau) or 830000 (Taiwan)."""
    number = normalise(number)
    return number.startswith(HK_MACAO_TAIWAN_PREFIXES) and is_valid_gb11643(number)


def is_valid_foreign_2023(number: str) -> bool:
    """18-character 2023 foreign permanent resident number: first digit 9, MOD 11-2 check."""
    number = normalise(number)
    return bool(FOREIGN_2023_RE.fullmatch(number)) and is_valid_gb11643(number)


def _icao_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if char == "<":
        return 0
    return ord(char) - ord("A") + 10


def foreign_2017_check_digit(first14: str) -> str:
    """7-3-1 check digit over 14 characters (A–Z = 10–35, ``<`` = 0); ``ValueError`` if malformed."""
    if len(first14) != 14 or not re.fullmatch(r"[A-Z<0-9]{14}", first14):
        raise ValueError("the 2017 foreign number needs 14 characters A-Z, 0-9 before its check digit")
    total = sum(_icao_value(c) * ICAO_WEIGHTS[i % 3] for i, c in enumerate(first14))
    return str(total % 10)


def is_valid_foreign_2017(number: str) -> bool:
    """3 letters + 12 digits with a matching 7-3-1 check digit (e.g. ``ZZZ440190010112``)."""
    number = normalise(number)
    return bool(FOREIGN_2017_RE.fullmatch(number)) and \
        foreign_2017_check_digit(number[:14]) == number[14]


def rebuild_foreign_2017(number_2023: str, nationality: str, link: str) -> str:
    """The 15-character 2017 number a 2023 card replaces (§9.3).

    ``nationality`` is the 3-letter code (block 242–247), ``link`` the 3-digit 既往版本永居证号码
    关联项 (block 250–255: 2-digit city code + 1-digit sequence). Result = nationality +
    digits 2–3 of the new number (province) + link[0:2] + digits 9–14 (YYMMDD) + link[2] +
    7-3-1 check digit.

    Example: the demo 2023 card (``assets/demo/cards/foreign_permanent_2023.json``, nationality
    ``999``, never assigned) with nationality ``ZZZ`` and link ``011`` gives
    ``ZZZ440190010112`` (``tests/unit`` checks it).

    Raises ``ValueError`` when an input does not have that shape.
    """
    number_2023 = normalise(number_2023)
    if not FOREIGN_2023_RE.fullmatch(number_2023):
        raise ValueError("not an 18-character 2023 foreign permanent resident number")
    if not re.fullmatch(r"[A-Z]{3}", nationality) or not re.fullmatch(r"\d{3}", link):
        raise ValueError("nationality must be 3 letters and the link 3 digits")
    first14 = nationality + number_2023[1:3] + link[:2] + number_2023[8:14] + link[2]
    return first14 + foreign_2017_check_digit(first14)


def link_from_foreign_2017(previous: str) -> str:
    """The 3-digit 关联项 a 2023 card stores for its 2017 predecessor (city code + sequence).

    Inverse of :func:`rebuild_foreign_2017`; ``ValueError`` if ``previous`` is malformed.
    """
    previous = normalise(previous)
    if not FOREIGN_2017_RE.fullmatch(previous):
        raise ValueError("not a 15-character 2017 foreign permanent resident number")
    return previous[5:7] + previous[13]
