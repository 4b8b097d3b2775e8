"""The note panel under the reader: the note and tags of the annotation under the caret.

Hidden when the caret is on no annotation, or on a highlight with neither note nor tags. The
note is the user's Markdown, shown rendered (`*this*` in italics, `[text](url)` as its text, no
`<!-- -->`), each block on a line: drawn as `Text`, never as Textual markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from folio_reader.index import document
from folio_reader.index.annotations import Annotation
from folio_reader.index.document import InlineKind

#: How the note's inline markup is shown.
_STYLES = {
    InlineKind.EMPHASIS: "italic",
    InlineKind.STRONG: "bold",
    InlineKind.CODE: "reverse",
    InlineKind.ROLE: "reverse",
    InlineKind.LINK: "underline",
    InlineKind.STRIKE: "strike",
    InlineKind.IMAGE: "italic",
}


def rendered_note(note: str) -> Text:
    """A Markdown note as a reader sees it: markers hidden, inline markup styled."""
    shown = Text()
    for block in document.parse(note, ".md").blocks:
        for disp in document.block_displays(note, block):
            if shown:
                shown.append("\n")
            piece = Text(disp.text)
            for start, end, kind, _ in disp.styles:
                piece.stylize(_STYLES[kind], start, end)
            shown.append_text(piece)
    return shown


class NotePanel(Static):
    DEFAULT_CSS = """
    NotePanel {
        display: none;
        height: auto;
        max-height: 6;
        padding: 0 1;
        background: $boost;
        border-top: solid $accent 50%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.annotation: Annotation | None = None  #: the one shown

    def show(self, annotation: Annotation | None) -> None:
        """Show `annotation`'s note and tags (hide the panel for None or a bare highlight)."""
        if annotation is None or not (annotation.note or annotation.tags):
            self.annotation = None
            self.display = False
            return
        self.annotation = annotation
        text = Text("✎ ", style="bold")
        text.append_text(rendered_note(annotation.note) if annotation.note else Text("(highlight)"))
        if annotation.tags:
            text.append("  " + " ".join(f"#{t}" for t in annotation.tags), style="dim")
        self.update(text)
        self.display = True
