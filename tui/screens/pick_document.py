"""Choose the second document of a comparison: the other readable documents, most similar first.

The screen is handed what it needs: the corpus, the documents as listed (when the list has not
been read yet, it scans the corpus itself) and a way to rank documents by similarity (`Similar`:
the search index's "more like this", `FolioIndex.more_like`, whose query is the key terms of the
first document), or None while the index is not open. Documents it does not rank come after in
corpus order. Typing filters (words in title, outlet, author or path); up/down move; enter
chooses; escape cancels (a `FilterListScreen`). Dismissed with the chosen path, or None.

File names and titles are data: every one is drawn through `Text` and `inert_label` (a name can
hold ESC), never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from folio_reader.index.corpus import Corpus, UnreadableError
from folio_reader.index.inert import inert_label
from folio_reader.index.listing import ListItem as Item
from folio_reader.tui.comparing import Similar
from folio_reader.tui.screens.filter_list import FilterListScreen
from folio_reader.tui.widgets.document_list import describe

#: Most documents listed at once (type to narrow a bigger corpus).
MAX_SHOWN = 200
#: How many documents the index is asked to rank.
RANKED = 50


@dataclass(frozen=True, slots=True)
class Candidate:
    item: Item
    rank: int | None = None  #: place in the similarity ranking, None when not ranked


class PickDocumentScreen(FilterListScreen[str]):
    """A dialog listing the documents to compare `a_rel` with."""

    DEFAULT_CSS = """
    PickDocumentScreen > #pick-dialog { width: 90; }
    #pick-heading { height: auto; max-height: 3; }
    #pick-filter { margin: 0; }
    #pick-status { height: 1; color: $text-muted; }
    """
    PREFIX = "pick"
    PLACEHOLDER = "type to filter: words in title, outlet, author"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="compare.pick_cancel"),
        Binding("down", "move(1)", "Next document", show=False, id="compare.pick_down"),
        Binding("up", "move(-1)", "Previous document", show=False, id="compare.pick_up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="compare.pick_page_down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="compare.pick_page_up"),
    ]

    class Candidates(Message):
        """The documents to offer, and how they were ordered."""

        def __init__(self, candidates: list[Candidate], status: str, title: str | None) -> None:
            super().__init__()
            self.candidates, self.status, self.title = candidates, status, title

    def __init__(
        self, corpus: Corpus, a_rel: str, documents: Sequence[Item] = (), similar: Similar | None = None
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.a_rel = a_rel
        self.documents = list(documents)
        self.similar = similar
        self.candidates: list[Candidate] = []
        self._ranked = False
        self._status = "finding similar documents…"

    def heading(self) -> Text:
        return Text(f"Compare {inert_label(self.a_rel)} with…")

    def compose_below(self) -> Iterable[Widget]:
        yield Static(Text("finding similar documents…"), id="pick-status", markup=False)

    def on_mount(self) -> None:
        items = self.documents
        a_title = next((i.title for i in items if i.rel == self.a_rel), None)
        if a_title:
            self._set_heading(a_title)
        others = [i for i in items if i.problem is None and i.rel != self.a_rel]
        if others:  # at once, in corpus order, until the ranking arrives
            self.candidates = [Candidate(i) for i in sorted(others, key=_corpus_order)]
            self.refill()
        self.filter_input.focus()
        self._gather(items)

    def _set_heading(self, title: str) -> None:
        heading = Text.assemble("Compare “", (inert_label(title), "bold"), "” with…")
        self.query_one("#pick-heading", Static).update(heading)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _gather(self, items: list[Item]) -> None:
        """Rank the other documents by similarity to the first (off the UI thread)."""
        worker = get_current_worker()
        corpus = self.corpus
        if not [i for i in items if i.problem is None]:  # the list is not loaded yet: scan
            scan = corpus.scan()
            items = [Item(e.rel, e.rel) for e in scan.entries]
        others = sorted((i for i in items if i.problem is None and i.rel != self.a_rel), key=_corpus_order)
        title = None
        if self.similar is None:
            status = "in corpus order (the search index is not open yet)"
            ranking: list[tuple[str, float]] = []
        else:
            try:
                document = corpus.load(self.a_rel)
                title = document.meta.title
                ranking = self.similar(document, RANKED)
                status = "most similar first (≈: ranked by shared key terms)"
                if not ranking:
                    status = "in corpus order (nothing similar found)"
            except UnreadableError as exc:
                ranking, status = [], f"in corpus order ({self.a_rel}: {exc})"
            except Exception as exc:  # the index may be damaged or busy: the list still works
                ranking, status = [], f"in corpus order (the index could not rank: {type(exc).__name__})"
        if worker.is_cancelled:
            return
        by_rel = {i.rel: i for i in others}
        ranked = [Candidate(by_rel[rel], n) for n, (rel, _) in enumerate(ranking) if rel in by_rel]
        seen = {c.item.rel for c in ranked}
        rest = [Candidate(i) for i in others if i.rel not in seen]
        self.post_message(self.Candidates(ranked + rest, status, title))

    @on(Candidates)
    def _candidates(self, message: Candidates) -> None:
        self.candidates = message.candidates
        self._ranked = True
        if message.title:
            self._set_heading(message.title)
        self._status = message.status
        self.options.highlighted = None  # the best match first, not what was highlighted
        self.refill(keep=False)

    def refill(self, *, keep: bool = True) -> None:
        words = self.filter_input.value.casefold().split()
        matching = [c for c in self.candidates if c.item.matches(words)]
        shown = matching[:MAX_SHOWN]
        options = self.options
        was = options.highlighted_option.id if keep and options.highlighted_option is not None else None
        options.set_options(Option(self._prompt(c), id=c.item.rel) for c in shown)
        at = next((n for n, c in enumerate(shown) if c.item.rel == was), 0) if shown else None
        options.highlighted = at
        status = self._status
        if not self.candidates and self._ranked:
            status = "no other readable document to compare with"
        elif self.candidates and not matching:
            status = "no document matches the filter"
        elif len(matching) > len(shown):
            status += f" · {len(shown)} of {len(matching)} shown: type to narrow"
        self.query_one("#pick-status", Static).update(Text(inert_label(status)))  # may name a file

    def _prompt(self, candidate: Candidate) -> Table:
        item = candidate.item
        grid = Table.grid(padding=0, expand=True)
        grid.add_column(width=3, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(
            Text("≈ " if candidate.rank is not None else "  ", style="dim"), Text(inert_label(item.title), style="bold")
        )
        meta = describe(item)
        if item.title != item.rel:
            meta.append(f" · {inert_label(item.rel)}")
        meta.stylize("dim")
        grid.add_row("", meta)
        return grid

    def chosen(self, index: int) -> str | None:
        return self.options.get_option_at_index(index).id


def _corpus_order(item: Item) -> tuple[str, str]:
    return (item.rel.casefold(), item.rel)
