"""Delta sync against a fake feed: paging, deletions, watermark, etag, not-modified, errors."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog import VacancyCatalog


@dataclass(frozen=True)
class Page:
    items: list
    deleted_ids: list
    next_cursor: str | None
    server_time: str
    etag: str | None
    not_modified: bool = False


def v(i: str, title: str = "保洁员") -> Vacancy:
    return Vacancy(id=i, title=title, employer="演示物业", city="广州市")


class FakeFeed:
    def __init__(self, pages):
        self.pages = list(pages)
        self.calls = []

    def vacancy_changes(self, updated_since, cursor, etag):
        self.calls.append((updated_since, cursor, etag))
        page = self.pages.pop(0)
        if isinstance(page, Exception):
            raise page
        return page


def test_pages_are_applied_and_watermark_stored():
    cat = VacancyCatalog(":memory:")
    assert cat.last_synced_at() is None
    feed = FakeFeed([Page([v("a"), v("b")], [], "c1", "T1", None),
                     Page([v("c", "保安员")], ["b"], None, "2026-11-30T08:00:00Z", "E1")])
    report = cat.sync_from(feed)
    assert (report.upserted, report.deleted, report.pages, report.not_modified) == (3, 1, 2, False)
    assert report.server_time == "2026-11-30T08:00:00Z"
    assert feed.calls == [(None, None, None), (None, "c1", None)]
    assert sorted(x.id for x in cat.all()) == ["a", "c"]
    assert cat.last_synced_at() == report.finished_at and report.finished_at.endswith("Z")
    assert cat.meta("updated_since") == "2026-11-30T08:00:00Z" and cat.meta("etag") == "E1"
    # next sync sends the watermark and the etag; 304 keeps everything
    feed2 = FakeFeed([Page([], [], None, "T2", "E1", not_modified=True)])
    report2 = cat.sync_from(feed2)
    assert feed2.calls == [("2026-11-30T08:00:00Z", None, "E1")]
    assert report2.not_modified and cat.count() == 2
    assert cat.meta("updated_since") == "2026-11-30T08:00:00Z"


def test_update_replaces_searchable_text():
    cat = VacancyCatalog(":memory:")
    cat.sync_from(FakeFeed([Page([v("a")], [], None, "T1", None)]))
    cat.sync_from(FakeFeed([Page([v("a", "快递员")], [], None, "T2", None)]))
    assert cat.search("保洁").total == 0 and cat.search("kuaidi").total == 1


def test_failure_mid_way_keeps_the_old_watermark():
    cat = VacancyCatalog(":memory:")
    cat.set_meta(updated_since="T0")
    feed = FakeFeed([Page([v("a")], [], "c1", "T1", None), ConnectionError("platform down")])
    with pytest.raises(ConnectionError):
        cat.sync_from(feed)
    assert cat.count() == 1                      # the first page stays (idempotent upserts)
    assert cat.meta("updated_since") == "T0" and cat.last_synced_at() is None
