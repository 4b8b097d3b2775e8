"""Answering queries from the index: the one shared searcher, ranked hits with the character
span of every match (from the index itself: the body is indexed with character offsets into
the canonical text, so a phrase match is one span over the whole phrase), snippets from the
document's current text (what a reader sees of it), did-you-mean, and "more like this".

Whoosh searchers are not thread-safe: the one searcher is used under the index's lock, and
reopened when the index changed since it was opened.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from whoosh import query

from folio_reader.index import document, formats
from folio_reader.index.corpus import Corpus, DocMeta, Document, UnreadableError
from folio_reader.index.document import Structure
from folio_reader.index.lru import LRU
from folio_reader.index.search import whoosh_ext
from folio_reader.index.search.query import (
    ANNOTATION_FIELDS,
    DOCUMENT_FIELDS,
    QueryParser,
    leaves,
    normalise_query,
    positive_leaves,
)
from folio_reader.index.search.results import Hit, SearchResult
from folio_reader.index.search.schema import KEY
from folio_reader.index.search.snippets import Span, make_snippet, markdown_snippet, merge_spans
from folio_reader.index.search.spelling import suggest
from folio_reader.index.search.storage import IndexStore

SEARCH_TIME_LIMIT = 3.0
#: The texts of recent hits are kept for snippets, up to this many characters in all.
TEXT_CACHE_CHARS = 8 * 1024 * 1024
#: The formats of this many recent hits are kept when their texts are not (a `.txt` file's is
#: sniffed from its text: 0.4 ms).
FORMAT_CACHE_ENTRIES = 50_000
#: The fields whose matches a hit counts besides the body's, in the order they are said.
FIELD_MATCHES = ("title", "author", "outlet", "date", "path")
#: The fields a word without a field searches.
DEFAULT_FIELDS = ("title", "body", "path")


class TextCache:
    """The canonical texts of recent hits, with their structures (for displayed snippets), by
    path, checked against the file's size and mtime; least recently used dropped first, up to
    `TEXT_CACHE_CHARS` characters in all."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        #: rel -> (size, mtime_ns, canonical text, structure, stale, format), weighed by the
        #: text's length; the format ("markdown", "rest") is set while the structure is not parsed
        self._texts: LRU[str, tuple[int, int, str, Structure | None, bool, str | None]] = LRU(
            TEXT_CACHE_CHARS, weigh=lambda entry: len(entry[2])
        )
        #: rel -> (size, mtime_ns, format) of a text read light
        self._formats: LRU[str, tuple[int, int, str]] = LRU(FORMAT_CACHE_ENTRIES)

    def text(self, meta: DocMeta) -> tuple[str, Structure | None, bool, str | None]:
        """The document's canonical text as it is now, its structure (None when it reads as
        plain text, or is not parsed yet), whether it changed since it was indexed (then the
        spans may be off), and the format to parse it as when it has not been parsed yet
        ("markdown" or "rest": see `structure`).

        A file with the size and mtime it was indexed with is read light (decode only, its
        structure left for `structure`); a changed one, or a web page, EPUB or PDF, is loaded
        and described in full."""
        try:
            entry = self.corpus.entry(meta.rel)
        except UnreadableError:
            return "", None, True, None
        key = meta.rel
        cached = self._texts.get(key)
        if cached is not None and cached[0] == entry.size and cached[1] == entry.mtime_ns:
            return cached[2], cached[3], cached[4], cached[5]
        suffix = os.path.splitext(entry.rel)[1]
        try:
            if entry.size == meta.size and entry.mtime_ns == meta.mtime_ns and formats.format_of(suffix) is None:
                text, stale = self.corpus.read_text(entry), False
                structure: Structure | None = None
                fmt = self._format(entry.size, entry.mtime_ns, key, text, suffix)
                unparsed = fmt if fmt != "plain" else None
            else:
                doc = self.corpus.load(entry)
                text, structure, stale = doc.text, doc.structure, doc.meta.content_hash != meta.content_hash
                unparsed = None
        except UnreadableError:
            return "", None, True, None
        self._texts.set(key, (entry.size, entry.mtime_ns, text, structure, stale, unparsed))
        return text, structure, stale, unparsed

    def _format(self, size: int, mtime_ns: int, rel: str, text: str, suffix: str) -> str:
        """`document.detect_format(text, suffix)`, kept for the file as it is (size, mtime)."""
        known = self._formats.get(rel)
        if known is not None and known[0] == size and known[1] == mtime_ns:
            return known[2]
        fmt = document.detect_format(text, suffix)
        self._formats.set(rel, (size, mtime_ns, fmt))
        return fmt

    def structure(self, meta: DocMeta) -> Structure | None:
        """The structure of a document `text` left unparsed, parsed whole (from the structure
        cache the index build filled for those that take long), and kept."""
        cached = self._texts.get(meta.rel)
        if cached is None or cached[5] is None:
            return None if cached is None else cached[3]
        size, mtime_ns, text, _, stale, _ = cached
        suffix = os.path.splitext(meta.rel)[1]
        structure = self.corpus.structures.parse(text, suffix, f"{meta.encoding}\n{meta.content_hash}")
        self._texts.set(meta.rel, (size, mtime_ns, text, structure, stale, None))
        return structure


class Searching:
    """Queries against one `IndexStore`, under `lock` (shared with the updater's commits)."""

    def __init__(self, corpus: Corpus, store: IndexStore, lock: threading.RLock) -> None:
        self.store = store
        self.lock = lock
        self._searcher: Any = None
        self._parser: QueryParser | None = None
        self._texts = TextCache(corpus)

    # the searcher

    def close_searcher(self) -> None:
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def reset(self) -> None:
        """Forget what belonged to an index that was replaced."""
        self.close_searcher()
        self._parser = None

    def searcher(self) -> Any:
        """The shared searcher, current with the index; the caller holds the lock."""
        self._searcher = whoosh_ext.current_searcher(self.store.ix, self._searcher)
        return self._searcher

    # queries

    def parse(self, text: str) -> Any:
        """Validate and parse a query; raises `QueryError` with a readable reason."""
        if self._parser is None:
            self._parser = QueryParser(self.store.ix.schema, DOCUMENT_FIELDS, DEFAULT_FIELDS, ANNOTATION_FIELDS)
        return self._parser.parse(text)

    def run(self, q: Any, text: str, limit: int, result: SearchResult) -> None:
        """Fill `result` with the top `limit` hits of the parsed query `q`."""
        with self.lock:
            s = self.searcher()
            found = whoosh_ext.top_documents(s, q, limit, time.monotonic() + SEARCH_TIME_LIMIT)
            if found.cut_short:
                result.note = f"the search took over {SEARCH_TIME_LIMIT:.0f} s and was cut short"
            top = found.top
            result.total = found.total
            docnums = [docnum for _, docnum in top]
            spans = self._spans(s, q, docnums, found.read)
            counts = self._field_matches(s, q, docnums, found.read)
            for score, docnum in top:
                meta = s.stored_fields(docnum)["meta"]
                result.hits.append(self._hit(meta, score, spans.get(docnum, []), counts.get(docnum, {})))
            if not result.hits:
                vocabulary = self.store.vocabulary.words()
                result.suggestion = suggest(normalise_query(text), s, self.parse, vocabulary)

    def _spans(self, s: Any, q: Any, docnums: list[int], read: whoosh_ext.Read | None) -> dict[int, list[Span]]:
        """The merged character spans of the positive body matches in each of `docnums`, from
        what the scoring `read` where it has it.

        Segment by segment, so that prefix and fuzzy terms expand with each segment's own
        word automaton (the multi-segment reader scans every word in Python)."""
        found: dict[int, list[Span]] = {d: [] for d in docnums}
        wanted = sorted(set(docnums))
        if not wanted:
            return found
        leaves = list(positive_leaves(q, "body", s))
        for sub, offset in s.leaf_searchers():
            local = [d - offset for d in wanted if offset <= d < offset + sub.doc_count_all()]
            if not local:
                continue
            for leaf in leaves:
                for docnum, spans in whoosh_ext.hit_spans(read, leaf, sub, offset, local):
                    found[docnum + offset].extend(spans)
        return {d: merge_spans(v) for d, v in found.items()}

    def _field_matches(
        self, s: Any, q: Any, docnums: list[int], read: whoosh_ext.Read | None
    ) -> dict[int, dict[str, int]]:
        """How many times the positive leaves on each other field match in each of
        `docnums`: a term or a phrase by its spans, a prefix, fuzzy term or date once (not
        expanded: the count says where a hit matched, it needs no span); from what the
        scoring `read` where it has it."""
        found: dict[int, dict[str, int]] = {}
        wanted = sorted(set(docnums))
        by_field: dict[str, list[Any]] = {}
        for leaf, negated in leaves(q):
            name = getattr(leaf, "fieldname", None)
            if not negated and name in FIELD_MATCHES:
                by_field.setdefault(name, []).append(leaf)
        if not wanted or not by_field:
            return found
        for sub, offset in s.leaf_searchers():
            local = [d - offset for d in wanted if offset <= d < offset + sub.doc_count_all()]
            if not local:
                continue
            for name, field_leaves in by_field.items():
                for leaf in field_leaves:
                    for docnum, count in whoosh_ext.hit_counts(read, leaf, sub, offset, local):
                        counts = found.setdefault(docnum + offset, {})
                        counts[name] = counts.get(name, 0) + count
        return found

    def _hit(self, meta: dict[str, Any], score: float, spans: list[Span], field_matches: dict[str, int]) -> Hit:
        m = DocMeta.from_json(meta)
        text, structure, stale, unparsed = self._texts.text(m)
        if stale:
            spans = [(s, e) for s, e in spans if e <= len(text)]
        found = markdown_snippet(text, spans) if unparsed == "markdown" else None
        if found is None:
            if unparsed is not None:
                structure = self._texts.structure(m)
            found = make_snippet(text, spans, structure=structure)
        snippet, snippet_spans = found
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
            field_matches={name: field_matches[name] for name in FIELD_MATCHES if name in field_matches},
        )

    def more_like(self, doc: Document, top: int) -> list[tuple[str, float]]:
        """Documents most similar to `doc` (by its key terms), best first, `doc` excluded."""
        with self.lock:
            s = self.searcher()
            docnum = s.document_number(**{KEY: doc.rel})
            terms = s.key_terms_from_text("body", doc.text[:200_000], numterms=25)
            if not terms:
                return []
            q = query.Or([query.Term("body", word, boost=weight) for word, weight in terms])
            hits = s.search(q, limit=top + 1)
            return [(h[KEY], h.score) for h in hits if h.docnum != docnum][:top]
