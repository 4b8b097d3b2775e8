"""The Folio app: a thin shell that pushes the main screen and holds shared state."""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import sys
import termios
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from folio_reader.index import locations
from folio_reader.index.annotations import AnnotationStore
from folio_reader.index.corpus import Corpus, inert_lines
from folio_reader.index.inert import inert_label
from folio_reader.index.session import IndexSession
from folio_reader.index.state import ReadingState
from folio_reader.tui import lifetime, terminal
from folio_reader.tui.annotation_keeper import RETRY_SECONDS, AnnotationKeeper
from folio_reader.tui.clipboard import clip, osc52, tmux_passthrough, write_raw
from folio_reader.tui.comparing import CompareRequest
from folio_reader.tui.key_gate import KeyGate
from folio_reader.tui.keymap import BindingRow, binding_rows, check_keymap, folio_bindings, key_label
from folio_reader.tui.library import Library
from folio_reader.tui.screens.help import HelpScreen
from folio_reader.tui.screens.main import MainScreen
from folio_reader.tui.settings import Settings
from folio_reader.tui.tasks import StopCheck, TaskFailed, run_blocking

if TYPE_CHECKING:
    from textual.app import AutopilotCallbackType

THEMES = ("textual-dark", "textual-light")


class FolioApp(App[int]):
    """The reader of one corpus. Holds what the screens share (the corpus, its `library`, the
    annotations' `keeper`, the reading state) and hands each screen what it needs."""

    TITLE = "Folio"
    #: bumped whenever the annotations change (loaded, added, edited, deleted): see AnnotationKeeper.watch
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
        store: AnnotationStore | None = None,
        retry_seconds: float = RETRY_SECONDS,
        settles_heap: bool = False,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        #: the long-lived objects left out of full garbage collections (`tui/heap.py`): the
        #: `folio` command's, not a test's
        self.settles_heap = settles_heap
        self.start_compare = start_compare
        self.reading_state = ReadingState.load(locations.state_path(Path(corpus.label), state_path))
        self.settings = Settings()
        if self.settings.get("theme") in self.available_themes:
            self.theme = self.settings.get("theme")
        self.text_cursor_blink = terminal.cursor_blink(self.settings.data)  #: off over SSH (issue 17)
        self.keymap: dict[str, str] = {}  #: the user's, as applied (see apply_keymap)
        self._clashes_said: set[frozenset[str]] = set()
        self.sub_title = corpus.label
        self.keeper = AnnotationKeeper(
            self,
            store or AnnotationStore.for_corpus(corpus, annotations_path),
            self._annotations_changed,
            retry_seconds,
        )
        self.library = Library(IndexSession(corpus, index_dir), self.keeper, lambda: self.annotations_version)
        self.keys = KeyGate(self, self._deliver_key)
        self._kept = False  #: what the app keeps at exit is kept (see `_keep`)
        self._keep_lock = threading.Lock()
        self._hung_up = False
        self._watch: lifetime.TerminalWatch | None = None  #: started with the signal handlers

    @property
    def store(self) -> AnnotationStore:
        return self.keeper.store

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.library, self.keeper, self.reading_state, self.open_compare)

    def on_mount(self) -> None:
        self._catch_signals()
        if self.settings.problem is not None:
            self.notify(self.settings.problem, severity="warning", timeout=15, markup=False)
        self.keeper.load()
        if self.settings.get("keymap") is not None:
            run_blocking(self, self._check_keymap, name="reading the keymap", group="keymap")
        if self.start_compare is not None:
            a_rel, b_rel = self.start_compare
            self.open_compare(CompareRequest(a_rel, b_rel))

    async def on_event(self, event: events.Event) -> None:
        """Keys read from the terminal go through the key gate (tui/key_gate.py)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.keys.route(event)
        else:
            await super().on_event(event)

    async def _deliver_key(self, event: events.Key) -> None:
        await super().on_event(event)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        terminal.apply_cursor_blink(event.widget, self.text_cursor_blink)

    def on_key(self, event: events.Key) -> None:
        self.keys.returned(event)  # (a key back from the focused widget: its binding runs now)

    def _annotations_changed(self) -> None:
        self.annotations_version += 1

    def on_task_failed(self, message: TaskFailed) -> None:
        """The one place where a failed background task is reported: never silently, never a traceback."""
        self.log.error(message.trace)
        self.notify(
            f"{message.name.capitalize()} failed: {type(message.error).__name__}: {message.error}",
            severity="error",
            timeout=10,
            markup=False,
        )

    # signals: Textual handles neither SIGTERM nor SIGHUP, and Python's default is to die on the
    # spot, losing the reading position and unsaved annotations and leaving the terminal raw

    def _catch_signals(self) -> None:
        """SIGTERM (`kill`, a shutdown) and SIGHUP (the terminal or the SSH connection gone) end
        the app as `q` does: `on_unmount` saves, the terminal is given back. A terminal gone
        without a SIGHUP reaching Folio ends it the same way (tui/lifetime.py `TerminalWatch`)."""
        if self.is_headless or threading.current_thread() is not threading.main_thread():
            return  # (under the pilot the test runner keeps its own handlers)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, self._on_signal, sig)
        self._watch = lifetime.TerminalWatch(partial(loop.call_soon_threadsafe, self._hang_up), self._stuck)
        self._watch.start()

    def _on_signal(self, sig: int) -> None:
        if sig == signal.SIGHUP and not _terminal_alive():
            self._hang_up()
        else:
            self.library.session.stop()
            self.exit(return_code=128 + sig)

    def _hang_up(self) -> None:
        """The terminal is gone: nothing can be drawn or read any more; end as on SIGHUP."""
        if self._hung_up:
            return
        self._hung_up = True
        if self._watch is not None:
            self._watch.alarm()
        _detach_from_terminal()
        self.library.session.stop()
        self.exit(return_code=128 + signal.SIGHUP)

    def _stuck(self) -> None:
        """From the terminal watch's thread: the terminal went `GRACE` seconds ago and the app
        has not ended (its UI thread is held). What it keeps at exit is kept from here, and the
        process ends."""
        self._keep()
        lifetime.end_now(128 + signal.SIGHUP)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
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
        if os.environ.get("TMUX"):
            write_raw(self, tmux_passthrough(osc52(text)))
        self.notify(
            "Copied, cut to the terminal's limit" if cut else "Copied to the clipboard", timeout=2, markup=False
        )

    def open_compare(self, request: CompareRequest) -> None:
        """Open a comparison; without document B, ask for it first (most similar first)."""
        from folio_reader.index.compare import shared_cache  # (Whoosh's stemmer: kept off the start path)
        from folio_reader.tui.screens.compare import CompareScreen
        from folio_reader.tui.screens.pick_document import PickDocumentScreen

        cache = shared_cache(locations.compare_cache_dir(Path(self.corpus.label)))
        a_rel = request.a_rel

        def chosen(b_rel: str | None) -> None:
            if b_rel is not None:
                self.push_screen(CompareScreen(self.corpus, cache, a_rel, b_rel, place=request.place))

        if request.b_rel is not None:
            chosen(request.b_rel)
        else:
            self.push_screen(PickDocumentScreen(self.corpus, a_rel, request.documents, request.similar), chosen)

    def watch_theme(self, theme: str) -> None:
        problem = self.settings.set("theme", theme)
        if problem is not None and problem != self.settings.problem:  # (a damaged file: said at start)
            self.notify(problem, severity="warning", markup=False)

    # keys: the user's keymap, help and the palette (tui/keymap.py)

    def _check_keymap(self, _should_stop: StopCheck) -> None:
        """Off the UI thread: checking every id imports every screen (the compare one too)."""
        keymap, problems = check_keymap(self.settings.get("keymap"), [b for _, b in folio_bindings()])
        self.call_from_thread(self.apply_keymap, keymap, problems)

    def apply_keymap(self, keymap: dict[str, str], problems: list[str]) -> None:
        self.keymap = keymap
        self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, severity="warning", timeout=15, markup=False)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """Textual found two bindings of one widget on one key (a keymap did it): said once."""
        ids = frozenset(b.id or b.action for b in clashed_bindings)
        if ids not in self._clashes_said:
            self._clashes_said.add(ids)
            keys = ", ".join(sorted({key_label(b.key) for b in clashed_bindings}))
            self.notify(f"keymap: {keys} is bound to {', '.join(sorted(ids))}", severity="warning", markup=False)

    def all_bindings(self, screen: Screen[Any]) -> list[tuple[DOMNode, Binding]]:
        """Every binding in reach on `screen` (the focused widget and its ancestors, the screen,
        the app), then those of its other widgets, for help and the palette."""
        found: list[tuple[DOMNode, Binding]] = []
        focused = screen.focused
        chain = list(focused.ancestors_with_self) if focused is not None else [screen, self]
        others = [w for w in screen.query("*") if w not in chain]  # panes not focused now
        for node in [*chain, *others]:
            if type(node).__module__.startswith("folio_reader.tui."):  # Folio's own, not Textual's internals
                found += [(node, b) for b in node.BINDINGS if isinstance(b, Binding) and b.description and b.id]
        return found

    def help_rows(self, screen: Screen[Any]) -> list[BindingRow]:
        """What help lists for `screen`: its bindings with their keys in effect, pane by pane."""
        rows = binding_rows([b for _, b in self.all_bindings(screen)], self.keymap)
        panes = list(dict.fromkeys(row.pane for row in rows))
        return sorted(rows, key=lambda row: panes.index(row.pane))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_rows(self.screen)))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Dark/light theme", "Switch between the dark and the light theme", self.action_toggle_theme)
        yield SystemCommand("Help", "Every key binding and the search syntax", self.action_help)
        seen: set[str] = set()
        for node, binding in self.all_bindings(screen):
            if binding.action in seen or binding.action in ("quit", "app.quit", "app.help", "help"):
                continue
            seen.add(binding.action)
            [row] = binding_rows([binding], self.keymap)
            yield SystemCommand(
                row.name,
                f"{row.pane} · {row.key_labels}: {row.does}",
                partial(self.run_action, binding.action, node),
            )

    def on_unmount(self) -> None:
        self._keep()

    def _keep(self) -> None:
        """At exit, once (from the UI thread, or the terminal watch's when that thread is held):
        the reading position saved, the annotations and drafts kept (`AnnotationKeeper.finish`)."""
        with self._keep_lock:
            if self._kept:
                return
            self._kept = True
            if self.reading_state.last:
                try:
                    self.reading_state.save()
                except OSError as exc:
                    print(f"folio: cannot save the reading position: {inert_label(str(exc))}", file=sys.stderr)
            self.keeper.finish()

    def run(
        self,
        *,
        headless: bool = False,
        inline: bool = False,
        inline_no_clear: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
        auto_pilot: AutopilotCallbackType | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> int | None:
        """`App.run`, and then a bounded way out (tui/lifetime.py `wind_down`): the index update
        and any other blocking work get `STOP_WAIT` seconds to stop, the index worker processes
        still running are killed. Returns; the `folio` command then ends the process at once
        (`lifetime.end_now`: `asyncio.run` and Python's exit would wait for every thread, a folder
        scan of 100,000 files included, and tear down what the app held). Ending the process here
        instead ended whatever ran the app, a test runner's `snap_compare` included (pytest
        stopped with status 0 in the middle of the suite)."""
        own = loop is None
        loop = asyncio.new_event_loop() if loop is None else loop
        try:
            result = super().run(
                headless=headless,
                inline=inline,
                inline_no_clear=inline_no_clear,
                mouse=mouse,
                size=size,
                auto_pilot=auto_pilot,
                loop=loop,
            )
        except BaseException:
            self.library.session.stop()
            lifetime.stop_workers()
            raise
        finally:
            if own:
                loop.close()  # (its executor's threads are not waited for)
        lifetime.wind_down(self.library.session.stop)
        return result


def _terminal_alive() -> bool:
    """False once the terminal Textual writes to (stderr) has hung up: its calls fail with EIO."""
    stderr = sys.__stderr__
    if stderr is None:
        return True
    try:
        termios.tcgetattr(stderr.fileno())
    except termios.error as exc:
        return bool(exc.args[0] != errno.EIO)  # (ENOTTY: not a terminal, nothing hung up)
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
    terminal.prepare()
    app.run()
    return app.return_code or 0
