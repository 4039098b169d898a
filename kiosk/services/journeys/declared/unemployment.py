"""失业登记 (unemployment registration) as a self-service transaction (issue 18).

Steps: ``guide`` (screen ``application_guide``) → ``checks`` (``application_checks``, needs the
identity; branch ``blocked``) → ``form`` (``application_form``: 失业原因, 失业时间, 健康状况 —
残疾类别/等级 only when 残疾 is chosen and the separate consent given — 申领失业保险金, 学历,
手机) → ``review`` (``application_review``) → ``done`` (``application_done``: result and the
acceptance slip). Rules and events: :mod:`kiosk.services.journeys.application_flow`.
"""

from __future__ import annotations

from kiosk.domain.applications import UNEMPLOYMENT
from kiosk.services.journeys import application_flow as flow
from kiosk.services.journeys.spec import IdentityNeed, JourneySpec, Step

JOURNEY = JourneySpec(
    name="unemployment",
    title_zh="失业登记",
    identity=IdentityNeed(purposes=flow.PURPOSES),
    steps=(Step("guide", screen="application_guide", view=flow.guide_view),
           Step("checks", screen="application_checks", needs_identity=True,
                view=flow.checks_view),
           Step("form", screen="application_form", view=flow.form_view),
           Step("review", screen="application_review", view=flow.review_view),
           Step("done", screen="application_done", remember=False, view=flow.done_view),
           Step("blocked", screen="application_checks", view=flow.blocked_view)),
    transaction=flow.transaction(UNEMPLOYMENT),
    ends="application-done",
    on_start=flow.start(UNEMPLOYMENT),
    events=flow.EVENTS,
)
