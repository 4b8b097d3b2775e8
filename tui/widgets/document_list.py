"""The document list: title, outlet, date and length; sortable and filterable by typing.

Unreadable files are listed after the documents with their reason, never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widgets import Input, Static

from folio_reader.index.corpus import inert_label
from folio_reader.index.listing import SORTS, ListItem, document_count, position, sort_items
from folio_reader.tui.widgets.text_boxes import TextBox
from folio_reader.tui.wording import counted


def describe(item: ListItem) -> Text:
    """Outlet · date · length, each left out when unknown (a tree of documentation has no dates:
    "no date" on every row was noise)."""
    parts = [item.outlet, item.date.isoformat() if item.date else None]
    if item.words is not None:
        parts.append(counted(item.words, "word"))
    return Text(inert_label(" · ".join(p for p in parts if p)))


@dataclass(frozen=True)
class Row:
    """What a caller reads of a row (the names of Textual's `Option`): the document's path."""

    id: str
    index: int


class DocumentRows(ScrollView, can_focus=True):
    """The rows of the document list, virtualised: each document is two rows (its title, then
    outlet · date · words), and only the rows drawn are ever made into text, cut to the width
    with an ellipsis, never wrapped or measured. 100,000 documents cost what 20 cost.

    Moving the highlight repaints the two rows of the old and the two of the new document."""

    DEFAULT_CSS = """
    DocumentRows {
        height: 1fr;
        color: $foreground;
        overflow-x: hidden;
        padding: 0 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .document-rows--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        border: none;
        &:focus {
            border: tall $border;  /* the focus mark the option list this replaced showed */
            background-tint: $foreground 5%;
            & > .document-rows--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"document-rows--row", "document-rows--highlighted"}

    # the keys of DocumentList's (the same ids, keys and actions), here because the list is
    # focused and Textual's scrolling bindings would take them first; page up/down are the
    # inherited bindings (their actions below), enter is `key_enter`
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j,ctrl+n", "move(1)", "Next document", show=False, id="list.next"),
        Binding("up,k", "move(-1)", "Previous document", show=False, id="list.previous"),
        Binding("g,home", "first", "First document", show=False, id="list.first"),
        Binding("G,end", "last", "Last document", show=False, id="list.last"),
    ]

    class Selected(Message):
        """Enter or a click on a document."""

        def __init__(self, rows: DocumentRows, index: int) -> None:
            super().__init__()
            self.rows = rows
            self.index = index

        @property
        def control(self) -> DocumentRows:
            return self.rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: Sequence[ListItem] = []
        self._highlighted: int | None = None
        self.open_rel: str | None = None
        self._strips: dict[tuple[object, ...], Strip] = {}

    # what callers read (the names of OptionList's, which this replaced)

    @property
    def option_count(self) -> int:
        return len(self._items)

    def get_option_at_index(self, index: int) -> Row:
        return Row(self._items[index].rel, index)

    @property
    def highlighted_option(self) -> Row | None:
        index = self._highlighted
        return None if index is None else self.get_option_at_index(index)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(len(self._items) - 1, index)) if self._items else None
        old, self._highlighted = self._highlighted, index
        if old == index:
            return
        for at in (old, index):
            if at is not None:
                self.refresh_lines(2 * at, 2)
        self.scroll_to_highlight()

    def set_rows(self, items: Sequence[ListItem], *, open_rel: str | None, highlighted: int | None) -> None:
        self._items = items
        self.open_rel = open_rel
        self._highlighted = None
        self._strips.clear()
        self.virtual_size = Size(0, 2 * len(items))
        self.highlighted = highlighted
        self.refresh()

    def scroll_to_highlight(self) -> None:
        index = self._highlighted
        height = self.scrollable_content_region.height
        if index is None or not height:
            return
        top, y = self.scroll_offset.y, 2 * index
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif y + 2 > top + height:
            self.scroll_to(y=y + 2 - height, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.call_after_refresh(self.scroll_to_highlight)

    # drawing

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        index, part = divmod(line, 2)
        if not 0 <= index < len(self._items):
            return Strip.blank(width, self.get_visual_style("document-rows--row").rich_style)
        if index == self._highlighted:
            style = self.get_visual_style("document-rows--row", "document-rows--highlighted")
        else:
            style = self.get_visual_style("document-rows--row")
        item = self._items[index]
        is_open = item.rel == self.open_rel
        key = (index, part, is_open, width, style)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4096:
                self._strips.clear()
            content = visualize(self, self._row_text(item, part, is_open))
            strips = Visual.to_strips(self, content, width, None, style)
            strip = (strips[0] if strips else Strip.blank(0)).crop(0, width).extend_cell_length(width, style.rich_style)
            self._strips[key] = strip
        return strip

    @staticmethod
    def _row_text(item: ListItem, part: int, is_open: bool) -> Text:
        """Row `part` (0: the title, 1: outlet, date and length) of `item`, one line each.

        Plain `Text`, made only for the rows drawn."""
        if item.problem is not None:
            if part == 0:
                line = Text("⚠ ", style="bold red")
                line.append(inert_label(item.rel))
                return line
            line = Text("  ", style="bold red")
            line.append(inert_label(item.problem), style="italic")
            return line
        if part == 0:
            line = Text("▶ " if is_open else "  ", style="bold")
            line.append(inert_label(item.title), style="bold" if is_open else "")
            return line
        meta = Text("  ")
        meta.append_text(describe(item))
        meta.stylize("dim")
        return meta

    # keys and the mouse

    def action_move(self, step: int) -> None:
        if self._items:
            at = self._highlighted if self._highlighted is not None else -step
            self.highlighted = at + step

    def action_first(self) -> None:
        if self._items:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._items:
            self.highlighted = len(self._items) - 1

    def action_page_down(self) -> None:
        self.action_move(max(1, self.scrollable_content_region.height // 2))

    def action_page_up(self) -> None:
        self.action_move(-max(1, self.scrollable_content_region.height // 2))

    def key_enter(self) -> None:
        self.action_select()

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self, self._highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + self.scroll_offset.y) // 2
        if 0 <= index < len(self._items):
            event.stop()
            self.highlighted = index
            self.action_select()


class DocumentList(Vertical, can_focus=False):
    """A filter box over the (virtualised) rows of documents."""

    DEFAULT_CSS = """
    DocumentList { height: 1fr; }
    DocumentList > #doc-filter { display: none; }
    DocumentList.-filtering > #doc-filter { display: block; }
    DocumentList > #doc-heading { height: 1; padding: 0 1; color: $text-muted; }
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
        self.items: Sequence[ListItem] = []
        self.sort_key = "path"
        self.open_rel: str | None = None
        self._shown: Sequence[ListItem] = []

    def compose(self) -> ComposeResult:
        yield Static(id="doc-heading", markup=False)
        yield TextBox(placeholder="filter: words in title, outlet, author", id="doc-filter")
        yield DocumentRows(id="doc-options")

    @property
    def options(self) -> DocumentRows:
        return self.query_one("#doc-options", DocumentRows)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#doc-filter", Input)

    def set_items(self, items: Sequence[ListItem]) -> None:
        self.items = items
        self.refresh_items()

    def mark_open(self, rel: str | None) -> None:
        """`rel` is the open document: marked ▶, and the highlight moves to it."""
        self.open_rel = rel
        self.refresh_items(highlight=rel)

    def refresh_items(self, *, highlight: str | None = None) -> None:
        """Sort and filter the items (no per-item text: rows are drawn as they are shown; the
        rows of a listing, in path order, are not even made: nothing here goes through every
        item then, unless a filter or another order is asked for)."""
        words = self.filter_input.value.casefold().split()
        ordered = sort_items(self.items, self.sort_key)
        shown = [i for i in ordered if i.matches(words)] if words else ordered
        options = self.options
        current = options.highlighted_option
        highlighted = highlight or (current.id if current else self.open_rel)
        self._shown = shown
        index = position(shown, highlighted)
        if index is None and shown:
            index = 0
        options.set_rows(shown, open_rel=self.open_rel, highlighted=index)
        docs = document_count(self.items)
        heading = counted(docs, "document")
        if len(self.items) > docs:
            heading += f", {len(self.items) - docs:,} unreadable"
        if words:
            heading += f" · {sum(1 for i in shown if i.problem is None):,} shown"
        heading += f" · by {self.sort_key}"
        self.query_one("#doc-heading", Static).update(Text(heading))

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
        self.options.action_move(step)

    def action_first(self) -> None:
        self.options.action_first()

    def action_last(self) -> None:
        self.options.action_last()

    def clear_filter(self) -> bool:
        """Close the filter box; True when there was one to close."""
        if not self.has_class("-filtering"):
            return False
        self.filter_input.value = ""
        self.remove_class("-filtering")
        self.refresh_items()
        self.options.focus()
        return True

    @on(DocumentRows.Selected, "#doc-options")
    def _chosen(self, event: DocumentRows.Selected) -> None:
        event.stop()
        self._open(self._shown[event.index])

    def _open(self, item: ListItem) -> None:
        if item.problem is not None:
            self.notify(inert_label(f"{item.rel}: {item.problem}"), severity="warning", markup=False)
            return
        self.post_message(self.Opened(item.rel))
