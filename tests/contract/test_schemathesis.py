"""Property-based contract test: schemathesis drives every operation of docs/openapi.yaml.

Each operation in the document becomes one test (``test_operation[GET /vacancies]`` …), found
by ``schema.parametrize()``: a new endpoint is covered by adding it to ``docs/openapi.yaml``
and the sandbox, nothing here. Requests are signed with the kiosk's HMAC scheme
(:mod:`tests.contract.signing`). Generation is deterministic (fixed seed, ``derandomize``,
no example database) with :data:`EXAMPLES` examples per operation in each of the positive and
negative modes, and every standard check runs except the ones named in :data:`EXCLUDED`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
import schemathesis
import yaml
from schemathesis.specs.openapi.checks import ignored_auth

from kiosk.domain import credit_code
from kiosk.platform.sandbox.context import parse_rfc3339
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.submissions import (ApplicationRequest, carries_sensitive,
                                        sensitive_consent_given)
from tests.platform.sandbox_payloads import TERMINAL

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
SEED = 20261201
EXAMPLES = 60
CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"max-examples": EXAMPLES, "mode": "all",
                   "deterministic": True, "database": "none"},
    "operations": [{
        # `cursor` is opaque: any string is schema-valid, but only one this server made names a
        # sync position. docs/openapi.yaml documents the answer to any other as
        # 400 invalid_sync_position, so 400 counts as an accepted outcome here (only here).
        "include-name": "GET /vacancies",
        "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]}},
    }, {
        # The phone's form: a hand-off's max_chars is chosen when it is created (≤ the schema's
        # 2000), so text within the schema can still be over this hand-off's limit;
        # docs/openapi.yaml documents that answer as 422 with the typed text given back.
        "include-name": "POST /text-handoffs/{handoff_id}/page",
        "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}},
    }],
})
schema = schemathesis.openapi.from_path(DOC, config=CONFIG)

EXCLUDED = [
    # ignored_auth probes whether the server still answers 2xx when schemathesis drops or
    # scrambles X-Kiosk-Signature; here the signing session re-signs every request it sends,
    # probes included, so the probe cannot observe enforcement. Signature enforcement is
    # tested by test_signing_hook.py and tests/platform/test_signing.py instead.
    ignored_auth,
]
ISSUED_AT = "2026-11-30T02:15:00Z"
VALID_CREDIT_CODE = "91440101MA5CJQ4N59"
_REFERRAL_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]*-(\d{8}-\d{4})$")


@schema.hook("map_body")
def referral_rules_in_words(context: schemathesis.HookContext, body: Any) -> Any:
    """Two rules of ``ReferralRequest`` that JSON Schema cannot state (docs/openapi.yaml says them
    in words): the id starts with the calling terminal's id, and ``issued_at`` is not more than a
    day ahead of server time. Well-formed generated values are made to follow them; malformed
    ones (negative cases) are left alone."""
    if context.operation is None or context.operation.label != "POST /referrals":
        return body
    if not isinstance(body, dict):
        return body
    rid = body.get("referral_id")
    if isinstance(rid, str) and len(rid) <= 64 and (m := _REFERRAL_ID.match(rid)):
        body["referral_id"] = f"{TERMINAL}-{m.group(1)}"
    issued = body.get("issued_at")
    if isinstance(issued, str):
        try:
            ahead = parse_rfc3339(issued) > datetime.now(UTC) + timedelta(hours=12)
        except ValueError:
            ahead = False
        if ahead:
            body["issued_at"] = ISSUED_AT
    return body


_SENSITIVE_CONSENT = {"version": "sensitive-v1", "text_sha256": "0" * 64,
                      "accepted_at": "2026-12-01T10:00:00Z", "purposes": ["sensitive_key_group"]}


@schemathesis.hook("before_call")
def sensitive_answers_carry_their_consent(context: schemathesis.HookContext,
                                          case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    """An application with sensitive answers needs ``sensitive_consent`` with the purpose
    ``sensitive_key_group`` (PIPL Art. 29; a cross-field rule docs/openapi.yaml states in words):
    schema-valid bodies that carry sensitive answers get such a consent before they are sent
    (``before_call``, so examples of every generation phase are covered; invalid bodies are
    left as they are)."""
    if case.operation.label != "POST /applications" or not isinstance(case.body, dict):
        return
    try:
        parsed = ApplicationRequest.model_validate(case.body)
    except ValueError:
        return
    if carries_sensitive(parsed.root) and not sensitive_consent_given(parsed.root):
        case.body["sensitive_consent"] = dict(_SENSITIVE_CONSENT)


@schemathesis.hook("before_call")
def posting_rules_in_words(context: schemathesis.HookContext, case: schemathesis.Case,
                           kwargs: dict[str, Any]) -> None:
    """The licence-code rule of ``PostingRequest`` (docs/openapi.yaml, in words): a ``unit``
    gives a code whose check character holds, an ``individual`` none. Well-formed generated
    codes get their check character fixed (or a valid one / none); malformed bodies are left.
    ``before_call``, as for the consent above: a ``map_body`` hook missed the examples of some
    generation phases (run alone, ``-k posting`` sent a unit with an empty code and failed)."""
    if case.operation.label != "POST /employer-postings" or not isinstance(case.body, dict):
        return
    employer = case.body.get("employer")
    if not isinstance(employer, dict):
        return
    code = employer.get("credit_code", "")
    if employer.get("kind") == "individual" and isinstance(code, str):
        employer["credit_code"] = ""
    elif employer.get("kind") == "unit" and isinstance(code, str):
        if len(code) == 18 and all(c in credit_code.ALPHABET for c in code):
            employer["credit_code"] = code[:17] + credit_code.credit_check_char(code[:17])
        elif len(code) == 15 and code.isdigit() and code.isascii():
            employer["credit_code"] = code[:14] + credit_code.mod11_10_check_digit(code[:14])
        elif code == "":
            employer["credit_code"] = VALID_CREDIT_CODE


@schema.parametrize()
def test_operation(case: schemathesis.Case, sandbox: SandboxServer,
                   session: requests.Session) -> None:
    case.call_and_validate(base_url=sandbox.base_url, session=session,
                           excluded_checks=EXCLUDED)



def _operations() -> list[tuple[str, re.Pattern[str]]]:
    doc = yaml.safe_load(DOC.read_text(encoding="utf-8"))
    return [(method.upper(), re.compile("^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"))
            for path, item in doc["paths"].items() for method in item
            if method in ("get", "put", "post", "delete", "patch")]


def test_every_documented_operation_reached_the_server(sandbox: SandboxServer) -> None:
    """Runs after test_operation (same module sandbox): no operation was skipped or filtered
    away entirely; each got requests (operations without inputs get only a few)."""
    arrivals = sandbox.faults.arrivals
    for method, pattern in _operations():
        hits = sum(n for (m, path), n in arrivals.items() if m == method and pattern.match(path))
        assert hits >= 1, f"{method} {pattern.pattern} never reached the sandbox"
