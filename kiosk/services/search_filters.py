"""The filter groups of the vacancy search screen and how a choice becomes
:class:`kiosk.services.catalog.SearchFilters` (no Kivy: testable on its own).

Groups (``FilterGroup.key``): ``area`` ("附近3公里", the 15-minute circle; the station city's
districts — or towns for 东莞/中山; then all 21 cities of the province, GB/T 2260),
``occupation`` (common 职业分类大典 2022 middle categories of station jobs), ``salary`` (yuan
per month, highest pay), ``education`` (the jobseeker's own GB/T 4658 level: vacancies asking
more are hidden), ``employment`` (全职/兼职/灵活就业), ``post`` (公益性岗位 / 见习岗位). Each
option is (label, SearchFilters fields, section heading).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone, UTC
from typing import Any

from kiosk.domain.codes import divisions, occupations
from kiosk.domain.i18n_marker import N_
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.matching import CIRCLE_KM
from kiosk.services.catalog import SearchFilters

CHINA = timezone(timedelta(hours=8))
ANY = N_("不限")

# Middle categories most station vacancies fall in (2022 大典 codes; names from the table).
COMMON_OCCUPATIONS = ("4-03", "4-01", "4-02", "4-10", "4-09", "3-02", "6-31", "6-29",
                      "4-07", "3-01", "4-14", "4-12", "2-02", "2-05")
SALARY_STEPS = (3000, 4000, 5000, 6000, 8000)
EDUCATION_CHOICES = (("70", N_("初中及以下")), ("40", N_("高中/中专")), ("30", N_("大专")),
                     ("20", N_("本科")), ("10", N_("研究生")))
EMPLOYMENT_CHOICES = (("FULL_TIME", N_("全职")), ("PART_TIME", N_("兼职")),
                      ("TEMPORARY", N_("灵活就业")))
POST_CHOICES = (("public_welfare", N_("公益性岗位")), ("internship", N_("见习岗位")))


@dataclass(frozen=True)
class FilterOption:
    """One choice: its label, the SearchFilters fields it sets, and ``section`` — a heading
    the screen shows before this option when it starts a new part of the list ("" otherwise)."""
    label: str
    fields: tuple[tuple[str, Any], ...] = ()
    section: str = ""


@dataclass(frozen=True)
class FilterGroup:
    key: str
    title: str
    options: tuple[FilterOption, ...]


def _short_occupation(code: str) -> str:
    name = occupations.name_of(code)
    return name[:-2] if name.endswith("人员") and len(name) > 4 else name


def area_options(station_division: str) -> tuple[FilterOption, ...]:
    """不限, 附近3公里, the station city's districts (towns for 东莞/中山), then every one of
    the 21 cities (``city_code``; the station's city first) under the heading 全省各市."""
    options = [FilterOption(ANY), FilterOption(f"附近{CIRCLE_KM:g}公里",
                                               (("within_km", CIRCLE_KM),))]
    try:
        city = divisions.city_code_of(station_division)
    except CodeError:
        city = ""
    if city:
        units = divisions.counties_of(city) if divisions.has_county_level(city) \
            else divisions.towns_of(city)
        options += [FilterOption(name, (("district_code", code),),
                                 section=N_("本市") if i == 0 else "")
                    for i, (code, name) in enumerate(units.items())]
    cities = sorted(divisions.CITIES.items(), key=lambda item: (item[0] != city, item[0]))
    options += [FilterOption(name, (("city_code", code),), section=N_("全省各市") if i == 0 else "")
                for i, (code, name) in enumerate(cities)]
    return tuple(options)


def filter_groups(station_division: str) -> tuple[FilterGroup, ...]:
    return (
        FilterGroup("area", N_("区域"), area_options(station_division)),
        FilterGroup("occupation", N_("职业"), (FilterOption(ANY),) + tuple(
            FilterOption(_short_occupation(c), (("occupation_code", c),))
            for c in COMMON_OCCUPATIONS)),
        FilterGroup("salary", N_("月薪"), (FilterOption(ANY),) + tuple(
            FilterOption(f"{s}元以上", (("salary_min", s),)) for s in SALARY_STEPS)),
        FilterGroup("education", N_("我的学历"), (FilterOption(ANY),) + tuple(
            FilterOption(name, (("education_max", code),)) for code, name in EDUCATION_CHOICES)),
        FilterGroup("employment", N_("用工形式"), (FilterOption(ANY),) + tuple(
            FilterOption(name, (("employment_type", code),))
            for code, name in EMPLOYMENT_CHOICES)),
        FilterGroup("post", N_("岗位类型"), (FilterOption(ANY),) + tuple(
            FilterOption(name, ((field, True),)) for field, name in POST_CHOICES)),
    )


def build_filters(groups: tuple[FilterGroup, ...], chosen: dict[str, int]) -> SearchFilters:
    """SearchFilters from ``chosen`` (group key → option index; missing = 不限)."""
    filters = SearchFilters()
    for group in groups:
        option = group.options[chosen.get(group.key, 0)]
        if option.fields:
            filters = replace(filters, **dict(option.fields))
    return filters


def synced_text(stamp: str | None) -> str:
    """The catalog's ``last_synced_at`` ("2026-11-18T00:00:00Z") in China time
    ("2026-11-18 08:00"); "尚未同步" when never synced or unreadable."""
    if not stamp:
        return "尚未同步"
    try:
        when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return "尚未同步"
    return when.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def offline_since(services: Any) -> str | None:
    """When the platform is unreachable (outbox) or the last catalog sync failed: the time the
    offline catalog was last updated (see :func:`synced_text`), for the banner
    "离线服务中，岗位信息更新于 …"; None when online. Blocking (reads the outbox): call it off
    the UI thread."""
    status = services.outbox.status() if services.outbox is not None else None
    sync = services.sync_task
    offline = (status is not None and status.platform_reachable is False) or \
        (sync is not None and sync.last_error is not None) or services.client is None
    if not offline:
        return None
    return synced_text(services.catalog.last_synced_at() if services.catalog is not None
                       else None)
