"""找工作: search → vacancy_detail, no identity (nothing personal is recorded).

The detail is shown with ``vacancy``, ``distance_km`` and ``age_days``; its 申请推荐 starts the
``referral`` journey with the vacancy.
"""

from __future__ import annotations

from kiosk.services.journeys.spec import JourneySpec, Step

JOURNEY = JourneySpec(name="search", title_zh="找工作",
                      steps=(Step("search"), Step("vacancy_detail")))
