"""The search screen's filter groups (issue 17 item 3): the 区域 group reaches all 21 cities."""

from __future__ import annotations

from kiosk.domain.codes import divisions
from kiosk.services.catalog import SearchFilters
from kiosk.services.search_filters import area_options, build_filters, filter_groups


def test_area_offers_the_station_districts_then_all_21_cities():
    options = area_options("440106")
    labels = [o.label for o in options]
    assert labels[:3] == ["不限", "附近3公里", "荔湾区"]
    cities = [o for o in options if o.fields and o.fields[0][0] == "city_code"]
    assert [o.fields[0][1] for o in cities][:2] == ["4401", "4402"]   # the station's city first
    assert sorted(o.fields[0][1] for o in cities) == sorted(divisions.CITIES)
    assert [o.section for o in options if o.section] == ["本市", "全省各市"]
    assert cities[0].section == "全省各市" and options[2].section == "本市"


def test_a_town_level_city_lists_its_towns_and_an_unknown_station_still_lists_cities():
    dongguan = area_options("441900003")
    assert any(o.fields == (("district_code", "441900003"),) for o in dongguan)
    unknown = area_options("999999")
    assert len([o for o in unknown if o.section == "" and o.fields]) == 1 + 20  # 附近 + cities
    assert unknown[2].fields == (("city_code", "4401"),)


def test_a_chosen_city_becomes_a_city_filter():
    groups = filter_groups("440106")
    area = groups[0]
    index = next(i for i, o in enumerate(area.options) if o.label == "深圳市")
    assert build_filters(groups, {"area": index}) == SearchFilters(city_code="4403")
