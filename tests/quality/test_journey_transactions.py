"""Per-transaction records from the real journey engine and declarations (headless, injected
clocks): registration completed with its steps and number, abandoned at step N by the idle
timeout, 就业帮办 with the kind chosen, a referral's rating waiting for its outbox item; an
observer failure never reaches the person."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.services.assistance import AssistanceOutcome
from kiosk.services.journeys.declared.registration import RegistrationDraft
from kiosk.services.referrals import ReferralTicket
from kiosk.services.registration import RegistrationOutcome
from kiosk.services.transactions import TransactionLog, TransactionStore
from kiosk.services.transactions.journeys import JourneyTransactions
from tests.journeys.conftest import Kiosk, kiosk, resident  # noqa: F401 - the fixture
from tests.journeys.test_engine import FORM, VACANCY


class Outbox:
    """Just enough outbox for ratings: items by receipt, results once delivered."""

    def __init__(self) -> None:
        self.receipts = {"RC-1": 11, "RC-3": 13}
        self.delivered: dict[int, dict[str, Any]] = {}
        self.queued: list[tuple[str, dict[str, Any]]] = []

    def item_id_for_receipt(self, receipt_no: str) -> int | None:
        return self.receipts.get(receipt_no)

    def results(self, item_id: int) -> dict[str, Any] | None:
        return self.delivered.get(item_id)

    def item(self, item_id: int) -> Any:
        return type("Item", (), {"state": "delivered" if item_id in self.delivered else "pending"})

    def enqueue(self, kind: str, payload: dict[str, Any]) -> Any:
        self.queued.append((kind, payload))
        return type("Receipt", (), {"item_id": 100 + len(self.queued)})


@pytest.fixture
def records(kiosk: Kiosk) -> tuple[JourneyTransactions, TransactionStore, Outbox]:  # noqa: F811
    store = TransactionStore(":memory:")
    outbox = Outbox()
    log = TransactionLog(store, outbox, clock=kiosk.clock, monotonic=kiosk.clock)
    observer = JourneyTransactions(log, kiosk.session, outbox=outbox, language=lambda: "en")
    kiosk.engine.add_observer(observer)
    return observer, store, outbox


def register_until_review(kiosk: Kiosk) -> None:  # noqa: F811
    kiosk.engine.start("register")
    kiosk.read_card(resident())
    kiosk.engine.identity_shown()
    kiosk.engine.send("looked_up", registered=False, registration_no="")
    kiosk.engine.journey.part(RegistrationDraft).form.update(FORM)
    kiosk.clock.now += 95
    kiosk.engine.next()


def test_completed_registration_with_steps_number_and_rating(kiosk: Kiosk, records) -> None:  # noqa: F811
    observer, store, outbox = records
    register_until_review(kiosk)
    kiosk.clock.now += 30
    kiosk.engine.send("submitted", outcome=RegistrationOutcome(True, "RC-1", "REG-440106-000001",
                                                               "created"))
    [record] = store.records()
    assert (record.kind, record.outcome, record.last_step, record.step_name) == (
        "registration", "completed", 2, "register_review")
    assert (record.duration_s, record.language, record.elderly) == (125.0, "en", False)
    assert observer.last_completed == record.txn_id
    assert observer.log.rate(record.txn_id, 5) == "queued"
    assert outbox.queued[0][1]["transaction_no"] == "REG-440106-000001"
    kiosk.engine.finish("finished")
    assert [r.outcome for r in store.records()] == ["completed"]       # nothing abandoned


def test_walking_away_mid_form_is_abandoned_at_that_step(kiosk: Kiosk, records) -> None:  # noqa: F811
    observer, store, _outbox = records
    kiosk.engine.start("register")
    kiosk.read_card(resident())
    kiosk.engine.identity_shown()                                       # step 1: the form
    kiosk.clock.now += 200
    kiosk.engine.tick()                                                 # idle + countdown over
    [record] = store.records()
    assert (record.outcome, record.last_step, record.step_name) == ("abandoned", 1,
                                                                    "register_form")
    assert record.duration_s == 200.0


def test_offline_registration_rating_waits_for_its_outbox_item(kiosk: Kiosk, records) -> None:  # noqa: F811
    observer, store, outbox = records
    register_until_review(kiosk)
    kiosk.engine.send("submitted", outcome=RegistrationOutcome(False, "RC-1"))
    [record] = store.records()
    assert observer.log.rate(record.txn_id, 2, ["too_slow"]) == "held"
    outbox.delivered[11] = {"registration_no": "REG-440106-000009", "status": "created"}
    assert observer.log.release_held() == 1
    assert outbox.queued[0][1]["transaction_no"] == "REG-440106-000009"


def test_assistance_kind_chosen_and_a_referral(kiosk: Kiosk, records) -> None:  # noqa: F811
    observer, store, outbox = records
    engine = kiosk.engine
    engine.start("assistance")
    engine.send("chosen", kind="subsidy_application")
    kiosk.read_card(resident())
    engine.identity_shown()
    engine.send("submitted", phone="13712345678", outcome=AssistanceOutcome(True, "RC-3", "T-1"))
    engine.start("search")
    engine.go("vacancy_detail", vacancy=VACANCY, distance_km=1.5, age_days=2)
    engine.start("referral", vacancy=VACANCY)
    engine.send("phone_entered", phone="13912345678")
    ticket = ReferralTicket("GD-DEMO-0001-20261201-0001", "V-1", "https://p.invalid/v", "", "",
                            "RC-9", 42, None)
    engine.send("created", ticket=ticket)
    kinds = [(r.kind, r.outcome) for r in store.records()]
    assert kinds == [("assistance:subsidy_application", "completed"), ("referral", "completed")]
    referral = store.records()[1]
    assert observer.log.rate(referral.txn_id, 4) == "held"       # the platform has it not yet
    outbox.delivered[42] = {"referral_id": ticket.referral_id, "status": "issued"}
    assert observer.log.release_held() == 1
    assert outbox.queued[-1][1]["transaction_no"] == ticket.referral_id
    assert store.counters("transactions") == [
        ({"kind": "assistance:subsidy_application", "outcome": "completed"}, 1.0),
        ({"kind": "referral", "outcome": "completed"}, 1.0)]


def test_journeys_without_records_are_no_transactions(kiosk: Kiosk, records) -> None:  # noqa: F811
    _observer, store, _outbox = records
    kiosk.engine.start("policies")
    kiosk.engine.start("search")
    kiosk.engine.finish("finished")
    assert store.records() == []


def test_a_failing_observer_never_breaks_the_journey(kiosk: Kiosk) -> None:  # noqa: F811
    class Broken:
        def began(self, *args: Any) -> None:
            raise RuntimeError("disk gone")

        entered = handled = began

    kiosk.engine.add_observer(Broken())
    kiosk.engine.start("policies")
    assert kiosk.display.current == "policies"
