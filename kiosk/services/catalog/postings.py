"""In-memory posting lists for the catalog's fast search plan (issue 23: every query kind within
one frame at 120,000 vacancies).

The catalog's rows, in row-id order (row ids are the result order, see
:func:`kiosk.services.catalog.schema.rank_key`), get positions 0…N-1. Every search token of
:mod:`~kiosk.services.catalog.text_index` (text grams ``g``, title levels ``s``/``t``/``y``, full
pinyin ``p``, initials ``i``) and every filter token of
:func:`~kiosk.services.catalog.schema.filter_tokens` has the set of positions holding it:

* as a **bitset** (a Python ``int``, bit *k* = position *k*) when it is dense (more than
  N/:data:`DENSE_SHARE` positions) or a filter token — ANDing, ORing and counting (``bit_count``)
  two of them costs a few microseconds at 120,000 rows;
* else as a sorted run of positions in one shared ``array('i')``, turned into a bitset when a
  query needs it (at most N/:data:`DENSE_SHARE` positions, well under a millisecond).

A pinyin or initials query is a token prefix (``kaifa`` → every ``p``-token starting with
``pkaifa``); the union for a prefix whose tokens hold more than N/:data:`DENSE_SHARE` positions is
precomputed when the index is built (a prefix with a single continuation shares its child's
bitset), smaller unions are made at query time. Text of 3+ characters is found through the AND of
its 2-character grams and checked on the row's normalised text, kept in one string
(:attr:`SearchIndex.text`), so a bigram coincidence is never a hit.

A result level is then a bitset; its best rows are its lowest set bits (read from the bytes of the
int, no sort), and the total is a popcount — exact, whatever the number of hits (rows checked
against the text are counted up to the cap). The index is built from the stored token strings
(table ``search_terms``, no pinyin readings needed) in ~0.5 s per 13,000 vacancies, in a child
process (:func:`build_in_child`: the build's transient memory and pure-Python loops stay out of
the kiosk process) that hands it over as bytes (:meth:`SearchIndex.dumps`); it holds ~8 MB at
13,000 vacancies, ~50 MB at 120,000. It is immutable: the store builds a new one after writes
(:meth:`kiosk.services.catalog.store.VacancyCatalog.prepare_search`).
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import reduce
from itertools import product
from operator import or_

from kiosk.domain.codes import education
from kiosk.services.catalog import schema, text_index
from kiosk.services.catalog.query import SearchFilters, filter_sql
from kiosk.services.catalog.text_index import code_token

DENSE_SHARE = 32          # a token on more than N/32 positions is kept as a bitset
MAX_TERMS = 4             # more query terms than this go to the SQL plans (4^4 level combinations)
_FILTER_KINDS = frozenset("acdekmouwx")     # filter-token letters: always bitsets (ORed by day)
_PINYIN_KINDS = ("p", "i", "y")             # prefix-searched token letters
_TOP = "\U0010ffff"                         # sorts after every character: the end of a prefix
_NONZERO = re.compile(rb"[^\x00]")
_BITS_OF = tuple(tuple(k for k in range(8) if value >> k & 1) for value in range(256))
_BIT = tuple(1 << k for k in range(8))
_MAGIC = b"kiosk-catalog-index 1\n"

Check = Callable[[int], bool]                # a row check on a position
Part = tuple[int, "Check | None"]            # (bitset, check every position must pass, or None)


def positions(bits: int) -> Iterator[int]:
    """The set bits of ``bits`` (≥ 0), lowest first."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for m in _NONZERO.finditer(data):
        base = m.start() * 8
        for k in _BITS_OF[data[m.start()]]:
            yield base + k


def to_bits(items: Iterable[int], nbytes: int) -> int:
    """The bitset of positions ``items`` (each < 8 × ``nbytes``)."""
    buf = bytearray(nbytes)
    bit = _BIT
    for p in items:
        buf[p >> 3] |= bit[p & 7]
    return int.from_bytes(buf, "little")


def _all_of(checks: list[Check]) -> Check | None:
    """One check that passes when every one of ``checks`` does (None for none)."""
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda p: all(check(p) for check in checks)


class _Tokens:
    """Sorted distinct strings as one UTF-8 buffer and offsets, a sequence of ``bytes`` for
    :mod:`bisect` (UTF-8 sorts like the code points): ~1 byte a pinyin letter instead of a
    ~60-byte object per token. Look up with :meth:`find` / :meth:`span`."""
    __slots__ = ("_data", "_offs")

    def __init__(self, tokens: list[str]) -> None:
        encoded = [tok.encode() for tok in tokens]
        self._data = b"".join(encoded)
        offs = array("i", [0])
        total = 0
        for tok in encoded:
            total += len(tok)
            offs.append(total)
        self._offs = offs

    @classmethod
    def from_buffers(cls, data: bytes, offs: array) -> _Tokens:
        self = cls.__new__(cls)
        self._data, self._offs = data, offs
        return self

    def __len__(self) -> int:
        return len(self._offs) - 1

    def __getitem__(self, i: int) -> bytes:
        return self._data[self._offs[i]:self._offs[i + 1]]

    def find(self, token: str) -> int:
        """The index of ``token``, or -1."""
        key = token.encode()
        i = bisect_left(self, key)
        return i if i < len(self) and self[i] == key else -1

    def span(self, prefix: str) -> tuple[int, int]:
        """(first, end) indexes of the strings starting with ``prefix``."""
        key = prefix.encode()
        lo = bisect_left(self, key)
        return lo, bisect_left(self, key + b"\xff", lo)


class SearchIndex:
    """Posting lists of every row of a catalog (module docstring). Build with :meth:`build`;
    answer with :meth:`search`. ``generation`` is the catalog's write generation it was built
    at (``meta`` key ``gen``)."""

    def __init__(self, rids: array, tokens: list[str], postings: dict[str, array],
                 texts: list[str], titles: list[int], generation: str | None) -> None:
        self.generation = generation
        self.rids = rids
        n = self.n = len(rids)
        self.nbytes = (n + 7) // 8
        self.all = (1 << n) - 1
        dense_min = n // DENSE_SHARE
        self._tokens = _Tokens(tokens)
        cum = array("i" if n * 400 < 1 << 31 else "q", [0])    # positions held by tokens[:i]
        starts = array(cum.typecode, [0])   # sparse positions of tokens[:i] in ``self._post``
        post = array("i")
        dense: dict[int, int] = {}
        count = 0
        for i, tok in enumerate(tokens):
            held = postings.pop(tok)
            count += len(held)
            cum.append(count)
            if len(held) > dense_min or tok[0] in _FILTER_KINDS:
                dense[i] = to_bits(held, self.nbytes)
            else:
                post.extend(held)
            starts.append(len(post))
        # Few small objects survive the build (they would pin the build's freed memory in the
        # allocator's arenas): dense bitsets in a list beside their token numbers, prefix
        # unions behind one string of their prefixes.
        self._cum, self._starts, self._post = cum, starts, post
        self._dense_at = array("i", sorted(dense))
        self._dense_bits = [dense.pop(i) for i in self._dense_at]
        prefixes: dict[str, int] = {}
        for kind in _PINYIN_KINDS:
            lo, hi = self._range(kind)
            if self._cum[hi] - self._cum[lo] > dense_min:
                self._prefix_node(tokens, kind, lo, hi, dense_min, prefixes)
        keys = sorted(prefixes)
        self._prefix_keys = _Tokens(keys)
        self._prefix_bits = [prefixes.pop(k) for k in keys]
        # filter days present (posting ``a`` and work ``w``), for OR over a range of days
        self._day_list = {kind: array("i", sorted(
            int(tokens[i][1:]) for i in self._dense_at
            if tokens[i][0] == kind and tokens[i][1:].isdigit())) for kind in "aw"}
        self.text = "\n".join(texts)    # each row's normalised searchable text, title first
        starts_t = array("i")
        ends_t = array("i")
        at = 0
        for text, title_len in zip(texts, titles, strict=True):
            starts_t.append(at)
            ends_t.append(at + title_len)
            at += len(text) + 1
        starts_t.append(at)
        self._text_at, self._title_end = starts_t, ends_t

    def memory_bytes(self) -> int:
        """Bytes this index holds (its arrays, bitsets and strings; Python object headers of
        the few containers left out): what it adds to the process once built."""
        arrays = (self.rids, self._cum, self._starts, self._post, self._dense_at,
                  self._text_at, self._title_end, self._tokens._offs, self._prefix_keys._offs,
                  *self._day_list.values())
        ints = {id(b): b for b in (*self._dense_bits, *self._prefix_bits, self.all)}
        return (sum(a.buffer_info()[1] * a.itemsize for a in arrays)
                + sum(sys.getsizeof(b) for b in ints.values())
                + 8 * (len(self._dense_bits) + len(self._prefix_bits))
                + sum(sys.getsizeof(x) for x in (self.text, self._tokens._data,
                                                 self._prefix_keys._data)))

    # --- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, db: sqlite3.Connection) -> SearchIndex:
        """Read every row's tokens and text from the catalog (one pass, row-id order, in one
        read transaction with the write generation it is labelled with)."""
        in_transaction = db.in_transaction
        if not in_transaction:
            db.execute("BEGIN")
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'gen'").fetchone()
            return cls._scan(db, None if row is None else str(row[0]))
        finally:
            if not in_transaction:
                db.execute("COMMIT")

    @classmethod
    def _scan(cls, db: sqlite3.Connection, generation: str | None) -> SearchIndex:
        rids = array("q")
        postings: dict[str, array] = {}
        get = postings.get
        texts: list[str] = []
        titles: list[int] = []
        cur = db.cursor()
        cur.row_factory = None
        pos = 0
        for rid, terms, title, text in cur.execute(
                "SELECT v.rid, t.terms, v.title_norm, v.search_text FROM vacancy_search v "
                "JOIN search_terms t ON t.rid = v.rid ORDER BY v.rid"):
            rids.append(rid)
            for tok in terms.split():
                held = get(tok)
                if held is None:
                    held = postings[tok] = array("i")
                held.append(pos)
            text = text or ""
            title = title or ""
            texts.append(text)
            titles.append(len(title) if title and text.startswith(title) else 0)
            pos += 1
        return cls(rids, sorted(postings), postings, texts, titles, generation)

    def _prefix_node(self, tokens: list[str], prefix: str, lo: int, hi: int, limit: int,
                     out: dict[str, int]) -> int:
        """The union bitset of tokens[lo:hi] (all starting with ``prefix``, holding more than
        ``limit`` positions), storing it and every such longer prefix's in ``out``."""
        parts: list[int] = []
        i = lo
        if tokens[i] == prefix:
            parts.append(self._range_bits(i, i + 1))
            i += 1
        depth = len(prefix)
        while i < hi:
            child = prefix + tokens[i][depth]
            j = bisect_left(tokens, child + _TOP, i, hi)
            if self._cum[j] - self._cum[i] > limit:
                parts.append(self._prefix_node(tokens, child, i, j, limit, out))
            else:
                parts.append(self._range_bits(i, j))
            i = j
        bits = parts[0] if len(parts) == 1 else reduce(or_, parts)
        out[prefix] = bits
        return bits

    # --- handing over from a builder process ----------------------------------------------

    _ARRAYS = ("rids", "_cum", "_starts", "_post", "_dense_at", "_text_at", "_title_end")

    def dumps(self) -> bytes:
        """The index as bytes for :meth:`loads` (a header line of JSON, then raw buffers)."""
        slots: dict[int, int] = {}
        unique: list[int] = []
        for bits in self._prefix_bits:
            if id(bits) not in slots:
                slots[id(bits)] = len(unique)
                unique.append(bits)
        arrays = [getattr(self, name) for name in self._ARRAYS] + [
            self._tokens._offs, self._prefix_keys._offs, self._day_list["a"],
            self._day_list["w"], array("i", (slots[id(b)] for b in self._prefix_bits))]
        blobs = [a.tobytes() for a in arrays] + [
            self._tokens._data, self._prefix_keys._data, self.text.encode("utf-8"),
            b"".join(b.to_bytes(self.nbytes, "little") for b in self._dense_bits),
            b"".join(b.to_bytes(self.nbytes, "little") for b in unique)]
        header = json.dumps({"generation": self.generation, "n": self.n,
                             "typecodes": [a.typecode for a in arrays],
                             "sizes": [len(b) for b in blobs]}).encode()
        return b"".join([_MAGIC, header, b"\n", *blobs])

    @classmethod
    def loads(cls, data: bytes) -> SearchIndex:
        """The index :meth:`dumps` wrote. Raises ValueError for anything else."""
        if not data.startswith(_MAGIC):
            raise ValueError("not a catalog search index")
        end = data.index(b"\n", len(_MAGIC))
        header = json.loads(data[len(_MAGIC):end])
        view = memoryview(data)
        at = end + 1
        blobs = []
        for size in header["sizes"]:
            blobs.append(view[at:at + size])
            at += size
        if at != len(data):
            raise ValueError("truncated catalog search index")
        arrays = []
        for code, blob in zip(header["typecodes"], blobs, strict=False):
            a = array(code)
            a.frombytes(blob)
            arrays.append(a)
        self = cls.__new__(cls)
        self.generation = header["generation"]
        n = self.n = header["n"]
        self.nbytes = nbytes = (n + 7) // 8
        self.all = (1 << n) - 1
        for name, a in zip(cls._ARRAYS, arrays, strict=False):
            setattr(self, name, a)
        k = len(cls._ARRAYS)
        tokens_offs, prefix_offs, day_a, day_w, prefix_slot = arrays[k:k + 5]
        tokens_data, prefix_data, text, dense, unique = blobs[k + 5:]
        self._tokens = _Tokens.from_buffers(bytes(tokens_data), tokens_offs)
        self._prefix_keys = _Tokens.from_buffers(bytes(prefix_data), prefix_offs)
        self._day_list = {"a": day_a, "w": day_w}
        self.text = str(text, "utf-8")

        def ints(blob: memoryview) -> list[int]:
            return [int.from_bytes(blob[i:i + nbytes], "little")
                    for i in range(0, len(blob), nbytes)] if nbytes else []

        self._dense_bits = ints(dense)
        shared = ints(unique)
        self._prefix_bits = [shared[i] for i in prefix_slot]
        return self

    # --- token sets ------------------------------------------------------------------------

    def _range(self, prefix: str) -> tuple[int, int]:
        return self._tokens.span(prefix)

    def _range_bits(self, lo: int, hi: int) -> int:
        """The union of tokens[lo:hi]: their bitsets ORed, their sparse positions set."""
        bits = to_bits(self._post[self._starts[lo]:self._starts[hi]], self.nbytes) \
            if self._starts[hi] > self._starts[lo] else 0
        dense = self._dense_bits
        for k in range(bisect_left(self._dense_at, lo), bisect_left(self._dense_at, hi)):
            bits |= dense[k]
        return bits

    def token(self, token: str) -> int:
        """Positions holding ``token`` exactly."""
        i = self._tokens.find(token)
        return self._range_bits(i, i + 1) if i >= 0 else 0

    def prefix(self, prefix: str) -> int:
        """Positions holding a token that starts with ``prefix``."""
        k = self._prefix_keys.find(prefix)
        if k >= 0:
            return self._prefix_bits[k]
        lo, hi = self._range(prefix)
        return self._range_bits(lo, hi) if hi > lo else 0

    def _days(self, kind: str, first: int, last: int) -> int:
        days = self._day_list[kind]
        bits = 0
        for day in days[bisect_left(days, first):bisect_right(days, last)]:
            bits |= self.token(f"{kind}{day}")
        return bits

    # --- filters ---------------------------------------------------------------------------

    def filter_bits(self, db: sqlite3.Connection, f: SearchFilters, today: int,
                    origin: tuple[float, float] | None) -> int | None:
        """The positions passing every filter, or None when a filter has no token here (an
        odd division code, a pay threshold off :data:`~kiosk.services.catalog.schema.
        SALARY_LADDER`): the SQL plans answer those. Raises UnknownCodeError (education_max),
        ValueError (a gig date)."""
        bits = self.all
        for code in (f.city_code, f.district_code, f.town_code):
            if code:
                if not (code.isdigit() and len(code) in (4, 6, 9, 12)):
                    return None
                bits &= self.token("d" + code)
        for prefix, value in (("o", f.occupation_major), ("c", f.occupation_code),
                              ("e", f.employment_type)):
            if value:
                bits &= self.token(code_token(prefix, value))
        if f.kind:
            bits &= self.token("k" + f.kind)
        if f.salary_min:
            if f.salary_min not in schema.SALARY_LADDER:
                return None
            bits &= self.token(f"m{f.salary_min}")
        if f.education_max:
            bits &= self.token(f"u{education.rank_of(f.education_max)}")
        if f.max_age_days is not None:
            bits &= self._days("a", today - f.max_age_days, today)
        days = f.work_days()
        if days is not None:
            bits &= self._days("w", days[0], days[1])
        for token, flag in (("xpw", f.public_welfare), ("xin", f.internship)):
            if flag is not None:
                held = self.token(token)
                bits &= held if flag else ~held
        if f.within_km is not None and origin is not None:
            bits &= self._within(db, f.within_km, today, origin)
        return bits

    def _within(self, db: sqlite3.Connection, km: float, today: int,
                origin: tuple[float, float]) -> int:
        """Positions within ``km`` of the catalog's origin: rows are ordered by distance
        (rounded to the metre in the row id), so every row up to 2 m inside the circle is a
        prefix of the positions; the rows within ±1 m of the edge are checked in SQL exactly as
        the other plans check them (:func:`~kiosk.services.catalog.query.filter_sql`)."""
        metres = round(km * 1000)
        inner = bisect_right(self.rids, schema.metres_bound(metres - 2)) if metres >= 2 else 0
        outer = bisect_right(self.rids, schema.within_bound(km))
        bits = (1 << inner) - 1
        if outer > inner:
            where: list[str] = []
            params: list = []
            filter_sql(SearchFilters(within_km=km), today, origin, where, params)
            for (rid,) in db.execute(
                    f"SELECT v.rid FROM vacancy_search v WHERE v.rid > ? AND v.rid <= ? AND "
                    f"{' AND '.join(where)}", [self.rids[inner - 1] if inner else -1 << 63,
                                               self.rids[outer - 1], *params]):
                bits |= 1 << bisect_left(self.rids, rid)
        return bits

    # --- one term --------------------------------------------------------------------------

    def _term(self, term: str, f: int) -> tuple[list[tuple[int, list[Part]]], list[Part]] | None:
        """(levels best first: (relevance, parts), hit parts) of one normalised term within
        the filter positions ``f``, the same levels as :mod:`~kiosk.services.catalog.ranked`;
        None when the term has punctuation (the SQL plans answer)."""
        pinyin = text_index.is_pinyin_candidate(term)
        if len(term) <= 2:
            if not text_index.is_gram_indexed(term):
                return None
            s, t, g = (self.token(k + term) for k in "stg")
            if pinyin:
                y = self.prefix("y" + term)
                every = (g | self.prefix("p" + term) | self.prefix("i" + term)) & f
                return ([(4, [(s & f, None)]), (3, [(t & ~s & f, None)]),
                         (2, [(y & ~t & f, None)]), (1, [(every & ~(t | y), None)])],
                        [(every, None)])
            return ([(4, [(s & f, None)]), (3, [(t & ~s & f, None)]), (1, [(g & ~t & f, None)])],
                    [(g & f, None)])
        grams = list(dict.fromkeys(term[i:i + 2] for i in range(len(term) - 1)))
        if not all(text_index.is_gram_indexed(b) for b in grams):
            return None
        all_g = reduce(lambda a, b: a & b, (self.token("g" + b) for b in grams), f)
        all_t = reduce(lambda a, b: a & b, (self.token("t" + b) for b in grams), all_g)
        text, text_at, title_end = self.text, self._text_at, self._title_end

        def starts(p: int) -> bool:
            return text.startswith(term, text_at[p], title_end[p])

        def later(p: int) -> bool:
            return text.find(term, text_at[p], title_end[p]) > text_at[p]

        def in_text(p: int) -> bool:
            return text.find(term, text_at[p], text_at[p + 1]) >= 0

        def not_title(p: int) -> bool:
            return text.find(term, text_at[p], title_end[p]) < 0

        def other_field(p: int) -> bool:
            return not_title(p) and in_text(p)

        levels: list[tuple[int, list[Part]]] = [
            (4, [(all_t & self.token("s" + term[:2]), starts)]), (3, [(all_t, later)])]
        if pinyin:
            y = self.prefix("y" + term) & f
            spelled = (self.prefix("p" + term) | self.prefix("i" + term)) & f
            levels += [(2, [(y, not_title)]),
                       (1, [(all_g & ~y, other_field), (spelled & ~y, not_title)])]
            return levels, [(spelled, None), (all_g & ~spelled, in_text)]
        levels.append((1, [(all_g, other_field)]))
        return levels, [(all_g, in_text)]

    def _member(self, parts: list[Part]) -> tuple[int, Check | None]:
        """(the union of the parts' bitsets, a check that a position of it really is in one
        of the parts — None when no part has a check, so the union is exact)."""
        union = reduce(or_, (bits for bits, _ in parts), 0)
        if all(check is None for _, check in parts):
            return union, None
        tests = [(bits.to_bytes(self.nbytes, "little"), check) for bits, check in parts]

        def member(p: int) -> bool:
            for data, check in tests:
                if data[p >> 3] >> (p & 7) & 1 and (check is None or check(p)):
                    return True
            return False

        return union, member

    def _rest(self, is_hit: Check | None, higher: list[tuple[int, int, Check | None]]
              ) -> Check:
        """A check for a term's last level: a hit of the term in none of its ``higher``
        levels ((relevance, bits, check) each)."""
        tests = [(bits.to_bytes(self.nbytes, "little"), check) for _, bits, check in higher]

        def rest(p: int) -> bool:
            if is_hit is not None and not is_hit(p):
                return False
            for data, check in tests:
                if data[p >> 3] >> (p & 7) & 1 and (check is None or check(p)):
                    return False
            return True

        return rest

    def _terms(self, terms: list[str], f: int
               ) -> tuple[list[tuple[int, list[Part]]], list[Part]] | None:
        """Levels and hits of several terms, all of which must match; a row's relevance is the
        sum of its level for each term (as in the exhaustive SQL plan). Each combination of
        levels is one AND of bitsets plus the terms' row checks, applied lazily (only to the
        rows a page or the capped count reads)."""
        per_term: list[list[tuple[int, int, Check | None]]] = []
        hit_bits = f
        hit_checks: list[Check] = []
        for term in terms:
            found = self._term(term, f)
            if found is None:
                return None
            levels, hits = found
            union, is_hit = self._member(hits)
            hit_bits &= union
            if is_hit is not None:
                hit_checks.append(is_hit)
            options = [(score, *self._member(parts)) for score, parts in levels[:-1]]
            # the levels partition a term's hits: the last one is a hit in no other level
            higher = [check for _, _, check in options]
            others = reduce(or_, (bits for _, bits, _ in options), 0)
            if is_hit is None and all(c is None for c in higher):
                options.append((levels[-1][0], union & ~others, None))
            else:
                options.append((levels[-1][0], union, self._rest(is_hit, options)))
            per_term.append(options)
        by_score: dict[int, list[Part]] = {}
        for combo in product(*per_term):
            bits = reduce(lambda a, b: a & b, (b for _, b, _ in combo), hit_bits)
            if bits:
                checks = [c for _, _, c in combo if c is not None]
                by_score.setdefault(sum(score for score, _, _ in combo), []).append(
                    (bits, _all_of(checks)))
        return ([(score, by_score[score]) for score in sorted(by_score, reverse=True)],
                [(hit_bits, _all_of(hit_checks))])

    # --- answering -------------------------------------------------------------------------

    def _first(self, parts: list[Part], want: int) -> list[int]:
        """The first ``want`` positions of the union of parts (a position counts when a part
        holding it has no check or its check passes)."""
        if len(parts) == 1 and parts[0][1] is None:
            out = []
            for p in positions(parts[0][0]):
                out.append(p)
                if len(out) >= want:
                    break
            return out
        union = reduce(or_, (bits for bits, _ in parts))
        tests = [(bits.to_bytes(self.nbytes, "little"), check) for bits, check in parts]
        out = []
        for p in positions(union):
            for data, check in tests:
                if data[p >> 3] >> (p & 7) & 1 and (check is None or check(p)):
                    out.append(p)
                    break
            if len(out) >= want:
                break
        return out

    def _count(self, hits: list[Part], limit: int) -> int:
        """How many positions the disjoint hit parts hold, counting checked ones up to
        ``limit`` in all."""
        total = sum(bits.bit_count() for bits, check in hits if check is None)
        for bits, check in hits:
            if check is None:
                continue
            for p in positions(bits):
                if total >= limit:
                    break
                if check(p):
                    total += 1
        return total

    def search(self, db: sqlite3.Connection, terms: list[str], f: SearchFilters, need: int,
               cap: int, today: int, origin: tuple[float, float] | None
               ) -> tuple[int, bool, list[tuple[int, int]]] | None:
        """Like :func:`kiosk.services.catalog.ranked.run`, with the catalog's own origin and at
        most :data:`MAX_TERMS` terms: (total, capped, [(rid, relevance)] of the first ``need``
        results best first), or None when this index cannot answer (more terms, punctuation, a
        filter without a token). Total is exact up to ``cap`` (or when ``need`` > ``cap``);
        beyond, ``capped``. Raises UnknownCodeError, ValueError (see :meth:`filter_bits`)."""
        if len(terms) > MAX_TERMS:
            return None
        fbits = self.filter_bits(db, f, today, origin)
        if fbits is None:
            return None
        levels: list[tuple[int, list[Part]]]
        hits: list[Part]
        if len(terms) == 1:
            found = self._term(terms[0], fbits)
            if found is None:
                return None
            levels, hits = found
        elif terms:
            several = self._terms(terms, fbits)
            if several is None:
                return None
            levels, hits = several
        else:
            levels, hits = [(0, [(fbits, None)])], [(fbits, None)]
        exact = need > cap
        counted = self._count(hits, 1 << 62 if exact else cap + 1)
        ranked: list[tuple[int, int]] = []
        rids = self.rids
        for level, parts in levels:
            if len(ranked) >= need:
                break
            ranked += [(rids[p], level) for p in self._first(parts, need - len(ranked))]
        capped = counted > cap and not exact
        return (cap if capped else counted), capped, ranked


def build_in_child(db_path: str, timeout_s: float = 300.0) -> SearchIndex:
    """Build the index of the catalog at ``db_path`` in a separate Python process and load
    it here: the build's transient memory (~4× the index: a token table and position lists)
    and its CPU time stay out of the kiosk process — its allocator would keep most of that
    memory resident, and its pure-Python loops would hold the UI's interpreter lock.

    Raises:
        OSError, subprocess.SubprocessError: the child could not run or failed.
        ValueError: it printed something that is not an index.
    """
    import os
    import subprocess
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[3])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])]))
    done = subprocess.run([sys.executable, "-m", __name__, db_path], env=env,
                          capture_output=True, timeout=timeout_s, check=False)
    if done.returncode != 0:
        raise subprocess.SubprocessError(
            f"index builder exited with {done.returncode}: "
            f"{done.stderr.decode(errors='replace').strip().splitlines()[-1:]}")
    return SearchIndex.loads(done.stdout)


def _main(argv: list[str]) -> int:
    """``python -m kiosk.services.catalog.postings DB``: write DB's index to stdout."""
    if len(argv) != 1:
        print("usage: python -m kiosk.services.catalog.postings CATALOG.sqlite3", file=sys.stderr)
        return 2
    from pathlib import Path

    conn = sqlite3.connect(Path(argv[0]).resolve().as_uri() + "?mode=ro", uri=True,
                           timeout=10.0)
    try:
        conn.execute("PRAGMA mmap_size = 0")
        conn.execute("PRAGMA cache_size = -2048")
        data = SearchIndex.build(conn).dumps()
    finally:
        conn.close()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
