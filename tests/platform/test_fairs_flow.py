"""招聘会 end to end against the running sandbox: two kiosks (two terminals) with their own fair
tables; sign up at the first → the slip decoded → check in at the second by scanning that QR and
by laying the card; full, past, wrong day; codes that are not ours; booth rules at their edges
and the organiser's switch. The sandbox's and the kiosks' clocks are injected (no sleeps)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from kiosk.devices.printer.profile import paper_profile
from kiosk.domain.fairs import Fair, FairKind, Venue
from kiosk.platform.client import PlatformClient
from kiosk.platform.sandbox.app import build_sandbox
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.sandbox.fair_casework import seed_demo_fairs
from kiosk.platform.sandbox.routes import fairs as fair_routes
from kiosk.platform.sandbox.seed import seed_demo
from kiosk.services.consent import consent_record
from kiosk.services.fairs import FairService, FairStore
from kiosk.services.slip import encode_slip
from kiosk.services.slip.fair_checkin import layout_fair_checkin
from tests.platform.conftest import FIXTURES, STATION
from tests.platform.sandbox_payloads import SECRET, TERMINAL

SECOND = "GD-TEST-0002"
SECOND_SECRET = bytes(range(1, 33))
# 2026-12-01 10:00 China
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CONSENT = consent_record(["fair_signup"], NOW)
CREDIT = "91440101MA5CYX8B3N"


@dataclass
class Person:
    name: str
    id_number: str


ALICE = Person("陈晓满", "449901199203154525")
BOB = Person("张小明", "449901199001011235")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world() -> Iterator[tuple[SandboxServer, Clock, FairService, FairService]]:
    platform = build_sandbox(":memory:")
    platform.store.provision_terminal(TERMINAL, SECRET, STATION)
    platform.store.provision_terminal(SECOND, SECOND_SECRET, STATION)
    seed_demo(platform.store, FIXTURES / "vacancies.json", FIXTURES / "content.json")
    clock = Clock(NOW)
    fair_routes.casework(platform.store).clock = clock
    seed_demo_fairs(platform.store, NOW, (STATION["latitude"], STATION["longitude"]))
    with SandboxServer(platform).start() as srv:
        kiosks = []
        for terminal, secret in ((TERMINAL, SECRET), (SECOND, SECOND_SECRET)):
            client = PlatformClient(srv.base_url, terminal, secret, connect_timeout_s=2,
                                    read_timeout_s=3, backoff_factor=0.01)
            kiosks.append(FairService(FairStore(":memory:"), client, station_name=STATION["name"],
                                      hotline=STATION["hotline"],
                                      origin=(STATION["latitude"], STATION["longitude"]),
                                      clock=clock))
        for kiosk in kiosks:
            kiosk.sync()
        yield srv, clock, kiosks[0], kiosks[1]
        for kiosk in kiosks:
            kiosk.platform.close()  # type: ignore[attr-defined]


def _decoder():
    name = "slip_escpos_decoder"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "services" / "test_slip_escpos_decoder.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_board_shows_the_next_fairs_near_the_station(world):
    _srv, _clock, first, _second = world
    assert [f.id for f in first.board()] == ["DEMO-20261201-C", "DEMO-20261201-L",
                                             "DEMO-20261201-G"]
    assert first.sync().not_modified                       # unchanged list: 304
    general = first.fair("DEMO-20261201-G")
    assert general.kind is FairKind.GENERAL and general.booths == 60
    post = general.employers[0].posts[0]
    assert first.platform.vacancy(post.vacancy_id).title == post.title   # opens the vacancy


def test_sign_up_slip_then_check_in_at_another_kiosk_by_scan_and_by_card(world):
    srv, clock, first, second = world
    outcome = first.sign_up("DEMO-20261201-C", ALICE, CONSENT, phone="13800138000")
    assert outcome.ok and not outcome.again
    slip = outcome.slip
    profile = paper_profile(80)
    decoded = _decoder().decode(encode_slip(layout_fair_checkin(slip, profile), profile))
    scanned = decoded.qr_payloads[0].decode("ascii")
    assert scanned == slip.qr_payload and scanned.startswith("GDJY:FAIR:1:DEMO-20261201-C:")
    assert f"报到码 {slip.short_code[:4]}-{slip.short_code[4:]}" in decoded.texts
    assert "求职者：  陈*满" in decoded.texts and "陈晓满" not in "".join(decoded.texts)
    again = first.sign_up("DEMO-20261201-C", ALICE, CONSENT)
    assert again.again and again.slip.token == slip.token            # the same code again

    checked = second.check_in_scan(scanned + "\r")
    assert checked.status == "checked_in" and checked.checked_in_at == NOW
    assert checked.message_zh == "签到成功：天河南街道社区微型招聘会，请入场"
    clock.now = NOW + timedelta(minutes=5)
    twice = first.check_in_scan(scanned)
    assert twice.status == "already_checked_in"
    assert twice.message_zh == "您已于10:00签到，无需重复签到"

    assert second.check_in_card(BOB).refusal.code == "signup_not_found"
    assert first.sign_up("DEMO-20261201-C", BOB, CONSENT).ok
    by_card = second.check_in_card(BOB)
    assert by_card.status == "checked_in" and by_card.fair.id == "DEMO-20261201-C"
    rows = fair_routes.casework(srv.platform.store).signups("DEMO-20261201-C")
    assert [(r["masked_name"], r["terminal_id"], r["checked_in_terminal"]) for r in rows] == [
        ("陈*满", TERMINAL, SECOND), ("张*明", TERMINAL, SECOND)]


def test_a_code_of_another_person_or_fair_does_not_check_in(world):
    _srv, _clock, first, second = world
    slip = first.sign_up("DEMO-20261201-C", ALICE, CONSENT).slip
    forged = slip.qr_payload[:-4] + ("AAAA" if not slip.qr_payload.endswith("AAAA") else "BBBB")
    assert second.check_in_scan(forged).refusal.code == "signup_not_found"
    other_fair = slip.qr_payload.replace("DEMO-20261201-C", "DEMO-20261201-G")
    refused = second.check_in_scan(other_fair)
    assert refused.refusal.code == "checkin_too_early"                 # explained locally
    assert refused.message_zh == "招聘会在12月4日（星期五）09:00–11:30举行，请当天再来签到"


def test_codes_that_are_not_ours_do_nothing(world):
    srv, _clock, first, _second = world
    before = dict(srv.faults.arrivals)
    for text in ("6901234567892", "https://weixin.qq.com/r/x", "GDJY:FAIR:1:X:notatoken"):
        outcome = first.check_in_scan(text)
        assert (outcome.status, outcome.message_zh) == ("refused", "这不是本站的二维码")
    assert dict(srv.faults.arrivals) == before                         # nothing was sent
    assert first.check_in_scan("CTID1:" + "x" * 20).status == "eid"    # for the login


def test_check_in_before_and_after_the_fair_day(world):
    _srv, clock, first, second = world
    slip = first.sign_up("DEMO-20261201-G", ALICE, CONSENT).slip       # in 3 days
    early = second.check_in_scan(slip.qr_payload)
    assert early.refusal.code == "checkin_too_early"
    clock.now = datetime(2026, 12, 4, 3, 30, tzinfo=UTC)              # 11:30 China: it ended
    second.sync()
    late = second.check_in_scan(slip.qr_payload)
    assert late.refusal.code == "checkin_too_late"
    assert late.message_zh == "本场招聘会已于12月4日 11:30结束，无法签到"
    clock.now = datetime(2026, 12, 4, 3, 29, tzinfo=UTC)
    assert second.check_in_scan(slip.qr_payload).status == "checked_in"


def test_full_and_past_fairs_say_so(world):
    srv, clock, first, second = world
    tiny = Fair("TINY", "社区微型招聘会", FairKind.COMMUNITY, NOW + timedelta(hours=1),
                NOW + timedelta(hours=3), Venue("社区中心", "广州市天河区", "440106"), "街道",
                capacity=1)
    fair_routes.casework(srv.platform.store).put_fairs([tiny])
    first.sync()
    second.sync()
    assert first.sign_up("TINY", ALICE, CONSENT).ok
    full = second.sign_up("TINY", BOB, CONSENT)            # the kiosk's copy still showed a place
    assert full.refusal.code == "fair_full"
    assert full.refusal.message_zh == "本场招聘会报名人数已满，请选择其他场次"
    assert second.signup_check(second.fair("TINY")) is None    # its copy: a place left
    second.sync()                                              # the detail screen, after a sync
    shown = second.signup_check(second.fair("TINY"))
    assert (shown.code, shown.message_zh) == ("fair_full", "本场招聘会报名人数已满，请选择其他场次")
    clock.now = NOW + timedelta(hours=3)
    past = second.sign_up("TINY", BOB, CONSENT)
    assert past.refusal.code == "fair_past"
    assert past.refusal.message_zh == "本场招聘会已于12月1日 13:00结束，请选择其他场次"
    assert past.refusal.message_en == "This job fair ended on 01 Dec 13:00; please choose another"
    assert second.signup_check(second.fair("TINY")) == past.refusal


def _book(kiosk: FairService, fair_id: str, credit: str = CREDIT):
    return kiosk.book_booth(fair_id, credit_code=credit, employer_name="广州示例物流有限公司",
                            contact_phone="020-87654321")


def test_booth_rules_at_their_edges(world):
    srv, clock, first, second = world
    cases = fair_routes.casework(srv.platform.store)
    fair = cases.fair("DEMO-20261201-G")
    small = replace(fair, id="BOOTHS", booths=2, employers=())
    cases.put_fairs([small])
    first.sync()
    clock.now = small.booking_deadline - timedelta(microseconds=1)
    booked = _book(first, "BOOTHS")
    assert booked.ok and booked.booking.booth == "A01"
    assert booked.booking.cancel_until == "2026-12-03T01:00:00.000000Z"   # 12-03 09:00 China
    assert _book(second, "BOOTHS").refusal.code == "booth_exists"        # same employer, any kiosk
    assert _book(second, "BOOTHS", "91440300MA5EXAMPLE").booking.booth == "A02"
    assert _book(second, "BOOTHS", "91440104MA59UT4K9L").refusal.code == "booths_full"
    clock.now = small.booking_deadline
    late = _book(first, "BOOTHS", "91440106MA9W0X1Y2K")
    assert late.refusal.code == "booking_deadline_passed"
    assert late.refusal.message_zh == "展位预订已于12月2日 23:59截止"


def test_booth_capacity_switch_and_cancellation(world):
    srv, clock, first, second = world
    cases = fair_routes.casework(srv.platform.store)
    fair = replace(cases.fair("DEMO-20261201-G"), id="TWO", booths=2, employers=())
    cases.put_fairs([fair])
    first.sync()
    one = _book(first, "TWO", "91440101MA5CYX8B3N")
    two = _book(second, "TWO", "91440106MA9W0X1Y2K")
    assert (one.booking.booth, two.booking.booth) == ("A01", "A02")
    assert _book(first, "TWO", "91440104MA59UT4K9L").refusal.code == "booths_full"
    assert second.cancel_booth("TWO", one.booking.booking_id).refusal.code == "booking_not_found"
    clock.now = fair.cancellation_deadline - timedelta(microseconds=1)
    cancelled = first.cancel_booth("TWO", one.booking.booking_id)
    assert cancelled.ok and cancelled.booking.status == "cancelled"
    clock.now = fair.cancellation_deadline
    late = second.cancel_booth("TWO", two.booking.booking_id)
    assert late.refusal.code == "cancellation_deadline_passed"
    assert late.refusal.message_zh == "已过免责取消时间（12月3日 09:00），如不能参会请联系主办方"
    # the organiser's casework switch closes bookings, and reopens them
    clock.now = NOW
    url = f"{srv.base_url.removesuffix('/v1')}/_sandbox/fairs/TWO/bookings"
    token = {"X-Sandbox-Token": srv.platform.admin_token}
    assert requests.put(url, json={"open": False}, headers=token, timeout=3).json()[
        "bookings_open"] is False
    assert requests.put(url, json={"open": False}, timeout=3).status_code == 401
    closed = _book(first, "TWO", "91440101MA5CYX8B3N")
    assert closed.refusal.code == "bookings_closed"
    assert closed.refusal.message_zh == "主办方已关闭本场展位预订"
    requests.put(url, json={"open": True}, headers=token, timeout=3)
    assert _book(first, "TWO", "91440101MA5CYX8B3N").booking.booth == "A01"   # freed by cancel
