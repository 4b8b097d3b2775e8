"""`A`: every annotation of the corpus, filterable; jump, edit, delete (with undo), re-attach.

Annotations whose passage can no longer be found (orphans) are listed in a section of their own
with their quote and note; `r` re-attaches one to the passage selected in the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from folio_reader.index.annotations import Anchored, Annotation, DocumentAnchors, Status, anchor_corpus
from folio_reader.index.corpus import Corpus, inert_label
from folio_reader.tui.annotation_keeper import AnnotationKeeper
from folio_reader.tui.screens.annotation_editor import COLOR_STYLES, AnnotationEdit, AnnotationEditor
from folio_reader.tui.tasks import StopCheck, run_blocking
from folio_reader.tui.widgets.text_boxes import TextBox
from folio_reader.tui.wording import counted

PREVIEW = 160


@dataclass(frozen=True, slots=True)
class PanelChoice:
    action: Literal["jump", "reattach"]
    annotation: Annotation
    start: int | None = None  #: where it is now (None for an orphan)


@dataclass(frozen=True, slots=True)
class Row:
    anchored: Anchored
    rel: str
    title: str

    @property
    def annotation(self) -> Annotation:
        return self.anchored.annotation

    def matches(self, words: list[str], tags: list[str]) -> bool:
        ann = self.annotation
        lowered = [t.casefold() for t in ann.tags]
        if any(not any(have.startswith(t) for have in lowered) for t in tags):  # (#fr: #framing)
            return False
        hay = " ".join((ann.exact, ann.note, self.title, self.rel, " ".join(ann.tags))).casefold()
        return all(w in hay for w in words)


def edit_annotation(app: App[Any], keeper: AnnotationKeeper, ann: Annotation) -> None:
    """Open the note editor on `ann`; saving stores the new version."""

    draft = keeper.drafts.edit(ann)

    def edited(edit: AnnotationEdit | None) -> None:
        if edit is not None:
            keeper.commit(draft.draft)

    editor = AnnotationEditor(ann.exact, AnnotationEdit(ann.note, ann.tags, ann.color), title="Edit note", draft=draft)
    app.push_screen(editor, edited)


def short(text: str, limit: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def row_prompt(row: Row) -> Table:
    ann = row.annotation
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    swatch = Text("▌", style=COLOR_STYLES[ann.color].split(" on ")[-1])
    grid.add_row(swatch, Text(f"“{short(ann.exact)}”", style="italic"))
    if ann.note:
        grid.add_row("", Text(short(ann.note)))
    meta = Text(row.title, style="dim")
    meta.append(f" · {ann.modified:%Y-%m-%d}")
    if ann.tags:
        meta.append(" · " + " ".join(f"#{t}" for t in ann.tags))
    if row.anchored.status is Status.MOVED:
        meta.append(" · moved with an edit", style="italic")
    grid.add_row("", meta)
    return grid


class AnnotationsScreen(Screen[PanelChoice | None]):
    DEFAULT_CSS = """
    AnnotationsScreen > Vertical { height: 1fr; }
    AnnotationsScreen #panel-heading { height: 1; padding: 0 1; color: $text-muted; }
    AnnotationsScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", tooltip="Empty the filter, then close the panel", id="annotations.close"),
        Binding(
            "down",
            "to_list",
            "To the list",
            show=False,
            tooltip="From the filter to the list",
            id="annotations.to_list",
        ),
        Binding(
            "f,slash",
            "filter",
            "Filter",
            tooltip="Filter by words, or #tag (a tag's start is enough)",
            id="annotations.filter",
        ),
        Binding("e", "edit", "Edit", tooltip="Edit the annotation's note, tags and colour", id="annotations.edit"),
        Binding(
            "d,delete", "delete", "Delete", tooltip="Delete the annotation (u brings it back)", id="annotations.delete"
        ),
        Binding("u", "undo", "Undo delete", tooltip="Bring back the last one deleted", id="annotations.undo"),
        Binding(
            "r",
            "reattach",
            "Re-attach",
            tooltip="Re-attach an orphan to the passage selected in the reader",
            id="annotations.reattach",
        ),
    ]

    class Located(Message):
        """Every annotation of the corpus, found (or not) in its document's current text."""

        def __init__(self, documents: list[DocumentAnchors]) -> None:
            super().__init__()
            self.documents = documents

    def __init__(self, corpus: Corpus, keeper: AnnotationKeeper, selection: tuple[str, int, int] | None = None) -> None:
        super().__init__()
        self.corpus, self.keeper = corpus, keeper
        self.selection = selection  #: (rel, start, end) selected in the reader, for re-attaching
        self.rows: list[Row] = []
        self.shown: list[Row | None] = []
        self.deleted: list[Annotation] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Annotations: checking where each one is…"), id="panel-heading")
            yield TextBox(placeholder="filter: words in quote, note or title; #tag for a tag", id="panel-filter")
            yield OptionList(id="panel-list")
        yield Footer()

    @property
    def options(self) -> OptionList:
        return self.query_one("#panel-list", OptionList)

    def on_mount(self) -> None:
        self.query_one("#panel-filter", Input).focus()  # (type at once; down or tab to the list)
        self.keeper.watch(self, self.refresh_anchors)  # (owned by this screen: gone with it)
        self.refresh_anchors()

    def refresh_anchors(self) -> None:
        """Find every annotation again (off the UI thread); the rows follow in `Located`."""

        def work(should_stop: StopCheck) -> None:
            store = self.keeper.store
            documents = anchor_corpus(store.all(), self.corpus)
            for doc in documents:
                store.accept(doc.anchored)
            if not should_stop():
                self.post_message(self.Located(documents))

        run_blocking(self, work, name="finding the annotations", group="panel")

    @on(Located)
    def _located(self, message: Located) -> None:
        rows: list[Row] = []
        for doc in message.documents:
            # the source path comes from the annotations file: it may hold anything, ESC included
            title = doc.meta.title if doc.meta else inert_label(f"{doc.rel} ({doc.problem or 'gone'})")
            rows += [Row(a, doc.rel, title) for a in doc.anchored]
        self.rows = rows
        self.show_rows()

    def show_rows(self) -> None:
        query = self.query_one("#panel-filter", Input).value.split()
        tags = [w[1:].casefold() for w in query if w.startswith("#") and len(w) > 1]
        words = [w.casefold() for w in query if not w.startswith("#")]
        found = [r for r in self.rows if r.anchored.status is not Status.ORPHAN and r.matches(words, tags)]
        orphans = [r for r in self.rows if r.anchored.status is Status.ORPHAN and r.matches(words, tags)]
        highlighted = self.options.highlighted_option.id if self.options.highlighted_option else None
        options: list[Option | None] = [Option(row_prompt(r), id=r.annotation.id) for r in found]
        self.shown = list(found)
        if orphans:
            options.append(
                Option(
                    Text(f"Orphans: {len(orphans):,} whose passage is gone (r re-attaches)", style="bold"),
                    disabled=True,
                )
            )
            self.shown.append(None)
            options += [Option(row_prompt(r), id=r.annotation.id) for r in orphans]
            self.shown += orphans
        self.options.set_options(options)
        ids = [r.annotation.id if r else None for r in self.shown]
        if self.shown:
            keep = highlighted is not None and highlighted in ids  # (never the orphans' heading, None)
            self.options.highlighted = ids.index(highlighted) if keep else (0 if found else 1)
        total = len(self.rows)
        heading = counted(total, "annotation")
        if len(orphans) or any(r.anchored.status is Status.ORPHAN for r in self.rows):
            heading += f", {sum(1 for r in self.rows if r.anchored.status is Status.ORPHAN):,} orphaned"
        if query:
            heading += f" · {len(found) + len(orphans):,} shown"
        self.query_one("#panel-heading", Static).update(Text(heading))

    def current(self) -> Row | None:
        index = self.options.highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(Input.Changed, "#panel-filter")
    def _filter(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#panel-filter")
    def _filter_done(self) -> None:
        self.options.focus()

    @on(OptionList.OptionSelected, "#panel-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        row = self.shown[event.option_index]
        if row is None:
            return
        if row.anchored.status is Status.ORPHAN:
            self.notify(
                "This passage is gone from its document: select the new passage, then r here", timeout=5, markup=False
            )
            return
        self.dismiss(PanelChoice("jump", row.annotation, row.anchored.start))

    def action_close(self) -> None:
        """Escape: a filter with text in it is emptied first, then the panel closes."""
        box = self.query_one("#panel-filter", Input)
        if box.has_focus and box.value:
            box.value = ""
            return
        self.dismiss(None)

    def action_to_list(self) -> None:
        self.options.focus()

    def action_filter(self) -> None:
        self.query_one("#panel-filter", Input).focus()

    def action_edit(self) -> None:
        row = self.current()
        if row is None:
            return
        edit_annotation(self.app, self.keeper, row.annotation)

    def action_delete(self) -> None:
        row = self.current()
        if row is None:
            return
        self.deleted.append(row.annotation)
        self.keeper.change(lambda store: store.delete(row.annotation.id))
        self.notify("Deleted: u undoes it", timeout=4, markup=False)

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo", timeout=2, markup=False)
            return
        ann = self.deleted.pop()
        self.keeper.change(lambda store: store.restore(ann))
        self.notify("Restored", timeout=2, markup=False)

    def action_reattach(self) -> None:
        row = self.current()
        if row is None:
            return
        if row.anchored.status is not Status.ORPHAN:
            self.notify("Only orphans are re-attached: this one is found", timeout=3, markup=False)
            return
        if self.selection is None:
            self.notify(
                "Select the passage in the reader first (v and the movement keys), then A and r",
                timeout=5,
                markup=False,
            )
            return
        self.dismiss(PanelChoice("reattach", row.annotation))
