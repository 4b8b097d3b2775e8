"""One line at the bottom: a mode (selecting), the open document, position, search hit and
indexing progress."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from folio_reader.index.corpus import inert_label


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    document: reactive[str] = reactive("")
    position: reactive[str] = reactive("")
    hit: reactive[str] = reactive("")
    activity: reactive[str] = reactive("")
    context: reactive[str] = reactive("")  #: the reader's: section, link target, layout note
    mode: reactive[str] = reactive("")  #: shown first, in reverse, while it lasts

    def render(self) -> Text:
        right = Text()
        for part, style in ((self.activity, "italic"), (self.hit, "bold"), (self.position, "")):
            if part:
                if right:
                    right.append("  ")
                right.append(inert_label(part), style=style)
        width = self.content_size.width
        left = Text(inert_label(self.document), overflow="ellipsis", no_wrap=True)  # may hold a file name
        if self.context:
            left.append(" › " + inert_label(self.context), style="dim")
        if self.mode:
            left = Text.assemble((f" {self.mode} ", "bold reverse"), " ", left)
        room = max(0, width - right.cell_len - 2)
        left.truncate(room, overflow="ellipsis")
        gap = max(1, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * gap, right)
