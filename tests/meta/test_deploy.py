"""deploy/ files are well-formed: the systemd unit verifies, udev rules parse, scripts are sh."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULE_PAIR = re.compile(r'^\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|:=|=)\s*"([^"]*)"\s*$')
UDEV_KEYS = {"SUBSYSTEM", "KERNEL", "ATTRS", "ATTR", "ENV", "GROUP", "MODE", "SYMLINK", "OWNER"}


def _render_unit(tmp_path: Path) -> Path:
    text = (DEPLOY / "kiosk.service").read_text(encoding="utf-8")
    home = tmp_path / "kiosk"
    (home / "deploy").mkdir(parents=True)
    script = home / "deploy" / "kiosk-session.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    rendered = tmp_path / "kiosk.service"
    rendered.write_text(text.replace("@KIOSK_HOME@", str(home))
                        .replace("@KIOSK_CONFIG@", "/etc/kiosk/site.toml"), encoding="utf-8")
    return rendered


def test_unit_has_restart_and_runs_unprivileged(tmp_path):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(_render_unit(tmp_path))
    service = parser["Service"]
    assert service["Restart"] == "always"
    assert service["User"] == "kiosk"
    assert "xinit" in service["ExecStart"] and "-dpms" in service["ExecStart"]
    assert parser["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify(tmp_path):
    unit = _render_unit(tmp_path)
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                            text=True, timeout=60)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if "kiosk.service" in line]
    assert problems == [], result.stderr


def test_udev_rules_parse():
    for number, line in enumerate((DEPLOY / "99-kiosk.rules").read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for pair in line.split(", "):
            match = RULE_PAIR.match(pair)
            assert match, f"line {number}: cannot parse {pair!r}"
            assert match.group(1).split("{")[0] in UDEV_KEYS, f"line {number}: {pair}"
        assert 'GROUP="kiosk"' in line or 'GROUP="input"' in line


def test_shell_scripts_parse():
    for script in ("kiosk-session.sh", "install.sh"):
        result = subprocess.run(["sh", "-n", str(DEPLOY / script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
