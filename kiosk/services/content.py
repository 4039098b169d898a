"""Policies (政策咨询) and training courses (技能培训) from the platform, cached for offline use.

The last good lists are kept as JSON in ``<data_dir>/content-cache.json`` (public content, no
personal data) with the time they were fetched; when the platform cannot be reached the cache
is served and the screen says when it was updated.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

logger = logging.getLogger(__name__)


@dataclass
class ContentSnapshot:
    policies: list[dict[str, Any]] = field(default_factory=list)
    courses: list[dict[str, Any]] = field(default_factory=list)
    fetched_at: float | None = None     # epoch seconds
    from_cache: bool = False


class ContentService:
    def __init__(self, cache_path: Path, client: Callable[[], Any]) -> None:
        self.cache_path = cache_path
        self._client = client
        self._lock = threading.Lock()

    def load(self) -> ContentSnapshot:
        """Fetch fresh lists; on any platform failure fall back to the cache (maybe empty)."""
        from kiosk.platform.errors import PlatformError

        client = self._client()
        if client is not None:
            try:
                snapshot = ContentSnapshot(
                    [p.model_dump() for p in client.policies()],
                    [c.model_dump() for c in client.courses()], time.time())
                self._save(snapshot)
                return snapshot
            except PlatformError as exc:
                logger.info("content fetch failed (%s); serving cache", type(exc).__name__)
        return self.cached()

    def cached(self) -> ContentSnapshot:
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
            return ContentSnapshot(data["policies"], data["courses"], data["fetched_at"], True)
        except (OSError, ValueError, KeyError, TypeError):
            return ContentSnapshot(from_cache=True)

    def _save(self, snapshot: ContentSnapshot) -> None:
        tmp = self.cache_path.with_suffix(".tmp")
        with self._lock:
            tmp.write_text(json.dumps({"policies": snapshot.policies, "courses": snapshot.courses,
                                       "fetched_at": snapshot.fetched_at}, ensure_ascii=False),
                           encoding="utf-8")
            tmp.replace(self.cache_path)
