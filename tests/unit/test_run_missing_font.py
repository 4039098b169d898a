"""``kiosk run`` with no usable UI font ends with one Chinese line and status 1, before Kivy
opens a window (the fonts are resolved in the background, kiosk.services.cjk_font)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_missing_font_ends_the_start_with_one_line_and_no_window(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                    f'[display]\nfont_path = "{tmp_path / "no-such-font.ttc"}"\n',
                    encoding="utf-8")
    env = {**os.environ, "KIOSK_CONFIG": str(site)}
    env.pop("DISPLAY", None)  # no X server: opening a window would fail differently
    done = subprocess.run([sys.executable, "-m", "kiosk", "run"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[-1] == (f"未找到简体中文字体 no Simplified-Chinese font: display.font_path "
                         f"{tmp_path / 'no-such-font.ttc'} does not exist")
    assert "Traceback" not in done.stderr
    assert "window" not in done.stderr.lower()  # Kivy never tried to open one
