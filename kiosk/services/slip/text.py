"""Text safety for Chinese-mode ESC/POS: normalisation, the 2-byte GB18030 rule, column width.

Chinese-market printers print only the **2-byte area** of GB18030 (``escpos-printing.md``
§1.1, §1.7). :func:`printable` therefore:

1. normalises to NFC (so "e" + U+0301 becomes one "é");
2. maps known troublemakers to 2-byte or ASCII equivalents (:data:`REPLACEMENTS`:
   ¥→￥ U+FFE5, NBSP and other spaces→" ", •→·, ©→(C), ®→(R), ™→TM, ‐‑‒−→-, …);
3. drops zero-width and control characters (ZWSP, ZWJ, BOM, VS15/16, soft hyphen, C0/C1
   controls — an ESC or GS byte inside a field would otherwise be executed by the printer);
4. replaces every remaining character whose GB18030 code has 4 bytes (CJK Ext-A/B such as
   㐀 𠀀, post-U+9FA5 ideographs, emoji, half-width katakana) or lies in the FExx area
   (Ext-A name characters such as 䶮 = FE 9F, absent from GBK/GB2312 printer fonts) by :data:`SUBSTITUTE` "〓"
   (U+3013 GETA MARK, GB2312 A1FE, the Chinese typesetting sign for a missing character).

Column rule (§6): a code point below U+0080 takes 1 column, every other one 2 (including
·—“”…①℃, which ``wcwidth`` counts as 1), times the GS ! width factor.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from kiosk.services.slip.errors import UnprintableTextError

SUBSTITUTE = "〓"

REPLACEMENTS: dict[str, str] = {
    "\u00a5": "￥",   # YEN SIGN: 4 bytes (81 30 84 36) -> FULLWIDTH YEN SIGN A3 A4
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\t": " ", "\n": " ", "\r": " ",
    "\u2022": "·", "\u2027": "·", "\u30fb": "·", "\uff65": "·",
    "\u00a9": "(C)", "\u00ae": "(R)", "\u2122": "TM",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    "\u00b7": "·",
}
DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\u00ad")


@dataclass(frozen=True)
class PrintableText:
    """Normalised text and how many characters were replaced by :data:`SUBSTITUTE`."""

    text: str
    substituted: int = 0


@functools.lru_cache(maxsize=8192)
def is_printable_2byte(ch: str) -> bool:
    """True if ``ch`` (non-ASCII) has a 2-byte GB18030 code a printer font can hold.

    Excluded besides 4-byte codes: lead byte 0xFE (FE50–FEA0 holds Ext-A characters such as
    䶮 = FE 9F that were private-use in GB18030-2000 and are missing from GBK/GB2312 printer
    fonts; FEA1–FEFE is user-defined).
    """
    try:
        data = ch.encode("gb18030")
    except UnicodeEncodeError:
        return False
    return len(data) == 2 and data[0] != 0xFE


def printable(text: str) -> PrintableText:
    """Apply the four steps above; the result encodes to 1- and 2-byte GB18030 codes only."""
    out: list[str] = []
    substituted = 0
    for ch in unicodedata.normalize("NFC", text):
        ch = REPLACEMENTS.get(ch, ch)
        if len(ch) > 1 or ("\x20" <= ch < "\x7f"):
            out.append(ch)
            continue
        # Controls, format characters, uncomposed combining marks, surrogates, private use.
        if ch in DROP or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Cs", "Co", "Cn"):
            continue
        if not is_printable_2byte(ch):
            out.append(SUBSTITUTE)
            substituted += 1
            continue
        out.append(ch)
    return PrintableText("".join(out), substituted)


def char_columns(ch: str) -> int:
    """Printer columns of one character at size 1: 1 for ASCII, 2 otherwise."""
    return 1 if ch < "\x80" else 2


def text_columns(text: str) -> int:
    """Printer columns of a string at size 1 (see :func:`char_columns`)."""
    return sum(1 if ch < "\x80" else 2 for ch in text)


def encode_gb18030(line: str) -> bytes:
    """Encode a line for Chinese mode; every character must be printable ASCII or a 2-byte
    code accepted by :func:`is_printable_2byte`.

    Raises:
        UnprintableTextError: a control character, a 4-byte or FExx GB18030 character (the
            text did not go through :func:`printable`).
    """
    for pos, ch in enumerate(line):
        if ch < "\x80":
            if not "\x20" <= ch < "\x7f":
                raise UnprintableTextError(pos, ord(ch))
        elif not is_printable_2byte(ch):
            raise UnprintableTextError(pos, ord(ch))
    return line.encode("gb18030")
