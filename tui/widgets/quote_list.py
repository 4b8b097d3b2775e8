"""The shared-quotes panel of the compare screen: each quote with where it is in A and in B.

Two documents can share thousands of quotes, so the list is a Line API widget (`QuoteRows`, a
`ScrollView` with `render_line`): two rows a quote (its text cut to the width, then where it is),
only the rows on screen drawn. Enter (or a click) posts `QuoteList.Chosen` with the quote's index
in the list given to `set_quotes`. Quote text comes from the documents: it is drawn as plain
cells, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from folio_reader.index.inert import inert_label

#: Rows a quote takes: its text, then where it is.
ROWS_PER_QUOTE = 2


def _one_line(text: str) -> str:
    """The text on one line, whitespace collapsed, every control character made visible."""
    return inert_label(" ".join(text.split()))


class QuoteRows(ScrollView, can_focus=True, inherit_bindings=False):
    """The rows of the quotes panel, drawn line by line."""

    BINDINGS = [
        Binding("down,j", "move(1)", "Next quote in the list", show=False, id="compare.quotes_down"),
        Binding("up,k", "move(-1)", "Previous quote in the list", show=False, id="compare.quotes_up"),
        Binding("pagedown,space", "page(1)", "Page down the quotes", show=False, id="compare.quotes_page_down"),
        Binding("pageup,b", "page(-1)", "Page up the quotes", show=False, id="compare.quotes_page_up"),
        Binding("home,g", "first", "First quote", show=False, id="compare.quotes_first"),
        Binding("end,G", "last", "Last quote", show=False, id="compare.quotes_last"),
        Binding("enter", "choose", "Show the quote in both", show=False, id="compare.quotes_choose"),
    ]

    COMPONENT_CLASSES = {"quote-rows--cursor", "quote-rows--number", "quote-rows--where"}

    DEFAULT_CSS = """
    QuoteRows {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .quote-rows--cursor { background: $accent 30%; }
        &:focus > .quote-rows--cursor { background: $accent; color: $text; }
        & > .quote-rows--number { text-style: bold; }
        & > .quote-rows--where { color: $text-muted; }
    }
    """

    cursor: var[int | None] = var(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, str]] = []

    @property
    def count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        self.rows = [(_one_line(text), _one_line(where)) for text, where in rows]
        self.virtual_size = Size(self.size.width, ROWS_PER_QUOTE * len(self.rows))
        self.cursor = 0 if self.rows else None
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def watch_cursor(self) -> None:
        self._reveal()
        self.refresh()

    def _reveal(self) -> None:
        if self.cursor is None:
            return
        top = ROWS_PER_QUOTE * self.cursor
        height = max(ROWS_PER_QUOTE, self.scrollable_content_region.height)
        if top < round(self.scroll_y):
            self.scroll_to(y=top, animate=False)
        elif top + ROWS_PER_QUOTE > round(self.scroll_y) + height:
            self.scroll_to(y=top + ROWS_PER_QUOTE - height, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, ROWS_PER_QUOTE * len(self.rows))
        self._reveal()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = round(self.scroll_y) + y
        index, part = divmod(row, ROWS_PER_QUOTE)
        if index >= len(self.rows) or width <= 0:
            return Strip.blank(width, base)
        text, where = self.rows[index]
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("quote-rows--cursor")
        if part == 0:
            number = f"{index + 1}. "
            quote = f"“{text}”"
            room = max(0, width - 1 - cell_len(number))
            if cell_len(quote) > room:
                quote = set_cell_size(quote, max(0, room - 1)) + "…" if room else ""
            segments = [
                Segment(" ", style),
                Segment(number, style + self.get_component_rich_style("quote-rows--number")),
                Segment(quote, style),
            ]
        else:
            line = set_cell_size(f"   {where}", width) if cell_len(f"   {where}") > width else f"   {where}"
            segments = [Segment(line, style + self.get_component_rich_style("quote-rows--where"))]
        return Strip(segments).extend_cell_length(width, style).crop(0, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.rows:
            current = self.cursor if self.cursor is not None else -1
            self.cursor = max(0, min(len(self.rows) - 1, current + step))

    def action_page(self, step: int) -> None:
        per_page = max(1, self.scrollable_content_region.height // ROWS_PER_QUOTE)
        self.action_move(step * per_page)

    def action_first(self) -> None:
        if self.rows:
            self.cursor = 0

    def action_last(self) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1

    def action_choose(self) -> None:
        if self.cursor is not None:
            self.post_message(QuoteList.Chosen(self.parent, self.cursor))  # type: ignore[arg-type]

    def on_click(self, event: events.Click) -> None:
        point = event.get_content_offset(self)
        if point is None:
            return
        index = (round(self.scroll_y) + point.y) // ROWS_PER_QUOTE
        if 0 <= index < len(self.rows):
            self.cursor = index
            self.action_choose()


class QuoteList(Vertical, can_focus=False):
    """A heading over the rows of shared quotes."""

    DEFAULT_CSS = """
    QuoteList { height: 1fr; }
    QuoteList > #quote-heading { height: 1; padding: 0 1; color: $text-muted; }
    """

    class Chosen(Message):
        """The user chose a quote to see in both documents."""

        def __init__(self, quote_list: QuoteList, index: int) -> None:
            super().__init__()
            self.quote_list = quote_list
            self.index = index

        @property
        def control(self) -> QuoteList:
            return self.quote_list

    def compose(self) -> ComposeResult:
        yield Static(Text("Shared quotes"), id="quote-heading", markup=False)
        yield QuoteRows(id="quote-rows")

    @property
    def view(self) -> QuoteRows:
        return self.query_one("#quote-rows", QuoteRows)

    @property
    def count(self) -> int:
        return self.view.count

    def set_quotes(self, rows: Sequence[tuple[str, str]], heading: str) -> None:
        """Show quotes as (quote text, where it is) rows under a heading."""
        self.view.set_rows(rows)
        self.query_one("#quote-heading", Static).update(Text(heading))

    def show_message(self, heading: str) -> None:
        """No quotes to list (yet): only a heading saying why."""
        self.view.set_rows([])
        self.query_one("#quote-heading", Static).update(Text(heading))

    def highlight(self, index: int | None) -> None:
        if index is not None and 0 <= index < self.count:
            self.view.cursor = index

    def focus_list(self) -> None:
        self.view.focus()
