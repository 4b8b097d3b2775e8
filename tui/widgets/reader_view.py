"""The reader's view of a laid-out document: its state, which rows are on screen, and where.

`ReaderView` is the base of `Reader`: it holds the pane's state (the document, its layout,
the caret and the selection's anchor, the highlight layers and the row caches the subclasses
fill), settles the view (the blocks on screen wrapped exactly, the rows seen kept still when an
estimated height above them is corrected), maps between offsets and screen rows, scrolls to an
offset, and reports the position (`percent`, `status`, `context`, `Reader.Scrolled`).
Loading and laying out is `reader_loading`, drawing rows `reader_rows`, moving the caret
`reader_caret`, the key bindings `reader`.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from folio_reader.index.corpus import Document
from folio_reader.tui.layout import LRU, DocLayout, outline
from folio_reader.tui.widgets import reader_messages as messages
from folio_reader.tui.widgets import reader_places as places
from folio_reader.tui.widgets import reader_wire as wire
from folio_reader.tui.widgets.line_view import LineView
from folio_reader.tui.widgets.reader_marks import Layer, Marks, StyleSpec

SEARCH_LAYER = "search"

Anchor = tuple[int, int, int]  # (block, row in block, screen row it must be drawn on)


class ReaderView(LineView):
    """A document's rows in a scrolling pane: state, settling, position (see the module docstring)."""

    measure: reactive[int] = reactive(80)
    """The widest the text is set, in cells (when not `full_width`)."""
    full_width: reactive[bool] = reactive(False)
    """Use the full width of the pane instead of `measure`."""
    markdown: reactive[bool] = reactive(True)
    """Show the document's markup as styles (headings, emphasis, code, links…)."""
    raw: reactive[bool] = reactive(False)
    """Show the canonical text exactly, line for line, instead of the document as written."""
    markers: reactive[bool] = reactive(False)
    """Show inline markers (`**`, `#`, reST roles and targets) instead of hiding them."""
    percent: var[int] = var(0)
    """How far through the document the view is (by offset; 100 at the end)."""
    status: var[str] = var("")
    """Position text for a status bar: "42%", plus " · hit 3/12" while a search is shown."""
    context: var[str] = var("")
    """Where the reader is, for a status bar: the link target under the caret, else why the
    document is laid out as plain text, else the raw view, else the current section's title."""

    CaretMoved: TypeAlias = messages.CaretMoved
    SelectionChanged: TypeAlias = messages.SelectionChanged
    LinkFollowed: TypeAlias = messages.LinkFollowed
    Scrolled: TypeAlias = messages.Scrolled

    def __init__(
        self,
        *,
        placeholder: str = "No document",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._document: Document | None = None
        self._paragraphs: list[tuple[int, int]] = []
        self._placeholder = placeholder
        self._layout: DocLayout | None = None
        self._cells_width = 0  # pane width the layout was made for
        self._left = 0  # cells left of the text
        self._caret = 0
        self._anchor: int | None = None  # selection anchor while selecting
        self._goal_col: int | None = None  # column kept by vertical moves
        self._pending: tuple[int, int | str] | None = None  # (offset, screen row | "center" |
        # "nearest") to show once the pane has a size
        self._layers: dict[str, Layer] = {}
        self._marks: dict[str, Marks] = {}
        self._strips: LRU[tuple[int, int], Strip] = LRU(1024)
        self._unit_styles: LRU[int, list[tuple[int, int, str]]] = LRU(1024)
        self._styles: dict[StyleSpec, Style] = {}
        self._settling = False
        self._reflowed = False  # set when settling changed a block's row count
        self._moved = False  # the view scrolled, or rows on screen moved, since it was drawn
        self._painted: dict[int, wire.Span] = {}  # screen row -> cells drawn there (not blank)
        self._top: tuple[int, int, int] = (0, 0, 0)  # (block, row, document row) at the top
        self._reported: tuple[int, int] | None = None
        self._outline: outline.Outline | None = None

    @property
    def document(self) -> Document | None:
        return self._document

    @property
    def laid_out(self) -> bool:
        return self._layout is not None

    @property
    def layout_note(self) -> str:
        """Why the document is laid out as plain text when it is ("" when it is not)."""
        return self._layout.note if self._layout is not None else ""

    @property
    def _viewport(self) -> Size:
        return self.scrollable_content_region.size

    # -- settling: exact rows on screen, view kept still ------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # (ScrollView's own watcher refreshes the scrollbar's whole column and the whole pane)
        if self.show_vertical_scrollbar:
            wire.move_thumb(self.vertical_scrollbar, new_value)
        if round(old_value) != round(new_value):
            self._moved = True  # drawn again where the view settles (`_view_moved`)
        if self._layout is None:
            if self._moved:
                self._moved = False
                self.refresh(self.size.region)
            return
        if self._settling:
            return
        block, row, y = self._top
        new = round(new_value)
        anchor = (block, row, y - new) if abs(new - y) <= self._viewport.height else None
        self._settle(anchor)

    def _settle(self, anchor: Anchor | None = None) -> None:
        """Wrap the blocks on screen exactly and place the view.

        With an anchor (block, row, screen row) the view is put so that row is drawn on that
        screen row; corrections of estimated heights above it then do not move what is seen.
        """
        layout = self._layout
        if layout is None:
            return
        height = max(1, self._viewport.height)
        target = round(self.scroll_y)
        for _ in range(32):
            if anchor is not None:
                block, row, screen = anchor
                target = layout.block_row(block) + row - screen
            target = max(0, min(target, layout.row_count - height))
            if not self._wrap_window(target, height):
                break
            self._reflowed = self._moved = True  # a block's row count changed: rows below it moved
        self._settling = True
        try:
            self._set_virtual_size(Size(self._cells_width, layout.row_count))
            if target != round(self.scroll_y):
                self.scroll_to(y=target, animate=False, force=True)
        finally:
            self._settling = False
        top = round(self.scroll_y)
        block, row = layout.find(top)
        self._top = (block, row, top)
        if self._moved:
            self._moved = False
            self._view_moved()
        self._report_position()

    def _set_virtual_size(self, size: Size) -> None:
        """The document's rows changed in number (estimated heights made exact, a new layout).

        While the scrollbar shows a thumb before and after, only the thumb's cells are drawn
        again, in this frame: the layout pass that setting `virtual_size` asks for would redraw
        the scrollbar's whole column a frame later (~1,800 bytes on the wire at 40 rows).
        """
        old = self.virtual_size
        if size == old:
            return
        shown = self.is_mounted and self.show_vertical_scrollbar and size.width == old.width
        if shown and min(old.height, size.height) > self.size.height:
            self.set_reactive(ScrollView.virtual_size, size)
            wire.move_thumb(self.vertical_scrollbar, rows=size.height)
        else:
            self.virtual_size = size

    def _view_moved(self) -> None:
        """The view scrolled, or rows on screen moved: draw the pane again."""
        self.refresh()

    def _wrap_window(self, top: int, height: int) -> bool:
        """Wrap exactly the blocks showing rows [top, top + height); True if a height changed."""
        layout = self._layout
        assert layout is not None
        if not layout.block_count:
            return False
        block, _ = layout.find(top)
        y = layout.block_row(block)
        changed = False
        while block < layout.block_count and y < top + height:
            changed = bool(layout.ensure_exact(block)) or changed
            y += layout.index.height(block)
            block += 1
        return changed

    # -- position ---------------------------------------------------------------------------

    @property
    def top_offset(self) -> int:
        """Offset of the first visible row."""
        return self.offset_at_row_start(0)

    def offset_at_row_start(self, row: int = 0) -> int:
        """Offset at the start of a screen row (the next paragraph's start on a blank row)."""
        layout = self._layout
        if layout is None:
            return self._pending[0] if self._pending is not None else 0
        if not layout.block_count:
            return 0
        return layout.offset_at(round(self.scroll_y) + row, 0)

    def screen_row_of(self, offset: int) -> int | None:
        """The screen row showing offset, or None when it is off screen."""
        layout = self._layout
        if layout is None or not layout.block_count:
            return None
        block, row = layout.row_of(offset)
        screen = layout.block_row(block) + row - round(self.scroll_y)
        return screen if 0 <= screen < self._viewport.height else None

    def offset_at_point(self, x: int, y: int) -> int | None:
        """The offset drawn at a cell of the content region (x, y from its top left)."""
        layout = self._layout
        if layout is None or not layout.block_count:
            return None
        return layout.offset_at(round(self.scroll_y) + y, max(0, x - self._left))

    def _report_position(self) -> None:
        layout = self._layout
        doc = self._document
        if layout is None or doc is None:
            return
        top = self.top_offset
        if round(self.scroll_y) + self._viewport.height >= layout.row_count or not doc.text:
            percent = 100
        else:
            percent = min(99, 100 * top // len(doc.text))
        self.percent = percent
        self._update_status()
        if self._reported != (top, percent):
            self._reported = (top, percent)
            self.post_message(self.Scrolled(self, top, percent))

    @property
    def document_outline(self) -> outline.Outline:
        """The open document's headings and links."""
        if self._outline is None:
            doc = self._document
            self._outline = outline.Outline(doc.text if doc else "", doc.structure if doc else None)
        return self._outline

    @property
    def headings(self) -> list[outline.Heading]:
        """The open document's headings (its outline), in order."""
        return self.document_outline.headings

    def link_at(self, offset: int) -> str | None:
        """The target of the link shown at offset, if any."""
        return places.link_at(self, offset)

    def _update_context(self) -> None:
        self.context = places.context(self)

    def _update_status(self) -> None:
        self._update_context()
        if self._document is None:
            self.status = ""
            return
        text = f"{self.percent}%"
        search = self._layers.get(SEARCH_LAYER)
        if search is not None:
            count = len(search.starts)
            if count and search.current is not None:
                text += f" · hit {search.current + 1}/{count}"
            elif count:
                text += f" · {count} hits"
        self.status = text

    # -- scrolling --------------------------------------------------------------------------

    def scroll_to_offset(self, offset: int, *, center: bool | Literal["top"] = True) -> None:
        """Scroll so offset shows: in the middle, at the top, or (False) just on screen."""
        self._place(offset, 0 if center == "top" else "center" if center else "nearest")

    def scroll_offset_to_row(self, offset: int, row: int) -> None:
        """Scroll so offset is drawn on screen row `row` (as near as the ends allow)."""
        self._place(offset, row)

    def _place(self, offset: int, where: int | str) -> None:
        """Show offset on a screen row, in the middle ("center") or anywhere ("nearest")."""
        layout = self._layout
        if layout is None:
            if self._document is not None:
                self._pending = (offset, where)
            return
        if not layout.block_count:
            return
        block, row = layout.row_of(offset)
        if where == "nearest":
            self._reveal(block, row)
        else:
            screen = max(1, self._viewport.height) // 2 if where == "center" else int(where)
            self._settle((block, row, screen))
        self.refresh()

    def _reveal(self, block: int, row: int) -> None:
        """Scroll as little as possible to show a row."""
        layout = self._layout
        assert layout is not None
        height = max(1, self._viewport.height)
        y = layout.block_row(block) + row
        top = round(self.scroll_y)
        if y < top:
            self._settle((block, row, 0))
        elif y >= top + height:
            self._settle((block, row, height - 1))
        else:
            self._settle()

    # -- caret and selection ----------------------------------------------------------------

    @property
    def caret(self) -> int:
        return self._caret

    def snap(self, offset: int) -> int:
        """The caret position for an offset: the character shown at or after it (a hidden marker
        is not one)."""
        return self._layout.snap(offset) if self._layout is not None else offset

    @property
    def selecting(self) -> bool:
        return self._anchor is not None

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span (end exclusive, the character under the caret included)."""
        layout = self._layout
        if self._anchor is None or layout is None or not layout.block_count:
            return None
        start, last = sorted((self._anchor, self._caret))
        return start, layout.cluster_end(last)

    def _text(self) -> str:
        return self._document.text if self._document is not None else ""
