"""The left pane: the document list or the search, beside the reader or over it.

On a wide terminal it sits beside the reader, its width a share of the terminal with a floor
(`<` and `>` change the share; `d` on the list hides it, and again shows it). Below `NARROW`
columns it is an overlay over the reader, shown by `d` or `/` and closed once a document opens.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from folio_reader.tui.widgets.document_list import DocumentList
from folio_reader.tui.widgets.search_pane import SearchPane

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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._terminal_width = 0

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="documents", id="sidebar-switcher"):
            yield DocumentList(id="documents")
            yield SearchPane(id="search")

    @property
    def switcher(self) -> ContentSwitcher:
        return self.query_one("#sidebar-switcher", ContentSwitcher)

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
