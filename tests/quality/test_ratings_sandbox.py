"""好差评 end to end against the sandbox platform (HTTP on loopback, signed, through the
outbox): a registration's rating is bound to its registration number, a 差评 becomes a work
order with a reply deadline in the sandbox's list, a rating for an unknown transaction is
refused (404) and dropped from the outbox with a log line, a second rating is 409."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import pytest
import requests

from kiosk.domain.china_time import CHINA_TZ
from kiosk.platform.client import build_client
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.sandbox.embedded import start_embedded_sandbox
from kiosk.services.outbox import OutboxWorker, open_outbox
from kiosk.services.transactions import TransactionLog, TransactionStore
from kiosk.services.transactions.ratings import rating_payload
from kiosk.settings import OutboxSettings, PathSettings, Settings
from tests.services.test_outbox_sandbox import registration

FAST = OutboxSettings(backoff_base_s=0.02, backoff_max_s=0.2)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Any]]:
    folder = tmp_path_factory.mktemp("sandbox")
    settings = dataclasses.replace(Settings(), paths=PathSettings(data_dir=str(folder)),
                                   outbox=FAST)
    sandbox = start_embedded_sandbox(settings)
    yield settings, sandbox
    sandbox.stop()


@pytest.fixture
def kiosk(platform: tuple[Settings, Any], tmp_path: Path) -> Iterator[tuple[Any, ...]]:
    settings, sandbox = platform
    own = dataclasses.replace(settings, paths=PathSettings(data_dir=str(tmp_path)))
    client = build_client(settings, sandbox.base_url)
    outbox = open_outbox(own)
    worker = OutboxWorker(outbox, client, idle_poll_s=0.05, probe_interval_s=0)
    store = TransactionStore(tmp_path / "transactions.db")
    log = TransactionLog(store, outbox)
    yield sandbox, client, outbox, worker, log
    worker.stop()
    store.close()
    outbox.close()
    client.close()


def work_orders(sandbox: Any) -> list[dict[str, Any]]:
    url = sandbox.origin + "/_sandbox/work-orders"
    assert requests.get(url, timeout=5).status_code == 401        # the admin token is required
    reply = requests.get(url, headers={"X-Sandbox-Token": sandbox.platform.admin_token},
                         timeout=5)
    assert reply.status_code == 200
    return reply.json()["items"]


def working_days_between(start: datetime, end: datetime) -> int:
    days, day = 0, start.astimezone(CHINA_TZ).date()
    while day < end.astimezone(CHINA_TZ).date():
        day = day.fromordinal(day.toordinal() + 1)
        days += day.weekday() < 5
    return days


def test_bad_rating_of_a_registration_becomes_a_work_order(kiosk: tuple[Any, ...]) -> None:
    sandbox, client, outbox, worker, log = kiosk
    worker.start()
    receipt = outbox.enqueue("registration", registration(9101))
    assert outbox.wait_delivered(receipt.item_id, 15)
    number = outbox.results(receipt.item_id)["registration_no"]
    txn = log.started("registration")
    log.finished(txn, "completed", outbox_item_id=receipt.item_id)
    assert log.rate(txn, 2, ["too_slow"]) == "queued"
    rating_item = outbox.items("pending") + outbox.items("in_flight") + outbox.items("delivered")
    item_id = max(i.item_id for i in rating_item if i.kind == "rating")
    assert outbox.wait_delivered(item_id, 15)
    result = outbox.results(item_id)
    assert (result["transaction_no"], result["level"], result["status"]) == (number, 2, "recorded")
    order = result["work_order"]
    assert order["work_order_no"].startswith("WO-") and order["status"] == "open"
    listed = [w for w in work_orders(sandbox) if w["transaction_no"] == number]
    assert len(listed) == 1
    assert (listed[0]["level"], listed[0]["label"], listed[0]["reasons"]) == (2, "不满意",
                                                                               ["too_slow"])
    assert listed[0]["reply_due"] == order["reply_due"]
    created = datetime.fromisoformat(listed[0]["created_at"].replace("Z", "+00:00"))
    due = datetime.fromisoformat(order["reply_due"].replace("Z", "+00:00"))
    assert working_days_between(created, due) == 5


def test_good_rating_opens_no_work_order_and_a_second_is_refused(kiosk: tuple[Any, ...]) -> None:
    sandbox, client, outbox, worker, log = kiosk
    number = client.register_jobseeker(registration(9102), str(uuid.uuid4())).registration_no
    body = rating_payload(number, "registration", 5, (), 1796025600.0, 1796025660.0)
    first = client.submit_rating(body, str(uuid.uuid4()))
    assert (first.level, first.work_order) == (5, None)
    with pytest.raises(PlatformRejected) as refused:
        client.submit_rating(body, str(uuid.uuid4()))
    assert (refused.value.status, refused.value.code) == (409, "rating_exists")
    assert number not in {w["transaction_no"] for w in work_orders(sandbox)}


def test_rating_for_an_unknown_transaction_is_dropped_with_a_log_line(
        kiosk: tuple[Any, ...], caplog: pytest.LogCaptureFixture) -> None:
    sandbox, client, outbox, worker, log = kiosk
    txn = log.started("referral")
    log.finished(txn, "completed", transaction_no="GD-DEMO-0001-20261130-9998")
    caplog.set_level(logging.WARNING, "kiosk.services.outbox.store")
    assert log.rate(txn, 1, ["not_done"]) == "queued"
    item = next(i for i in outbox.items("pending") if i.kind == "rating")
    worker.run_once()
    after = outbox.item(item.item_id)
    assert (after.state, after.has_payload) == ("discarded", False)
    assert after.last_error == "dropped: refused 404 transaction_not_found"
    assert (f"outbox item {item.item_id} (rating) refused by the platform and dropped: "
            "refused 404 transaction_not_found") in caplog.text
    assert outbox.dead_letters() == []
