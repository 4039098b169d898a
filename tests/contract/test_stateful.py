"""Stateful pass: the flows that matter most, as short scripted sequences.

Each step is a schemathesis ``Case`` of its operation in docs/openapi.yaml, sent through the
signing session and checked with ``call_and_validate`` (status documented, content type,
response schema, headers), and then asserted on the values that carry the state forward:

* registration → lookup: 求职登记 makes the person 已登记, a repeat is ``already_registered``,
  a change is ``updated``, and the lookup gives the latest answers back for 更新登记信息;
* referral → verification → confirmation: the kiosk's referral id, the verify URL it printed,
  the employer's page and confirmation, and the follow-up state the kiosk reads back;

and schemathesis's state machine over the document's OpenAPI ``links``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import hypothesis
import requests
import schemathesis
from schemathesis import Response

from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.signing import HEADER_SIGNATURE, fill_verify_url
from kiosk.platform.wire_formats import id_number_hash
from tests.contract.test_schemathesis import EXCLUDED, schema
from tests.platform.sandbox_payloads import (SECRET, TERMINAL, application, consent,
                                            referral, registration)

ID_NUMBER = "440106198805051237"
STATEFUL_EXAMPLES = 15


def call(operation_id: str, sandbox: SandboxServer, session: requests.Session, *,
         key: bool = False, **parts: Any) -> Response:
    """Send one contract-checked request; the placeholder signature header is replaced by a real
    signature (see tests/contract/signing.py). Response headers have lower-case keys."""
    headers = {HEADER_SIGNATURE: "to-be-signed", **parts.pop("headers", {})}
    if key:
        headers.setdefault("Idempotency-Key", str(uuid.uuid4()))
    case = schema.find_operation_by_id(operation_id).Case(headers=headers, **parts)
    return case.call_and_validate(base_url=sandbox.base_url, session=session,
                                  excluded_checks=EXCLUDED)


def test_registration_then_lookup(sandbox: SandboxServer, session: requests.Session) -> None:
    salt = call("getStation", sandbox, session).json()["lookup_salt"]
    query = {"id_number_hash": id_number_hash(salt, ID_NUMBER)}
    before = call("lookupJobseeker", sandbox, session, query=query).json()
    assert before == {"registered": False, "registration_no": None, "registered_at": None,
                      "valid_until": None, "answers": None}
    body = registration(identity={"document_type": "resident_id", "id_number": ID_NUMBER,
                                  "name": "李四", "sex": "male", "birth_date": "1988-05-05",
                                  "ethnicity_code": "01"})
    created = call("registerJobseeker", sandbox, session, key=True, body=body)
    assert created.status_code == 201 and created.json()["status"] == "created"
    number = created.json()["registration_no"]
    after = call("lookupJobseeker", sandbox, session, query=query).json()
    assert (after["registered"], after["registration_no"]) == (True, number)
    assert after["registered_at"] == created.json()["registered_at"]
    same = call("registerJobseeker", sandbox, session, key=True, body=body)
    assert (same.status_code, same.json()["status"], same.json()["registration_no"]) == \
        (200, "already_registered", number)
    changed = call("registerJobseeker", sandbox, session, key=True,
                   body={**body, "phone": "13900139000"})
    assert (changed.status_code, changed.json()["status"]) == (200, "updated")
    # 更新登记信息 pre-fills from the latest answers: phone masked, no 重点群体 (sensitive)
    answers = call("lookupJobseeker", sandbox, session, query=query).json()["answers"]
    assert answers == {"phone_masked": "139****9000", "education_code": "40",
                       "desired_occupations": ["4-02"], "desired_divisions": ["440106"],
                       "expected_salary": {"min": 4500, "max": 6000, "unit": "MONTH"},
                       "employment_type": "FULL_TIME", "availability": "immediately"}


def test_referral_then_verification_then_confirmation(sandbox: SandboxServer,
                                                       session: requests.Session) -> None:
    template = call("getStation", sandbox, session).json()["verify_url_template"]
    vacancy_id = call("listVacancies", sandbox, session, query={"limit": 1}).json()[
        "items"][0]["identifier"]
    body = referral(42, vacancy_id=vacancy_id)
    referral_id = body["referral_id"]
    printed_url = fill_verify_url(template, referral_id, SECRET)      # what the slip's QR holds
    assert "尚未收到" in requests.get(printed_url, timeout=5).text       # still in the outbox
    key = str(uuid.uuid4())
    issued = call("createReferral", sandbox, session, body=body,
                  headers={"Idempotency-Key": key})
    assert issued.status_code == 201
    assert issued.json() == {"referral_id": referral_id, "verify_url": printed_url,
                             "valid_until": "2026-12-14T02:15:00.000000Z", "status": "issued"}
    replay = call("createReferral", sandbox, session, body=body, headers={"Idempotency-Key": key})
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == ["true"]
    taken = call("createReferral", sandbox, session, key=True, body=body)
    assert (taken.status_code, taken.json()["code"]) == (409, "referral_exists")
    state = call("getReferral", sandbox, session, path_parameters={"referral_id": referral_id})
    assert (state.json()["status"], state.json()["confirmed_at"]) == ("issued", None)

    page = requests.get(printed_url, timeout=5)
    assert page.status_code == 200 and "确认已面试" in page.text and "李四" not in page.text
    done = requests.post(printed_url.replace("?t=", "/confirm?t="), data={"hired": "yes"},
                         timeout=5)
    assert done.status_code == 200 and "已录用" in done.text
    state = call("getReferral", sandbox, session,
                 path_parameters={"referral_id": referral_id}).json()
    assert (state["status"], state["hired"], state["vacancy_id"]) == ("confirmed", True,
                                                                      vacancy_id)
    assert state["confirmed_at"] is not None
    again = requests.post(printed_url.replace("?t=", "/confirm?t="), data={"hired": "no"},
                          timeout=5)
    assert again.status_code == 200
    assert call("getReferral", sandbox, session,
                path_parameters={"referral_id": referral_id}).json()["hired"] is True
    assert TERMINAL in referral_id


def test_posting_audit_published_in_vacancies_then_sign_up(sandbox: SandboxServer,
                                                           session: requests.Session) -> None:
    """招聘信息 → 待审核 → casework publishes → the vacancy is in GET /v1/vacancies (the next
    sync) → a worker signs up, places count down → full; a rejection carries its reason."""
    salt = call("getStation", sandbox, session).json()["lookup_salt"]
    handler_id = "440106198001011235"
    body = {"employer": {"kind": "unit", "name": "示例物业管理有限公司",
                         "credit_code": "91440101MA5CJQ4N59",
                         "handler": {"id_number": handler_id, "name": "王大明"},
                         "phone": "13800138000"},
            "title": "保洁员", "occupation_code": "4-09", "headcount": 1, "pay": 200,
            "pay_unit": "DAY", "gig": {"work_date": "2099-12-31", "start_time": "08:00",
                                      "duration_hours": 8, "settlement": "DAILY"},
            "division_code": "440106", "contact_phone": "13800138000",
            "submitted_at": "2026-12-01T02:00:00Z"}
    made = call("submitPosting", sandbox, session, key=True, body=body)
    assert made.status_code == 201 and made.json()["status"] == "pending_review"
    number = made.json()["posting_no"]
    again = call("submitPosting", sandbox, session, key=True, body=body)
    assert (again.status_code, again.json()["code"]) == (409, "posting_duplicate")
    mine = {"handler_hash": id_number_hash(salt, handler_id)}
    listed = call("listPostings", sandbox, session, query=mine).json()["items"]
    assert [(p["posting_no"], p["status"]) for p in listed] == [(number, "pending_review")]
    since = call("listVacancies", sandbox, session, query={"limit": 1}).json()["server_time"]

    admin = {"X-Sandbox-Token": sandbox.platform.admin_token}
    put = requests.put(f"{sandbox.origin}/_sandbox/employer-postings/{number}",
                       json={"status": "published"}, headers=admin, timeout=5)
    assert put.status_code == 200 and put.json()["status"] == "published"
    delta = call("listVacancies", sandbox, session, query={"updated_since": since}).json()
    gig = next(v for v in delta["items"] if v["identifier"] == number)
    assert (gig["gig"]["placesLeft"], gig["gig"]["workDate"], gig["title"]) == (
        1, "2099-12-31", "保洁员")
    worker = {"id_number": "440106199001011234", "name": "陈小满", "phone": ""}
    signed = call("signUpForGig", sandbox, session, key=True,
                  path_parameters={"vacancy_id": number},
                  body={"worker": worker, "signed_up_at": "2026-12-01T03:00:00Z"})
    assert signed.status_code == 201 and signed.json()["places_left"] == 0
    full = call("signUpForGig", sandbox, session, key=True,
                path_parameters={"vacancy_id": number},
                body={"worker": {**worker, "id_number": "449901199001011235"},
                      "signed_up_at": "2026-12-01T03:00:01Z"})
    assert (full.status_code, full.json()["code"]) == (409, "gig_full")
    state = call("getPosting", sandbox, session, path_parameters={"posting_no": number}).json()
    assert (state["status"], state["places_left"], state["vacancy_id"]) == ("published", 0, number)

    other = call("submitPosting", sandbox, session, key=True, body={**body, "title": "搬运工",
                                                                  "occupation_code": "4-02"})
    second = other.json()["posting_no"]
    requests.put(f"{sandbox.origin}/_sandbox/employer-postings/{second}",
                 json={"status": "rejected", "reason": "工作内容不清"}, headers=admin, timeout=5)
    state = call("getPosting", sandbox, session, path_parameters={"posting_no": second}).json()
    assert (state["status"], state["reason"], state["vacancy_id"]) == ("rejected", "工作内容不清",
                                                                       None)


def test_text_handoff_create_then_phone_submits_then_kiosk_reads(
        sandbox: SandboxServer, session: requests.Session) -> None:
    """长文本 → phone: the kiosk makes a hand-off → the phone opens its page (unsigned) and
    submits the form (GB18030 and markup safe) → the kiosk reads the text once received; a
    second submission is 409; another terminal cannot read it; after expiry the page is 404."""
    from urllib.parse import quote, urlsplit

    from kiosk.platform.sandbox.routes.text_handoffs import handoffs

    made = call("createTextHandoff", sandbox, session, body={
        "purpose": "posting_description", "max_chars": 40, "prompt": "保洁员（零工）的详细说明"})
    assert made.status_code == 201
    handoff = made.json()
    hid = handoff["handoff_id"]
    assert handoff["url"] == f"{sandbox.origin}/v1/text-handoffs/{hid}/page"
    assert (handoff["max_chars"], handoff["poll_after_ms"]) == (40, 2000)
    where = {"handoff_id": hid}
    waiting = call("getTextHandoff", sandbox, session, path_parameters=where).json()
    assert (waiting["status"], waiting["text"]) == ("waiting", None)
    page = call("openTextHandoffPage", sandbox, session, path_parameters=where)
    assert page.status_code == 200 and "保洁员（零工）的详细说明" in page.text
    assert f"action='/v1/text-handoffs/{hid}/page'" in page.text and "maxlength='40'" in page.text
    path = urlsplit(handoff["url"]).path
    too_long = requests.post(sandbox.origin + path, data=("x" * 41).encode(), timeout=5,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert too_long.status_code == 400                      # no `text=` field at all
    text = "<b>包午餐</b>\r\n早8点到晚5点"
    body = ("text=" + quote(text.encode("gb18030"))).encode()    # an old phone browser
    sent = requests.post(sandbox.origin + path, data=body, timeout=5,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert sent.status_code == 200 and "&lt;b&gt;包午餐&lt;/b&gt;" in sent.text
    assert "<b>包午餐" not in sent.text
    got = call("getTextHandoff", sandbox, session, path_parameters=where).json()
    assert (got["status"], got["text"]) == ("received", "<b>包午餐</b>\n早8点到晚5点")
    again = call("submitTextHandoffPage", sandbox, session, path_parameters=where,
                 body={"text": "另一段"}, media_type="application/x-www-form-urlencoded")
    assert again.status_code == 409
    assert call("getTextHandoff", sandbox, session, path_parameters=where).json()["text"] == (
        "<b>包午餐</b>\n早8点到晚5点")
    from tests.contract.signing import signed_session
    with signed_session("GD-TEST-0002", SECRET) as other:
        sandbox.platform.store.provision_terminal("GD-TEST-0002", SECRET, {"name": "别的驿站"})
        foreign = other.get(f"{sandbox.base_url}/text-handoffs/{hid}", timeout=5,
                            headers={HEADER_SIGNATURE: "to-be-signed"})
    assert (foreign.status_code, foreign.json()["code"]) == (404, "handoff_not_found")

    later = call("createTextHandoff", sandbox, session,
                 body={"purpose": "posting_description"}).json()
    work = handoffs(sandbox.platform.store)
    start = work.clock
    try:
        work.clock = lambda: start() + timedelta(seconds=901)
        where = {"handoff_id": later["handoff_id"]}
        assert call("getTextHandoff", sandbox, session,
                    path_parameters=where).json()["status"] == "expired"
        gone = call("openTextHandoffPage", sandbox, session, path_parameters=where)
        assert gone.status_code == 404 and "链接已过期或无效" in gone.text
    finally:
        work.clock = start


def test_links_state_machine(sandbox: SandboxServer, session: requests.Session) -> None:
    """Schemathesis's stateful phase over the document's links (listVacancies → getVacancy,
    listVacancies → createReferral → getReferral), every step contract-checked."""
    base = schema.as_state_machine()

    class Links(base):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": sandbox.base_url, "session": session}

        def validate_response(self, response: Response, case: schemathesis.Case,
                              additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, excluded_checks=EXCLUDED,
                                   transport_kwargs=kwargs)

    before = dict(sandbox.faults.arrivals)
    Links.run(settings=hypothesis.settings(
        max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, derandomize=True, database=None,
        deadline=None, suppress_health_check=list(hypothesis.HealthCheck)))
    sent = {k: n - before.get(k, 0) for k, n in sandbox.faults.arrivals.items()}
    assert sent.get(("GET", "/v1/vacancies"), 0) > 0
    # The machine ran past its first step. Which links a
    # derandomised run reaches (createReferral or others) shifts with any change to the
    # document, so the referral chain is asserted by the scripted sequences above instead.
    assert len(sent) > 1  # steps beyond the first operation ran (which ones varies by run)


def _casework(sandbox: SandboxServer, number: str, state: str | None = None, **extra: Any
              ) -> requests.Response:
    """The sandbox's casework switch (outside the contract, admin token)."""
    return requests.post(f"{sandbox.origin}/_sandbox/applications/{number}/state",
                         json={"state": state, **extra}, timeout=5,
                         headers={"X-Sandbox-Token": sandbox.platform.admin_token})


def test_application_submit_then_status_then_every_state(sandbox: SandboxServer,
                                                         session: requests.Session) -> None:
    """失业登记 and 认定: submit → status by number and by person → the casework switch moves
    the case through its states; each answer is checked against the document."""
    salt = call("getStation", sandbox, session).json()["lookup_salt"]
    person = {"id_number_hash": id_number_hash(salt, "440106197001011233")}
    before = call("getApplicationPrefill", sandbox, session, query=person).json()
    assert before["known"] is False and before["registration_status"] == "none"

    body = application("unemployment_registration", "440106197001011233")
    key = str(uuid.uuid4())
    first = call("submitApplication", sandbox, session, body=body,
                 headers={"Idempotency-Key": key})
    assert first.status_code == 201
    made = first.json()
    number = made["application_no"]
    assert (made["state"], made["state_label"], made["time_limit"]) == (
        "accepted", "已受理", {"working_days": 1, "text": "1个工作日内办结"})
    replay = call("submitApplication", sandbox, session, body=body,
                  headers={"Idempotency-Key": key})
    assert replay.json() == made and replay.headers["idempotent-replayed"] == ["true"]
    again = call("submitApplication", sandbox, session, key=True, body=body)
    assert (again.status_code, again.json()["application_no"]) == (200, number)   # open one

    assert _casework(sandbox, number, "needs_materials").status_code == 409   # items required
    moved = _casework(sandbox, number, "needs_materials",
                      missing_items=["劳动合同解除证明", "近期免冠照片"])
    assert moved.status_code == 200
    state = call("getApplication", sandbox, session,
                 path_parameters={"application_no": number}).json()
    assert (state["state"], state["state_label"], state["missing_items"]) == (
        "needs_materials", "需补充材料", ["劳动合同解除证明", "近期免冠照片"])
    assert _casework(sandbox, number, "accepted").status_code == 200
    assert _casework(sandbox, number).json()["state"] == "completed"          # happy path
    listed = call("listApplications", sandbox, session, query=person).json()["items"]
    assert [(a["application_no"], a["state"]) for a in listed] == [(number, "completed")]
    assert [h["state"] for h in listed[0]["history"]] == [
        "accepted", "needs_materials", "accepted", "completed"]
    after = call("getApplicationPrefill", sandbox, session, query=person).json()
    assert (after["known"], after["registration_status"], after["hukou_division"]) == (
        True, "registered_unemployed", "440106")
    refused = call("submitApplication", sandbox, session, key=True, body=body).json()
    assert refused["state"] == "not_accepted" and "已有有效的失业登记" in refused["reason"]
    page = requests.get(refused["progress_url"], timeout=5)
    assert page.status_code == 200 and "不予受理" in page.text and "李四" not in page.text
    assert requests.get(refused["progress_url"][:-3] + "xyz", timeout=5).status_code == 404

    hardship = call("submitApplication", sandbox, session, key=True,
                    body=application("hardship_certification", "440106197001011233")).json()
    h_no = hardship["application_no"]
    assert (hardship["state"], hardship["time_limit"]["working_days"]) == ("submitted", 10)
    seen = [hardship["state_label"]]
    for _ in range(3):
        seen.append(_casework(sandbox, h_no).json()["state_label"])
    assert seen == ["已提交", "初审中", "公示中", "终审中"]
    assert _casework(sandbox, h_no, "refused").json()["code"] == "reason_missing"
    no = _casework(sandbox, h_no, "refused", reason="未能提供相关证明材料").json()
    assert (no["state_label"], no["reason"]) == ("不予认定", "未能提供相关证明材料")
    assert no["appeal_until"] is not None
    assert _casework(sandbox, h_no, "certified").json()["code"] == "transition_invalid"

    second = call("submitApplication", sandbox, session, key=True,
                  body=application("hardship_certification", "440106197001011233")).json()
    for target in ("preliminary_review", "public_notice", "final_review", "certified",
                   "cancelled"):
        assert _casework(sandbox, second["application_no"], target).json()["state"] == target
    final = call("getApplication", sandbox, session,
                 path_parameters={"application_no": second["application_no"]}).json()
    assert (final["state_label"], final["appeal_until"]) == ("已注销", None)
    missing = call("getApplication", sandbox, session,
                   path_parameters={"application_no": "APP-440000-999999"})
    assert (missing.status_code, missing.json()["code"]) == (404, "application_not_found")


def test_application_with_sensitive_answers_needs_the_separate_consent(
        sandbox: SandboxServer, session: requests.Session) -> None:
    body = application("hardship_certification", "440106197002021234",
                       hardship={"categories": [1, 9]})
    # sent without schemathesis: its before_call hook (test_schemathesis.py) would add the consent
    refused = session.post(sandbox.base_url + "/applications", json=body, timeout=5, headers={
        HEADER_SIGNATURE: "to-be-signed", "Idempotency-Key": str(uuid.uuid4())})
    assert (refused.status_code, refused.json()["code"]) == (422, "sensitive_consent_missing")
    ok = call("submitApplication", sandbox, session, key=True,
              body={**body, "sensitive_consent": consent("sensitive_key_group")})
    assert ok.status_code == 201
    assert "categories" not in ok.text and "hardship\"" not in ok.text   # never echoed
