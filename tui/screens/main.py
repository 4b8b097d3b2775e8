"""The main screen: document list or search results beside the reading pane.

The screen arranges the panes and turns keys and messages into requests: the `Library` opens the
index, searches and loads documents off the UI thread and answers with messages; the
`AnnotationActions` handle the annotation keys; a `HitCursor` says where `n`/`N` are. A stale
search never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input

from folio_reader.index.annotations import Anchored, Annotation, Status
from folio_reader.index.corpus import Document
from folio_reader.index.inert import inert_label
from folio_reader.index.listing import readable_paths
from folio_reader.index.state import ReadingState
from folio_reader.tui import heap
from folio_reader.tui.annotation_keeper import AnnotationKeeper
from folio_reader.tui.comparing import CompareRequest, Place
from folio_reader.tui.hit_cursor import HitCursor
from folio_reader.tui.keymap import key_label, split_keys
from folio_reader.tui.layout.outline import resolve
from folio_reader.tui.library import Library, Request
from folio_reader.tui.screens.annotation_actions import AnnotationActions
from folio_reader.tui.screens.hit_actions import HitActions
from folio_reader.tui.screens.main_keys import MAIN_BINDINGS
from folio_reader.tui.screens.places import Places
from folio_reader.tui.widgets.document_list import DocumentList
from folio_reader.tui.widgets.note_panel import NotePanel
from folio_reader.tui.widgets.reader import Reader
from folio_reader.tui.widgets.reader_frame import ReaderFrame
from folio_reader.tui.widgets.search_pane import SearchPane
from folio_reader.tui.widgets.sidebar import Sidebar
from folio_reader.tui.widgets.status_bar import StatusBar
from folio_reader.tui.wording import counted

if TYPE_CHECKING:  # Whoosh is imported by the index worker, off the path to the first frame
    from folio_reader.index.search import FolioIndex


#: The status bar while a selection is being made (`v`).
SELECTING = "SELECTING: move to extend · a note · y copy · v/esc end"


class MainScreen(Screen[None]):
    BINDINGS = MAIN_BINDINGS

    def __init__(
        self,
        library: Library,
        keeper: AnnotationKeeper,
        reading: ReadingState,
        compare: Callable[[CompareRequest], None],
    ) -> None:
        super().__init__()
        self.library, self.keeper, self.reading = library, keeper, reading
        self._compare = compare
        self.document: Document | None = None
        self._pending_annotation: str | None = None  #: land on it once its document is open
        self._restored = False
        self._restoring: str | None = None  #: the document read last, opening at start
        self._index_opened = False  #: the index worker started (after the first list is drawn)

    # layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield Sidebar(self.library, id="sidebar")
            with Vertical(id="reading"):
                with ReaderFrame(id="reader-frame"):  # the reader's blank margin outside it
                    yield Reader(id="reader")
                yield NotePanel(id="note-panel")
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
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def narrow(self) -> bool:
        """The sidebar is an overlay (a terminal under NARROW columns)."""
        return self.sidebar.overlay

    @property
    def index(self) -> FolioIndex | None:
        """The open search index, or None (read by the compare picker to rank documents)."""
        return self.library.index

    @property
    def anchors(self) -> list[Anchored]:
        """The open document's annotations, where they are now."""
        return self.annotations.anchors

    @property
    def hits(self) -> HitCursor | None:
        """Where `n`/`N` are in the chosen search result (None before one is chosen)."""
        return self.hit_actions.cursor

    def annotation_at(self, offset: int) -> Anchored | None:
        return self.annotations.at(offset)

    def on_mount(self) -> None:
        self.watch(self.reader, "context", lambda context: setattr(self.status, "context", context))
        self.annotations = AnnotationActions(
            self.app, self.keeper, self.library.corpus, self.reader, self.query_one(NotePanel)
        )
        self.hit_actions = HitActions(
            self.app, self.reader, self.status, lambda rel, spans: self.open_document(rel, spans=spans), self._to_reader
        )
        self.places = Places(
            self.app, self.reader, self.reading, lambda rel, caret: self.open_document(rel, caret=caret)
        )
        self.keeper.watch(self, self._annotations_changed)
        self.watch(self.reader, "full_width", self._full_width_changed, init=False)
        self.status.activity = "opening the index…"
        self._apply_width(self.app.size.width)
        self.documents.focus_list()
        # the list as the index last saw it, at once; the index worker brings it up to date,
        # started once that list is drawn (its imports and its scan of the folder would take
        # the interpreter from the first frame: tests/bench/bench_startup.py)
        items = self.library.cached_items()
        if items:
            self.post_message(Library.Listed(items))
        else:
            self._open_index()

    def _open_index(self) -> None:
        if not self._index_opened:
            self._index_opened = True
            self.library.open(self)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.sidebar.fit(width, reading=self.document is not None)

    def _to_reader(self) -> None:
        """The reading pane to the front (the overlay closed), focused."""
        self.sidebar.close_overlay()
        self.reader.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` is typed in a text box: the footer must not offer it there as Search (Textual
        does not know `slash` types a character, so it would); a keymap's ctrl+f still works."""
        if action == "search" and isinstance(self.focused, Input):
            keys = split_keys(getattr(self.app, "keymap", {}).get("main.search", "slash"))
            return not all(len(key_label(k)) == 1 for k in keys)
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Focus never rests on a hidden pane (a filter closed in a hidden list, say): it goes to
        the reader, or, with nothing open, the list is shown."""
        if not self.sidebar.shown and self.sidebar in event.widget.ancestors:
            if self.document is not None:
                self.reader.focus()
            else:
                self.sidebar.show("documents", self.documents.options)

    # the index

    @on(Library.Listed)
    def _listed(self, message: Library.Listed) -> None:
        self.documents.set_items(message.items)
        self._settle_heap()
        if not self._index_opened:
            self.call_after_refresh(self._open_index)
        if not self._restored:
            self._restored = True
            readable = readable_paths(message.items)
            first = self.places.first_document(readable, self.library.corpus.only)
            if first is not None:
                self._restoring = first
                self.open_document(first)

    @on(Library.Progress)
    def _index_progress(self, message: Library.Progress) -> None:
        self.status.activity = (
            f"indexing {message.done:,}/{message.total:,}" if message.total else "rebuilding the index…"
        )

    @on(Library.Indexed)
    def _indexed(self, message: Library.Indexed) -> None:
        report = message.report
        self.status.activity = ""
        for text in message.messages:
            self.notify(text, severity="warning", timeout=8, markup=False)
        if report.indexed or report.deleted:
            self.notify(
                f"Index updated: {report.added:,} added, {report.updated:,} updated, {report.deleted:,} removed"
                f" in {report.seconds:.1f} s",
                timeout=3,
                markup=False,
            )
        self.sidebar.search_again()  # (results found while indexing)
        self._settle_heap()

    def _settle_heap(self) -> None:
        """The list drawn, the index open: what they hold leaves full garbage collections (a
        full one took 0.2-0.6 s of the UI thread at 5,000-50,000 documents: `tui/heap.py`)."""
        if getattr(self.app, "settles_heap", False):
            heap.settle()

    # documents

    def open_document(
        self,
        rel: str,
        *,
        offset: int | None = None,
        spans: list[tuple[int, int]] | None = None,
        caret: int | None = None,
    ) -> None:
        self.places.remember()
        self.status.document = f"opening {rel}…"
        self.library.load(self, Request(rel, offset, spans, caret, left_at=self.reading.position(rel, "")))

    @on(Library.LoadFailed)
    def _load_failed(self, message: Library.LoadFailed) -> None:
        self.status.document = ""
        reason = message.reason  # (some reasons name the file already)
        text = reason if reason.startswith(f"{message.rel}: ") else f"{message.rel}: {reason}"
        self.notify(text, severity="error", markup=False)

    @on(Library.Loaded)
    def _loaded(self, message: Library.Loaded) -> None:
        document, request = message.document, message.request
        self.document = document
        reader = self.reader
        reader.load(document)
        self.annotations.show(message.anchors)
        moved = sum(1 for a in message.anchors if a.status is Status.MOVED)
        if moved:  # (the file was edited, or an extractor upgrade changed its text)
            self.notify(
                f"{counted(moved, 'annotation')} re-anchored: the document's text changed", timeout=4, markup=False
            )
        self.documents.mark_open(document.rel)
        self.status.document = document.meta.title
        self.search_pane.document_opened(document.rel, document.meta.title)
        if not self.hit_actions.loaded(document, request.spans):
            self.places.show_where_left(document, request.offset, request.caret)
        pending = self._pending_annotation
        if pending is not None:
            self._pending_annotation = None
            found = self.annotations.find(pending)
            if found is not None and found.start is not None:
                reader.move_caret(found.start)
                reader.scroll_to_offset(found.start, center=True)
        self.places.remember()
        self.places.save()
        restored, self._restoring = request.rel == self._restoring, None
        if not (restored and isinstance(self.focused, Input)):  # (typing in a box: it opens behind)
            self._to_reader()
        self.annotations.show_note()
        self.call_after_refresh(message.shown.set)

    @on(Library.Completed)
    def _completed(self, message: Library.Completed) -> None:
        """The rest of a long document: the reader takes it where it is (its text is the same)."""
        if self.document is not message.opening:
            return  # (another document was opened meanwhile)
        self.document = document = message.document
        reader = self.reader
        top, caret, at_end = reader.top_offset, reader.caret, reader.at_end
        reader.load(document, offset=top)  # (the reader has no call that keeps its highlights)
        if at_end:  # `G` in the opening meant the end of the document
            reader.action_end()
        else:
            reader.move_caret(caret, reveal=False)
        self.annotations.show(self.annotations.anchors)
        self.hit_actions.redraw(message.request.spans)  # (not `loaded`: that goes back to the hit)

    @on(DocumentList.Opened)
    def _opened(self, message: DocumentList.Opened) -> None:
        self.open_document(message.rel)

    @on(Reader.LinkFollowed)
    def _link_followed(self, message: Reader.LinkFollowed) -> None:
        """A link to another document of the corpus opens it (issue 12; the reader never opens
        external links)."""
        known = readable_paths(self.documents.items)  # (from the columns: no row made each)
        rel = resolve(self.document.rel, message.path, known) if self.document is not None else None
        if rel is None:
            self.notify(f"Not a document of this corpus: {inert_label(message.path)}", severity="warning", markup=False)
        else:
            self.open_document(rel)

    @on(Reader.Scrolled)
    def _scrolled(self, message: Reader.Scrolled) -> None:
        self.status.position = f"{message.percent:.0f}%"
        self.places.remember()

    # search

    def action_search(self) -> None:
        self.sidebar.show("search", self.search_pane.input)

    @on(SearchPane.HitChosen)
    def _hit_chosen(self, message: SearchPane.HitChosen) -> None:
        result = self.search_pane.result
        if result is None or not result.hits:
            return
        self.places.jumping()
        self.hit_actions.choose(result, message.index, self.document)

    @on(SearchPane.AnnotationChosen)
    def _annotation_chosen(self, message: SearchPane.AnnotationChosen) -> None:
        self.go_to_annotation(message.annotation)

    def go_to_annotation(self, ann: Annotation, start: int | None = None) -> None:
        """Open the annotation's document with the caret on the annotation (where it is now)."""
        self.places.jumping()
        if self.document is not None and self.document.rel == ann.source:
            found = self.annotations.find(ann.id)
            target = found.start if found is not None else None
            if target is None:
                target = start if start is not None else ann.start
            self.reader.move_caret(target)
            self.reader.scroll_to_offset(target, center=True)
            self._to_reader()
            self.annotations.show_note()
        else:
            self._pending_annotation = ann.id
            self.open_document(ann.source, offset=start if start is not None else ann.start)

    def action_next_hit(self) -> None:
        self.places.jumping()
        self.hit_actions.step(1, self.document)

    def action_previous_hit(self) -> None:
        self.places.jumping()
        self.hit_actions.step(-1, self.document)

    def action_word(self, step: int) -> None:
        """`*` / `#`: the word under the caret through the open document."""
        self.places.jumping()
        self.hit_actions.word(step)

    def action_mark(self) -> None:
        self.places.ask_mark()

    def action_go_to_mark(self) -> None:
        self.places.ask_go()

    def action_jump_back(self) -> None:
        self.places.back()

    # what the reader does, said

    @on(Reader.SelectionChanged)
    def _selection_changed(self, message: Reader.SelectionChanged) -> None:
        if message.reader is self.reader:
            self.status.mode = SELECTING if self.reader.selecting else ""

    def _full_width_changed(self, full: bool) -> None:
        """`f`: said, and when the pane is narrower than the measure, that nothing changes."""
        measure = self.reader.measure
        if self.reader.content_size.width <= measure:
            text = f"The pane is narrower than the {measure}-column measure: the text fills it either way"
        else:
            text = "Full width" if full else f"The {measure}-column measure"
        self.notify(text, timeout=3, markup=False)

    def action_use_suggestion(self) -> None:
        self.sidebar.use_suggestion()

    # navigation

    def action_toggle_documents(self) -> None:
        """`d`: the list shown and focused; on the list, hidden again (the reader full width)."""
        sidebar = self.sidebar
        on_list = sidebar.shown and sidebar.pane == "documents" and self.documents.options.has_focus
        if on_list and (self.narrow or self.document is not None):
            sidebar.hide()
            self.reader.focus()
            return
        sidebar.show("documents", self.documents.options)

    def action_widen_sidebar(self, step: int) -> None:
        """`>` / `<`: the sidebar takes a larger or smaller share of a wide terminal."""
        if self.narrow:
            self.notify("The list is an overlay at this width: widen the terminal to resize it", timeout=3)
            return
        if not self.sidebar.shown:
            self.sidebar.show(self.sidebar.pane, self.documents.options)
        if not self.sidebar.widen(step):
            self.notify("The list is as " + ("wide" if step > 0 else "narrow") + " as it goes", timeout=2)

    # annotations

    def _annotations_changed(self) -> None:
        if self.document is not None:
            self.annotations.show(self.library.anchor(self.document))

    @on(Reader.CaretMoved)
    def _caret_moved(self, message: Reader.CaretMoved) -> None:
        if message.reader is self.reader:
            self.annotations.show_note()
            self.places.remember()

    def action_annotate(self) -> None:
        self.annotations.annotate(self.document, self.hits)

    def action_highlight(self) -> None:
        self.annotations.highlight(self.document, self.hits)

    def action_next_annotation(self) -> None:
        self.annotations.step(1)

    def action_previous_annotation(self) -> None:
        self.annotations.step(-1)

    def action_annotations_panel(self) -> None:
        self.annotations.open_panel(self.document, self.go_to_annotation)

    def action_copy(self) -> None:
        self.annotations.copy(self.document, self.hits)

    def action_compare(self) -> None:
        """Compare the highlighted document (in the list) or the open one with a second."""
        options = self.documents.options
        highlighted = options.highlighted_option
        if options.has_focus and highlighted is not None and highlighted.id is not None:
            rel = highlighted.id
        elif self.document is not None:
            rel = self.document.rel
        else:
            self.notify("Open or highlight a document to compare first", timeout=3, markup=False)
            return
        if any(i.rel == rel and i.problem for i in self.documents.items):
            self.notify("That file cannot be read", severity="warning", timeout=3, markup=False)
            return
        similar = self.index.more_like if self.index is not None else None
        place = None  # where it is being read, if it is the open document; else its top
        if self.document is not None and rel == self.document.rel:
            place = Place(self.reader.caret, self.reader.top_offset)
        self._compare(CompareRequest(rel, documents=self.documents.items, similar=similar, place=place))

    def action_back(self) -> None:
        """Escape: close the filter, leave the search, close the overlay, then clear hits."""
        focused = self.focused
        if self.documents.clear_filter():
            return
        sidebar = self.sidebar
        in_sidebar = focused is not None and sidebar in focused.ancestors
        if sidebar.pane == "search" and (focused is None or self.search_pane in focused.ancestors_with_self):
            sidebar.switcher.current = "documents"
            sidebar.close_overlay()
            (self.reader if self.document else self.documents.options).focus()
            return
        if self.document is not None and (in_sidebar or (self.narrow and sidebar.shown)):
            self._to_reader()  # (beside the reader, the list stays; focus goes back to reading)
            return
        self.hit_actions.clear()
