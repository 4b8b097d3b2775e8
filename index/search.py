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

import datetime as dt
import json
import os
import re
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from rapidfuzz.distance import Levenshtein
from whoosh import fields, index, qparser, query
from whoosh.analysis import STOP_WORDS, CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.support.charset import accent_map
from whoosh.collectors import TimeLimit, TopCollector
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import LockError

from index import locations
from index.corpus import Corpus, DocMeta, Document, FileEntry, Problem, UnreadableError
from index.listing import LISTING, save_listing

SCHEMA_VERSION = 3
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


#: Words like "US" matter here (a corpus of US-Canada news): Whoosh's stoplist drops "us".
STOPLIST = frozenset(STOP_WORDS - {"us"})
#: Whoosh's default `\w+(\.?\w+)*` with the underscore left out, so `_emphasis_` is a word.
TOKEN_PATTERN = r"[^\W_]+(?:\.?[^\W_]+)*"


def text_analyzer():
    """English words, lowercased, accents folded (Melanie finds Mélanie), stemmed."""
    return StemmingAnalyzer(expression=TOKEN_PATTERN, stoplist=STOPLIST) | CharsetFilter(accent_map)


def name_analyzer():
    """Names and tags: lowercased, accents folded, not stemmed."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> fields.Schema:
    stem = text_analyzer()
    names = name_analyzer()
    return fields.Schema(
        path=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=stem, field_boost=3.0),
        author=fields.TEXT(analyzer=names),
        outlet=fields.TEXT(analyzer=names),
        date=fields.DATETIME(),
        body=fields.TEXT(analyzer=stem, phrase=True, chars=True, spelling=True),
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


def _closeness(word: str, candidate: str, ranked: list[str]) -> tuple[int, bool, int]:
    """Sort key for spelling candidates: edit distance, then same first letter, then frequency."""
    return (Levenshtein.distance(word, candidate), candidate[:1] != word[:1], ranked.index(candidate))


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
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
            return json.loads((self.dir / MARKER).read_text())["schema"]
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
            (self.dir / MARKER).write_text(json.dumps({"schema": SCHEMA_VERSION, "corpus": self.corpus.label}))
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

    def recover(self, exc: BaseException) -> None:
        """After a failure reading the index: move it aside and start an empty one."""
        with self._lock:
            self._close_searcher()
            if self.in_memory:
                self._ix = RamStorage().create_index(make_schema())
                return
            self._move_aside(f"the index was damaged ({type(exc).__name__}: {exc})")
            self._ix = self._create()

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
    ) -> UpdateReport:
        """Bring the index in line with the folder; only what changed is read and written.

        With `commit_every` (seconds), work is committed in batches so that searches see it
        as it goes. A writer held by another process leaves the index as it stands
        (`report.locked`).
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
        try:
            writer = self._ix.writer(timeout=self.writer_timeout)
        except LockError:
            report.locked = True
            report.messages.append("another folio is updating this index; searching it as it stands")
            self.pending = 0
            report.seconds = time.perf_counter() - started
            return report
        try:
            self._write(writer, work, deletions, stored, report, progress, should_stop, commit_every)
        finally:
            self.pending = 0
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

    def _write(self, writer, work, deletions, stored, report, progress, should_stop, commit_every) -> None:
        last_commit = time.monotonic()
        done = 0
        try:
            for rel in deletions:
                writer.delete_by_term("path", rel)
                if "problem" not in stored[rel]:
                    report.deleted += 1
            for entry in work:
                if should_stop and should_stop():
                    report.cancelled = True
                    break
                self._index_one(writer, entry, stored.get(entry.rel), report)
                done += 1
                if progress:
                    progress(done, len(work), entry.rel)
                if commit_every is not None and time.monotonic() - last_commit >= commit_every:
                    self._commit(writer)
                    self.pending = len(work) - done  # searchable now
                    writer = self._ix.writer(timeout=self.writer_timeout)
                    last_commit = time.monotonic()
        except BaseException:
            writer.cancel()
            raise
        self._commit(writer)

    def _commit(self, writer) -> None:
        try:
            writer.commit()
        except BaseException:
            lock = getattr(writer, "writelock", None)
            if lock is not None:
                lock.release()
            raise
        with self._lock:
            self._close_searcher()

    def _index_one(self, writer, entry: FileEntry, old: dict | None, report: UpdateReport) -> None:
        try:
            data = self.corpus.read_bytes(entry)
            doc = self.corpus.document_from_bytes(entry, data)
        except UnreadableError as exc:
            problem = Problem(entry.rel, str(exc))
            report.problems.append(problem)
            writer.update_document(path=entry.rel, meta={"size": entry.size, "mtime_ns": entry.mtime_ns, "problem": problem.reason})
            return
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
        writer.update_document(**fields_)
        if old is None or "problem" in old:
            report.added += 1
        else:
            report.updated += 1

    # searching

    def _parser(self) -> qparser.QueryParser:
        if self._query_parser is None:  # stateless between parses; made once (~2 ms each)
            parser = qparser.MultifieldParser(["title", "body"], self._ix.schema, group=qparser.AndGroup)
            parser.add_plugin(qparser.FuzzyTermPlugin())
            parser.add_plugin(qparser.GtLtPlugin())
            self._query_parser = parser
        return self._query_parser

    def parse(self, text: str) -> query.Query:
        """Validate and parse a query; raises `QueryError` with a readable reason."""
        text = normalise_query(text)
        validate_query(text)
        parser = self._parser()
        for clause in _DATE_CLAUSE_RE.finditer(_outside_quotes(text)):
            if _is_null(parser.parse(clause.group())):
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
        return q

    def search(self, text: str, limit: int = 20) -> SearchResult:
        """Ranked hits with snippets and the character span of every match in each document."""
        started = time.perf_counter()
        result = SearchResult(query=text)
        try:
            q = self.parse(text)  # reads the schema from the index: it may find it damaged
            with self._lock:
                self._run(q, text, limit, result)
        except QueryError as exc:
            result.error = str(exc)
            return result
        except Exception as exc:  # a damaged index: say so; the app rebuilds it
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
        for (score, _), docnum in zip(top, docnums):
            meta = s.stored_fields(docnum)["meta"]
            result.hits.append(self._hit(meta, score, spans.get(docnum, [])))
        if not result.hits:
            result.suggestion = self._suggest(s, normalise_query(text))

    def _suggest(self, s, text: str) -> str | None:
        """The query with each unknown word replaced by the closest indexed word, if that finds
        something. Whoosh's corrector ranks candidates by frequency; we rank by edit distance."""
        analyzer = self._ix.schema["body"].analyzer
        corrector = s.corrector("body")
        changed = False

        def fix(m: re.Match[str]) -> str:
            nonlocal changed
            word = m.group()
            if word in _OPERATORS or len(word) < 3:
                return word
            stems = [t.text for t in analyzer(word)]
            if not stems or any(s.doc_frequency("body", st) for st in stems):
                return word
            for maxdist in (1, 2):  # nearest first, then the most frequent at that distance
                candidates = corrector.suggest(word.lower(), limit=10, maxdist=maxdist)
                if candidates:
                    changed = True
                    return min(candidates, key=lambda c: _closeness(word.lower(), c, candidates))
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
