"""零工 by touch (issue 19, the worker half): a gig posted at the platform (the embedded
sandbox's posting API and its casework switch, as the two-terminal headless test does) reaches
the kiosk's catalog with the sync, is found under 今天·附近 from the home tile in one tap, and is
signed up for after the card (in landscape 长辈模式). The places left count down through the
platform: another worker signs up there meanwhile (as at a second terminal), the detail asks
the platform and says 1 left, this worker takes the last one (the done screen shows the number,
the slip is printed) and the board then shows the gig 已报满, among the full ones last. Screens
audited and photographed in landscape 长辈模式 (the largest text in the widest cards): the
detail, the done screen and the board."""

from __future__ import annotations

import uuid
from datetime import datetime, UTC

import pytest
import requests

from tests.ui.audit import audit

pytestmark = pytest.mark.ui

TITLE = "保洁员"                       # the everyday job 'cleaner': no demo gig has this title


def _audited(ui, name: str) -> None:
    ui.pump(3)
    findings = audit(ui.app.root, name, ui.app.theme.elderly)
    assert findings == [], "\n".join(map(str, findings))


def _post_gig_at_the_platform(ui) -> str:
    """Post a gig 100 m north of the station, publish it (casework switch), sync the catalog."""
    from kiosk.domain.china_time import china_now
    from kiosk.services.employer_postings import PostingDraft, posting_payload
    from tests.journeys.conftest import resident

    services = ui.app.services
    station = services.settings.station
    draft = PostingDraft(employer_kind="unit", employer_name="广州市示例物业管理有限公司",
                         credit_code="91440101MA5CJQ4N59", phone="13800138000",
                         job_id="cleaner", headcount=2, pay=200, pay_unit="DAY", gig=True,
                         work_date=china_now().date().isoformat(), start_time="14:00",
                         duration_hours=4, settlement="DAILY", division_code="440106",
                         address="广州市天河区天河南二路 示例地址",
                         latitude=station.latitude + 0.1 / 111.32, longitude=station.longitude,
                         requirements=("能吃苦",), contact_phone="13800138000")
    receipt = services.client.submit_posting(
        posting_payload(resident("王大明"), draft, datetime.now(UTC)), str(uuid.uuid4()))
    sandbox = services.sandbox
    reply = requests.put(f"{sandbox.origin}/_sandbox/employer-postings/{receipt.posting_no}",
                         json={"status": "published", "reason": ""},
                         headers={"X-Sandbox-Token": sandbox.platform.admin_token}, timeout=5)
    assert reply.status_code == 200, reply.text
    services.sync_catalog()
    assert services.catalog.get(receipt.posting_no).places_left == 2
    return str(receipt.posting_no)


def _cards(screen) -> list:
    return list(reversed(screen.ids.gig_list.children))      # Kivy keeps children last-first


def _first_card(screen):
    cards = _cards(screen)
    return cards[0] if cards else None


def _someone_else_signs_up(ui, posting_no: str) -> None:
    """Another worker takes a place at the platform (as a second terminal would): this
    kiosk's catalog still says 2, the platform 1."""
    import json
    from pathlib import Path

    from kiosk.domain.id_numbers import gb11643_check_char

    card = json.loads((Path(__file__).resolve().parents[2] / "assets/demo/cards/resident.json")
                      .read_text("utf-8"))
    first17 = card["id_number"][:13] + "0042"
    worker = {"id_number": first17 + gb11643_check_char(first17), "name": "李四", "phone": ""}
    ui.app.services.client.sign_up_for_gig(
        posting_no, {"worker": worker, "signed_up_at": datetime.now(UTC).isoformat()
                     .replace("+00:00", "Z")}, str(uuid.uuid4()))
    assert ui.app.services.catalog.get(posting_no).places_left == 2


def test_a_posted_gig_is_found_today_nearby_and_signed_up(ui):
    from tests.ui.test_jobs_journey import _identify, _slips

    posting_no = _post_gig_at_the_platform(ui)
    slips = len(_slips(ui))
    ui.tap(id="btn_gigs")                                      # one tap from home
    board = ui.wait_screen("gigs")
    assert (board.window, board.nearby) == ("today", True)
    ui.wait_until(lambda: not board.busy and _first_card(board) is not None, 10, "gigs listed")
    card = _first_card(board)
    assert (card.title, card.pay_text, card.places) == (TITLE, "200元/天 · 日结", "还剩 2 个名额")
    assert card.place_text.endswith("距驿站100米") and card.requirements == "要求：能吃苦"
    assert card.time_text.endswith("今天 14:00起 · 4小时")
    assert board.status_text.startswith("今天·附近5公里内共")
    _someone_else_signs_up(ui, posting_no)                     # at another terminal

    ui.set_size(1920, 1080)
    ui.app.toggle_elderly()
    ui.tap(card)
    detail = ui.wait_screen("gig_detail")
    assert detail.title_text == TITLE
    ui.wait_until(lambda: detail.places == "还剩 1 个名额", 10, "places asked of the platform")
    assert detail.can_sign_up
    ui.screenshot("gig-detail-elderly")
    _audited(ui, "gig_detail")
    ui.tap(id="gig_sign_up")
    _identify(ui)
    done = ui.wait_screen("gig_done", 20)
    assert done.signup_no.startswith("BM-440106-")
    assert done.places == "您报上了最后一个名额" and done.person_text == "陈*满"
    ui.wait_until(lambda: "已打印" in done.print_text, 20, "slip printed")
    assert len(_slips(ui)) == slips + 1
    paper = _slips(ui)[-1].read_bytes().decode("gb18030", errors="replace")
    assert done.signup_no in paper and "陈*满" in paper
    assert ui.app.services.sandbox.store.vacancy(posting_no).places_left == 0
    ui.screenshot("gig-done-elderly")
    _audited(ui, "gig_done")

    ui.tap(id="gig_more")                                      # the board again: full now
    board = ui.wait_screen("gigs")
    ui.wait_until(lambda: not board.busy and any(c.title == TITLE for c in _cards(board)), 10,
                  "gigs listed again")
    mine = next(c for c in _cards(board) if c.title == TITLE)
    assert (mine.places, mine.full) == ("已报满", True)
    cards = _cards(board)
    assert all(c.full for c in cards[cards.index(mine):])     # full gigs after the open ones
    ui.screenshot("gigs-board-elderly")
    _audited(ui, "gigs")
    ui.tap(id="home_button")
    ui.wait_screen("rating")                                   # 好差评 (issue 21): skipped
    ui.tap(id="skip_button")
    ui.wait_screen("home")
    assert "陈*满" not in " ".join(ui.texts())
    assert ui.app.theme.elderly                                # kept after 首页 (issue 17)
    ui.app.toggle_elderly()                                    # the next test starts without
