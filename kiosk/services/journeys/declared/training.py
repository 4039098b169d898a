"""技能培训: training → course_detail (shown with ``item``); no identity, nothing recorded."""

from __future__ import annotations

from kiosk.services.journeys.spec import JourneySpec, Step

JOURNEY = JourneySpec(name="training", title_zh="技能培训",
                      steps=(Step("training"), Step("course_detail")))
