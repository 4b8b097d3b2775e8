"""The two panes of the compare screen: a `Reader` with the comparison's styles, and its title.

`CompareReader` is the `Reader` widget (same bindings, caret, selection, API) with component
classes for what a comparison shows, so that themes colour them:

``reader--passage`` (the paragraph under the caret, when it has counterparts),
``reader--counterpart`` and ``reader--counterpart-best`` (its counterparts in the other pane, the
one levelled with it on top), ``reader--quote`` and ``reader--quote-current`` (shared quotes),
and ``reader--only`` (the margin mark of a paragraph found only in this document).
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from folio_reader.index.corpus import Document
from folio_reader.tui.widgets.reader import Reader

#: The margin mark of a paragraph found only in one document (one cell: a pane's margin is two
#: cells, one for the mark and a space).
ONLY_MARK = "○"


class CompareReader(Reader):
    """A reading pane of the compare screen (see the module docstring)."""

    COMPONENT_CLASSES = Reader.COMPONENT_CLASSES | {
        "reader--passage",
        "reader--counterpart",
        "reader--counterpart-best",
        "reader--quote",
        "reader--quote-current",
        "reader--only",
    }

    DEFAULT_CSS = """
    CompareReader {
        & > .reader--passage { background: $primary 12%; }
        & > .reader--counterpart { background: $secondary 12%; }
        & > .reader--counterpart-best { background: $secondary 28%; }
        & > .reader--quote { color: $text-success; text-style: underline; }
        & > .reader--quote-current { background: $success 35%; text-style: bold underline; }
        & > .reader--only { color: $warning; text-style: bold; }
    }
    """


class PaneTitle(Widget):
    """One line over a pane: its letter, the document's title, outlet and date, and position."""

    DEFAULT_CSS = """
    PaneTitle { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    heading: reactive[Text] = reactive(Text, layout=False)
    position: reactive[str] = reactive("")

    def __init__(self, letter: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.letter = letter
        self.heading = Text(f"{letter}  loading…")

    def show(self, document: Document) -> None:
        meta = document.meta
        details = [part for part in (meta.outlet, meta.date.isoformat() if meta.date else None) if part]
        heading = Text.assemble((f"{self.letter}  ", "bold"), (meta.title, "bold"))
        if details:
            heading.append(" — " + " · ".join(details))
        self.heading = heading

    def show_problem(self, rel: str, reason: str) -> None:
        self.heading = Text.assemble((f"{self.letter}  ", "bold"), (rel, "bold"), f" — {reason}")

    def render(self) -> Text:
        right = Text(self.position)
        width = self.content_size.width
        left = self.heading.copy()
        left.no_wrap = True
        left.truncate(max(0, width - right.cell_len - 2), overflow="ellipsis")
        gap = max(1, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * gap, right)
