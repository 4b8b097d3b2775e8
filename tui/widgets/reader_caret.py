"""The reader's caret and selection: moving them, and drawing again only the rows they change.

`ReaderCaret` adds to `ReaderRows`: `move_caret`, `select`, `clear_selection` (posting
`Reader.CaretMoved` and `Reader.SelectionChanged`), the view brought to the caret, and the
repaint kept to the cells of the rows that show something else (bytes on the wire; when the
view scrolled, settling draws what moved: `ReaderRows._view_moved`); and the units a motion or
a selection works in (`word_at`, `sentence_at`, `paragraph_at`) and where a sentence or
paragraph motion goes (`sentence_target`, `paragraph_target`: the start of a shown sentence or
paragraph, its hidden opening markers stepped over).
"""

from __future__ import annotations

from collections.abc import Callable

from folio_reader.tui import layout as lay
from folio_reader.tui.widgets.reader_marks import changed_spans
from folio_reader.tui.widgets.reader_rows import ReaderRows

#: How many sentences or paragraphs a motion looks through for one that moves the caret (one
#: that is all hidden markers does not).
STEP_TRIES = 16


class ReaderCaret(ReaderRows):
    """A `ReaderRows` with a caret and a selection that move (see the module docstring)."""

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
        if not self._reflowed and round(self.scroll_y) == top:  # (else settling drew what moved)
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
        self._refresh_screen_rows(first - top, last - top)  # (the text's cells only: not the scrollbar)

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

    def sentence_target(self, delta: int) -> int | None:
        """Where `)` (delta > 0) or `(` goes from the caret: the start of the next sentence, or of
        this or the previous one, as shown (see `_shown_step`)."""
        text, paragraphs = self._text(), self._paragraphs
        return self._shown_step(lambda offset: lay.sentence_step(text, paragraphs, offset, delta), delta)

    def paragraph_target(self, delta: int) -> int | None:
        """Where `}` (delta > 0) or `{` goes from the caret: the start of the next paragraph, or
        of this or the previous one, as shown (see `_shown_step`)."""
        paragraphs = self._paragraphs
        return self._shown_step(lambda offset: lay.paragraph_step(paragraphs, offset, delta), delta)

    def _shown_step(self, step: Callable[[int], int | None], delta: int) -> int | None:
        """The first of step's canonical starts from the caret whose shown character moves the
        caret in delta's direction. A sentence or paragraph may open with markers the view hides
        (a heading's `## `, a bullet, `**`, `[`, a role): its start snaps to the first character
        shown, which is where the caret already is when it stands there, so the step goes on
        from the canonical start (at most `STEP_TRIES` starts)."""
        layout, caret = self._layout, self._caret
        target = step(caret)
        if layout is None:  # not laid out yet: nothing is hidden
            return target
        for _ in range(STEP_TRIES):
            if target is None:
                break
            shown = layout.snap(target)
            if (shown > caret) if delta > 0 else (shown < caret):
                return shown
            target = step(target)
        return None

    def paragraph_at(self, offset: int) -> tuple[int, int] | None:
        """The paragraph around offset (the next one between paragraphs)."""
        if not self._paragraphs:
            return None
        return self._paragraphs[lay.paragraph_index(self._paragraphs, offset)]
