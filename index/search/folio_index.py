"""`FolioIndex`: the search index of one corpus, as its callers see it.

One `FolioIndex` per corpus. `update()` brings the index in line with the folder (stat first,
then content hash; only what changed is written) and may run in a background thread while
`search()` answers from what is committed so far. The work is done by three parts: the
`IndexStore` (opening, damage, moving aside), the `Updater` and the `Searching`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import query as whoosh_query

from folio_reader.index import errorlog, locations
from folio_reader.index.corpus import Corpus, DocMeta, Document, Problem, ScanResult
from folio_reader.index.search import whoosh_ext
from folio_reader.index.search.query import OtherIndexQuery, QueryError
from folio_reader.index.search.results import SearchResult, UpdateReport
from folio_reader.index.search.schema import KEY
from folio_reader.index.search.searching import Searching
from folio_reader.index.search.storage import IndexStore
from folio_reader.index.search.stored_cache import StoredCache
from folio_reader.index.search.update import ProgressFn, Stored, Updater, state_of


class FolioIndex:
    """The search index of one corpus, on disk in the user cache dir (or in memory)."""

    def __init__(self, corpus: Corpus, index_dir: Path | None = None, *, writer_timeout: float = 2.0) -> None:
        self.corpus = corpus
        self.dir = locations.index_dir(Path(corpus.label), index_dir)
        self.writer_timeout = writer_timeout
        self._lock = threading.RLock()
        self._store = IndexStore(self.dir, corpus.label, default=index_dir is None)
        self._searching = Searching(corpus, self._store, self._lock)
        self._stored = StoredCache()
        #: the state of the index (`update.state_of`) the last `stored()` read
        self._stored_state: str | None = None
        self._updater = Updater(
            corpus, self._store, self.stored, self._searching.close_searcher, lambda: self._stored_state
        )
        #: the index was found damaged and started again in this session: never twice
        self.recovered = False

    @property
    def messages(self) -> list[str]:
        """Warnings for the user (fallbacks, rebuilds), oldest first."""
        return self._store.messages

    @property
    def in_memory(self) -> bool:
        """The index folder could not be written: the index lives in memory."""
        return self._store.in_memory

    @property
    def pending(self) -> int:
        """Documents not yet indexed while an update runs."""
        return self._updater.pending

    @property
    def total(self) -> int:
        """Documents in the corpus at the last update."""
        return self._updater.total

    @property
    def whoosh_index(self) -> Any:
        """The Whoosh index itself (for tools and tests)."""
        return self._store.ix

    # opening, damage, closing

    def rebuild(self) -> None:
        """Start again from an empty index (the old one is deleted, not kept)."""
        with self._lock:
            self._searching.reset()
            self._stored.clear()
            self._store.rebuild()

    def recover(self, exc: BaseException) -> None:
        """After a failure reading the index: move it aside and start an empty one."""
        self.recovered = True
        with self._lock:
            self._searching.reset()
            self._stored.clear()
            self._store.recover(exc)

    def _close_searcher(self) -> None:
        """Release the searcher's open files (the next search opens a new one)."""
        self._searching.close_searcher()

    def close(self) -> None:
        with self._lock:
            self._searching.close_searcher()
            self._store.close()

    def __enter__(self) -> FolioIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # what is indexed

    def stored(self) -> Stored:
        """What the index holds, by path: each document's metadata (or its problem). Read
        from the segments this process has not read before (`StoredCache`); the metadata
        dicts are shared, not to be changed."""
        with self._lock:
            searcher = self._searching.searcher()
            stored = self._stored.read(searcher)
            self._stored_state = state_of(r.segment() for r, _ in searcher.reader().leaf_readers())
            return stored

    def documents(self) -> tuple[list[DocMeta], list[Problem]]:
        """The indexed documents' metadata and the problems recorded, in corpus order (a
        `DocMeta` made only for what changed since the last call: `described.Described`)."""
        return self._updater.documents()

    # updating

    def update(
        self,
        progress: ProgressFn | None = None,
        should_stop: Callable[[], bool] | None = None,
        *,
        commit_every: float | None = 2.0,
        procs: int | None = None,
        scan: ScanResult | None = None,
    ) -> UpdateReport:
        """Bring the index in line with the folder; only what changed is read and written.

        `scan` is the folder's scan when the caller has just made one (a scan of 100,000 files
        takes seconds: the app's start lists the folder from it, then updates from the same).

        With `commit_every` (seconds), work is committed in batches so that searches see it
        as it goes. A writer held by another process leaves the index as it stands
        (`report.locked`). With many files to read (at least `build.PARALLEL_MIN_DOCS`), they
        are indexed by `procs` worker processes (default: one per CPU, at most
        `build.MAX_PROCS`; 1 keeps everything in this process), each writing segments of its
        own; this thread then only waits, so a UI calling from a thread stays responsive.
        """
        started = time.perf_counter()
        report = UpdateReport()
        try:
            stored = self.stored()
        except Exception as exc:  # a damaged index shows itself on first read
            if not whoosh_ext.is_damage(exc):
                errorlog.record(exc, "reading what the index holds")
                raise
            self.recover(exc)
            report.messages.append(self.messages[-1])
            stored = {}
        if stored and self._store.parsers_changed:
            report.messages.append("Folio's parsers changed since this index was made: every document is indexed again")
        self._updater.update(stored, report, progress, should_stop, commit_every, procs, self.writer_timeout, scan)
        if not (report.cancelled or report.locked):
            self._store.record_parsers()  # (only now: an update cut short leaves them old)
        report.seconds = time.perf_counter() - started
        return report

    # searching

    def parse(self, text: str) -> Any:
        """Validate and parse a query; raises `QueryError` with a readable reason."""
        return self._searching.parse(text)

    def search(self, text: str, limit: int = 20, within: str | None = None) -> SearchResult:
        """Ranked hits with snippets and the character span of every match in each document
        (of the one document `within`, a corpus-relative path, when it is given).

        A query that cannot run, a fault in Folio (logged) and a damaged index each give a
        one-line `error`; a damaged index also sets `damaged` (the caller rebuilds it), once a
        session: damaged again after that, it is said, not rebuilt again."""
        started = time.perf_counter()
        for attempt in (1, 2):
            result = SearchResult(query=text)
            try:
                q = self.parse(text)  # reads the schema from the index: it may find it damaged
                if within is not None:
                    q = whoosh_query.And([q, whoosh_query.Term(KEY, within)])
                self._searching.run(q, text, limit, result)
                break
            except OtherIndexQuery as exc:
                result.note = f"{exc.field}: searches annotations, not documents"
                return result
            except QueryError as exc:
                result.error = str(exc)
                return result
            except Exception as exc:
                result.hits = []
                if not whoosh_ext.is_damage(exc):
                    result.error = errorlog.one_line(exc, "the search")
                    return result
                if attempt == 1:
                    # another folio's commit may have replaced the table of contents under us:
                    # that is not damage, and a fresh searcher finds the new one
                    self._searching.close_searcher()
                    continue
                if self.recovered:
                    errorlog.record(exc, "reading the index, after rebuilding it once")
                    result.error = (
                        f"the index cannot be read ({type(exc).__name__}), and it was already rebuilt once:"
                        " run `folio index --rebuild` or restart Folio"
                    )
                else:
                    # a damaged index: say so; the app rebuilds it
                    result.error = f"the index cannot be read ({type(exc).__name__}); it will be rebuilt"
                    result.damaged = True
        if self.pending:
            result.note = f"searching the {self.total - self.pending:,} of {self.total:,} documents indexed so far"
        result.seconds = time.perf_counter() - started
        return result

    def more_like(self, doc: Document, top: int = 10) -> list[tuple[str, float]]:
        """Documents most similar to `doc` (by its key terms), best first, `doc` excluded."""
        return self._searching.more_like(doc, top)
