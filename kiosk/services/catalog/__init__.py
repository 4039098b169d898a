"""The offline vacancy catalog (issue 7): SQLite store with Chinese substring, pinyin and
initials search, filters, delta sync, CSV import, matching and the pinyin-keyboard vocabulary.

Public API::

    from kiosk.services.catalog import VacancyCatalog, SearchFilters, JobseekerProfile, match
    catalog = VacancyCatalog(path, origin=station_origin(settings.station))
    result = catalog.search("bj", SearchFilters(city_code="4401"), origin=catalog.origin)
    gigs = catalog.search("", SearchFilters(kind="gig", within_km=5.0, **dict(zip(
        ("work_date_from", "work_date_to"), gig_dates("today", today)))), origin=catalog.origin)
    matches = match(profile, catalog, origin=(23.1365, 113.3240), limit=20)
    PinyinVocabulary.from_catalog(catalog).candidates("baoj")
    live = LatestSearch(catalog.search, on_result=show)   # per keystroke: live.submit(q, ...)
"""

from kiosk.domain.matching import JobseekerProfile, Match
from kiosk.services.catalog.errors import CatalogDatabaseError, CatalogError, CatalogImportError
from kiosk.services.catalog.live import LatestSearch
from kiosk.services.catalog.matching import match
from kiosk.services.catalog.query import SearchFilters, gig_dates
from kiosk.services.catalog.store import SearchHit, SearchResult, VacancyCatalog, station_origin
from kiosk.services.catalog.sync import (FeedLoopError, SyncReport, VacancyChangesPage,
                                         VacancyFeed)
from kiosk.services.catalog.vocabulary import PinyinVocabulary

__all__ = [
    "VacancyCatalog", "SearchFilters", "SearchHit", "SearchResult", "SyncReport", "VacancyFeed",
    "VacancyChangesPage", "JobseekerProfile", "Match", "match", "PinyinVocabulary",
    "CatalogError", "CatalogImportError", "CatalogDatabaseError", "FeedLoopError",
    "gig_dates", "station_origin", "LatestSearch",
]
