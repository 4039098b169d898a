"""packaging/requirements.lock: the exact runtime packages of the .deb (issue 24).

* every ``[project].dependencies`` entry of pyproject.toml is pinned there, inside its range;
* arm64 readiness: every pin resolves to a wheel for manylinux aarch64 (CPython 3.11, the
  Python of Debian 12) or to a pure-Python wheel, at exactly the pinned version. This uses pip's
  cross-platform resolution in dry-run mode (``pip install --dry-run --target … --platform …
  --only-binary=:all: --no-deps --report``): PyPI is asked, no wheel is installed; pip's HTTP
  cache makes a repeat run fast. The same check for x86-64 shows the lock is complete for both.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "packaging" / "requirements.lock"
#: glibc of Debian 12 (2.36) and every older manylinux level down to manylinux2014 (2.17).
GLIBC_MINORS = range(36, 16, -1)


def locked() -> dict[str, tuple[str, Requirement]]:
    pins = {}
    for raw in LOCK.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{line}: the lock pins exact versions"
            pins[canonicalize_name(req.name)] = (spec.version, req)
    return pins


def test_every_dependency_is_pinned_inside_its_range():
    with (REPO / "pyproject.toml").open("rb") as fh:
        dependencies = tomllib.load(fh)["project"]["dependencies"]
    pins = locked()
    for entry in dependencies:
        req = Requirement(entry)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (pyproject.toml) is not in {LOCK.name}"
        version, pinned = pins[name]
        assert req.specifier.contains(version, prereleases=True), f"{name}=={version} outside {req.specifier}"
        assert set(req.extras) <= set(pinned.extras), f"{name}: extras {req.extras} not locked"


def _resolve(machine: str, tmp_path: Path) -> dict[str, str]:
    """``{name: wheel file name}`` pip picks for each pin on ``manylinux_*_{machine}``."""
    platforms = [arg for minor in GLIBC_MINORS for arg in ("--platform", f"manylinux_2_{minor}_{machine}")]
    report = tmp_path / f"{machine}.json"
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
           "--target", str(tmp_path / "target"), "--only-binary=:all:", "--implementation", "cp",
           "--python-version", "3.11", "--abi", "cp311", *platforms, "--platform", f"manylinux2014_{machine}",
           "--quiet", "--report", str(report), "-r", str(LOCK)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    missing = re.findall(r"No matching distribution found for (\S+)", result.stderr)
    assert result.returncode == 0, (f"no {machine} wheel for {missing}" if missing
                                    else result.stderr[-2000:])
    chosen = {}
    for item in json.loads(report.read_text())["install"]:
        filename = item["download_info"]["url"].rsplit("/", 1)[-1]
        chosen[canonicalize_name(item["metadata"]["name"])] = filename
    return chosen


@pytest.mark.slow
@pytest.mark.parametrize("machine", ["aarch64", "x86_64"])
def test_every_pin_has_a_wheel_for(machine, tmp_path):
    pins = locked()
    chosen = _resolve(machine, tmp_path)
    assert set(chosen) == set(pins)
    for name, filename in chosen.items():
        assert filename.endswith(".whl"), f"{name}: {filename} is not a wheel"
        wheel_name, version, _build, tags = parse_wheel_filename(filename)
        assert (canonicalize_name(wheel_name), str(version)) == (name, pins[name][0])
        platforms = {tag.platform for tag in tags}
        assert platforms == {"any"} or any(p.startswith("manylinux") and p.endswith(machine)
                                           for p in platforms), f"{filename}"
