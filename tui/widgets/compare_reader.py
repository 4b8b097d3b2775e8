"""One pane of the compare screen: a `Reader` with the comparison's styles, under a title line.

`ComparePane` is one side of a comparison: its `PaneTitle` (letter, title, outlet, date, how far
through the view is) over its `CompareReader`. It keeps what it has painted, so that setting a
layer to the spans it already shows costs nothing, numbers its document's paragraphs (¶1, ¶2, …)
and moves its caret "quietly" for a jump (the `CaretMoved` that follows is recognised and
ignored by whoever made the jump).

`CompareReader` is the `Reader` widget (same bindings, caret, selection, API) with component
classes for what a comparison shows, so that themes colour them:

``reader--passage`` (the paragraph under the caret, when it has counterparts),
``reader--counterpart`` and ``reader--counterpart-best`` (its counterparts in the other pane, the
one levelled with it on top), ``reader--quote`` and ``reader--quote-current`` (shared quotes),
and ``reader--only`` (the margin mark of a paragraph found only in this document).
"""

from __future__ import annotations

from bisect import bisect_right

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget

from folio_reader.index.compare.model import SideName, Span
from folio_reader.index.corpus import Document
from folio_reader.index.inert import inert_label
from folio_reader.tui.comparing import Place
from folio_reader.tui.widgets.reader import HighlightSpan, Reader

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
    """One line over a pane: its letter, the document's title, outlet and date, and position.

    Titles and outlets may come from a catalog or a file name: they are drawn inert."""

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
        heading = Text.assemble((f"{self.letter}  ", "bold"), (inert_label(meta.title), "bold"))
        if details:
            heading.append(inert_label(" — " + " · ".join(details)))
        self.heading = heading

    def show_problem(self, rel: str, reason: str) -> None:
        self.heading = Text.assemble(
            (f"{self.letter}  ", "bold"), (inert_label(rel), "bold"), inert_label(f" — {reason}")
        )

    def render(self) -> Text:
        right = Text(self.position)
        width = self.content_size.width
        left = self.heading.copy()
        left.no_wrap = True
        left.truncate(max(0, width - right.cell_len - 2), overflow="ellipsis")
        gap = max(1, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * gap, right)


class ComparePane(Vertical):
    """One side of a comparison: its title over its reading pane (see the module docstring)."""

    DEFAULT_CSS = """
    ComparePane { width: 1fr; height: 1fr; }
    ComparePane.-focused > PaneTitle { background: $accent 40%; color: $foreground; }
    ComparePane > CompareReader { width: 1fr; height: 1fr; }
    """

    def __init__(self, side: SideName, placeholder: str) -> None:
        super().__init__(id=f"pane-{side}", classes="compare-pane")
        self.side = side
        self._placeholder = placeholder
        self._painted: dict[str, list[HighlightSpan]] = {}
        self._starts: list[int] = []
        self._expected: int | None = None  # the caret offset of our last quiet move

    def compose(self) -> ComposeResult:
        yield PaneTitle(self.side.upper(), id=f"title-{self.side}")
        yield CompareReader(placeholder=self._placeholder, id=f"reader-{self.side}")

    @property
    def reader(self) -> CompareReader:
        return self.query_one(CompareReader)

    @property
    def title(self) -> PaneTitle:
        return self.query_one(PaneTitle)

    @property
    def document(self) -> Document | None:
        return self.reader.document

    def show(self, document: Document, *, at: Place | None = None) -> None:
        """Show a document (its marks are painted anew): at its top, or at `at` (the caret is
        kept on screen)."""
        self._painted.clear()
        self._starts = [start for start, _ in document.paragraphs]
        place = at or Place(0, 0)
        caret, top = (min(max(0, offset), len(document.text)) for offset in (place.caret, place.top))
        self.reader.load(document, offset=top)
        if caret != top:
            self.move_quietly(caret)
        self.title.show(document)

    def show_problem(self, rel: str, reason: str) -> None:
        """No document: say why."""
        self.reader.clear(f"Cannot read {rel}: {reason}")
        self.title.show_problem(rel, reason)

    def paint(self, layer: str, spans: list[HighlightSpan]) -> None:
        """Set a highlight layer unless it already shows exactly these spans."""
        if self._painted.get(layer) == spans:
            return
        self._painted[layer] = spans
        self.reader.set_highlights(layer, spans)

    def paragraph_number(self, offset: int) -> int:
        """The number (from 1) of the paragraph holding `offset`, as the status line says it."""
        return max(1, bisect_right(self._starts, offset))

    def where(self, spans: list[Span], most: int = 3) -> str:
        """The paragraphs of the first few spans: "¶3, ¶7 +2"."""
        labels = [f"¶{self.paragraph_number(start)}" for start, _ in spans[:most]]
        return ", ".join(labels) + (f" +{len(spans) - most}" if len(spans) > most else "")

    def move_quietly(self, offset: int) -> None:
        """Move the caret for a jump: `moved_quietly` then recognises its `CaretMoved`."""
        reader = self.reader
        before = reader.caret
        reader.move_caret(offset)
        if reader.caret != before:
            self._expected = reader.caret

    def moved_quietly(self, offset: int) -> bool:
        """True (once) if a caret move to `offset` was our own `move_quietly`."""
        expected, self._expected = self._expected, None
        return expected == offset

    @on(Reader.Scrolled)
    def _scrolled(self, message: Reader.Scrolled) -> None:
        self.title.position = f"{message.percent}%"
