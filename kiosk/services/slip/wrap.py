"""Wrap text to printer columns for Chinese-mode ESC/POS (1 column ASCII, 2 otherwise).

The rule is :mod:`kiosk.domain.line_breaking` (the same one the screens use), measured in
printer columns (``escpos-printing.md`` §6):

* a line never exceeds ``width`` columns and a character is never split;
* runs of non-space ASCII (referral, registration and application numbers, phone numbers,
  URLs, Latin words) are never split when they fit on a line: such a run moves whole to the
  next line; only a run longer than a whole line is split between characters;
* 避头尾 (kinsoku): a character of :data:`NO_LINE_START` (，。、；：？！）」》… and their ASCII
  forms) never begins a line, a character of :data:`NO_LINE_END` (（「《“ …) never ends
  one; the wrapper moves characters from the end of the previous line down instead;
* spaces at a break are dropped.
"""

from __future__ import annotations

from kiosk.domain.line_breaking import NO_LINE_END, NO_LINE_START, break_lines
from kiosk.services.slip.text import text_columns

__all__ = ["NO_LINE_END", "NO_LINE_START", "wrap_columns"]


def wrap_columns(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` printer columns.

    Args:
        text: already normalised (:func:`kiosk.services.slip.text.printable`), one paragraph.
        width: columns available (≥ 4), already divided by any GS ! width factor.

    Returns:
        The lines, without trailing spaces; [""] for empty text.

    Raises:
        ValueError: width below 4 columns.
    """
    if width < 4:
        raise ValueError("wrap width must be at least 4 columns")
    result = break_lines(text.replace("\n", " "), width, text_columns)
    return result if any(result) else [""]
