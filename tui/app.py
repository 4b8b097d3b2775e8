"""The Folio app: a thin shell that pushes the main screen and holds shared state."""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import sys
import termios
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from folio_reader.index import locations
from folio_reader.index.annotations import AnnotationStore, AnnotationStoreError, encode
from folio_reader.index.corpus import Corpus, inert_lines
from folio_reader.index.state import ReadingState, read_json, write_json_atomic
from folio_reader.tui.clipboard import clip, osc52, tmux_passthrough
from folio_reader.tui.screens.help import HelpScreen
from folio_reader.tui.screens.main import MainScreen

THEMES = ("textual-dark", "textual-light")
RETRY_SECONDS = 10.0


class FolioApp(App[int]):
    TITLE = "Folio"
    #: bumped whenever the annotations change (loaded, added, edited, deleted): screens watch it
    annotations_version: reactive[int] = reactive(0, init=False)
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, id="app.force_quit")]

    def __init__(
        self,
        corpus: Corpus,
        *,
        index_dir: Path | None = None,
        annotations_path: Path | None = None,
        state_path: Path | None = None,
        start_compare: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.start_compare = start_compare
        self.index_dir = index_dir
        self.annotations_path = annotations_path
        self.reading_state = ReadingState.load(locations.state_path(Path(corpus.label), state_path))
        self.settings_path = locations.settings_path()
        settings = read_json(self.settings_path)
        if settings.get("theme") in self.available_themes:
            self.theme = settings["theme"]
        self.sub_title = corpus.label
        self.store = AnnotationStore.for_corpus(corpus, annotations_path)
        self.store_loaded = False
        self._retry: Timer | None = None
        self._changes: list[Callable[[AnnotationStore], object]] = []  #: not applied yet
        self._changes_lock = threading.Lock()

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def on_mount(self) -> None:
        self._catch_signals()
        self.load_annotations()
        if self.start_compare is not None:
            self.open_compare(*self.start_compare)

    # signals: Textual handles neither SIGTERM nor SIGHUP, and Python's default is to die on the
    # spot, losing the reading position and unsaved annotations and leaving the terminal raw

    def _catch_signals(self) -> None:
        """SIGTERM (`kill`, a shutdown) and SIGHUP (the terminal or the SSH connection gone) end
        the app as `q` does: `on_unmount` saves, the terminal is given back."""
        if self.is_headless or threading.current_thread() is not threading.main_thread():
            return  # (under the pilot the test runner keeps its own handlers)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, self._on_signal, sig)

    def _on_signal(self, sig: int) -> None:
        if sig == signal.SIGHUP and not _terminal_alive():
            _detach_from_terminal()
        self.exit(return_code=128 + sig)

    # annotations: every change goes through here, off the UI thread (a save may wait on a lock)

    @work(thread=True, exclusive=True, group="annotations-load", exit_on_error=False)
    def load_annotations(self) -> None:
        loaded = self.store.load()
        self.call_from_thread(self._annotations_loaded, list(loaded.warnings) + self.store.take_warnings())

    def _annotations_loaded(self, warnings: list[str]) -> None:
        self.store_loaded = True
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        self.annotations_version += 1

    def change_annotations(self, change: Callable[[AnnotationStore], object]) -> None:
        """Apply a change to the store and save it; a failed save keeps the change and retries.

        Changes wait in a queue until a worker applies them, so that one made just before the
        app ends (`h` then `q`, a signal) is applied by `on_unmount` rather than lost with a
        worker that never ran."""
        with self._changes_lock:
            self._changes.append(change)
        self._change_annotations()

    @work(thread=True, group="annotations", exit_on_error=False)
    def _change_annotations(self) -> None:
        error = self._apply_changes()
        self.call_from_thread(self._annotations_changed, error)

    def _apply_changes(self) -> str | None:
        """Apply the queued changes in order; the last save error, if any."""
        error = None
        while True:
            with self._changes_lock:
                if not self._changes:
                    return error
                change = self._changes.pop(0)
            try:
                change(self.store)
            except AnnotationStoreError as exc:
                error = str(exc)

    def _annotations_changed(self, error: str | None) -> None:
        self.annotations_version += 1
        for warning in self.store.take_warnings():
            self.notify(warning, severity="warning", timeout=10, markup=False)
        if error is None:
            return
        self.notify(f"Not saved yet, kept in memory and retried: {error}", severity="error", timeout=10, markup=False)
        if self._retry is None:
            self._retry = self.set_interval(RETRY_SECONDS, self._retry_save)

    def _retry_save(self) -> None:
        if not self.store.pending:
            if self._retry is not None:
                self._retry.stop()
                self._retry = None
            return
        self.change_annotations(lambda store: store.save())

    def notify(
        self, message: str, *, title: str = "", severity="information", timeout=None, markup: bool = True
    ) -> None:
        """Every notification of every screen comes here: the ones quoting a file name, a query or
        a note have their control characters made visible (a name can hold ESC)."""
        if not markup:
            message, title = inert_lines(message), inert_lines(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 (works over SSH); inside tmux also wrapped for passthrough."""
        text, cut = clip(text)
        super().copy_to_clipboard(text)
        if os.environ.get("TMUX") and self._driver is not None:  # Textual has no public raw write
            self._driver.write(tmux_passthrough(osc52(text)))
        self.notify(
            "Copied, cut to the terminal's limit" if cut else "Copied to the clipboard", timeout=2, markup=False
        )

    def open_compare(self, a_rel: str, b_rel: str | None = None) -> None:
        """Compare two documents; without the second, ask for it (most similar first)."""
        from folio_reader.tui.screens.compare import CompareScreen
        from folio_reader.tui.screens.pick_document import PickDocumentScreen

        if b_rel is not None:
            self.push_screen(CompareScreen(a_rel, b_rel))
            return

        def chosen(b: str | None) -> None:
            if b is not None:
                self.push_screen(CompareScreen(a_rel, b))

        self.push_screen(PickDocumentScreen(a_rel), chosen)

    def watch_theme(self, theme: str) -> None:
        settings = read_json(self.settings_path)
        if settings.get("theme") != theme:
            settings["theme"] = theme
            self._write_quietly(self.settings_path, settings)

    def save_state(self) -> None:
        try:
            self.reading_state.save()
        except OSError as exc:
            self.notify(f"Cannot save the reading position: {exc}", severity="warning", markup=False)

    def _write_quietly(self, path: Path, data: dict) -> None:
        try:
            write_json_atomic(path, data)
        except OSError as exc:
            self.notify(f"Cannot save settings: {exc}", severity="warning", markup=False)

    def all_bindings(self, screen: Screen) -> list[tuple[DOMNode, Binding]]:
        """Every binding in reach on `screen` (the focused widget and its ancestors, the screen,
        the app), then those of its other widgets, for help and the palette."""
        found: list[tuple[DOMNode, Binding]] = []
        focused = screen.focused
        chain = list(focused.ancestors_with_self) if focused is not None else [screen, self]
        others = [w for w in screen.query("*") if w not in chain]  # panes not focused now
        for node in [*chain, *others]:
            if type(node).__module__.startswith("folio_reader.tui."):  # Folio's own, not Textual's internals
                found += [(node, b) for b in node.BINDINGS if isinstance(b, Binding) and b.description]
        return found

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            rows = [(type(node).__name__, binding) for node, binding in self.all_bindings(self.screen)]
            self.push_screen(HelpScreen(rows))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Dark/light theme", "Switch between the dark and the light theme", self.action_toggle_theme)
        yield SystemCommand("Help", "Every key binding and the search syntax", self.action_help)
        seen: set[str] = set()
        for node, binding in self.all_bindings(screen):
            if binding.action in seen or binding.action in ("quit", "app.quit", "app.help", "help"):
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{type(node).__name__}: press {key}",
                partial(self.run_action, binding.action, node),
            )

    def on_unmount(self) -> None:
        if self.reading_state.last:
            self.save_state()
        while True:  # the changes no worker got to (a failed save leaves them pending)
            try:
                self._apply_changes()
                break
            except Exception as exc:  # one that no longer applies must not keep the others out
                print(f"folio: a change to the annotations was not applied: {exc!r}", file=sys.stderr)
        if self.store.pending:
            try:
                self.store.save()
            except AnnotationStoreError as exc:  # the app is gone: keep them, and say where
                print(f"folio: annotations not saved: {exc}\nfolio: {self._keep_unsaved()}", file=sys.stderr)

    def _keep_unsaved(self) -> str:
        """Unsaved annotations must outlive the app: in a file the next folio merges, else here."""
        try:
            where = self.store.rescue()
        except AnnotationStoreError as exc:
            return f"{exc} Here they are (W3C JSON), to keep by hand:\n{encode(self.store.unsaved()).decode()}"
        return f"they are kept in {where}; the next folio on this corpus saves them."


def _terminal_alive() -> bool:
    """False once the terminal Textual writes to (stderr) has hung up: its calls fail with EIO."""
    try:
        termios.tcgetattr(sys.__stderr__.fileno())
    except termios.error as exc:
        return exc.args[0] != errno.EIO  # (ENOTTY: not a terminal, nothing hung up)
    except (OSError, ValueError, AttributeError):
        return True
    return True


def _detach_from_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null: writing to a hung-up terminal fails (EIO),
    and Textual's shutdown failed on it (exit status 1, the rest of the way out cut short)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def run_compare(corpus: Corpus, a_rel: str, b_rel: str) -> int:
    """`folio compare A B` in a terminal: the app opened straight on the compare screen."""
    app = FolioApp(corpus, start_compare=(a_rel, b_rel))
    app.run()
    return app.return_code or 0
