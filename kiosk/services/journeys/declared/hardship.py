"""就业困难人员 self-check and 认定 application (issue 18; 粤人社规〔2023〕11号 第一条).

Steps: ``guide`` → ``checks`` (法定劳动年龄, 无业, 广东户籍) → ``self_check`` (screen
``hardship_check``: yes/no questions; the sensitive ones — 残疾, 低保, 戒毒康复, 刑满释放, 精神障碍康复 —
only after the separate consent) → ``result`` (``hardship_check``: "您可能属于…" and what to bring,
never "您符合"; "提交认定申请" when the gates pass and a category may apply) → ``form`` (手机, 学历) →
``review`` → ``done``; branch ``blocked``. Events: those of
:mod:`kiosk.services.journeys.application_flow` plus ``self_checked(declared, veteran)`` and
``apply()``.
"""

from __future__ import annotations

from kiosk.domain.applications import HARDSHIP
from kiosk.services.journeys import application_flow as flow
from kiosk.services.journeys.spec import IdentityNeed, JourneySpec, Step

JOURNEY = JourneySpec(
    name="hardship",
    title_zh="就业困难人员认定",
    identity=IdentityNeed(purposes=flow.PURPOSES),
    steps=(Step("guide", screen="application_guide", view=flow.guide_view),
           Step("checks", screen="application_checks", needs_identity=True,
                view=flow.checks_view),
           Step("self_check", screen="hardship_check", view=flow.self_check_view),
           Step("result", screen="hardship_check", view=flow.result_view),
           Step("form", screen="application_form", view=flow.form_view),
           Step("review", screen="application_review", view=flow.review_view),
           Step("done", screen="application_done", remember=False, view=flow.done_view),
           Step("blocked", screen="application_checks", view=flow.blocked_view)),
    transaction=flow.transaction(HARDSHIP),
    ends="application-done",
    on_start=flow.start(HARDSHIP),
    events={**flow.EVENTS, "self_checked": flow.on_self_checked, "apply": flow.on_apply},
)
