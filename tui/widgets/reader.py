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

The class is built in layers, one module each: `reader_view` (state, settling, position,
scrolling), `reader_loading` (loading and laying out), `reader_rows` (rows drawn, highlights and
marks), `reader_caret` (caret and selection); this module adds the key bindings and the motions
they run (character, word, sentence, paragraph, row, page, top, end).

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

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType

from folio_reader.tui import layout as lay
from folio_reader.tui.widgets import reader_places as places
from folio_reader.tui.widgets.reader_caret import ReaderCaret
from folio_reader.tui.widgets.reader_marks import HighlightSpan
from folio_reader.tui.widgets.reader_theme import COMPONENT_CLASSES, DEFAULT_CSS
from folio_reader.tui.widgets.reader_view import SEARCH_LAYER

__all__ = ["SEARCH_LAYER", "HighlightSpan", "Reader"]


class Reader(ReaderCaret, can_focus=True, inherit_bindings=False):
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
        target = self.sentence_target(delta)
        if target is None and delta > 0 and self._layout is not None:
            target = self._layout.last_offset  # past the last one: the end
        if target is not None:
            self._move(target)

    def action_paragraph(self, delta: int) -> None:
        if self._caret_off_screen():
            return
        target = self.paragraph_target(delta)
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
