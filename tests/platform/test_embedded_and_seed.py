"""The embedded sandbox (demo mode), `kiosk sandbox serve`, and seeding from demo JSON / CSV."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from kiosk.domain.china_time import china_now
from kiosk.platform.client import build_client
from kiosk.platform.credentials import DeviceSecretError, load_device_secret
from kiosk.platform.errors import PlatformError, PlatformUnavailable
from kiosk.platform.sandbox.background import BackgroundSandbox
from kiosk.platform.sandbox.embedded import start_embedded_sandbox
from kiosk.platform.sandbox.seed import SeedError, csv_vacancies, demo_vacancies, seed_csv
from kiosk.platform.sandbox.store import Store
from kiosk.settings import PROJECT_ROOT, parse_settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
REPO = Path(__file__).resolve().parents[2]


def _settings(tmp_path: Path, demo: Path = FIXTURES / "vacancies.json"):
    return parse_settings({"paths": {"data_dir": str(tmp_path)},
                           "catalog": {"demo_data": str(demo)},
                           "station": {"terminal_id": "GD-EMB-0001"}})


def test_embedded_sandbox_provisions_seeds_once_and_serves(tmp_path) -> None:
    settings = _settings(tmp_path)
    started = time.monotonic()
    sandbox = start_embedded_sandbox(settings)
    first_start = time.monotonic() - started
    try:
        secret_file = tmp_path / "device.secret"
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
        assert len(load_device_secret(secret_file)) == 32
        assert sandbox.base_url.startswith("http://127.0.0.1:") and sandbox.base_url.endswith("/v1")
        with build_client(settings, base_url=sandbox.base_url) as client:
            st = client.station()
            assert (st.terminal_id, st.name, st.division_code) == \
                ("GD-EMB-0001", settings.station.name, settings.station.division_code)
            page = client.vacancy_changes(None, None, None)
            assert [v.id for v in page.items] == [f"T-000{i}" for i in range(1, 6)]
            assert [p.id for p in client.policies()] == ["P-T1", "P-T2"]
        version = sandbox.store.catalog_version()
    finally:
        sandbox.stop()
    # A bound against a hang, not a speed figure: start-up time is bench/bench_startup.py's
    # (a 1 s bound here failed whenever the two cores ran the other test lanes).
    assert first_start < 10.0
    started = time.monotonic()
    again = start_embedded_sandbox(settings)
    second_start = time.monotonic() - started
    try:
        assert again.store.catalog_version() == version          # not re-seeded
        assert again.store.vacancy_count() == 5
    finally:
        again.stop()
    assert second_start < 10.0



def test_a_background_sandbox_answers_what_was_sent_before_it_served(tmp_path) -> None:
    """`kiosk run`'s demo shape: listening at once, serving after start(); a request sent in
    between is queued by the kernel and answered, not refused."""
    settings = _settings(tmp_path)
    sandbox = BackgroundSandbox(settings, tmp_path / "sandbox.db")
    answers: list[str] = []
    try:
        assert not sandbox.started
        assert sandbox.base_url == sandbox.origin + "/v1"
        assert sandbox.origin.startswith("http://127.0.0.1:")
        with build_client(settings, base_url=sandbox.base_url) as client:   # secret made
            early = threading.Thread(target=lambda: answers.append(client.station().terminal_id))
            early.start()
            early.join(0.5)
            assert early.is_alive() and answers == []       # waiting for an answer
            sandbox.start()
            early.join(30)
        assert answers == ["GD-EMB-0001"]
        # The answer can come before the start's thread marks itself done: store waits.
        assert sandbox.store.vacancy_count() == 5 and sandbox.started
    finally:
        sandbox.stop()
    sandbox.stop()                                           # idempotent


def test_a_background_sandbox_that_cannot_start_leaves_the_kiosk_offline(tmp_path) -> None:
    settings = _settings(tmp_path)
    (tmp_path / "sandbox.db").mkdir()                        # not a database file
    sandbox = BackgroundSandbox(settings, tmp_path / "sandbox.db")
    try:
        with pytest.raises(PlatformUnavailable):
            sandbox.server(timeout_s=30)                     # starts it, waits, it failed
        assert sandbox.started
        with build_client(settings, base_url=sandbox.base_url) as client:
            with pytest.raises(PlatformUnavailable):
                client.station()                             # refused: offline, typed
    finally:
        sandbox.stop()


def test_a_background_sandbox_stopped_while_it_starts_stops_at_once_and_never_serves(
        tmp_path) -> None:
    settings = _settings(tmp_path)
    sandbox = BackgroundSandbox(settings, tmp_path / "sandbox.db")
    sandbox.start()
    asked = time.monotonic()
    sandbox.stop()                         # kiosk run's SIGTERM right after the buttons work
    assert time.monotonic() - asked < 1.0  # the start under way is not waited for
    deadline = time.monotonic() + 30
    while not sandbox.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandbox.started                 # it ended by itself, serving nothing
    with build_client(settings, base_url=sandbox.base_url) as client:
        with pytest.raises(PlatformUnavailable):
            client.station()

def test_embedded_sandbox_with_the_projects_demo_data(tmp_path) -> None:
    demo = PROJECT_ROOT / "assets" / "demo" / "vacancies.json"
    if not demo.exists():
        pytest.skip("assets/demo/vacancies.json not present yet")
    settings = _settings(tmp_path, demo)
    sandbox = start_embedded_sandbox(settings)
    try:
        with build_client(settings, base_url=sandbox.base_url) as client:
            items, cursor = [], None
            while True:
                page = client.vacancy_changes(None, cursor, None)
                items += page.items
                cursor = page.next_cursor
                if cursor is None:
                    break
            jobs = [v for v in items if v.kind == "job"]
            gigs = [v for v in items if v.kind == "gig"]
            assert len(jobs) == len(demo_vacancies(demo)) > 0
            # assets/demo/gigs.json: 4 gigs a day for 7 days around each of its 2 stations
            today = china_now().date().isoformat()
            assert len(gigs) == 56 and min(v.work_date for v in gigs) == today
            assert all(v.places_left >= 0 and v.start_time and v.settlement for v in gigs)
            assert client.courses()
    finally:
        sandbox.stop()


def test_build_client_needs_a_real_url_and_a_valid_secret(tmp_path) -> None:
    settings = _settings(tmp_path)
    with pytest.raises(PlatformError, match="embedded"):
        build_client(settings)
    with pytest.raises(DeviceSecretError):
        build_client(settings, base_url="http://127.0.0.1:9/v1")      # no secret file yet
    (tmp_path / "device.secret").write_text("not hex\n")
    with pytest.raises(DeviceSecretError, match="64 hex"):
        build_client(settings, base_url="http://127.0.0.1:9/v1")


def test_demo_seed_errors_are_typed(tmp_path) -> None:
    with pytest.raises(SeedError, match="file not found"):
        demo_vacancies(tmp_path / "missing.json")
    bad = tmp_path / "v.json"
    bad.write_text('{"vacancies": [{"id": "x", "nonsense": 1}]}', encoding="utf-8")
    with pytest.raises(SeedError, match="vacancy #0"):
        demo_vacancies(bad)


def test_csv_seed_maps_columns_divisions_and_education() -> None:
    csv_path = SHARED_DATA / "vacancies_clean.csv"
    if not csv_path.exists():
        pytest.skip("../shared/data/vacancies_clean.csv not available")
    rows = csv_vacancies(csv_path)
    first, second, _third, fourth = (next(rows) for _ in range(4))
    assert (first.title, first.city, first.district, first.division_code) == \
        ("Android开发工程师", "广州市", "番禺区", "440113")
    assert (first.salary_min, first.salary_max, first.salary_unit, first.education_code) == \
        (8000, 10000, "MONTH", "30")
    assert first.occupation_name == "Android开发工程师"
    assert (second.salary_min, second.salary_max) == (0, 0)          # not stated
    assert (fourth.city, fourth.district, fourth.division_code, fourth.education_code) == \
        ("珠海市", "", "4404", "20")
    store = Store(":memory:")
    assert seed_csv(store, csv_path, limit=250) == 250 and store.vacancy_count() == 250


def test_cli_serve_seeds_a_csv_and_answers(tmp_path) -> None:
    csv_path = SHARED_DATA / "vacancies_clean.csv"
    if not csv_path.exists():
        pytest.skip("../shared/data/vacancies_clean.csv not available")
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path}"\n[catalog]\n'
                    f'demo_data = "{FIXTURES / "vacancies.json"}"\n', encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(site), "sandbox", "serve", "--port", "0",
         "--seed", str(csv_path), "--limit", "100", "--db", str(tmp_path / "cli.db")],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        assert lines[0].strip() == f"seeded 100 vacancies from {csv_path}"
        base_url = lines[1].split()[2]
        assert "105 vacancies" in lines[1]
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(base_url + "/ping", timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "sandbox did not come up"
                time.sleep(0.05)
        settings = parse_settings({"paths": {"data_dir": str(tmp_path)}})
        with build_client(settings, base_url=base_url) as client:
            assert len(client.vacancy_changes(None, None, None, limit=1000).items) == 105
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _kiosk(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(site), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=60)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path}"\n[catalog]\n'
                    f'demo_data = "{FIXTURES / "vacancies.json"}"\n', encoding="utf-8")
    return site


def test_secret_holding_files_are_0600_in_a_0700_folder(tmp_path) -> None:
    data = tmp_path / "data"
    old_db = data / "sandbox.db"
    data.mkdir(mode=0o700)
    old_db.touch(mode=0o644)
    os.chmod(old_db, 0o644)                       # made by an older version
    settings = parse_settings({"paths": {"data_dir": str(data)},
                               "catalog": {"demo_data": str(FIXTURES / "vacancies.json")}})
    sandbox = start_embedded_sandbox(settings)
    try:
        for name in ("sandbox.db", "sandbox.token", "device.secret"):
            assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        token = (data / "sandbox.token").read_text(encoding="ascii").strip()
        assert token == sandbox.platform.admin_token and len(token) >= 32
        url = sandbox.origin + "/_sandbox/faults"
        assert requests.get(url, timeout=5).status_code == 401
        assert requests.get(url, headers={"X-Sandbox-Token": token}, timeout=5).ok
    finally:
        sandbox.stop()
    fresh = tmp_path / "fresh" / "deeper"
    settings = parse_settings({"paths": {"data_dir": str(fresh)},
                               "catalog": {"demo_data": str(FIXTURES / "vacancies.json")}})
    start_embedded_sandbox(settings).stop()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert stat.S_IMODE((fresh / "sandbox.db").stat().st_mode) == 0o600


def test_cli_faults_uses_the_shared_token(tmp_path) -> None:
    settings = parse_settings({"paths": {"data_dir": str(tmp_path)},
                               "catalog": {"demo_data": str(FIXTURES / "vacancies.json")}})
    sandbox = start_embedded_sandbox(settings)
    site = _site(tmp_path)
    try:
        done = _kiosk(site, "sandbox", "faults", "--url", sandbox.origin, "error_rate=1",
                      "error_status=429", "retry_after_s=7")
        assert done.returncode == 0, done.stderr
        assert (sandbox.faults.error_rate, sandbox.faults.retry_after_s) == (1, 7)
        bad = _kiosk(site, "sandbox", "faults", "--url", sandbox.origin, "error_rate=5")
        assert bad.returncode == 1 and "invalid_faults" in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
        other = tmp_path / "other"
        other.mkdir()
        lost = _kiosk(_site(other), "sandbox", "faults", "--url", sandbox.origin)
        assert lost.returncode == 1 and "sandbox.token" in lost.stderr
        assert len(lost.stderr.strip().splitlines()) == 1 and "Traceback" not in lost.stderr
    finally:
        sandbox.stop()
    gone = _kiosk(site, "sandbox", "faults", "--url", "http://127.0.0.1:9")
    assert gone.returncode == 1 and "not reachable" in gone.stderr and "Traceback" not in gone.stderr


@pytest.mark.parametrize("host", ["taken", "no-such-host.invalid", "[::1"])
def test_cli_serve_on_a_taken_port_or_bad_host_is_one_line(tmp_path, host) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["--host", "127.0.0.1" if host == "taken" else host, "--port", str(port)]
        done = _kiosk(_site(tmp_path), "sandbox", "serve", *args)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and len(lines) == 1
    assert lines[0].startswith("无法监听 cannot listen on")
