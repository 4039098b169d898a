"""Wrap text to printer columns for Chinese-mode ESC/POS (1 column ASCII, 2 otherwise).

Rules (``escpos-printing.md`` §6):

* a line never exceeds ``width`` columns and a character is never split;
* runs of non-space ASCII (referral, registration and application numbers, phone numbers,
  URLs, Latin words) are never split when they fit on a line: such a run moves whole to the
  next line; only a run longer than a whole line is split between characters;
* 禁则 (kinsoku): a character of :data:`NO_LINE_START` (，。、；：？！）」》… and their ASCII
  forms) never begins a line, a character of :data:`NO_LINE_END` (（「《“ …) never ends
  one; the wrapper moves characters from the end of the previous line down instead;
* spaces at a break are dropped.
"""

from __future__ import annotations

import re

from kiosk.services.slip.text import text_columns

NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗｝］’”…‥·－～％‰℃°,.;:?!)]}%")
NO_LINE_END = frozenset("（「『《〈【〔〖｛［‘“￥$([{")

_TOKEN = re.compile(r" +|[\x21-\x7e]+|.", re.S)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


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
    lines: list[list[str]] = [[]]
    used = 0

    def new_line(carry: list[str]) -> None:
        nonlocal used
        lines.append(carry)
        used = sum(text_columns(t) for t in carry)

    for token in _tokens(text):
        cols = text_columns(token)
        current = lines[-1]
        if token.startswith(" "):
            if current and used + cols <= width:
                current.append(token)
                used += cols
            elif current:
                new_line([])
            continue
        if used + cols <= width:
            current.append(token)
            used += cols
            continue
        if cols > width:
            # Too long for any line: split it between characters.
            for ch in token:
                c = text_columns(ch)
                if used + c > width:
                    new_line([ch])  # inside one ASCII run: no kinsoku
                    continue
                lines[-1].append(ch)
                used += c
            continue
        _break(lines, token, width, new_line)
    result = ["".join(line).rstrip(" ") for line in lines]
    return result if any(result) else [""]


def _break(lines: list[list[str]], token: str, width: int, new_line) -> None:
    """Start a new line with ``token``, pulling tokens down from the previous line while the
    break would leave a forbidden character at a line start or end."""
    current = lines[-1]
    while current and current[-1].startswith(" "):
        current.pop()
    carry = [token]
    if token[0] in NO_LINE_START:
        while len(current) > 1 and current[-1][-1] in NO_LINE_START:
            carry.insert(0, current.pop())
        if len(current) > 1:
            carry.insert(0, current.pop())
    while len(current) > 1 and current[-1][-1] in NO_LINE_END:
        carry.insert(0, current.pop())
    if sum(text_columns(t) for t in carry) > width:  # cannot move that much: give up on kinsoku
        current.extend(carry[:-1])
        carry = [token]
    new_line(carry)
