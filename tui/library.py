"""The corpus, its index and its documents as the screens ask for them.

Each request runs the core's blocking call (`IndexSession`, `Corpus.load`, anchoring) in a thread
worker of the screen that asked, and the answer comes back to that screen as one of the messages
nested here. Searches are numbered: `is_latest` tells a stale answer from the newest one, so a
slow search never overwrites a newer one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.message import Message

from folio_reader.index.annotations import Anchored, Annotation, anchor_document
from folio_reader.index.corpus import Corpus, Document, UnreadableError
from folio_reader.index.listing import ListItem
from folio_reader.index.session import SEARCH_LIMIT, IndexSession, Updated
from folio_reader.tui.annotation_keeper import AnnotationKeeper
from folio_reader.tui.tasks import StopCheck, run_blocking

if TYPE_CHECKING:
    from folio_reader.index.search import FolioIndex, SearchResult

#: Seconds between two progress messages while indexing.
PROGRESS_EVERY = 0.25
#: Seconds the rest of a long document waits at most for its opening to be drawn.
SHOWN_WAIT = 2.0


@dataclass(frozen=True, slots=True)
class Request:
    """Where to open a document: at an offset (the top of the view), or with the caret on an
    offset (in the middle of the view), or on search hits (spans), else where it was left
    (`left_at`: that place as far as it is known before the document is read, by its path)."""

    rel: str
    offset: int | None = None
    spans: list[tuple[int, int]] | None = None
    caret: int | None = None
    left_at: int = 0

    def target(self) -> int:
        """The offset the reader is placed at first."""
        if self.offset is not None:
            return self.offset
        if self.caret is not None:
            return self.caret
        return self.spans[0][0] if self.spans else self.left_at


class Library:
    """See the module docstring."""

    class Listed(Message):
        """The document list, from the listing cache, the scan or an update."""

        def __init__(self, items: Sequence[ListItem]) -> None:
            super().__init__()
            self.items = items

    class Progress(Message):
        """Indexing progress (`total` 0: a rebuild under way); a newer one replaces a queued one."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Library.Progress)

    class Indexed(Message):
        """The index is up to date (or rebuilt)."""

        def __init__(self, updated: Updated) -> None:
            super().__init__()
            self.report, self.messages = updated.report, updated.messages

    class Searched(Message):
        """The answer to search number `seq`."""

        def __init__(self, seq: int, result: SearchResult, annotations: list[Annotation]) -> None:
            super().__init__()
            self.seq, self.result, self.annotations = seq, result, annotations

    class Loaded(Message):
        """A document was read, with its annotations anchored in its text."""

        def __init__(self, request: Request, document: Document, anchors: list[Anchored]) -> None:
            super().__init__()
            self.request, self.document, self.anchors = request, document, anchors
            #: set by the screen once the document is drawn: the rest of a long one is parsed
            #: after that (parsing it at once would take the interpreter from the first screen)
            self.shown = threading.Event()

    class Completed(Message):
        """The rest of a long document that `Loaded` brought with only its opening parsed."""

        def __init__(self, request: Request, opening: Document, document: Document) -> None:
            super().__init__()
            self.request, self.opening, self.document = request, opening, document

    class LoadFailed(Message):
        def __init__(self, rel: str, reason: str) -> None:
            super().__init__()
            self.rel, self.reason = rel, reason

    def __init__(self, session: IndexSession, keeper: AnnotationKeeper, version: Callable[[], int]) -> None:
        self.session = session
        self.keeper = keeper
        self._version = version  #: the annotations' version (see AnnotationKeeper)
        self.search_seq = 0  #: the number of the newest search asked for

    @property
    def corpus(self) -> Corpus:
        return self.session.corpus

    @property
    def index(self) -> FolioIndex | None:
        """The open index (None until it is open): for what only reads it, as the compare picker."""
        return self.session.index

    def cached_items(self) -> Sequence[ListItem]:
        return self.session.cached_items()

    # the index

    def open(self, node: DOMNode) -> None:
        """Open the index and bring it up to date: Listed, Progress…, Indexed to `node`."""

        def work(should_stop: StopCheck) -> None:
            last = 0.0

            def progress(done: int, total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if now - last > PROGRESS_EVERY or done == total:
                    last = now
                    node.post_message(self.Progress(done, total))

            updated = self.session.open(lambda items: node.post_message(self.Listed(items)), progress, should_stop)
            if updated is not None:
                node.post_message(self.Indexed(updated))

        run_blocking(node, work, name="opening the index", group="index")

    def rebuild(self, node: DOMNode) -> None:
        """The index broke while in use: rebuild it (Progress, Listed, Indexed to `node`)."""

        def work(should_stop: StopCheck) -> None:
            node.post_message(self.Progress(0, 0))
            updated = self.session.rebuild(lambda items: node.post_message(self.Listed(items)), should_stop)
            if updated is not None:
                node.post_message(self.Indexed(updated))

        run_blocking(node, work, name="rebuilding the index", group="index")

    # searching

    def search(self, node: DOMNode, query: str, limit: int = SEARCH_LIMIT, within: str | None = None) -> bool:
        """Search for `query` (its first `limit` documents; only the document `within` when it
        is given): Searched comes to `node`; False when the index is not open yet."""
        self.search_seq += 1
        seq = self.search_seq
        if self.session.index is None:
            return False
        version = self._version()

        def work(should_stop: StopCheck) -> None:
            found = self.session.search(query, self.keeper.store, version, limit, within)
            if found is not None and not should_stop():
                node.post_message(self.Searched(seq, found.result, found.annotations))

        run_blocking(node, work, name="searching", group="search")
        return True

    def cancel_search(self) -> None:
        """Forget the searches under way (the box was emptied): their answers are stale."""
        self.search_seq += 1

    def is_latest(self, seq: int) -> bool:
        return seq == self.search_seq

    # documents

    def load(self, node: DOMNode, request: Request) -> None:
        """Read a document and anchor its annotations: Loaded or LoadFailed to `node`.

        A long text comes in two steps (issue 15): Loaded with its opening parsed, so that the
        first screen shows at once, then Completed with the whole of it, parsed in this worker.
        When the place to show is past the opening, the whole is parsed before Loaded."""

        def work(should_stop: StopCheck) -> None:
            try:
                document = self.corpus.load(request.rel, opening=True)
                if document.parsed_to is not None and request.target() >= document.parsed_to:
                    document = self.corpus.complete(document)
            except UnreadableError as exc:
                node.post_message(self.LoadFailed(request.rel, str(exc)))
                return
            anchors = self.anchor(document)
            if should_stop():
                return
            loaded = self.Loaded(request, document, anchors)
            node.post_message(loaded)
            if not document.complete:
                loaded.shown.wait(SHOWN_WAIT)
                whole = self.corpus.complete(document)
                if not should_stop():
                    node.post_message(self.Completed(request, document, whole))

        run_blocking(node, work, name="opening the document", group="document")

    def anchor(self, document: Document) -> list[Anchored]:
        """Find the document's annotations in its current text (keeping moved positions), in order."""
        store = self.keeper.store
        anchors = anchor_document(store.for_document(document.rel), document)
        store.accept(anchors)
        return sorted((a for a in anchors if a.start is not None), key=lambda a: (a.start or 0, a.end or 0))
