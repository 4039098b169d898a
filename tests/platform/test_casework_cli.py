"""``kiosk sandbox casework``: the casework switch from the command line (demo and technicians)."""

from __future__ import annotations

import json
import uuid

from kiosk.platform.client import build_client
from kiosk.platform.sandbox.embedded import start_embedded_sandbox
from kiosk.settings import parse_settings
from tests.platform.conftest import FIXTURES
from tests.platform.sandbox_payloads import application
from tests.platform.test_embedded_and_seed import _kiosk, _site


def test_cli_moves_a_case_and_refuses_a_wrong_move_in_one_line(tmp_path) -> None:
    settings = parse_settings({"paths": {"data_dir": str(tmp_path)},
                               "catalog": {"demo_data": str(FIXTURES / "vacancies.json")}})
    sandbox = start_embedded_sandbox(settings)
    site = _site(tmp_path)
    try:
        with build_client(settings, sandbox.base_url) as client:
            made = client.submit_application(application("unemployment_registration"),
                                             str(uuid.uuid4()))
            number = made.application_no
            moved = _kiosk(site, "sandbox", "casework", "--url", sandbox.origin, number,
                           "needs_materials", "--missing", "劳动合同解除证明", "--missing", "户口簿")
            assert moved.returncode == 0, moved.stderr
            shown = json.loads(moved.stdout)
            assert (shown["state"], shown["state_label"], shown["missing_items"]) == (
                "needs_materials", "需补充材料", ["劳动合同解除证明", "户口簿"])
            assert client.application(number).missing_items == ["劳动合同解除证明", "户口簿"]
            wrong = _kiosk(site, "sandbox", "casework", "--url", sandbox.origin, number,
                           "certified")
            assert wrong.returncode == 1 and "transition_invalid" in wrong.stderr
            assert len(wrong.stderr.strip().splitlines()) == 1 and "Traceback" not in wrong.stderr
    finally:
        sandbox.stop()
