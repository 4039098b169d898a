"""What the catalog indexes for search, and how a typed query becomes FTS5 expressions.

Three ways to find a vacancy, all case-insensitive and NFKC-normalised (全角 → 半角):

* **Chinese/Latin substrings** of the searchable text (title, employer, occupation name, place
  names, tags — not the description): three characters or more through the FTS5 ``trigram``
  table; one or two characters through exact ``g``-tokens holding every 1- and 2-character
  gram of the text (unicode61 keeps a run of CJK letters as one token, so ``g保洁`` is one
  token). Grams with punctuation are not indexed; such short queries fall back to a scan.
* **Full pinyin** (``p``-tokens): for the title, occupation name and tags, every suffix that
  starts at a syllable, e.g. 保洁员 → ``pbaojieyuan``, ``pjieyuan``, ``pyuan``; a query
  ``baoj`` is the prefix query ``pbaoj*``, so matches start at a syllable boundary.
  Readings come from pypinyin with the phrases that change a reading
  (:mod:`kiosk.services.pinyin_readings`: 重庆 → chongqing, 银行 → yinhang).
* **Pinyin initials** (``i``-tokens): the same suffixes of the initials, 软件测试 → ``irjcs``,
  ``ijcs`` …; ``rjcs`` is the prefix query ``irjcs*``.

Relevance levels (see :mod:`~kiosk.services.catalog.query`) have tokens of their own, so each
level is one full-text expression the search can read in rank order and stop early:
``s``-tokens (the title's first one and two characters), ``t``-tokens (the 1- and 2-character
grams of the title alone) and ``y``-tokens (the full-pinyin suffixes of the title alone).
Categorical filters are tokens too (:func:`filter_tokens`), so a selective filter and a broad
term meet inside the full-text index instead of row by row.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

MAX_PINYIN_SYLLABLES = 8   # longest syllable-aligned suffix indexed (longer queries: text only)
_TOKEN_CHARS = re.compile(r"^\w+$")
_ASCII_WORD = re.compile(r"^[a-z]+$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def normalize(text: str) -> str:
    """NFKC, lower case, whitespace runs → one space (what is indexed and what is queried)."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def query_terms(query: str) -> list[str]:
    """A typed query split into terms (all must match): "保洁  天河" → ["保洁", "天河"]."""
    return normalize(query).split()


def is_pinyin_candidate(term: str) -> bool:
    """True for a term of Latin letters only ("bj", "baojie"): also searched as pinyin."""
    return bool(_ASCII_WORD.match(term))


def is_gram_indexed(term: str) -> bool:
    """True when a 1–2 character term can be answered from the ``g``-tokens."""
    return len(term) <= 2 and bool(_TOKEN_CHARS.match(term)) and "_" not in term


def gram_tokens(text: str) -> set[str]:
    """``g``-tokens: every 1- and 2-character gram of ``text`` made of letters/digits."""
    out: set[str] = set()
    for word in normalize(text).split():
        for i, ch in enumerate(word):
            if is_gram_indexed(ch):
                out.add("g" + ch)
                pair = word[i:i + 2]
                if len(pair) == 2 and is_gram_indexed(pair):
                    out.add("g" + pair)
    return out


@functools.lru_cache(maxsize=65536)
def syllables(text: str) -> tuple[str, ...]:
    """Pinyin syllables of the Han characters of ``text`` (Latin words kept, lower case);
    punctuation dropped: "保洁员(白班)" → ("bao", "jie", "yuan", "bai", "ban")."""
    # pypinyin loads on the first reading (indexing a sync, the keyboard's vocabulary), not when
    # the catalog opens: start-up and searching never need it
    from kiosk.services.pinyin_readings import Style, lazy_pinyin

    out: list[str] = []
    for chunk in lazy_pinyin(normalize(text), style=Style.NORMAL, errors="default"):
        for word in re.findall(r"[a-z0-9]+", chunk.lower()):
            out.append(word)
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def pinyin_tokens(text: str) -> frozenset[str]:
    """``p``- and ``i``-tokens of one field (see the module docstring); {} without Han text."""
    if not _HAN.search(text):
        return frozenset()
    syl = syllables(text)
    out: set[str] = set()
    for start in range(len(syl)):
        part = syl[start:start + MAX_PINYIN_SYLLABLES]
        out.add("p" + "".join(part))
        out.add("i" + "".join(s[0] for s in part))
    return frozenset(out)


def forget_readings() -> None:
    """Empty the reading caches of :func:`syllables` and :func:`pinyin_tokens` (after a write
    batch or the vocabulary build): full, they hold tens of MB that an idle kiosk need not keep
    (issue 23: idle memory after a sync)."""
    syllables.cache_clear()
    pinyin_tokens.cache_clear()


def title_tokens(title: str) -> set[str]:
    """``s``-, ``t``- and ``y``-tokens of a title (see the module docstring)."""
    norm = normalize(title)
    out = {"t" + g[1:] for g in gram_tokens(norm)}
    for n in (1, 2):
        head = norm[:n]
        if len(head) == n and is_gram_indexed(head):
            out.add("s" + head)
    out.update("y" + tok[1:] for tok in pinyin_tokens(title) if tok[0] == "p")
    return out


def code_token(prefix: str, code: str) -> str:
    """A filter token: the prefix letter and the code's letters/digits ("4-07" → ``c407``)."""
    return prefix + "".join(ch for ch in code.lower() if ch.isalnum())


def index_tokens(search_text: str, pinyin_fields: Iterable[str], title: str = "",
                 extra: Iterable[str] = ()) -> str:
    """The space-separated token string stored in the ``fts_terms`` table for one vacancy:
    text grams, pinyin, the title's level tokens and ``extra`` (filter tokens)."""
    tokens = gram_tokens(search_text)
    for field in pinyin_fields:
        tokens.update(pinyin_tokens(field))
    tokens.update(title_tokens(title))
    tokens.update(extra)
    return " ".join(sorted(tokens))


def fts_phrase(term: str) -> str:
    """An FTS5 string literal for ``term`` (double quotes doubled)."""
    return '"' + term.replace('"', '""') + '"'
