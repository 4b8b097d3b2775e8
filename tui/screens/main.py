"""The main screen: document list or search results beside the reading pane.

Blocking work (opening and updating the index, searching, loading a document) runs in thread
workers that post their results back as messages; a stale search never overwrites a newer one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from folio_reader.index import locations
from folio_reader.index.annotations import DEFAULT_COLOR, Anchored, Annotation, anchor_document
from folio_reader.index.corpus import Document, FileEntry, Problem, UnreadableError
from folio_reader.index.listing import load_listing
from folio_reader.tui.screens.annotation_editor import COLOR_STYLES, AnnotationEdit, AnnotationEditor
from folio_reader.tui.screens.annotations import AnnotationsScreen, PanelChoice
from folio_reader.tui.widgets.document_list import DocumentList, Item
from folio_reader.tui.widgets.reader import Reader
from folio_reader.tui.widgets.search_pane import SearchPane
from folio_reader.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:  # Whoosh is imported by the index worker, off the path to the first frame
    from folio_reader.index.annotation_search import AnnotationSearch
    from folio_reader.index.search import FolioIndex, SearchResult, UpdateReport

#: Below this width the sidebar becomes an overlay that `d` brings back.
NARROW = 100
PROGRESS_EVERY = 0.25


@dataclass
class HitCursor:
    """Where `n`/`N` are in the results of the last search."""

    result: SearchResult
    doc: int = 0
    hit: int = 0


class MainScreen(Screen):
    BINDINGS = [
        Binding("slash", "search", "Search", id="main.search"),
        Binding("a", "annotate", "Annotate", id="main.annotate"),
        Binding("h", "highlight", "Highlight", id="main.highlight"),
        Binding("A", "annotations_panel", "Notes", id="main.annotations"),
        Binding("c", "compare", "Compare", id="main.compare"),
        Binding("d", "toggle_documents", "Documents", id="main.documents"),
        Binding("question_mark", "app.help", "Help", id="app.help"),
        Binding("q", "app.quit", "Quit", id="app.quit"),
        Binding("n", "next_hit", "Next hit", show=False, id="main.next_hit"),
        Binding("N", "previous_hit", "Prev hit", show=False, id="main.previous_hit"),
        Binding("right_square_bracket", "next_annotation", "Next note", show=False, id="main.next_annotation"),
        Binding("left_square_bracket", "previous_annotation", "Prev note", show=False, id="main.previous_annotation"),
        Binding("y", "copy", "Copy", show=False, id="main.copy"),
        Binding("escape", "back", "Back", show=False, id="main.back"),
        Binding("ctrl+g", "use_suggestion", "Take the suggestion", show=False, id="main.suggestion"),
    ]

    class DocumentsLoaded(Message):
        def __init__(self, items: list[Item]) -> None:
            super().__init__()
            self.items = items

    class IndexProgress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class IndexDone(Message):
        def __init__(self, report: UpdateReport, messages: list[str]) -> None:
            super().__init__()
            self.report, self.messages = report, messages

    class SearchDone(Message):
        def __init__(self, seq: int, result: SearchResult, notes: list[Annotation]) -> None:
            super().__init__()
            self.seq, self.result, self.notes = seq, result, notes

    class DocumentLoaded(Message):
        def __init__(
            self,
            document: Document,
            offset: int | None,
            spans: list[tuple[int, int]] | None,
            anchors: list[Anchored],
        ) -> None:
            super().__init__()
            self.document, self.offset, self.spans, self.anchors = document, offset, spans, anchors

    class LoadFailed(Message):
        def __init__(self, rel: str, reason: str) -> None:
            super().__init__()
            self.rel, self.reason = rel, reason

    def __init__(self) -> None:
        super().__init__()
        self.index: FolioIndex | None = None
        self.document: Document | None = None
        self.search_seq = 0
        self.hits: HitCursor | None = None
        self.anchors: list[Anchored] = []  #: the open document's annotations, where they are now
        self._pending_annotation: str | None = None  #: land on it once its document is open
        self._notes_index: AnnotationSearch | None = None
        self._notes_version = -1
        self._restored = False

    # layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="sidebar"), ContentSwitcher(initial="documents", id="sidebar-switcher"):
                yield DocumentList(id="documents")
                yield SearchPane(id="search")
            with Vertical(id="reading"):
                yield Reader(id="reader")
                yield Static(id="note-panel", markup=False)
        yield StatusBar(id="status")
        yield Footer()

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def documents(self) -> DocumentList:
        return self.query_one("#documents", DocumentList)

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one("#search", SearchPane)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def on_mount(self) -> None:
        self.watch(self.app, "annotations_version", self._annotations_changed, init=False)
        self.status.activity = "opening the index…"
        self._apply_width(self.app.size.width)
        self.documents.focus_list()
        # the list as the index last saw it, at once; the index worker brings it up to date
        metas, problems = load_listing(locations.index_dir(Path(self.app.corpus.label), self.app.index_dir))
        if metas or problems:
            self.post_message(
                self.DocumentsLoaded([Item.from_meta(m) for m in metas] + [Item.from_problem(p) for p in problems])
            )
        self.open_index()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        was_narrow = self.narrow
        self.set_class(width < NARROW, "-narrow")
        if self.narrow and not was_narrow:
            # with nothing to read, the list is what there is to see
            self.set_class(self.document is None, "-sidebar-open")

    def _show_sidebar(self, pane: str, focus: Widget) -> None:
        self.query_one("#sidebar-switcher", ContentSwitcher).current = pane
        self.add_class("-sidebar-open")
        focus.focus()

    def _hide_sidebar_if_narrow(self) -> None:
        if self.narrow:
            self.remove_class("-sidebar-open")

    # the index

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def open_index(self) -> None:
        app = self.app
        worker = get_current_worker()
        from folio_reader.index.search import FolioIndex

        index = FolioIndex(app.corpus, app.index_dir)
        self.index = index
        scan = app.corpus.scan()
        self.post_message(self.DocumentsLoaded(self._items(index, scan.entries, scan.problems)))
        last = 0.0

        def progress(done: int, total: int, rel: str) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > PROGRESS_EVERY or done == total:
                last = now
                self.post_message(self.IndexProgress(done, total))

        report = index.update(progress, should_stop=lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return
        if report.indexed or report.deleted:
            self.post_message(self.DocumentsLoaded(self._items(index, [], report.problems)))
        self.post_message(self.IndexDone(report, index.messages + report.messages))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def rebuild_index(self) -> None:
        """The index broke while we used it (deleted, truncated, garbage): start it again."""
        index = self.index
        if index is None:
            return
        self.post_message(self.IndexProgress(0, 0))
        index.recover(RuntimeError("it could not be read"))
        report = index.update(should_stop=lambda: get_current_worker().is_cancelled)
        self.post_message(self.DocumentsLoaded(self._items(index, [], report.problems)))
        self.post_message(self.IndexDone(report, [index.messages[-1], *report.messages]))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker is reported: never silently, never a traceback."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.status.activity = ""
            self.notify(
                f"{event.worker.name or 'a task'} failed: {type(error).__name__}: {error}",
                severity="error",
                timeout=10,
                markup=False,
            )

    @staticmethod
    def _items(index: FolioIndex, unindexed: list[FileEntry], problems: list[Problem]) -> list[Item]:
        """What the index knows, files it does not know yet (listed by name, read when opened),
        and the problems found by the scan or the update."""
        metas, recorded = index.documents()
        items = [Item.from_meta(m) for m in metas]
        known = {i.rel for i in items}
        items += [Item(e.rel, e.rel) for e in unindexed if e.rel not in known]
        known |= {i.rel for i in items}
        for problem in [*recorded, *problems]:
            if problem.rel not in known:
                known.add(problem.rel)
                items.append(Item.from_problem(problem))
        return items

    @on(DocumentsLoaded)
    def _documents_loaded(self, message: DocumentsLoaded) -> None:
        self.documents.set_items(message.items)
        if not self._restored:
            self._restored = True
            self._restore_last(message.items)

    @on(IndexProgress)
    def _index_progress(self, message: IndexProgress) -> None:
        self.status.activity = (
            f"indexing {message.done:,}/{message.total:,}" if message.total else "rebuilding the index…"
        )

    @on(IndexDone)
    def _index_done(self, message: IndexDone) -> None:
        report = message.report
        self.status.activity = ""
        for text in message.messages:
            self.notify(text, severity="warning", timeout=8, markup=False)
        if report.indexed or report.deleted:
            self.notify(
                f"Index updated: {report.added} added, {report.updated} updated, {report.deleted} removed"
                f" in {report.seconds:.1f} s",
                timeout=3,
                markup=False,
            )
        if self.search_pane.input.value.strip():
            self._start_search(self.search_pane.input.value)

    # documents

    def _restore_last(self, items: list[Item]) -> None:
        last = self.app.reading_state.last
        rels = {i.rel for i in items if i.problem is None}
        if last and last.get("rel") in rels:
            self.open_document(last["rel"])

    def open_document(self, rel: str, *, offset: int | None = None, spans: list[tuple[int, int]] | None = None) -> None:
        self.remember_position()
        self.status.document = f"opening {rel}…"
        self._load(rel, offset, spans)

    @work(thread=True, exclusive=True, group="document", exit_on_error=False)
    def _load(self, rel: str, offset: int | None, spans: list[tuple[int, int]] | None) -> None:
        try:
            document = self.app.corpus.load(rel)
        except UnreadableError as exc:
            self.post_message(self.LoadFailed(rel, str(exc)))
            return
        anchors = self._anchor(document)
        if not get_current_worker().is_cancelled:
            self.post_message(self.DocumentLoaded(document, offset, spans, anchors))

    def _anchor(self, document: Document) -> list[Anchored]:
        """Find the document's annotations in its current text; keep moved positions."""
        store = self.app.store
        anchors = anchor_document(store.for_document(document.rel), document)
        store.accept(anchors)
        return sorted((a for a in anchors if a.start is not None), key=lambda a: (a.start, a.end))

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.status.document = ""
        self.notify(f"{message.rel}: {message.reason}", severity="error", markup=False)

    @on(DocumentLoaded)
    def _document_loaded(self, message: DocumentLoaded) -> None:
        document = message.document
        self.document = document
        reader = self.reader
        reader.load(document)
        self.anchors = message.anchors
        self._show_annotations()
        self.documents.mark_open(document.rel)
        self.status.document = document.meta.title
        if message.spans is not None and self.hits is not None:
            reader.set_highlights("search", message.spans, "reader--hit", current=self.hits.hit)
            self._go_to_hit()
        else:
            self._clear_hits_if_elsewhere(document.rel)
            offset = message.offset
            if offset is None:
                offset = self.app.reading_state.position(document.rel, document.meta.content_hash)
            reader.scroll_to_offset(min(offset, len(document.text)), center="top")
        pending = self._pending_annotation
        if pending is not None:
            self._pending_annotation = None
            found = next((a for a in self.anchors if a.annotation.id == pending), None)
            if found is not None:
                reader.move_caret(found.start)
                reader.scroll_to_offset(found.start, center=True)
        self.app.reading_state.remember(document.rel, document.meta.content_hash, reader.top_offset)
        self.app.save_state()
        self._hide_sidebar_if_narrow()
        reader.focus()
        self._show_note()

    def _clear_hits_if_elsewhere(self, rel: str) -> None:
        if self.hits and self.hits.result.hits[self.hits.doc].rel != rel:
            self.reader.set_highlights("search", [], "reader--hit")
            self.status.hit = ""

    def remember_position(self) -> None:
        if self.document is not None:
            self.app.reading_state.remember(self.document.rel, self.document.meta.content_hash, self.reader.top_offset)

    @on(DocumentList.Opened)
    def _opened(self, message: DocumentList.Opened) -> None:
        self.open_document(message.rel)

    @on(Reader.Scrolled)
    def _scrolled(self, message: Reader.Scrolled) -> None:
        self.status.position = f"{message.percent:.0f}%"
        self.remember_position()

    # search

    def action_search(self) -> None:
        self._show_sidebar("search", self.search_pane.input)

    @on(SearchPane.QueryChanged)
    def _query_changed(self, message: SearchPane.QueryChanged) -> None:
        self._start_search(message.query)

    def _start_search(self, query: str) -> None:
        self.search_seq += 1
        if not query.strip():
            self.search_pane.clear_results()
            return
        if self.index is None:
            self.search_pane.set_status("the index is opening…")
            return
        self._search(query, self.search_seq)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, seq: int) -> None:
        result = self.index.search(query, limit=50)
        notes = self._search_notes(query) if result.error is None else []
        if not get_current_worker().is_cancelled:
            self.post_message(self.SearchDone(seq, result, notes))

    def _search_notes(self, query: str) -> list[Annotation]:
        """Annotations whose note, quote or tags match (an index rebuilt when they change)."""
        from folio_reader.index.annotation_search import AnnotationSearch  # Whoosh: imported in this worker

        version = self.app.annotations_version
        if self._notes_index is None or self._notes_version != version:
            self._notes_index = AnnotationSearch(self.app.store.all())
            self._notes_version = version
        store = self.app.store
        found = (store.get(i) for i in self._notes_index.search(query, limit=20))
        return [a for a in found if a is not None and not a.deleted]

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        if message.result.damaged:
            self.rebuild_index()
        if message.seq != self.search_seq:
            return  # a newer search is under way: never show a stale answer over it
        titles = {i.rel: i.title for i in self.documents.items}
        self.search_pane.show(message.result, [(a, titles.get(a.source, a.source)) for a in message.notes])

    @on(SearchPane.HitChosen)
    def _hit_chosen(self, message: SearchPane.HitChosen) -> None:
        result = self.search_pane.result
        if result is None or not result.hits:
            return
        self.hits = HitCursor(result, doc=message.index, hit=0)
        self._open_hit_document()

    @on(SearchPane.NoteChosen)
    def _note_chosen(self, message: SearchPane.NoteChosen) -> None:
        self.go_to_annotation(message.annotation)

    def go_to_annotation(self, ann: Annotation, start: int | None = None) -> None:
        """Open the annotation's document with the caret on the annotation (where it is now)."""
        if self.document is not None and self.document.rel == ann.source:
            found = next((a for a in self.anchors if a.annotation.id == ann.id), None)
            target = found.start if found is not None else (start if start is not None else ann.start)
            self.reader.move_caret(target)
            self.reader.scroll_to_offset(target, center=True)
            self._hide_sidebar_if_narrow()
            self.reader.focus()
            self._show_note()
        else:
            self._pending_annotation = ann.id
            self.open_document(ann.source, offset=start if start is not None else ann.start)

    def _open_hit_document(self) -> None:
        cursor = self.hits
        hit = cursor.result.hits[cursor.doc]
        if self.document is not None and self.document.rel == hit.rel:
            self.reader.set_highlights("search", hit.spans, "reader--hit", current=cursor.hit)
            self._go_to_hit()
            self._hide_sidebar_if_narrow()
            self.reader.focus()
        else:
            self.open_document(hit.rel, spans=hit.spans)

    def _go_to_hit(self) -> None:
        cursor = self.hits
        hit = cursor.result.hits[cursor.doc]
        if not hit.spans:
            self.status.hit = "no hit in the text (title match)"
            self.reader.scroll_to_offset(0, center="top")
            return
        start, _ = hit.spans[cursor.hit]
        self.reader.set_highlights("search", hit.spans, "reader--hit", current=cursor.hit)
        self.reader.move_caret(start)
        self.reader.scroll_to_offset(start, center=True)
        self.status.hit = f"hit {cursor.hit + 1}/{len(hit.spans)}"

    def _step_hit(self, step: int) -> None:
        cursor = self.hits
        if cursor is None:
            self.notify("No search: press / to search", timeout=2, markup=False)
            return
        spans = cursor.result.hits[cursor.doc].spans
        nxt = cursor.hit + step
        if 0 <= nxt < len(spans):
            cursor.hit = nxt
            self._go_to_hit()
            return
        count = len(cursor.result.hits)
        cursor.doc = (cursor.doc + step) % count
        target = cursor.result.hits[cursor.doc]
        cursor.hit = 0 if step > 0 else max(0, len(target.spans) - 1)
        where = "next" if step > 0 else "previous"
        if count == 1:
            self.notify(f"Wrapped to the {'first' if step > 0 else 'last'} hit", timeout=2, markup=False)
        else:
            self.notify(f"{where.capitalize()} document: {target.title}", timeout=3, markup=False)
        self._open_hit_document()

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def action_use_suggestion(self) -> None:
        if self.search_pane.use_suggestion():
            self._start_search(self.search_pane.input.value)

    # navigation

    def action_toggle_documents(self) -> None:
        switcher = self.query_one("#sidebar-switcher", ContentSwitcher)
        if self.narrow and self.has_class("-sidebar-open") and switcher.current == "documents":
            self.remove_class("-sidebar-open")
            self.reader.focus()
            return
        self._show_sidebar("documents", self.documents.options)

    # annotations

    def _annotations_changed(self, _version: int) -> None:
        if self.document is not None:
            self.anchors = self._anchor(self.document)
            self._show_annotations()
            self._show_note()

    def _show_annotations(self) -> None:
        reader = self.reader
        reader.set_highlights("annotations", [(a.start, a.end, COLOR_STYLES[a.annotation.color]) for a in self.anchors])
        reader.set_marks("notes", {a.start: "✎" for a in self.anchors if a.annotation.note})

    def annotation_at(self, offset: int) -> Anchored | None:
        """The innermost annotation covering `offset` (the latest made when several do)."""
        covering = [a for a in self.anchors if a.start <= offset < a.end]
        return min(covering, key=lambda a: (a.end - a.start, -a.annotation.created.timestamp())) if covering else None

    @on(Reader.CaretMoved)
    def _caret_moved(self, message: Reader.CaretMoved) -> None:
        if message.reader is self.reader:
            self._show_note()

    def _show_note(self) -> None:
        panel = self.query_one("#note-panel", Static)
        here = self.annotation_at(self.reader.caret) if self.document is not None else None
        if here is None or not (here.annotation.note or here.annotation.tags):
            panel.display = False
            return
        ann = here.annotation
        text = Text("✎ ", style="bold")
        text.append(ann.note or "(highlight)")
        if ann.tags:
            text.append("  " + " ".join(f"#{t}" for t in ann.tags), style="dim")
        panel.update(text)
        panel.display = True

    def _target_span(self) -> tuple[int, int] | None:
        """What `a`/`h`/`y` act on: the selection, else the current search hit, else None."""
        if self.document is None:
            return None
        selection = self.reader.selection
        if selection is not None:
            return selection
        cursor = self.hits
        if cursor is not None:
            hit = cursor.result.hits[cursor.doc]
            if hit.rel == self.document.rel and hit.spans:
                start, end = hit.spans[cursor.hit]
                if start <= self.reader.caret < max(end, start + 1):
                    return start, end
        return None

    def action_annotate(self) -> None:
        """Note the selection (or search hit, or sentence); on an annotation, edit it."""
        document = self.document
        if document is None:
            self.notify("Open a document first", timeout=2, markup=False)
            return
        span = self._target_span()
        existing = self.annotation_at(self.reader.caret) if span is None else None
        if existing is not None:
            ann = existing.annotation

            def edited(edit: AnnotationEdit | None) -> None:
                if edit is not None:
                    self.app.change_annotations(
                        lambda store: store.update(ann.edited(note=edit.note, tags=edit.tags, color=edit.color))
                    )

            self.app.push_screen(
                AnnotationEditor(ann.exact, AnnotationEdit(ann.note, ann.tags, ann.color), title="Edit note"), edited
            )
            return
        start, end = span if span is not None else self.reader.sentence_at(self.reader.caret)
        if end <= start:
            return

        def made(edit: AnnotationEdit | None) -> None:
            if edit is not None:
                self._create(document, start, end, edit)

        self.app.push_screen(AnnotationEditor(document.text[start:end]), made)

    def action_highlight(self) -> None:
        """Highlight the selection (or search hit, or sentence) in one key, no note."""
        document = self.document
        if document is None:
            self.notify("Open a document first", timeout=2, markup=False)
            return
        start, end = self._target_span() or self.reader.sentence_at(self.reader.caret)
        if end > start:
            self._create(document, start, end, AnnotationEdit("", (), DEFAULT_COLOR))

    def _create(self, document: Document, start: int, end: int, edit: AnnotationEdit) -> None:
        ann = Annotation.new(document, start, end, note=edit.note, tags=edit.tags, color=edit.color)
        self.reader.clear_selection()
        self.app.change_annotations(lambda store: store.add(ann))

    def _step_annotation(self, step: int) -> None:
        if not self.anchors:
            self.notify("No annotations in this document", timeout=2, markup=False)
            return
        caret = self.reader.caret
        starts = sorted({a.start for a in self.anchors})
        later = [s for s in starts if s > caret] if step > 0 else [s for s in starts if s < caret]
        if not later:
            target = starts[0] if step > 0 else starts[-1]
            self.notify(
                "Wrapped to the first note" if step > 0 else "Wrapped to the last note", timeout=2, markup=False
            )
        else:
            target = later[0] if step > 0 else later[-1]
        self.reader.move_caret(target)
        self.reader.scroll_to_offset(target, center=True)

    def action_next_annotation(self) -> None:
        self._step_annotation(1)

    def action_previous_annotation(self) -> None:
        self._step_annotation(-1)

    def action_annotations_panel(self) -> None:
        selection = None
        if self.document is not None and self.reader.selection is not None:
            selection = (self.document.rel, *self.reader.selection)

        def chosen(choice: PanelChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "jump":
                self.go_to_annotation(choice.annotation, choice.start)
            elif selection is not None and self.document is not None and self.document.rel == selection[0]:
                document = self.document
                ann = choice.annotation.reattached(
                    document.text, selection[1], selection[2], document.meta.content_hash
                )
                self.reader.clear_selection()
                self.app.change_annotations(lambda store: store.update(replace(ann, source=document.rel)))
                self.notify("Re-attached to the selection", timeout=3, markup=False)

        self.app.push_screen(AnnotationsScreen(selection), chosen)

    def action_copy(self) -> None:
        """Copy the selection, else the annotation under the caret (quote and note), else the hit."""
        document = self.document
        if document is None:
            return
        span = self._target_span()
        if span is not None:
            self.app.copy_to_clipboard(document.text[span[0] : span[1]])
            return
        here = self.annotation_at(self.reader.caret)
        if here is not None:
            ann = here.annotation
            text = f"“{document.text[here.start : here.end]}”"
            if ann.note:
                text += f"\n\n{ann.note}"
            self.app.copy_to_clipboard(text)
            return
        self.notify("Nothing to copy: select with v first", timeout=2, markup=False)

    def action_compare(self) -> None:
        """Compare the highlighted document (in the list) or the open one with a second."""
        options = self.documents.options
        if options.has_focus and options.highlighted_option is not None:
            rel = options.highlighted_option.id
        elif self.document is not None:
            rel = self.document.rel
        else:
            self.notify("Open or highlight a document to compare first", timeout=3, markup=False)
            return
        if any(i.rel == rel and i.problem for i in self.documents.items):
            self.notify("That file cannot be read", severity="warning", timeout=3, markup=False)
            return
        self.app.open_compare(rel)

    def action_back(self) -> None:
        """Escape: close the filter, leave the search, close the overlay, then clear hits."""
        focused = self.focused
        if self.documents.clear_filter():
            return
        switcher = self.query_one("#sidebar-switcher", ContentSwitcher)
        if switcher.current == "search" and (focused is None or self.search_pane in focused.ancestors_with_self):
            switcher.current = "documents"
            self._hide_sidebar_if_narrow()
            (self.reader if self.document else self.documents.options).focus()
            return
        if self.narrow and self.has_class("-sidebar-open") and self.document is not None:
            self.remove_class("-sidebar-open")
            self.reader.focus()
            return
        if self.hits is not None:
            self.hits = None
            self.reader.set_highlights("search", [], "reader--hit")
            self.status.hit = ""
