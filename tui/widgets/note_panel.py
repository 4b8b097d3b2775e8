"""The note panel under the reader: the note and tags of the annotation under the caret.

Hidden when the caret is on no annotation, or on a highlight with neither note nor tags. The
note is the user's text: drawn as `Text`, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from folio_reader.index.annotations import Annotation


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
        text.append(annotation.note or "(highlight)")
        if annotation.tags:
            text.append("  " + " ".join(f"#{t}" for t in annotation.tags), style="dim")
        self.update(text)
        self.display = True
