"""One line at the bottom: a mode (selecting), the open document, position, search hit and
indexing progress.

The line is two widgets, the document's part on the left and the position's on the right, so
that a change of one sends only its cells: Textual's compositor writes a refreshed widget from
its left edge, and a page down (the position changes, the title does not) sent the whole line
again, title and all (issue 17).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from folio_reader.index.corpus import inert_label
from folio_reader.tui.widgets.quiet_size import QuietSize


class StatusPart(QuietSize, Widget):
    """One part of the status line: a text, repainted only when it changes."""

    DEFAULT_CSS = """
    StatusPart { height: 1; width: 1fr; }
    StatusPart.-right { width: auto; }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._text = Text()

    def show(self, text: Text) -> None:
        if text == self._text:
            return
        resized = text.cell_len != self._text.cell_len and self.has_class("-right")
        self._text = text
        self.refresh(layout=resized)

    def render(self) -> Text:
        text = self._text.copy()
        text.truncate(
            max(0, self.content_size.width), overflow="ellipsis", pad=True
        )  # (padded as text: the same style)
        return text

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._text.cell_len


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; layout: horizontal; }
    """

    document: reactive[str] = reactive("", repaint=False)
    position: reactive[str] = reactive("", repaint=False)
    hit: reactive[str] = reactive("", repaint=False)
    activity: reactive[str] = reactive("", repaint=False)
    context: reactive[str] = reactive("", repaint=False)  #: the reader's: section, link target, layout note
    mode: reactive[str] = reactive("", repaint=False)  #: shown first, in reverse, while it lasts

    def compose(self) -> ComposeResult:
        yield StatusPart(classes="-left")
        yield StatusPart(classes="-right")

    def on_mount(self) -> None:
        self._update()

    def _watch_any(self) -> None:
        if self.is_mounted:
            self._update()

    watch_document = watch_position = watch_hit = watch_activity = watch_context = watch_mode = _watch_any

    def _parts(self) -> tuple[Text, Text]:
        right = Text()
        for part, style in ((self.activity, "italic"), (self.hit, "bold"), (self.position, "")):
            if part:
                if right:
                    right.append("  ")
                right.append(inert_label(part), style=style)
        left = Text(inert_label(self.document), overflow="ellipsis", no_wrap=True)  # may hold a file name
        if self.context:
            left.append(" › " + inert_label(self.context), style="dim")
        if self.mode:
            left = Text.assemble((f" {self.mode} ", "bold reverse"), " ", left)
        return left, right

    def _update(self) -> None:
        left, right = self._parts()
        self.query_one(".-left", StatusPart).show(left)
        self.query_one(".-right", StatusPart).show(Text.assemble("  ", right))  # (2 cells at least between)

    def render(self) -> Text:
        """The whole line as text (what the two parts show, for a caller reading it)."""
        left, right = self._parts()
        return Text.assemble(left, "  ", right)
