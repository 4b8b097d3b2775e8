"""The search pane: a query box, a line for errors and suggestions, and ranked results.

It displays, and says when to search (`QueryChanged`): at once for a key typed while no search
is running, else the newest query once the running one has answered (`answered`); the sidebar
runs the searches (in a worker) and hands results back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.styles import RulesMap
from textual.geometry import Spacing
from textual.message import Message
from textual.timer import Timer
from textual.visual import visualize
from textual.widgets import Input, Static

from folio_reader.index.corpus import inert_label, inert_lines
from folio_reader.index.listing import ListItem
from folio_reader.tui.widgets.document_list import describe
from folio_reader.tui.widgets.quiet_size import QuietSize
from folio_reader.tui.widgets.result_list import RESULT_KEYS, Entry, ResultRows
from folio_reader.tui.widgets.text_boxes import TextBox
from folio_reader.tui.wording import counted

if TYPE_CHECKING:
    from folio_reader.index.annotations import Annotation
    from folio_reader.index.search import Hit, SearchResult

DEBOUNCE = 0.12
#: Seconds a search may take before the status line says it is searching (a faster one
#: changes nothing on screen until its answer: no bytes for a flicker).
SLOW = 0.3
#: The most rows the status line under the box takes (its CSS max-height).
STATUS_ROWS = 3
#: Results asked for as a query is typed: more than a tall pane shows (a result is 3-6 rows),
#: fewer than the 50 asked before, since each costs its spans, its snippet and a read (and
#: parse) of its document (`tests/bench/bench_hits.py`: 25 hits 0.73x the time of 50 at p50,
#: 10 hits 0.71x); the rest comes in pages of `PAGE` when the highlight reaches the last.
FIRST_PAGE = 20
#: How many more results each page on asks for.
PAGE = 50


def hit_prompt(hit: Hit) -> Text:
    line = Text(inert_label(hit.title), style="bold")
    line.append("\n")
    meta = describe(ListItem(hit.rel, hit.title, hit.outlet, hit.author, hit.date))
    meta.append(f" · {hit.describe_matches()}")
    meta.stylize("dim")
    line.append_text(meta)
    snippet = Text(hit.snippet, style="italic")
    for start, end in hit.snippet_spans:
        snippet.stylize("bold reverse", start, end)
    line.append("\n")
    line.append_text(snippet)
    return line


def annotation_prompt(ann: Annotation, title: str) -> Text:
    line = Text("✎ ", style="bold")
    line.append(inert_label(" ".join((ann.note or "highlight").split())[:200]), style="bold")
    line.append("\n")
    line.append(inert_label(f"“{' '.join(ann.exact.split())[:200]}”"), style="italic")
    line.append("\n")
    meta = Text(inert_label(title))
    if ann.tags:
        meta.append(inert_label(" · " + " ".join(f"#{t}" for t in ann.tags)))
    meta.stylize("dim")
    line.append_text(meta)
    return line


class StatusLine(QuietSize, Static):
    """The line under the box: a `Static` drawn once when its height changes."""


class SearchPane(QuietSize, Vertical):
    BINDINGS = [
        *RESULT_KEYS,
        Binding(
            "ctrl+t",
            "scope",
            "This document",
            show=False,
            tooltip="Search only the open document, or all of them again",
            id="search.scope",
        ),
    ]
    DEFAULT_CSS = """
    SearchPane { height: 1fr; }
    SearchPane > #search-status {
        height: auto; max-height: 3; padding: 0 1; color: $text-muted;
        overlay: screen; position: absolute; offset: 0 3;  /* over the results' top rows, under the box, taking no room from them (issue 17) */
    }
    SearchPane > #search-status.-error { color: $error; }
    """

    class QueryChanged(Message):
        """Search for this query (typed with no search running, or the newest of a burst)."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class HitChosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class MoreWanted(Message):
        """The highlight reached the last of the results shown and there are more: `limit` of them."""

        def __init__(self, query: str, limit: int) -> None:
            super().__init__()
            self.query, self.limit = query, limit

    class AnnotationChosen(Message):
        """An annotation found by the search was chosen."""

        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: SearchResult | None = None
        self.annotations: list[tuple[Annotation, str]] = []  #: annotations found, with their document's title
        self.searching = False  #: a search it asked for has not answered yet (see `answered`)
        self._waiting: str | None = None  #: the newest query typed while one was searching
        self._slow: Timer | None = None  #: says "searching…" when an answer is slow to come
        self._debounce: Timer | None = None  #: sends `_waiting` should no answer come
        self._status: tuple[str, bool] = ("", False)  #: what the status line says, and if it is an error
        self.within: str | None = None  #: the one document searched (its path), or None: all of them
        self._open: tuple[str, str] | None = None  #: the open document: its path and title

    def compose(self) -> ComposeResult:
        yield TextBox(placeholder='words, "a phrase", OR, NOT, title:, pre* (f1: more)', id="search-input")
        yield ResultRows(id="search-results")
        yield StatusLine(id="search-status", markup=False)  # (after: drawn over the results' inset)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> ResultRows:
        return self.query_one("#search-results", ResultRows)

    def set_status(self, text: str, *, error: bool = False) -> None:
        """What the line under the box says; the same again repaints nothing, and a text of as
        many rows as the last one repaints only the line, not the pane (issue 17)."""
        text = inert_lines(text)  # errors quote the query
        if (text, error) == self._status:
            return
        status = self.query_one("#search-status", Static)
        width, new = status.content_region.width, visualize(status, Text(text))
        same_height = width > 0 and new.get_height(cast(RulesMap, status.styles), width) == status.visual.get_height(
            cast(RulesMap, status.styles), width
        )
        self._status = (text, error)
        status.update(new, layout=not same_height)
        status.set_class(error, "-error")
        self._fit_inset()

    def _fit_inset(self) -> None:
        """The results leave blank the rows the status line lies over."""
        status = self.query_one("#search-status", Static)
        width = status.content_region.width
        if width > 0:
            rows = status.visual.get_height(cast(RulesMap, status.styles), width) if self._status[0] else 0
            rows = min(STATUS_ROWS, rows)
            focused = self.has_class("-on-results")  # (its focus border goes under the status line)
            margin = Spacing(rows if focused else 0, 0, 0, 0)
            if self.results.styles.margin != margin:  # (setting it, even the same, repaints the list)
                self.results.styles.margin = margin
            self.results.set_inset(0 if focused else rows)

    def on_descendant_focus(self) -> None:
        self._focus_changed()

    def on_descendant_blur(self) -> None:
        self._focus_changed()

    def _focus_changed(self) -> None:
        """With the results focused, the list starts below the status line (its focus border
        drawn under it, as before); typing in the box, the status line lies over its top rows."""
        on_results = self.results.has_focus
        if on_results != self.has_class("-on-results"):
            self.set_class(on_results, "-on-results")
            self._fit_inset()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_inset)  # (the status line wraps at the new width)

    def clear_results(self) -> None:
        self.result = None
        self.annotations = []
        self.results.clear()
        self.set_status("")

    def show(self, result: SearchResult, annotations: list[tuple[Annotation, str]] | None = None) -> None:
        """Annotations that match first (their notes, quotes, tags), then documents. The same
        query again (results refreshed once indexing ends, or more of them) keeps the highlight
        on the result it was on. The answer to a query typed over while it was searched (the
        first key of a burst, into an empty box or not) is not shown: a burst sends one repaint
        of the results, the newest query's, which `answered` asks for next (issue 17)."""
        if self._waiting is not None and self._waiting != result.query:
            return  # typed over while it searched (a burst): the newest query's answer is drawn, once
        kept = self._highlighted_key() if self.result is not None and self.result.query == result.query else None
        self.result = result
        self.annotations = annotations or []
        entries = [Entry(f"annotation-{n}", annotation_prompt(a, t)) for n, (a, t) in enumerate(self.annotations)]
        if entries and result.hits:
            entries[-1] = Entry(entries[-1].id, entries[-1].prompt, rule=True)
        entries += [Entry(f"doc-{n}", hit_prompt(h)) for n, h in enumerate(result.hits)]
        keys = [self._key(e.id) for e in entries]
        # (only the rows that show something else are drawn again: issue 17)
        self.results.set_entries(entries, keys.index(kept) if kept in keys else 0)
        if result.error:
            self.set_status(result.error, error=True)
            return
        if not result.hits and not self.annotations:
            text = "No matches."
            if result.suggestion:
                text += f" Did you mean: {result.suggestion}  (ctrl+g takes it)"
        else:
            if result.total > len(result.hits):
                text = f"{len(result.hits):,} of {counted(result.total, 'document')} (↓ past the last for more)"
            else:
                text = counted(len(result.hits), "document")
            text += f" · {result.seconds * 1000:.0f} ms"
            if self.annotations:
                text = counted(len(self.annotations), "annotation") + " · " + text
        if result.note:
            text += f" · {result.note}"
        scope = self._scope_text()
        self.set_status(f"{text} · {scope}" if scope else text)

    def _key(self, option_id: str | None) -> str | None:
        """What an option shows, kept across a refresh: a document's path or an annotation's id."""
        kind, _, number = (option_id or "").partition("-")
        if kind == "annotation" and number.isdigit() and int(number) < len(self.annotations):
            return self.annotations[int(number)][0].id
        if kind == "doc" and self.result is not None and number.isdigit() and int(number) < len(self.result.hits):
            return self.result.hits[int(number)].rel
        return None

    def _highlighted_key(self) -> str | None:
        option = self.results.highlighted_option
        return self._key(option.id) if option is not None else None

    @on(ResultRows.Highlighted, "#search-results")
    def _highlighted(self, event: ResultRows.Highlighted) -> None:
        """On the last document shown, when there are more: ask for them (paging on)."""
        event.stop()
        result = self.result
        if result is None or not result.hits or result.total <= len(result.hits):
            return
        if event.row.id == f"doc-{len(result.hits) - 1}":
            self.post_message(self.MoreWanted(result.query, len(result.hits) + PAGE))

    def action_move(self, step: int) -> None:
        results = self.results
        if not results.option_count:
            return
        at = results.highlighted if results.highlighted is not None else -step
        results.highlighted = max(0, min(results.option_count - 1, at + step))

    def use_suggestion(self) -> bool:
        if self.result is None or not self.result.suggestion:
            return False
        self.input.value = self.result.suggestion
        self.input.cursor_position = len(self.input.value)
        return True

    def document_opened(self, rel: str, title: str) -> None:
        """The reader opened a document: a search kept to one document follows it."""
        self._open = (rel, title)
        if self.within is not None and self.within != rel:
            self.within = rel
            self._resend()

    def action_scope(self) -> None:
        """Search only the open document (less's `/`), or all documents again."""
        if self.within is None and self._open is None:
            self.set_status("open a document first: the search is of every document")
            return
        self.within = None if self.within is not None else self._open[0] if self._open else None
        self._resend()

    def _resend(self) -> None:
        if self.input.value.strip():
            self._send(self.input.value)
        else:
            self.set_status(self._scope_text())

    def _scope_text(self) -> str:
        """What the status line says of the scope: nothing when every document is searched."""
        if self.within is None or self._open is None:
            return ""
        return f"in {self._open[1] or self.within} only (ctrl+t: every document)"

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        """A key typed with no search running searches at once; keys typed while one runs (a
        burst) wait for its answer, and only the newest is searched then (or after `DEBOUNCE`,
        should no answer come)."""
        event.stop()
        if not self.searching:
            self._send(event.value)
            return
        self._waiting = event.value
        if self._debounce is None:
            self._debounce = self.set_timer(DEBOUNCE, self._send_waiting)

    def answered(self) -> None:
        """The search asked for answered (or will not): the query typed meanwhile goes now."""
        self.searching = False
        if self._slow is not None:
            self._slow.stop()
            self._slow = None
        self._send_waiting()

    def _send_waiting(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        query, self._waiting = self._waiting, None
        if query is not None:
            self._send(query)

    def _send(self, query: str) -> None:
        self.searching = True  # (until `answered`: the sidebar says so)
        if self._slow is None:
            self._slow = self.set_timer(SLOW, self._say_searching)
        self.post_message(self.QueryChanged(query))

    def _say_searching(self) -> None:
        """A search slower than `SLOW`: the status says so, not what the last answer said (an
        error about the first letter typed stayed for the seconds the whole query took)."""
        self._slow = None
        if self.searching and self.input.value.strip():
            self.set_status("searching…")

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.result and (self.result.hits or self.annotations) and self.result.query == event.value:
            row = self.results.highlighted_option
            if row is not None:
                self._choose(row.id)
        elif event.value.strip():
            self._send(event.value)

    @on(ResultRows.Selected, "#search-results")
    def _chosen(self, event: ResultRows.Selected) -> None:
        event.stop()
        self._choose(event.row.id)

    def _choose(self, option_id: str) -> None:
        kind, _, number = option_id.partition("-")
        if kind == "annotation":
            self.post_message(self.AnnotationChosen(self.annotations[int(number)][0]))
        else:
            self.post_message(self.HitChosen(int(number)))
