"""Every place Folio relies on Whoosh's internals, in one module.

Whoosh (whoosh-reloaded 2.7.5, a frozen release) is fast enough here only with a few of its
hot paths replaced. Each class or function below says which private behaviour it relies on;
`tests/test_whoosh_ext.py` checks each against Whoosh's own result, so that an upgrade that
changes one fails there, not in a user's index. Nothing outside this module subclasses a
Whoosh class or touches a private attribute.

Whoosh is untyped: its classes are `Any` to mypy, hence the `type: ignore[misc]` on each
subclass.
"""

from __future__ import annotations

import pickle
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract
from whoosh import fields, qparser, query
from whoosh.collectors import TimeLimit, TopCollector
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

from folio_reader.index.analysis import term_postings

__all__ = [
    "BodyField",
    "CountingTopCollector",
    "FuzzyTermPlugin",
    "Phrase",
    "TimeLimit",
    "adopt_segment",
    "current_searcher",
    "expand",
    "is_damage",
    "merge_tiny_segments",
    "ram_index",
    "segments",
    "spans_in",
    "unlocked_writer",
]

# -- the index on disk ---------------------------------------------------------------------------

#: What the files Whoosh writes in an index folder are called (index name "MAIN"): the tables
#: of contents `_MAIN_<generation>.toc`, segment files `MAIN_<segment>.<ext>`, the write lock
#: `MAIN_WRITELOCK`, a writer's temporary storage `MAIN.tmp`. Relies on: the default index
#: name and FileStorage's naming.
WHOOSH_NAME_PREFIXES = ("_MAIN_", "MAIN_", "MAIN.")


def is_damage(exc: BaseException) -> bool:
    """Whether an error reading the index means the index (or its files) is damaged, not that
    Folio has a bug: an OS error, or any error raised inside Whoosh's own code (reading a
    garbled file, Whoosh raises struct, zlib, pickle, Unicode, type and value errors, its own
    FileFormatError and IndexError, and even a bare Exception). An error raised in Folio's
    code (snippets, spans, spelling) is a bug, even when Whoosh called that code. Relies on:
    Whoosh's modules living in the `whoosh` package."""
    if isinstance(exc, OSError):
        return True
    in_whoosh = False  # the innermost frames, after Folio's last, are Whoosh's (or below it)
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if not isinstance(module, str):
            pass
        elif module.startswith("folio_reader."):
            in_whoosh = False
        elif module == "whoosh" or module.startswith("whoosh."):
            in_whoosh = True
        tb = tb.tb_next
    return in_whoosh


class PrivateRamStorage(RamStorage):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's in-memory storage, but each writer's temporary files (its posting pool) go to
    a folder of their own. Whoosh puts those of every in-memory writer of every process in
    the one `<tmp>/MAIN.tmp` and deletes it when a writer finishes, so two processes writing
    an in-memory index at once broke each other (FileNotFoundError, found running
    `folio index` beside another test run). Relies on: SegmentWriter asking its storage's
    `temp_storage(name)` for that folder, and destroying it at the end."""

    def temp_storage(self, name: str | None = None) -> Any:
        return FileStorage(tempfile.mkdtemp(prefix="folio-whoosh-")).create()


def ram_index(schema: Any) -> Any:
    """A new, empty index in memory (with `PrivateRamStorage`)."""
    return PrivateRamStorage().create_index(schema)


# -- indexing -------------------------------------------------------------------------------------


class BodyField(fields.TEXT):  # type: ignore[misc]  # whoosh is untyped
    """The body: `TEXT(analyzer=text_analyzer(), phrase=True, chars=True)` whose `index()`
    computes the same postings from `analysis.term_postings` in one loop, where Whoosh runs a
    chain of generators with a Token object per word (a third of a build).

    Relies on: `FieldType.index()` yielding (term bytes, frequency, weight, value bytes), and
    the `Characters` format's value encoding: `pack_uint(n)` then a pickled list of
    (position delta, start-char delta from the previous end, length) per occurrence.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if kwargs or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for word, poslist in term_postings(value).items():
            deltas = []
            posbase = charbase = 0
            for pos, start, end in poslist:
                deltas.append((pos - posbase, start - charbase, end - start))
                posbase, charbase = pos, end
            yield (
                word.encode("utf-8"),
                len(poslist),
                float(len(poslist)) * boost,
                pack_uint(len(deltas)) + pickle.dumps(deltas, 2),
            )


class _PostingPool(PostingPool):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's posting pool without its per-posting type assertions (same size accounting).

    Relies on: `PostingPool.add(item)` with item = (fieldname, term bytes, docnum, weight,
    value bytes), and its `fieldnames`, `currentsize`, `limit`, `current`, `save()`."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


class _Lengths:
    """The document lengths of a segment being flushed, read once per field: Whoosh reads the
    length column file again for every posting (a fifth of a build). Stands in for the
    per-document reader that `FieldWriter.add_postings` asks `doc_field_length` of."""

    def __init__(self, reader: Any, doc_count: int) -> None:
        self._reader = reader
        self._doc_count = doc_count
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            field_length = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [field_length(d, fieldname, default) for d in range(self._doc_count)]
        return lengths[docnum]


class _SegmentWriter(SegmentWriter):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's SegmentWriter, flushing postings with `_Lengths` and `_PostingPool`.

    Relies on: the `poolclass` keyword, and `_flush_segment()` (private) with the attributes
    it uses: `perdocwriter`, `codec.length_stats`, `per_document_reader()`, `docnum`,
    `docbase`, `fieldwriter.add_postings(schema, lengths, postings)`, `pool.iter_postings()`."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("poolclass", _PostingPool)
        super().__init__(ix, **kwargs)

    def _flush_segment(self) -> None:  # as Whoosh's, with the lengths read once
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.docnum - self.docbase) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def unlocked_writer(ix: Any, **kwargs: Any) -> Any:
    """A writer that takes no write lock: the caller holds `ix.lock("WRITELOCK")` for a
    whole update of several commits. Segments are written as separate files, not one
    compound file (Whoosh reads a part of a compound file by copying it whole into memory).

    Relies on: SegmentWriter's private `_lk` keyword (False: do not take the lock)."""
    kwargs.setdefault("compound", False)
    return _SegmentWriter(ix, _lk=False, **kwargs)


def segments(ix: Any) -> list[Any]:
    """The segments of the index's latest generation. Relies on: `FileIndex._segments()`."""
    found: list[Any] = ix._segments()
    return found


def adopt_segment(writer: Any, segment: Any, source: Path, target: Path) -> None:
    """Move a segment written by another index (a worker's, in `source`) into the index of
    `writer` (in `target`); the writer's next commit lists it.

    Relies on: `Segment.make_filename("")` giving the prefix of the segment's files, and the
    writer's `segments` list being what `commit(merge=False)` writes to the table of contents."""
    prefix = segment.make_filename("")
    for path in source.iterdir():
        if path.name.startswith(prefix + "."):
            path.replace(target / path.name)
    writer.segments.append(segment)


def merge_tiny_segments(writer: Any, found: list[Any], *, max_docs: int, min_count: int) -> list[Any]:
    """A merge policy (`writer.commit(mergetype=…)`): the segments of under `max_docs` live
    documents are merged once there are `min_count` of them; the others are kept.

    Whoosh's MERGE_SMALL expects segment sizes in a Fibonacci-like progression; on the dozen
    equal segments of a parallel build it merged most of the index (50,000 documents: 233 s
    to update one file).

    Relies on: the mergetype contract (called with the writer and its segments, returns the
    segments to keep) and `writer.add_reader(reader)` copying a segment's documents in."""
    tiny = [s for s in found if s.doc_count() < max_docs]
    if len(tiny) < min_count:
        return found
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged = {s.segment_id() for s in tiny}
    return [s for s in found if s.segment_id() not in merged]


def current_searcher(ix: Any, searcher: Any | None) -> Any:
    """`searcher` if the index has not changed since it was opened, else a new one (the old
    one closed).

    Not `Searcher.refresh()`: it reuses segment readers and so misses deletions made since
    (whoosh 2.7.4/2.7.5), leaving deleted documents in results. Relies on: `up_to_date()`."""
    if searcher is not None and not searcher.up_to_date():
        searcher.close()
        searcher = None
    return searcher if searcher is not None else ix.searcher()


# -- searching ------------------------------------------------------------------------------------

#: (segment id, field) -> the segment's words; segments never change once written. Kept for
#: fuzzy terms, least recently used first, up to MAX_LEXICON_WORDS words in all.
_lexicons: OrderedDict[tuple[str, str], list[str]] = OrderedDict()
_lexicons_lock = threading.Lock()
MAX_LEXICON_WORDS = 1_000_000


def _segment_lexicon(reader: Any, fieldname: str) -> list[str]:
    key = (reader.segment().segment_id(), fieldname)
    with _lexicons_lock:
        words = _lexicons.get(key)
        if words is not None:
            _lexicons.move_to_end(key)
            return words
    words = [w.decode("utf-8") for w in reader.lexicon(fieldname)]
    with _lexicons_lock:
        _lexicons[key] = words
        total = sum(len(w) for w in _lexicons.values())
        while total > MAX_LEXICON_WORDS and len(_lexicons) > 1:
            _, dropped = _lexicons.popitem(last=False)
            total -= len(dropped)
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
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None  # noqa: SIM401 (a whoosh Schema has no .get)
        if field is None or not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)
        reader = searcher.reader()
        ms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, word) not in reader:
                return NullMatcher()
            ms.append(query.Term(self.fieldname, word).matcher(searcher, context))
        m = _PhraseMatcher(ms)
        return WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


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


def spans_in(leaf: Any, sub: Any, docnums: Sequence[int]) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """For each of `docnums` (ascending, local to the segment searcher `sub`) that `leaf`
    matches, its character spans there. Public matcher API (skip_to, id, spans)."""
    matcher = leaf.matcher(sub)
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum, [(sp.startchar, sp.endchar) for sp in matcher.spans()]
