"""Loading a document into the reader and laying it out for the pane's width.

`ReaderLoading` adds to `ReaderView`: `load` (a document, caret and top at an offset) and
`clear`, the text's geometry in the pane (the measure centred, a margin for marks), the layout
made again when the width, the view (raw) or the markers change, the top row's offset kept.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.geometry import Size

from folio_reader.index.corpus import Document
from folio_reader.index.corpus import paragraphs as find_paragraphs
from folio_reader.tui.layout import DocLayout
from folio_reader.tui.widgets.reader_frame import ReaderFrame
from folio_reader.tui.widgets.reader_view import ReaderView

#: Cells kept left of the text for margin marks, and right of it for a hanging space.
MARGIN = 2
#: Panes narrower than this get no margin (the text takes every cell).
NARROW = 12


class ReaderLoading(ReaderView):
    """A `ReaderView` that loads a document and lays it out (see the module docstring)."""

    def __init__(
        self,
        document: Document | None = None,
        *,
        placeholder: str = "No document",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(placeholder=placeholder, name=name, id=id, classes=classes, disabled=disabled)
        if document is not None:
            self.load(document)

    def load(self, document: Document, *, offset: int = 0) -> None:
        """Show a document with the caret and the top of the view at `offset`."""
        self._document = document
        paras = document.paragraphs
        if not paras and document.text.strip():
            paras = find_paragraphs(document.text)
        self._paragraphs = list(paras)
        self._reset_state()
        self._caret = offset
        self._pending = (offset, 0)
        self._layout = None
        self._relayout()

    def clear(self, placeholder: str | None = None) -> None:
        """Show no document, only a placeholder message."""
        if placeholder is not None:
            self._placeholder = placeholder
        self._document = None
        self._paragraphs = []
        self._layout = None
        self._reset_state()
        self._pending = None
        if self.styles.margin.left:  # (the placeholder centred in the whole pane)
            self.styles.margin = (0, 0, 0, 0)
        self.virtual_size = Size(0, 0)
        if self.is_mounted:
            self.scroll_to(y=0, animate=False)
        self._update_status()
        self.refresh()

    def _reset_state(self) -> None:
        self._caret = 0
        self._anchor = None
        self._goal_col = None
        self._layers.clear()
        self._marks.clear()
        self._strips.clear()
        self._unit_styles.clear()
        self._reported = None
        self._outline = None

    def _text_geometry(self, cells: int) -> tuple[int, int]:
        """(text width, cells left of the text) for a pane `cells` wide."""
        reserve_left, reserve_right = (MARGIN, 1) if cells >= NARROW else (0, 0)
        room = max(1, cells - reserve_left - reserve_right)
        width = room if self.full_width else max(1, min(self.measure, room))
        left = max(reserve_left, (cells - width) // 2)
        if left + width + reserve_right > cells:
            left = reserve_left
        return width, left

    def _outside_wanted(self, left: int) -> int:
        """Cells of the `left` margin to keep outside the widget, in its `ReaderFrame`: all but
        those the margin marks need (none outside any other container). A row drawn again is
        sent from the widget's edge, so the blank margin is then not sent with every row of a
        page (issue 17; see `reader_frame`)."""
        if not isinstance(self.parent, ReaderFrame):
            return 0
        texts = {text for marks in self._marks.values() for text in marks.texts}
        widest = cell_len(" ".join(sorted(texts)))
        return max(0, left - max(MARGIN, widest + 1))

    def _margin_changed(self) -> None:
        """The margin marks changed: keep outside what they no longer need, take back what they do."""
        outside = self.styles.margin.left
        if self._layout is not None and self._outside_wanted(self._left + outside) != outside:
            self._relayout()

    def _relayout(self) -> None:
        """Lay the document out for the current pane width, keeping the top row's offset at
        the top (or showing what was asked for before the pane had a size)."""
        doc = self._document
        outside = self.styles.margin.left
        cells = self._viewport.width + outside  # the pane's cells with those left outside
        if doc is None or cells <= 0:
            return
        if self._pending is not None:
            place, self._pending = self._pending, None
        else:
            place = (self.top_offset if self._layout is not None else 0, 0)
        width, left = self._text_geometry(cells)
        wanted = self._outside_wanted(left)
        if wanted != outside:  # (the resize that follows finds the rows already made for it)
            self.styles.margin = (0, 0, 0, wanted)
        self._left, self._cells_width = left - wanted, cells - wanted
        if self._layout is None or self._layout.width != width:
            self._layout = DocLayout(
                doc.text,
                self._paragraphs,
                width,
                structure=doc.structure,
                view="raw" if self.raw else "layout",
                markers=self.markers,
                like=self._layout,  # None after load() and a change of view
            )
            self._unit_styles.clear()
        self._strips.clear()
        layout = self._layout
        self._caret = layout.snap(self._caret)
        if layout.block_count:
            self._place(*place)
        else:
            self._settle()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._document is None:
            return
        if self._layout is None or self._viewport.width != self._cells_width:
            self._relayout()
        else:
            self._settle()

    def watch_measure(self) -> None:
        self._relayout()

    def watch_full_width(self) -> None:
        self._relayout()

    def watch_markdown(self) -> None:
        self._strips.clear()
        self.refresh()

    def watch_raw(self) -> None:
        self._lay_out_again()

    def watch_markers(self) -> None:
        self._lay_out_again()

    def _lay_out_again(self) -> None:
        """A new layout of the same document (raw view, markers), the top row's offset kept."""
        if self._layout is not None:
            self._pending = (self.top_offset, 0)
        self._layout = None
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()
