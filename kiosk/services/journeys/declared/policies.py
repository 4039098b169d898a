"""政策咨询: policies → policy_detail (shown with ``item``); no identity, nothing recorded."""

from __future__ import annotations

from kiosk.services.journeys.spec import JourneySpec, Step

JOURNEY = JourneySpec(name="policies", title_zh="政策咨询",
                      steps=(Step("policies"), Step("policy_detail")))
