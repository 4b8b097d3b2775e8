"""The search pane: a query box, a line for errors and suggestions, and ranked results.

It displays, and says when to search (`QueryChanged`): at once for a key typed while no search
is running, else the newest query once the running one has answered (`answered`); the sidebar
runs the searches (in a worker) and hands results back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from folio_reader.index.corpus import inert_label, inert_lines
from folio_reader.index.listing import ListItem
from folio_reader.tui.widgets.document_list import describe
from folio_reader.tui.wording import counted

if TYPE_CHECKING:
    from folio_reader.index.annotations import Annotation
    from folio_reader.index.search import Hit, SearchResult

DEBOUNCE = 0.12
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


class SearchPane(Vertical):
    # from the box: down/up move through the results (letters are typed; ctrl+p stays the palette)
    BINDINGS = [
        Binding(
            "down,ctrl+n",
            "move(1)",
            "Next result",
            show=False,
            tooltip="Next result (from the box too)",
            id="search.next",
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous result",
            show=False,
            tooltip="Previous result (from the box too)",
            id="search.previous",
        ),
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
    SearchPane > #search-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    SearchPane > #search-status.-error { color: $error; }
    SearchPane > OptionList { height: 1fr; border: none; }
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
        self._debounce: Timer | None = None  #: sends `_waiting` should no answer come
        self._shown: list[tuple[str | None, object] | None] = []  #: the results drawn, to skip a redraw of the same
        self.within: str | None = None  #: the one document searched (its path), or None: all of them
        self._open: tuple[str, str] | None = None  #: the open document: its path and title

    def compose(self) -> ComposeResult:
        yield Input(placeholder='words, "a phrase", OR, NOT, title:, pre* (f1: more)', id="search-input")
        yield Static(id="search-status", markup=False)
        yield OptionList(id="search-results")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    def set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text(inert_lines(text)))  # errors quote the query
        status.set_class(error, "-error")

    def clear_results(self) -> None:
        self.result = None
        self.annotations = []
        self.results.clear_options()
        self._shown = []
        self.set_status("")

    def show(self, result: SearchResult, annotations: list[tuple[Annotation, str]] | None = None) -> None:
        """Annotations that match first (their notes, quotes, tags), then documents. The same
        query again (results refreshed once indexing ends, or more of them) keeps the highlight
        on the result it was on."""
        kept = self._highlighted_key() if self.result is not None and self.result.query == result.query else None
        self.result = result
        self.annotations = annotations or []
        options: list[Option | None] = [
            Option(annotation_prompt(a, t), id=f"annotation-{n}") for n, (a, t) in enumerate(self.annotations)
        ]
        if self.annotations and result.hits:
            options.append(None)
        options += [Option(hit_prompt(h), id=f"doc-{n}") for n, h in enumerate(result.hits)]
        shown: list[tuple[str | None, object] | None] = [(o.id, o.prompt) if o is not None else None for o in options]
        if shown != self._shown:  # (results that did not change are not drawn again: issue 17)
            self.results.set_options(options)
            self._shown = shown
        if options:
            keys = [self._key(o.id) for o in options if o is not None]
            self.results.highlighted = keys.index(kept) if kept in keys else 0
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

    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """On the last document shown, when there are more: ask for them (paging on)."""
        event.stop()
        result = self.result
        if result is None or not result.hits or result.total <= len(result.hits):
            return
        if event.option.id == f"doc-{len(result.hits) - 1}":
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
        self.post_message(self.QueryChanged(query))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.result and (self.result.hits or self.annotations) and self.result.query == event.value:
            option = self.results.highlighted_option
            if option is not None and option.id is not None:
                self._choose(option.id)
        elif event.value.strip():
            self._send(event.value)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._choose(event.option.id)

    def _choose(self, option_id: str) -> None:
        kind, _, number = option_id.partition("-")
        if kind == "annotation":
            self.post_message(self.AnnotationChosen(self.annotations[int(number)][0]))
        else:
            self.post_message(self.HitChosen(int(number)))
