"""The Whoosh index of a corpus: schema, incremental build, queries, snippets and hit spans.

One `FolioIndex` per corpus. `update()` brings the index in line with the folder (stat first,
then content hash; only what changed is written) and may run in a background thread while
`search()` answers from what is committed so far. Whoosh searchers are not thread-safe, so the
one searcher is shared under a lock and refreshed after each commit.

Hit spans come from the index itself (the body is indexed with character offsets into the
canonical text), so a phrase match is one span over the whole phrase. Snippets are cut from the
canonical text around the densest run of spans, with the spans given relative to the snippet:
no markup anywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extract
from whoosh import fields, index, qparser, query
from whoosh.collectors import TimeLimit, TopCollector
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint
from whoosh.util.filelock import try_for
from whoosh.writing import PostingPool, SegmentWriter

from folio_reader.index import analysis, locations
from folio_reader.index.analysis import name_analyzer, text_analyzer
from folio_reader.index.atomic_io import read_json_file, write_atomic, write_json_atomic
from folio_reader.index.corpus import Corpus, DocMeta, Document, FileEntry, Problem, UnreadableError
from folio_reader.index.listing import LISTING, save_listing

SCHEMA_VERSION = 5
MARKER = "folio-index.json"
FIELDS = ("title", "author", "outlet", "date", "body")
MAX_QUERY_CHARS = 1000
MIN_WILDCARD_PREFIX = 2
SEARCH_TIME_LIMIT = 3.0
OPEN_LOCK_TIMEOUT = 10.0
SNIPPET_CHARS = 180
MAX_SNIPPET_SPANS = 2000
#: Only this many characters of a document's body are indexed (the rest is still readable).
MAX_INDEXED_CHARS = 8 * 1024 * 1024
#: The texts of recent hits are kept for snippets, up to this many characters in all.
TEXT_CACHE_CHARS = 8 * 1024 * 1024

ProgressFn = Callable[[int, int, str], None]


_TOKEN_RE = analysis.WORD_RE
_term = analysis.term


def body_word_values(text: str) -> dict[str, list[tuple[int, int, int]]]:
    """The (position, start char, end char) of every indexed word of `text`, by word: what
    `text_analyzer()` yields, in one loop instead of a chain of generators (a third of a build).

    Positions as Whoosh's StopFilter renumbers them: the first kept word keeps its place among
    all tokens, each later one counts one more."""
    seen: dict[str, list[tuple[int, int, int]]] = {}
    pos = -1
    first = True
    for raw, m in enumerate(_TOKEN_RE.finditer(text)):
        term = _term(m.group())
        if term is None:
            continue
        if first:
            pos, first = raw, False
        else:
            pos += 1
        entry = (pos, m.start(), m.end())
        found = seen.get(term)
        if found is None:
            seen[term] = [entry]
        else:
            found.append(entry)
    return seen


class BodyField(fields.TEXT):
    """The body: `TEXT(analyzer=text_analyzer(), phrase=True, chars=True)` whose index()
    computes the same postings as Whoosh's analyzer chain and Characters format, faster."""

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for word, poslist in body_word_values(value).items():
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


def make_schema() -> fields.Schema:
    stem = text_analyzer()
    names = name_analyzer()
    return fields.Schema(
        path=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=stem, field_boost=3.0),
        author=fields.TEXT(analyzer=names),
        outlet=fields.TEXT(analyzer=names),
        date=fields.DATETIME(),
        body=BodyField(analyzer=stem, phrase=True, chars=True),
        meta=fields.STORED(),
    )


# -- results ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Hit:
    rel: str
    title: str
    outlet: str | None
    author: str | None
    date: dt.date | None
    score: float
    snippet: str
    snippet_spans: list[tuple[int, int]]
    matches: int
    spans: list[tuple[int, int]]
    stale: bool = False  #: the file changed since it was indexed: spans may be off

    def to_json(self) -> dict:
        return {
            "path": self.rel,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "snippet_spans": [list(s) for s in self.snippet_spans],
            "matches": self.matches,
            "spans": [list(s) for s in self.spans],
        }


@dataclass(slots=True)
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    error: str | None = None  #: why the query could not be run, in words
    suggestion: str | None = None  #: a corrected query when nothing matched
    note: str | None = None  #: e.g. "search answers from 1,200 of 5,000 documents indexed so far"
    damaged: bool = False  #: the index could not be read: the caller should rebuild it
    seconds: float = 0.0


@dataclass(slots=True)
class UpdateReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    locked: bool = False  #: another process holds the writer: the index was left as it stands
    cancelled: bool = False
    messages: list[str] = field(default_factory=list)

    @property
    def indexed(self) -> int:
        return self.added + self.updated


class QueryError(ValueError):
    """A query that cannot be run; the message says why in words."""


# -- query validation ---------------------------------------------------------------------------

_FIELD_RE = re.compile(r"(?<![\w\"'])([A-Za-z_]+):")
_EMPTY_FIELD_RE = re.compile(r"(?<![\w\"'])([A-Za-z_]+):(?=\s|$|\))")
_WILDCARD_RE = re.compile(r"(?<![\w\"])([^\s\"()]*)[*?]")
_DATE_CLAUSE_RE = re.compile(r"date:(\[[^\]]*\]|\{[^}]*\}|[<>]=?\S+|\S+)")
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def normalise_query(text: str) -> str:
    return text.translate(_CURLY).strip()


def _outside_quotes(text: str) -> str:
    """The query with the inside of each quoted phrase blanked out (same length)."""
    return re.sub(r'"[^"]*"', lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)


def validate_query(text: str) -> None:
    """Raise `QueryError` for what Whoosh would silently misread."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(text):,} characters (the limit is {MAX_QUERY_CHARS:,})")
    if not text:
        raise QueryError("nothing to search for")
    if text.count('"') % 2:
        raise QueryError('unclosed quote: a phrase needs a closing "')
    bare = _outside_quotes(text)
    for m in _FIELD_RE.finditer(bare):
        name = m.group(1)
        if name not in FIELDS:
            raise QueryError(f"unknown field {name}: (fields are {', '.join(f + ':' for f in FIELDS)})")
    m = _EMPTY_FIELD_RE.search(bare)
    if m:
        raise QueryError(f"{m.group(1)}: needs something to search for after the colon")
    for m in _WILDCARD_RE.finditer(bare):
        stem = m.group(1).split(":")[-1]
        if len(re.sub(r"\W", "", stem)) < MIN_WILDCARD_PREFIX:
            raise QueryError(f"a wildcard needs at least {MIN_WILDCARD_PREFIX} letters before * or ?")
    words = [w for w in re.findall(r"[^\s()]+", bare) if w not in _OPERATORS]
    if not words:
        raise QueryError("nothing to search for: the query holds only operators")


def _is_null(q: query.Query) -> bool:
    return isinstance(q, type(query.NullQuery))


def _leaves(q: query.Query, *, negated: bool = False) -> Iterator[tuple[query.Query, bool]]:
    if isinstance(q, query.Not):
        yield from _leaves(q.query, negated=not negated)
    elif isinstance(q, query.AndNot):
        yield from _leaves(q.a, negated=negated)
        yield from _leaves(q.b, negated=not negated)
    elif q.is_leaf() or isinstance(q, query.Phrase):
        yield q, negated
    else:
        for child in q.children():
            yield from _leaves(child, negated=negated)


#: A prefix, wildcard or fuzzy term is expanded to at most this many words for hit spans.
MAX_EXPANSION = 200


def _positive_body_leaves(q: query.Query, searcher) -> Iterator[query.Query]:
    """The body-field leaves whose matches are hits (not under NOT), multi-terms expanded."""
    for leaf, negated in _leaves(q):
        if negated or getattr(leaf, "fieldname", None) != "body":
            continue
        if isinstance(leaf, query.MultiTerm):
            for word in _expand(leaf, searcher)[:MAX_EXPANSION]:
                yield query.Term("body", word)
        else:
            yield leaf


def _expand(leaf: query.MultiTerm, searcher) -> list[str]:
    """The indexed words a prefix, wildcard or fuzzy term stands for, in word order.

    Segment by segment and merged: each segment reader finds fuzzy words with its word
    automaton, where the multi-segment reader would compute an edit distance for every word.
    (expanded_terms rather than simplify(): whoosh's simplify fails on FuzzyTerm.)"""
    words: set[bytes | str] = set()
    for sub, _ in searcher.leaf_searchers():
        words.update(word for _, word in leaf.expanded_terms(sub.reader()))
    return sorted(w.decode("utf-8") if isinstance(w, bytes) else w for w in words)


#: (segment id, field) -> the segment's words; segments never change once written. Kept for
#: fuzzy terms, least recently used first, up to MAX_LEXICON_WORDS words in all.
_lexicons: OrderedDict[tuple[str, str], list[str]] = OrderedDict()
_lexicons_lock = threading.Lock()
MAX_LEXICON_WORDS = 1_000_000


def _segment_lexicon(reader, fieldname: str) -> list[str]:
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


class _FuzzyTerm(query.FuzzyTerm):
    """Whoosh's FuzzyTerm, but a segment finds its words by edit distance over its word list
    in C (rapidfuzz), where Whoosh walks a Levenshtein automaton over the term dictionary in
    Python, segment after segment, several times a query. Same words: plain Levenshtein
    distance within `maxdist`, the first `prefixlength` characters equal."""

    def _btexts(self, ixreader):
        if not isinstance(ixreader, SegmentReader):
            return super()._btexts(ixreader)
        words = _segment_lexicon(ixreader, self.fieldname)
        prefix = self.text[: self.prefixlength]
        found = extract(self.text, words, scorer=Levenshtein.distance, score_cutoff=int(self.maxdist), limit=None)
        return sorted(word for word, _, _ in found if word.startswith(prefix))


class _FuzzyTermPlugin(qparser.FuzzyTermPlugin):
    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        qclass = _FuzzyTerm


class _PhraseMatcher(SpanNear2.SpanNear2Matcher):
    """Whoosh's phrase matcher (same documents, spans and scores) with the positions compared
    as sets instead of span by span in Python, which is where phrase queries spent their time."""

    def __init__(self, ms: list) -> None:
        super().__init__(ms, slop=1, ordered=True, mindist=1)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms])

    def _get_spans(self):
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


class _Phrase(query.Phrase):
    """A phrase of adjacent words matched by `_PhraseMatcher` (a sloppy phrase by Whoosh's)."""

    def matcher(self, searcher, context=None):
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


class _CountingTopCollector(TopCollector):
    """The top N by score in one pass over every match, so that the count is exact, cut short
    at a deadline.

    Whoosh's default skips blocks that cannot reach the top N and then counts the matches in
    a second pass (which also miscounts some NOT queries); at this corpus size the one full
    pass is cheaper than the two.
    """

    def __init__(self, limit: int, deadline: float) -> None:
        super().__init__(limit=limit, usequality=False)
        self.replace = 0  # a replaced matcher drops branches that cannot reach the top N
        self.deadline = deadline

    def collect(self, sub_docnum: int):
        if not self.total & 1023 and time.monotonic() > self.deadline:
            raise TimeLimit
        return super().collect(sub_docnum)


def _closeness(word: str, candidate: str, searcher) -> tuple[int, bool, float, str]:
    """Sort key for spelling candidates: edit distance, then same first letter, then how often
    the candidate's stem occurs in the bodies."""
    term = _term(candidate)
    frequency = searcher.frequency("body", term) if term else 0
    return (Levenshtein.distance(word, candidate), candidate[:1] != word[:1], -frequency, candidate)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(
    text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """A one-line excerpt around the densest run of spans, and the spans inside it (relative)."""
    if not spans:
        start = len(text) - len(text.lstrip())
        window = (start, min(len(text), start + width))
    else:
        # the window with the most distinct matched words, then the most matches
        words = [text[s:e].casefold() for s, e in spans[:MAX_SNIPPET_SPANS]]
        best, best_count, best_key = 0, 1, (0, 0)
        j = 0
        for i, (s, _) in enumerate(spans[:MAX_SNIPPET_SPANS]):
            j = max(j, i + 1)
            while j < len(words) and spans[j][1] <= s + width:
                j += 1
            key = (len(set(words[i:j])), j - i)
            if key > best_key:
                best, best_count, best_key = i, j - i, key
        first = spans[best]
        last_end = max(e for _, e in spans[best : best + best_count])
        slack = max(0, width - (last_end - first[0])) // 3
        window = (max(0, first[0] - slack), min(len(text), max(last_end, first[0] - slack + width)))
    start, end = _to_word_boundaries(text, *window)
    while start < end and text[start].isspace():
        start += 1
    body = text[start:end].replace("\n", " ").replace("\t", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    rel = [
        (max(s, start) - start + len(prefix), min(e, end) - start + len(prefix))
        for s, e in spans
        if s < end and e > start
    ]
    return prefix + body + suffix, rel


def _to_word_boundaries(text: str, start: int, end: int) -> tuple[int, int]:
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    return start, end


# -- building -----------------------------------------------------------------------------------

#: Parallel builds: worker processes only when at least this many files are to be (re)indexed.
PARALLEL_MIN_DOCS = 400
MAX_PROCS = 4
#: The first batch of a parallel build (bytes of files); see `_batches`. Each batch is a
#: segment: about 8 for 5,000 documents, 14 for 50,000 (merging them after would cost
#: Whoosh about as much as indexing again).
FIRST_BATCH_BYTES = 2 << 20
#: The posting pool of a worker, by Whoosh's estimate (about 10 MB a MB of text). A batch
#: that overflows it is sorted to disk in runs and merged back: a third more CPU.
WORKER_LIMIT_MB = 256
#: At most this many bytes of files a batch, so that a batch fits its pool.
MAX_BATCH_BYTES = 24 << 20
STAGING = "staging"
VOCABULARY = "words.txt"


def _document_fields(corpus: Corpus, entry: FileEntry) -> tuple[dict, str | None]:
    """The fields to index for one file, and the reason when it cannot be read (then the
    fields record only the problem, so that the file is not read again until it changes)."""
    try:
        data = corpus.read_bytes(entry)
        doc = corpus.document_from_bytes(entry, data, with_paragraphs=False)
    except UnreadableError as exc:
        meta = {"size": entry.size, "mtime_ns": entry.mtime_ns, "problem": str(exc)}
        return {"path": entry.rel, "meta": meta}, str(exc)
    meta = doc.meta
    fields_ = {
        "path": entry.rel,
        "title": meta.title,
        "body": doc.text[:MAX_INDEXED_CHARS],
        "meta": meta.to_json(),
    }
    if meta.author:
        fields_["author"] = meta.author
    if meta.outlet:
        fields_["outlet"] = meta.outlet
    if meta.date:
        fields_["date"] = dt.datetime.combine(meta.date, dt.time())
    if len(doc.text) > MAX_INDEXED_CHARS:
        fields_["meta"]["note"] = f"only the first {MAX_INDEXED_CHARS // 2**20} MB of text is searchable"
    return fields_, None


#: Updates of a few files merge only segments of under this many live documents, once there
#: are this many of them (see `_merge_tiny`).
TINY_SEGMENT_DOCS = 100
TINY_SEGMENTS = 8


def _merge_tiny(writer, segments: list) -> list:
    """Merge policy for an update of a few files: the segments of under TINY_SEGMENT_DOCS live
    documents are merged once there are TINY_SEGMENTS of them (a few hundred documents at
    most, so an update stays well under a second).

    Whoosh's MERGE_SMALL expects segment sizes in a Fibonacci-like progression; on the dozen
    equal segments of a parallel build it merged most of the index (50,000 documents: 233 s
    to update one file)."""
    tiny = [s for s in segments if s.doc_count() < TINY_SEGMENT_DOCS]
    if len(tiny) < TINY_SEGMENTS:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged = {s.segment_id() for s in tiny}
    return [s for s in segments if s.segment_id() not in merged]


def _count(report: UpdateReport, entry: FileEntry, old: dict | None, reason: str | None) -> None:
    if reason is not None:
        report.problems.append(Problem(entry.rel, reason))
    elif old is None or "problem" in old:
        report.added += 1
    else:
        report.updated += 1


def _worker_count(procs: int | None, work: int, in_memory: bool) -> int:
    if in_memory:
        return 1
    if procs is None:
        if work < PARALLEL_MIN_DOCS:
            return 1
        procs = min(MAX_PROCS, os.cpu_count() or 1)
    return max(1, procs)


def _batches(work: list[FileEntry], procs: int) -> list[list[FileEntry]]:
    """Consecutive batches of `work`. Over the first quarter of the bytes, small ones that
    double every `procs` batches (from FIRST_BATCH_BYTES), so that search has something
    soon; the rest in 2 x procs equal parts, so that the workers finish together. None over
    MAX_BATCH_BYTES."""
    total = sum(e.size for e in work)
    size = FIRST_BATCH_BYTES
    done = 0
    batches: list[list[FileEntry]] = []
    current: list[FileEntry] = []
    current_bytes = 0
    ramp = True
    for entry in work:
        current.append(entry)
        current_bytes += entry.size
        if current_bytes >= size:
            batches.append(current)
            done += current_bytes
            current, current_bytes = [], 0
            if ramp and done >= total // 4:
                ramp = False
                size = max(FIRST_BATCH_BYTES, -(-(total - done) // (2 * procs)))
            elif ramp and len(batches) % procs == 0:
                size *= 2
            size = min(size, MAX_BATCH_BYTES)
    if current:
        batches.append(current)
    return batches


_worker_corpora: dict[tuple[str, str | None], Corpus] = {}


class _PostingPool(PostingPool):
    """Whoosh's posting pool without its per-posting type assertions (same size accounting)."""

    def add(self, item) -> None:
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


class _Lengths:
    """The document lengths of a segment being flushed, read once per field: Whoosh reads the
    length column file again for every posting (a fifth of a build)."""

    def __init__(self, reader, doc_count: int) -> None:
        self._reader = reader
        self._doc_count = doc_count
        self._fields: dict[str, list] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        lengths = self._fields.get(fieldname)
        if lengths is None:
            field_length = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [field_length(d, fieldname, default) for d in range(self._doc_count)]
        return lengths[docnum]


class _SegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter, flushing postings with `_Lengths` and `_PostingPool`."""

    def __init__(self, ix, **kwargs) -> None:
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


def _staging_index(staging: str, schema: fields.Schema) -> tuple[Path, index.Index]:
    folder = Path(staging) / f"{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir()
    return folder, FileStorage(str(folder)).create_index(schema)


def _build_segment(
    staging: str, root: str, only: str | None, entries: list[FileEntry], indexed: Callable[[str], None]
) -> dict:
    """In a worker process: index `entries` into a new segment in a folder of its own under
    `staging`. The parent moves the segment into the index and commits it."""
    corpus = _worker_corpora.get((root, only))
    if corpus is None:
        corpus = _worker_corpora[(root, only)] = Corpus(Path(root), only)
    folder, ix = _staging_index(staging, make_schema())
    writer = _SegmentWriter(ix, _lk=False, limitmb=WORKER_LIMIT_MB, compound=False)
    documents: list[tuple[str, str | None]] = []
    tokens: set[str] = set()
    for entry in entries:
        fields_, reason = _document_fields(corpus, entry)
        writer.add_document(**fields_)
        if reason is None:
            tokens.update(_TOKEN_RE.findall(fields_["body"]))
        documents.append((entry.rel, reason))
        indexed(entry.rel)
    writer.commit(merge=False)
    segments = ix._segments()
    return {"segment": segments[0] if segments else None, "dir": str(folder), "documents": documents, "tokens": tokens}


def _worker_main() -> None:
    """A worker process: batches to index come pickled on stdin, messages go pickled to
    stdout: ("indexed", rel) for each file, then ("done", result) or ("error", traceback)."""
    jobs, channel = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never get into the channel

    def send(message: tuple) -> None:
        pickle.dump(message, channel)
        channel.flush()

    while True:
        try:
            args = pickle.load(jobs)
        except EOFError:
            return
        try:
            send(("done", _build_segment(*args, indexed=lambda rel: send(("indexed", rel)))))
        except Exception:
            send(("error", traceback.format_exc()))


class _WorkerError(Exception):
    pass


class _Workers:
    """Worker processes for indexing: plain `python -c` subprocesses running `_worker_main`.

    Not multiprocessing: its spawn method re-runs the caller's main script in each child, and
    fork is unsafe in a process that runs threads (a Textual app does)."""

    def __init__(self, count: int, log_dir: Path) -> None:
        self.events: queue.Queue[tuple[int, tuple]] = queue.Queue()
        self.procs: list[subprocess.Popen] = []
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            for n in range(count):
                with open(log_dir / f"worker-{n}.log", "wb") as log:
                    proc = subprocess.Popen(
                        [sys.executable, "-c", "from folio_reader.index.search import _worker_main; _worker_main()"],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=log,
                        env=env,
                    )
                self.procs.append(proc)
                threading.Thread(target=self._read, args=(n, proc), daemon=True, name=f"folio-worker-{n}").start()
        except BaseException:
            self.close(kill=True)
            raise

    def _read(self, n: int, proc: subprocess.Popen) -> None:
        try:
            while True:
                self.events.put((n, pickle.load(proc.stdout)))
        except Exception:  # EOF, or the worker died mid-message
            self.events.put((n, ("exit", None)))

    def send(self, n: int, *args) -> None:
        try:
            pickle.dump(args, self.procs[n].stdin)
            self.procs[n].stdin.flush()
        except OSError as exc:
            raise _WorkerError(f"worker {n} cannot take work: {exc}") from None

    def next_event(self, timeout: float) -> tuple[int, tuple] | None:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self, *, kill: bool = False) -> None:
        for proc in self.procs:
            try:
                if kill:
                    proc.kill()
                else:
                    proc.stdin.close()
            except OSError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()


class _Vocabulary:
    """The unstemmed words of the indexed bodies, for "did you mean", in a file beside the
    index. It only grows (a word of a deleted file may stay): a suggestion is only offered
    when it finds something."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._words: set[str] = set()
        self._sorted: list[str] | None = None
        self._stamp: tuple[int, int] | None = None

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            st = self.path.stat()
        except OSError:
            self._words, self._sorted, self._stamp = set(), None, None
            return
        if (st.st_mtime_ns, st.st_size) != self._stamp:
            try:
                self._words = set(self.path.read_text("utf-8").split("\n")) - {""}
            except (OSError, UnicodeDecodeError):
                self._words = set()
            self._sorted = None
            self._stamp = (st.st_mtime_ns, st.st_size)

    def words(self) -> list[str]:
        self._load()
        if self._sorted is None:
            self._sorted = sorted(self._words)
        return self._sorted

    def add(self, tokens) -> None:
        if not tokens:
            return
        self._load()
        new = analysis.vocabulary_words(tokens) - self._words
        if not new:
            return
        self._words |= new
        self._sorted = None
        if self.path is None:
            return
        try:
            st = write_atomic(self.path, "\n".join(sorted(self._words)))
        except OSError:
            return
        self._stamp = (st.st_mtime_ns, st.st_size)


# -- the index ----------------------------------------------------------------------------------


class FolioIndex:
    """The search index of one corpus, on disk in the user cache dir (or in memory)."""

    def __init__(self, corpus: Corpus, index_dir: Path | None = None, *, writer_timeout: float = 2.0) -> None:
        self.corpus = corpus
        self.dir = locations.index_dir(Path(corpus.label), index_dir)
        self.writer_timeout = writer_timeout
        self.messages: list[str] = []  #: warnings for the user (fallbacks, rebuilds)
        self.in_memory = False
        self._lock = threading.RLock()
        self._searcher = None
        #: rel -> (size, mtime_ns, canonical text, stale) of recent hits, least recent first
        self._texts: OrderedDict[str, tuple[int, int, str, bool]] = OrderedDict()
        self._text_chars = 0
        self._query_parser: qparser.QueryParser | None = None
        self.pending: int = 0  #: documents not yet indexed while an update runs
        self.total: int = 0
        self._ix = self._open()
        self._vocabulary = _Vocabulary(None if self.in_memory else self.dir / VOCABULARY)

    # opening, damage and fallbacks

    def _open(self) -> index.Index:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            if not os.access(self.dir, os.W_OK):
                raise PermissionError(f"{self.dir} is not writable")
        except OSError as exc:
            return self._in_memory(f"cannot write the index folder ({exc}); using an index in memory")
        # two folios starting at once must not take each other's half-made index for a broken one
        try:
            with FileLock(str(self.dir) + ".lock", timeout=OPEN_LOCK_TIMEOUT):
                return self._open_or_create()
        except Timeout:
            return self._open_or_create()

    def _open_or_create(self) -> index.Index:
        marker = self._read_marker()
        try:
            exists = index.exists_in(str(self.dir))
            if exists and marker == SCHEMA_VERSION:
                ix = index.open_dir(str(self.dir))
                with ix.searcher() as s:
                    s.doc_count()
                return ix
        except Exception as exc:  # whoosh raises many kinds of error on a damaged index
            self._move_aside(f"the index was damaged ({type(exc).__name__}: {exc})")
        else:
            if exists or marker is not None:
                self._move_aside("the index was made by another version of Folio")
        return self._create()

    def _read_marker(self) -> int | None:
        try:
            return read_json_file(self.dir / MARKER, max_bytes=1 << 20)["schema"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _create(self) -> index.Index:
        try:
            ix = FileStorage(str(self.dir)).create_index(make_schema())
        except NameError:  # another folio created it a moment ago: use theirs
            return index.open_dir(str(self.dir))
        except OSError as exc:
            return self._in_memory(f"cannot create the index ({exc}); using an index in memory")
        try:
            write_json_atomic(self.dir / MARKER, {"schema": SCHEMA_VERSION, "corpus": self.corpus.label})
            return ix
        except OSError as exc:
            return self._in_memory(f"cannot create the index ({exc}); using an index in memory")

    def _in_memory(self, message: str) -> index.Index:
        self.messages.append(message)
        self.in_memory = True
        return RamStorage().create_index(make_schema())

    def _move_aside(self, why: str) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.dir.with_name(f"{self.dir.name}.broken-{stamp}")
        try:
            self.dir.rename(aside)
            self.messages.append(f"{why}: moved aside to {aside} and rebuilt")
        except OSError:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.messages.append(f"{why}: removed and rebuilt")
        self.dir.mkdir(parents=True, exist_ok=True)

    def rebuild(self) -> None:
        """Start again from an empty index (the old one is deleted, not kept)."""
        with self._lock:
            self._close_searcher()
            if self.in_memory:
                self._ix = RamStorage().create_index(make_schema())
            else:
                shutil.rmtree(self.dir, ignore_errors=True)
                self.dir.mkdir(parents=True, exist_ok=True)
                self._ix = self._create()
            self._fresh()

    def recover(self, exc: BaseException) -> None:
        """After a failure reading the index: move it aside and start an empty one."""
        with self._lock:
            self._close_searcher()
            if self.in_memory:
                self._ix = RamStorage().create_index(make_schema())
            else:
                self._move_aside(f"the index was damaged ({type(exc).__name__}: {exc})")
                self._ix = self._create()
            self._fresh()

    def _fresh(self) -> None:
        """Forget what belonged to the index that was replaced."""
        self._vocabulary = _Vocabulary(None if self.in_memory else self.dir / VOCABULARY)
        self._query_parser = None

    # the searcher

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _get_searcher(self):
        """The shared searcher, reopened when the index has changed since it was opened.

        Not `Searcher.refresh()`: it reuses segment readers and so misses deletions made
        since (whoosh 2.7.4/2.7.5), leaving deleted documents in results.
        """
        if self._searcher is not None and not self._searcher.up_to_date():
            self._close_searcher()
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher

    def close(self) -> None:
        with self._lock:
            self._close_searcher()
            self._ix.close()

    def __enter__(self) -> FolioIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # what is indexed

    def stored(self) -> dict[str, dict]:
        """What the index holds, by path: each document's metadata (or its problem)."""
        with self._lock:
            s = self._get_searcher()
            return {f["path"]: f["meta"] for f in s.all_stored_fields()}

    def documents(self) -> tuple[list[DocMeta], list[Problem]]:
        """The indexed documents' metadata and the problems recorded, in corpus order."""
        metas: list[DocMeta] = []
        problems: list[Problem] = []
        for rel, meta in sorted(self.stored().items(), key=lambda kv: (kv[0].casefold(), kv[0])):
            if "problem" in meta:
                problems.append(Problem(rel, meta["problem"]))
            else:
                metas.append(DocMeta.from_json(meta))
        return metas, problems

    # updating

    def update(
        self,
        progress: ProgressFn | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        commit_every: float | None = 2.0,
        procs: int | None = None,
    ) -> UpdateReport:
        """Bring the index in line with the folder; only what changed is read and written.

        With `commit_every` (seconds), work is committed in batches so that searches see it
        as it goes. A writer held by another process leaves the index as it stands
        (`report.locked`). With many files to read (at least `PARALLEL_MIN_DOCS`), they are
        indexed by `procs` worker processes (default: one per CPU, at most `MAX_PROCS`;
        1 keeps everything in this process), each writing segments of its own; this thread
        then only waits, so a UI calling from a thread stays responsive.
        """
        started = time.perf_counter()
        report = UpdateReport()
        try:
            stored = self.stored()
        except Exception as exc:  # a damaged index shows itself on first read
            self.recover(exc)
            report.messages.append(self.messages[-1])
            stored = {}
        scan = self.corpus.scan()
        report.problems.extend(scan.problems)
        work, deletions = self._plan(scan.entries, scan.problems, stored, report)
        self.total = len(scan.entries)
        self.pending = len(work)
        if not work and not deletions:
            if not (self.dir / LISTING).exists():
                self._save_listing()
            report.seconds = time.perf_counter() - started
            return report
        lock = self._ix.lock("WRITELOCK")
        if not try_for(lock.acquire, timeout=self.writer_timeout, delay=0.1):
            report.locked = True
            report.messages.append("another folio is updating this index; searching it as it stands")
            self.pending = 0
            report.seconds = time.perf_counter() - started
            return report
        # the lock is held for the whole update (each batch's writer takes none), so another
        # folio cannot slip in between two commits
        try:
            procs = _worker_count(procs, len(work), self.in_memory)
            if procs > 1:
                work = self._write_parallel(work, deletions, stored, report, progress, should_stop, commit_every, procs)
                deletions = []
            if work or deletions:
                self._write(work, deletions, stored, report, progress, should_stop, commit_every)
        finally:
            self.pending = 0
            lock.release()
        self._save_listing()
        report.seconds = time.perf_counter() - started
        return report

    def _save_listing(self) -> None:
        """Refresh the Whoosh-free copy of the document list that the reader starts from."""
        if self.in_memory:
            return
        try:
            save_listing(self.dir, *self.documents())
        except OSError as exc:
            self.messages.append(f"cannot save the document list cache: {exc}")

    def _plan(
        self,
        entries: list[FileEntry],
        problems: list[Problem],
        stored: dict[str, dict],
        report: UpdateReport,
    ) -> tuple[list[FileEntry], list[str]]:
        present = {e.rel for e in entries}
        work: list[FileEntry] = []
        for entry in entries:
            old = stored.get(entry.rel)
            if old and old.get("size") == entry.size and old.get("mtime_ns") == entry.mtime_ns:
                if "problem" in old:
                    report.problems.append(Problem(entry.rel, old["problem"]))
                else:
                    report.unchanged += 1
                continue
            work.append(entry)
        # a path whose scan problem changed (or that vanished) is dropped from the index
        deletions = sorted(rel for rel in stored if rel not in present)
        return work, deletions

    def _writer(self):
        """A writer for one batch; the caller holds the index's write lock.

        Segments are written as separate files, not one compound file: Whoosh reads a part of
        a compound file by copying it whole into memory (BytesIO over the mmap), so a searcher
        held about twice the index in resident memory; separate files are read as files."""
        return _SegmentWriter(self._ix, _lk=False, compound=False)

    def _write(self, work, deletions, stored, report, progress, should_stop, commit_every) -> None:
        """Index in this process, committing every `commit_every` seconds. A bulk build lets
        Whoosh merge its segments as they come (MERGE_SMALL); an update of a few files merges
        only tiny segments (`_merge_tiny`)."""
        merge = {} if len(work) + len(deletions) >= PARALLEL_MIN_DOCS else {"mergetype": _merge_tiny}
        last_commit = time.monotonic()
        done = 0
        words: set[str] = set()
        writer = self._writer()
        try:
            for rel in deletions:
                writer.delete_by_term("path", rel)
                if "problem" not in stored[rel]:
                    report.deleted += 1
            for entry in work:
                if should_stop and should_stop():
                    report.cancelled = True
                    break
                fields_, reason = _document_fields(self.corpus, entry)
                writer.update_document(**fields_)
                _count(report, entry, stored.get(entry.rel), reason)
                if reason is None:
                    words.update(_TOKEN_RE.findall(fields_["body"]))
                done += 1
                if progress:
                    progress(done, len(work), entry.rel)
                if commit_every is not None and time.monotonic() - last_commit >= commit_every:
                    self._commit(writer, words, **merge)
                    self.pending = len(work) - done  # searchable now
                    writer = self._writer()
                    last_commit = time.monotonic()
        except BaseException:
            writer.cancel()
            raise
        self._commit(writer, words, **merge)

    def _commit(self, writer, tokens: set[str], **options) -> None:
        writer.commit(**options)
        self._vocabulary.add(tokens)
        tokens.clear()
        with self._lock:
            self._close_searcher()

    def _write_parallel(
        self, work, deletions, stored, report, progress, should_stop, commit_every, procs
    ) -> list[FileEntry]:
        """Index in worker processes, each batch into a segment of its own that is moved into
        the index and committed as it comes. Returns what is left to index here (all of it
        when the workers cannot run)."""
        staging = self.dir / STAGING
        shutil.rmtree(staging, ignore_errors=True)  # left by a build that was killed
        staging.mkdir()
        batches = deque(_batches(work, procs))
        left = {entry.rel: entry for entry in work}
        # the old versions of changed files go with the first commit, with the deletions
        to_delete = deletions + [e.rel for e in work if e.rel in stored]
        report.deleted += sum(1 for rel in deletions if "problem" not in stored[rel])
        ready: list[dict] = []
        done = 0
        last_commit = time.monotonic()
        workers = None
        try:
            workers = _Workers(min(procs, len(batches)), staging)
            busy: set[int] = set()
            for n in range(len(workers.procs)):
                workers.send(n, str(staging), str(self.corpus.root), self.corpus.only, batches.popleft())
                busy.add(n)
            while busy:
                event = workers.next_event(0.1)
                if event is not None:
                    n, (kind, payload) = event
                    if kind == "indexed":
                        done += 1
                        if progress:
                            progress(done, len(work), payload)
                    elif kind == "done":
                        ready.append(payload)
                        busy.discard(n)
                        if batches:
                            workers.send(n, str(staging), str(self.corpus.root), self.corpus.only, batches.popleft())
                            busy.add(n)
                    elif kind == "error":
                        raise _WorkerError(payload.strip().splitlines()[-1])
                    else:
                        raise _WorkerError(f"worker {n} ended unexpectedly")
                if should_stop and should_stop():
                    report.cancelled = True
                    break
                if ready and commit_every is not None and time.monotonic() - last_commit >= commit_every:
                    self._commit_segments(ready, to_delete, stored, report, left)
                    to_delete, ready = [], []
                    self.pending = len(left)
                    last_commit = time.monotonic()
            self._commit_segments(ready, to_delete, stored, report, left)
            to_delete, ready = [], []
        except (_WorkerError, OSError) as exc:  # a worker died, failed or could not start
            self.messages.append(f"indexing in worker processes failed ({exc}); indexing in this process instead")
            self._commit_segments(ready, to_delete, stored, report, left)
        finally:
            if workers is not None:
                workers.close(kill=report.cancelled or bool(left))
            shutil.rmtree(staging, ignore_errors=True)
        return [] if report.cancelled else list(left.values())

    def _commit_segments(self, results: list[dict], to_delete: list[str], stored, report, left: dict) -> None:
        """Move finished segments into the index and commit them, with pending deletions."""
        if not results and not to_delete:
            return
        writer = self._writer()
        tokens: set[str] = set()
        try:
            for rel in to_delete:
                writer.delete_by_term("path", rel)
            for result in results:
                segment = result["segment"]
                if segment is not None:
                    prefix = segment.make_filename("")
                    for path in Path(result["dir"]).iterdir():
                        if path.name.startswith(prefix + "."):
                            os.replace(path, self.dir / path.name)
                    writer.segments.append(segment)
                for rel, reason in result["documents"]:
                    _count(report, left.pop(rel), stored.get(rel), reason)
                tokens |= result["tokens"]
        except BaseException:
            writer.cancel()
            raise
        self._commit(writer, tokens, merge=False)

    # searching

    def _parser(self) -> qparser.QueryParser:
        if self._query_parser is None:  # stateless between parses; made once (~2 ms each)
            parser = qparser.MultifieldParser(
                ["title", "body"], self._ix.schema, group=qparser.AndGroup, phraseclass=_Phrase
            )
            parser.add_plugin(_FuzzyTermPlugin())
            parser.add_plugin(qparser.GtLtPlugin())
            self._query_parser = parser
        return self._query_parser

    def parse(self, text: str) -> query.Query:
        """Validate and parse a query; raises `QueryError` with a readable reason."""
        text = normalise_query(text)
        validate_query(text)
        parser = self._parser()
        for clause in _DATE_CLAUSE_RE.finditer(_outside_quotes(text)):
            try:
                unreadable = _is_null(parser.parse(clause.group()))
            except Exception:  # whoosh raises a bare Exception for some dates ('date:<0')
                unreadable = True
            if unreadable:
                raise QueryError(
                    f"cannot read the date in {clause.group()!r}: write 2025-05-07, 2025-05 or 2025,"
                    " or a range such as date:[2025-05 to 2025-07] or date:>2025-06"
                )
        try:
            q = parser.parse(text)
        except Exception as exc:  # whoosh's parser raises assorted errors on odd input
            raise QueryError(f"cannot read the query: {exc}") from None
        if _is_null(q):
            raise QueryError("nothing to search for: only common words such as 'the' are in the query")
        for leaf in q.leaves():
            # date:"" parses as Term('date', ''), which fails only when searched
            if getattr(leaf, "fieldname", None) == "date" and not isinstance(leaf, query.NumericRange):
                raise QueryError(
                    "cannot read the date: write 2025-05-07, 2025-05 or 2025,"
                    " or a range such as date:[2025-05 to 2025-07] or date:>2025-06"
                )
        return q

    def search(self, text: str, limit: int = 20) -> SearchResult:
        """Ranked hits with snippets and the character span of every match in each document."""
        started = time.perf_counter()
        for attempt in (1, 2):
            result = SearchResult(query=text)
            try:
                q = self.parse(text)  # reads the schema from the index: it may find it damaged
                with self._lock:
                    self._run(q, text, limit, result)
                break
            except QueryError as exc:
                result.error = str(exc)
                return result
            except Exception as exc:
                if attempt == 1:
                    # another folio's commit may have replaced the table of contents under us:
                    # that is not damage, and a fresh searcher finds the new one
                    with self._lock:
                        self._close_searcher()
                    continue
                # a damaged index: say so; the app rebuilds it
                result.error = f"the index cannot be read ({type(exc).__name__}); it will be rebuilt"
                result.hits = []
                result.damaged = True
        if self.pending:
            result.note = f"searching the {self.total - self.pending:,} of {self.total:,} documents indexed so far"
        result.seconds = time.perf_counter() - started
        return result

    def _run(self, q: query.Query, text: str, limit: int, result: SearchResult) -> None:
        s = self._get_searcher()
        collector = _CountingTopCollector(limit, time.monotonic() + SEARCH_TIME_LIMIT)
        try:
            s.search_with_collector(q, collector)
        except TimeLimit:
            result.note = f"the search took over {SEARCH_TIME_LIMIT:.0f} s and was cut short"
        top = sorted(collector.items, reverse=True)  # (score, -docnum): best first, then lowest docnum
        result.total = collector.total
        docnums = [-negated for _, negated in top]
        spans = self._spans(s, q, docnums)
        for (score, _), docnum in zip(top, docnums, strict=False):
            meta = s.stored_fields(docnum)["meta"]
            result.hits.append(self._hit(meta, score, spans.get(docnum, [])))
        if not result.hits:
            result.suggestion = self._suggest(s, normalise_query(text))

    def _suggest(self, s, text: str) -> str | None:
        """The query with each unknown word replaced by the closest word of the corpus, if that
        finds something: nearest by edit distance, then with the same first letter, then the
        most frequent."""
        analyzer = self._ix.schema["body"].analyzer
        vocabulary = self._vocabulary.words()
        changed = False

        def fix(m: re.Match[str]) -> str:
            nonlocal changed
            word = m.group()
            if word in _OPERATORS or len(word) < 3:
                return word
            stems = [t.text for t in analyzer(word)]
            if not stems or any(s.doc_frequency("body", st) for st in stems):
                return word
            lower = word.lower()
            for maxdist in (1, 2):  # nearest first
                candidates = [
                    c for c, _, _ in extract(lower, vocabulary, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
                ]
                if candidates:
                    changed = True
                    return min(candidates, key=lambda c: _closeness(lower, c, s))
            return word

        corrected = re.sub(r"(?<![\w:*?~])[A-Za-z]+(?![\w:*?~])", fix, text)
        if not changed:
            return None
        try:
            q = self.parse(corrected)
        except QueryError:
            return None
        return corrected if s.search(q, limit=1).scored_length() else None

    def _spans(self, s, q: query.Query, docnums: list[int]) -> dict[int, list[tuple[int, int]]]:
        """The merged character spans of the positive body matches in each of `docnums`.

        Segment by segment, so that prefix and fuzzy terms expand with each segment's own
        word automaton (the multi-segment reader scans every word in Python)."""
        found: dict[int, list[tuple[int, int]]] = {d: [] for d in docnums}
        wanted = sorted(set(docnums))
        if not wanted:
            return found
        leaves = list(_positive_body_leaves(q, s))
        for sub, offset in s.leaf_searchers():
            local = [d - offset for d in wanted if offset <= d < offset + sub.doc_count_all()]
            if not local:
                continue
            for leaf in leaves:
                matcher = leaf.matcher(sub)
                for docnum in local:
                    if not matcher.is_active():
                        break
                    if matcher.id() < docnum:
                        matcher.skip_to(docnum)
                    if matcher.is_active() and matcher.id() == docnum:
                        found[docnum + offset].extend((sp.startchar, sp.endchar) for sp in matcher.spans())
        return {d: _merge_spans(v) for d, v in found.items()}

    def _hit(self, meta: dict, score: float, spans: list[tuple[int, int]]) -> Hit:
        m = DocMeta.from_json(meta)
        text, stale = self._current_text(m)
        if stale:
            spans = [(s, e) for s, e in spans if e <= len(text)]
        snippet, snippet_spans = make_snippet(text, spans)
        return Hit(
            rel=m.rel,
            title=m.title,
            outlet=m.outlet,
            author=m.author,
            date=m.date,
            score=score,
            snippet=snippet,
            snippet_spans=snippet_spans,
            matches=len(spans),
            spans=spans,
            stale=stale,
        )

    def _current_text(self, meta: DocMeta) -> tuple[str, bool]:
        """The document's canonical text as it is now, and whether it changed since it was
        indexed (then the spans may be off). From a small cache keyed by path, size and mtime.

        A file with the size and mtime it was indexed with is read light (decode only); a
        changed one is loaded and described in full to tell whether its content changed."""
        try:
            entry = self.corpus.entry(meta.rel)
        except UnreadableError:
            return "", True
        key = meta.rel
        cached = self._texts.get(key)
        if cached is not None and cached[0] == entry.size and cached[1] == entry.mtime_ns:
            self._texts.move_to_end(key)
            return cached[2], cached[3]
        try:
            if entry.size == meta.size and entry.mtime_ns == meta.mtime_ns:
                text, stale = self.corpus.read_text(entry), False
            else:
                doc = self.corpus.load(entry)
                text, stale = doc.text, doc.meta.content_hash != meta.content_hash
        except UnreadableError:
            return "", True
        if cached is not None:
            self._text_chars -= len(cached[2])
        self._texts[key] = (entry.size, entry.mtime_ns, text, stale)
        self._texts.move_to_end(key)
        self._text_chars += len(text)
        while self._text_chars > TEXT_CACHE_CHARS and len(self._texts) > 1:
            _, old = self._texts.popitem(last=False)
            self._text_chars -= len(old[2])
        return text, stale

    def more_like(self, doc: Document, top: int = 10) -> list[tuple[str, float]]:
        """Documents most similar to `doc` (by its key terms), best first, `doc` excluded."""
        with self._lock:
            s = self._get_searcher()
            docnum = s.document_number(path=doc.rel)
            terms = s.key_terms_from_text("body", doc.text[:200_000], numterms=25)
            if not terms:
                return []
            q = query.Or([query.Term("body", word, boost=weight) for word, weight in terms])
            hits = s.search(q, limit=top + 1)
            return [(h["path"], h.score) for h in hits if h.docnum != docnum][:top]
