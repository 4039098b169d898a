"""Pinyin readings without pypinyin's full phrase dictionary (issue 23: idle memory).

pypinyin reads a Han character by its most common reading unless a phrase in its phrase
dictionary says otherwise (重庆 → chongqing, 银行 → yinhang). That dictionary (47,000 phrases)
costs about 55 MB of RSS and ~0.8 s of import; only the phrases whose toneless reading differs
from the character-by-character default change what search indexes (about one in six). This
module turns the full dictionary off (``PYPINYIN_NO_PHRASES``, read by pypinyin when it is first
imported) and loads just those phrases from ``assets/pinyin/phrases.json`` (generated from the
installed pypinyin by ``python -m kiosk.services.pinyin_readings``; a test checks the file
matches the installed version and that the readings of the real vacancy titles are unchanged).

Import :func:`lazy_pinyin` and :data:`Style` from here, never from pypinyin directly, so the
switch is set before pypinyin loads. Raises nothing at import when the asset is missing (the
readings are then pypinyin's single-character defaults, and a warning is logged).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

PHRASES_FILE = Path(__file__).resolve().parents[2] / "assets" / "pinyin" / "phrases.json"

if "pypinyin" not in sys.modules:       # too late once loaded: it reads the switch at import
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

from pypinyin import Style, lazy_pinyin, load_phrases_dict  # noqa: E402
from pypinyin.constants import PHRASES_DICT  # noqa: E402

__all__ = ["Style", "lazy_pinyin", "differing_phrases", "PHRASES_FILE"]


def differing_phrases(phrases: dict[str, list[list[str]]],
                      single: dict[int, str]) -> dict[str, list[list[str]]]:
    """The phrases that change a toneless reading: those whose reading differs from reading
    each character by its first (most common) reading in ``single`` (pypinyin's
    ``pinyin_dict``: code point → "a,b"), plus — repeated until nothing changes — the phrases
    that keep pypinyin's segmentation from pairing a character with the next phrase in the
    table in another reading (增长 before 长方: without it, 增长方向 would read zengchang…)."""
    from pypinyin.style import convert as convert_style

    def toneless(readings: list[list[str]]) -> list[str]:
        return [str(convert_style(r[0], Style.NORMAL, strict=False)) for r in readings]

    plain = {phrase: toneless(readings) for phrase, readings in phrases.items()}
    table = {phrase for phrase, reading in plain.items()
             if reading != toneless([[single.get(ord(ch), "").split(",")[0]] for ch in phrase])}
    while True:
        by_prefix: dict[str, list[str]] = {}
        for q in table:
            for k in range(1, len(q)):
                by_prefix.setdefault(q[:k], []).append(q)
        added = {p for p in phrases if p not in table and any(
            plain[q][:k] != plain[p][len(p) - k:]
            for k in range(1, len(p)) for q in by_prefix.get(p[len(p) - k:], ()))}
        if not added:
            break
        table |= added
    return {phrase: [[r[0]] for r in phrases[phrase]] for phrase in sorted(table)}


def _load() -> None:
    if len(PHRASES_DICT) > 10_000:       # pypinyin loaded with its full dictionary already
        return
    try:
        phrases = json.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("pinyin phrase table unavailable (%s): single-character readings only",
                    type(exc).__name__)
        return
    load_phrases_dict(phrases)


_load()


def main() -> int:
    """Write ``assets/pinyin/phrases.json`` from the installed pypinyin's full dictionary."""
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    table = differing_phrases(phrases_dict, pinyin_dict)
    PHRASES_FILE.parent.mkdir(parents=True, exist_ok=True)
    lines = (f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
             for k, v in sorted(table.items()))
    PHRASES_FILE.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")  # a phrase a line
    print(f"{PHRASES_FILE}: {len(table)} of {len(phrases_dict)} phrases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
