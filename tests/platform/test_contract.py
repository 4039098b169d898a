"""The sandbox's responses conform to docs/openapi.yaml (jsonschema, Draft 2020-12).

Every response seen while exercising all resources is validated against the schema the
document gives for its path, method and status. Response schemas are checked strictly (an
object schema with ``properties`` gets ``additionalProperties: false``), so a field the server
sends but the contract does not declare fails the test.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from kiosk.platform.errors import PlatformError
from tests.platform.sandbox_payloads import (ID_NUMBER, assistance, heartbeat, key, referral,
                                             registration)

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
DOC = yaml.safe_load(DOC_PATH.read_text(encoding="utf-8"))


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _strict(v) for k, v in node.items()}
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


STRICT = _strict(copy.deepcopy(DOC))
REGISTRY = Registry().with_resource("urn:contract", Resource.from_contents(
    STRICT, default_specification=DRAFT202012))
LOOSE_REGISTRY = Registry().with_resource("urn:contract", Resource.from_contents(
    DOC, default_specification=DRAFT202012))


def _validator(pointer: str, registry: Registry = REGISTRY) -> Draft202012Validator:
    return Draft202012Validator({"$ref": "urn:contract#" + pointer}, registry=registry)


def _template(path: str) -> str:
    for template in DOC["paths"]:
        pattern = "^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the contract")


def _response_spec(template: str, method: str, status: int) -> dict[str, Any]:
    responses = DOC["paths"][template][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {template} -> {status} undocumented"
    spec = responses[str(status)]
    if "$ref" in spec:
        spec = DOC["components"]["responses"][spec["$ref"].rsplit("/", 1)[1]]
    return spec


def check(resp: requests.Response) -> None:
    """Validate one response against the contract; raises AssertionError with the reason."""
    path = requests.utils.urlparse(resp.url).path
    template = _template(path)
    method = resp.request.method or "GET"
    spec = _response_spec(template, method, resp.status_code)
    if resp.status_code == 304:
        assert resp.content == b""
        return
    ctype = resp.headers["Content-Type"].split(";")[0]
    assert ctype in spec["content"], f"{method} {template}: {ctype} not documented"
    schema = spec["content"][ctype]["schema"]
    pointer = "/components/schemas/" + schema["$ref"].rsplit("/", 1)[1]
    errors = sorted(_validator(pointer).iter_errors(resp.json()), key=str)
    assert not errors, f"{method} {template} {resp.status_code}: {errors[0].message}"


@pytest.fixture
def recorded(client) -> list[requests.Response]:
    seen: list[requests.Response] = []
    client.session.hooks["response"].append(lambda r, *a, **k: seen.append(r))
    return seen


def test_all_resources_conform(client, server, recorded) -> None:
    client.ping()
    client.station()
    page = client.vacancy_changes(None, None, None, limit=3)
    client.vacancy_changes(None, page.next_cursor, None, limit=3)
    full = client.vacancy_changes(None, None, None)
    client.vacancy_changes(full.server_time, None, full.etag)          # 304
    server.store.delete_vacancy("T-0002")
    client.vacancy_changes(full.server_time, None, None)               # with deleted_ids
    client.vacancy("T-0001")
    client.lookup_jobseeker(ID_NUMBER)
    client.register_jobseeker(registration(), key())
    client.register_jobseeker(registration(), key())
    client.lookup_jobseeker(ID_NUMBER)
    made = client.create_referral(referral(1), key())
    client.referral_status(made.referral_id)
    client.policies()
    client.courses()
    client.create_assistance_request(assistance(), key())
    server.store.queue_settings("GD-TEST-0001", {"session.idle_timeout_s": 90})
    server.store.queue_notice("GD-TEST-0001", "维护通知")
    client.heartbeat(heartbeat())
    failures = [lambda: client.vacancy("NOPE"),
                lambda: client.referral_status("GD-TEST-0001-20261130-0404"),
                lambda: client.create_referral(referral(2, vacancy_id="NOPE"), key()),
                lambda: client.create_referral(referral(1), key()),
                lambda: client.register_jobseeker(dict(registration(), phone="1"), key()),
                lambda: client.vacancy_changes(None, "garbage", None)]
    for call in failures:
        with pytest.raises(PlatformError):
            call()
    statuses = {(r.request.method, _template(requests.utils.urlparse(r.url).path), r.status_code)
                for r in recorded}
    assert len(statuses) >= 18
    for resp in recorded:
        check(resp)


def test_auth_problem_conforms(server) -> None:
    check(requests.get(server.base_url + "/policies", timeout=5))


def test_request_examples_conform_and_bad_ones_do_not() -> None:
    for name, body in [("RegistrationRequest", registration()), ("ReferralRequest", referral()),
                       ("AssistanceRequest", assistance()), ("HeartbeatRequest", heartbeat())]:
        validator = _validator("/components/schemas/" + name, LOOSE_REGISTRY)
        assert not list(validator.iter_errors(body)), name
        assert list(validator.iter_errors(dict(body, unexpected=1))), name
    bad = referral()
    bad["referral_id"] = "gd-lower-20261130-7"
    assert list(_validator("/components/schemas/ReferralRequest",
                           LOOSE_REGISTRY).iter_errors(bad))


def test_every_sandbox_route_is_in_the_contract_and_back(server) -> None:
    routes = {(m, path) for m, path in server.platform.operations() if path.startswith("/v1/")}
    documented = {(m.upper(), "/v1" + p) for p, ops in DOC["paths"].items() for m in ops}
    assert routes == documented


def test_contract_is_openapi_31_with_problem_errors() -> None:
    assert DOC["openapi"].startswith("3.1")
    for template, ops in DOC["paths"].items():
        for op in ops.values():
            for status, spec in op["responses"].items():
                if int(status) >= 400:
                    assert spec["$ref"].startswith("#/components/responses/"), (template, status)
