"""Journey services end to end: embedded sandbox platform, simulated reader, preview printer."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kiosk.bootstrap import build_services
from kiosk.domain.identity_card import IdentityCard
from kiosk.services.heartbeat import apply_remote_settings
from kiosk.services.referrals import ReferralPrintRefused
from kiosk.settings import load_settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def services(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path}"\n', encoding="utf-8")
    svc = build_services(load_settings(site, environ={}))
    svc.worker.start()
    svc.sync_catalog()
    yield svc
    svc.worker.stop()  # started here, not by svc.start(): stop it before the outbox closes
    svc.stop()


@pytest.fixture
def card():
    data = json.loads((REPO / "assets/demo/cards/resident.json").read_text(encoding="utf-8"))
    return IdentityCard.from_json(data)


FORM = {"phone": "13800138000", "education_code": "70", "desired_occupations": ["4-07"],
        "desired_divisions": ["440106"], "salary_min": 4000, "salary_max": 6000,
        "employment_type": "FULL_TIME", "key_groups": ["MIGRANT_WORKER"], "availability": "WEEK"}


def test_catalog_synced_from_the_sandbox(services):
    assert services.catalog.count() >= 300
    assert services.catalog.last_synced_at() is not None


def test_registration_online_then_lookup_says_registered(services, card):
    outcome = services.registration.submit(card, FORM)
    assert outcome.delivered and outcome.status == "created"
    assert outcome.registration_no
    lookup = services.registration.lookup(card)
    assert lookup.registered and lookup.registration_no == outcome.registration_no
    again = services.registration.submit(card, FORM)
    assert again.delivered and again.registration_no == outcome.registration_no
    assert again.status in ("updated", "already_registered")


def test_registration_offline_gets_a_receipt_and_is_delivered_later(services, card):
    services.sandbox.faults.down = True
    outcome = services.registration.submit(card, FORM)
    assert not outcome.delivered and outcome.receipt_no.startswith("GD-DEMO-0001-R")
    assert "自动提交" in outcome.message_zh
    services.sandbox.faults.down = False
    services.worker.kick()
    item = services.outbox.items("delivered")
    deadline = time.monotonic() + 20
    while not services.outbox.items("delivered") and time.monotonic() < deadline:
        services.worker.kick()
        time.sleep(0.1)
    assert services.registration.lookup(card).registered
    del item


def test_referral_prints_once_unless_reprint(services, card):
    vacancy = services.catalog.search("保洁").items[0].vacancy
    ticket = services.referrals.create(card, "13800138000", vacancy)
    assert f"/verify/{ticket.referral_id}?t=" in ticket.verify_url
    result = services.referrals.print_slip(ticket).result(timeout=20)
    assert result.referral_id == ticket.referral_id and result.bytes_sent > 0
    with pytest.raises(ReferralPrintRefused) as refused:
        services.referrals.print_slip(ticket)
    assert refused.value.state == "printed"
    services.referrals.print_slip(ticket, reprint=True).result(timeout=20)
    assert services.referrals.print_state(ticket.referral_id) == "printed"


def test_paper_out_keeps_the_referral_and_retry_prints_it(services, card):
    from kiosk.devices.printer import PaperEnd

    vacancy = services.catalog.search("保安").items[0].vacancy
    ticket = services.referrals.create(card, "13800138000", vacancy)
    services.printer.connector.set_state("paper_end")
    with pytest.raises(PaperEnd):
        services.referrals.print_slip(ticket).result(timeout=20)
    assert services.referrals.print_state(ticket.referral_id) == "failed"
    services.printer.connector.set_state("ok")
    services.referrals.print_slip(ticket).result(timeout=20)
    assert services.referrals.print_state(ticket.referral_id) == "printed"
    assert services.outbox.wait_delivered(ticket.item_id, 10)
    counts = services.sandbox.store.idempotency_counts()
    assert sum(1 for _k, n in counts.items() if n > 1) == 0


def test_assistance_request_reaches_the_sandbox(services, card):
    outcome = services.assistance.submit("subsidy_application", card, "13800138000")
    assert outcome.delivered and outcome.ticket_no


def test_heartbeat_changes_idle_timeout_only_through_validation(services):
    new, applied, refused = apply_remote_settings(
        services.settings, {"session.idle_timeout_s": 90, "station.name": "x",
                            "session.countdown_s": -1})
    assert applied == ["session.idle_timeout_s"] and new.session.idle_timeout_s == 90
    assert len(refused) == 2
    services.apply_settings(new, applied)
    assert services.session.idle_timeout_s == 90


def test_health_and_content(services):
    report = services.health()
    assert report.card_reader in ("stopped", "ready", "connecting", "card_present")
    snapshot = services.content.load()
    assert len(snapshot.policies) >= 5 and not snapshot.from_cache
    services.sandbox.faults.down = True
    cached = services.content.load()
    assert cached.from_cache and cached.policies == snapshot.policies
    services.sandbox.faults.down = False


def test_availability_maps_to_the_contract(card):
    from kiosk.platform.submissions import check_payload
    from kiosk.services.consent import consent_record
    from kiosk.services.registration import registration_payload

    for form_value, wire in (("NOW", "immediately"), ("WEEK", "within_week"),
                             ("MONTH", "within_month")):
        payload = registration_payload(card, {**FORM, "availability": form_value},
                                       consent_record(["registration"]))
        assert payload["availability"] == wire
        check_payload("registration", payload)
