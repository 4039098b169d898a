"""The package's own files, without building it: maintainer scripts parse, the shipped site
file is a valid configuration, the version comes from pyproject.toml, wheel-tag glibc levels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import build_deb  # noqa: E402 - packaging/ is not a package

SCRIPTS = ("preinst", "postinst", "prerm", "postrm")


@pytest.mark.parametrize("script", SCRIPTS)
def test_maintainer_scripts_are_posix_sh(script):
    path = REPO / "packaging" / "debian" / script
    assert path.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    result = subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_command_wrapper_and_build_script_parse():
    for path in (REPO / "packaging" / "kiosk-command", REPO / "scripts" / "build-deb"):
        result = subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_shipped_site_file_is_valid_and_points_at_var_lib():
    settings = load_settings(REPO / "packaging" / "site.toml")
    assert settings.paths.data_dir == "/var/lib/gd-employment-kiosk"
    assert settings.card_reader.port == "/dev/idcard"
    assert settings.platform.secret_file == "/etc/gd-employment-kiosk/device.secret"


def test_version_comes_from_pyproject():
    assert build_deb.project_version() == __version__


def test_unit_is_rendered_for_the_package():
    unit = build_deb.render_unit()
    assert "@KIOSK" not in unit
    assert "WorkingDirectory=/opt/gd-employment-kiosk" in unit
    assert "Environment=KIOSK_CONFIG=/etc/gd-employment-kiosk/site.toml" in unit


def test_glibc_floor_from_wheel_tags(tmp_path):
    for name, tags in (("a", ["cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64"]),
                       ("b", ["cp311-abi3-manylinux_2_34_x86_64"]), ("c", ["py3-none-any"])):
        folder = tmp_path / f"{name}-1.dist-info"
        folder.mkdir()
        (folder / "WHEEL").write_text("".join(f"Tag: {t}\n" for t in tags), encoding="utf-8")
    assert build_deb.min_glibc(tmp_path) == (2, 34)


def test_missing_wheels_are_found_by_name_and_version(tmp_path):
    (tmp_path / "Kivy-2.3.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl").touch()
    missing = build_deb.missing_wheels(tmp_path)
    assert "kivy[base]==2.3.1" not in missing and "pyserial==3.5" in missing
