"""灵活就业登记 (flexible employment registration) as a self-service transaction (issue 18).

Steps: ``guide`` → ``checks`` (法定劳动年龄, 常住地; no 无业 questions) → ``form`` (灵活就业类型,
开始时间, 学历, 手机) → ``review`` → ``done``; branch ``blocked``. Screens and events as for
失业登记 (:mod:`kiosk.services.journeys.application_flow`).
"""

from __future__ import annotations

from kiosk.domain.applications import FLEXIBLE
from kiosk.services.journeys import application_flow as flow
from kiosk.services.journeys.spec import IdentityNeed, JourneySpec, Step

JOURNEY = JourneySpec(
    name="flexible_employment",
    title_zh="灵活就业登记",
    identity=IdentityNeed(purposes=flow.PURPOSES),
    steps=(Step("guide", screen="application_guide", view=flow.guide_view),
           Step("checks", screen="application_checks", needs_identity=True,
                view=flow.checks_view),
           Step("form", screen="application_form", view=flow.form_view),
           Step("review", screen="application_review", view=flow.review_view),
           Step("done", screen="application_done", remember=False, view=flow.done_view),
           Step("blocked", screen="application_checks", view=flow.blocked_view)),
    transaction=flow.transaction(FLEXIBLE),
    ends="application-done",
    on_start=flow.start(FLEXIBLE),
    events=flow.EVENTS,
)
