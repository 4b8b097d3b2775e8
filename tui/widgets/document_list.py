"""The document list: title, outlet, date and length; sortable and filterable by typing.

Unreadable files are listed after the documents with their reason, never hidden.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from folio_reader.index.corpus import inert_label
from folio_reader.index.listing import SORTS, ListItem, sort_items
from folio_reader.tui.wording import counted


def describe(item: ListItem) -> Text:
    parts = [item.outlet, item.date.isoformat() if item.date else "no date"]
    if item.words is not None:
        parts.append(counted(item.words, "word"))
    return Text(inert_label(" · ".join(p for p in parts if p)))


class DocumentList(Vertical, can_focus=False):
    """A filter box over an option list of documents."""

    DEFAULT_CSS = """
    DocumentList { height: 1fr; }
    DocumentList > #doc-filter { display: none; }
    DocumentList.-filtering > #doc-filter { display: block; }
    DocumentList > #doc-heading { height: 1; padding: 0 1; color: $text-muted; }
    DocumentList > OptionList { height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS = [
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by path, date, title or outlet", id="list.sort"),
        Binding("f", "filter", "Filter", tooltip="Filter by words in title, outlet, author or path", id="list.filter"),
        # from the filter box too (letters there are typed, so j/k only move on the list itself)
        Binding("down,j,ctrl+n", "move(1)", "Next document", show=False, id="list.next"),
        Binding("up,k", "move(-1)", "Previous document", show=False, id="list.previous"),
        Binding("g,home", "first", "First document", show=False, id="list.first"),
        Binding("G,end", "last", "Last document", show=False, id="list.last"),
    ]

    class Opened(Message):
        """The user chose a document to read."""

        def __init__(self, rel: str) -> None:
            super().__init__()
            self.rel = rel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[ListItem] = []
        self.sort_key = "path"
        self.open_rel: str | None = None
        self._shown: list[ListItem] = []

    def compose(self) -> ComposeResult:
        yield Static(id="doc-heading", markup=False)
        yield Input(placeholder="filter: words in title, outlet, author", id="doc-filter")
        yield OptionList(id="doc-options")

    @property
    def options(self) -> OptionList:
        return self.query_one("#doc-options", OptionList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#doc-filter", Input)

    def set_items(self, items: list[ListItem]) -> None:
        self.items = items
        self.refresh_items()

    def mark_open(self, rel: str | None) -> None:
        """`rel` is the open document: marked ▶, and the highlight moves to it."""
        self.open_rel = rel
        self.refresh_items(highlight=rel)

    def refresh_items(self, *, highlight: str | None = None) -> None:
        words = self.filter_input.value.casefold().split()
        shown = [i for i in sort_items(self.items, self.sort_key) if i.matches(words)]
        options = self.options
        highlighted = highlight or (options.highlighted_option.id if options.highlighted_option else self.open_rel)
        self._shown = shown
        options.set_options(Option(self._prompt(i), id=i.rel) for i in shown)
        index = next((n for n, i in enumerate(shown) if i.rel == highlighted), 0 if shown else None)
        options.highlighted = index
        docs = sum(1 for i in self.items if i.problem is None)
        heading = counted(docs, "document")
        if len(self.items) > docs:
            heading += f", {len(self.items) - docs:,} unreadable"
        if words:
            heading += f" · {sum(1 for i in shown if i.problem is None):,} shown"
        heading += f" · by {self.sort_key}"
        self.query_one("#doc-heading", Static).update(Text(heading))

    def _prompt(self, item: ListItem) -> Text:
        """Two lines: the title, then outlet, date and length; each cut with an ellipsis where
        the list is drawn (its CSS: no wrapping), whatever width it had when the rows were made.

        Plain `Text`, not a Rich table: the option list measures every prompt, and 5,000
        tables took seconds where 5,000 texts take milliseconds."""
        if item.problem is not None:
            line = Text("⚠ ", style="bold red")
            line.append(inert_label(item.rel))
            line.append("\n  ")
            line.append(inert_label(item.problem), style="italic")
            return line
        is_open = item.rel == self.open_rel
        line = Text("▶ " if is_open else "  ", style="bold")
        line.append(inert_label(item.title), style="bold" if is_open else "")
        meta = Text("  ")
        meta.append_text(describe(item))
        meta.stylize("dim")
        return Text("\n").join([line, meta])

    def focus_list(self) -> None:
        self.options.focus()

    def action_cycle_sort(self) -> None:
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]
        self.refresh_items()
        self.notify(f"Sorted by {self.sort_key}", timeout=2, markup=False)

    def action_filter(self) -> None:
        self.add_class("-filtering")
        self.filter_input.focus()

    @on(Input.Changed, "#doc-filter")
    def _filter_changed(self) -> None:
        self.refresh_items()

    @on(Input.Submitted, "#doc-filter")
    def _filter_done(self) -> None:
        """Enter in the filter opens the highlighted match (the first, or the only one); with
        none, the box keeps the focus (the list may be filled in a moment, as the index opens)."""
        index = self.options.highlighted
        if index is not None and index < len(self._shown):
            self._open(self._shown[index])

    def action_move(self, step: int) -> None:
        options = self.options
        if options.option_count:
            at = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(options.option_count - 1, at + step))

    def action_first(self) -> None:
        if self.options.option_count:
            self.options.highlighted = 0

    def action_last(self) -> None:
        if self.options.option_count:
            self.options.highlighted = self.options.option_count - 1

    def clear_filter(self) -> bool:
        """Close the filter box; True when there was one to close."""
        if not self.has_class("-filtering"):
            return False
        self.filter_input.value = ""
        self.remove_class("-filtering")
        self.refresh_items()
        self.options.focus()
        return True

    @on(OptionList.OptionSelected, "#doc-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(self._shown[event.option_index])

    def _open(self, item: ListItem) -> None:
        if item.problem is not None:
            self.notify(inert_label(f"{item.rel}: {item.problem}"), severity="warning", markup=False)
            return
        self.post_message(self.Opened(item.rel))
