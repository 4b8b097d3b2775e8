"""The two panes of the compare screen and what links them: the passage, sync, shared quotes.

`ComparePanes` holds a `ComparePane` for each document and, once the comparison has arrived,
shows it in both (through `Comparison.side`, so no code here asks which side it is on):

* The *passage* is the paragraph under the caret of the pane whose caret last moved (the
  *lead*). Its counterparts in the other pane are highlighted (the chosen one, the best unless
  `step_counterpart` chose another, stronger), and with `sync` on the other pane scrolls so that
  the chosen counterpart starts on the screen row where the passage starts: levelled by offset,
  so wrapping never makes it drift.
* Paragraphs found only in one document carry a margin mark (`ONLY_MARK`); shared quotes are
  underlined in both panes, the current one stronger.

It posts `ComparePanes.Changed` whenever the passage, the counterpart shown, sync or the current
quote changed, for the status line and the quotes panel to follow.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message

from folio_reader.index.compare.model import (
    SIDES,
    Comparison,
    ComparisonSide,
    Counterpart,
    SharedQuote,
    SideName,
    Span,
    other_side,
)
from folio_reader.index.corpus import Document
from folio_reader.index.document.excerpt import displayed_text
from folio_reader.tui.comparing import Place
from folio_reader.tui.widgets.compare_reader import ONLY_MARK, ComparePane, CompareReader
from folio_reader.tui.widgets.reader import Reader


class ComparePanes(Container):
    """Document A's pane and document B's, linked (see the module docstring)."""

    class Changed(Message):
        """The passage, the counterpart shown, sync or the current quote changed."""

    def __init__(self, placeholders: dict[SideName, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholders = placeholders
        self.comparison: Comparison | None = None
        self.sync = True
        self.lead: SideName = "a"  #: the pane whose caret last moved: the passage is there
        self.passage: Span | None = None
        self.counterparts: list[Counterpart] = []  #: the passage's, best first
        self.chosen = 0  #: the counterpart levelled with the passage
        self.quote_index: int | None = None  #: the current shared quote
        self._level_on_arrival = False  #: the caret has moved (or opened away from the top)

    def compose(self) -> ComposeResult:
        for side in SIDES:
            yield ComparePane(side, self._placeholders[side])

    def pane(self, side: SideName) -> ComparePane:
        return self.query_one(f"#pane-{side}", ComparePane)

    def reader(self, side: SideName) -> CompareReader:
        return self.pane(side).reader

    def side_of(self, widget: object) -> SideName | None:
        """The side whose reader `widget` is (or is inside), if any."""
        for side in SIDES:
            if widget is self.reader(side):
                return side
        return None

    def view(self, side: SideName) -> ComparisonSide | None:
        return None if self.comparison is None else self.comparison.side(side)

    # -- the documents, then the comparison, arrive ---------------------------------------------

    def show_document(self, side: SideName, document: Document, *, at: Place | None = None) -> None:
        """Show `side`'s document, at `at` if given, else at its top; the
        passage there is levelled as soon as the comparison arrives."""
        self.pane(side).show(document, at=at)
        if at is not None:
            self._level_on_arrival = True

    def show_comparison(self, comparison: Comparison) -> None:
        """Paint the comparison in both panes; level the passage if the caret has moved."""
        self.comparison = comparison
        for side in SIDES:
            pane, view = self.pane(side), comparison.side(side)
            for layer in ("passage", "counterpart"):  # layer order: these under the quotes
                pane.paint(layer, [])
            self._paint_quotes(side)
            pane.reader.set_marks("only", {start: (ONLY_MARK, "reader--only") for start, _ in view.only_here})
        self.follow(self.lead, scroll=self.sync and self._level_on_arrival)

    # -- the passage and its counterparts ---------------------------------------------------------

    @on(Reader.CaretMoved)
    def _caret_moved(self, message: Reader.CaretMoved) -> None:
        side = self.side_of(message.reader)
        if side is None or self.pane(side).moved_quietly(message.offset):
            return  # (a jump of ours: what follows from it is done already)
        self._level_on_arrival = True
        self.follow(side, scroll=self.sync)

    def follow(self, side: SideName, *, scroll: bool) -> None:
        """The passage is the paragraph under `side`'s caret: show its counterparts (and level)."""
        view = self.view(side)
        reader = self.reader(side)
        if view is None or reader.document is None:
            self.post_message(self.Changed())
            return
        counterparts = view.counterparts(reader.caret)
        passage = reader.paragraph_at(reader.caret)
        if (side, passage, counterparts) != (self.lead, self.passage, self.counterparts):
            self.chosen = 0
        self.lead, self.passage, self.counterparts = side, passage, counterparts
        self._paint_counterparts()
        if scroll:
            self.level()
        self.post_message(self.Changed())

    @property
    def counterpart(self) -> Counterpart | None:
        """The counterpart of the passage levelled with it, if it has any."""
        return self.counterparts[self.chosen % len(self.counterparts)] if self.counterparts else None

    def step_counterpart(self, step: int) -> bool:
        """Level the passage's next (or previous) counterpart; False when it has none."""
        if not self.counterparts:
            return False
        self.chosen = (self.chosen + step) % len(self.counterparts)
        self._paint_counterparts()
        self.level()
        self.post_message(self.Changed())
        return True

    def passage_status(self) -> Text:
        """The passage for the status line: "A ¶13 ↔ B ¶8 0.28 (1/3)", or "A ¶4 only in A"."""
        side, other = self.lead, other_side(self.lead)
        if self.passage is None:
            return Text("move the caret to a passage", style="dim")
        here = f"{side.upper()} ¶{self.pane(side).paragraph_number(self.passage[0])}"
        counterpart = self.counterpart
        if counterpart is None:
            return Text(f"{here} only in {side.upper()}", style="italic")
        there = self.pane(other).paragraph_number(counterpart.theirs[0])
        text = Text(f"{here} ↔ {other.upper()} ¶{there} ")
        text.append(f"{counterpart.score:.2f}", style="bold")
        if len(self.counterparts) > 1:
            text.append(f" ({self.chosen + 1}/{len(self.counterparts)})")
        return text

    def toggle_sync(self) -> None:
        self.sync = not self.sync
        if self.sync:
            self.level()
        self.post_message(self.Changed())

    def _paint_counterparts(self) -> None:
        here, there = self.pane(self.lead), self.pane(other_side(self.lead))
        there.paint(
            "counterpart",
            [
                (c.theirs[0], c.theirs[1], "reader--counterpart-best" if n == self.chosen else "reader--counterpart")
                for n, c in enumerate(self.counterparts)
            ],
        )
        there.paint("passage", [])
        here.paint("counterpart", [])
        passage = self.passage
        here.paint("passage", [(passage[0], passage[1], "reader--passage")] if self.counterparts and passage else [])

    def level(self) -> None:
        """Scroll the other pane so the chosen counterpart starts on the passage's screen row."""
        counterpart = self.counterpart
        if counterpart is None:
            return
        row = self.reader(self.lead).screen_row_of(counterpart.mine[0])
        # a passage starting above the view (a long paragraph): its counterpart starts at the top
        self.reader(other_side(self.lead)).scroll_offset_to_row(counterpart.theirs[0], row if row is not None else 0)

    def level_after_layout(self) -> None:
        """The terminal was resized: level anew once the panes are laid out again."""
        if self.sync and self.counterparts:
            self.call_after_refresh(self.level)

    # -- jumps ----------------------------------------------------------------------------------

    def next_only_here(self, side: SideName, step: int) -> str | None:
        """Put `side`'s caret on its next (previous) only-here paragraph; what to tell the user."""
        view = self.view(side)
        if view is None:
            return None
        found = view.next_only_here(self.reader(side).caret, step)
        if found is None:
            return f"Every paragraph of {side.upper()} has a counterpart"
        (start, _), wrapped = found
        reader = self.reader(side)
        reader.move_caret(start)  # a move like the user's: the passage follows it
        reader.scroll_to_offset(start, center=True)
        if wrapped:
            return f"Wrapped to the {'first' if step > 0 else 'last'} passage only in {side.upper()}"
        return None

    def next_quote(self, side: SideName, step: int) -> str | None:
        """Show the next (previous) shared quote after `side`'s caret; what to tell the user."""
        view = self.view(side)
        if view is None:
            return None
        found = view.next_occurrence(self.reader(side).caret, step)
        if found is None:
            return "No shared quotes"
        occurrence, wrapped = found
        self.show_quote(occurrence.quote, side, occurrence.start)
        return f"Wrapped to the {'first' if step > 0 else 'last'} shared quote" if wrapped else None

    def show_quote(self, index: int, side: SideName, start: int) -> None:
        """Show quote `index` at `start` in `side`, and the same quote in the other pane, level."""
        view = self.view(side)
        if view is None:
            return
        self.quote_index = index
        for s in SIDES:
            self._paint_quotes(s)
        here, there = self.pane(side), self.pane(view.other.name)
        theirs = view.other.quote_spans(index)[0][0]
        here.move_quietly(start)
        here.reader.scroll_to_offset(start, center=True)
        row = here.reader.screen_row_of(start)
        there.move_quietly(theirs)
        there.reader.scroll_offset_to_row(theirs, row if row is not None else 0)
        meets = there.reader.screen_row_of(theirs)
        if meets is not None and meets != row:  # the other pane is at an end: meet it there
            here.reader.scroll_offset_to_row(start, meets)
        self.follow(side, scroll=False)

    def _paint_quotes(self, side: SideName) -> None:
        view = self.view(side)
        if view is None:
            return
        current = self.quote_index
        self.pane(side).paint(
            "quotes",
            [
                (o.start, o.end, "reader--quote-current" if o.quote == current else "reader--quote")
                for o in view.occurrences
            ],
        )

    def quote_rows(self) -> list[tuple[str, str]]:
        """Each shared quote's text and where it is: "A ¶3, ¶7 · B ¶2"."""
        if self.comparison is None:
            return []
        a, b = self.pane("a"), self.pane("b")
        return [(self._shown(q), f"A {a.where(q.a)} · B {b.where(q.b)}") for q in self.comparison.shared_quotes]

    def _shown(self, quote: SharedQuote) -> str:
        """A quote as a reader sees it at its first place in A (markers hidden)."""
        document = self.reader("a").document
        if document is None or document.structure is None or not quote.a:
            return quote.text
        return displayed_text(document.text, document.structure, *quote.a[0]) or quote.text
