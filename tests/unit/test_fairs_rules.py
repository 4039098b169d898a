"""招聘会 rules at their edges (kiosk.domain.fairs): sign-up, check-in day, booths, cancellation,
the board near the station, and the platform codes explained."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.fairs import (Fair, FairKind, Venue, booking_refusal, cancellation_refusal,
                                checkin_refusal, explain, signup_refusal, upcoming)

US = timedelta(microseconds=1)
# 2026-12-05 09:00–11:30 China time = 01:00–03:30 UTC
START = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
END = datetime(2026, 12, 5, 3, 30, tzinfo=UTC)
BOOKING_DEADLINE = datetime(2026, 12, 2, 15, 59, tzinfo=UTC)      # 12-02 23:59 China
CANCEL_DEADLINE = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)         # 12-04 09:00 China
STATION = (23.1291, 113.3644)

FAIR = Fair("F1", "天河区冬季综合招聘会", FairKind.GENERAL, START, END,
            Venue("天河区人力资源市场", "广州市天河区天河路2号", "440106", 23.133, 113.361),
            "天河区人社局", capacity=2, signed_up=0, booths=2, booths_booked=0,
            booking_deadline=BOOKING_DEADLINE, cancellation_deadline=CANCEL_DEADLINE)


def test_signup_open_until_the_fair_ends_then_past():
    assert signup_refusal(FAIR, END - US) is None
    refusal = signup_refusal(FAIR, END)
    assert refusal is not None and refusal.code == "fair_past"
    assert refusal.message_zh == "本场招聘会已于12月5日 11:30结束，请选择其他场次"


def test_signup_full_at_capacity_and_unlimited_without_one():
    assert signup_refusal(replace(FAIR, signed_up=1), START) is None
    full = signup_refusal(replace(FAIR, signed_up=2), START)
    assert full is not None and full.code == "fair_full"
    assert full.message_zh == "本场招聘会报名人数已满，请选择其他场次"
    assert signup_refusal(replace(FAIR, capacity=0, signed_up=10_000), START) is None
    assert signup_refusal(replace(FAIR, cancelled=True), START).code == "fair_cancelled"


def test_checkin_only_on_the_fair_day_in_china_until_it_ends():
    day_start_china = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)   # 12-05 00:00 China
    early = checkin_refusal(FAIR, day_start_china - US)
    assert early is not None and early.code == "checkin_too_early"
    assert early.message_zh == "招聘会在12月5日（星期六）09:00–11:30举行，请当天再来签到"
    assert checkin_refusal(FAIR, day_start_china) is None          # early morning of the day
    assert checkin_refusal(FAIR, END - US) is None
    late = checkin_refusal(FAIR, END)
    assert late is not None and late.code == "checkin_too_late"
    assert late.message_zh == "本场招聘会已于12月5日 11:30结束，无法签到"
    assert checkin_refusal(FAIR, END + timedelta(days=1)).code == "checkin_too_late"


def test_booth_booking_edges():
    now = BOOKING_DEADLINE - US
    assert booking_refusal(FAIR, now, employer_has_booth=False) is None
    assert booking_refusal(FAIR, BOOKING_DEADLINE, employer_has_booth=False).code == \
        "booking_deadline_passed"
    assert booking_refusal(FAIR, BOOKING_DEADLINE, employer_has_booth=False).message_zh == \
        "展位预订已于12月2日 23:59截止"
    assert booking_refusal(FAIR, now, employer_has_booth=True).code == "booth_exists"
    assert booking_refusal(replace(FAIR, booths_booked=1), now, employer_has_booth=False) is None
    assert booking_refusal(replace(FAIR, booths_booked=2), now,
                           employer_has_booth=False).code == "booths_full"
    assert booking_refusal(replace(FAIR, bookings_open=False), now,
                           employer_has_booth=False).code == "bookings_closed"
    assert booking_refusal(replace(FAIR, booths=0), now, employer_has_booth=False).code == \
        "bookings_closed"
    assert booking_refusal(replace(FAIR, booking_deadline=None), END,
                           employer_has_booth=False).code == "fair_past"


def test_cancellation_strictly_before_the_organisers_deadline():
    assert cancellation_refusal(FAIR, CANCEL_DEADLINE - US) is None
    late = cancellation_refusal(FAIR, CANCEL_DEADLINE)
    assert late is not None and late.code == "cancellation_deadline_passed"
    assert late.message_zh == "已过免责取消时间（12月4日 09:00），如不能参会请联系主办方"
    no_deadline = replace(FAIR, cancellation_deadline=None)
    assert cancellation_refusal(no_deadline, START - US) is None
    assert cancellation_refusal(no_deadline, START).code == "cancellation_deadline_passed"


def test_upcoming_soonest_first_near_the_station_online_always():
    far = replace(FAIR, id="FAR", venue=Venue("深圳会展中心", "深圳市福田区", "440304", 22.53, 114.06))
    live = replace(FAIR, id="LIVE", kind=FairKind.LIVESTREAM, starts_at=START + timedelta(days=1),
                   ends_at=END + timedelta(days=1),
                   venue=Venue("线上直播间", "直播平台", "440000", 22.53, 114.06))
    later = replace(FAIR, id="LATER", starts_at=START + timedelta(days=7),
                    ends_at=END + timedelta(days=7))
    past = replace(FAIR, id="PAST", starts_at=START - timedelta(days=7),
                   ends_at=END - timedelta(days=7))
    gone = replace(FAIR, id="GONE", cancelled=True)
    now = START - timedelta(days=1)
    fairs = [later, live, far, past, gone, FAIR]
    assert [f.id for f in upcoming(fairs, now, STATION, radius_km=30)] == ["F1", "LIVE", "LATER"]
    assert [f.id for f in upcoming(fairs, now, STATION)] == ["F1", "FAR", "LIVE", "LATER"]
    assert [f.id for f in upcoming(fairs, now, STATION, radius_km=30, limit=2)] == ["F1", "LIVE"]
    assert round(FAIR.distance_from(STATION), 2) == 0.56      # 0.43 km north, 0.35 km west


@pytest.mark.parametrize(("code", "zh"), [
    ("fair_full", "本场招聘会报名人数已满，请选择其他场次"),
    ("signup_not_found", "未找到您的报名记录，请先报名本场招聘会"),
    ("booths_full", "本场招聘会展位已订满"),
    ("something_new", "平台暂不能办理，请到服务台咨询"),
])
def test_platform_codes_explained(code, zh):
    assert explain(code, FAIR, START - timedelta(days=1)).message_zh == zh


def test_explained_with_the_local_dates_when_the_rule_agrees():
    assert explain("checkin_too_early", FAIR, START - timedelta(days=2)).message_zh == \
        "招聘会在12月5日（星期六）09:00–11:30举行，请当天再来签到"


def test_day_and_hours_in_both_languages():
    assert FAIR.day_text() == "12月5日（星期六）" and FAIR.when_text() == "12月5日（星期六）09:00–11:30"
    assert FAIR.day_text_en() == "Sat 5 Dec" and FAIR.when_text_en() == "Sat 5 Dec 09:00–11:30"
