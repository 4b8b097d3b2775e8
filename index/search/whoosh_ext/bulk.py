"""The top hits of a query scored in bulk: each plain term's postings read a block at a time
and scored with Whoosh's BM25F over whole blocks, the AND/OR/NOT around them combined as
maps of document to score. Whoosh walks a tree of matchers one document at a time (several
Python calls per posting and per level, and a field-length read per posting), which was most
of a search.

Same documents, totals and scores as Whoosh's matchers and `CountingTopCollector`: a term's
score is Whoosh's `bm25()` with the same operands in the same order, an OR adds its parts
left to right as Whoosh's array union does, an AND adds them (exactly as Whoosh when it has
two), a NOT inside an AND excludes and adds Whoosh's 1.0, a prefix or fuzzy term is the OR of
its words as `MultiTerm.matcher` makes it, a phrase matches where its words' positions follow
one another. Anything else (a date range, a sloppy phrase, a NOT on its own) is scored by its
own Whoosh matcher, stepped through. `tests/test_search_bulk.py` checks every benchmark query
against plain Whoosh.

Relies on: `W3LeafMatcher`'s block reading (`_read_ids`, `_read_weights`, `_read_values`,
`_ids`, `_weights`, `_values`, `_next_block`, `is_active`) and its block's place and form
(`_postfile`, `_dataoffset`, `_nextoffset`, `_compression`, `_blocklength`, `_byteids`,
`_data`; the data a protocol-2 pickle of (delta ids, weights, values)), `FilterMatcher.child` for a
segment with deletions, `SegmentReader._perdoc._cached_reader` and the lengths column of one
byte a document
(`codec.whoosh3.LENGTHS_COLUMN`, `_lenfield`, the column reader's `_dbfile`, `_basepos` and
`_count`), `BM25F.B`, `K1` and `_field_B`, `Searcher.idf` and `avg_field_length` as its
scorer reads them, `byte_to_length`, and a format's `decoder("positions")`.
"""

from __future__ import annotations

import heapq
import pickle
import re
import time
import zlib
from itertools import accumulate
from operator import itemgetter
from typing import Any, NamedTuple

from whoosh import formats, query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.collectors import TimeLimit
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from folio_reader.index.lru import LRU
from folio_reader.index.search.whoosh_ext.kept import PhraseMatch, Read, TermBlocks
from folio_reader.index.search.whoosh_ext.querying import CountingTopCollector, Phrase

Scores = dict[int, float]
#: (segment id, field) -> the length byte of each document; segments never change once written.
MAX_LENGTH_BYTES = 8 * 1024 * 1024
_lengths: LRU[tuple[str, str], bytes] = LRU(MAX_LENGTH_BYTES, weigh=len)


class TopDocuments(NamedTuple):
    total: int  #: documents matched (in the segments searched before a deadline)
    top: list[tuple[float, int]]  #: (score, docnum), best first, then the lowest docnum
    cut_short: bool  #: the deadline passed: only part of the index was searched
    #: what the scoring read, for the hits' spans and counts (`kept`); None: Whoosh's collector ran
    read: Read | None = None


def top_documents(searcher: Any, q: Any, limit: int, deadline: float) -> TopDocuments:
    """The `limit` best documents of the parsed query `q` and how many match, as Whoosh's
    `CountingTopCollector` finds them; the search stops at `deadline` (`time.monotonic()`)."""
    if not isinstance(searcher.weighting, BM25F) or not _combined(q):
        collector = CountingTopCollector(limit, deadline)
        try:
            searcher.search_with_collector(q, collector)
        except TimeLimit:
            return TopDocuments(collector.total, collector.top(), True)
        return TopDocuments(collector.total, collector.top(), False)
    context = searcher.context()
    best: list[tuple[float, int]] = []  # (score, -docnum): a min-heap of the best `limit`
    total = 0
    read = Read()
    for sub, offset in searcher.leaf_searchers():
        try:
            scores = _Evaluation(sub, context, deadline, read, offset).scores(q)
        except TimeLimit:
            return TopDocuments(total, _ranked(best), True, read)
        total += len(scores)
        found = heapq.nlargest(limit, ((score, -(docnum + offset)) for docnum, score in scores.items()))
        best = heapq.nlargest(limit, [*best, *found])
    return TopDocuments(total, _ranked(best), False, read)


def _ranked(best: list[tuple[float, int]]) -> list[tuple[float, int]]:
    return [(score, -negated) for score, negated in sorted(best, reverse=True)]


def _combined(q: Any) -> bool:
    """Whether `q` is one this module combines itself (else Whoosh's collector runs it)."""
    return type(q) in (query.Term, query.And, query.Or, Phrase) or _is_words(q)


class _Evaluation:
    """One query on one segment searcher: document -> score, as Whoosh's matchers give it."""

    def __init__(self, sub: Any, context: Any, deadline: float, read: Read, offset: int) -> None:
        self.sub = sub
        self.context = context
        self.deadline = deadline
        self.weighting = sub.weighting
        self.parent = sub.get_parent()
        self.read = read  #: where what is read goes, under the segment's `offset`
        self.offset = offset

    def scores(self, q: Any) -> Scores:
        if time.monotonic() > self.deadline:
            raise TimeLimit
        kind = type(q)
        found: Scores | None = None
        if kind is query.Term:
            found = self._term(q)
        elif kind is query.And:
            found = self._and(q)
        elif kind is query.Or:
            found = self._or(q)
        elif kind is Phrase:
            found = self._phrase(q)
        elif _is_words(q):
            found = self._words(q)
            if found is not None:
                self.read.words.setdefault(q, {})[self.offset] = found.keys()
        return self._stepped(q) if found is None else found

    def _stepped(self, q: Any) -> Scores:
        """Whoosh's own matcher for `q`, stepped through."""
        m = q.matcher(self.sub, self.context)
        found: Scores = {}
        while m.is_active():
            found[m.id()] = m.score()
            m.next()
        return found

    def _term(self, q: Any) -> Scores | None:
        sub, name = self.sub, q.fieldname
        if name not in sub.schema or q.minquality:
            return None
        field = sub.schema[name]
        if not field.scorable:
            return None
        try:
            text = field.to_bytes(q.text)
        except ValueError:
            return {}
        if (name, text) not in sub.reader():
            self.read.terms.setdefault((name, text), {})[self.offset] = None
            return {}
        found = self._postings(name, text, None)
        if found is None:
            return None
        return _boosted(found, q.boost) if q.boost != 1.0 else found

    def _postings(self, name: str, text: bytes, values: dict[int, bytes] | None = None) -> Scores | None:
        """The BM25F score of each document holding the term (`text` in field `name`, known to
        be in the segment), read a block at a time; with `values`, each one's posting value
        goes there too (else the values are left unread). None when the postings are not
        Whoosh's on-disk ones."""
        reader = self.sub.reader()
        m = reader.postings(name, text)
        deleted: frozenset[int] = frozenset()
        if type(m) is FilterMatcher:
            deleted, m = reader.deleted_docs_set, m.child
        if type(m) is not W3LeafMatcher:
            return None
        weighting = self.weighting
        b, k1 = weighting._field_B.get(name, weighting.B), weighting.K1
        idf = self.parent.idf(name, text)
        avgfl = self.parent.avg_field_length(name) or 1
        # bm25(idf, tf, fl, avgfl, B, K1) = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        # with fl one of 256 lengths: the right-hand term computed once for each
        norms = _norms(b, k1, avgfl)
        k1_1 = k1 + 1
        lengths = _segment_lengths(reader, name)
        found: Scores = {}
        blocks = self._blocks(name, text, m)
        at = m._baseoffset
        while m.is_active():
            blocks.places.append(at)
            blocks.lasts.append(m._maxid)
            if values is None:
                ids, weights = _block_head(m)
            else:
                m._read_ids()
                m._read_weights()
                m._read_values()
                ids, weights = m._ids, m._weights
                values.update(zip(ids, m._values, strict=True))
            for docnum, tf in zip(ids, weights, strict=True):
                found[docnum] = idf * ((tf * k1_1) / (tf + norms[lengths[docnum]]))
            at = m._nextoffset
            m._next_block()
        for docnum in deleted:
            found.pop(docnum, None)
        return found

    def _blocks(self, name: str, text: bytes, m: Any) -> TermBlocks:
        """A new record of the term's blocks in this segment, kept in `read` (the last read)."""
        blocks = TermBlocks(m)
        self.read.terms.setdefault((name, text), {})[self.offset] = blocks
        return blocks

    def _phrase(self, q: Any) -> Scores | None:
        """Folio's phrase of adjacent words (`querying.Phrase`), as its matcher finds and
        scores it: the documents where the words' positions follow one another, scored as
        Whoosh's intersection of the words' terms adds them (a binary tree, order kept). Each
        match's positions are kept (`phrases`) for its spans."""
        sub, name = self.sub, q.fieldname
        if q.slop != 1 or len(q.words) < 2 or name not in sub.schema:
            return None
        field = sub.schema[name]
        if not field.format or not field.format.supports("positions") or not field.scorable:
            return None
        reader = sub.reader()
        key = (name, tuple(q.words))
        words = []
        for word in q.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                word = None
            if word is None or (name, word) not in reader:
                self.read.phrases.setdefault(key, {})[self.offset] = {}
                return {}
            words.append(word)
        scores: list[Scores] = []
        values: list[dict[int, bytes]] = []
        for word in words:
            found_values: dict[int, bytes] = {}
            found = self._postings(name, word, found_values)
            if found is None:
                return None
            scores.append(found)
            values.append(found_values)
        docnums: Any = min(scores, key=len).keys()
        for found in scores:
            docnums = docnums & found.keys()
        positions = _positions_decoder(field.format)
        matched: Scores = {}
        kept: dict[int, PhraseMatch] = {}
        last = len(words) - 1
        for docnum in sorted(docnums):
            starts = set(positions(values[0][docnum]))
            for k in range(1, len(words)):
                starts.intersection_update([p - k for p in positions(values[k][docnum])])
                if not starts:
                    break
            if starts:
                matched[docnum] = _tree_sum([found[docnum] for found in scores])
                kept[docnum] = (frozenset(starts), values[0][docnum], values[last][docnum])
        self.read.phrases.setdefault(key, {})[self.offset] = kept
        return _boosted(matched, q.boost) if q.boost != 1.0 else matched

    def _words(self, q: Any) -> Scores | None:
        """A prefix, wildcard or fuzzy term, as `MultiTerm.matcher` scores it: the words it
        stands for in this segment ORed, each word's BM25F score added; but a constant-score
        one (Whoosh's default) of three words or more in a segment of up to 5,000 documents
        scores 1.0 (Whoosh's array union, unscored, counts a match as 1)."""
        words = [word for word in q._btexts(self.sub.reader()) if word]
        terms = [query.Term(q.field(), word) for word in words]
        if not terms:
            return {}
        if len(terms) == 1:
            return self.scores(terms[0])
        array_union = len(terms) >= query.Or.TOO_MANY_CLAUSES or (
            not self.context.needs_current and len(terms) > 2 and self.sub.doc_count_all() <= 5000
        )
        if array_union and q.constantscore:
            docnums: set[int] = set()
            for term in terms:
                ids = self._ids(term)
                docnums.update(self.scores(term) if ids is None else ids)
            return dict.fromkeys(docnums, 1.0)
        return self._or(query.Or(terms, boost=q.boost))

    def _ids(self, q: Any) -> set[int] | None:
        """The documents the plain term `q` matches, its postings' ids unscored (no BM25, no
        weights); None when its postings are not Whoosh's on-disk ones."""
        reader, name = self.sub.reader(), q.fieldname
        if name not in self.sub.schema:
            return None
        try:
            text = self.sub.schema[name].to_bytes(q.text)
        except ValueError:
            return set()
        if (name, text) not in reader:
            self.read.terms.setdefault((name, text), {})[self.offset] = None
            return set()
        m = reader.postings(name, text)
        deleted: frozenset[int] = frozenset()
        if type(m) is FilterMatcher:
            deleted, m = reader.deleted_docs_set, m.child
        if type(m) is not W3LeafMatcher:
            return None
        found: set[int] = set()
        blocks = self._blocks(name, text, m)
        at = m._baseoffset
        while m.is_active():
            blocks.places.append(at)
            blocks.lasts.append(m._maxid)
            found.update(_block_head(m)[0])
            at = m._nextoffset
            m._next_block()
        return found - deleted if deleted else found

    def _or(self, q: Any) -> Scores | None:
        subs = q.subqueries
        if len(subs) == 1:
            return self.scores(subs[0])  # as Whoosh: one part is its own matcher, unboosted
        if not subs:
            return {}
        if q.scale or q.minmatch or any(isinstance(s, query.Not) for s in subs):
            return None
        found = dict(self.scores(subs[0]))
        get = found.get
        for s in subs[1:]:
            for docnum, score in self.scores(s).items():
                had = get(docnum)
                found[docnum] = score if had is None else had + score
        return _boosted(found, q.boost) if q.boost != 1.0 else found

    def _and(self, q: Any) -> Scores | None:
        subs = q.subqueries
        if len(subs) == 1:
            return self.scores(subs[0])
        if not subs:
            return {}
        required = [s for s in subs if not isinstance(s, query.Not)]
        excluded = [s.query for s in subs if isinstance(s, query.Not)]
        if not required:
            return None
        parts = [self.scores(s) for s in required]
        smallest = min(parts, key=len)
        docnums: Any = smallest.keys()
        for part in parts:
            if part is not smallest:
                docnums = docnums & part.keys()
        for s in excluded:
            if not docnums:
                break
            docnums = docnums - self.scores(s).keys()
        # each NOT is Whoosh's inverse matcher, scoring 1.0 where it matches
        bonus = float(len(excluded))
        if len(parts) == 2:
            first, second = parts
            found = {d: first[d] + second[d] for d in docnums}
        else:
            found = {d: sum(part[d] for part in parts) for d in docnums}
        if bonus:
            found = {d: score + bonus for d, score in found.items()}
        return _boosted(found, q.boost) if q.boost != 1.0 else found


#: The opening of a block's pickle (protocol 2) up to its values: the tuple of its ids (deltas,
#: each one a BININT1, BININT2 or BININT; four or more in a MARK ... TUPLE, one to three in a
#: TUPLE1-3), then its weights (None, one float, or a tuple of floats likewise), each tuple
#: memoised (BINPUT, LONG_BINPUT). Each opcode's first byte says how long it is, so a match is
#: the pickle's own opcodes, never a misreading of their arguments.
_BLOCK_HEAD_RE = re.compile(
    rb"\x80\x02"  # PROTO 2
    rb"(?:\((?:K.|M..|J....)*t|(?:K.|M..|J....){1,3}[\x85-\x87])(?:q.|r....)?"  # the ids
    rb"(?:\((?:G.{8})*t(?:q.|r....)?|(?:G.{8}){1,3}[\x85-\x87](?:q.|r....)?|G.{8}|N)",  # the weights
    re.DOTALL,
)
#: TUPLE2, STOP: what makes the opening a pickle of (ids, weights).
_HEAD_END = b"\x86."


def _block_head(m: Any) -> tuple[Any, Any]:
    """The ids and weights of the block `m` (a `W3LeafMatcher`) is on, as `_read_ids` and
    `_read_weights` make them, without its values: only the opening of the block is
    decompressed and unpickled (the values, each a `_codecs.encode` call in the pickle, were
    most of the cost of reading a plain term). Whoosh's own reading when the opening is not as
    expected."""
    count = m._blocklength
    if not m._byteids and m._data is None:
        data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        # at most: PROTO, each id and weight with its opcode, two MARKs, TUPLEs, LONG_BINPUTs
        most = 2 + 5 * count + 9 * count + 2 * (1 + 1 + 5)
        head = zlib.decompressobj().decompress(data, most) if m._compression else data[:most]
        found = _BLOCK_HEAD_RE.match(head)
        if found is not None:
            ids, weights = pickle.loads(found.group() + _HEAD_END)
            if weights is None or type(weights) is float:
                weights = (1.0 if weights is None else weights,) * count
            if type(ids) is tuple and len(ids) == count and type(weights) is tuple and len(weights) == count:
                return tuple(accumulate(ids)), weights
    m._read_ids()
    m._read_weights()
    return m._ids, m._weights


def _is_words(q: Any) -> bool:
    """Whether `q` is matched as `MultiTerm.matcher` matches (the `*` of a prefix or a
    wildcard alone matches every document instead)."""
    if not isinstance(q, query.MultiTerm):
        return False
    matcher = type(q).matcher
    if matcher is query.Prefix.matcher:
        return bool(q.text)
    if matcher is query.Wildcard.matcher:
        return bool(q.text != "*")
    return matcher is query.MultiTerm.matcher


def _positions_decoder(fmt: Any) -> Any:
    """`fmt.decoder("positions")`, but for Whoosh's `Characters` and `Positions` formats one
    that adds up the position deltas in C (Whoosh's loops in Python were most of a phrase's
    cost): a value is `pack_uint(n)` then a pickled list of deltas (`Characters`: a tuple
    starting with it per occurrence), its STOP sometimes left off."""
    kind = type(fmt)
    if kind is formats.Characters:
        first = itemgetter(0)

        def characters(value: bytes) -> list[int]:
            codes = pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".")
            return list(accumulate(map(first, codes)))

        return characters
    if kind is formats.Positions:

        def positions(value: bytes) -> list[int]:
            return list(accumulate(pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".")))

        return positions
    return fmt.decoder("positions")


def _tree_sum(parts: list[float]) -> float:
    """The parts added as Whoosh's `make_binary_tree` of matchers adds them."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def _boosted(found: Scores, boost: float) -> Scores:
    return {docnum: score * boost for docnum, score in found.items()}


_norm_tables: LRU[tuple[float, float, float], list[float]] = LRU(64)


def _norms(b: float, k1: float, avgfl: float) -> list[float]:
    """`K1 * ((1 - B) + B * fl / avgfl)` for each length byte `fl` stands for."""
    key = (b, k1, avgfl)
    found = _norm_tables.get(key)
    if found is None:
        found = [k1 * ((1 - b) + b * byte_to_length(n) / avgfl) for n in range(256)]
        _norm_tables.set(key, found)
    return found


def _segment_lengths(reader: Any, fieldname: str) -> bytes:
    """The length byte of each document of the segment in `fieldname` (0: none)."""
    key = (reader.segment().segment_id(), fieldname)
    found = _lengths.get(key)
    if found is None:
        count = reader.doc_count_all()
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            found = bytes(count)
        else:
            stored = min(column._count, count)
            found = bytes(column._dbfile.get(column._basepos, stored)) + bytes(count - stored)
        _lengths.set(key, found)
    return found
