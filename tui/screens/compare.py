"""Side-by-side reading: two documents with corresponding passages aligned and shared quotes marked.

`CompareScreen(a_rel, b_rel)` shows document A and document B in two reading panes (side by side,
or one above the other below `NARROW` columns). Both documents load in a thread worker and show
at once; the comparison (`index.compare`, cached by content in the user cache dir) runs in the
same worker with its progress in the status line, and its marks arrive when it is done. Leaving
the screen cancels it.

* The *passage* is the paragraph under the caret of the pane whose caret last moved. Its
  counterparts in the other pane are highlighted (the best one, or the one chosen with `n`/`N`,
  stronger), and with sync on (`S`) the other pane scrolls so that this counterpart starts on
  the screen row where the passage starts: levelled by offset, so wrapping never makes it drift.
* Paragraphs found only in one document carry a margin mark (`○`); `o`/`O` go through those of
  the focused pane.
* Shared quotes are underlined in both panes; `x`/`X` go through them from the focused pane's
  caret, showing the same quote in the other pane on the same row; `p` opens the list of them,
  where enter shows one in both panes.

The panes are `CompareReader`s: the `Reader` with the comparison's styles, so every reading key
(caret, selection, paging, `f`) works in each.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from folio_reader.index import locations
from folio_reader.index.compare import Comparison, ComparisonCancelled, Pair, shared_cache
from folio_reader.index.corpus import Document, UnreadableError
from folio_reader.tui.widgets.compare_reader import ONLY_MARK, CompareReader, PaneTitle
from folio_reader.tui.widgets.quote_list import QuoteList
from folio_reader.tui.widgets.reader import Reader

SIDES = ("a", "b")
OTHER = {"a": "b", "b": "a"}
#: Below this width the panes are stacked one above the other.
NARROW = 100
#: Seconds between two progress reports of the comparison.
PROGRESS_EVERY = 0.1

Span = tuple[int, int]


class CompareScreen(Screen):
    """Two documents side by side (see the module docstring)."""

    BINDINGS = [
        Binding("tab", "next_pane", "Next pane", show=False, id="compare.next_pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="compare.previous_pane"),
        Binding("S", "toggle_sync", "Sync", id="compare.sync"),
        Binding("n", "counterpart(1)", "Next counterpart", show=False, id="compare.next_counterpart"),
        Binding("N", "counterpart(-1)", "Previous counterpart", show=False, id="compare.previous_counterpart"),
        Binding("o", "only_here(1)", "Only here", id="compare.next_only"),
        Binding("O", "only_here(-1)", "Previous only-here passage", show=False, id="compare.previous_only"),
        Binding("x", "quote(1)", "Quote", id="compare.next_quote"),
        Binding("X", "quote(-1)", "Previous shared quote", show=False, id="compare.previous_quote"),
        Binding("p", "toggle_quotes", "Quotes", id="compare.quotes"),
        Binding("escape,q", "close", "Close", id="compare.close"),
        Binding("question_mark", "app.help", "Help", id="compare.help"),
    ]

    DEFAULT_CSS = """
    CompareScreen #compare-body { height: 1fr; }
    CompareScreen #compare-panes { width: 1fr; height: 1fr; layout: horizontal; }
    CompareScreen.-stacked #compare-body { layout: vertical; }
    CompareScreen.-stacked #compare-panes { layout: vertical; }
    CompareScreen .compare-pane { width: 1fr; height: 1fr; }
    CompareScreen #pane-a { border-right: vkey $foreground 20%; }
    CompareScreen.-stacked #pane-a { border-right: none; }
    CompareScreen .compare-pane.-focused > PaneTitle { background: $accent 40%; color: $foreground; }
    CompareScreen CompareReader { width: 1fr; height: 1fr; }
    CompareScreen #quotes { display: none; width: 44; height: 1fr; border-left: vkey $foreground 20%; }
    CompareScreen.-quotes #quotes { display: block; }
    CompareScreen.-stacked #quotes { width: 1fr; height: 8; border-left: none; border-top: hkey $foreground 20%; }
    CompareScreen #compare-statusbar { height: 1; background: $panel; }
    CompareScreen #compare-status { width: 1fr; height: 1; padding: 0 1; }
    CompareScreen #compare-progress { display: none; width: auto; height: 1; padding: 0 1 0 0; }
    CompareScreen #compare-progress Bar { width: 16; }
    CompareScreen.-aligning #compare-progress { display: block; }
    """

    class DocumentLoaded(Message):
        def __init__(self, side: str, document: Document) -> None:
            super().__init__()
            self.side, self.document = side, document

    class LoadFailed(Message):
        def __init__(self, side: str, rel: str, reason: str) -> None:
            super().__init__()
            self.side, self.rel, self.reason = side, rel, reason

    class Progress(Message):
        def __init__(self, fraction: float) -> None:
            super().__init__()
            self.fraction = fraction

    class Compared(Message):
        def __init__(self, comparison: Comparison, seconds: float) -> None:
            super().__init__()
            self.comparison, self.seconds = comparison, seconds

    def __init__(self, a_rel: str, b_rel: str) -> None:
        super().__init__()
        self.rels = {"a": a_rel, "b": b_rel}
        self.documents: dict[str, Document | None] = {"a": None, "b": None}
        self.comparison: Comparison | None = None
        self.failed: str | None = None  #: why there is no comparison, when there will be none
        self.sync = True
        self.lead = "a"  #: the pane whose caret last moved: the passage is there
        self.passage: Span | None = None
        self.pairs: list[Pair] = []  #: the passage's pairs, best first
        self.pair_index = 0  #: the counterpart levelled with the passage
        self.quote_index: int | None = None
        self.only_index: int | None = None
        #: when each stage was reached, in seconds after the screen was made (for measures)
        self.timings: dict[str, float] = {}
        self._started = time.perf_counter()
        self._user_moved = False
        self._expected: dict[str, int] = {}  # caret offsets we moved a pane to ourselves
        self._painted: dict[tuple[str, str], list] = {}
        self._starts: dict[str, list[int]] = {"a": [], "b": []}
        self._occurrences: dict[str, list[tuple[int, int, int]]] = {"a": [], "b": []}
        self._progress = 0.0

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-body"):
            with Container(id="compare-panes"):
                for side in SIDES:
                    with Vertical(id=f"pane-{side}", classes="compare-pane"):
                        yield PaneTitle(side.upper(), id=f"title-{side}")
                        yield CompareReader(placeholder=f"Loading {self.rels[side]}…", id=f"reader-{side}")
            yield QuoteList(id="quotes")
        with Horizontal(id="compare-statusbar"):
            yield Static(id="compare-status", markup=False)
            yield ProgressBar(total=100, show_eta=False, id="compare-progress")
        yield Footer()

    def reader(self, side: str) -> CompareReader:
        return self.query_one(f"#reader-{side}", CompareReader)

    def title_of(self, side: str) -> PaneTitle:
        return self.query_one(f"#title-{side}", PaneTitle)

    @property
    def quotes_panel(self) -> QuoteList:
        return self.query_one("#quotes", QuoteList)

    @property
    def stacked(self) -> bool:
        return self.has_class("-stacked")

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.quotes_panel.show_message("Shared quotes: aligning…")
        self.reader("a").focus()
        self._update_status()
        self._run(self.rels["a"], self.rels["b"])

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # a class, not :focus-within, so that the pane's title is restyled with it
        for side in SIDES:
            self.query_one(f"#pane-{side}").set_class(event.widget is self.reader(side), "-focused")

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)
        if self.sync and self.pairs:
            self.call_after_refresh(self._level)  # the panes were laid out again: level anew

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "-stacked")

    # -- loading and comparing (a thread worker) ----------------------------------------------

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _run(self, a_rel: str, b_rel: str) -> None:
        worker = get_current_worker()
        corpus = self.app.corpus
        loaded: dict[str, Document] = {}
        for side, rel in (("a", a_rel), ("b", b_rel)):
            try:
                loaded[side] = corpus.load(rel)
            except UnreadableError as exc:
                self.post_message(self.LoadFailed(side, rel, str(exc)))
                continue
            if worker.is_cancelled:
                return
            self.post_message(self.DocumentLoaded(side, loaded[side]))
        if len(loaded) < 2:
            return
        cache = shared_cache(locations.compare_cache_dir(Path(corpus.label)))
        last = 0.0

        def progress(fraction: float) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY:
                last = now
                self.post_message(self.Progress(fraction))

        started = time.perf_counter()
        try:
            comparison = cache.compare(
                loaded["a"], loaded["b"], progress=progress, should_stop=lambda: worker.is_cancelled
            )
        except ComparisonCancelled:
            return
        self.post_message(self.Compared(comparison, time.perf_counter() - started))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failure of the worker is reported: a notification, no traceback."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.failed = "the comparison failed"
            self.remove_class("-aligning")
            self.quotes_panel.show_message("Shared quotes: the comparison failed")
            self.notify(f"The comparison failed: {type(error).__name__}: {error}", severity="error", markup=False)
            self._update_status()

    @on(DocumentLoaded)
    def _document_loaded(self, message: DocumentLoaded) -> None:
        side, document = message.side, message.document
        self.documents[side] = document
        self._starts[side] = [start for start, _ in document.paragraphs]
        self._forget_painted(side)
        self.reader(side).load(document)
        self.title_of(side).show(document)
        self.timings[f"shown_{side}"] = time.perf_counter() - self._started
        if all(self.documents.values()):
            self.add_class("-aligning")
        self._update_status()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.failed = f"cannot read {message.side.upper()}"
        self.reader(message.side).clear(f"Cannot read {message.rel}: {message.reason}")
        self.title_of(message.side).show_problem(message.rel, message.reason)
        self.quotes_panel.show_message("Shared quotes: nothing to compare")
        self.notify(f"{message.rel}: {message.reason}", severity="error", markup=False)
        self._update_status()

    @on(Progress)
    def _progress_report(self, message: Progress) -> None:
        self._progress = message.fraction
        self.query_one("#compare-progress", ProgressBar).update(progress=100 * message.fraction)
        self._update_status()

    @on(Compared)
    def _compared(self, message: Compared) -> None:
        comparison = message.comparison
        self.comparison = comparison
        self.timings["aligned"] = time.perf_counter() - self._started
        self.timings["compare_seconds"] = message.seconds
        self.remove_class("-aligning")
        for side in SIDES:
            spans = [q.a if side == "a" else q.b for q in comparison.shared_quotes]
            self._occurrences[side] = sorted((s, e, n) for n, found in enumerate(spans) for s, e in found)
            only = comparison.only_in_a if side == "a" else comparison.only_in_b
            reader = self.reader(side)
            # layer order: passage and counterparts under the quotes
            for layer in ("passage", "counterpart"):
                self._paint(side, layer, [])
            self._paint_quotes_in(side)
            reader.set_marks("only", {start: (ONLY_MARK, "reader--only") for start, _ in only})
        self._fill_quote_list()
        self._update_passage(self.lead, scroll=self.sync and self._user_moved)

    # -- the passage and its counterparts -------------------------------------------------------

    def _side_of(self, widget: object) -> str | None:
        for side in SIDES:
            if widget is self.reader(side):
                return side
        return None

    @on(Reader.CaretMoved)
    def _caret_moved(self, message: Reader.CaretMoved) -> None:
        side = self._side_of(message.reader)
        if side is None:
            return
        if self._expected.pop(side, None) == message.offset:
            return  # we moved it (a jump): what follows from it is done already
        self._user_moved = True
        self._update_passage(side, scroll=self.sync)

    @on(Reader.Scrolled)
    def _scrolled(self, message: Reader.Scrolled) -> None:
        side = self._side_of(message.reader)
        if side is not None:
            self.title_of(side).position = f"{message.percent}%"

    def _update_passage(self, side: str, *, scroll: bool) -> None:
        """The passage is the paragraph under `side`'s caret: show its counterparts (and level)."""
        comparison = self.comparison
        if comparison is None or self.documents[side] is None:
            self._update_status()
            return
        reader = self.reader(side)
        caret = reader.caret
        pairs = comparison.counterparts_in_b(caret) if side == "a" else comparison.counterparts_in_a(caret)
        passage = reader.paragraph_at(caret)
        if (side, passage, pairs) != (self.lead, self.passage, self.pairs):
            self.pair_index = 0
        self.lead, self.passage, self.pairs = side, passage, pairs
        self._paint_counterparts()
        if scroll:
            self._level()
        self._update_status()

    def _paint_counterparts(self) -> None:
        side, other = self.lead, OTHER[self.lead]
        theirs = [pair.b if side == "a" else pair.a for pair in self.pairs]
        spans = [
            (start, end, "reader--counterpart-best" if n == self.pair_index else "reader--counterpart")
            for n, (start, end) in enumerate(theirs)
        ]
        self._paint(other, "counterpart", spans)
        self._paint(other, "passage", [])
        self._paint(side, "counterpart", [])
        self._paint(side, "passage", [(*self.passage, "reader--passage")] if self.pairs and self.passage else [])

    def _level(self) -> None:
        """Scroll the other pane so the chosen counterpart starts on the passage's screen row."""
        if not self.pairs or self.comparison is None:
            return
        pair = self.pairs[self.pair_index % len(self.pairs)]
        mine, theirs = (pair.a, pair.b) if self.lead == "a" else (pair.b, pair.a)
        row = self.reader(self.lead).screen_row_of(mine[0])
        # a passage starting above the view (a long paragraph): its counterpart starts at the top
        self.reader(OTHER[self.lead]).scroll_offset_to_row(theirs[0], row if row is not None else 0)

    def _paint(self, side: str, layer: str, spans: list) -> None:
        """Set a highlight layer of a pane unless it already shows exactly these spans."""
        if self._painted.get((side, layer)) == spans:
            return
        self._painted[(side, layer)] = spans
        self.reader(side).set_highlights(layer, spans)

    def _forget_painted(self, side: str) -> None:
        for key in [k for k in self._painted if k[0] == side]:
            del self._painted[key]

    def _move_quietly(self, side: str, offset: int) -> None:
        """Move a pane's caret for a jump: its CaretMoved message then changes nothing."""
        reader = self.reader(side)
        before = reader.caret
        reader.move_caret(offset)
        if reader.caret != before:
            self._expected[side] = reader.caret

    # -- shared quotes ------------------------------------------------------------------------

    def _paint_quotes_in(self, side: str) -> None:
        spans = [
            (start, end, "reader--quote-current" if n == self.quote_index else "reader--quote")
            for start, end, n in self._occurrences[side]
        ]
        self._paint(side, "quotes", spans)

    def _fill_quote_list(self) -> None:
        comparison = self.comparison
        assert comparison is not None
        quotes = comparison.shared_quotes
        if not quotes:
            self.quotes_panel.show_message("No shared quotes (runs of 6 or more words)")
            return
        rows = []
        for quote in quotes:
            where = f"A {self._where('a', quote.a)} · B {self._where('b', quote.b)}"
            rows.append((quote.text, where))
        count = f"{len(quotes)} shared quote{'s' if len(quotes) != 1 else ''}"
        self.quotes_panel.set_quotes(rows, f"{count} · enter shows one in both")

    def _where(self, side: str, spans: list[Span]) -> str:
        labels = [f"¶{self._paragraph_number(side, start)}" for start, _ in spans[:3]]
        more = f" +{len(spans) - 3}" if len(spans) > 3 else ""
        return ", ".join(labels) + more

    def _paragraph_number(self, side: str, offset: int) -> int:
        return max(1, bisect_right(self._starts[side], offset))

    def _show_quote(self, index: int, side: str, start: int) -> None:
        """Show quote `index` at `start` in `side`, and the same quote in the other pane, level."""
        comparison = self.comparison
        assert comparison is not None
        quote = comparison.shared_quotes[index]
        other = OTHER[side]
        theirs = quote.b if side == "a" else quote.a
        self.quote_index = index
        for s in SIDES:
            self._paint_quotes_in(s)
        reader = self.reader(side)
        self._move_quietly(side, start)
        reader.scroll_to_offset(start, center=True)
        row = reader.screen_row_of(start)
        self._move_quietly(other, theirs[0][0])
        other_reader = self.reader(other)
        other_reader.scroll_offset_to_row(theirs[0][0], row if row is not None else 0)
        there = other_reader.screen_row_of(theirs[0][0])
        if there is not None and there != row:  # the other pane is at an end: meet it there
            reader.scroll_offset_to_row(start, there)
        self.quotes_panel.highlight(index)
        self._update_passage(side, scroll=False)

    @on(QuoteList.Chosen)
    def _quote_chosen(self, message: QuoteList.Chosen) -> None:
        comparison = self.comparison
        if comparison is None or not 0 <= message.index < len(comparison.shared_quotes):
            return
        self._show_quote(message.index, "a", comparison.shared_quotes[message.index].a[0][0])

    # -- actions ------------------------------------------------------------------------------

    def _focused_side(self) -> str:
        """The pane with the focus (or, from the quotes panel, the pane of the passage)."""
        focused = self.focused
        for side in SIDES:
            if focused is self.reader(side):
                return side
        return self.lead

    def _ready(self) -> Comparison | None:
        if self.comparison is None:
            self.notify(self.failed or "Still aligning the two documents…", timeout=2, markup=False)
        return self.comparison

    def _focus_ring(self) -> list:
        ring = [self.reader("a"), self.reader("b")]
        if self.has_class("-quotes"):
            ring.append(self.quotes_panel.view)
        return ring

    def _cycle_focus(self, step: int) -> None:
        ring = self._focus_ring()
        focused = self.focused
        at = next((n for n, w in enumerate(ring) if focused is not None and w in focused.ancestors_with_self), -1)
        ring[(at + step) % len(ring)].focus()

    def action_next_pane(self) -> None:
        self._cycle_focus(1)

    def action_previous_pane(self) -> None:
        self._cycle_focus(-1)

    def action_toggle_sync(self) -> None:
        self.sync = not self.sync
        if self.sync:
            self._level()
        self._update_status()

    def action_counterpart(self, step: int) -> None:
        if self._ready() is None:
            return
        if not self.pairs:
            self.notify("No counterpart for this passage", timeout=2, markup=False)
            return
        self.pair_index = (self.pair_index + step) % len(self.pairs)
        self._paint_counterparts()
        self._level()
        self._update_status()

    def action_only_here(self, step: int) -> None:
        comparison = self._ready()
        if comparison is None:
            return
        side = self._focused_side()
        spans = comparison.only_in_a if side == "a" else comparison.only_in_b
        if not spans:
            self.notify(f"Every paragraph of {side.upper()} has a counterpart", timeout=2, markup=False)
            return
        reader = self.reader(side)
        starts = [start for start, _ in spans]
        caret = reader.caret
        if step > 0:
            at = bisect_right(starts, caret)
        else:
            paragraph = reader.paragraph_at(caret)
            at = bisect_left(starts, paragraph[0] if paragraph else caret) - 1
        if not 0 <= at < len(starts):
            at = 0 if step > 0 else len(starts) - 1
            where = "first" if step > 0 else "last"
            self.notify(f"Wrapped to the {where} passage only in {side.upper()}", timeout=2, markup=False)
        self.only_index = at
        reader.move_caret(starts[at])  # a move like the user's: the passage follows it
        reader.scroll_to_offset(starts[at], center=True)
        self._update_status()

    def action_quote(self, step: int) -> None:
        comparison = self._ready()
        if comparison is None:
            return
        side = self._focused_side()
        occurrences = self._occurrences[side]
        if not occurrences:
            self.notify("No shared quotes", timeout=2, markup=False)
            return
        starts = [start for start, _, _ in occurrences]
        caret = self.reader(side).caret
        at = bisect_right(starts, caret) if step > 0 else bisect_left(starts, caret) - 1
        if not 0 <= at < len(starts):
            at = 0 if step > 0 else len(starts) - 1
            self.notify(f"Wrapped to the {'first' if step > 0 else 'last'} shared quote", timeout=2, markup=False)
        start, _, index = occurrences[at]
        self._show_quote(index, side, start)

    def action_toggle_quotes(self) -> None:
        show = not self.has_class("-quotes")
        self.set_class(show, "-quotes")
        panel = self.quotes_panel
        if show:
            panel.highlight(self.quote_index)
            panel.focus_list()
        elif self.focused is None or panel in self.focused.ancestors_with_self:
            self.reader(self.lead).focus()

    def action_close(self) -> None:
        """Escape: close the quotes panel when in it, else leave the screen."""
        panel = self.quotes_panel
        if self.has_class("-quotes") and self.focused is not None and panel in self.focused.ancestors_with_self:
            self.action_toggle_quotes()
            return
        self.app.pop_screen()

    # -- the status line ----------------------------------------------------------------------

    def _update_status(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#compare-status", Static).update(self.status_text())

    def status_text(self) -> Text:
        """Sync, the passage and its score, then the counts of the comparison."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"sync {'on' if self.sync else 'off'}", style="bold" if self.sync else "dim")
        comparison = self.comparison
        if comparison is None:
            if self.failed:
                text.append(f" │ {self.failed}", style="italic")
            elif not all(self.documents.values()):
                text.append(" │ loading…", style="italic")
            else:
                text.append(f" │ aligning… {round(100 * self._progress)}%", style="italic")
            return text
        text.append(" │ ")
        text.append_text(self._passage_text())
        text.append(" │ ")
        text.append(
            f"{len(comparison.alignment)} pairs · {ONLY_MARK} only in A {len(comparison.only_in_a)}, "
            f"B {len(comparison.only_in_b)} · {len(comparison.shared_quotes)} quotes"
        )
        return text

    def _passage_text(self) -> Text:
        side, other = self.lead, OTHER[self.lead]
        if self.passage is None:
            return Text("move the caret to a passage", style="dim")
        here = f"{side.upper()} ¶{self._paragraph_number(side, self.passage[0])}"
        if not self.pairs:
            return Text(f"{here} only in {side.upper()}", style="italic")
        pair = self.pairs[self.pair_index % len(self.pairs)]
        theirs = pair.b if side == "a" else pair.a
        text = Text(f"{here} ↔ {other.upper()} ¶{self._paragraph_number(other, theirs[0])} ")
        text.append(f"{pair.score:.2f}", style="bold")
        if len(self.pairs) > 1:
            text.append(f" ({self.pair_index + 1}/{len(self.pairs)})")
        return text
