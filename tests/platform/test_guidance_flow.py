"""预约职业指导 end to end against the running sandbox: two kiosks (two terminals) with their own
slot tables; book at the first → the slip decoded (time, adviser's desk, how to cancel; masked
name, no ID number) → the same person again gets the same booking → the last place goes to one
of two people only → found again by the card at the second kiosk and cancelled there → the
place is free again; deadlines at their edges; another person's card cannot cancel. The
sandbox's and the kiosks' clocks are injected (no sleeps). Also the résumé hand-off: the link's
PDF carries what the paper carries and never the ID number."""

from __future__ import annotations

import importlib.util
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
import requests

from kiosk.devices.printer.profile import paper_profile
from kiosk.platform.client import PlatformClient
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.sandbox.app import build_sandbox
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.sandbox.guidance_casework import RESUME_LINK_TTL, seed_demo_slots
from kiosk.platform.sandbox.routes import guidance as guidance_routes
from kiosk.services.consent import consent_record
from kiosk.services.guidance import GuidanceService, SlotStore
from kiosk.services.slip import encode_slip
from kiosk.services.slip.guidance import layout_guidance
from tests.platform.conftest import STATION
from tests.platform.sandbox_payloads import SECRET, TERMINAL

SECOND = "GD-TEST-0002"
SECOND_SECRET = bytes(range(1, 33))
# Tuesday 2026-12-01 07:00 China
NOW = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
CONSENT = consent_record(["guidance_booking"], NOW)
ONE_TO_ONE = "GS-20261201-0930"      # capacity 1, 09:30 China, cancellable until 07:30
GROUP = "GS-20261201-1430"           # capacity 6


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
def world() -> Iterator[tuple[SandboxServer, Clock, GuidanceService, GuidanceService]]:
    platform = build_sandbox(":memory:")
    platform.store.provision_terminal(TERMINAL, SECRET, STATION)
    platform.store.provision_terminal(SECOND, SECOND_SECRET, STATION)
    clock = Clock(NOW)
    guidance_routes.casework(platform.store).clock = clock
    seed_demo_slots(platform.store, NOW)
    with SandboxServer(platform).start() as srv:
        kiosks = []
        for terminal, secret in ((TERMINAL, SECRET), (SECOND, SECOND_SECRET)):
            client = PlatformClient(srv.base_url, terminal, secret, connect_timeout_s=2,
                                    read_timeout_s=3, backoff_factor=0.01)
            kiosks.append(GuidanceService(SlotStore(":memory:"), client,
                                          station_name=STATION["name"],
                                          hotline=STATION["hotline"], clock=clock))
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


def test_the_slot_list_syncs_with_etag_and_lists_open_slots(world):
    _srv, _clock, first, _second = world
    slots = first.open_slots(limit=30)
    # Tue 1st to Tue 8th: 6 weekdays × 4 slots (the weekend has none)
    assert len(slots) == 24
    assert [s.id for s in slots[:4]] == ["GS-20261201-0930", "GS-20261201-1030",
                                         "GS-20261201-1430", "GS-20261201-1530"]
    assert slots[0].when_text() == "12月1日（星期二）09:30–10:15"
    assert (slots[0].adviser, slots[0].desk, slots[0].capacity) == ("李老师", "1号职业指导室", 1)
    again = first.sync()
    assert again.not_modified and again.stored == 24


def test_book_print_rebook_and_the_last_place(world):
    srv, _clock, first, second = world
    outcome = first.book(ONE_TO_ONE, ALICE, CONSENT, phone="13800138000")
    assert outcome.ok and not outcome.again
    slip = outcome.slip
    assert slip.booking_no.startswith("ZD20261201") and len(slip.booking_no) == 16
    for paper in (58, 80):
        profile = paper_profile(paper)
        decoded = _decoder().decode(encode_slip(layout_guidance(slip, profile), profile))
        text = "".join(decoded.texts)
        assert "职业指导预约" in decoded.texts
        assert "12月1日（星期二）09:30–10:15" in decoded.texts
        assert any(t.startswith("地点：") and t.endswith("1号职业指导室") for t in decoded.texts)
        assert slip.booking_no in text                    # an identifier: on one line
        assert "12月1日 07:30前" in text and "取消预约" in text   # how to cancel, until when
        assert "陈*满" in text and "陈晓满" not in text and ALICE.id_number not in text
        assert ALICE.id_number[-4:] not in text
    again = first.book(ONE_TO_ONE, ALICE, CONSENT)
    assert again.again and again.booking_no == slip.booking_no     # one booking per person
    full = second.book(ONE_TO_ONE, BOB, CONSENT)
    assert not full.ok and full.refusal.code == "slot_full"
    assert full.refusal.message_zh == "这个时段已约满，请选择其他时间"
    rows = guidance_routes.casework(srv.platform.store).bookings(ONE_TO_ONE)
    assert [(r["masked_name"], r["terminal_id"], r["cancelled_at"]) for r in rows] == [
        ("陈*满", TERMINAL, None)]
    # the group session takes both
    assert first.book(GROUP, ALICE, CONSENT).ok and second.book(GROUP, BOB, CONSENT).ok
    first.sync()
    assert first.slot(GROUP).booked == 2 and first.slot(ONE_TO_ONE).places_left == 0


def test_found_again_by_the_card_and_cancelled_at_another_kiosk(world):
    srv, clock, first, second = world
    booked = first.book(ONE_TO_ONE, ALICE, CONSENT).slip
    assert first.book(GROUP, ALICE, CONSENT).ok
    found = second.bookings_of(ALICE)
    assert found.ok and [s.booking_no for s in found.slips][0] == booked.booking_no
    assert [s.slot.id for s in found.slips] == [ONE_TO_ONE, GROUP]
    assert second.bookings_of(BOB).slips == ()
    # another person's card cannot cancel it, and learns nothing
    with pytest.raises(PlatformRejected) as err:
        second.platform.cancel_guidance_booking(booked.booking_no, BOB.id_number)
    assert err.value.code == "booking_not_found"
    assert second.cancel(booked.booking_no, BOB).refusal.code == "booking_not_found"
    clock.now = NOW + timedelta(minutes=29, seconds=59)   # 07:29:59 China
    cancelled = second.cancel(booked.booking_no, ALICE)
    assert cancelled.ok and cancelled.slip.cancelled
    profile = paper_profile(58)
    decoded = _decoder().decode(encode_slip(layout_guidance(cancelled.slip, profile), profile))
    assert "职业指导预约已取消" in "".join(decoded.texts)
    assert second.cancel(booked.booking_no, ALICE).ok                # again: answered again
    assert [s.slot.id for s in second.bookings_of(ALICE).slips] == [GROUP]
    # the place is free again for someone else
    assert first.book(ONE_TO_ONE, BOB, CONSENT).ok
    rows = guidance_routes.casework(srv.platform.store).bookings(ONE_TO_ONE)
    assert [(r["masked_name"], r["cancelled_at"] is None) for r in rows] == [
        ("陈*满", False), ("张*明", True)]


def test_deadlines_at_their_edges(world):
    _srv, clock, first, second = world
    bob = first.book(ONE_TO_ONE, BOB, CONSENT).slip
    clock.now = NOW + timedelta(minutes=30)           # 07:30 China: too late
    late = first.cancel(bob.booking_no, BOB)
    assert late.refusal.code == "cancellation_too_late"
    assert late.refusal.message_zh == "已过取消时间，如需改约请致电020-12345678"
    assert first.cancel_refusal(bob).message_zh.startswith("已过取消时间（12月1日 07:30）")
    clock.now = NOW + timedelta(hours=3, minutes=30)  # 10:30: that slot started
    assert second.book("GS-20261201-1030", ALICE, CONSENT).refusal.code == "slot_closed"
    # the kiosk's own copy already says so: the platform is not asked
    second.platform.close()
    assert second.book(ONE_TO_ONE, ALICE, CONSENT).refusal.code == "slot_closed"
    assert [s.id for s in second.open_slots(limit=2)] == ["GS-20261201-1430", "GS-20261201-1530"]


def test_offline_booking_says_so_and_keeps_nothing(world):
    srv, clock, first, _second = world
    dead = PlatformClient("http://127.0.0.1:9/v1", TERMINAL, SECRET, connect_timeout_s=0.5,
                          read_timeout_s=0.5, retries=0)         # nothing listens there
    offline = GuidanceService(first.store, dead, station_name=STATION["name"],
                              hotline=STATION["hotline"], clock=clock)
    outcome = offline.book(ONE_TO_ONE, ALICE, CONSENT)
    assert outcome.refusal.code == "offline"
    assert outcome.refusal.message_zh == "网络暂不可用，请稍后再试或到服务台预约"
    assert offline.bookings_of(ALICE).refusal.code == "offline"
    assert offline.cancel("ZD20261201000001", ALICE).refusal.code == "offline"
    dead.close()
    assert guidance_routes.casework(srv.platform.store).bookings(ONE_TO_ONE) == []


def test_resume_link_serves_the_pdf_of_the_paper_until_it_expires(world):
    srv, clock, first, _second = world
    body = {"station_name": STATION["name"], "created_on": "2026-12-01",
            "person": {"name": "陈秀英", "gender": "女", "age": 46, "education": "高中",
                       "residence": "广州市天河区"},
            "past_jobs": [{"job": "家政服务员", "years": 3}, {"job": "保洁员", "years": 0.5}],
            "skills": ["做饭"], "certificates": ["健康证"],
            "wanted": {"jobs": ["育婴员"], "places": ["广州市天河区"], "employment_type": "全职",
                       "salary": "4500元/月以上"}}
    share = first.platform.share_resume(body, "resume-1")
    assert share.url.startswith(srv.base_url.removesuffix("/v1") + "/resumes/")
    assert share.expires_at == "2026-12-01T23:00:00.000000Z"
    resp = requests.get(share.url, timeout=60)
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(resp.content)).pages[0].extract_text().replace(" ", "").replace("\x00", "")
    for expected in ("求职简历", "姓名：陈秀英", "年龄：46岁", "家政服务员3年", "保洁员不满1年",
                     "证书：健康证", "想做：育婴员", "期望薪资：4500元/月以上"):
        assert expected in text
    assert "联系电话" not in text                       # not ticked: not sent, not shown
    with pytest.raises(PlatformRejected) as err:        # there is no field for an ID number
        first.platform.share_resume({**body, "person": {**body["person"],
                                                        "id_number": BOB.id_number}})
    assert err.value.status == 422
    clock.now = NOW + RESUME_LINK_TTL
    assert requests.get(share.url, timeout=60).status_code == 404
    assert guidance_routes.casework(srv.platform.store).purge_resumes(clock.now) == 1


def test_a_booking_number_can_be_rated(world):
    _srv, _clock, first, _second = world
    booking_no = first.book(GROUP, ALICE, CONSENT).booking_no
    body = {"transaction_no": booking_no, "transaction_kind": "guidance_booking", "level": 5,
            "content_version": "gd-kiosk-2026.1", "channel": "self_service_terminal",
            "completed_at": "2026-11-30T23:01:00Z", "rated_at": "2026-11-30T23:02:00Z"}
    rated = first.platform.submit_rating(body, "rate-1")
    assert (rated.transaction_no, rated.level, rated.work_order) == (booking_no, 5, None)
    with pytest.raises(PlatformRejected) as err:
        first.platform.submit_rating({**body, "transaction_no": "ZD20261201999999"}, "rate-2")
    assert (err.value.status, err.value.code) == (404, "transaction_not_found")
