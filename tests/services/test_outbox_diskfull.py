"""A full disk during enqueue: typed error, nothing half-written, the database intact.

Two ways to fill the storage: SQLite's own ``max_page_count`` (SQLITE_FULL, as ENOSPC gives)
in-process, and a real file-size limit (``RLIMIT_FSIZE``: the kernel refuses writes past it
with EFBIG) in a child process, so the test process itself is never limited.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.services.outbox import Outbox, StorageFull
from kiosk.settings import OutboxSettings

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")


def _assert_intact(db: Path, key: Path, expected_items: int) -> None:
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("SELECT COUNT(*) FROM outbox_items").fetchone()[0] == expected_items
    raw.close()
    box = Outbox(db, key, OutboxSettings(), check=None)
    seqs = []
    while (claimed := box.claim_next()) is not None:  # every payload decrypts
        seqs.append(claimed.payload["seq"])
    assert seqs == list(range(expected_items))
    box.close()


def test_database_size_limit_gives_storage_full_and_keeps_the_file(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db", tmp_path / "o.key", OutboxSettings(), check=None)
    with box.transaction() as conn:
        pass
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 12}")
    stored = 0
    with pytest.raises(StorageFull) as caught:
        for seq in range(1000):
            box.enqueue("registration", {"seq": seq, "cv": "简历" * 1500})
            stored += 1
    assert 1 <= stored < 12
    assert caught.value.reason == "disk or database size limit full (SQLITE_FULL)"
    assert "终端存储空间已满" in str(caught.value)
    assert box.status().pending == stored
    # a failed receipt number is not used up
    conn.execute("PRAGMA max_page_count = 1000000")
    receipt = box.enqueue("registration", {"seq": stored})
    assert receipt.receipt_no.endswith(f"-{stored + 1:04d}")
    box.close()
    _assert_intact(tmp_path / "o.db", tmp_path / "o.key", stored + 1)


CHILD = textwrap.dedent("""
    import json, os, resource, signal, sys
    from pathlib import Path
    from kiosk.services.outbox import Outbox, StorageFull
    from kiosk.settings import OutboxSettings
    folder, limit = Path(sys.argv[1]), int(sys.argv[2])
    box = Outbox(folder / "o.db", folder / "o.key", OutboxSettings(), check=None)
    for seq in range(3):
        box.enqueue("registration", {"seq": seq})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    seq, error = 3, None
    try:
        while seq < 10000:
            box.enqueue("registration", {"seq": seq, "cv": os.urandom(3000).hex()})
            seq += 1
    except StorageFull as exc:
        error = {"type": type(exc).__name__, "reason": exc.reason, "text": str(exc)}
    status = box.status().pending
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))  # the technician freed space
    box.enqueue("registration", {"seq": seq})
    print(json.dumps({"stored": seq, "error": error, "pending_after_error": status}))
""")


@pytest.mark.parametrize("limit", [150_000, 400_001])
def test_file_size_limit_during_enqueue_in_a_child(tmp_path: Path, limit: int) -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), str(limit)],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["error"]["type"] == "StorageFull"
    assert report["error"]["reason"].startswith(f"file size limit of {limit} bytes reached")
    assert "终端存储空间已满" in report["error"]["text"]
    assert report["pending_after_error"] == report["stored"]
    assert 3 <= report["stored"] < 10000
    _assert_intact(tmp_path / "o.db", tmp_path / "o.key", report["stored"] + 1)
