"""Fixtures of the contract test: one running sandbox and a session that signs like the kiosk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from kiosk.platform.sandbox.app import build_sandbox
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.sandbox.seed import seed_demo
from tests.contract.signing import signed_session
from tests.platform.conftest import FIXTURES, STATION
from tests.platform.sandbox_payloads import SECRET, TERMINAL


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """The sandbox platform on a free loopback port, the test terminal provisioned and seeded."""
    platform = build_sandbox(":memory:")
    platform.store.provision_terminal(TERMINAL, SECRET, STATION)
    seed_demo(platform.store, FIXTURES / "vacancies.json", FIXTURES / "content.json")
    with SandboxServer(platform).start() as srv:
        yield srv


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    """Every request (and every one a check re-sends) signed by the kiosk's HmacAuth."""
    with signed_session(TERMINAL, SECRET) as s:
        yield s
