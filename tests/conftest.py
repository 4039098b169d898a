"""Test-wide fixtures: a private Xvfb display (UI tests need X + GLX), temporary settings."""

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
