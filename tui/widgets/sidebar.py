"""The left pane: the document list or the search, beside the reader or over it.

On a wide terminal it sits beside the reader, its width a share of the terminal with a floor
(`<` and `>` change the share; `d` on the list hides it, and again shows it). Below `NARROW`
columns it is an overlay over the reader, shown by `d` or `/` and closed once a document opens.

It runs the searches its box asks for (through the `Library`, answers as messages to it) and
shows the newest answer: a stale one never overwrites it. What is chosen (a document, a hit, an
annotation) goes up to the screen as the list's and the pane's messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from folio_reader.tui.library import Library
from folio_reader.tui.widgets.document_list import DocumentList
from folio_reader.tui.widgets.search_pane import FIRST_PAGE, SearchPane

if TYPE_CHECKING:
    from folio_reader.index.annotations import Annotation

#: Below this width the sidebar becomes an overlay.
NARROW = 100
#: Its share of a wide terminal, and the bounds `<`/`>` move it within.
SHARE, MIN_SHARE, MAX_SHARE, STEP = 0.36, 0.2, 0.6, 0.04
#: Its floor (columns), and what the reader keeps beside it at least.
FLOOR, READER_FLOOR = 44, 40


class Sidebar(Vertical):
    DEFAULT_CSS = """
    Sidebar { height: 1fr; border-right: vkey $foreground 20%; }
    Sidebar.-overlay {
        layer: overlay; dock: left; width: 100%; max-width: 60;
        background: $surface; border-right: thick $accent;
    }
    Sidebar.-hidden { display: none; }
    """

    share: reactive[float] = reactive(SHARE, init=False)

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self._terminal_width = 0

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="documents", id="sidebar-switcher"):
            yield DocumentList(id="documents")
            yield SearchPane(id="search")

    @property
    def switcher(self) -> ContentSwitcher:
        return self.query_one("#sidebar-switcher", ContentSwitcher)

    @property
    def documents(self) -> DocumentList:
        return self.query_one(DocumentList)

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def pane(self) -> str:
        """ "documents" or "search"."""
        return self.switcher.current or "documents"

    @property
    def overlay(self) -> bool:
        return self.has_class("-overlay")

    @property
    def shown(self) -> bool:
        return not self.has_class("-hidden")

    def fit(self, terminal_width: int, *, reading: bool) -> None:
        """Lay out for a terminal `terminal_width` wide; becoming an overlay while a document is
        open (`reading`), it closes (with nothing to read, the list is what there is to see)."""
        self._terminal_width = terminal_width
        was_overlay = self.overlay
        self.set_class(terminal_width < NARROW, "-overlay")
        if self.overlay and not was_overlay:
            self.set_class(reading, "-hidden")
        elif was_overlay and not self.overlay:
            self.remove_class("-hidden")
        self._set_width()

    def show(self, pane: str, focus: Widget) -> None:
        self.switcher.current = pane
        self.remove_class("-hidden")
        focus.focus()

    def hide(self) -> None:
        self.add_class("-hidden")

    def close_overlay(self) -> None:
        """Out of the way of the reader when it is an overlay (beside it, it stays)."""
        if self.overlay:
            self.add_class("-hidden")

    def widen(self, step: int) -> bool:
        """`>` (1) / `<` (-1): a larger or smaller share of the terminal; False at a bound."""
        share = round(min(MAX_SHARE, max(MIN_SHARE, self.share + step * STEP)), 2)
        if share == self.share:
            return False
        self.share = share
        return True

    def watch_share(self) -> None:
        self._set_width()

    def _set_width(self) -> None:
        if self.overlay or not self._terminal_width:
            self.styles.width = None  # (the overlay's CSS width)
            return
        room = max(FLOOR, self._terminal_width - READER_FLOOR)
        self.styles.width = min(room, max(FLOOR, round(self._terminal_width * self.share)))

    # searching

    def search(self, query: str, limit: int = FIRST_PAGE) -> None:
        pane = self.search_pane
        if not query.strip():
            self.library.cancel_search()
            pane.clear_results()
            pane.answered()
        elif self.library.search(self, query, limit, pane.within):
            pane.searching = True  # (its answer: `_searched`)
        else:
            pane.set_status("the index is opening…")
            pane.answered()

    def search_again(self) -> None:
        """The index changed (the first build ended): the same query again, as many results, the
        highlight kept."""
        pane = self.search_pane
        if pane.input.value.strip():
            self.search(pane.input.value, max(FIRST_PAGE, len(pane.result.hits) if pane.result else 0))

    def use_suggestion(self) -> None:
        if self.search_pane.use_suggestion():
            self.search(self.search_pane.input.value)

    @on(SearchPane.QueryChanged)
    def _query_changed(self, message: SearchPane.QueryChanged) -> None:
        message.stop()
        self.search(message.query)

    @on(SearchPane.MoreWanted)
    def _more_wanted(self, message: SearchPane.MoreWanted) -> None:
        message.stop()
        if message.query == self.search_pane.input.value:
            self.search(message.query, message.limit)

    @on(Library.Searched)
    def _searched(self, message: Library.Searched) -> None:
        message.stop()
        if message.result.damaged:
            self.library.rebuild(self.screen)  # (its progress and listing go to the screen)
        if not self.library.is_latest(message.seq):
            return  # a newer search is under way: never show a stale answer over it
        self.search_pane.show(message.result, self._titled(message.annotations))
        self.search_pane.answered()

    def _titled(self, annotations: list[Annotation]) -> list[tuple[Annotation, str]]:
        """The annotations found, each with its document's title: the list is read only when
        some were found (a search costs nothing per listed document: issue 15)."""
        if not annotations:
            return []
        titles = {i.rel: i.title for i in self.documents.items}
        return [(a, titles.get(a.source, a.source)) for a in annotations]
