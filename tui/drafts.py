"""Notes being written, kept in the draft journal (index/drafts.py) as they are typed.

The note editor is handed a `DraftHandle`: every change of its fields goes to the journal (on
disk half a second after the last key), `ctrl+s` writes it there marked saved *before* the
editor closes, and the draft leaves the journal only once the annotations file holds the note.
At the next start, drafts left by a Folio that ended without storing them are taken over:
saved ones are stored, the others offered back in the editor.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.app import App
from textual.timer import Timer

from folio_reader.index.annotations import Annotation, AnnotationStore
from folio_reader.index.corpus import Document
from folio_reader.index.drafts import Draft, DraftJournal, Kind
from folio_reader.tui.screens.annotation_editor import AnnotationEdit, AnnotationEditor
from folio_reader.tui.screens.confirm import ConfirmScreen
from folio_reader.tui.tasks import StopCheck, run_blocking

#: Seconds after the last key before a draft is written.
DEBOUNCE = 0.5
PREVIEW = 60

#: `commit(draft)`: store a saved draft (the keeper queues the change).
Commit = Callable[[Draft], None]


class DraftHandle:
    """One note in the editor, as the journal keeps it (the editor's `draft`)."""

    def __init__(self, drafts: Drafts, kind: Kind, annotation: Annotation) -> None:
        self._drafts = drafts
        self.draft = Draft(kind, annotation)

    def typed(self, edit: AnnotationEdit) -> None:
        self.draft = replace(self.draft, annotation=_with(self.draft.annotation, edit))
        self._drafts.typed(self.draft)

    def saved(self, edit: AnnotationEdit) -> Draft:
        """`ctrl+s`: in the journal, marked saved, when this returns."""
        self.draft = Draft(self.draft.kind, _with(self.draft.annotation, edit), saved=True)
        self._drafts.saved(self.draft)
        return self.draft

    def discarded(self) -> None:
        self._drafts.discarded(self.draft)


def _with(ann: Annotation, edit: AnnotationEdit) -> Annotation:
    return ann.edited(note=edit.note, tags=edit.tags, color=edit.color)


def store_draft(store: AnnotationStore, draft: Draft) -> None:
    """Store a saved draft: a new note added, an edit as the note's new version. One already
    stored (the journal and the file both had it) or deleted since is left as it is."""
    ann = draft.annotation
    if draft.kind == "new":
        with contextlib.suppress(ValueError):  # (its id is known: stored already, or deleted since)
            store.add(ann)
    elif store.get(ann.id) is not None:
        store.update(ann)


class Drafts:
    """The app's drafts: `new`/`edit` give the editor its handle (see the module docstring)."""

    def __init__(self, app: App[Any], journal: DraftJournal) -> None:
        self.app = app
        self.journal = journal
        self._timer: Timer | None = None
        self._warned = False

    def new(self, document: Document, start: int, end: int) -> DraftHandle:
        return DraftHandle(self, "new", Annotation.new(document, start, end))

    def edit(self, ann: Annotation) -> DraftHandle:
        return DraftHandle(self, "edit", ann)

    # the journal, as the editor changes

    def typed(self, draft: Draft) -> None:
        self.journal.put(draft)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(DEBOUNCE, self._write_later)

    def saved(self, draft: Draft) -> None:
        self.journal.put(draft)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._write()  # (here, before the editor closes: one small fsynced file)

    def discarded(self, draft: Draft) -> None:
        self.journal.remove(draft.id)
        self._write_later()

    def stored(self) -> None:
        """The annotations file holds every saved draft: they leave the journal."""
        saved = [d for d in self.journal.drafts() if d.saved]
        for draft in saved:
            self.journal.remove(draft.id)
        if saved:
            self._write_later()

    def _write_later(self) -> None:
        self._timer = None
        run_blocking(self.app, lambda _stop: self._write(), name="keeping the draft", group="drafts", exclusive=False)

    def _write(self) -> None:
        try:
            self.journal.write()
        except OSError as exc:
            if not self._warned:
                self._warned = True
                self.app.notify(
                    f"Notes being written cannot be kept on disk ({exc}): a crash would lose them",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )

    def finish(self, stored: bool) -> None:
        """At exit: saved drafts leave when the store holds them (`stored`); the rest stays for
        the next start."""
        if stored:
            for draft in self.journal.drafts():
                if draft.saved:
                    self.journal.remove(draft.id)
        with contextlib.suppress(OSError):  # (nowhere to say it: the app is gone)
            self.journal.close()

    # the next start

    def take_over(self, commit: Commit) -> None:
        """Drafts a Folio left behind: saved ones stored (`commit`), the others offered back."""

        def work(_should_stop: StopCheck) -> None:
            found = self.journal.claim_left_behind()
            if found:
                self.app.call_from_thread(self._found, found, commit)

        run_blocking(self.app, work, name="looking for unfinished notes", group="drafts-start")

    def _found(self, found: list[Draft], commit: Commit) -> None:
        for draft in found:
            if draft.saved:
                commit(draft)
        unfinished = [d for d in found if not d.saved]
        if unfinished:
            self._offer(unfinished, commit)

    def _offer(self, drafts: list[Draft], commit: Commit) -> None:
        draft, rest = drafts[0], drafts[1:]
        ann = draft.annotation
        note = " ".join(ann.note.split())
        quote = " ".join(ann.exact.split())
        question = (
            f"A note you were writing when Folio last ended was kept: “{_short(note) or '(no text yet)'}” "
            f"on “{_short(quote)}” ({ann.source}). Open it again? (escape: not now)"
        )

        def answered(reopen: bool | None) -> None:
            if reopen:
                self._reopen(draft, commit, lambda: self._offer(rest, commit) if rest else None)
                return
            if reopen is False:  # (escape: kept, and offered again at the next start)
                self.journal.remove(draft.id)
                self._write_later()
            if rest:
                self._offer(rest, commit)

        self.app.push_screen(ConfirmScreen(question, yes="Open it", no="Discard it", danger=False), answered)

    def _reopen(self, draft: Draft, commit: Commit, then: Callable[[], None]) -> None:
        handle = DraftHandle(self, draft.kind, draft.annotation)
        ann = draft.annotation
        edit = AnnotationEdit(ann.note, ann.tags, ann.color)

        def done(result: AnnotationEdit | None) -> None:
            if result is not None:
                commit(handle.draft)
            then()

        title = "Unfinished note" if draft.kind == "new" else "Unfinished edit"
        self.app.push_screen(AnnotationEditor(ann.exact, edit, title=title, draft=handle), done)


def _short(text: str) -> str:
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"
