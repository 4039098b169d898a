"""就业援助 办理 (home button): choose 失业登记, 灵活就业登记 or 就业困难人员自查/认定 (issue 18).

Step ``choose`` (screen ``application_choose``, no card; shown with ``items``: (journey, title,
subtitle) in display order). Event ``chosen(journey)`` begins that journey (返回 comes back here).
"""

from __future__ import annotations

from kiosk.services.journeys.spec import Begin, JourneySpec, Step, Transition, Values
from kiosk.services.journeys.state import Journey

ITEMS: tuple[tuple[str, str, str], ...] = (
    ("unemployment", "失业登记", "失业后登记，享受就业服务和失业保险待遇"),
    ("flexible_employment", "灵活就业登记", "个体经营、非全日制、平台或零工就业"),
    ("hardship", "就业困难人员自查与认定", "先自查可能属于哪一类，再提交认定申请"),
)


def _chosen(_journey: Journey, values: Values) -> Transition:
    name = str(values.get("journey", ""))
    if name not in {item[0] for item in ITEMS}:
        raise KeyError(name)
    return Begin(name)


JOURNEY = JourneySpec(
    name="applications",
    title_zh="就业援助办理",
    steps=(Step("choose", screen="application_choose", view=lambda _j: {"items": ITEMS}),),
    events={"chosen": _chosen},
)
