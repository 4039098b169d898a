"""GB 11643 MOD 11-2, the 2017 foreign number's 7-3-1 check, and rebuilding it (§9)."""

from __future__ import annotations

import pytest

from kiosk.devices.idcard import numbers


@pytest.mark.parametrize("number", [
    "11010519491231002X", "11010519491231002x", "440306199001010014", "449901199203154525",
    "810000199001010000", "830000198808080025", "944999199001010012", "944124198512310026",
])
def test_valid_gb11643(number: str) -> None:
    assert numbers.is_valid_gb11643(number)


@pytest.mark.parametrize("number", [
    "110105194912310021",  # wrong check character
    "440306199001010015", "04030619900101001X", "44030619900101001", "4403061990010100140",
    "44030619900101001A", "４40306199001010014",
])
def test_invalid_gb11643(number: str) -> None:
    assert not numbers.is_valid_gb11643(number)


def test_check_char_values() -> None:
    assert numbers.gb11643_check_char("11010519491231002") == "X"
    assert numbers.gb11643_check_char("81000019900101001") == "9"
    assert numbers.GB11643_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    with pytest.raises(ValueError):
        numbers.gb11643_check_char("1234")


def test_hk_macao_taiwan_prefixes() -> None:
    assert numbers.is_valid_hk_macao_taiwan("810000199001010000")
    assert numbers.is_valid_hk_macao_taiwan("830000198808080025")
    assert not numbers.is_valid_hk_macao_taiwan("440306199001010014")  # valid, but not a J number


def test_foreign_2023_starts_with_9() -> None:
    assert numbers.is_valid_foreign_2023("944999199001010012")
    assert not numbers.is_valid_foreign_2023("440306199001010014")
    assert not numbers.is_valid_foreign_2023("944999199001010013")


def test_foreign_2017_731() -> None:
    assert numbers.foreign_2017_check_digit("ZZZ44019001011") == "2"
    assert numbers.is_valid_foreign_2017("ZZZ440190010112")
    assert not numbers.is_valid_foreign_2017("ZZZ440190010111")
    assert not numbers.is_valid_foreign_2017("US4440190010111")
    with pytest.raises(ValueError):
        numbers.foreign_2017_check_digit("usa44019001011")


def test_rebuild_2017_number_from_2023_card() -> None:
    assert numbers.rebuild_foreign_2017("944999199001010012", "ZZZ", "011") == "ZZZ440190010112"
    assert numbers.link_from_foreign_2017("ZZZ440190010112") == "011"
    with pytest.raises(ValueError):
        numbers.rebuild_foreign_2017("440306199001010014", "USA", "011")
    with pytest.raises(ValueError):
        numbers.rebuild_foreign_2017("944999199001010012", "US", "011")
