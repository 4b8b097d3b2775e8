"""`?`: every key binding of the app, the screen and the focused widgets, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

QUERY_HELP = [
    ("words", "all of them (AND is the default); stemmed: tariff finds tariffs"),
    ('"a phrase"', "the words together, in order"),
    ("a OR b, a NOT b", "either; one without the other"),
    ("title: author: outlet:", "search one field: title:carney outlet:cbc"),
    ("date:2025-05", "a day, month or year; date:[2025-05 to 2025-07], date:>2025-06"),
    ("pre*  fuzzy~", "words starting with pre (2+ letters); words one edit away"),
]


def binding_rows(bindings: list[tuple[str, Binding]]) -> list[tuple[str, str, str]]:
    rows, seen = [], set()
    for where, binding in bindings:
        keys = ", ".join(k.strip() for k in binding.key.split(","))
        if (keys, binding.action) in seen or not binding.description:
            continue
        seen.add((keys, binding.action))
        rows.append((where, keys, binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, bindings: list[tuple[str, Binding]]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        keys = Table("where", "keys", "what", box=None, expand=True, header_style="bold")
        for where, key, description in binding_rows(self.bindings):
            keys.add_row(Text(where, style="dim"), Text(key, style="bold"), Text(description))
        queries = Table("query", "finds", box=None, expand=True, header_style="bold")
        for query, finds in QUERY_HELP:
            queries.add_row(Text(query, style="bold"), Text(finds))
        with VerticalScroll():
            yield Static(Text("Folio keys (escape closes; ctrl+p lists every command)", style="bold"))
            yield Static(keys)
            yield Static(Text("\nSearch syntax", style="bold"))
            yield Static(queries)
