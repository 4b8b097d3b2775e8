"""`t`: the document's outline, its headings indented by level; typing filters, enter jumps.

Dismissed with the canonical offset of the chosen heading, or None. Opened on the section being
read (the caret's). Headings are document text: drawn through `Text` and `inert_label`, never as
markup. The dialog is a `FilterListScreen`.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets.option_list import Option

from folio_reader.index.inert import inert_label
from folio_reader.tui.layout.outline import Heading, section_at
from folio_reader.tui.screens.filter_list import FilterListScreen


class OutlineScreen(FilterListScreen[int]):
    """The headings of the open document; the section being read is highlighted first."""

    PREFIX = "outline"
    PLACEHOLDER = "filter headings"
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="outline.close"),
        Binding("down", "move(1)", "Next heading", show=False, id="outline.down"),
        Binding("up", "move(-1)", "Previous heading", show=False, id="outline.up"),
    ]

    def __init__(self, headings: list[Heading], offset: int) -> None:
        super().__init__()
        self.headings = headings
        self.here = section_at(headings, offset)
        self.shown: list[Heading] = []

    def heading(self) -> Text:
        return Text(f"Outline: {len(self.headings)} headings (type to filter, enter jumps)")

    def on_mount(self) -> None:
        self.refill()
        self.filter_input.focus()

    def refill(self) -> None:
        words = self.filter_input.value.lower().split()
        self.shown = [h for h in self.headings if all(w in h.title.lower() for w in words)]
        top = min((h.level for h in self.headings), default=1)
        options = self.options
        options.clear_options()
        options.add_options(
            Option(Text("  " * (h.level - top) + inert_label(h.title), style="bold" if h.level == top else ""))
            for h in self.shown
        )
        if self.shown:
            options.highlighted = self.shown.index(self.here) if self.here in self.shown else 0

    def chosen(self, index: int) -> int:
        return self.shown[index].start
