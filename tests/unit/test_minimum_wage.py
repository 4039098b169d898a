"""Guangdong minimum wage table and the pay check of a posting."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.codes import divisions
from kiosk.domain.codes.errors import CodeError, UnknownCodeError
from kiosk.domain.minimum_wage import GUANGDONG_2021, MinimumWageTable, check_pay


def test_table_covers_the_21_cities_in_four_classes():
    assert set(GUANGDONG_2021.cities) == set(divisions.CITIES)
    monthly = sorted({w.monthly for w in GUANGDONG_2021.cities.values()})
    assert monthly == [1620, 1720, 1900, 2300, 2360]
    assert GUANGDONG_2021.for_division("440106008").monthly == 2300   # 天河南街道
    assert GUANGDONG_2021.for_division("440305").monthly == 2360      # 南山区
    assert GUANGDONG_2021.for_division("441900003").hourly == 18.1    # 东莞 东城街道
    assert GUANGDONG_2021.for_division("440802").monthly == 1720      # 湛江 (三类 since 2021)
    assert GUANGDONG_2021.for_division("445202").hourly == 16.1       # 揭阳


def test_monthly_and_hourly_boundaries():
    assert check_pay(2300, "MONTH", "440106").below is False
    low = check_pay(2299, "MONTH", "440106")
    assert low.below is True and low.minimum == 2300
    assert low.message_zh == "工资低于当地最低工资标准2300元/月，请调整后再提交"
    assert check_pay(22.2, "HOUR", "4401").below is False
    assert check_pay(22.1, "HOUR", "4401").below is True


def test_day_pay_uses_hourly_times_hours():
    assert check_pay(128.8, "DAY", "4452").below is False          # 16.1 × 8
    assert check_pay(128.7, "DAY", "4452").below is True
    short = check_pay(80, "DAY", "4452", hours_per_day=5)           # 16.1 × 5 = 80.5
    assert short.below is True and short.minimum == 80.5
    assert "非全日制16.1元/小时 × 5小时" in short.message_zh
    assert check_pay(80.5, "DAY", "4452", hours_per_day=5).below is False


def test_piece_pay_cannot_be_checked():
    result = check_pay(3, "PIECE", "440106")
    assert result.below is None and "计件工资无法自动核对" in result.message_zh


def test_bad_inputs():
    with pytest.raises(UnknownCodeError):
        check_pay(3000, "MONTH", "430102")
    with pytest.raises(ValueError):
        check_pay(3000, "WEEK", "4401")
    with pytest.raises(ValueError):
        check_pay(100, "DAY", "4401", hours_per_day=0)


def test_site_table_from_mapping():
    table = MinimumWageTable.from_mapping({
        "in_force": "2025-03-01", "source": "site-confirmed",
        "cities": {"4401": {"monthly": 2500, "hourly": 23.7}}})
    assert table.in_force == date(2025, 3, 1)
    result = check_pay(2400, "MONTH", "440106", table=table)
    assert result.below is True and result.source == "site-confirmed"
    for bad in ({"source": "x", "cities": {}},
                {"in_force": "2025-13-01", "source": "x", "cities": {}},
                {"in_force": "2025-03-01", "source": "x", "cities": {"44": {"monthly": 1, "hourly": 1}}},
                {"in_force": "2025-03-01", "source": "x", "cities": {"4401": {"monthly": 0, "hourly": 1}}}):
        with pytest.raises(CodeError):
            MinimumWageTable.from_mapping(bad)
