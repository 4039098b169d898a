"""The vacancy sync in a child process (``kiosk.services.catalog.sync_job``): the same rows as a
sync in the kiosk process, the index rebuilt from them, and every failure a typed error with the
watermark unchanged (issue 23: what a sync decodes leaves with the child)."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.bootstrap import build_services, sync_job_for
from kiosk.services.catalog.errors import CatalogDatabaseError
from kiosk.services.catalog.sync_job import SyncJobFailed, run_sync_job
from kiosk.settings import load_settings

pytestmark = pytest.mark.sync_process


def _services(folder, sync_process: bool):
    folder.mkdir()
    site = folder / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{folder}"\n'
                    f"[catalog]\nsync_process = {'true' if sync_process else 'false'}\n",
                    encoding="utf-8")
    return build_services(load_settings(site, environ={}), devices=False)


@pytest.fixture
def pair(tmp_path):
    child, inline = _services(tmp_path / "child", True), _services(tmp_path / "inline", False)
    yield child, inline
    child.stop()
    inline.stop()


def test_a_sync_in_the_child_writes_what_a_sync_in_process_writes(pair):
    child, inline = pair
    assert sync_job_for(child) is not None and sync_job_for(inline) is None
    report, expected = child.sync_catalog(), inline.sync_catalog()
    assert report.upserted == expected.upserted == child.catalog.count() > 0
    assert not report.not_modified and report.pages == expected.pages
    assert child.catalog.last_synced_at() is not None
    assert child.catalog.meta("updated_since") == report.server_time
    assert child.catalog.search("").total == report.upserted
    found = 0
    for query in ("保洁", "baojie", "bj", "深圳", "广州"):  # the rebuilt index answers the same
        found += len(child.catalog.search(query).items)
        assert ([h.vacancy.id for h in child.catalog.search(query).items]
                == [h.vacancy.id for h in inline.catalog.search(query).items]), query
    assert found > 0
    again = child.sync_catalog()                        # the platform's etag: nothing changed
    assert again.upserted == 0 and child.catalog.count() == report.upserted


def test_an_unreachable_platform_is_a_platform_error_and_moves_no_watermark(pair):
    child, _ = pair
    job = dataclasses.replace(sync_job_for(child), base_url="http://127.0.0.1:9/v1",
                              connect_timeout_s=0.5, read_timeout_s=0.5)
    with pytest.raises(SyncJobFailed) as failed:
        run_sync_job(job, timeout_s=60)
    assert failed.value.kind == "platform"
    assert failed.value.error_type == "PlatformUnavailable"
    assert child.catalog.meta("updated_since") is None and child.catalog.count() == 0



def test_a_running_sync_child_is_terminated_when_the_kiosk_stops(pair):
    """`kiosk run` must stop within 5 s; a first sync takes seconds: its child is terminated."""
    import socket
    import threading
    import time

    from kiosk.services.catalog.sync_job import cancel_running_jobs

    child, _ = pair
    silent = socket.socket()                    # accepts into its backlog, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    job = dataclasses.replace(sync_job_for(child),
                              base_url=f"http://127.0.0.1:{silent.getsockname()[1]}/v1",
                              connect_timeout_s=30, read_timeout_s=30)
    outcome: list[BaseException] = []

    def sync() -> None:
        try:
            run_sync_job(job, timeout_s=60)
        except SyncJobFailed as exc:
            outcome.append(exc)

    thread = threading.Thread(target=sync)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while cancel_running_jobs() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)                    # until the child is running, then terminate it
        asked = time.monotonic()
        thread.join(10)
        assert not thread.is_alive() and time.monotonic() - asked < 5.0
    finally:
        silent.close()
    assert [(e.kind, e.error_type) for e in outcome] == [("job", "exit")]
    assert child.catalog.meta("updated_since") is None and child.catalog.count() == 0

def test_a_missing_secret_and_an_unwritable_catalog_are_typed_errors(pair, tmp_path):
    child, _ = pair
    job = sync_job_for(child)
    with pytest.raises(SyncJobFailed) as failed:
        run_sync_job(dataclasses.replace(job, secret_file=str(tmp_path / "none.secret")), 60)
    assert (failed.value.kind, failed.value.error_type) == ("platform", "DeviceSecretError")
    with pytest.raises(CatalogDatabaseError):
        run_sync_job(dataclasses.replace(job, db=str(tmp_path)), 60)   # a folder, not a file


def test_a_test_double_for_the_client_syncs_in_process(pair):
    child, _ = pair

    class FakeFeed:
        base_url = "http://fake/v1"

    real = child.client
    child.client = FakeFeed()
    try:
        assert sync_job_for(child) is None
    finally:
        child.client = real
