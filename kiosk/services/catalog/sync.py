"""Delta sync of the catalog with the platform (works with any feed, e.g. the platform client).

Protocol: the catalog stores ``updated_since`` (the platform's ``server_time`` watermark of the
last complete sync) and ``etag``. A sync asks ``feed.vacancy_changes(updated_since, cursor,
etag)`` page by page until ``next_cursor`` is None, upserting ``items`` and deleting
``deleted_ids`` page by page (each page one transaction); then it stores the new watermark,
etag and ``last_synced_at``. A 304-style ``not_modified`` page ends the sync with nothing
changed. If the feed raises mid-way, the error propagates and the watermark is not moved, so
the next sync repeats the same window (upserts are idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog.errors import CatalogError

log = logging.getLogger(__name__)
MAX_PAGES = 10_000   # guard against a feed that never ends


class VacancyChangesPage(Protocol):
    """One page of changes (``kiosk.platform.models.VacancyPage`` has this shape)."""
    items: Sequence[Vacancy]
    deleted_ids: Sequence[str]
    next_cursor: str | None
    server_time: str
    etag: str | None
    not_modified: bool


class VacancyFeed(Protocol):
    """Source of vacancy changes (the platform client implements it)."""

    def vacancy_changes(self, updated_since: str | None, cursor: str | None,
                        etag: str | None) -> VacancyChangesPage: ...


class SyncTarget(Protocol):
    """What a sync writes to (:class:`~kiosk.services.catalog.store.VacancyCatalog` has this
    shape; declared here so the sync does not import the store, which imports the sync)."""

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, **values: str | None) -> None: ...

    def upsert(self, vacancies: Iterable[Vacancy]) -> int: ...

    def delete(self, ids: Iterable[str]) -> int: ...

    def mark_synced(self, when: datetime | None = None) -> str: ...


@dataclass(frozen=True)
class SyncReport:
    """What one sync did: vacancies upserted and deleted, pages read, whether the platform said
    nothing changed, the new watermark and the UTC time the sync finished ("…Z")."""
    upserted: int
    deleted: int
    pages: int
    not_modified: bool
    server_time: str | None
    finished_at: str


class FeedLoopError(CatalogError):
    """The feed returned more than :data:`MAX_PAGES` pages (a cursor that never ends)."""


def sync_from(catalog: SyncTarget, feed: VacancyFeed) -> SyncReport:
    """Bring ``catalog`` up to date from ``feed`` (see the module docstring).

    Raises:
        FeedLoopError: the feed never ends; whatever the feed raises (platform errors).
    """
    since = catalog.meta("updated_since")
    etag = catalog.meta("etag")
    cursor: str | None = None
    upserted = deleted = pages = 0
    while True:
        page = feed.vacancy_changes(since, cursor, etag if cursor is None else None)
        pages += 1
        if page.not_modified:
            finished = catalog.mark_synced()
            log.info("vacancy sync: not modified")
            return SyncReport(0, 0, pages, True, since, finished)
        upserted += catalog.upsert(page.items)
        deleted += catalog.delete(page.deleted_ids)
        if not page.next_cursor:
            catalog.set_meta(updated_since=page.server_time, etag=page.etag)
            finished = catalog.mark_synced()
            log.info("vacancy sync: %d upserted, %d deleted in %d pages", upserted, deleted, pages)
            return SyncReport(upserted, deleted, pages, False, page.server_time, finished)
        if pages >= MAX_PAGES:
            raise FeedLoopError(f"vacancy feed returned more than {MAX_PAGES} pages")
        cursor = page.next_cursor
