"""`t`: the document's outline, its headings indented by level; typing filters, enter jumps.

Dismissed with the canonical offset of the chosen heading, or None. Headings are document text:
drawn through `Text` and `inert_label`, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from folio_reader.index.inert import inert_label
from folio_reader.tui.layout.outline import Heading, section_at


class OutlineScreen(ModalScreen[int | None]):
    """The headings of the open document; the section being read is highlighted first."""

    DEFAULT_CSS = """
    OutlineScreen { align: center middle; }
    OutlineScreen > #outline-dialog {
        width: 80; max-width: 100%; height: 80%; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #outline-heading { height: 1; text-style: bold; }
    #outline-options, #outline-options:focus { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="outline.close"),
        Binding("down", "move(1)", "Next heading", show=False, id="outline.down"),
        Binding("up", "move(-1)", "Previous heading", show=False, id="outline.up"),
    ]

    def __init__(self, headings: list[Heading], offset: int) -> None:
        super().__init__()
        self.headings = headings
        self.here = section_at(headings, offset)
        self.shown: list[Heading] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="outline-dialog"):
            yield Static(
                Text(f"Outline: {len(self.headings)} headings (type to filter, enter jumps)"), id="outline-heading"
            )
            yield Input(placeholder="filter headings", id="outline-filter")
            yield OptionList(id="outline-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        words = query.lower().split()
        self.shown = [h for h in self.headings if all(w in h.title.lower() for w in words)]
        top = min((h.level for h in self.headings), default=1)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(Text("  " * (h.level - top) + inert_label(h.title), style="bold" if h.level == top else ""))
            for h in self.shown
        )
        if self.shown:
            options.highlighted = self.shown.index(self.here) if self.here in self.shown else 0

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.shown):
            self.dismiss(self.shown[index].start)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))
