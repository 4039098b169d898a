"""English names of the 职业分类大典 (2022) categories (issue 17 item 8: occupation names in
English mode): one for every major and middle category, shown on the vacancy detail and the
国家职业分类 tiles of 求职登记."""

from __future__ import annotations

import pytest

from kiosk.domain.codes import occupations
from kiosk.domain.codes.errors import UnknownCodeError
from kiosk.services.registration_form import official_choices


def test_every_category_has_an_english_name() -> None:
    assert set(occupations.MIDDLES_EN) == set(occupations.MIDDLES)
    assert set(occupations.MAJORS_EN) == set(occupations.MAJORS)
    assert len(occupations.MIDDLES_EN) == 79
    for name in [*occupations.MIDDLES_EN.values(), *occupations.MAJORS_EN.values()]:
        assert name.isascii() and name[0].isupper() and "：" not in name


def test_exact_names_and_errors() -> None:
    assert occupations.name_en_of("4-09") == (
        "Water conservancy, environment and public facility management workers")
    assert occupations.name_en_of("4-03") == "Accommodation and catering service workers"
    assert occupations.name_en_of("6") == "Production, manufacturing and related personnel"
    with pytest.raises(UnknownCodeError):
        occupations.name_en_of("4-98")


def test_official_tiles_carry_the_english_name() -> None:
    by_code = {c.code: c for c in official_choices()}
    assert by_code["4-07"].name == "租赁和商务服务人员"
    assert by_code["4-07"].name_en == "Leasing and business service workers"
