"""技能培训 (training courses) list and detail, on the content screens of
``kiosk/screens/policies.py``; a course's QR code opens its sign-up page."""

from __future__ import annotations

from typing import Any

from kiosk.screens.base import load_kv
from kiosk.screens.policies import ContentDetailScreen, ContentListScreen
from kiosk.ui.i18n import _, fact_line

load_kv(__file__)


class TrainingScreen(ContentListScreen):
    prompt_key = "training"
    detail_screen = "course_detail"

    def items_of(self, snapshot: Any) -> list[dict[str, Any]]:
        return list(snapshot.courses)

    def row_text(self, item: dict[str, Any]) -> tuple[str, str]:
        parts = [item.get("provider", ""), item.get("start_date", "") and
                 _("{}开班", item.get("start_date", "")), item.get("subsidy", "")]
        return item.get("title", ""), " · ".join(p for p in parts if p)


class CourseDetailScreen(ContentDetailScreen):
    prompt_key = "training"

    def show_item(self, item: dict[str, Any]) -> None:
        self.title_text = item.get("title", "")
        hours = item.get("hours") or 0
        facts = [(_("培训机构"), item.get("provider", "")), (_("地址"), item.get("address", "")),
                 (_("开班日期"), item.get("start_date", "")),
                 (_("课时"), _("{}课时", hours) if hours else ""),
                 (_("补贴"), item.get("subsidy", ""))]
        self.facts_text = "\n".join(fact_line(k, v) for k, v in facts if v)
        self.body_text = item.get("summary", "")
        self.qr_data = item.get("signup_url", "")
        self.qr_caption = _("手机扫码报名")
        if "scroll" in self.ids:
            self.ids.scroll.scroll_y = 1


SCREENS = {"training": TrainingScreen, "course_detail": CourseDetailScreen}
