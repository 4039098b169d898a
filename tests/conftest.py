"""Test-wide fixtures: a private Xvfb display (UI tests need X + GLX), temporary settings, and
the ``slow`` marks of the fast lane.

Lanes: the README test command runs everything (``-m ui`` beside ``-m "not ui"``); the fast
lane for developers, ``pytest -m "not ui and not slow"``, leaves out what :data:`SLOW` names
here (and tests marked ``@pytest.mark.slow`` in their own file). Its budget is 60 s on a 2-core
machine: a test that takes a second or more (a subprocess per case, a real data set, a soak
loop, a server, contract fuzzing, scrypt) belongs in :data:`SLOW`, with its reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# ../shared/data beside the repository; KIOSK_SHARED_DATA points elsewhere (e.g. from a worktree).
SHARED_DATA = Path(os.environ.get("KIOSK_SHARED_DATA") or REPO.parent / "shared" / "data")
ARTIFACTS = REPO / "tests" / "artifacts"


def _start_xvfb() -> subprocess.Popen | None:
    if shutil.which("Xvfb") is None:
        return None
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1920x24",
         "+extension", "GLX", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        return None
    os.environ["DISPLAY"] = f":{number}"
    return proc


_XVFB: subprocess.Popen | None = None

#: Test files or node ids (prefixes) marked ``slow``, each with why it takes seconds.
SLOW: dict[str, str] = {
    "tests/bench/test_endurance_short.py": "24 sessions with faults (platform outage waits)",
    "tests/contract/": "schemathesis over every operation, stateful sequences",
    "tests/deploy/": "builds and installs the Debian package",
    "tests/services/test_catalog_matching.py": "imports the real 13,296-row vacancy file",
    "tests/services/test_catalog_search.py": "recall against brute force on the real data",
    "tests/services/test_gig_board_search.py": "the 零工 board against a scan over the real data",
    "tests/services/test_catalog_ranking_plans.py": "exhaustive rankings over large catalogs",
    "tests/services/test_catalog_cli.py": "CLI subprocesses importing CSV files",
    "tests/services/test_pinyin_readings.py": "pypinyin's full phrase dictionary, in two subprocesses",
    "tests/unit/test_failsafe_cli.py": "one `kiosk` subprocess per bad input",
    "tests/unit/test_doctor.py": "`kiosk doctor` subprocesses",
    "tests/unit/test_font_compaction.py": "subsets the system CJK font; compaction children",
    "tests/unit/test_fan_out.py": "a hundred full garbage collections beside an allocating thread",
    "tests/unit/test_doctor_maintenance.py": "a simulated reader and printer on ptys per test",
    "tests/platform/test_embedded_and_seed.py": "sandbox servers in subprocesses",
    "tests/platform/test_casework_cli.py": "CLI subprocesses against a sandbox",
    "tests/services/test_outbox_sandbox.py": "outbox delivery through outages",
    "tests/services/test_outbox_diskfull.py": "children writing until a size limit",
    "tests/services/test_outbox_crash.py": "SIGKILL trials in child processes",
    "tests/services/test_journey_services.py::test_registration_offline_gets_a_receipt_and_is_delivered_later":
        "waits for the outbox after an outage",
    "tests/services/test_outbox_store.py::test_no_plaintext_personal_data_in_database_files":
        "byte scans in four encodings",
    "tests/unit/test_message_catalog.py": "runs xgettext/msgfmt over every source file",
    "tests/unit/test_pin.py::test_lockout_survives_a_restart": "scrypt hashes",
    "tests/unit/test_pin.py::test_five_wrong_pins_lock_for_a_growing_period": "scrypt hashes",
    "tests/devices/test_idcard_reader.py::test_wire_faults_the_driver_absorbs": "wire-speed pty timing",
    "tests/devices/test_idcard_reader.py::test_sam_faults_are_typed_with_status": "wire-speed pty timing",
    "tests/devices/test_scanner_cli.py": "`kiosk scanner` subprocesses on ptys",
    "tests/platform/test_retry_after.py": "waits out a Retry-After",
    "tests/platform/test_faults.py::test_retry_after_is_honoured": "waits out a Retry-After",
    "tests/quality/test_monitoring.py::test_promtool_check_and_unit_tests": "promtool subprocesses",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow = pytest.mark.slow
    for item in items:
        node = item.nodeid
        if any(node.startswith(prefix) for prefix in SLOW):
            item.add_marker(slow)


def pytest_configure(config: pytest.Config) -> None:
    global _XVFB
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    if not os.environ.get("DISPLAY"):
        _XVFB = _start_xvfb()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _XVFB is not None:
        _XVFB.terminate()
        _XVFB.wait(timeout=10)


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the repository (real data sets; never copied into the repo)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def site_config(tmp_path: Path):
    """Write a site TOML overriding the defaults; returns a function(text) -> Path."""

    def write(text: str) -> Path:
        path = tmp_path / "site.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _sync_in_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests sync the catalog inside the test process: a child per sync (``[catalog]
    sync_process``, :mod:`kiosk.services.catalog.sync_job`) costs ~1 s of CPU each on the
    CI's 2 cores. Tests marked ``sync_process`` (tests/services/test_sync_job.py) take the
    child path that ``kiosk run`` takes."""
    if request.node.get_closest_marker("sync_process") is None:
        import kiosk.bootstrap

        monkeypatch.setattr(kiosk.bootstrap, "sync_job_for", lambda _services: None)
