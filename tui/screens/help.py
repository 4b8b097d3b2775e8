"""`?`: every key of the panes in reach, grouped by pane, with the keys in effect (the user's
keymap applied) and what each does; then the search syntax."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from folio_reader.tui.keymap import BindingRow

QUERY_HELP = [
    ("words", "all of them (AND is the default); stemmed: tariff finds tariffs"),
    ('"a phrase"', "the words together, in order"),
    ("a OR b, a NOT b, -word", "either; one without the other; without the word"),
    ("title: author: outlet: path:", "search one field: title:carney outlet:cbc"),
    ("date:2025-05", "a day, month or year; date:[2025-05 to 2025-07], date:>2025-06"),
    ("pre*  fuzzy~", "words starting with pre (2+ letters); words one edit away"),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 96; max-width: 100%; height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", tooltip="Close the help", id="help.close")]

    def __init__(self, rows: list[BindingRow]) -> None:
        super().__init__()
        self.rows = rows  #: what it lists, in order

    def compose(self) -> ComposeResult:
        keys = Table("keys", "does", box=None, expand=True, header_style="bold")
        pane = None
        for row in self.rows:
            if row.pane != pane:
                pane = row.pane
                keys.add_row(Text(f"\n{pane}", style="bold underline"), Text(""))
            keys.add_row(Text(row.key_labels, style="bold"), Text(row.does))
        queries = Table("query", "finds", box=None, expand=True, header_style="bold")
        for query, finds in QUERY_HELP:
            queries.add_row(Text(query, style="bold"), Text(finds))
        with VerticalScroll():
            yield Static(Text("Folio keys (escape closes; ctrl+p lists every command)", style="bold"))
            yield Static(keys)
            yield Static(Text("\nSearch syntax", style="bold"))
            yield Static(queries)
