"""What `a`, `h`, `y`, `]`, `[` and `A` do in the reader, over the open document's annotations.

`AnnotationActions` keeps where the open document's annotations are now (`anchors`), draws them
in the reader (colours, `✎` marks, the note panel under the caret) and turns the keys into
changes handed to the `AnnotationKeeper`. The main screen owns one and forwards its bindings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.app import App

from folio_reader.index.annotations import DEFAULT_COLOR, Anchored, Annotation
from folio_reader.index.corpus import Corpus, Document
from folio_reader.tui.annotation_keeper import AnnotationKeeper
from folio_reader.tui.hit_cursor import HitCursor
from folio_reader.tui.screens.annotation_editor import COLOR_STYLES, AnnotationEdit, AnnotationEditor
from folio_reader.tui.screens.annotations import AnnotationsScreen, PanelChoice, edit_annotation
from folio_reader.tui.widgets.note_panel import NotePanel
from folio_reader.tui.widgets.reader import Reader

#: `go_to(annotation, where it is now)`: open its document on it.
GoTo = Callable[[Annotation, int | None], None]


def annotation_at(anchors: list[Anchored], offset: int) -> Anchored | None:
    """The innermost annotation covering `offset` (the latest made when several do)."""
    covering = [a for a in anchors if _start(a) <= offset < _end(a)]
    if not covering:
        return None
    return min(covering, key=lambda a: (_end(a) - _start(a), -a.annotation.created.timestamp()))


def step_target(anchors: list[Anchored], caret: int, step: int) -> tuple[int, bool] | None:
    """Where `]` (step 1) or `[` (-1) goes from `caret`, and whether it wrapped round; None when
    there is no annotation."""
    starts = sorted({_start(a) for a in anchors})
    if not starts:
        return None
    later = [s for s in starts if s > caret] if step > 0 else [s for s in starts if s < caret]
    if not later:
        return (starts[0] if step > 0 else starts[-1]), True
    return (later[0] if step > 0 else later[-1]), False


def _start(a: Anchored) -> int:
    assert a.start is not None  # (only anchored annotations are kept for the open document)
    return a.start


def _end(a: Anchored) -> int:
    assert a.end is not None
    return a.end


class AnnotationActions:
    """See the module docstring."""

    def __init__(
        self, app: App[Any], keeper: AnnotationKeeper, corpus: Corpus, reader: Reader, panel: NotePanel
    ) -> None:
        self.app, self.keeper, self.corpus = app, keeper, corpus
        self.reader, self.panel = reader, panel
        self.anchors: list[Anchored] = []  #: the open document's annotations, where they are now

    # drawing

    def show(self, anchors: list[Anchored]) -> None:
        """Draw `anchors` (the open document's) in the reader, and the note under the caret."""
        self.anchors = anchors
        self.reader.set_highlights(
            "annotations", [(_start(a), _end(a), COLOR_STYLES[a.annotation.color]) for a in anchors]
        )
        self.reader.set_marks("notes", {_start(a): "✎" for a in anchors if a.annotation.note})
        self.show_note()

    def show_note(self) -> None:
        here = self.at(self.reader.caret) if self.reader.document is not None else None
        self.panel.show(here.annotation if here is not None else None)

    def at(self, offset: int) -> Anchored | None:
        return annotation_at(self.anchors, offset)

    def find(self, ann_id: str) -> Anchored | None:
        return next((a for a in self.anchors if a.annotation.id == ann_id), None)

    # what the keys act on

    def target_span(self, document: Document, hits: HitCursor | None) -> tuple[int, int] | None:
        """What `a`/`h`/`y` act on: the selection, else the current search hit under the caret."""
        selection = self.reader.selection
        if selection is not None:
            return selection
        return hits.covering(document.rel, self.reader.caret) if hits is not None else None

    def annotate(self, document: Document | None, hits: HitCursor | None) -> None:
        """Note the selection (or search hit, or sentence); on an annotation, edit it."""
        if document is None:
            self.app.notify("Open a document first", timeout=2, markup=False)
            return
        span = self.target_span(document, hits)
        existing = self.at(self.reader.caret) if span is None else None
        if existing is not None:
            self.edit(existing.annotation)
            return
        start, end = span if span is not None else self.reader.sentence_at(self.reader.caret)
        if end <= start:
            return

        draft = self.keeper.drafts.new(document, start, end)

        def made(edit: AnnotationEdit | None) -> None:
            if edit is not None:
                self.reader.clear_selection()
                self.keeper.commit(draft.draft)

        self.app.push_screen(AnnotationEditor(document.text[start:end], draft=draft), made)

    def edit(self, ann: Annotation) -> None:
        edit_annotation(self.app, self.keeper, ann)

    def highlight(self, document: Document | None, hits: HitCursor | None) -> None:
        """Highlight the selection (or search hit, or sentence) in one key, no note."""
        if document is None:
            self.app.notify("Open a document first", timeout=2, markup=False)
            return
        start, end = self.target_span(document, hits) or self.reader.sentence_at(self.reader.caret)
        if end > start:
            self._create(document, start, end, AnnotationEdit("", (), DEFAULT_COLOR))

    def _create(self, document: Document, start: int, end: int, edit: AnnotationEdit) -> None:
        ann = Annotation.new(document, start, end, note=edit.note, tags=edit.tags, color=edit.color)
        self.reader.clear_selection()
        self.keeper.change(lambda store: store.add(ann))

    def copy(self, document: Document | None, hits: HitCursor | None) -> None:
        """Copy the selection, else the hit under the caret, else the annotation there (quote and note)."""
        if document is None:
            return
        span = self.target_span(document, hits)
        if span is not None:
            self.app.copy_to_clipboard(document.text[span[0] : span[1]])
            return
        here = self.at(self.reader.caret)
        if here is not None:
            text = f"“{document.text[_start(here) : _end(here)]}”"
            if here.annotation.note:
                text += f"\n\n{here.annotation.note}"
            self.app.copy_to_clipboard(text)
            return
        self.app.notify("Nothing to copy: select with v first", timeout=2, markup=False)

    def step(self, step: int) -> None:
        """`]`/`[`: the caret to the next/previous annotation, round at the ends."""
        found = step_target(self.anchors, self.reader.caret, step)
        if found is None:
            self.app.notify("No annotations in this document", timeout=2, markup=False)
            return
        target, wrapped = found
        if wrapped:
            self.app.notify(
                "Wrapped to the first note" if step > 0 else "Wrapped to the last note", timeout=2, markup=False
            )
        self.reader.move_caret(target)
        self.reader.scroll_to_offset(target, center=True)

    def open_panel(self, document: Document | None, go_to: GoTo) -> None:
        """`A`: every annotation of the corpus; a choice jumps (`go_to`) or re-attaches an orphan
        to the selection."""
        selection = None
        if document is not None and self.reader.selection is not None:
            selection = (document.rel, *self.reader.selection)

        def chosen(choice: PanelChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "jump":
                go_to(choice.annotation, choice.start)
                return
            current = self.reader.document  # (what is open now, when the panel closes)
            if selection is not None and current is not None and current.rel == selection[0]:
                ann = choice.annotation.reattached(current.text, selection[1], selection[2], current.meta.content_hash)
                self.reader.clear_selection()
                self.keeper.change(lambda store: store.update(replace(ann, source=current.rel)))
                self.app.notify("Re-attached to the selection", timeout=3, markup=False)

        self.app.push_screen(AnnotationsScreen(self.corpus, self.keeper, selection), chosen)
