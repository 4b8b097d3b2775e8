"""The app's annotations: loaded in the background, every change applied and saved off the UI
thread in the order it was made, a failed save kept and retried, and what is still pending at
exit saved, or else kept in a file the next start merges. Notes being written are kept in the
draft journal (`drafts`, tui/drafts.py) until the file holds them.

Screens never touch the store's file: they read `keeper.store` and hand changes to `change`.
Each change bumps the app's `annotations_version` (through `on_changed`), which screens watch
with `keeper.watch(self, callback)` (owned by the screen, so gone with it).
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.timer import Timer

from folio_reader.index.annotations import (
    AnnotationFileReadOnly,
    AnnotationFileRefused,
    AnnotationStore,
    AnnotationStoreError,
    encode,
)
from folio_reader.index.drafts import Draft, DraftJournal, journal_folder
from folio_reader.index.inert import inert_label
from folio_reader.tui.drafts import Drafts, store_draft
from folio_reader.tui.tasks import StopCheck, TaskFailed, run_blocking

#: Seconds between tries of a save that failed (a lock held elsewhere, a full or read-only disk).
RETRY_SECONDS = 10.0

Change = Callable[[AnnotationStore], object]


class AnnotationKeeper:
    """See the module docstring; `app` runs the workers and shows the warnings."""

    def __init__(
        self,
        app: App[Any],
        store: AnnotationStore,
        on_changed: Callable[[], None],
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.app = app
        self.store = store
        self.loaded = False  #: True once the file was read
        self._on_changed = on_changed
        self._retry_seconds = retry_seconds
        self._retry: Timer | None = None
        self._said_final = False  #: told once that this file will not take changes
        self._changes: list[Change] = []  #: not applied yet
        self._changes_lock = threading.Lock()
        self.drafts = Drafts(app, DraftJournal(journal_folder(store.path)))

    def watch(self, node: DOMNode, callback: Callable[[], None]) -> None:
        """Call `callback` after every change to the annotations, for as long as `node` lives
        (the watcher belongs to `node`: removed with it, never left on the app)."""
        node.watch(self.app, "annotations_version", callback, init=False)

    # loading

    def load(self) -> None:
        run_blocking(self.app, self._load, name="loading the annotations", group="annotations-load")

    def _load(self, _should_stop: StopCheck) -> None:
        try:
            loaded = self.store.load()  # (the warnings it returns are taken: not given again below)
        except AnnotationStoreError as exc:  # not Folio's file, unreadable: said as the store says it
            self.app.call_from_thread(self._loaded, self.store.take_warnings(), str(exc))
            return
        self.app.call_from_thread(self._loaded, [*loaded.warnings, *self.store.take_warnings()])

    def _loaded(self, warnings: list[str], error: str | None = None) -> None:
        self.loaded = True
        if error is not None:
            self.app.notify(error, severity="error", timeout=15, markup=False)
        for warning in warnings:
            self.app.notify(warning, severity="warning", timeout=10, markup=False)
        self._on_changed()
        self.drafts.take_over(self.commit)  # notes a Folio that ended left unstored

    # changes

    def change(self, change: Change) -> None:
        """Apply a change to the store and save it; a failed save keeps the change and retries.

        Changes wait in a queue until a worker applies them, so that one made just before the
        app ends (`h` then `q`, a signal) is applied by `finish` rather than lost with a worker
        that never ran."""
        with self._changes_lock:
            self._changes.append(change)
        run_blocking(self.app, self._apply, name="saving the annotations", group="annotations", exclusive=False)

    def commit(self, draft: Draft) -> None:
        """Store a note saved in the editor; its draft leaves the journal once the file holds it."""
        self.change(lambda store: store_draft(store, draft))

    def _apply(self, _should_stop: StopCheck) -> None:
        error, failures = self._apply_changes()
        for failure in failures:  # each reported by the one handler, with its traceback
            self.app.post_message(TaskFailed("saving the annotations", failure, _trace(failure)))
        self.app.call_from_thread(self._changed, error)

    def _apply_changes(self) -> tuple[AnnotationStoreError | None, list[Exception]]:
        """Apply the queued changes in order: the last save error (the change is kept, in memory,
        and retried), and the changes that raised anything else (a fault: the others still go)."""
        error: AnnotationStoreError | None = None
        failures: list[Exception] = []
        while True:
            with self._changes_lock:
                if not self._changes:
                    return error, failures
                change = self._changes.pop(0)
            try:
                change(self.store)
            except AnnotationStoreError as exc:
                error = exc
            except Exception as exc:
                failures.append(exc)

    def _changed(self, error: AnnotationStoreError | None) -> None:
        self._on_changed()
        if not self.store.pending:
            self.drafts.stored()
        for warning in self.store.take_warnings():
            self.app.notify(warning, severity="warning", timeout=10, markup=False)
        if error is None:
            return
        if isinstance(error, (AnnotationFileRefused, AnnotationFileReadOnly)):  # trying again cannot help
            if not self._said_final:
                self._said_final = True
                self.app.notify(
                    f"Not saved: {error} Your changes stay for this session and are put aside when Folio ends.",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
            return
        self.app.notify(
            f"Not saved yet, kept in memory and retried: {error}", severity="error", timeout=10, markup=False
        )
        if self._retry is None:
            self._retry = self.app.set_interval(self._retry_seconds, self._retry_save)

    def _retry_save(self) -> None:
        if not self.store.pending:
            if self._retry is not None:
                self._retry.stop()
                self._retry = None
            return
        self.change(lambda store: store.save())

    # the way out

    def finish(self) -> None:
        """At exit: apply what no worker got to, save what is pending, else keep it in a file.

        Nothing raised here may lose a change: any error (not only the store's own) ends in the
        rescue file, or, when even that cannot be written, on stderr as JSON."""
        _error, failures = self._apply_changes()  # the changes no worker got to
        for failure in failures:  # one that no longer applies must not keep the others out
            print(f"folio: a change to the annotations was not applied: {inert_label(repr(failure))}", file=sys.stderr)
        kept = True
        if self.store.pending:
            try:
                self.store.save()
            except Exception as exc:  # the app is gone: keep them, and say where
                where, kept = self._keep_unsaved()
                # (the messages name paths, which hold what a folder's name holds: shown inert)
                print(f"folio: annotations not saved: {inert_label(str(exc))}\nfolio: {where}", file=sys.stderr)
        self.drafts.finish(stored=kept)  # (notes still being typed stay, for the next start)

    def _keep_unsaved(self) -> tuple[str, bool]:
        """Unsaved annotations must outlive the app: in a file the next folio merges, else here.
        Says where, and whether they are in a file."""
        try:
            where = self.store.rescue()
        except Exception as exc:
            # JSON escapes C0 controls itself; DEL and C1 (which `ensure_ascii=False` passes) are
            # escaped here too, losslessly: the terminal gets data, never a control sequence
            text = encode(self.store.unsaved()).decode().translate(_C1_ESCAPES)
            return f"{inert_label(str(exc))} Here they are (W3C JSON), to keep by hand:\n{text}", False
        return f"they are kept in {inert_label(str(where))}; the next folio on this corpus saves them.", True


_C1_ESCAPES = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}


def _trace(exc: Exception) -> str:
    return "".join(traceback.format_exception(exc))
