"""The client against the running sandbox platform, one resource at a time (no mocks)."""

from __future__ import annotations

import dataclasses

import pytest
import requests

from kiosk.domain.vacancy import Vacancy
from kiosk.platform.client import PlatformClient
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.wire_formats import parse_iso
from kiosk.platform.signing import fill_verify_url, verify_token
from kiosk.platform.submissions import PayloadInvalid, check_payload
from kiosk.platform.wire_formats import id_number_hash
from tests.platform.sandbox_payloads import (ID_NUMBER, SECRET, TERMINAL, assistance,
                                             heartbeat, key, referral, registration)


def test_ping_reports_small_skew(client: PlatformClient) -> None:
    assert abs(client.ping()) < 1.0


def test_station_carries_settings_fields_and_verify_template(client, server) -> None:
    st = client.station()
    assert st.terminal_id == TERMINAL
    assert st.name == "天河区天河南街道就业驿站"
    assert st.division_code == "440106"
    assert st.hotline == "020-12345678"
    assert (st.latitude, st.longitude) == (23.1365, 113.324)
    assert st.verify_url_template == f"{server.origin}/verify/{{referral_id}}?t={{verify_token}}"
    assert st.verify_url("GD-TEST-0001-20261130-0007", SECRET) == \
        f"{server.origin}/verify/GD-TEST-0001-20261130-0007?t=" \
        + verify_token(SECRET, "GD-TEST-0001-20261130-0007")
    assert len(st.lookup_salt) == 32


def test_full_sync_pages_in_update_order_and_maps_jobposting(client) -> None:
    first = client.vacancy_changes(None, None, None, limit=2)
    assert [v.id for v in first.items] == ["T-0001", "T-0002"]
    assert first.next_cursor and not first.not_modified and first.etag
    second = client.vacancy_changes(None, first.next_cursor, None, limit=2)
    third = client.vacancy_changes(None, second.next_cursor, None, limit=2)
    assert [v.id for v in second.items + third.items] == ["T-0003", "T-0004", "T-0005"]
    assert third.next_cursor is None
    v = first.items[0]
    assert (v.title, v.employer, v.city, v.district, v.town) == \
        ("仓库管理员", "广州示例物流有限公司", "广州市", "天河区", "天河南街道")
    assert (v.division_code, v.salary_min, v.salary_max, v.salary_unit) == \
        ("440106001", 5000, 6500, "MONTH")
    assert (v.education_code, v.occupation_code, v.total_openings) == ("60", "4-02", 3)
    assert (v.contact_name, v.contact_phone, v.latitude) == ("李女士", "020-87654321", 23.1365)
    assert v.tags == ("五险一金", "包午餐")
    assert v.valid_through == "2027-01-31"
    assert first.items[1].public_welfare is True
    assert third.items[0].internship is False and second.items[0].internship is True


def test_delta_sync_returns_only_changes_and_tombstones(client, server) -> None:
    full = client.vacancy_changes(None, None, None)
    assert len(full.items) == 5 and full.next_cursor is None
    changed = dataclasses.replace(server.store.vacancy("T-0003"), salary_max=180)
    server.store.upsert_vacancies([changed])
    server.store.delete_vacancy("T-0005")
    delta = client.vacancy_changes(full.server_time, None, full.etag)
    assert not delta.not_modified
    assert [(v.id, v.salary_max) for v in delta.items] == [("T-0003", 180)]
    assert delta.deleted_ids == ["T-0005"]
    assert delta.etag != full.etag
    assert parse_iso(delta.server_time) > parse_iso(full.server_time)


def test_unchanged_catalog_answers_304_without_body(client, server) -> None:
    full = client.vacancy_changes(None, None, None)
    again = client.vacancy_changes(full.server_time, None, full.etag)
    assert again.not_modified is True
    assert (again.items, again.deleted_ids, again.next_cursor) == ([], [], None)
    assert again.etag == full.etag
    assert parse_iso(again.server_time) > parse_iso(full.server_time)


def test_filters_select_by_code_prefix_education_and_flags(client) -> None:
    def ids(**params: str) -> list[str]:
        resp = client._request("GET", "/vacancies", params=params)
        return [i["identifier"] for i in resp.json()["items"]]
    assert ids(division_code="4401") == ["T-0001", "T-0002"]
    assert ids(occupation_code="4-02") == ["T-0001", "T-0004"]
    assert ids(education_code="70") == ["T-0002", "T-0004"]      # 初中: 不限 and 初中 only
    assert ids(public_welfare="true") == ["T-0002"]
    assert ids(internship="true", employment_type="INTERN") == ["T-0003"]
    assert ids(q="快递") == ["T-0004"]


def test_bad_cursor_is_rejected_as_problem(client) -> None:
    with pytest.raises(PlatformRejected) as err:
        client.vacancy_changes(None, "not-a-cursor", None)
    assert (err.value.status, err.value.code) == (400, "invalid_sync_position")


def test_one_vacancy_and_unknown_vacancy(client) -> None:
    v = client.vacancy("T-0004")
    assert isinstance(v, Vacancy) and v.title == "快递员" and v.district == "" \
        and v.town == "长安镇" and v.salary_text() == "面议"
    with pytest.raises(PlatformRejected) as err:
        client.vacancy("NOPE")
    assert (err.value.status, err.value.code) == (404, "vacancy_not_found")


def test_registration_lookup_created_already_updated(client, server) -> None:
    assert client.lookup_jobseeker(ID_NUMBER).registered is False
    created = client.register_jobseeker(registration(), key())
    assert created.status == "created"
    assert created.registration_no == "REG-440106-000001"
    found = client.lookup_jobseeker(ID_NUMBER.lower())        # check char x/X normalised
    assert (found.registered, found.registration_no) == (True, "REG-440106-000001")
    same = client.register_jobseeker(registration(), key())
    assert (same.status, same.registration_no) == ("already_registered", "REG-440106-000001")
    changed = client.register_jobseeker(registration(phone="13900139000"), key())
    assert changed.status == "updated" and changed.registered_at == created.registered_at
    row = server.casework.registrations()[0]
    assert (row["masked_name"], row["masked_id"], row["masked_phone"]) == \
        ("张*明", "4499**********1235", "139****9000")
    assert ID_NUMBER not in str(row) and "张小明" not in str(row)
    answers = client.lookup_jobseeker(ID_NUMBER).answers       # for 更新登记信息
    assert answers is not None
    assert (answers.phone_masked, answers.education_code, answers.desired_occupations,
            answers.desired_divisions, answers.employment_type, answers.availability) == (
        "139****9000", "40", ["4-02"], ["440106"], "FULL_TIME", "immediately")
    assert (answers.expected_salary.min, answers.expected_salary.max) == (4500, 6000)
    assert not hasattr(answers, "key_groups")                  # sensitive: never given back


def test_lookup_sends_only_the_salted_hash(client, server) -> None:
    seen: list[str] = []
    client.session.hooks["response"].append(lambda r, *a, **k: seen.append(r.request.url))
    client.lookup_jobseeker(ID_NUMBER)
    salt = client.station().lookup_salt
    assert any(id_number_hash(salt, ID_NUMBER) in url for url in seen)
    assert not any(ID_NUMBER in url for url in seen)


def test_idempotency_key_replays_first_response(client, server) -> None:
    k = key()
    first = client.register_jobseeker(registration(), k)
    resp = client._request("POST", "/jobseekers/registrations", payload=registration(),
                           headers={"Idempotency-Key": k})
    assert resp.status_code == 201 and resp.headers["Idempotent-Replayed"] == "true"
    assert resp.json()["registration_no"] == first.registration_no
    assert resp.json()["status"] == "created"               # replay, not "already_registered"
    assert server.store.idempotency_counts()[k] == 2
    assert len(server.casework.registrations()) == 1


def test_idempotency_key_with_other_body_conflicts_and_missing_key_refused(client) -> None:
    k = key()
    client.register_jobseeker(registration(), k)
    with pytest.raises(PlatformRejected) as err:
        client.register_jobseeker(registration(phone="13900139000"), k)
    assert (err.value.status, err.value.code) == (409, "idempotency_key_conflict")
    with pytest.raises(PlatformRejected) as err:
        client._post(type(client.station()), "/referrals", referral(), None)
    assert (err.value.status, err.value.code) == (400, "idempotency_key_missing")


def test_invalid_body_is_422_naming_fields_without_values(client) -> None:
    bad = registration()
    bad["identity"] = dict(bad["identity"], id_number="12345")
    with pytest.raises(PlatformRejected) as err:
        client.register_jobseeker(bad, key())
    assert (err.value.status, err.value.code) == (422, "invalid_request")
    assert "body.identity.id_number" in err.value.detail and "12345" not in err.value.detail


def test_referral_verify_page_and_confirmation_loop(client, server) -> None:
    template = client.station().verify_url_template
    url = fill_verify_url(template, "GD-TEST-0001-20261130-0007", SECRET)
    page = requests.get(url, timeout=5)
    assert page.status_code == 404 and "尚未收到" in page.text and "not yet received" in page.text
    result = client.create_referral(referral(7), key())
    assert result.referral_id == "GD-TEST-0001-20261130-0007"
    assert result.verify_url == url
    assert result.valid_until == "2026-12-14T02:15:00.000000Z"          # 14 days
    page = requests.get(url, timeout=5)
    assert page.status_code == 200
    for text in ("仓库管理员", "广州示例物流有限公司", "张*明", "4499**********1235",
                 "2026-12-14", "有效 / Valid", "确认已面试"):
        assert text in page.text
    assert ID_NUMBER not in page.text and "张小明" not in page.text and "13800138000" not in page.text
    assert client.referral_status(result.referral_id).status == "issued"
    assert "/verify/GD-TEST-0001-20261130-0007/confirm?t=" in page.text       # form action
    done = requests.post(url.replace("?t=", "/confirm?t="), data={"hired": "yes"}, timeout=5)
    assert done.status_code == 200 and "已确认面试" in done.text and "已录用" in done.text
    status = client.referral_status(result.referral_id)
    assert (status.status, status.hired) == ("confirmed", True) and status.confirmed_at


def test_referral_refusals(client) -> None:
    with pytest.raises(PlatformRejected) as err:
        client.create_referral(referral(1, vacancy_id="NOPE"), key())
    assert (err.value.status, err.value.code) == (404, "vacancy_not_found")
    with pytest.raises(PlatformRejected) as err:
        client.create_referral(referral(2, terminal="GD-OTHER-0009"), key())
    assert (err.value.status, err.value.code) == (422, "referral_id_foreign")
    client.create_referral(referral(3), key())
    with pytest.raises(PlatformRejected) as err:
        client.create_referral(referral(3), key())
    assert (err.value.status, err.value.code) == (409, "referral_exists")
    with pytest.raises(PlatformRejected) as err:
        client.referral_status("GD-TEST-0001-20261130-0999")
    assert (err.value.status, err.value.code) == (404, "referral_not_found")


def test_policies_and_courses(client) -> None:
    policies = client.policies()
    assert [p.id for p in policies] == ["P-T1", "P-T2"]
    assert policies[0].title == "一次性创业资助" and policies[0].category == "创业补贴"
    courses = client.courses()
    assert [(c.id, c.hours, c.start_date) for c in courses] == [("C-T1", 80, "2026-12-07")]


def test_assistance_request_gets_ticket(client, server) -> None:
    ticket = client.create_assistance_request(assistance(), key())
    assert ticket.ticket_no == "TKT-440106-000001"
    assert (ticket.kind, ticket.status) == ("career_guidance_appointment", "received")
    second = client.create_assistance_request(assistance("subsidy_application"), key())
    assert second.ticket_no == "TKT-440106-000002"
    assert [t["masked_name"] for t in server.casework.tickets()] == ["张*明", "张*明"]


def test_heartbeat_stores_status_and_delivers_settings_and_notices_once(client, server) -> None:
    server.store.queue_settings(TERMINAL, {"session.idle_timeout_s": 90,
                                           "accessibility.voice": False})
    server.store.queue_notice(TERMINAL, "今晚22:00系统维护")
    reply = client.heartbeat(heartbeat())
    assert reply.settings == {"session.idle_timeout_s": 90, "accessibility.voice": False}
    assert reply.notices == ["今晚22:00系统维护"]
    assert server.store.heartbeats()[TERMINAL]["outbox_depth"] == 2
    assert server.store.heartbeats()[TERMINAL]["devices"] == {"card_reader": "ok",
                                                              "printer": "paper_low"}
    again = client.heartbeat(heartbeat(outbox_depth=0))
    assert (again.settings, again.notices) == ({}, [])


def test_check_payload_names_fields() -> None:
    check_payload("registration", registration())
    check_payload("referral", referral())
    check_payload("assistance", assistance())
    check_payload("heartbeat", heartbeat())
    with pytest.raises(PayloadInvalid) as err:
        check_payload("referral", dict(referral(), referral_id="bad id", extra=1))
    assert err.value.fields == ["referral_id", "extra"]
    assert ID_NUMBER not in str(err.value)


def test_verify_page_needs_the_token_of_the_terminal_secret(client, server) -> None:
    """Ids are sequential; without the right token every id gets the same "not valid" page."""
    client.create_referral(referral(8), key())
    received, unknown = "GD-TEST-0001-20261130-0008", "GD-TEST-0001-20261130-0009"
    for rid in (received, unknown):
        for query in ("", "?t=", "?t=" + verify_token(bytes(32), rid),
                      "?t=" + verify_token(SECRET, "GD-TEST-0001-20261130-0001")):
            page = requests.get(f"{server.origin}/verify/{rid}{query}", timeout=5)
            assert page.status_code == 404 and "链接无效" in page.text
            assert "张*明" not in page.text and "尚未收到" not in page.text
        bad = requests.post(f"{server.origin}/verify/{rid}/confirm?t=x", data={"hired": "yes"},
                            timeout=5)
        assert bad.status_code == 404 and "链接无效" in bad.text
    assert client.referral_status(received).status == "issued"
    good = fill_verify_url(client.station().verify_url_template, unknown, SECRET)
    assert "尚未收到" in requests.get(good, timeout=5).text
