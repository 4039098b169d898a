"""Free text typed by a person (a posting's 详细说明 typed on the employer's phone): tidied the
same way everywhere and checked for personal numbers before it is shown, sent or printed.

* :func:`tidy` — Unicode NFC, ``\\r\\n``/``\\r`` → ``\\n``, control and format characters
  dropped (tab kept as a space), at most two blank lines in a row, spaces at the ends stripped;
* :func:`personal_numbers` — which kinds of personal numbers the text holds: ``id_number``
  (GB 11643 18-character numbers, and 15-character foreign permanent residence numbers) and
  ``phone`` (mainland mobile numbers), the same patterns the log filter masks
  (:mod:`kiosk.domain.masking`);
* :func:`without_personal_numbers` — the text with each such number replaced by its mask
  (4401**********123X, 138****5678), so the published text never carries a full one. A posting
  publishes its contact phone in its own field.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.domain.masking import ID_NUMBER_RE, PHONE_RE, mask_text

_BLANK_LINES = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """The text as stored: NFC, ``\\n`` line ends, no control/format characters, at most two
    blank lines in a row, stripped. Never raises."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        if ch == "\n":
            kept.append(ch)
        elif ch == "\t":
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(ch)
    return _BLANK_LINES.sub("\n\n", "".join(kept)).strip()


def personal_numbers(text: str) -> tuple[str, ...]:
    """``("id_number", "phone")``, either, or ``()``: the kinds of personal numbers in ``text``."""
    found = []
    if ID_NUMBER_RE.search(text or ""):
        found.append("id_number")
    if PHONE_RE.search(ID_NUMBER_RE.sub("", text or "")):
        found.append("phone")
    return tuple(found)


def without_personal_numbers(text: str) -> str:
    """``text`` with every ID number and mobile number masked (:func:`kiosk.domain.masking.mask_text`)."""
    return mask_text(text or "")


__all__ = ["tidy", "personal_numbers", "without_personal_numbers"]
