"""The reading pane: a document laid out for reading, with a caret, a selection and highlights.

`Reader` is a Line API widget (`ScrollView` + `render_line`): only the rows on screen are
rendered, and only the paragraphs on screen are wrapped exactly (every other paragraph's row
count is estimated from its length and corrected when it comes into view, keeping what is on
screen still). Opening a 35 MB document costs one pass over its paragraph list.

The document is laid out as it is written, from its blocks (`tui.layout`), at a comfortable
measure (80 cells, centred; `f` toggles the full width): prose wrapped, code line for line,
tables as columns, headings and inline markup as styles with their markers hidden (`M` shows
them), or the canonical text line for line (`r`). Every text cell on screen maps back to the
offset of the character it shows. Document text is never parsed as markup.

Public API
----------
``Reader(document=None, *, placeholder="No document", name=None, id=None, classes=None)``

Loading
    ``load(document, *, offset=0)``: show a `index.corpus.Document` (again with another one to
    switch), caret and top of the view at `offset`; highlights, marks and selection are reset.
    ``clear(placeholder=None)``: show nothing but a placeholder message.
    ``document -> Document | None``.

Caret and selection (offsets are code-point offsets into ``document.text``)
    ``caret -> int``; ``move_caret(offset, *, select=False, reveal=True)``: with ``select`` the
    selection is extended from its anchor (started at the old caret if none), else it is
    cancelled. ``selection -> tuple[int, int] | None`` (end exclusive, the caret's character
    included); ``select(start, end)``; ``clear_selection()``; ``selecting -> bool``.
    ``word_at(offset)``, ``sentence_at(offset)``, ``paragraph_at(offset)`` -> (start, end).

Scrolling
    ``top_offset -> int`` (offset of the first visible row: the reading position, and the
    passage to sync another pane on); ``offset_at_row_start(row=0)`` (same for a screen row);
    ``screen_row_of(offset) -> int | None``; ``scroll_to_offset(offset, *, center=True)`` with
    ``center`` True (middle), ``"top"`` or False (just bring it into view);
    ``scroll_offset_to_row(offset, row)`` (put an offset on a given screen row, to level a
    counterpart with a passage in another pane); ``offset_at_point(x, y)`` (a content cell).

Highlights and margin marks (merged when a row is drawn; later layers on top)
    ``set_highlights(layer, spans, style="reader--hit", *, current=None)``: `spans` are
    (start, end) or (start, end, style); a style is a component class name (``"reader--…"``, so
    themes apply) or a Rich style string or `Style`. ``current`` (an index into `spans`) is drawn
    with ``reader--hit-current`` on top. ``clear_highlights(layer=None)``.
    ``set_marks(layer, {offset: text | (text, style)}, style="reader--margin")``: text drawn in
    the left margin of the row showing `offset` (a note mark "●", "only in A"…).
    ``clear_marks(layer=None)``. The layer named ``SEARCH_LAYER`` ("search") feeds the status.

Layout
    reactives ``measure: int`` (80), ``full_width: bool``, ``markdown: bool`` (styles),
    ``raw: bool`` (the canonical text), ``markers: bool`` (inline markers shown);
    ``layout_note`` (why the plain layout, if it is used); ``headings``; ``link_at(offset)``.

Position
    reactives ``percent: int`` (0-100, by offset; 100 at the end) and ``status: str`` (e.g.
    ``"42%"`` or ``"42% · hit 3/12"`` while the search layer is set), for a status bar to watch;
    ``context: str`` (the link target under the caret, else the layout note, else the section).

Messages (nested): ``Reader.CaretMoved(reader, offset)``, ``Reader.SelectionChanged(reader,
span | None)``, ``Reader.Scrolled(reader, top_offset, percent)`` (posted when either changes),
``Reader.LinkFollowed(reader, path)`` (`enter` on a link naming a path; never an external one).

Bindings (ids ``reader.*``, remappable through the app keymap): see `BINDINGS`.

Component classes: see `tui.widgets.reader_theme`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from folio_reader.index.corpus import Document
from folio_reader.index.corpus import paragraphs as find_paragraphs
from folio_reader.index.inert import inert_inline as _inert
from folio_reader.tui import layout as lay
from folio_reader.tui.layout import LRU, DocLayout, outline
from folio_reader.tui.widgets import reader_places as places
from folio_reader.tui.widgets.reader_marks import (
    HighlightSpan,
    Layer,
    Marks,
    StyleSpec,
    changed_spans,
    margin_text,
    paint,
)
from folio_reader.tui.widgets.reader_theme import COMPONENT_CLASSES, DEFAULT_CSS

__all__ = ["SEARCH_LAYER", "HighlightSpan", "Reader"]

SEARCH_LAYER = "search"
#: Cells kept left of the text for margin marks, and right of it for a hanging space.
MARGIN = 2
#: Panes narrower than this get no margin (the text takes every cell).
NARROW = 12

Anchor = tuple[int, int, int]  # (block, row in block, screen row it must be drawn on)

#: Drawn in the margin beside a row that continues a verbatim line cut at the measure.
CONTINUED = "↪"


class Reader(ScrollView, can_focus=True, inherit_bindings=False):
    """A keyboard-driven reading pane for one document (see the module docstring)."""

    ALLOW_SELECT = False  # the reader has its own selection (`v`), offsets-based

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "char(-1)", "Previous character", show=False, id="reader.char_left"),
        Binding("right", "char(1)", "Next character", show=False, id="reader.char_right"),
        Binding("w,ctrl+right", "word_next", "Next word", show=False, id="reader.word_next"),
        Binding("e", "word_end", "End of word", show=False, id="reader.word_end"),
        Binding("E,ctrl+left", "word_prev", "Previous word", show=False, id="reader.word_prev"),
        Binding(")", "sentence(1)", "Next sentence", show=False, id="reader.sentence_next"),
        Binding("(", "sentence(-1)", "Previous sentence", show=False, id="reader.sentence_prev"),
        Binding("}", "paragraph(1)", "Next paragraph", show=False, id="reader.paragraph_next"),
        Binding("{", "paragraph(-1)", "Previous paragraph", show=False, id="reader.paragraph_prev"),
        Binding("j,down", "row(1)", "Line down", show=False, id="reader.line_down"),
        Binding("k,up", "row(-1)", "Line up", show=False, id="reader.line_up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="reader.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "top", "Top", show=False, id="reader.top"),
        Binding("G,end", "end", "End", show=False, id="reader.end"),
        Binding("v", "toggle_select", "Select", id="reader.select"),
        Binding("escape", "cancel_select", "Cancel selection", show=False, id="reader.cancel_select"),
        Binding("f", "toggle_full_width", "Full width", show=False, id="reader.full_width"),
        Binding("r", "toggle_raw", "Raw text", show=False, id="reader.raw"),
        Binding("M", "toggle_markers", "Show markers", show=False, id="reader.markers"),
        Binding("t", "outline", "Outline", show=False, id="reader.outline"),
        Binding("enter", "follow_link", "Follow link", show=False, id="reader.follow_link"),
    ]

    COMPONENT_CLASSES = set(COMPONENT_CLASSES)
    DEFAULT_CSS = DEFAULT_CSS

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

    class CaretMoved(Message):
        """The caret moved."""

        def __init__(self, reader: Reader, offset: int) -> None:
            self.reader = reader
            self.offset = offset
            super().__init__()

        @property
        def control(self) -> Reader:
            return self.reader

    class SelectionChanged(Message):
        """The selection changed; `span` is None when there is none."""

        def __init__(self, reader: Reader, span: tuple[int, int] | None) -> None:
            self.reader = reader
            self.span = span
            super().__init__()

        @property
        def control(self) -> Reader:
            return self.reader

    class LinkFollowed(Message):
        """`enter` on a link that names a path (external links are never followed): `path` as
        the document wrote it, its fragment dropped."""

        def __init__(self, reader: Reader, path: str) -> None:
            self.reader = reader
            self.path = path
            super().__init__()

        @property
        def control(self) -> Reader:
            return self.reader

    class Scrolled(Message):
        """The view moved: the offset of its first row, or the percentage, changed."""

        def __init__(self, reader: Reader, top_offset: int, percent: int) -> None:
            self.reader = reader
            self.top_offset = top_offset
            self.percent = percent
            super().__init__()

        @property
        def control(self) -> Reader:
            return self.reader

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
        self._top: tuple[int, int, int] = (0, 0, 0)  # (block, row, document row) at the top
        self._reported: tuple[int, int] | None = None
        self._outline: outline.Outline | None = None
        if document is not None:
            self.load(document)

    # -- loading ----------------------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self._document

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

    # -- geometry and layout ----------------------------------------------------------------

    @property
    def _viewport(self) -> Size:
        return self.scrollable_content_region.size

    def _text_geometry(self, cells: int) -> tuple[int, int]:
        """(text width, cells left of the text) for a pane `cells` wide."""
        reserve_left, reserve_right = (MARGIN, 1) if cells >= NARROW else (0, 0)
        room = max(1, cells - reserve_left - reserve_right)
        width = room if self.full_width else max(1, min(self.measure, room))
        left = max(reserve_left, (cells - width) // 2)
        if left + width + reserve_right > cells:
            left = reserve_left
        return width, left

    def _relayout(self) -> None:
        """Lay the document out for the current pane width, keeping the top row's offset at
        the top (or showing what was asked for before the pane had a size)."""
        doc = self._document
        cells = self._viewport.width
        if doc is None or cells <= 0:
            return
        if self._pending is not None:
            place, self._pending = self._pending, None
        else:
            place = (self.top_offset if self._layout is not None else 0, 0)
        width, self._left = self._text_geometry(cells)
        self._cells_width = cells
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

    @property
    def laid_out(self) -> bool:
        return self._layout is not None

    @property
    def layout_note(self) -> str:
        """Why the document is laid out as plain text when it is ("" when it is not)."""
        return self._layout.note if self._layout is not None else ""

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    # -- settling: exact rows on screen, view kept still ------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._settling or self._layout is None:
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
            self._reflowed = True  # a block's row count changed: rows below it moved
        self._settling = True
        try:
            self.virtual_size = Size(self._cells_width, layout.row_count)
            if target != round(self.scroll_y):
                self.scroll_to(y=target, animate=False, force=True)
        finally:
            self._settling = False
        top = round(self.scroll_y)
        block, row = layout.find(top)
        self._top = (block, row, top)
        self._report_position()

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

    def move_caret(self, offset: int, *, select: bool = False, reveal: bool = True) -> None:
        """Put the caret on offset; `select` extends the selection, else it is cancelled."""
        layout = self._layout
        if layout is None:  # laid out later
            self._caret, self._anchor = offset, None
            return
        old_caret, old_selection = self._caret, self.selection
        if select and self._anchor is None:
            self._anchor = old_caret
        elif not select:
            self._anchor = None
        self._caret = layout.snap(offset)
        self._after_caret_move(old_caret, old_selection, reveal)

    def select(self, start: int, end: int, *, reveal: bool = True) -> None:
        """Select text[start:end] (the caret goes to its last character)."""
        layout = self._layout
        if layout is None or end <= start:
            return
        old_caret, old_selection = self._caret, self.selection
        self._anchor = layout.snap(start)
        self._caret = layout.snap(max(start, end - 1))
        self._after_caret_move(old_caret, old_selection, reveal)

    def clear_selection(self) -> None:
        if self._anchor is None:
            return
        old_selection = self.selection
        self._anchor = None
        self._after_caret_move(self._caret, old_selection, False)

    def _after_caret_move(self, old_caret: int, old_selection: tuple[int, int] | None, reveal: bool) -> None:
        layout = self._layout
        assert layout is not None
        selection = self.selection
        changed = [(old_caret, old_caret + 1), (self._caret, self._caret + 1)]
        changed.extend(changed_spans(old_selection, selection))
        for span in changed:
            self._forget_rows(*span)
        top, self._reflowed = round(self.scroll_y), False
        if reveal and layout.block_count:
            self._reveal(*layout.row_of(self._caret))
        if self._reflowed or round(self.scroll_y) != top:
            self.refresh()  # the rows on screen moved: all of them are drawn again
        else:
            for span in changed:  # only the rows that show something else (bytes on the wire)
                self._refresh_rows(*span)
        if old_caret != self._caret:
            self._update_context()
            self.post_message(self.CaretMoved(self, self._caret))
        if selection != old_selection:
            self.post_message(self.SelectionChanged(self, selection))

    def _forget_rows(self, start: int, end: int) -> None:
        """Drop the cached strips of the rows showing offsets [start, end)."""
        layout = self._layout
        if layout is None or not layout.block_count:
            return
        first = layout.row_of(start)
        last = layout.row_of(max(start, end - 1))
        for key in self._strips.keys():  # noqa: SIM118 (an LRU: keys() is a copy, safe to discard from)
            if first <= key <= last:
                self._strips.discard(key)

    def _refresh_rows(self, start: int, end: int) -> None:
        """Draw again the rows on screen showing offsets [start, end)."""
        layout = self._layout
        if layout is None or not layout.block_count:
            return
        first, last = (layout.block_row(b) + r for b, r in map(layout.row_of, (start, max(start, end - 1))))
        top = round(self.scroll_y)
        first, last = max(first, top), min(last, top + self._viewport.height - 1)
        if first <= last:  # the text's cells only: not the scrollbar beside them
            gutter = self.styles.gutter
            self.refresh(Region(gutter.left, gutter.top + first - top, self._viewport.width, last - first + 1))

    def word_at(self, offset: int) -> tuple[int, int]:
        doc = self._text()
        start = lay.word_prev(doc, offset + 1)
        return start, lay.word_end(doc, start) + 1

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The sentence around offset (within its paragraph)."""
        span = self.paragraph_at(offset)
        if span is None:
            return offset, offset
        return lay.sentence_bounds(self._text(), span[0], span[1], offset)

    def paragraph_at(self, offset: int) -> tuple[int, int] | None:
        """The paragraph around offset (the next one between paragraphs)."""
        if not self._paragraphs:
            return None
        return self._paragraphs[lay.paragraph_index(self._paragraphs, offset)]

    def _text(self) -> str:
        return self._document.text if self._document is not None else ""

    # -- actions ----------------------------------------------------------------------------

    def _caret_off_screen(self) -> bool:
        """When the caret is off screen (the view was scrolled away), put it on the top row.

        Returns True if it did: the key that asked for a caret move is then spent on that.
        """
        if self._anchor is not None or self._layout is None or not self._layout.block_count:
            return False
        if self.screen_row_of(self._caret) is not None:
            return False
        self._move(self.top_offset)
        return True

    def _move(self, offset: int, *, keep_goal: bool = False) -> None:
        if not keep_goal:
            self._goal_col = None
        self.move_caret(offset, select=self.selecting)

    def action_char(self, delta: int) -> None:
        if self._caret_off_screen():
            return
        layout = self._layout
        if layout is not None:
            step = layout.next_cluster if delta > 0 else layout.prev_cluster
            self._move(step(self._caret))

    def action_word_next(self) -> None:
        self._word_motion(lay.word_next)

    def action_word_end(self) -> None:
        self._word_motion(lay.word_end)

    def action_word_prev(self) -> None:
        self._word_motion(lay.word_prev)

    def _word_motion(self, step: Callable[[str, int], int]) -> None:
        """A word motion over the canonical text; a "word" of hidden markers (`**`) is stepped over."""
        layout = self._layout
        if self._caret_off_screen() or layout is None:
            return
        target = step(self._text(), self._caret)
        for _ in range(16):
            if layout.snap(target) == target or (after := step(self._text(), target)) == target:
                break
            target = after
        self._move(target)

    def action_sentence(self, delta: int) -> None:
        if self._caret_off_screen():
            return
        target = lay.sentence_step(self._text(), self._paragraphs, self._caret, delta)
        if target is None and delta > 0 and self._layout is not None:
            target = self._layout.last_offset  # past the last one: the end
        if target is not None:
            self._move(target)

    def action_paragraph(self, delta: int) -> None:
        if self._caret_off_screen():
            return
        target = lay.paragraph_step(self._paragraphs, self._caret, delta)
        if target is None and delta > 0 and self._layout is not None:
            target = self._layout.last_offset  # past the last one: the end
        if target is not None:
            self._move(target)

    def action_row(self, delta: int) -> None:
        if self._caret_off_screen():
            return
        layout = self._layout
        if layout is None or not layout.block_count:
            return
        if self._goal_col is None:
            self._goal_col = layout.col_of(self._caret)
        block, row = layout.step_row(*layout.row_of(self._caret), delta)
        self._move(layout.offset_in_row(block, row, self._goal_col), keep_goal=True)

    def action_page(self, delta: int) -> None:
        layout = self._layout
        if layout is None or not layout.block_count:
            return
        height = max(1, self._viewport.height)
        screen = self.screen_row_of(self._caret)
        if self._goal_col is None:
            self._goal_col = layout.col_of(self._caret)
        before = round(self.scroll_y)
        self.scroll_to(y=before + delta * max(1, height - 1), animate=False, force=True)
        if round(self.scroll_y) == before:  # at an end: go to the first or last row
            target = layout.last_offset if delta > 0 else 0
            self._move(target)
            return
        y = round(self.scroll_y) + (screen if screen is not None else 0)
        block, row = layout.find(y)
        if row >= layout.row_count_of(block):  # a blank row: the next paragraph's first row
            block, row = layout.step_row(block, row - 1, 1)
        self._move(layout.offset_in_row(block, row, self._goal_col), keep_goal=True)

    def action_top(self) -> None:
        if self._layout is not None and self._layout.block_count:
            self._move(0)
            self._settle((0, 0, 0))

    @property
    def at_end(self) -> bool:
        """The caret is on the last character laid out (`G` put it there)."""
        layout = self._layout
        return layout is not None and layout.block_count > 0 and self.caret >= layout.last_offset

    def action_end(self) -> None:
        layout = self._layout
        if layout is not None and layout.block_count:
            self._move(layout.last_offset)
            block, row = layout.row_of(layout.last_offset)
            self._settle((block, row, max(1, self._viewport.height) - 1))

    def action_toggle_select(self) -> None:
        if self._anchor is None:
            self.move_caret(self._caret, select=True, reveal=False)
        else:
            self.clear_selection()

    def action_cancel_select(self) -> None:
        self.clear_selection()

    def action_toggle_full_width(self) -> None:
        self.full_width = not self.full_width

    def action_toggle_raw(self) -> None:
        self.raw = not self.raw

    def action_toggle_markers(self) -> None:
        self.markers = not self.markers

    def action_outline(self) -> None:
        places.show_outline(self)

    def action_follow_link(self) -> None:
        places.follow_link(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_select":
            return self._anchor is not None  # else escape goes on to the screen
        if action == "follow_link":
            return self.link_at(self._caret) is not None  # else enter goes on to the screen
        if action == "outline":
            return bool(self.headings)
        return True

    def on_click(self, event: events.Click) -> None:
        point = event.get_content_offset(self)
        if point is None:
            return
        offset = self.offset_at_point(point.x, point.y)
        if offset is not None:
            self._goal_col = None
            self.move_caret(offset, select=event.shift, reveal=False)

    # -- highlights and marks ---------------------------------------------------------------

    def set_highlights(
        self,
        layer: str,
        spans: Sequence[HighlightSpan],
        style: StyleSpec = "reader--hit",
        *,
        current: int | None = None,
    ) -> None:
        """Show a layer of highlighted spans (replacing the layer's previous spans)."""
        self._layers[layer] = Layer.build(spans, style, current)
        self._highlights_changed()

    def clear_highlights(self, layer: str | None = None) -> None:
        if layer is None:
            self._layers.clear()
        else:
            self._layers.pop(layer, None)
        self._highlights_changed()

    def set_marks(
        self,
        layer: str,
        marks: Mapping[int, str | tuple[str, StyleSpec]],
        style: StyleSpec = "reader--margin",
    ) -> None:
        """Show margin text beside the rows holding the given offsets."""
        items = sorted(marks.items())
        self._marks[layer] = Marks(
            offsets=[offset for offset, _ in items],
            texts=[_inert(value if isinstance(value, str) else value[0]) for _, value in items],
            styles=[style if isinstance(value, str) else value[1] for _, value in items],
        )
        self._highlights_changed()

    def clear_marks(self, layer: str | None = None) -> None:
        if layer is None:
            self._marks.clear()
        else:
            self._marks.pop(layer, None)
        self._highlights_changed()

    def _highlights_changed(self) -> None:
        self._strips.clear()
        self._update_status()
        self.refresh()

    # -- rendering --------------------------------------------------------------------------

    def _style(self, spec: StyleSpec) -> Style:
        style = self._styles.get(spec)
        if style is None:
            if isinstance(spec, Style):
                style = spec
            elif spec.startswith("reader--"):
                style = self._component_style(spec)
            else:
                style = Style.parse(spec)
            self._styles[spec] = style
        return style

    def _component_style(self, name: str) -> Style:
        """A component's style with only what its rules set (colours blended with the pane)."""
        full = self.get_component_rich_style(name)
        partial = self.get_component_rich_style(name, partial=True)
        colours = Style(
            color=full.color if partial.color is not None else None,
            bgcolor=full.bgcolor if partial.bgcolor is not None else None,
        )
        return colours + partial.without_color

    def render_line(self, y: int) -> Strip:
        width = self._viewport.width
        layout = self._layout
        if layout is None or self._document is None:
            return self._placeholder_line(y, width)
        doc_row = round(self.scroll_y) + y
        if doc_row >= layout.row_count:
            return Strip.blank(width, self.rich_style)
        block, row = layout.find(doc_row)
        key = (block, row)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(block, row)
            self._strips.set(key, strip)
        if width != self._cells_width:  # a pane too narrow to lay out again (no cells)
            strip = strip.crop_extend(0, width, self.rich_style)
        return strip

    def _placeholder_line(self, y: int, width: int) -> Strip:
        base = self.rich_style
        if self._document is not None or y != max(0, self._viewport.height // 2):
            return Strip.blank(width, base)
        text = set_cell_size(_inert(self._placeholder), min(width, cell_len(_inert(self._placeholder))))
        pad = max(0, (width - cell_len(text)) // 2)
        style = base + self._style("reader--placeholder")
        strip = Strip([Segment(" " * pad, base), Segment(text, style)])
        return strip.extend_cell_length(width, base).crop(0, width)

    def _render_row(self, block: int, row: int) -> Strip:
        layout = self._layout
        assert layout is not None
        base = self.rich_style
        width = self._cells_width
        segments = list(self._margin_segments(block, row, base))
        segments.extend(self._text_segments(block, row, base))
        strip = Strip(segments).extend_cell_length(width, base)
        strip = strip.crop(0, width) if strip.cell_length > width else strip
        return strip.simplify()  # one segment per run of a style: one colour code each on the wire

    def _margin_segments(self, block: int, row: int, base: Style) -> Iterable[Segment]:
        left = self._left
        if not left:
            return []
        marks = self._row_marks(block, row)
        if not marks:
            return [Segment(" " * left, base)]
        text, spec = marks
        room = max(0, left - 1)
        if cell_len(text) > room:
            text = set_cell_size(text, room - 1) + "…" if room else ""

        pad = left - cell_len(text)
        return [
            Segment(" " * (pad - 1) if pad else "", base),
            Segment(text, base + self._style(spec)),
            Segment(" " if pad else "", base),
        ]

    def _row_marks(self, block: int, row: int) -> tuple[str, StyleSpec] | None:
        """Margin text for a row: the marks at offsets in the row (or in the gap before a block)."""
        layout = self._layout
        assert layout is not None
        span = layout.row_span(block, row)
        continued = (CONTINUED, "reader--marker") if layout.continued(block, row) else None
        if span is None or not self._marks:
            return continued
        start, end = span
        if row == 0:  # marks between paragraphs show beside the next one
            start = layout.ends[block - 1] if block > 0 else 0
        if block == layout.block_count - 1 and end == layout.ends[block]:
            end = len(layout.text) + 1
        return margin_text(self._marks.values(), start, end) or continued

    def _text_segments(self, block: int, row: int, base: Style) -> list[Segment]:
        layout = self._layout
        assert layout is not None
        span = layout.row_span(block, row)
        spans = self._row_styles(block, *span) if span is not None else []
        return paint(layout.cells(block, row), spans, base, self._style)

    def _row_styles(self, block: int, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Every style span meeting [start, end), in the order they apply."""
        spans: list[tuple[int, int, Style]] = []
        if self.markdown:
            for s, e, component in self._layout_styles(block):
                if s < end and e > start:
                    spans.append((s, e, self._style(component)))
        for layer in self._layers.values():
            for s, e, spec, current in layer.overlapping(start, end):
                spans.append((s, e, self._style(spec)))
                if current:
                    spans.append((s, e, self._style("reader--hit-current")))
        selection = self.selection
        if selection is not None and selection[0] < end and selection[1] > start:
            spans.append((selection[0], selection[1], self._style("reader--selection")))
        if start <= self._caret < end:
            spans.append((self._caret, self._caret + 1, self._style("reader--caret")))
        return spans

    def _layout_styles(self, block: int) -> list[tuple[int, int, str]]:
        spans = self._unit_styles.get(block)
        if spans is None:
            layout = self._layout
            assert layout is not None
            spans = layout.styles(block)
            self._unit_styles.set(block, spans)
        return spans
