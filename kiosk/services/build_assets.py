"""Build-time assets: the English gettext catalog (``msgfmt``) and voice prompts (espeak-ng).

Run by ``scripts/setup.sh``: ``python -m kiosk.services.build_assets``. Both outputs are
derived files (git-ignored). Missing tools are reported, not fatal: the UI falls back to
reading the ``.po`` directly, and a prompt without audio is simply not played.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.services.voice_prompts import PROMPTS, SOUNDS_DIR

LOCALE_DIR = Path(__file__).resolve().parents[2] / "assets" / "locale"
VOICES = {"zh_CN": "cmn", "en": "en-gb"}


def build_catalogs() -> list[Path]:
    """Compile every ``assets/locale/*/LC_MESSAGES/*.po`` to ``.mo``; returns the files written."""
    built: list[Path] = []
    if shutil.which("msgfmt") is None:
        print("msgfmt not found (apt-get install gettext): using .po fallback", file=sys.stderr)
        return built
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
        built.append(mo)
    return built


def build_voice_prompts() -> list[Path]:
    """Synthesise every prompt in :data:`PROMPTS` that has no audio file yet."""
    built: list[Path] = []
    if shutil.which("espeak-ng") is None:
        print("espeak-ng not found (apt-get install espeak-ng): prompts stay silent", file=sys.stderr)
        return built
    for language, voice in VOICES.items():
        folder = SOUNDS_DIR / language
        folder.mkdir(parents=True, exist_ok=True)
        for key, texts in PROMPTS.items():
            target = folder / f"{key}.wav"
            if target.exists():
                continue
            text = texts[0] if language == "zh_CN" else texts[1]
            subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(target), text],
                           check=True, capture_output=True)
            built.append(target)
    return built


def main() -> int:
    catalogs = build_catalogs()
    prompts = build_voice_prompts()
    print(f"built {len(catalogs)} catalog(s), {len(prompts)} voice prompt(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
