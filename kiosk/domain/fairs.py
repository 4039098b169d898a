"""招聘会 (job fairs): the fair record and the rules for signing up, checking in and booking a
booth. Pure values and functions (no I/O): the kiosk's services, its screens and the sandbox
platform all decide with these, so the kiosk explains offline exactly what the platform enforces.

Shapes:

* times are aware :class:`~datetime.datetime` (UTC on the wire, ``docs/openapi.yaml``
  ``Fair``); a fair's day and hours are China Standard Time (:mod:`kiosk.domain.china_time`):
  ``day`` is the calendar date in China, ``starts_at``/``ends_at`` the opening and closing times;
* counts are whole numbers; ``capacity`` = jobseeker places (0 = no limit), ``booths`` = employer
  booths (0 = the fair takes no bookings, e.g. a 直播带岗 with invited employers only).

Rules (``shared/design/employment-services.md`` §7; the kiosk's reading of them is marked):

* sign-up: refused once the fair has ended (``fair_past``) or when every place is taken
  (``fair_full``); a cancelled fair refuses everything (``fair_cancelled``). The 报到码 itself is
  an inference (§7: "a public-service rule for jobseeker 报到码 was not found (unclear)");
* check-in: on the fair's day in China, until ``ends_at`` (before that day ``checkin_too_early``,
  after ``ends_at`` ``checkin_too_late``). Organisers such as Xiamen release a booth at 9:30, but
  that is the employers' check-in, not the jobseekers' (§7);
* booth booking: one booth per employer (统一社会信用代码, GB 32100) per fair (Xiamen "one booth
  per independent legal entity per fair", 鼓楼 "one booth one employer"); not beyond ``booths``;
  only while ``bookings_open`` (the organiser's casework switch) and strictly before
  ``booking_deadline`` (鼓楼: "booking closes Wednesday end of day"); cancelling strictly before
  ``cancellation_deadline`` (Xiamen "免责取消" deadline, 鼓楼 "≥ 1 day before"). Both deadlines
  are set by the organiser per fair, not by the kiosk.

Every refusal is a :class:`Refusal` with a stable ``code`` (the platform's problem ``code``) and a
plain Chinese message first, English second.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.domain.china_time import to_china
from kiosk.domain.i18n_marker import N_
from kiosk.domain.matching import distance_km

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class FairKind(str, enum.Enum):
    """The four kinds of 招聘会 the platform lists (issue 20)."""

    GENERAL = "general"          # 综合招聘会
    SPECIALISED = "specialised"  # 专场招聘会 (an industry or a group, e.g. 高校毕业生专场)
    COMMUNITY = "community"      # 社区微型招聘会 (银川's community micro-fairs)
    LIVESTREAM = "livestream"    # 直播带岗 (online; the venue is the studio)

    @property
    def name_zh(self) -> str:
        return FAIR_KIND_NAMES[self]


FAIR_KIND_NAMES = {FairKind.GENERAL: N_("综合招聘会"), FairKind.SPECIALISED: N_("专场招聘会"),
                   FairKind.COMMUNITY: N_("社区微型招聘会"), FairKind.LIVESTREAM: N_("直播带岗")}

#: What to bring when the fair does not say (the generic guide in §7: ID, diploma, certificates,
#: résumé — third-party, lower reliability, so the platform's ``bring`` list wins).
DEFAULT_BRING = (N_("身份证"), N_("学历证书"), N_("职业资格证书"), N_("个人简历"))


@dataclass(frozen=True)
class Venue:
    """Where the fair is: name, street address, GB/T 2260 division and WGS-84 coordinates
    (degrees; None when unknown)."""

    name: str
    address: str
    division_code: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class FairPost:
    """A post an employer brings to the fair; ``vacancy_id`` is the catalog vacancy it opens
    (the usual vacancy detail and referral). Salaries in yuan per ``salary_unit``, 0 = not stated."""

    vacancy_id: str
    title: str
    openings: int = 1
    salary_min: int = 0
    salary_max: int = 0
    salary_unit: str = "MONTH"


@dataclass(frozen=True)
class FairEmployer:
    """A participating employer: name, 统一社会信用代码 (GB 32100, "" if not published), booth
    number ("" until assigned) and its posts."""

    name: str
    credit_code: str = ""
    booth: str = ""
    posts: tuple[FairPost, ...] = ()


@dataclass(frozen=True)
class Fair:
    """One 招聘会 (see the module docstring for units and rules)."""

    id: str
    title: str
    kind: FairKind
    starts_at: datetime
    ends_at: datetime
    venue: Venue
    organiser: str
    capacity: int = 0
    signed_up: int = 0
    booths: int = 0
    booths_booked: int = 0
    bookings_open: bool = True
    booking_deadline: datetime | None = None
    cancellation_deadline: datetime | None = None
    cancelled: bool = False
    employers: tuple[FairEmployer, ...] = ()
    bring: tuple[str, ...] = DEFAULT_BRING
    live_url: str = ""
    updated_at: str = ""

    @property
    def day(self) -> date:
        """The fair's calendar date in China."""
        return to_china(self.starts_at).date()

    @property
    def places_left(self) -> int | None:
        """Jobseeker places still free; None when there is no limit."""
        return None if self.capacity <= 0 else max(0, self.capacity - self.signed_up)

    @property
    def booths_left(self) -> int:
        return max(0, self.booths - self.booths_booked)

    @property
    def post_count(self) -> int:
        return sum(len(e.posts) for e in self.employers)

    def day_text(self) -> str:
        """``"12月5日（星期六）"`` in China time."""
        start = to_china(self.starts_at)
        return f"{start.month}月{start.day}日（{WEEKDAYS_ZH[start.weekday()]}）"

    def when_text(self) -> str:
        """``"12月5日（星期六）09:00–11:30"`` in China time."""
        start, end = to_china(self.starts_at), to_china(self.ends_at)
        return f"{self.day_text()}{start:%H:%M}–{end:%H:%M}"

    def day_text_en(self) -> str:
        """``"Sat 5 Dec"`` in China time (the English screens' :meth:`day_text`)."""
        start = to_china(self.starts_at)
        return f"{start:%a} {start.day} {start:%b}"

    def when_text_en(self) -> str:
        """``"Sat 5 Dec 09:00–11:30"`` in China time."""
        start, end = to_china(self.starts_at), to_china(self.ends_at)
        return f"{self.day_text_en()} {start:%H:%M}–{end:%H:%M}"

    def distance_from(self, origin: tuple[float, float] | None) -> float | None:
        """Kilometres from ``origin`` (latitude, longitude) to the venue; None if either is unknown."""
        point = self.venue.point
        if origin is None or point is None:
            return None
        return distance_km(origin, point)


@dataclass(frozen=True)
class Refusal:
    """Why something about a fair cannot be done: ``code`` (the platform's problem code), a
    Chinese message and its English translation."""

    code: str
    message_zh: str
    message_en: str


def _china_text(when: datetime) -> str:
    local = to_china(when)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _english_text(when: datetime) -> str:
    return f"{to_china(when):%d %b %H:%M}"


def is_over(fair: Fair, now: datetime) -> bool:
    """True from ``ends_at`` on."""
    return now >= fair.ends_at


def signup_refusal(fair: Fair, now: datetime) -> Refusal | None:
    """None when a jobseeker may sign up for ``fair`` at ``now``, else why not (module rules)."""
    if fair.cancelled:
        return Refusal("fair_cancelled", "本场招聘会已取消", "This job fair has been cancelled")
    if is_over(fair, now):
        return Refusal("fair_past", f"本场招聘会已于{_china_text(fair.ends_at)}结束，请选择其他场次",
                       f"This job fair ended on {_english_text(fair.ends_at)}; please choose another")
    if fair.places_left == 0:
        return Refusal("fair_full", "本场招聘会报名人数已满，请选择其他场次",
                       "This job fair is full; please choose another")
    return None


def checkin_refusal(fair: Fair, now: datetime) -> Refusal | None:
    """None when a signed-up jobseeker may check in at ``now``: on the fair's day in China,
    until ``ends_at``. Else why not."""
    if fair.cancelled:
        return Refusal("fair_cancelled", "本场招聘会已取消", "This job fair has been cancelled")
    today = to_china(now).date()
    if today < fair.day:
        return Refusal("checkin_too_early",
                       f"招聘会在{fair.when_text()}举行，请当天再来签到",
                       f"The job fair is on {to_china(fair.starts_at):%d %b %H:%M}; "
                       "please check in on that day")
    if is_over(fair, now):
        return Refusal("checkin_too_late", f"本场招聘会已于{_china_text(fair.ends_at)}结束，无法签到",
                       f"This job fair ended on {_english_text(fair.ends_at)}; "
                       "check-in is closed")
    return None


def booking_refusal(fair: Fair, now: datetime, *, employer_has_booth: bool) -> Refusal | None:
    """None when an employer may book a booth at ``fair`` at ``now``, else why not.

    Args:
        employer_has_booth: the employer (by 统一社会信用代码) already holds a booth here.
    """
    if fair.cancelled:
        return Refusal("fair_cancelled", "本场招聘会已取消", "This job fair has been cancelled")
    if is_over(fair, now):
        return Refusal("fair_past", "本场招聘会已结束", "This job fair is over")
    if not fair.bookings_open or fair.booths <= 0:
        return Refusal("bookings_closed", "主办方已关闭本场展位预订",
                       "The organiser has closed booth booking for this fair")
    if fair.booking_deadline is not None and now >= fair.booking_deadline:
        return Refusal("booking_deadline_passed",
                       f"展位预订已于{_china_text(fair.booking_deadline)}截止",
                       f"Booth booking closed on {_english_text(fair.booking_deadline)}")
    if employer_has_booth:
        return Refusal("booth_exists", "每家单位每场招聘会只能预订一个展位，贵单位已预订",
                       "One booth per employer per fair: yours is already booked")
    if fair.booths_left == 0:
        return Refusal("booths_full", "本场招聘会展位已订满", "Every booth of this fair is taken")
    return None


def cancellation_refusal(fair: Fair, now: datetime) -> Refusal | None:
    """None when an employer may still cancel its booth without penalty at ``now`` (strictly
    before ``cancellation_deadline``; no deadline set = until the fair starts)."""
    deadline = fair.cancellation_deadline or fair.starts_at
    if now >= deadline:
        return Refusal("cancellation_deadline_passed",
                       f"已过免责取消时间（{_china_text(deadline)}），如不能参会请联系主办方",
                       f"The free cancellation deadline ({_english_text(deadline)}) has "
                       "passed; please contact the organiser")
    return None


def upcoming(fairs: list[Fair] | tuple[Fair, ...], now: datetime,
             origin: tuple[float, float] | None = None, *, radius_km: float | None = None,
             limit: int | None = None) -> list[Fair]:
    """The fairs not over and not cancelled, soonest first (ties: nearest first).

    Args:
        origin: the station's (latitude, longitude) for distances.
        radius_km: keep only venues within this many km of ``origin``; a 直播带岗 (online) and a
            venue without coordinates are always kept.
        limit: at most this many.
    """
    keep = []
    for fair in fairs:
        if fair.cancelled or is_over(fair, now):
            continue
        distance = fair.distance_from(origin)
        if (radius_km is not None and distance is not None and distance > radius_km
                and fair.kind is not FairKind.LIVESTREAM):
            continue
        keep.append((fair.starts_at, distance if distance is not None else 0.0, fair.id, fair))
    keep.sort(key=lambda row: row[:3])
    result = [row[3] for row in keep]
    return result if limit is None else result[:limit]


#: Refusals the platform may answer that no local rule predicts (its problem ``code`` → text).
PLATFORM_REFUSALS = {
    "fair_not_found": ("未找到这场招聘会，可能已被主办方撤下", "This job fair is no longer listed"),
    "signup_not_found": ("未找到您的报名记录，请先报名本场招聘会",
                         "No sign-up was found for you at this fair; please sign up first"),
    "booking_not_found": ("未找到该展位预订", "No such booth booking"),
    "no_fair_today": ("今天没有您报名的招聘会", "You have no job fair today"),
}


def explain(code: str, fair: Fair | None, now: datetime, *,
            employer_has_booth: bool = False) -> Refusal:
    """The :class:`Refusal` for a platform problem ``code`` about ``fair`` at ``now``: the local
    rule's own text when it gives the same ``code`` (with dates), else a fixed text for the code
    (:data:`PLATFORM_REFUSALS` and the rule codes), else a generic refusal naming nothing
    personal. Never raises."""
    if fair is not None:
        for found in (signup_refusal(fair, now), checkin_refusal(fair, now),
                      booking_refusal(fair, now, employer_has_booth=employer_has_booth),
                      cancellation_refusal(fair, now)):
            if found is not None and found.code == code:
                return found
    if code in PLATFORM_REFUSALS:
        return Refusal(code, *PLATFORM_REFUSALS[code])
    if code in _RULE_TEXTS:
        return Refusal(code, *_RULE_TEXTS[code])
    return Refusal(code, "平台暂不能办理，请到服务台咨询",
                   "The platform cannot do this now; please ask at the service desk")


_RULE_TEXTS = {
    "bookings_closed": ("主办方已关闭本场展位预订", "The organiser has closed booth booking for this fair"),
    "booking_deadline_passed": ("本场展位预订已截止", "Booth booking for this fair has closed"),
    "booth_exists": ("每家单位每场招聘会只能预订一个展位，贵单位已预订",
                     "One booth per employer per fair: yours is already booked"),
    "booths_full": ("本场招聘会展位已订满", "Every booth of this fair is taken"),
    "fair_full": ("本场招聘会报名人数已满，请选择其他场次", "This job fair is full; please choose another"),
    "fair_past": ("本场招聘会已结束", "This job fair is over"),
    "fair_cancelled": ("本场招聘会已取消", "This job fair has been cancelled"),
    "checkin_too_early": ("还没到招聘会当天，请当天再来签到", "It is not the fair's day yet"),
    "checkin_too_late": ("本场招聘会已结束，无法签到", "This job fair is over; check-in is closed"),
    "cancellation_deadline_passed": ("已过免责取消时间，如不能参会请联系主办方",
                                     "The free cancellation deadline has passed"),
}
