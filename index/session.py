"""The index over one session of the reader: opened, brought up to date, rebuilt when it breaks,
and searched (documents and annotations), as blocking calls a UI runs off its main thread.

`IndexSession` owns the `FolioIndex` of a corpus for as long as the reader runs, so no screen
handles the index itself. Whoosh is imported when the index is first opened, never before: the
document list at start comes from the listing cache (`cached_items`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from folio_reader.index import locations
from folio_reader.index.annotations import Annotation, AnnotationStore
from folio_reader.index.corpus import Corpus
from folio_reader.index.listing import ListItem, cached_items, list_items, rows_of
from folio_reader.index.locations import INDEX_MARKER
from folio_reader.index.locations import index_owner as index_owner  # (re-exported: the start path asks it here)

if TYPE_CHECKING:
    from folio_reader.index.annotation_search import AnnotationSearch
    from folio_reader.index.search import FolioIndex, SearchResult, UpdateReport

ItemsCallback = Callable[[Sequence[ListItem]], object]
ProgressCallback = Callable[[int, int], object]
StopCheck = Callable[[], bool]

#: Results asked of the index per search by default, and annotations listed above them.
SEARCH_LIMIT = 50
ANNOTATION_LIMIT = 20


@dataclass
class Updated:
    """What an update (or a rebuild) did, and what the user should be told."""

    report: UpdateReport
    messages: list[str] = field(default_factory=list)


@dataclass
class Found:
    """The answer to one query: documents, and the annotations whose note, quote or tags match."""

    result: SearchResult
    annotations: list[Annotation]


#: The index marker's name (`locations.INDEX_MARKER`, as `schema.MARKER`): no Whoosh on the start path.
MARKER = INDEX_MARKER


class IndexSession:
    """The corpus's search index for the life of the reader (see the module docstring)."""

    def __init__(self, corpus: Corpus, index_dir: Path | None = None) -> None:
        self.corpus = corpus
        self.index_dir = locations.index_dir(Path(corpus.label), index_dir)
        self._override = index_dir
        self.index: FolioIndex | None = None  #: set once opened (by `open`)
        self._annotation_search: AnnotationSearch | None = None
        self._annotation_version = -1
        self._annotation_lock = threading.Lock()
        self._stopping = threading.Event()

    def stop(self) -> None:
        """The reader is ending: an `open` or `rebuild` under way stops at its next look (the
        update polls it between files and worker messages), and none starts."""
        self._stopping.set()

    def _stop_check(self, should_stop: StopCheck) -> StopCheck:
        return lambda: self._stopping.is_set() or should_stop()

    def cached_items(self) -> Sequence[ListItem]:
        """The document list as the index last saw it: instant, no Whoosh. None from an index
        folder of another corpus (`--index-dir` named one): its list is not this corpus's."""
        if index_owner(self.index_dir) not in (None, self.corpus.label):
            return []
        return cached_items(self.index_dir)

    def open(self, listed: ItemsCallback, progress: ProgressCallback, should_stop: StopCheck) -> Updated | None:
        """Open the index, list what the scan finds, bring the index up to date (reporting
        progress), and list again what changed; None when stopped before the end."""
        from folio_reader.index.search import FolioIndex

        should_stop = self._stop_check(should_stop)
        index = FolioIndex(self.corpus, self._override)
        self.index = index
        scan = self.corpus.scan()
        if should_stop():
            return None
        metas, recorded = index.documents()
        unread = [e.rel for e in scan.entries]
        if len(unread) == len(metas) and set(unread) == {m.rel for m in metas}:  # (every file read)
            listed(rows_of(metas, [*recorded, *scan.problems]))
        else:
            listed(list_items(metas, unread, [*recorded, *scan.problems]))

        def indexed(done: int, total: int, _rel: str) -> None:
            progress(done, total)

        report = index.update(indexed, should_stop=should_stop, scan=scan)  # (one scan: seconds on 100,000 files)
        if should_stop():
            return None
        if report.indexed or report.deleted:
            listed(self.items(report))
        return Updated(report, index.messages + report.messages)

    def rebuild(self, listed: ItemsCallback, should_stop: StopCheck) -> Updated | None:
        """The index broke while in use (deleted, truncated, garbage): start it again."""
        index = self.index
        should_stop = self._stop_check(should_stop)
        if index is None or should_stop():
            return None
        index.recover(RuntimeError("it could not be read"))
        report = index.update(should_stop=should_stop)
        listed(self.items(report))
        return Updated(report, [index.messages[-1], *report.messages])

    def items(self, report: UpdateReport) -> Sequence[ListItem]:
        """The list after an update: what the index knows, and every problem found."""
        assert self.index is not None
        metas, recorded = self.index.documents()
        return rows_of(metas, [*recorded, *report.problems])

    def search(
        self, query: str, store: AnnotationStore, version: int, limit: int = SEARCH_LIMIT, within: str | None = None
    ) -> Found | None:
        """The top `limit` documents matching `query` (ask for the hits the pane can show: each
        costs its spans, its snippet and a read of its text; `tests/bench/bench_hits.py`), and
        annotations of `store` that match (searched with an index rebuilt when `version`, bumped
        by every change to the annotations, moves on); None while the index is not open yet.
        `within` (a corpus-relative path) keeps both to that one document."""
        index = self.index
        if index is None:
            return None
        result = index.search(query, limit=limit, within=within)
        annotations = self._search_annotations(query, store, version) if result.error is None else []
        if within is not None:
            annotations = [a for a in annotations if a.source == within]
        return Found(result, annotations)

    def _search_annotations(self, query: str, store: AnnotationStore, version: int) -> list[Annotation]:
        from folio_reader.index.annotation_search import AnnotationSearch

        with self._annotation_lock:
            if self._annotation_search is None or self._annotation_version != version:
                self._annotation_search = AnnotationSearch(store.all())
                self._annotation_version = version
            ids = self._annotation_search.search(query, limit=ANNOTATION_LIMIT)
        found = (store.get(i) for i in ids)
        return [a for a in found if a is not None and not a.deleted]
