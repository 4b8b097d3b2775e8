"""What the bulk scoring (`bulk`) read, kept for the hits: the spans of the top documents'
matches and their counts in other fields, without Whoosh's matchers set up again for each
leaf and segment (a term or phrase matcher skipping to each hit re-read the blocks, and a
phrase's re-checked every document holding all its words between two hits).

`Read` is filled segment by segment while a query is scored: each plain term's postings (its
matcher and each block's place and last document), each adjacent phrase's matches (where it
starts and its first and last words' posting values), the documents each prefix, wildcard or
fuzzy term matched. The functions here answer from it as `querying.spans_in` and
`querying.match_counts` answer from the matchers, or return None where the scoring did not
evaluate that leaf in that segment (the caller then asks the matchers).

Relies on: `W3LeafMatcher._goto(offset)`, `_read_ids`, `_read_values`, `_ids`, `_values`
(a block read again from its place), and a format's `decoder("characters" | "positions")`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from whoosh import query

from folio_reader.index.search.whoosh_ext.querying import Phrase, match_counts, spans_in

Span = tuple[int, int]
#: A phrase's match in a document: the positions of its first word where the phrase starts, and
#: the posting values of its first and last words there (their characters give the spans).
PhraseMatch = tuple[frozenset[int], bytes, bytes]


class TermBlocks:
    """A plain term's postings in one segment as the scoring read them: the matcher (a
    `W3LeafMatcher`) and each block's place in the postings file and last document."""

    __slots__ = ("lasts", "matcher", "places")

    def __init__(self, matcher: Any) -> None:
        self.matcher = matcher
        self.places: list[int] = []
        self.lasts: list[int] = []

    def values(self, docnums: Sequence[int]) -> dict[int, bytes]:
        """The posting value in each of `docnums` (ascending) that holds the term, each block
        holding one of them read once."""
        m = self.matcher
        found: dict[int, bytes] = {}
        block = -1
        for docnum in docnums:
            i = bisect_left(self.lasts, docnum)
            if i == len(self.lasts):
                break
            if i != block:
                block = i
                m._goto(self.places[i])
                m._read_ids()
                m._read_values()
            ids = m._ids
            j = bisect_left(ids, docnum)
            if j < len(ids) and ids[j] == docnum:
                found[docnum] = m._values[j]
        return found


class Read:
    """What the scoring of one query read, by leaf and by segment offset (a segment missing
    under a leaf: that leaf was not evaluated there)."""

    def __init__(self) -> None:
        #: (field, term bytes) -> offset -> its blocks, None where the segment lacks the term
        self.terms: dict[tuple[str, bytes], dict[int, TermBlocks | None]] = {}
        #: (field, words) of each adjacent phrase -> offset -> local docnum -> its match
        self.phrases: dict[tuple[str, tuple[str, ...]], dict[int, dict[int, PhraseMatch]]] = {}
        #: each prefix, wildcard or fuzzy term -> offset -> the local docnums it matched
        self.words: dict[Any, dict[int, Collection[int]]] = {}


def hit_spans(
    read: Read | None, leaf: Any, sub: Any, offset: int, docnums: Sequence[int]
) -> Iterator[tuple[int, list[Span]]]:
    """`querying.spans_in(leaf, sub, docnums)` (for each of `docnums`, ascending and local to
    the segment searcher `sub` at `offset`, that `leaf` matches: its character spans), from
    what the scoring `read` where it has it."""
    kept = term_spans(read, leaf, sub, offset, docnums)
    if kept is None:
        kept = phrase_spans(read, leaf, sub, offset)
    if kept is None:
        yield from spans_in(leaf, sub, docnums)
        return
    for docnum in docnums:
        if docnum in kept:
            yield docnum, kept[docnum]


def hit_counts(
    read: Read | None, leaf: Any, sub: Any, offset: int, docnums: Sequence[int]
) -> Iterator[tuple[int, int]]:
    """`querying.match_counts(leaf, sub, docnums)` (how many times `leaf` matches in each of
    `docnums` it matches), from what the scoring `read` where it has it."""
    kept = term_counts(read, leaf, sub, offset, docnums)
    if kept is None:
        kept = phrase_counts(read, leaf, offset)
    if kept is None:
        matched = words_matched(read, leaf, offset)
        kept = None if matched is None else {d: 1 for d in docnums if d in matched}
    if kept is None:
        yield from match_counts(leaf, sub, docnums)
        return
    for docnum in docnums:
        if docnum in kept:
            yield docnum, kept[docnum]


def term_spans(
    read: Read | None, leaf: Any, sub: Any, offset: int, docnums: Sequence[int]
) -> dict[int, list[Span]] | None:
    """The character spans of the plain term `leaf` in each of `docnums` (ascending, local to
    the segment searcher `sub` at `offset`) it matches, as `querying.spans_in` finds them."""
    blocks = _term_blocks(read, leaf, sub, offset)
    fmt = sub.schema[leaf.fieldname].format if leaf.fieldname in sub.schema else None
    if blocks is None or fmt is None or not fmt.supports("characters"):
        return None
    if not blocks:
        return {}
    characters = fmt.decoder("characters")
    return {d: [(s, e) for _, s, e in characters(v)] for d, v in blocks[0].values(docnums).items()}


def term_counts(read: Read | None, leaf: Any, sub: Any, offset: int, docnums: Sequence[int]) -> dict[int, int] | None:
    """How many times the plain term `leaf` matches in each of `docnums` (ascending, local to
    `sub` at `offset`) it matches, as `querying.match_counts` counts them."""
    blocks = _term_blocks(read, leaf, sub, offset)
    if blocks is None:
        return None
    if not blocks:
        return {}
    fmt = sub.schema[leaf.fieldname].format
    found = blocks[0].values(docnums)
    if not fmt or not fmt.supports("positions"):
        return dict.fromkeys(found, 1)
    positions = fmt.decoder("positions")
    return {d: len(positions(v)) or 1 for d, v in found.items()}


def _term_blocks(read: Read | None, leaf: Any, sub: Any, offset: int) -> list[TermBlocks] | None:
    """[the term's blocks], [] when the segment lacks the term, None when not read there."""
    if read is None or type(leaf) is not query.Term or leaf.fieldname not in sub.schema:
        return None
    try:
        text = sub.schema[leaf.fieldname].to_bytes(leaf.text)
    except ValueError:
        return None
    by_segment = read.terms.get((leaf.fieldname, text))
    if by_segment is None or offset not in by_segment:
        return None
    blocks = by_segment[offset]
    return [] if blocks is None else [blocks]


def phrase_spans(read: Read | None, leaf: Any, sub: Any, offset: int) -> dict[int, list[Span]] | None:
    """The character spans of the adjacent phrase `leaf` (on a field with characters) in each
    document of the segment searcher `sub` (at `offset`) it matches, local docnum -> spans, as
    `querying.spans_in` finds them, from the positions the scoring kept."""
    kept = _phrase_matches(read, leaf, offset)
    fmt = sub.schema[leaf.fieldname].format
    if kept is None or not fmt.supports("characters"):
        return None
    characters = fmt.decoder("characters")
    last = len(leaf.words) - 1
    spans: dict[int, list[Span]] = {}
    for docnum, (starts, first, final) in kept.items():
        firsts = {p: start for p, start, _ in characters(first)}
        lasts = {p: end for p, _, end in characters(final)}
        spans[docnum] = [(firsts[p], lasts[p + last]) for p in sorted(starts)]
    return spans


def phrase_counts(read: Read | None, leaf: Any, offset: int) -> dict[int, int] | None:
    """How many times the adjacent phrase `leaf` matches in each document of the segment at
    `offset` it matches (as `querying.match_counts` counts them)."""
    kept = _phrase_matches(read, leaf, offset)
    return None if kept is None else {docnum: len(starts) for docnum, (starts, _, _) in kept.items()}


def _phrase_matches(read: Read | None, leaf: Any, offset: int) -> dict[int, PhraseMatch] | None:
    if read is None or type(leaf) is not Phrase or leaf.slop != 1:
        return None
    return read.phrases.get((leaf.fieldname, tuple(leaf.words)), {}).get(offset)


def words_matched(read: Read | None, leaf: Any, offset: int) -> Collection[int] | None:
    """The documents (local to the segment at `offset`) the prefix, wildcard or fuzzy term
    `leaf` matches there, as its scoring found them."""
    return None if read is None else read.words.get(leaf, {}).get(offset)
