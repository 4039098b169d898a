"""The offline vacancy catalog (issue 7): SQLite store with Chinese substring, pinyin and
initials search, filters, delta sync, CSV import, matching and the pinyin-keyboard vocabulary.

Public API::

    from kiosk.services.catalog import VacancyCatalog, SearchFilters, JobseekerProfile, match
    catalog = VacancyCatalog(path)
    result = catalog.search("bj", SearchFilters(city_code="4401"), origin=(23.1365, 113.3240))
    matches = match(profile, catalog, origin=(23.1365, 113.3240), limit=20)
    PinyinVocabulary.from_catalog(catalog).candidates("baoj")
"""

from kiosk.domain.matching import JobseekerProfile, Match
from kiosk.services.catalog.errors import CatalogDatabaseError, CatalogError, CatalogImportError
from kiosk.services.catalog.matching import match
from kiosk.services.catalog.query import SearchFilters
from kiosk.services.catalog.store import SearchHit, SearchResult, VacancyCatalog
from kiosk.services.catalog.sync import (FeedLoopError, SyncReport, VacancyChangesPage,
                                         VacancyFeed)
from kiosk.services.catalog.vocabulary import PinyinVocabulary

__all__ = [
    "VacancyCatalog", "SearchFilters", "SearchHit", "SearchResult", "SyncReport", "VacancyFeed",
    "VacancyChangesPage", "JobseekerProfile", "Match", "match", "PinyinVocabulary",
    "CatalogError", "CatalogImportError", "CatalogDatabaseError", "FeedLoopError",
]
