"""Fixtures: a real sandbox platform on loopback, seeded from tests/platform/fixtures."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator

import pytest

from kiosk.platform.client import PlatformClient
from kiosk.platform.sandbox.app import build_sandbox
from kiosk.platform.sandbox.embedded import SandboxServer
from kiosk.platform.sandbox.seed import seed_demo
from tests.platform.sandbox_payloads import SECRET, TERMINAL

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
STATION = {"name": "天河区天河南街道就业驿站", "name_en": "Tianhenan", "division_code": "440106",
           "address": "广州市天河区天河南二路 示例地址", "hotline": "020-12345678",
           "complaint": "12333", "opening_hours": "24小时", "latitude": 23.1365,
           "longitude": 113.324}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    platform = build_sandbox(":memory:")
    platform.store.provision_terminal(TERMINAL, SECRET, STATION)
    seed_demo(platform.store, FIXTURES / "vacancies.json", FIXTURES / "content.json")
    with SandboxServer(platform).start() as srv:
        yield srv


@pytest.fixture
def client(server: SandboxServer) -> Iterator[PlatformClient]:
    with PlatformClient(server.base_url, TERMINAL, SECRET, connect_timeout_s=2,
                        read_timeout_s=3, backoff_factor=0.01) as c:
        yield c
