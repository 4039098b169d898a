"""`kiosk slip render` and `kiosk printer test/status` end to end (preview connector)."""

from __future__ import annotations

from pathlib import Path

from kiosk.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "assets" / "demo" / "referral.example.json"


def test_slip_render(tmp_path, capsys):
    out, png = tmp_path / "s.bin", tmp_path / "s.png"
    assert main(["slip", "render", "--referral", str(EXAMPLE), "--paper", "80",
                 "--out", str(out), "--png", str(png)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\x1b@\x1bR\x00\x1bt\x00\x1c&") and png.stat().st_size > 0
    assert f"{len(data)} bytes" in capsys.readouterr().out


def test_slip_render_bad_referral(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"referral_id": "x"}', encoding="utf-8")
    assert main(["slip", "render", "--referral", str(bad), "--paper", "58",
                 "--out", str(tmp_path / "o.bin")]) == 1
    assert "station" in capsys.readouterr().err


def _site(tmp_path) -> str:
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_path}"\n', encoding="utf-8")
    return str(site)


def test_printer_test_and_paper_end(tmp_path, capsys):
    assert main(["--config", _site(tmp_path), "printer", "test"]) == 0
    out = capsys.readouterr().out
    assert "status before: online — 打印机正常" in out and "preview:" in out
    assert main(["--config", _site(tmp_path), "printer", "test", "--simulate", "paper_end"]) == 1
    assert "打印纸已用完" in capsys.readouterr().err
