"""Side-by-side reading: two documents with corresponding passages aligned and shared quotes marked.

`CompareScreen(corpus, cache, a_rel, b_rel, place=…)` shows document A (at `place`: where it was
being read, when it is given) and document B in two reading panes (`ComparePanes`: side by side,
or one above the other below `NARROW` columns). Both documents load in a thread worker and show
at once; the comparison (`index.compare`, through the `ComparisonCache` it is handed) runs in the
same worker with its progress in the status line, and its marks arrive when it is done (the cache
file is written after). The worker reports everything as messages. Leaving the screen cancels it.

What the panes show (the passage and its counterparts, sync, only-here marks, shared quotes) is
`ComparePanes`'s; this screen holds the layout, the loading, the keys, the shared-quotes panel
(`p`; enter there shows a quote in both panes) and the status line.

The panes are `CompareReader`s: the `Reader` with the comparison's styles, so every reading key
(caret, selection, paging, `f`) works in each.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from folio_reader.index.compare import MIN_QUOTE_WORDS, Comparison, ComparisonCache, ComparisonCancelled
from folio_reader.index.compare.model import SIDES, SideName
from folio_reader.index.corpus import Corpus, Document, UnreadableError
from folio_reader.tui.comparing import Place
from folio_reader.tui.widgets.compare_panes import ComparePanes
from folio_reader.tui.widgets.compare_reader import ONLY_MARK, PaneTitle
from folio_reader.tui.widgets.quote_list import QuoteList
from folio_reader.tui.widgets.reader import Reader

#: Below this width the panes are stacked one above the other.
NARROW = 100
#: Seconds between two progress reports of the comparison.
PROGRESS_EVERY = 0.1


class CompareScreen(Screen[None]):
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
        Binding("escape", "back", "Back", id="compare.back"),
        Binding("q", "app.quit", "Quit", show=False, id="app.quit"),
        Binding("question_mark", "app.help", "Help", id="compare.help"),
    ]

    DEFAULT_CSS = """
    CompareScreen #compare-body { height: 1fr; }
    CompareScreen #compare-panes { width: 1fr; height: 1fr; layout: horizontal; }
    CompareScreen.-stacked #compare-body { layout: vertical; }
    CompareScreen.-stacked #compare-panes { layout: vertical; }
    CompareScreen #pane-a { border-right: vkey $foreground 20%; }
    CompareScreen.-stacked #pane-a { border-right: none; }
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
        def __init__(self, side: SideName, document: Document) -> None:
            super().__init__()
            self.side, self.document = side, document

    class LoadFailed(Message):
        def __init__(self, side: SideName, rel: str, reason: str) -> None:
            super().__init__()
            self.side, self.rel, self.reason = side, rel, reason

    class Progress(Message):
        def __init__(self, fraction: float) -> None:
            super().__init__()
            self.fraction = fraction

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CompareScreen.Progress)

    class Compared(Message):
        def __init__(self, comparison: Comparison, seconds: float) -> None:
            super().__init__()
            self.comparison, self.seconds = comparison, seconds

    def __init__(
        self, corpus: Corpus, cache: ComparisonCache, a_rel: str, b_rel: str, *, place: Place | None = None
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.cache = cache
        #: where each document opens (A where it was being read, when given), else at its top
        self.places: dict[SideName, Place] = {"a": place} if place is not None else {}
        self.rels: dict[SideName, str] = {"a": a_rel, "b": b_rel}
        self.documents: dict[SideName, Document | None] = {"a": None, "b": None}
        self.comparison: Comparison | None = None
        self.failed: str | None = None  #: why there is no comparison, when there will be none
        #: when each stage was reached, in seconds after the screen was made (for measures)
        self.timings: dict[str, float] = {}
        self._started = time.perf_counter()
        self._progress = 0.0

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-body"):
            yield ComparePanes({side: f"Loading {self.rels[side]}…" for side in SIDES}, id="compare-panes")
            yield QuoteList(id="quotes")
        with Horizontal(id="compare-statusbar"):
            yield Static(id="compare-status", markup=False)
            yield ProgressBar(total=100, show_eta=False, id="compare-progress")
        yield Footer()

    @property
    def panes(self) -> ComparePanes:
        return self.query_one(ComparePanes)

    def reader(self, side: SideName) -> Reader:
        return self.panes.reader(side)

    def title_of(self, side: SideName) -> PaneTitle:
        return self.panes.pane(side).title

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
        self._run()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # a class, not :focus-within, so that the pane's title is restyled with it
        for side in SIDES:
            self.panes.pane(side).set_class(event.widget is self.reader(side), "-focused")

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)
        self.panes.level_after_layout()

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "-stacked")

    # -- loading and comparing (a thread worker) ----------------------------------------------

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _run(self) -> None:
        worker = get_current_worker()
        loaded: dict[SideName, Document] = {}
        for side in SIDES:
            rel = self.rels[side]
            try:
                loaded[side] = self.corpus.load(rel)
            except UnreadableError as exc:
                self.post_message(self.LoadFailed(side, rel, str(exc)))
                continue
            if worker.is_cancelled:
                return
            self.post_message(self.DocumentLoaded(side, loaded[side]))
        if len(loaded) < 2:
            return
        last = 0.0

        def progress(fraction: float) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY:
                last = now
                self.post_message(self.Progress(fraction))

        started = time.perf_counter()
        try:
            comparison = self.cache.compare(
                loaded["a"], loaded["b"], progress=progress, should_stop=lambda: worker.is_cancelled, save=False
            )
        except ComparisonCancelled:
            return
        self.post_message(self.Compared(comparison, time.perf_counter() - started))
        self.cache.save_pending()  # after: the marks do not wait on the disk

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
        self.panes.show_document(side, document, at=self.places.get(side))
        self.timings[f"shown_{side}"] = time.perf_counter() - self._started
        if all(self.documents.values()):
            self.add_class("-aligning")
        self._update_status()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.failed = f"cannot read {message.side.upper()}"
        self.panes.pane(message.side).show_problem(message.rel, message.reason)
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
        comparison = self.comparison = message.comparison
        self.timings["aligned"] = time.perf_counter() - self._started
        self.timings["compare_seconds"] = message.seconds
        self.remove_class("-aligning")
        self.panes.show_comparison(comparison)
        quotes = comparison.shared_quotes
        if quotes:
            count = f"{len(quotes)} shared quote{'s' if len(quotes) != 1 else ''}"
            self.quotes_panel.set_quotes(self.panes.quote_rows(), f"{count} · enter shows one in both")
        else:
            self.quotes_panel.show_message(f"No shared quotes ({MIN_QUOTE_WORDS}+ words in a row)")

    @on(ComparePanes.Changed)
    def _panes_changed(self) -> None:
        self.quotes_panel.highlight(self.panes.quote_index)
        self._update_status()

    @on(QuoteList.Chosen)
    def _quote_chosen(self, message: QuoteList.Chosen) -> None:
        comparison = self.comparison
        if comparison is None or not 0 <= message.index < len(comparison.shared_quotes):
            return
        self.panes.show_quote(message.index, "a", comparison.shared_quotes[message.index].a[0][0])

    # -- actions ------------------------------------------------------------------------------

    def _focused_side(self) -> SideName:
        """The pane with the focus (or, from the quotes panel, the pane of the passage)."""
        return self.panes.side_of(self.focused) or self.panes.lead

    def _ready(self) -> bool:
        if self.comparison is None:
            self.notify(self.failed or "Still aligning the two documents…", timeout=2, markup=False)
        return self.comparison is not None

    def _say(self, message: str | None) -> None:
        if message is not None:
            self.notify(message, timeout=2, markup=False)

    def _cycle_focus(self, step: int) -> None:
        ring: list[Widget] = [self.reader("a"), self.reader("b")]
        if self.has_class("-quotes"):
            ring.append(self.quotes_panel.view)
        focused = self.focused
        at = next((n for n, w in enumerate(ring) if focused is not None and w in focused.ancestors_with_self), -1)
        ring[(at + step) % len(ring)].focus()

    def action_next_pane(self) -> None:
        self._cycle_focus(1)

    def action_previous_pane(self) -> None:
        self._cycle_focus(-1)

    def action_toggle_sync(self) -> None:
        self.panes.toggle_sync()

    def action_counterpart(self, step: int) -> None:
        if self._ready() and not self.panes.step_counterpart(step):
            self._say("No counterpart for this passage")

    def action_only_here(self, step: int) -> None:
        if self._ready():
            self._say(self.panes.next_only_here(self._focused_side(), step))

    def action_quote(self, step: int) -> None:
        if self._ready():
            self._say(self.panes.next_quote(self._focused_side(), step))

    def action_toggle_quotes(self) -> None:
        show = not self.has_class("-quotes")
        self.set_class(show, "-quotes")
        panel = self.quotes_panel
        if show:
            panel.highlight(self.panes.quote_index)
            panel.focus_list()
        elif self.focused is None or panel in self.focused.ancestors_with_self:
            self.reader(self.panes.lead).focus()

    def action_back(self) -> None:
        """Escape: close the quotes panel when in it, else go back to the screen before."""
        panel = self.quotes_panel
        if self.has_class("-quotes") and self.focused is not None and panel in self.focused.ancestors_with_self:
            self.action_toggle_quotes()
            return
        self.app.pop_screen()

    # -- the status line ----------------------------------------------------------------------

    def _update_status(self) -> None:
        if self.is_mounted:
            self.query_one("#compare-status", Static).update(self.status_text())

    def status_text(self) -> Text:
        """Sync, the passage and its score, then the counts of the comparison."""
        panes = self.panes
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"sync {'on' if panes.sync else 'off'}", style="bold" if panes.sync else "dim")
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
        text.append_text(panes.passage_status())
        text.append(" │ ")
        text.append(
            f"{len(comparison.alignment)} pairs · {ONLY_MARK} only in A {len(comparison.only_in_a)}, "
            f"B {len(comparison.only_in_b)} · {len(comparison.shared_quotes)} quotes"
        )
        return text
