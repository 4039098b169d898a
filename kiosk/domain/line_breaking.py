"""Where a line of Chinese (or mixed Chinese/Latin) text may break: one rule for paper and screen.

The rule (避头尾, GB/T 15834-2011 《标点符号用法》 §5.1.2–5.1.4: 句号、问号、叹号、逗号、顿号、
分号、冒号 and closing quotes, brackets and 书名号 do not begin a line; opening quotes, brackets and
书名号 do not end one; ``escpos-printing.md`` §6 item 7 for the slips):

* a line is never wider than ``width`` (in the caller's unit: printer columns for a slip,
  pixels for a screen label, given by ``measure``) and a character is never split;
* a character of :data:`NO_LINE_START` (，。、；：？！）」》… and their ASCII forms) never begins
  a line and one of :data:`NO_LINE_END` (（「《“ …) never ends one: the breaker moves text from
  the end of the previous line down instead;
* identifiers are never split: a run of non-space ASCII (referral, registration and
  application numbers, phone numbers, URLs, Latin words) moves whole to the next line when it
  does not fit; only a run longer than a whole line is split between characters;
* a short bracketed note (at most :data:`SHORT_NOTE_CHARS` characters inside, such as
  "（星期二）", "（全职）", "（1.2公里）") stays on one line when it fits on one;
* a paragraph does not end with one Chinese character alone on a line (孤字): the piece
  before it moves down too;
* spaces at a break are dropped; ``\\n`` in the text starts a new line (paragraphs);
* the one exception: when an identifier or note fills a whole line by itself and punctuation
  follows it, the punctuation begins the next line (nothing can move down without splitting
  the identifier, which is worse).

Pure Python (no Kivy): the slips (:mod:`kiosk.services.slip.wrap`) and the screens'
labels (``kiosk.ui.line_break``) both use :func:`break_lines`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Characters that never begin a line (GB/T 15834-2011 §5.1; escpos-printing.md §6 item 7).
NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗｝］’”…‥·－～％‰℃°,.;:?!)]}%")
#: Characters that never end a line.
NO_LINE_END = frozenset("（「『《〈【〔〖｛［‘“￥$([{")
#: Longest bracketed note (characters between the brackets) kept on one line.
SHORT_NOTE_CHARS = 6

#: Width of a piece of text, in the unit of ``width`` (columns, pixels).
Measure = Callable[[str], float]

_TOKEN = re.compile(rf" +|[\x21-\x7e]+|（[^（）\s]{{1,{SHORT_NOTE_CHARS}}}）|.", re.S)


def tokens(text: str) -> list[str]:
    """The unbreakable pieces of one paragraph: runs of spaces, runs of non-space ASCII, short
    notes in full-width brackets ("（全职）", "（1.2公里）"), and single other characters."""
    return _TOKEN.findall(text)


def break_lines(text: str, width: float, measure: Measure) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` following the rule above.

    Args:
        text: the text; ``\\n`` separates paragraphs (each starts a line).
        width: room on a line, in the unit of ``measure`` (> 0).
        measure: width of a piece of text (``len``-like for columns, a font's extents for
            pixels); assumed additive over the pieces of a line.

    Returns:
        The lines without trailing spaces, one entry per line (an empty paragraph gives "");
        joined with ``\\n`` they are the text as it should be shown.

    Raises:
        ValueError: ``width`` is not positive.
    """
    if width <= 0:
        raise ValueError("line width must be positive")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, width, measure))
    return lines


def _break_paragraph(text: str, width: float, measure: Measure) -> list[str]:
    lines: list[list[str]] = [[]]
    used = 0.0

    def new_line(carry: list[str]) -> None:
        nonlocal used
        lines.append(carry)
        used = sum(measure(t) for t in carry)

    pending = tokens(text)
    pending.reverse()
    space = ""                     # a space that did not fit: kept only if the break moves
    while pending:
        token = pending.pop()
        size = measure(token)
        current = lines[-1]
        if token.startswith(" "):
            if current and used + size <= width:
                current.append(token)
                used += size
            elif current:
                space = token      # the line is full: the next token breaks it (by the rule)
            continue
        if used + size <= width:
            current.append(token)
            used += size
            space = ""
            continue
        if size > width:
            if len(token) > 1 and not token.isascii():
                pending.extend(reversed(token))    # a note too long for any line: characters
                continue
            # An ASCII run too long for any line: split it between characters (no kinsoku).
            for ch in token:
                c = measure(ch)
                if used + c > width and lines[-1]:
                    new_line([ch])
                    continue
                lines[-1].append(ch)
                used += c
            continue
        _break(lines, token, width, measure, new_line, space)
        space = ""
    _no_lone_character(lines, width, measure)
    result = ["".join(line).rstrip(" ") for line in lines]
    while len(result) > 1 and result[0] == "":
        result.pop(0)                          # a first token wider than the line
    return result


def _no_lone_character(lines: list[list[str]], width: float, measure: Measure) -> None:
    """A paragraph does not end with one Chinese character alone on its last line (a 孤字):
    the last piece of the line before moves down with it, with whatever the rule then
    requires, when that line keeps at least two pieces and the move fits."""
    if len(lines) < 2 or len(lines[-1]) != 1 or len(lines[-1][0]) != 1 or lines[-1][0].isascii():
        return
    prev = lines[-2]
    while prev and prev[-1].startswith(" "):
        prev.pop()
    take = 1
    while take < len(prev) and (prev[-take][0] in NO_LINE_START or prev[-take - 1][-1] in NO_LINE_END):
        take += 1
    moved = prev[-take:]
    if len(prev) - take < 2 or moved[0].startswith(" ") or \
            sum(measure(t) for t in moved + lines[-1]) > width:
        return
    del prev[-take:]
    lines[-1][:0] = moved


def _break(lines: list[list[str]], token: str, width: float, measure: Measure,
           new_line: Callable[[list[str]], None], space: str = "") -> None:
    """Start a new line with ``token``, pulling tokens down from the previous line while the
    break would leave a forbidden character at a line start or end (``space``: the space that
    stood before ``token``, kept between it and what is pulled down)."""
    current = lines[-1]
    while current and current[-1].startswith(" "):
        current.pop()
    carry = [space, token] if space else [token]
    if token[0] in NO_LINE_START:
        while len(current) > 1 and current[-1][-1] in NO_LINE_START:
            carry.insert(0, current.pop())
        if len(current) > 1:
            carry.insert(0, current.pop())
    while len(current) > 1 and current[-1][-1] in NO_LINE_END:
        carry.insert(0, current.pop())
    if carry[0] == space:
        carry.pop(0)                             # nothing pulled down: no space at the start
    if sum(measure(t) for t in carry) > width:  # cannot move that much: give up on the rule
        current.extend(t for t in carry[:-1] if t != space)
        carry = [token]
    new_line(carry)


def bad_breaks(lines: list[str]) -> list[str]:
    """The lines (after the first) that begin with a :data:`NO_LINE_START` character or
    (before the last) end with a :data:`NO_LINE_END` one — for tests and audits."""
    found = [line for line in lines[1:] if line[:1] in NO_LINE_START and line]
    found += [line for line in lines[:-1] if line[-1:] in NO_LINE_END and line]
    return found


def pack_units(units: list[str], separator: str, width: float, measure: Measure) -> list[str]:
    """Lay ``units`` (short phrases such as match reasons) out as lines no wider than
    ``width``, each unit whole on one line when it fits on one (a unit wider than a line is
    broken by :func:`break_lines`); ``separator`` ("、", "; ") follows every unit but the last
    and stays at the end of its line, so it never begins one.

    Returns:
        The lines (at least one), without trailing spaces.
    """
    lines: list[str] = []
    current = ""
    for i, unit in enumerate(units):
        piece = unit + (separator if i < len(units) - 1 else "")
        if current and measure(current + piece.rstrip(" ")) <= width:
            current += piece
            continue
        if current:
            lines.append(current.rstrip(" "))
        if measure(piece.rstrip(" ")) <= width:
            current = piece
        else:
            broken = break_lines(piece, width, measure)
            lines.extend(broken[:-1])
            current = broken[-1]
    lines.append(current.rstrip(" "))
    return lines


#: Where a short text (a tile's subtitle) prefers to break: after these (and spaces).
PHRASE_ENDS = "、，；： "
_PHRASE = re.compile(f"(?<=[{PHRASE_ENDS}])")


def break_phrases(text: str, width: float, measure: Measure) -> list[str]:
    """Like :func:`break_lines`, but a phrase (the text up to and including "、", "，", "；",
    "：" or a space) stays whole on one line when it fits: "按岗位、地区、" / "工资查找" rather than
    "按岗位、地区、工资查" / "找". For short texts such as button subtitles."""
    if width <= 0:
        raise ValueError("line width must be positive")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        units = [u for u in _PHRASE.split(paragraph) if u]
        lines.extend(pack_units(units, "", width, measure) if units else [""])
    return lines
