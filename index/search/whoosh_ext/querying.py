"""Whoosh extensions for reading the index: the analyzer of `index.analysis`, the query parser
(identifiers, CJK, `-word`), fuzzy terms and phrases without Whoosh's slow paths, a collector
that counts exactly, and the spans and counts of a leaf's matches. See the package docstring."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract
from whoosh import qparser, query
from whoosh.analysis import Token, Tokenizer
from whoosh.collectors import TimeLimit as TimeLimit  # re-exported: what a deadline raises
from whoosh.collectors import TopCollector
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.qparser import syntax
from whoosh.qparser.taggers import FnTagger
from whoosh.query.spans import Span, SpanNear2
from whoosh.reading import SegmentReader

from folio_reader.index import analysis
from folio_reader.index.analysis import NAMES, PROSE, Profile
from folio_reader.index.lru import LRU

# -- analysis -------------------------------------------------------------------------------------


class FolioTokenizer(Tokenizer):  # type: ignore[misc]  # whoosh is untyped
    """`index.analysis` as a Whoosh analyzer: what a field indexes (`analyse`), and for a
    quoted phrase (mode "query") the chain of terms it looks for (`phrase_chain`). With
    `tokenize=False` (Whoosh's prefix, wildcard and fuzzy terms) the value is one term,
    lowercased, stemmed and folded, as Whoosh's StemmingAnalyzer made it.

    Relies on: Whoosh calling an analyzer with the keywords `positions`, `chars`,
    `removestops`, `mode`, `tokenize`, `start_pos`, `start_char`, and reading `text`, `pos`,
    `startchar`, `endchar`, `boost`, `stopped` of the (reused) Token it yields. The analyzer is
    pickled into the index's table of contents: this class must stay importable here."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FolioTokenizer) and other.profile == self.profile

    def __hash__(self) -> int:
        return hash(self.profile)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        profile = self.profile if removestops else Profile(self.profile.stem, frozenset(), 1)
        if not tokenize:
            word = value.lower()
            if removestops and (len(word) < profile.min_chars or word in profile.stoplist):
                return
            t.text = analysis.fold(analysis.stem(word) if profile.stem else word)
            t.original = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        if mode == "query":
            for n, (text, start, end) in enumerate(analysis.phrase_chain(value, profile)):
                t.text = t.original = text
                if positions:
                    t.pos = start_pos + n
                if chars:
                    t.startchar, t.endchar = start_char + start, start_char + end
                yield t
            return
        for text, pos, start, end in analysis.analyse(value, profile):
            t.text = t.original = text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def text_analyzer() -> FolioTokenizer:
    """Prose fields (title, body, path; an annotation's quote and note): stemmed terms,
    identifiers whole and in parts, CJK bigrams."""
    return FolioTokenizer(PROSE)


def name_analyzer() -> FolioTokenizer:
    """Names and tags: as prose, but not stemmed, and no word is a stop word."""
    return FolioTokenizer(NAMES)


class MinusPlugin(qparser.Plugin):  # type: ignore[misc]  # whoosh is untyped
    """`-word` excludes a word (or a phrase, a field query, a group): a `-` at the start of
    the query, or after a space or `(`, followed by something other than a space or another
    `-`. Inside a word (`x-ray`) or doubled (`--no-binary`) it is part of the word. (Whoosh's
    PlusMinusPlugin takes every `-` and works on the top group only.)

    Relies on: the plugin contract (`taggers`, `filters` with priorities: 505 runs after the
    whitespace is dropped at 500 and before the operators at 600), `FnTagger`,
    `syntax.MarkerNode`, `GroupNode.empty_copy` and `syntax.NotGroup`."""

    class Minus(syntax.MarkerNode):  # type: ignore[misc]
        pass

    EXPR = r"(?:(?<=\s)|(?<=\()|^)-(?=[^\s\-)])"

    def taggers(self, parser: Any) -> list[tuple[Any, int]]:
        return [(FnTagger(self.EXPR, self.Minus, "minus"), 0)]

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self._exclude, 505)]

    def _exclude(self, parser: Any, group: Any) -> Any:
        found = group.empty_copy()
        nodes = list(group)
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, self.Minus):
                if i + 1 < len(nodes) and not isinstance(nodes[i + 1], self.Minus):
                    target = nodes[i + 1]
                    if isinstance(target, syntax.GroupNode):
                        target = self._exclude(parser, target)
                    found.append(syntax.NotGroup([target]))
                    i += 2
                else:
                    i += 1  # a dangling minus
                continue
            if isinstance(node, syntax.GroupNode):
                node = self._exclude(parser, node)
            found.append(node)
            i += 1
        return found


class FolioQueryParser(qparser.QueryParser):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's parser, but a word of a field analysed by `FolioTokenizer` becomes what
    `analysis.query_units` says: a term, an identifier's whole token or the phrase of its
    parts, a CJK word's phrase of bigrams (a Korean word's whole token too). Whoosh would AND
    the tokens of a word anywhere in the document.

    Relies on: `QueryParser.term_query(fieldname, text, termclass, boost, tokenize,
    removestops)` being where a word node becomes a query, `termclass` being `query.Term` for a
    plain word, and `phraseclass`; the `MultifieldPlugin` (as Whoosh's `MultifieldParser`,
    a factory, adds it) for the fields a word without a field searches."""

    def __init__(self, fieldnames: Sequence[str], schema: Any, **kwargs: Any) -> None:
        super().__init__(None, schema, **kwargs)
        self.add_plugin(qparser.MultifieldPlugin(list(fieldnames)))

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: Any,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> Any:
        field = self.schema[fieldname] if self.schema is not None and fieldname in self.schema else None
        analyzer = getattr(field, "analyzer", None)
        if termclass is not query.Term or not tokenize or not isinstance(analyzer, FolioTokenizer):
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        found = [self._unit_query(fieldname, unit, boost) for unit in analysis.query_units(text, analyzer.profile)]
        if not found:
            return None
        return found[0] if len(found) == 1 else query.And(found)

    def _unit_query(self, fieldname: str, unit: analysis.QueryUnit, boost: float) -> Any:
        options = []
        if unit.whole is not None:
            options.append(query.Term(fieldname, unit.whole, boost=boost))
        if len(unit.chain) == 1:
            options.append(query.Term(fieldname, unit.chain[0], boost=boost))
        elif unit.chain:
            options.append(self.phraseclass(fieldname, list(unit.chain), boost=boost))
        return options[0] if len(options) == 1 else query.Or(options)


# -- searching ------------------------------------------------------------------------------------

#: (segment id, field) -> the segment's words; segments never change once written. Kept for
#: fuzzy terms, least recently used first, up to MAX_LEXICON_WORDS words in all.
MAX_LEXICON_WORDS = 1_000_000
_lexicons: LRU[tuple[str, str], list[str]] = LRU(MAX_LEXICON_WORDS, weigh=len)


def _segment_lexicon(reader: Any, fieldname: str) -> list[str]:
    key = (reader.segment().segment_id(), fieldname)
    words = _lexicons.get(key)
    if words is None:
        words = [w.decode("utf-8") for w in reader.lexicon(fieldname)]
        _lexicons.set(key, words)
    return words


class _FuzzyTerm(query.FuzzyTerm):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's FuzzyTerm, but a segment finds its words by edit distance over its word list
    in C (rapidfuzz), where Whoosh walks a Levenshtein automaton over the term dictionary in
    Python, segment after segment, several times a query. Same words: plain Levenshtein
    distance within `maxdist`, the first `prefixlength` characters equal.

    Relies on: `MultiTerm._btexts(reader)` (private) being where a multi-term query gets the
    words it stands for, and `SegmentReader.segment().segment_id()`."""

    def _btexts(self, ixreader: Any) -> Any:
        if not isinstance(ixreader, SegmentReader):
            return super()._btexts(ixreader)
        words = _segment_lexicon(ixreader, self.fieldname)
        prefix = self.text[: self.prefixlength]
        found = extract(self.text, words, scorer=Levenshtein.distance, score_cutoff=int(self.maxdist), limit=None)
        return sorted(word for word, _, _ in found if word.startswith(prefix))


class FuzzyTermPlugin(qparser.FuzzyTermPlugin):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's `word~` syntax making `_FuzzyTerm`s. Relies on: the nested `FuzzyTermNode`
    and its `qclass` attribute."""

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):  # type: ignore[misc]
        qclass = _FuzzyTerm


class _PhraseMatcher(SpanNear2.SpanNear2Matcher):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's phrase matcher (same documents, spans and scores) with the positions compared
    as sets instead of span by span in Python, which is where phrase queries spent their time.

    Relies on: `SpanNear2Matcher.__init__(ms, slop, ordered, mindist)`, its `ms` attribute,
    `_get_spans()` (private) and the sub-matchers' `value_as("characters" | "positions")`."""

    def __init__(self, ms: list[Any]) -> None:
        super().__init__(ms, slop=1, ordered=True, mindist=1)

    def copy(self) -> _PhraseMatcher:
        return self.__class__([m.copy() for m in self.ms])

    def _get_spans(self) -> list[Any]:
        ms = self.ms
        if ms[0].supports("characters"):
            lists = [m.value_as("characters") for m in ms]
        else:
            lists = [[(p, None, None) for p in m.value_as("positions")] for m in ms]
        starts = {p for p, _, _ in lists[0]}
        for k in range(1, len(lists)):
            starts.intersection_update([p - k for p, _, _ in lists[k]])
            if not starts:
                return []
        last = len(lists) - 1
        firsts = {p: start for p, start, _ in lists[0]}
        lasts = {p: end for p, _, end in lists[last]}
        return [Span(p, p + last, startchar=firsts[p], endchar=lasts[p + last]) for p in sorted(starts)]


class Phrase(query.Phrase):  # type: ignore[misc]  # whoosh is untyped
    """A phrase of adjacent words matched by `_PhraseMatcher` (a sloppy phrase by Whoosh's).

    Relies on: `Phrase.words`, `slop`, `boost`, `fieldname`, and the field's `to_bytes`."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        m = self.adjacent(searcher, lambda word: query.Term(self.fieldname, word).matcher(searcher, context))
        if m is None:
            return super().matcher(searcher, context)
        return WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 and isinstance(m, _PhraseMatcher) else m

    def adjacent(self, searcher: Any, term_matcher: Callable[[bytes], Any]) -> Any:
        """The `_PhraseMatcher` of an adjacent phrase (slop 1, two words or more, on a field
        with positions) over `term_matcher(word)` of each word's bytes, a NullMatcher when a
        word is not in `searcher`'s index; None for any other phrase (Whoosh's matcher)."""
        if self.slop != 1 or len(self.words) < 2:
            return None
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None  # noqa: SIM401 (a whoosh Schema has no .get)
        if field is None or not field.format or not field.format.supports("positions"):
            return None
        reader = searcher.reader()
        ms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, word) not in reader:
                return NullMatcher()
            ms.append(term_matcher(word))
        return _PhraseMatcher(ms)


class CountingTopCollector(TopCollector):  # type: ignore[misc]  # whoosh is untyped
    """The top N by score in one pass over every match, so that the count is exact, cut short
    at a deadline (raises `TimeLimit`).

    Whoosh's default skips blocks that cannot reach the top N and then counts the matches in
    a second pass (which also miscounts some NOT queries); at this corpus size the one full
    pass is cheaper than the two.

    Relies on: `TopCollector.collect(sub_docnum)`, its `replace` attribute (0: never replace
    the matcher by a quicker one that skips), `total` and `items` ((score, -docnum) pairs)."""

    def __init__(self, limit: int, deadline: float) -> None:
        super().__init__(limit=limit, usequality=False)
        self.replace = 0  # a replaced matcher drops branches that cannot reach the top N
        self.deadline = deadline

    def collect(self, sub_docnum: int) -> Any:
        if not self.total & 1023 and time.monotonic() > self.deadline:
            raise TimeLimit
        return super().collect(sub_docnum)

    def top(self) -> list[tuple[float, int]]:
        """(score, docnum) of the best, best first, then the lowest docnum."""
        return [(score, -negated) for score, negated in sorted(self.items, reverse=True)]


def expand(leaf: Any, searcher: Any) -> list[str]:
    """The indexed words a prefix, wildcard or fuzzy term stands for, in word order.

    Segment by segment and merged: each segment reader finds fuzzy words with its word
    automaton, where the multi-segment reader would compute an edit distance for every word.
    (`expanded_terms` rather than `simplify()`: Whoosh's `simplify` fails on FuzzyTerm.)"""
    words: set[bytes | str] = set()
    for sub, _ in searcher.leaf_searchers():
        words.update(word for _, word in leaf.expanded_terms(sub.reader()))
    return sorted(w.decode("utf-8") if isinstance(w, bytes) else w for w in words)


def unscored_matcher(leaf: Any, sub: Any) -> Any:
    """`leaf`'s matcher in the segment searcher `sub`, to walk and read spans from, never to
    score: a plain term's postings straight from the segment reader, without the scorer
    `Term.matcher` sets up (its idf and field-length statistics were half the cost of the
    hits' spans and field counts), an adjacent phrase over such postings of its words; any
    other leaf through its own `matcher`."""
    if isinstance(leaf, Phrase):
        m = leaf.adjacent(sub, lambda word: sub.reader().postings(leaf.fieldname, word))
        return leaf.matcher(sub) if m is None else m
    if type(leaf) is not query.Term:
        return leaf.matcher(sub)
    if leaf.fieldname not in sub.schema:
        return NullMatcher()
    try:
        text = sub.schema[leaf.fieldname].to_bytes(leaf.text)
    except ValueError:
        return NullMatcher()
    reader = sub.reader()
    if (leaf.fieldname, text) not in reader:
        return NullMatcher()
    return reader.postings(leaf.fieldname, text)


def spans_in(leaf: Any, sub: Any, docnums: Sequence[int]) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """For each of `docnums` (ascending, local to the segment searcher `sub`) that `leaf`
    matches, its character spans there. Public matcher API (skip_to, id, spans)."""
    matcher = unscored_matcher(leaf, sub)
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum, [(sp.startchar, sp.endchar) for sp in matcher.spans()]


def match_counts(leaf: Any, sub: Any, docnums: Sequence[int]) -> Iterator[tuple[int, int]]:
    """For each of `docnums` (ascending, local to `sub`) that `leaf` matches, how many times:
    a term's or phrase's spans where the field has positions, anything else (a prefix, a
    fuzzy term, a date range) once. Public matcher API."""
    field = sub.schema[leaf.fieldname]
    spans = isinstance(leaf, (query.Term, query.Phrase)) and bool(field.format) and field.format.supports("positions")
    matcher = unscored_matcher(leaf, sub)
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum, (len(matcher.spans()) or 1) if spans else 1
