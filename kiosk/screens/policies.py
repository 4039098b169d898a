"""政策咨询 (policies) list and detail, and the shared content list/detail screens that
技能培训 (``kiosk/screens/training.py``) reuses.

Lists come from ``ContentService.load()`` (the platform, or the cache when it cannot be
reached: then the screen says when the content was updated), loaded off the UI thread each
time the list is shown. A detail page shows the full text and a QR code of the item's link
(the policy's full text, a course's sign-up page).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.china_time import format_china
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.ui.background import run_in_background
from kiosk.ui.busy_bar import BusyBar  # noqa: F401  (kv rule)
from kiosk.ui.i18n import _, fact_line
from kiosk.ui.qr_image import QrImage  # noqa: F401
from kiosk.ui.widgets import BigButton

logger = logging.getLogger(__name__)

load_kv(__file__)


def fetched_text(epoch_s: float | None) -> str:
    """China time of a content fetch ("2026-11-30 10:05"), "" when never fetched."""
    return format_china(epoch_s, empty="")


class RowTile(BigButton):
    """A content tile that takes its grid row's height (two columns in landscape: a tile beside
    a taller one is as tall, not shorter and sunk to the row's foot): stretched, with its own
    text's height (BigButton's rule in widgets.kv) as its minimum (the rule in policies.kv)."""


class ContentListScreen(KioskScreen):
    """A list of content items (dicts); subclasses say which list and how a row reads."""

    heading = StringProperty("")
    status_text = StringProperty("")
    busy = BooleanProperty(False)
    #: the detail screen's registry name
    detail_screen = ""

    def items_of(self, snapshot: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def row_text(self, item: dict[str, Any]) -> tuple[str, str]:
        raise NotImplementedError

    def on_pre_enter(self, *_args: Any) -> None:
        self.busy = True
        self.status_text = _("正在加载…")
        run_in_background(self.services.content.load, self._show, self._failed)

    def _show(self, snapshot: Any) -> None:
        self.busy = False
        items = self.items_of(snapshot)
        box = self.ids.item_list
        box.clear_widgets()
        for item in items:
            title, subtitle = self.row_text(item)
            button = RowTile(text=title, subtitle=subtitle, primary=False)
            button.bind(on_release=lambda _b, it=item: self.open(it))
            box.add_widget(button)
        when = fetched_text(snapshot.fetched_at)
        if not items:
            self.status_text = _("暂时没有内容，请稍后再试或咨询驿站工作人员。")
        elif snapshot.from_cache:
            self.status_text = _("离线服务中，内容更新于 {}", when or _("未知时间"))
        else:
            self.status_text = _("共 {} 项，点击查看详情", len(items))

    def _failed(self, exc: BaseException) -> None:
        logger.warning("content not loaded: %s", type(exc).__name__)
        self.busy = False
        self.status_text = _("内容暂时无法加载，请点\u201c刷新\u201d重试，或咨询驿站工作人员。")

    def open(self, item: dict[str, Any]) -> None:
        self.nav.go(self.detail_screen, item=item)

    def wipe(self) -> None:
        self.status_text = ""
        self.busy = False


class ContentDetailScreen(KioskScreen):
    heading = StringProperty("")
    title_text = StringProperty("")
    facts_text = StringProperty("")
    body_text = StringProperty("")
    qr_data = StringProperty("")
    qr_caption = StringProperty("")

    def show(self, values: Mapping[str, object]) -> None:
        """Values: ``item`` (a policy or course dict of the content snapshot)."""
        item = values.get("item")
        if isinstance(item, dict):
            self.show_item(item)

    def show_item(self, item: dict[str, Any]) -> None:
        raise NotImplementedError

    def wipe(self) -> None:
        self.title_text = self.facts_text = self.body_text = self.qr_data = ""


class PoliciesScreen(ContentListScreen):
    prompt_key = "policies"
    detail_screen = "policy_detail"

    def items_of(self, snapshot: Any) -> list[dict[str, Any]]:
        return list(snapshot.policies)

    def row_text(self, item: dict[str, Any]) -> tuple[str, str]:
        return item.get("title", ""), item.get("summary", "")


class PolicyDetailScreen(ContentDetailScreen):
    prompt_key = "policies"

    def show_item(self, item: dict[str, Any]) -> None:
        self.title_text = item.get("title", "")
        facts = [(_("类别"), item.get("category", "")), (_("更新日期"), item.get("updated_at", ""))]
        self.facts_text = "\n".join(fact_line(k, v) for k, v in facts if v)
        self.body_text = "\n\n".join(p for p in (item.get("summary", ""), item.get("body", "")) if p)
        self.qr_data = item.get("url", "")
        self.qr_caption = _("手机扫码查看政策全文")
        if "scroll" in self.ids:
            self.ids.scroll.scroll_y = 1


SCREENS = {"policies": PoliciesScreen, "policy_detail": PolicyDetailScreen}
