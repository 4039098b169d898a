"""The private escpos capabilities cache (issue 23, start-up): written through a temporary
folder and renamed into place, then read from the cache on the next start."""

from __future__ import annotations

import os

from kiosk.devices.printer import escpos_cache


def test_first_start_publishes_then_the_next_reads_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(escpos_cache.ENV, raising=False)
    cache = tmp_path / "escpos"
    first = escpos_cache.prepare(cache)
    assert first is not None and first != cache and os.environ[escpos_cache.ENV] == str(first)
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    (first / escpos_cache._pickle_name()).write_bytes(b"pickled")   # what escpos writes
    escpos_cache.publish()
    assert (cache / escpos_cache._pickle_name()).read_bytes() == b"pickled"
    assert not first.exists()
    # the setting was for the import only: a child process inherits nothing
    assert escpos_cache.ENV not in os.environ
    assert escpos_cache.prepare(cache) == cache and os.environ[escpos_cache.ENV] == str(cache)
    escpos_cache.publish()
    assert escpos_cache.ENV not in os.environ


def test_a_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.delenv(escpos_cache.ENV, raising=False)
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert escpos_cache.prepare(shared) is None and escpos_cache.ENV not in os.environ


def test_an_operator_setting_wins(tmp_path, monkeypatch):
    monkeypatch.setenv(escpos_cache.ENV, str(tmp_path))
    assert escpos_cache.prepare(tmp_path / "other") == tmp_path
    escpos_cache.publish()
    assert os.environ[escpos_cache.ENV] == str(tmp_path)     # theirs, kept


def test_nothing_written_leaves_no_dangling_setting(tmp_path, monkeypatch):
    monkeypatch.delenv(escpos_cache.ENV, raising=False)
    first = escpos_cache.prepare(tmp_path / "escpos")
    assert first is not None
    escpos_cache.publish()   # escpos wrote nothing (e.g. it was imported before prepare)
    assert not first.exists() and escpos_cache.ENV not in os.environ


def test_a_child_process_imports_escpos_after_a_first_start(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.delenv(escpos_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code = ("from kiosk.devices.printer import escpos_cache; escpos_cache.prepare(); "
            "import escpos.capabilities; escpos_cache.publish(); import subprocess, sys; "
            "sys.exit(subprocess.run([sys.executable, '-c', 'import escpos.printer']).returncode)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
