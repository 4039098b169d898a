"""岗位详情 (vacancy detail): everything about one vacancy in large text, a QR code that opens
it on a phone, and "申请推荐 / 打印推荐单" (asks for the ID card when the session has none).

The phone link is ``[catalog] vacancy_url_template`` with ``{vacancy_id}`` filled in (URL-quoted);
when that option is "" it is ``/vacancies/{vacancy_id}`` on the host of the platform's
``verify_url_template``. The vacancy shown is public data (no wipe needed for privacy, but the
screen is cleared anyway when the session ends).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from kivy.properties import ObjectProperty, StringProperty

from kiosk.domain.codes.occupations import MIDDLES_EN
from kiosk.domain.i18n_marker import N_
from kiosk.domain.vacancy import EDUCATION_NAMES, EMPLOYMENT_TYPES, Vacancy
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.ui.i18n import _, current_language, fact_line
from kiosk.ui.qr_image import QrImage  # noqa: F401  (kv rule)
from kiosk.ui.vacancy_list import age_text, distance_text

load_kv(__file__)


def vacancy_url(template: str, verify_template: str, vacancy_id: str) -> str:
    """The phone link of a vacancy (see the module docstring)."""
    if not template:
        parts = urlsplit(verify_template)
        template = f"{parts.scheme}://{parts.netloc}/vacancies/{{vacancy_id}}"
    return template.replace("{vacancy_id}", quote(vacancy_id, safe=""))


def detail_facts(v: Any) -> list[tuple[str, str]]:
    """(label, value) lines of a vacancy for the detail screen, empty values left out.

    Labels and fixed values are message ids (translated by the caller with ``_``); data
    (employer, address, names) stays as published."""
    edu = EDUCATION_NAMES.get(v.education_code, "") if v.education_code else N_("不限")
    kinds = [EMPLOYMENT_TYPES.get(v.employment_type, "")]
    if v.public_welfare:
        kinds.append(N_("公益性岗位"))
    if v.internship:
        kinds.append(N_("见习岗位"))
    facts = [
        (N_("月薪") if v.salary_unit == "MONTH" else N_("薪酬"), v.salary_text(current_language())),
        (N_("用人单位"), v.employer),
        (N_("工作地点"), v.address or f"{v.city}{v.district}{v.town}"),
        (N_("学历要求"), _(edu)),
        (N_("用工形式"), "、".join(_(k) for k in kinds if k)),
        (N_("招聘人数"), str(v.total_openings) if v.total_openings else ""),
        (N_("职业类别"), MIDDLES_EN.get(v.occupation_code, v.occupation_name)
         if current_language() == "en" else v.occupation_name),
        (N_("联系人"), v.contact_name),
        (N_("联系电话"), v.contact_phone),
        (N_("发布日期"), v.date_posted),
        (N_("有效期至"), v.valid_through),
        (N_("岗位编号"), v.id),
    ]
    return [(label, value) for label, value in facts if value]


class VacancyDetailScreen(KioskScreen):
    prompt_key = "detail"
    vacancy = ObjectProperty(None, allownone=True)
    title_text = StringProperty("")
    salary_text = StringProperty("")
    facts_text = StringProperty("")
    description_text = StringProperty("")
    tags_text = StringProperty("")
    where_text = StringProperty("")
    qr_data = StringProperty("")

    def show(self, values: Mapping[str, object]) -> None:
        """Values: ``vacancy`` (a ``kiosk.domain.vacancy.Vacancy``), ``distance_km`` (km from
        the station or None), ``age_days`` (days since posted or None)."""
        vacancy = values.get("vacancy")
        if not isinstance(vacancy, Vacancy):
            return
        distance = values.get("distance_km")
        distance_km = float(distance) if isinstance(distance, (int, float)) else None
        age = values.get("age_days")
        age_days = age if isinstance(age, int) else None
        self.vacancy = vacancy
        self.title_text = vacancy.title
        self.salary_text = vacancy.salary_text(current_language())
        # Plain text (no markup): one texture, drawn fast (bench/bench_ui_search.py).
        self.facts_text = "\n".join(fact_line(_(label), value) for label, value in detail_facts(vacancy))
        self.description_text = vacancy.description
        # a tag the catalog knows is shown in the language on screen ("#零工" → "#Day jobs"),
        # an employer's own tag as given
        self.tags_text = "  ".join(f"#{_(t) if t else t}" for t in vacancy.tags)
        self.where_text = " · ".join(p for p in (age_text(age_days), distance_text(distance_km))
                                     if p)
        services = self.services
        self.qr_data = vacancy_url(services.settings.catalog.vacancy_url_template,
                                   services.verify_url_template(), vacancy.id)
        if "scroll" in self.ids:
            self.ids.scroll.scroll_y = 1

    def apply(self) -> None:
        """申请推荐: keep the vacancy in the session, then identity → the referral screen."""
        if self.vacancy is None:
            return
        self.nav.start("referral", vacancy=self.vacancy)

    def wipe(self) -> None:
        self.vacancy = None
        self.title_text = self.salary_text = self.facts_text = ""
        self.description_text = self.tags_text = self.where_text = self.qr_data = ""


SCREENS = {"vacancy_detail": VacancyDetailScreen}
