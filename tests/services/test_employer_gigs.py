"""Issue 19 end to end against one real sandbox on loopback, two terminals:

* "done when": an employer posts a gig at terminal A (through A's outbox), the progress query
  shows 待审核, the casework switch publishes it, A's progress shows 已发布, terminal B's
  catalog sync brings it, B finds it under 今天 · 附近 (distance shown) and a worker signs up
  there; places left count down; both slips decode from their ESC/POS bytes;
* concurrent sign-ups from two terminals (threads) never overbook;
* a rejected posting shows its reason; duplicates and the per-employer limit are refused;
  offline the posting waits in the outbox with a receipt number;
* the minimum-wage flag and the offline licence-code reasons on the draft.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.devices.printer.profile import paper_profile
from kiosk.domain.china_time import china_now
from kiosk.platform.client import PlatformClient
from kiosk.platform.sandbox.app import build_sandbox
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.services.catalog import SearchFilters, VacancyCatalog, gig_dates
from kiosk.services.employer_postings import (EmployerService, PostingDraft, draft_problems,
                                              pay_check)
from kiosk.services.gig_signup import GigSignupService
from kiosk.services.journey_store import KioskRecords
from kiosk.services.outbox import Outbox, OutboxWorker
from kiosk.services.slip import encode_slip
from kiosk.services.slip.employer import (PostingSlip, SignupSlip, layout_posting_slip,
                                          layout_signup_slip)
from kiosk.settings import OutboxSettings
from tests.journeys.conftest import resident

FAST = OutboxSettings(backoff_base_s=0.02, backoff_max_s=0.2)
TERMINAL_A, TERMINAL_B = "GD-TEST-0001", "GD-TEST-0002"
SECRET_A, SECRET_B = bytes(range(32)), bytes(range(1, 33))
STATION_A = {"name": "天河区天河南街道就业驿站", "division_code": "440106",
             "address": "广州市天河区天河南二路 示例地址", "hotline": "020-12345678",
             "latitude": 23.1365, "longitude": 113.324}
STATION_B = {**STATION_A, "name": "天河区林和街道就业驿站", "latitude": 23.1450,
             "longitude": 113.3300}
CODE = "91440101MA5CJQ4N59"


def _decoder() -> Any:
    name = "slip_escpos_decoder"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent / "test_slip_escpos_decoder.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@dataclass
class Terminal:
    client: PlatformClient
    outbox: Outbox
    worker: OutboxWorker
    employer: EmployerService
    catalog: VacancyCatalog
    gigs: GigSignupService


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    platform = build_sandbox(":memory:")
    platform.store.provision_terminal(TERMINAL_A, SECRET_A, STATION_A)
    platform.store.provision_terminal(TERMINAL_B, SECRET_B, STATION_B)
    with SandboxServer(platform).start() as srv:
        yield srv


def _terminal(srv: SandboxServer, folder: Path, terminal: str, secret: bytes,
              station: dict[str, Any]) -> Terminal:
    folder.mkdir()
    client = PlatformClient(srv.base_url, terminal, secret, connect_timeout_s=2,
                            read_timeout_s=5, backoff_factor=0.01)
    outbox = Outbox(folder / "outbox.db", folder / "outbox.key", FAST, time.time,
                    terminal_id=terminal)
    worker = OutboxWorker(outbox, client, idle_poll_s=0.05, probe_interval_s=0)
    worker.start()
    origin = (station["latitude"], station["longitude"])
    catalog = VacancyCatalog(folder / "catalog.db", today=lambda: china_now().date(),
                             origin=origin)
    return Terminal(client, outbox, worker, EmployerService(KioskRecords(outbox, worker),
                                                            lambda: client, wait_s=10),
                    catalog, GigSignupService(lambda: client, catalog,
                                              today=lambda: china_now().date()))


@pytest.fixture
def terminals(sandbox: SandboxServer, tmp_path: Path) -> Iterator[tuple[Terminal, Terminal]]:
    a = _terminal(sandbox, tmp_path / "a", TERMINAL_A, SECRET_A, STATION_A)
    b = _terminal(sandbox, tmp_path / "b", TERMINAL_B, SECRET_B, STATION_B)
    yield a, b
    for t in (a, b):
        t.worker.stop()
        t.outbox.close()
        t.client.close()


def audit(srv: SandboxServer, posting_no: str, status: str, reason: str = "") -> dict[str, Any]:
    """The casework switch, as a demo operator uses it."""
    resp = requests.put(f"{srv.origin}/_sandbox/employer-postings/{posting_no}",
                        json={"status": status, "reason": reason},
                        headers={"X-Sandbox-Token": srv.platform.admin_token}, timeout=5)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def gig_draft(**changes: Any) -> PostingDraft:
    today = china_now().date().isoformat()
    base = PostingDraft(employer_kind="unit", employer_name="广州市示例物业管理有限公司",
                        credit_code=CODE, phone="13800138000", job_id="cleaner", headcount=2,
                        pay=200, pay_unit="DAY", gig=True, work_date=today, start_time="08:00",
                        duration_hours=8, settlement="DAILY", division_code="440106",
                        address="广州市天河区天河南二路 示例地址", latitude=23.1365,
                        longitude=113.324, requirements=("能吃苦",),
                        contact_phone="13800138000")
    return base.with_(**changes)


def test_done_when_post_audit_publish_find_today_nearby_and_sign_up(
        sandbox: SandboxServer, terminals: tuple[Terminal, Terminal]) -> None:
    a, b = terminals
    handler = resident("王大明")
    worker = _worker({**_card_json(resident()), "name": "陈小满"}, 7)

    outcome = a.employer.submit(handler, gig_draft())
    assert outcome.delivered and outcome.posting_no and outcome.posting_no.startswith("ZP-440106-")
    assert outcome.manage_url.endswith(outcome.posting_no)
    before = a.employer.progress(handler)
    assert before is not None
    assert [(p.posting_no, p.status) for p in before] == [(outcome.posting_no, "pending_review")]
    b.catalog.sync_from(b.client)
    assert b.catalog.search("", SearchFilters(kind="gig")).total == 0   # not yet published

    audit(sandbox, outcome.posting_no, "published")
    after = a.employer.progress(handler)
    assert after is not None and after[0].status == "published"
    assert (after[0].vacancy_id, after[0].places_left) == (outcome.posting_no, 2)

    b.catalog.sync_from(b.client)
    first, last = gig_dates("today", china_now().date())
    found = b.catalog.search("", SearchFilters(kind="gig", work_date_from=first,
                                               work_date_to=last, within_km=3.0),
                             origin=b.catalog.origin)
    assert [h.vacancy.id for h in found.items] == [outcome.posting_no]
    hit = found.items[0]
    assert hit.distance_km is not None and 0.9 < hit.distance_km < 1.2   # A is ~1.1 km from B
    gig = hit.vacancy
    assert (gig.title, gig.places_left, gig.salary_text(), gig.work_date) == (
        "保洁员", 2, "200元/天", first)
    assert "要求：能吃苦" in gig.description

    signed = b.gigs.sign_up(worker, gig, phone="13912345678")
    assert signed.ok and signed.signup_no.startswith("BM-440106-")
    assert signed.places_left == 1
    assert b.catalog.get(gig.id).places_left == 1
    assert a.employer.progress(handler)[0].places_left == 1
    again = b.gigs.sign_up(worker, gig)
    assert again.state == "exists"

    stream = encode_slip(layout_signup_slip(SignupSlip("天河区林和街道就业驿站", china_now().date(),
                                                       signed.signup_no, signed.gig, worker.name),
                                            paper_profile(80)), paper_profile(80))
    texts = _decoder().decode(stream).texts
    joined = "\n".join(texts)
    assert f"报名编号：{signed.signup_no}" in joined.replace("  ", "")
    assert "陈*满" in joined and "陈小满" not in joined
    assert f"{first} 08:00 起 8小时" in joined and "200元/天（日结）" in joined
    assert "13800138000" in joined and worker.id_number not in joined

    layout = layout_posting_slip(PostingSlip(
        "天河区天河南街道就业驿站", china_now().date(), outcome.posting_no, outcome.receipt_no,
        "广州市示例物业管理有限公司", "保洁员", 2, 200, "DAY", True, first, "08:00", 8.0, "DAILY",
        "440106", "天河南二路", ("能吃苦",), "13800138000", outcome.manage_url),
        paper_profile(58))
    decoded = _decoder().decode(encode_slip(layout, paper_profile(58)))
    lines = "\n".join(decoded.texts)
    assert outcome.posting_no in lines and "待审核" in lines and "138****8000" in lines
    assert decoded.qr_payloads == [outcome.manage_url.encode()]


def _card_json(card: Any) -> dict[str, Any]:
    import json
    repo = Path(__file__).resolve().parents[2]
    data: dict[str, Any] = json.loads((repo / "assets/demo/cards/resident.json").read_text("utf-8"))
    data["name"] = card.name
    return data


def test_concurrent_signups_from_two_terminals_never_overbook(
        sandbox: SandboxServer, terminals: tuple[Terminal, Terminal]) -> None:
    a, b = terminals
    outcome = a.employer.submit(resident("王大明"), gig_draft(headcount=3))
    assert outcome.posting_no
    audit(sandbox, outcome.posting_no, "published")
    for t in (a, b):
        t.catalog.sync_from(t.client)
    gig = a.catalog.get(outcome.posting_no)
    base = _card_json(resident())
    results: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(8)

    def sign(n: int) -> None:
        t = (a, b)[n % 2]
        card = _worker(base, n)
        go.wait()
        state = t.gigs.sign_up(card, gig).state
        with lock:
            results.append(state)

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert sorted(results) == ["confirmed"] * 3 + ["full"] * 5
    assert sandbox.store.vacancy(outcome.posting_no).places_left == 0
    assert len(_signups(sandbox, outcome.posting_no)) == 3
    loser = a.gigs.sign_up(_worker(base, 99), gig)
    assert loser.state == "full" and loser.message_zh.startswith("这份零工刚刚报满了")
    assert a.catalog.get(gig.id).places_left == 0


def _worker(base: dict[str, Any], n: int) -> Any:
    from kiosk.devices.idcard.model import IdentityCard
    from kiosk.devices.idcard.numbers import gb11643_check_char
    first17 = base["id_number"][:13] + f"{n:04d}"
    return IdentityCard.from_json({**base, "id_number": first17 + gb11643_check_char(first17)})


def _signups(srv: SandboxServer, vacancy_id: str) -> list[dict[str, Any]]:
    from kiosk.platform.sandbox.postings import Postings
    return Postings(srv.store, srv.platform.casework.salt).signups(vacancy_id)


def test_rejected_reason_duplicates_limit_and_offline(
        sandbox: SandboxServer, terminals: tuple[Terminal, Terminal]) -> None:
    a, _ = terminals
    handler = resident("王大明")
    first = a.employer.submit(handler, gig_draft())
    assert first.posting_no
    dup = a.employer.submit(handler, gig_draft())
    assert dup.refused and "已经提交过" in dup.message_zh
    audit(sandbox, first.posting_no, "rejected", "工作内容描述不清，请补充")
    rejected = a.employer.progress(handler)
    assert rejected is not None
    assert (rejected[0].status, rejected[0].reason) == ("rejected", "工作内容描述不清，请补充")
    requests.put(f"{sandbox.origin}/_sandbox/posting-rules", json={"max_open_per_employer": 2},
                 headers={"X-Sandbox-Token": sandbox.platform.admin_token}, timeout=5)
    for start in ("09:00", "10:00"):
        assert a.employer.submit(handler, gig_draft(start_time=start)).posting_no
    over = a.employer.submit(handler, gig_draft(start_time="11:00"))
    assert over.refused and "已达上限" in over.message_zh
    withdrawn = a.employer.progress(handler)
    assert [p.status for p in withdrawn] == ["pending_review", "pending_review", "rejected"]

    sandbox.faults.update(down=True)
    a.employer.wait_s = 0.3
    person = _worker({**_card_json(resident()), "name": "李四"}, 55)
    offline = a.employer.submit(person, gig_draft(employer_kind="individual",
                                                            credit_code="", employer_name=""))
    assert not offline.delivered and not offline.refused
    assert offline.receipt_no.startswith(TERMINAL_A + "-R") and "自动提交审核" in offline.message_zh
    sandbox.faults.update(down=False)
    a.worker.kick()
    (item_id,) = a.outbox._conn().execute(
        "SELECT item_id FROM kiosk_postings WHERE receipt_no=?", (offline.receipt_no,)).fetchone()
    assert a.outbox.wait_delivered(item_id, 10)
    people = a.employer.progress(person)
    assert people is not None and [p.status for p in people] == ["pending_review"]


def test_draft_checks_minimum_wage_and_licence_reasons() -> None:
    assert draft_problems(gig_draft()) == []
    low = pay_check(gig_draft(pay=100, pay_unit="DAY", duration_hours=8))
    assert low is not None and low.below is True and "最低工资标准" in low.message_zh
    ok = pay_check(gig_draft(pay=200))
    assert ok is not None and ok.below is False
    bad = draft_problems(gig_draft(credit_code="91440101MA5CJQ4N58"))
    assert bad == ["统一社会信用代码：校验位不对，请核对营业执照"]
    assert draft_problems(gig_draft(credit_code="914401", job_id="", contact_phone="12"))[:1] == [
        "统一社会信用代码：长度不对：统一社会信用代码是18位，旧营业执照注册号是15位数字（现在是6位）"]
    assert draft_problems(gig_draft(employer_kind="individual", credit_code="")) == []


def test_submitted_at_is_utc() -> None:
    from kiosk.services.employer_postings import posting_payload
    body = posting_payload(resident("王大明"), gig_draft(),
                           datetime(2026, 12, 1, 2, 3, 4, tzinfo=UTC))
    assert body["submitted_at"] == "2026-12-01T02:03:04Z"
    assert body["employer"]["credit_code"] == CODE and body["occupation_code"] == "4-09"


def test_a_gig_on_several_days_is_one_vacancy_per_day_findable_by_day_and_cli(
        sandbox: SandboxServer, terminals: tuple[Terminal, Terminal], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Three days picked on the date strip → the payload's ``more_dates`` → 待审核 → published
    as three vacancies (own places each) → terminal B finds each under 今天 / 明天 / 本周 and by
    ``kiosk vacancies search --date``; the slip and the review list the days."""
    import json
    from datetime import timedelta

    from kiosk.cli import main
    from kiosk.services.posting_form import summary_lines, toggle_work_day

    a, b = terminals
    today = china_now().date()
    d0, d1, d2 = (today + timedelta(days=n) for n in (0, 1, 2))
    first, more = toggle_work_day(d0.isoformat(), (), d2.isoformat())
    first, more = toggle_work_day(first, more, d1.isoformat())
    assert (first, more) == (d0.isoformat(), (d1.isoformat(), d2.isoformat()))
    assert toggle_work_day(first, more, d1.isoformat()) == (first, (d2.isoformat(),))
    draft = gig_draft(work_date=first, more_dates=more)
    later = [d.isoformat()[5:] if d.year == d0.year else d.isoformat() for d in (d1, d2)]
    when = f"{d0.isoformat()}、{later[0]}、{later[1]}（共3天）"      # MM-DD within the year
    assert ("上工时间", f"{when} 08:00 起 8小时") in summary_lines(draft, "")

    outcome = a.employer.submit(resident("王大明"), draft)
    assert outcome.delivered and outcome.posting_no
    number = outcome.posting_no
    ids = [number, f"{number}-{d1:%Y%m%d}", f"{number}-{d2:%Y%m%d}"]
    status = audit(sandbox, number, "published")
    assert (status["work_dates"], status["vacancy_ids"], status["places_left"]) == (
        [d0.isoformat(), d1.isoformat(), d2.isoformat()], ids, 6)
    assert status["vacancy_id"] == number

    b.catalog.sync_from(b.client)

    def on(window: str) -> list[str]:
        lo, hi = gig_dates(window, today)
        found = b.catalog.search("", SearchFilters(kind="gig", work_date_from=lo,
                                                   work_date_to=hi))
        return sorted(h.vacancy.id for h in found.items)
    assert on("today") == [ids[0]] and on("tomorrow") == [ids[1]]
    week_end = gig_dates("week", today)[1]
    assert on("week") == sorted(i for i, d in zip(ids, (d0, d1, d2), strict=True)
                                if d.isoformat() <= week_end)
    assert [b.catalog.get(i).work_date for i in ids] == [d0.isoformat(), d1.isoformat(),
                                                        d2.isoformat()]
    assert {b.catalog.get(i).places_left for i in ids} == {2}

    signed = b.gigs.sign_up(_worker({**_card_json(resident()), "name": "陈小满"}, 9),
                            b.catalog.get(ids[2]))
    assert signed.ok and signed.places_left == 1                 # that day only
    assert a.employer.progress(resident("王大明"))[0].places_left == 5

    cfg = tmp_path / "site.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(cfg))
    b.catalog.sync_from(b.client)
    db = str(b.catalog.path)
    assert main(["vacancies", "search", "--kind", "gig", "--date", d1.isoformat(), "--db", db,
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["work_date"], r["places_left"]) for r in rows] == [
        (ids[1], d1.isoformat(), 2)]

    layout = layout_posting_slip(PostingSlip(
        "天河区天河南街道就业驿站", today, number, outcome.receipt_no, "广州市示例物业管理有限公司",
        "保洁员", 2, 200, "DAY", True, d0.isoformat(), "08:00", 8.0, "DAILY", "440106",
        "天河南二路", (), "13800138000", outcome.manage_url, more_dates=more), paper_profile(80))
    lines = "\n".join(_decoder().decode(encode_slip(layout, paper_profile(80))).texts)
    assert f"上工时间：{when}\n" in lines and "08:00 起 8小时" in lines

    audit(sandbox, number, "withdrawn")                           # every day comes down
    b.catalog.sync_from(b.client)
    assert [b.catalog.get(i) for i in ids] == [None, None, None]


def test_work_days_text_and_the_seven_day_limit() -> None:
    from kiosk.domain.postings import work_days_text
    from kiosk.services.posting_form import toggle_work_day

    assert work_days_text("2026-12-02") == "2026-12-02"
    assert work_days_text("2026-12-31", ("2027-01-01", "2026-12-31")) == (
        "2026-12-31、2027-01-01（共2天）")
    assert work_days_text("", ()) == ""
    days = [f"2026-12-{n:02d}" for n in range(1, 9)]
    first, more = "", ()
    for day in days:
        first, more = toggle_work_day(first, more, day)
    assert (first, more) == ("2026-12-01", tuple(days[1:7]))      # the 8th is not added
    assert draft_problems(gig_draft(work_date="2026-12-01", more_dates=tuple(days[1:]))) == [
        "上工日期最多选7天"]
    assert toggle_work_day("2026-12-01", (), "2026-12-01") == ("", ())
