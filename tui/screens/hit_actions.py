"""What choosing a search result and `n`/`N` do in the reader: the hits drawn, the caret on the
current one, the status bar's "hit 3/12", and the next document opened when a document's hits
run out. Where the hits are is a pure `HitCursor`; this module only shows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from folio_reader.index.corpus import Document
from folio_reader.tui.hit_cursor import HitCursor, Move
from folio_reader.tui.widgets.reader import Reader
from folio_reader.tui.widgets.status_bar import StatusBar
from folio_reader.tui.wording import counted

if TYPE_CHECKING:  # (Whoosh: imported by the index worker, off the path to the first frame)
    from folio_reader.index.search import SearchResult

SEARCH_LAYER = "search"
HIT_STYLE = "reader--hit"

#: `open_document(rel, spans)`: open another document on these hit spans.
OpenOnHits = Callable[[str, list[tuple[int, int]]], None]


class HitActions:
    """The current search's hits in the reader (see the module docstring)."""

    def __init__(
        self, app: App[Any], reader: Reader, status: StatusBar, open_on_hits: OpenOnHits, to_reader: Callable[[], None]
    ) -> None:
        self.app, self.reader, self.status = app, reader, status
        self._open_on_hits = open_on_hits
        self._to_reader = to_reader  #: bring the reading pane to the front, focused
        self.cursor: HitCursor | None = None  #: None when no search result was chosen

    def choose(self, result: SearchResult, doc: int, open_document: Document | None) -> None:
        """Result document `doc` was chosen: its first hit."""
        self.cursor = HitCursor(result, doc=doc, hit=0)
        self._show(open_document)

    def step(self, step: int, open_document: Document | None) -> None:
        """`n` (1) / `N` (-1): the next or previous hit, in this document or the next."""
        if self.cursor is None:
            self.app.notify("No search: press / to search", timeout=2, markup=False)
            return
        self.cursor, move = self.cursor.step(step)
        if move is Move.SAME_DOCUMENT:
            self.go_to_current()
            return
        if move is Move.WRAPPED:
            self.app.notify(f"Wrapped to the {'first' if step > 0 else 'last'} hit", timeout=2, markup=False)
        else:
            where = "Next" if step > 0 else "Previous"
            self.app.notify(f"{where} document: {self.cursor.document.title}", timeout=3, markup=False)
        self._show(open_document)

    def word(self, step: int) -> None:
        """`*` (1) / `#` (-1): the word under the caret, as a whole word, through the open
        document: its next (previous) use, and `n`/`N` go on from there."""
        from folio_reader.index.search import Hit, SearchResult  # (Whoosh's package: not at start)

        document = self.reader.document
        if document is None:
            self.app.notify("Open a document first", timeout=2, markup=False)
            return
        start, end = self.reader.word_at(self.reader.caret)
        word = document.text[start:end].strip()
        if not any(c.isalnum() for c in word):
            self.app.notify("No word under the caret", timeout=2, markup=False)
            return

        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        spans = [m.span() for m in pattern.finditer(document.text)]
        caret = self.reader.caret
        after = [n for n, (start, _) in enumerate(spans) if (start > caret if step > 0 else start < caret)]
        hit = (after[0] if step > 0 else after[-1]) if after else (0 if step > 0 else len(spans) - 1)
        found = Hit(document.rel, document.meta.title, None, None, None, 1.0, "", [], len(spans), spans)
        self.cursor = HitCursor(SearchResult(word, [found], total=1), hit=max(0, hit))
        self.go_to_current()
        if not after:
            self.app.notify(
                f"Wrapped: “{word}” {counted(len(spans), 'time')} in this document", timeout=2, markup=False
            )

    def loaded(self, document: Document, spans: list[tuple[int, int]] | None) -> bool:
        """A document was opened (on `spans` when it was opened for a hit): True when the hits
        placed the caret, else the hits of another document are cleared."""
        if spans is not None and self.cursor is not None:
            self.reader.set_highlights(SEARCH_LAYER, spans, HIT_STYLE, current=self.cursor.hit)
            self.go_to_current()
            return True
        if self.cursor is not None and self.cursor.rel != document.rel:
            self.reader.set_highlights(SEARCH_LAYER, [], HIT_STYLE)
            self.status.hit = ""
        return False

    def redraw(self, spans: list[tuple[int, int]] | None) -> None:
        """The open document was laid out again (its rest arrived): its hits drawn, the caret
        left where the user put it."""
        if spans is not None and self.cursor is not None:
            self.reader.set_highlights(SEARCH_LAYER, spans, HIT_STYLE, current=self.cursor.hit)

    def clear(self) -> bool:
        """Forget the hits (escape); True when there were some."""
        if self.cursor is None:
            return False
        self.cursor = None
        self.reader.set_highlights(SEARCH_LAYER, [], HIT_STYLE)
        self.status.hit = ""
        return True

    def _show(self, open_document: Document | None) -> None:
        """The current hit: in the open document at once, else once its document is open."""
        assert self.cursor is not None
        hit = self.cursor.document
        if open_document is not None and open_document.rel == hit.rel:
            self.reader.set_highlights(SEARCH_LAYER, hit.spans, HIT_STYLE, current=self.cursor.hit)
            self.go_to_current()
            self._to_reader()
        else:
            self._open_on_hits(hit.rel, hit.spans)

    def go_to_current(self) -> None:
        cursor = self.cursor
        assert cursor is not None
        span = cursor.span
        if span is None:
            self.status.hit = "no hit in the text (title match)"
            self.reader.scroll_to_offset(0, center="top")
            return
        spans = cursor.document.spans
        self.reader.set_highlights(SEARCH_LAYER, spans, HIT_STYLE, current=cursor.hit)
        self.reader.move_caret(span[0])
        self.reader.scroll_to_offset(span[0], center=True)
        self.status.hit = f"hit {cursor.hit + 1}/{len(spans)}"
