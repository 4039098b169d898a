"""就业援助 applications end to end on the kiosk side: prefill, submit through the outbox (online
and offline), the platform's refusal and 需补充材料 in plain Chinese, every case state shown, the
acceptance slip decoded, and sensitive answers absent from logs, the outbox file and slips."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, UTC
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import pytest
import requests

from kiosk.devices.idcard.model import IdentityCard
from kiosk.devices.printer.profile import paper_profile
from kiosk.domain import applications as rules
from kiosk.domain.application_checks import local_failures, working_age_failure
from kiosk.platform.client import PlatformClient
from kiosk.platform.sandbox.app import build_sandbox
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.services.applications import (ApplicationDraft, ApplicationError, ApplicationService,
                                         application_lines_zh)
from kiosk.services.consent import consent_record
from kiosk.services.journey_store import KioskRecords
from kiosk.services.outbox import Outbox, OutboxWorker
from kiosk.services.sensitive_consent import sensitive_consent_record
from kiosk.services.slip.acceptance import AcceptanceSlip, layout_acceptance
from kiosk.services.slip.encode import encode_slip
from kiosk.settings import OutboxSettings
from tests.platform.conftest import STATION
from tests.platform.sandbox_payloads import SECRET, TERMINAL
from tests.services.test_slip_escpos_decoder import decode

CARDS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "cards"
WHEN = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
#: what must never reach a log, the outbox file or a slip once a sensitive answer was given
SENSITIVE_WORDS = ("刑满释放", "released_prisoner", "第（九）类", "残疾", "精神")


def card(stem: str = "resident") -> IdentityCard:
    return IdentityCard.from_json(json.loads((CARDS / f"{stem}.json").read_text("utf-8")))


@pytest.fixture
def platform() -> Iterator[SandboxServer]:
    sandbox = build_sandbox(":memory:")
    sandbox.store.provision_terminal(TERMINAL, SECRET, STATION)
    with SandboxServer(sandbox).start() as srv:
        yield srv


@pytest.fixture
def kiosk(platform: SandboxServer, tmp_path: Path) -> Iterator[tuple[ApplicationService, Outbox]]:
    client = PlatformClient(platform.base_url, TERMINAL, SECRET, connect_timeout_s=1,
                            read_timeout_s=2, retries=0)
    outbox = Outbox(tmp_path / "outbox.db", tmp_path / "outbox.key",
                    OutboxSettings(backoff_base_s=0.02, backoff_max_s=0.1), terminal_id=TERMINAL)
    worker = OutboxWorker(outbox, client, idle_poll_s=0.02, probe_interval_s=0)
    worker.start()
    yield ApplicationService(KioskRecords(outbox, worker), lambda: client, wait_s=3.0), outbox
    worker.stop()
    outbox.close()
    client.close()


def unemployment_draft(**changes: Any) -> ApplicationDraft:
    draft = ApplicationDraft(kind=rules.UNEMPLOYMENT, phone="13812345678",
                             hukou_division="440106", residence_division="440106",
                             education_code="30", reason_code="21",
                             unemployed_since="2026-11-20", health_code="1",
                             claims_insurance=True)
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def slip_bytes(outcome: Any, who: IdentityCard) -> bytes:
    app = outcome.application or {}
    slip = AcceptanceSlip(STATION["name"], STATION["hotline"], "12333", outcome.kind,
                          outcome.receipt_no, WHEN, who.name, who.id_number,
                          application_no=outcome.application_no, state=outcome.state,
                          progress_url=app.get("progress_url", ""), reason=app.get("reason") or "")
    profile = paper_profile(80)
    return encode_slip(layout_acceptance(slip, profile), profile)


def move(platform: SandboxServer, number: str, state: str | None = None, **extra: Any) -> dict:
    resp = requests.post(f"{platform.origin}/_sandbox/applications/{number}/state",
                         json={"state": state, **extra}, timeout=5,
                         headers={"X-Sandbox-Token": platform.platform.admin_token})
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def test_prefill_knows_the_demo_person_and_nothing_of_others(kiosk) -> None:
    service, _ = kiosk
    known = service.prefill(card())
    assert (known.known, known.hukou_division, known.education_code,
            known.last_unemployment_registration, known.registration_status) == (
        True, "440106", "30", "2025-06-01", "none")
    other = service.prefill(card("foreign_permanent_2023"))
    assert (other.known, other.hukou_division) == (False, None)


def test_online_unemployment_registration_slip_decoded(kiosk, platform) -> None:
    service, outbox = kiosk
    person = card()
    outcome = service.submit(person, unemployment_draft(), consent_record(["assistance"]))
    assert outcome.delivered and outcome.state == "accepted"
    number = outcome.application_no
    assert number.startswith("APP-440106-")
    assert outcome.lines_zh[:2] == (f"失业登记  办件号：{number}", "当前状态：已受理")
    assert "办理时限：1个工作日内办结" in outcome.lines_zh
    decoded = decode(slip_bytes(outcome, person))
    texts = decoded.texts
    assert texts[1] == "业务受理回执"
    for line in (f"办件号：  {number}", "办理事项：失业登记", "申请人：  陈*满", "身份证号：…4525",
                 "当前状态：已受理", "办理时限：1个工作日内办结", "投诉监督：12333"):
        assert line in texts, (line, texts)
    assert decoded.qr_payloads == [outcome.application["progress_url"].encode()]
    raw = "\n".join(texts)
    assert "陈晓满" not in raw and "449901199203154525" not in raw and "13812345678" not in raw
    assert "被企业解除" not in raw and "健康" not in raw           # answers are never printed
    item = outbox.item(outbox.items("delivered")[0].item_id)
    assert not item.has_payload                                       # gone once delivered
    assert service.status(number)["state"] == "accepted"


def test_offline_hardship_with_sensitive_category_then_delivered(kiosk, platform, tmp_path,
                                                                 caplog) -> None:
    service, outbox = kiosk
    caplog.set_level(logging.DEBUG)
    person = card()
    draft = ApplicationDraft(kind=rules.HARDSHIP, phone="13812345678", hukou_division="440106",
                             residence_division="440106", education_code="30",
                             categories=(7, 9))
    with pytest.raises(ApplicationError) as refused:            # no separate consent given
        service.submit(person, draft, consent_record(["assistance"]))
    assert refused.value.fields == ("sensitive_consent",)
    platform.faults.update(down=True)
    service.wait_s = 0.3
    outcome = service.submit(person, draft, consent_record(["assistance"]),
                             sensitive_consent_record())
    assert not outcome.delivered and outcome.application is None
    assert outcome.lines_zh[0] == "就业困难人员认定申请已保存，联网后自动提交。"
    assert outcome.lines_zh[1] == f"回执号：{outcome.receipt_no}"
    offline = decode(slip_bytes(outcome, person))
    assert "已保存，联网后自动提交" in offline.texts
    assert f"回执号：  {outcome.receipt_no}" in offline.texts or any(
        outcome.receipt_no in t for t in offline.texts)
    assert offline.qr_payloads == []
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("outbox.db*"))
    for secret in (b"categories", "刑满".encode(), "陈晓满".encode(), b"449901199203154525"):
        assert secret not in stored                                   # sealed payload only
    # the worker may be trying it right now (in_flight) as well as waiting (pending)
    item_id = [i for state in ("pending", "in_flight") for i in outbox.items(state)][0].item_id
    platform.faults.update(down=False)
    assert outbox.wait_delivered(item_id, 5.0)
    assert not outbox.item(item_id).has_payload                      # gone from the terminal
    delivered = outbox.results(item_id)
    assert delivered["state"] == "submitted" and "categories" not in json.dumps(delivered)
    online = slip_bytes(type(outcome)(True, outcome.receipt_no, outcome.kind, delivered), person)
    for data in (offline, decode(online)):
        joined = "\n".join(data.texts)
        for word in SENSITIVE_WORDS:
            assert word not in joined
    assert "办理时限：收到材料后10个工作日内审核（另需公示）" in decode(online).texts
    for word in SENSITIVE_WORDS + ("449901199203154525", "陈晓满", "13812345678"):
        assert word not in caplog.text


def _encodings(text: str) -> tuple[bytes, ...]:
    return tuple(text.encode(codec) for codec in ("utf-8", "utf-16-le", "gb18030"))


def test_disability_and_release_answers_leave_no_trace(kiosk, platform, tmp_path,
                                                       caplog) -> None:
    """失业登记 with 失业原因 70 刑满释放 and 健康状况 6 残疾 (certificate, category, grade), kept
    offline and then delivered: no plaintext trace in the outbox files (before and after
    delivery), the kiosk's record, the log or the slip, in UTF-8, UTF-16 or GB18030."""
    service, outbox = kiosk
    caplog.set_level(logging.DEBUG)
    person = card()
    draft = unemployment_draft(reason_code="70", health_code="6",
                               disability_document="disability_certificate",
                               disability_category="6", disability_grade="2")
    platform.faults.update(down=True)
    service.wait_s = 0.3
    outcome = service.submit(person, draft, consent_record(["assistance"]),
                             sensitive_consent_record())
    assert not outcome.delivered
    secrets = [b"disability", b"reason_code", b"health_code", b"sensitive_consent"]
    for text in ("刑满释放", "残疾", "精神", "二级", "陈晓满", "449901199203154525", "13812345678"):
        secrets += _encodings(text)

    def stored() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.glob("outbox.*"))

    before = stored()
    assert [s for s in secrets if s in before] == []
    with outbox.transaction() as conn:                       # the kiosk's record: numbers only
        cursor = conn.execute("SELECT * FROM kiosk_applications")
        rows = cursor.fetchall()
    assert [c[0] for c in cursor.description] == ["receipt_no", "item_id", "kind", "created_at"]
    assert [row[2] for row in rows] == [rules.UNEMPLOYMENT]
    item_id = [i for state in ("pending", "in_flight") for i in outbox.items(state)][0].item_id
    platform.faults.update(down=False)
    assert outbox.wait_delivered(item_id, 5.0)
    after = stored()
    assert [s for s in secrets if s in after] == []
    delivered = outbox.results(item_id)
    assert delivered["state"] == "accepted"
    assert not {"unemployment", "disability", "reason_code"} & set(json.dumps(delivered).split('"'))
    slip = slip_bytes(type(outcome)(True, outcome.receipt_no, outcome.kind, delivered), person)
    assert [s for s in secrets if s in slip] == []
    assert [s for s in secrets if s in caplog.text.encode()] == []


def test_already_registered_is_refused_with_the_reason_in_plain_chinese(kiosk) -> None:
    service, _ = kiosk
    hk = card("hk_macao_taiwan")          # the sandbox's demo person with a valid 失业登记
    outcome = service.submit(hk, unemployment_draft(hukou_division="810000",
                                                    residence_division="440305"),
                             consent_record(["assistance"]))
    assert outcome.state == "not_accepted"
    assert outcome.lines_zh[1:3] == ("当前状态：不予受理", "经办机构不予受理。")
    assert outcome.lines_zh[3] == "原因：您已有有效的失业登记（登记日期 2026-05-20），无需重复办理。"
    texts = decode(slip_bytes(outcome, hk)).texts
    assert "原因：    您已有有效的失业登记（登记日期" in "\n".join(texts)


def test_every_state_of_both_workflows_in_plain_chinese(kiosk, platform) -> None:
    service, _ = kiosk
    person = card()
    reg = service.submit(person, unemployment_draft(), consent_record(["assistance"]))
    number = reg.application_no
    move(platform, number, "needs_materials", missing_items=["劳动合同解除证明", "户口簿", "近期照片"])
    shown = application_lines_zh(service.status(number))
    assert shown[1:] == ("当前状态：需补充材料", "还需要补充材料，请一次带齐下面列出的全部材料。",
                         "需补充以下3项材料：1. 劳动合同解除证明；2. 户口簿；3. 近期照片",
                         "办理时限：1个工作日内办结")
    texts = "".join(decode(slip_bytes(type(reg)(True, reg.receipt_no, reg.kind,
                                                service.status(number)), person)).texts)
    assert "户口簿" not in texts and "为保护隐私不打印" in texts
    seen = {"needs_materials"}
    assert move(platform, number)["state"] == "accepted"       # after 补正: accepted again
    seen.add(move(platform, number, "completed")["state"])
    flexible = service.submit(person, ApplicationDraft(
        kind=rules.FLEXIBLE, phone="13812345678", hukou_division="440106",
        residence_division="440106", education_code="30", flexible_type="platform",
        started_on="2026-11-01", workplace_division="440106"), consent_record(["assistance"]))
    seen.add(flexible.state)
    seen.add(move(platform, flexible.application_no, "not_accepted", reason="登记信息与社保记录不一致")
             ["state"])
    hardship = service.submit(person, ApplicationDraft(
        kind=rules.HARDSHIP, phone="13812345678", hukou_division="440106",
        residence_division="440106", education_code="30", categories=(7,)),
        consent_record(["assistance"]))
    seen.add(hardship.state)
    for _ in range(4):
        seen.add(move(platform, hardship.application_no)["state"])
    seen.add(move(platform, hardship.application_no, "cancelled")["state"])
    second = service.submit(person, ApplicationDraft(
        kind=rules.HARDSHIP, phone="13812345678", hukou_division="440106",
        residence_division="440106", education_code="30", categories=(7,)),
        consent_record(["assistance"]))
    move(platform, second.application_no)
    refused = move(platform, second.application_no, "refused", reason="初审未通过")
    seen.add(refused["state"])
    assert seen == set(rules.STATE_LABELS_ZH)                        # every state reached
    lines = application_lines_zh(refused)
    assert lines[1:4] == ("当前状态：不予认定",
                          "经审核不予认定。如有异议，可在收到告知书之日起30日内申请重核。",
                          "原因：初审未通过")
    assert lines[4] == f"如有异议，可在{refused['appeal_until']}前申请重核。"
    mine = service.of_person(person)
    assert [a["application_no"] for a in mine][:2] == [second.application_no,
                                                       hardship.application_no]
    assert {a["state"] for a in mine} == {"refused", "cancelled", "not_accepted", "completed"}


def test_local_checks_at_the_boundaries() -> None:
    born = date(2010, 12, 1)
    assert working_age_failure(born, "male", date(2026, 11, 30)).code == "working_age"
    assert working_age_failure(born, "male", date(2026, 12, 1)) is None   # 16 on the birthday
    old = working_age_failure(date(1960, 1, 1), "male", date(2026, 12, 1))
    assert old is not None and "法定退休年龄" in old.message_zh
    common = dict(birth=date(1990, 1, 1), gender="female", on=date(2026, 12, 1),
                  hukou_division="510104", residence_division="440106")
    assert local_failures(rules.UNEMPLOYMENT, not_unemployed={}, **common) == []
    assert [f.code for f in local_failures(rules.HARDSHIP, not_unemployed={}, **common)] == [
        "hukou_outside_guangdong"]
    shenzhen = {**common, "residence_division": "440305"}
    assert [f.code for f in local_failures(rules.HARDSHIP, not_unemployed={}, **shenzhen)] == [
        "hukou_outside_guangdong"]             # other-province 户籍: no city configured
    out = {**common, "residence_division": "510104"}
    assert [f.code for f in local_failures(rules.UNEMPLOYMENT, not_unemployed={"student": True,
                                                                             "pension": False},
                                           **out)] == ["not_unemployed:student",
                                                       "residence_outside_guangdong"]
    assert local_failures(rules.FLEXIBLE, not_unemployed={"employed": True}, **common) == []
