"""Stateful pass over the 招聘会 and e-ID operations (scripted sequences, each request checked by
schemathesis against docs/openapi.yaml): list → sign up → check in (token, short code, card
hash) → the fair's counts; book → booth taken → cancel; e-ID session → phone approves → the
identity once → consumed; phone code → verified → 410 used."""

from __future__ import annotations

from datetime import UTC, datetime

import requests

from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.sandbox.fair_casework import seed_demo_fairs
from kiosk.platform.sandbox.routes import eid as eid_routes
from kiosk.platform.sandbox.routes import fairs as fair_routes
from kiosk.platform.wire_formats import id_number_hash
from tests.contract.test_stateful import call
from tests.platform.sandbox_payloads import consent

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
TODAY = "DEMO-20261201-C"
GENERAL = "DEMO-20261201-G"
PEOPLE = [("陈晓满", "449901199203154525"), ("张小明", "449901199001011235"),
          ("王五", "440106198805051237")]


def _prepare(sandbox: SandboxServer) -> None:
    fair_routes.casework(sandbox.platform.store).clock = lambda: NOW
    eid_routes.casework(sandbox.platform.store).clock = lambda: NOW
    seed_demo_fairs(sandbox.platform.store, NOW)


def _signup(sandbox, session, name: str, number: str):
    return call("signUpForFair", sandbox, session, key=True,
                path_parameters={"fair_id": TODAY},
                body={"jobseeker": {"id_number": number, "name": name, "phone": ""},
                      "consent": consent("fair_signup")})


def test_sign_up_then_check_in_three_ways(sandbox: SandboxServer,
                                          session: requests.Session) -> None:
    _prepare(sandbox)
    listed = call("listFairs", sandbox, session)
    assert [f["id"] for f in listed.json()["items"]][:1] == [TODAY]
    etag = listed.headers["etag"][0]
    assert call("listFairs", sandbox, session, headers={"If-None-Match": etag}).status_code == 304
    codes = [_signup(sandbox, session, *p).json() for p in PEOPLE]
    assert all(c["status"] == "signed_up" for c in codes)
    again = _signup(sandbox, session, *PEOPLE[0])
    assert (again.status_code, again.json()["token"]) == (200, codes[0]["token"])
    salt = call("getStation", sandbox, session).json()["lookup_salt"]
    bodies = [{"token": codes[0]["token"]}, {"short_code": codes[1]["short_code"]},
              {"id_number_hash": id_number_hash(salt, PEOPLE[2][1])}]
    for body in bodies:
        done = call("checkInAtFair", sandbox, session, path_parameters={"fair_id": TODAY},
                    body=body)
        assert done.json()["status"] == "checked_in"
    assert call("checkInAtFair", sandbox, session, path_parameters={"fair_id": TODAY},
                body=bodies[0]).json()["status"] == "already_checked_in"
    wrong = call("checkInAtFair", sandbox, session, path_parameters={"fair_id": GENERAL},
                 body=bodies[0])
    assert (wrong.status_code, wrong.json()["code"]) == (404, "signup_not_found")
    fair = call("getFair", sandbox, session, path_parameters={"fair_id": TODAY}).json()
    assert fair["signed_up"] == 3
    assert call("listFairs", sandbox, session, headers={"If-None-Match": etag}).status_code == 200


def test_book_then_taken_then_cancel(sandbox: SandboxServer, session: requests.Session) -> None:
    _prepare(sandbox)
    body = {"credit_code": "91440101MA5CYX8B3N", "employer_name": "广州示例物流有限公司",
            "contact_phone": "020-87654321", "vacancy_ids": [], "attendees": 2}
    booked = call("bookBooth", sandbox, session, key=True, path_parameters={"fair_id": GENERAL},
                  body=body)
    assert (booked.status_code, booked.json()["booth"]) == (201, "A01")
    taken = call("bookBooth", sandbox, session, key=True, path_parameters={"fair_id": GENERAL},
                 body=body)
    assert (taken.status_code, taken.json()["code"]) == (409, "booth_exists")
    closed = call("bookBooth", sandbox, session, key=True, path_parameters={"fair_id": TODAY},
                  body=body)
    assert closed.json()["code"] == "booking_deadline_passed"
    booking_id = booked.json()["booking_id"]
    gone = call("cancelBooth", sandbox, session,
                path_parameters={"fair_id": GENERAL, "booking_id": booking_id})
    assert gone.json()["status"] == "cancelled"
    assert call("getFair", sandbox, session,
                path_parameters={"fair_id": GENERAL}).json()["booths_booked"] == 0


def test_eid_session_and_code(sandbox: SandboxServer, session: requests.Session) -> None:
    _prepare(sandbox)
    started = call("startEidSession", sandbox, session)
    assert started.status_code == 201
    sid = started.json()["session_id"]
    pending = call("getEidSession", sandbox, session, path_parameters={"session_id": sid})
    assert (pending.json()["status"], pending.json()["identity"]) == ("pending", None)
    admin = {"X-Sandbox-Token": sandbox.platform.admin_token}
    root = sandbox.base_url.removesuffix("/v1")
    assert requests.post(f"{root}/_sandbox/eid/sessions/{sid}/approve", headers=admin,
                         timeout=5).status_code == 204
    approved = call("getEidSession", sandbox, session, path_parameters={"session_id": sid}).json()
    assert approved["status"] == "approved" and approved["identity"]["card_type"] == "e_id"
    assert call("getEidSession", sandbox, session,
                path_parameters={"session_id": sid}).json()["status"] == "consumed"
    code = requests.post(f"{root}/_sandbox/eid/codes", headers=admin, timeout=5).json()["code"]
    verified = call("verifyEidCode", sandbox, session, body={"code": code})
    assert verified.json()["identity"]["id_number"] == "449901199203154525"
    used = call("verifyEidCode", sandbox, session, body={"code": code})
    assert (used.status_code, used.json()["code"]) == (410, "eid_code_used")
