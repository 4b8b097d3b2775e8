"""Keys that arrive before the key in front of them has moved the focus (tui/key_gate.py).

Issue 15 item 2: on 100,000 files, `q` was not acted on in one of three runs: `escape` in the
search box then `q` 0.3 s later, and the app went on. Logged key by key: the UI thread took
0.2 s to act on `escape` (it leaves the search for the list), and `q` came in meanwhile, so it
went to the widget focused when it was read, the search box, and was typed there.

The same fault on every key that opens a prompt or a dialog which reads the next key: `m` or `'`
and the letter in one read (tmux `send-keys "mc"`, a paste, an SSH burst) lost the letter, and
the prompt stayed open for the key after. `burst` posts the keys all at once, as a terminal read
hands them over (the pilot's `press` waits for the app to be idle after each key: never a burst).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser  # (the parser of the terminal's bytes: no public name)
from textual.command import CommandInput, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.annotation_editor import AnnotationEditor
from folio_reader.tui.screens.annotations import AnnotationsScreen
from folio_reader.tui.screens.key_prompt import KeyPrompt
from folio_reader.tui.screens.main import MainScreen
from folio_reader.tui.screens.outline import OutlineScreen
from folio_reader.tui.screens.places import Place
from tests.helpers import make_app, settle, type_query

#: Keys by name with the character each types (`burst`).
CHARACTERS = {
    "apostrophe": "'",
    "question_mark": "?",
    "escape": "\x1b",
    "ctrl+p": None,
    "enter": "\r",  # (not "enter": a box typed that)
    "tab": "\t",
    "shift+tab": None,
}


def burst(app: FolioApp, *keys: str) -> None:
    """The keys in one read from the terminal: all in the app's queue before it acts on the first."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key)))


def burst_bytes(app: FolioApp, data: str) -> None:
    """`data` in one read from the terminal, through the parser Textual reads the terminal with:
    `escape` and `t` typed fast arrive as ESC t, which the parser makes one key, alt+t."""
    parser = XTermParser()
    for token in [*parser.feed(data), *parser.feed("")]:  # (the end: what the parser's timeout does)
        app.post_message(token)


def record_quits(app: FolioApp, quits: list[int | None]) -> None:
    """The app's exits are recorded in `quits`, not done (so the test can go on after a `q`)."""
    app.exit = lambda *args, return_code=0, **kwargs: quits.append(return_code)  # type: ignore[method-assign]


async def until(pilot: Pilot[Any], done: Callable[[], object]) -> None:
    """Wait (5 s at most: a held key goes once the focus has landed) for `done()`, the keys all
    handed on."""
    for _ in range(100):
        await pilot.pause(0.05)  # (first: the burst is still in the queue)
        if done() and not pilot.app.keys.holding:
            return
    raise AssertionError("not done in 5 s")


async def test_q_right_after_escape_in_the_search_box_quits() -> None:
    app = make_app()
    quits: list[int | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused is screen.search_pane.input
        record_quits(app, quits)
        burst(app, "escape", "q")  # the two in one read, as a busy UI thread gets them
        await until(pilot, lambda: quits)
        assert screen.search_pane.input.value == ""  # not typed into the box escape left
        assert quits == [0] and not app.keys.holding


async def test_a_mark_and_its_letter_in_one_burst(tmp_path: Path) -> None:
    """`mc` set mark c (it left the prompt open: the c went to the reader), `'c` goes back to it."""
    path = tmp_path / "marks.txt"
    path.write_text("First paragraph.\n\nSecond paragraph.\n\nThird paragraph, the last.\n")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        text = screen.document.text
        here = text.index("Second")
        screen.reader.move_caret(here)
        burst(app, "m", "c")
        await until(pilot, lambda: "c" in screen.places.marks)
        assert not isinstance(app.screen, KeyPrompt) and "c" in screen.places.marks
        screen.reader.move_caret(text.index("Third"))
        burst(app, "apostrophe", "c")
        await until(pilot, lambda: screen.reader.caret == here)
        assert not isinstance(app.screen, KeyPrompt) and screen.reader.caret == here
        burst(app, "apostrophe", "apostrophe")  # '' back to where the jump came from
        await until(pilot, lambda: screen.reader.caret == text.index("Third"))
        assert not isinstance(app.screen, KeyPrompt) and screen.reader.caret == text.index("Third")


async def test_dialogs_get_the_keys_typed_right_after_the_key_that_opens_them(tmp_path: Path) -> None:
    """`t` and a filter's words, `?` and `q`, ctrl+p and a command's name, escape in the note
    editor and `y` for "discard": each key after the first goes to the dialog it opened."""
    path = tmp_path / "outline.md"
    path.write_text("# Alpha\n\nOne.\n\n## Beta\n\nTwo.\n\n## Gamma\n\nThree.\n")
    app = make_app(path)
    quits: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        record_quits(app, quits)
        assert app.focused is screen.reader

        burst(app, "t", "g", "a", "m")
        await until(pilot, lambda: isinstance(app.screen, OutlineScreen) and app.screen.filter_input.value == "gam")
        assert isinstance(app.screen, OutlineScreen) and app.screen.filter_input.value == "gam"
        burst(app, "escape")
        await until(pilot, lambda: app.screen is screen)

        burst(app, "question_mark", "q")  # help opened and closed; the app goes on
        await until(pilot, lambda: app.screen is screen)
        assert app.screen is screen and not quits

        burst(app, "ctrl+p", "h", "e", "l")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await until(pilot, lambda: app.screen.query_one(CommandInput).value == "hel")
        assert isinstance(app.screen, CommandPalette) and app.screen.query_one(CommandInput).value == "hel"
        burst(app, "escape")
        await until(pilot, lambda: app.screen is screen)

        burst(app, "a")
        await until(pilot, lambda: isinstance(app.focused, TextArea))
        editor = app.screen
        assert isinstance(editor, AnnotationEditor)
        note = editor.query_one("#note", TextArea)  # (kept: once the editor is gone it has no children to query)
        note.text = "a note"
        burst(app, "escape", "y")  # "Discard this note?" yes
        await until(pilot, lambda: app.screen is screen)
        assert app.screen is screen and note.text == "a note"  # the y answered the question, not the note


async def test_escape_out_of_the_search_box_then_a_reader_key_in_one_read(tmp_path: Path) -> None:
    """ESC `t` (`escape`, `t` typed fast: one read) in the search box typed a `t` into the box
    (the parser's alt+t); so did ESC `j`, and ESC `q` did not quit. Each is `escape`, then the key,
    in the reader: the outline, a row down, quit."""
    path = tmp_path / "outline.md"
    path.write_text("# Alpha\n\nOne.\n\n## Beta\n\nTwo.\n\n## Gamma\n\nThree.\n")
    app = make_app(path)
    quits: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        record_quits(app, quits)
        box = screen.search_pane.input
        burst(app, "slash", "b", "e")
        await until(pilot, lambda: box.value == "be")
        burst_bytes(app, "\x1bt")
        await until(pilot, lambda: isinstance(app.screen, OutlineScreen))
        assert isinstance(app.screen, OutlineScreen) and box.value == "be"
        burst(app, "escape")
        await until(pilot, lambda: app.screen is screen)
        caret = screen.reader.caret
        burst(app, "slash")
        await until(pilot, lambda: app.focused is box)
        burst_bytes(app, "\x1bj")
        await until(pilot, lambda: screen.reader.caret != caret)
        assert app.focused is screen.reader and screen.reader.caret > caret and box.value == "be"
        burst(app, "slash")
        await until(pilot, lambda: app.focused is box)
        burst_bytes(app, "\x1bq")
        await until(pilot, lambda: quits)
        assert quits == [0] and box.value == "be"


async def test_a_reader_key_right_after_enter_on_a_hit_waits_for_the_document(tmp_path: Path, monkeypatch) -> None:
    """enter on a hit in another document, then `t`, in one read: the document is read off the UI
    thread (1.5 s for a 2 MB Markdown file), and the `t` was handed on two polls after enter, to
    the search box, which searched for "zebrat". It waits for the document (held back here until
    the test lets it go) and opens its outline."""
    (tmp_path / "small.md").write_text("# Small\n\nNothing here.\n")
    (tmp_path / "big.md").write_text("# Big\n\nA zebra.\n\n## Stripes\n\nMore.\n")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        screen.open_document("small.md")
        await settle(pilot)
        await type_query(pilot, "zebra")
        assert screen.search_pane.result is not None and screen.search_pane.result.hits
        await burst_while_the_disk_is_slow(
            pilot,
            monkeypatch,
            (
                "enter",
                "t",
            ),
            lambda: screen.search_pane.input.value == "zebra",
        )
        assert isinstance(app.screen, OutlineScreen) and screen.document is not None
        assert screen.document.rel == "big.md" and screen.search_pane.input.value == "zebra"


def slow_loads(app: FolioApp, monkeypatch) -> threading.Event:
    """Documents are read off the UI thread as from a slow disk: each waits for the event set."""
    corpus = app.library.corpus
    read, slow_disk = corpus.load, threading.Event()
    monkeypatch.setattr(corpus, "load", lambda *args, **kwargs: slow_disk.wait(5) and read(*args, **kwargs))
    return slow_disk


async def burst_while_the_disk_is_slow(
    pilot: Pilot[Any], monkeypatch, keys: tuple[str, ...], still: Callable[[], object]
) -> None:
    """`keys` in one read while documents are read as from a slow disk: half a second later the
    gate still holds them and `still()` holds (nothing acted yet); then the disk is let go, and
    the last key (`t`) opens the outline of the document the first keys opened."""
    app = pilot.app
    slow_disk = slow_loads(app, monkeypatch)
    try:
        burst(app, *keys)
        for _ in range(10):  # (0.5 s: twenty polls of the gate)
            await pilot.pause(0.05)
        assert app.keys.holding and still()
    finally:
        slow_disk.set()
    await until(pilot, lambda: isinstance(app.screen, OutlineScreen))


async def test_a_reader_key_right_after_enter_on_a_link_waits_for_the_document(tmp_path: Path, monkeypatch) -> None:
    """enter on a link to another document of the corpus, then `t`, in one read: enter was not
    gated, so the `t` opened the outline of the document the link was in. It waits for the
    document the link opens (held back here until the test lets it go) and opens its outline."""
    (tmp_path / "here.md").write_text("# Here\n\nSee [the other](there.md).\n\n## Here too\n")
    (tmp_path / "there.md").write_text("# There\n\nThe other one.\n\n## There too\n")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        screen.open_document("here.md")
        await settle(pilot)
        screen.reader.move_caret(screen.document.text.index("the other"))
        assert app.focused is screen.reader and screen.reader.link_at(screen.reader.caret) is not None
        await burst_while_the_disk_is_slow(
            pilot,
            monkeypatch,
            (
                "enter",
                "t",
            ),
            lambda: app.screen is screen and screen.document.rel == "here.md",
        )
        assert isinstance(app.screen, OutlineScreen) and screen.document.rel == "there.md"


async def test_a_reader_key_right_after_a_jump_from_the_annotations_panel_waits_for_the_document(
    tmp_path: Path, monkeypatch
) -> None:
    """enter on an annotation of another document in the panel, then `t`, in one read: the gate
    opened as soon as the focus was back on the reader, before the document came, so the `t`
    opened the outline of the document the panel was opened over. It waits for the document."""
    (tmp_path / "here.md").write_text("# Here\n\nNothing noted.\n\n## Here too\n")
    (tmp_path / "there.md").write_text("# There\n\nA noted line.\n\n## There too\n")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        screen.open_document("there.md")
        await settle(pilot)
        start = screen.document.text.index("noted")
        screen.reader.select(start, start + len("noted"))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.focused, TextArea))
        await pilot.press("n", "ctrl+s")
        await until(pilot, lambda: app.store.all())
        screen.open_document("here.md")
        await until(pilot, lambda: screen.document.rel == "here.md" and app.focused is screen.reader)
        burst(app, "A")
        await until(pilot, lambda: isinstance(app.screen, AnnotationsScreen) and app.screen.rows)
        panel = app.screen
        assert isinstance(panel, AnnotationsScreen)
        panel.query_one("#panel-list").focus()
        await pilot.pause()
        await burst_while_the_disk_is_slow(
            pilot,
            monkeypatch,
            (
                "enter",
                "t",
            ),
            lambda: app.screen is screen and screen.document.rel == "here.md",
        )
        assert isinstance(app.screen, OutlineScreen) and screen.document.rel == "there.md"


async def test_a_reader_key_right_after_going_to_a_mark_in_another_document_waits_for_it(
    tmp_path: Path, monkeypatch
) -> None:
    """`'`, a mark's letter in another document and `t` in one read: the same path as the panel's
    jump (the prompt the letter closes gives the focus back before the document comes)."""
    (tmp_path / "here.md").write_text("# Here\n\nNothing marked.\n\n## Here too\n")
    (tmp_path / "there.md").write_text("# There\n\nA marked line.\n\n## There too\n")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        screen.open_document("there.md")
        await settle(pilot)
        burst(app, "m", "c")
        await until(pilot, lambda: "c" in screen.places.marks)
        screen.open_document("here.md")
        await until(pilot, lambda: screen.document.rel == "here.md" and app.focused is screen.reader)
        await burst_while_the_disk_is_slow(
            pilot,
            monkeypatch,
            (
                "apostrophe",
                "c",
                "t",
            ),
            lambda: app.screen is screen and screen.document.rel == "here.md",
        )
        assert isinstance(app.screen, OutlineScreen) and screen.document.rel == "there.md"


async def _movers(pilot: Pilot[Any], screen: MainScreen, tried: set[str], caret: int) -> set[str]:
    """The ids of the bindings in reach of the focus (those not `tried` yet) whose action opens a
    screen, moves the focus or opens a document: `push_screen`, `focus` and `Library.load` are
    recorded, not done, so every action runs from the same place, at once (the reader's caret at
    `caret`, on a link; the last jump came from another document)."""
    app = pilot.app
    start = app.focused
    movers: set[str] = set()
    screen.reader.move_caret(caret)
    for active in list(screen.active_bindings.values()):
        binding = active.binding
        if not active.enabled or binding.id in (None, "app.quit", "app.force_quit") or binding.id in tried:
            continue
        assert binding.id is not None
        tried.add(binding.id)
        asked.clear()
        screen.reader.raw = False  # (`r` showed the raw text, where no link is followed)
        screen.reader.move_caret(caret)
        screen.places.jumps[:] = [Place("other.md", 0)]  # (`ctrl+o` goes back to another document)
        await app.run_action(binding.action, active.node)
        await pilot.pause()
        if any(target is not start for target in asked):
            movers.add(binding.id)
    return movers


#: What the actions run by `_movers` asked for: a screen pushed, a widget focused.
asked: list[object] = []


async def test_every_binding_that_moves_the_focus_holds_the_keys_after_it(tmp_path: Path, monkeypatch) -> None:
    """The class of fault: a binding that opens a prompt or a dialog, or moves the focus, and is
    not in `GATED` loses the keys typed right after it. Each binding in reach of the reader and
    of the document list is run; those that ask for another screen or focus, or open another
    document (enter on a link and `ctrl+o` were not gated), must be gated. Then
    the same on each dialog, for the keys that close it (`dismiss`, `pop_screen` recorded too).
    (~1 s a dialog at load 7, most of it opening the dialog.)"""
    from textual.widget import Widget

    from folio_reader.tui.key_gate import GATED

    path = tmp_path / "outline.md"
    path.write_text("# Alpha\n\nOne [link](other.md).\n\n## Beta\n\nTwo.\n")
    (tmp_path / "other.md").write_text("# Other\n\nThe other one.\n")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        screen.open_document("outline.md")
        await settle(pilot)
        link = screen.document.text.index("link")  # (enter follows it)
        tried: set[str] = set()
        for home in (screen.reader, screen.documents.options):
            screen.sidebar.show("documents", home)
            await pilot.pause()
            with monkeypatch.context() as patch:
                patch.setattr(app, "push_screen", lambda pushed, *args, **kwargs: asked.append(pushed))
                patch.setattr(Widget, "focus", lambda widget, *args, **kwargs: asked.append(widget) or widget)
                patch.setattr(app.library, "load", lambda node, request: asked.append(request))
                movers = await _movers(pilot, screen, tried, link)
            assert movers <= GATED, movers - GATED
        assert {
            "main.mark",
            "main.go_to_mark",
            "reader.outline",
            "app.help",
            "reader.follow_link",
            "main.jump_back",
        } <= tried
        await _every_dialog_holds_the_keys_after_the_key_that_closes_it(pilot, screen, monkeypatch)


async def _every_dialog_holds_the_keys_after_the_key_that_closes_it(
    pilot: Pilot[Any], screen: MainScreen, monkeypatch
) -> None:
    """The closing side: on each dialog (help, confirm, one-key prompt, outline, compare picker,
    note editor, annotations panel, compare screen) every binding in reach of each of its widgets that closes it
    (or opens another, or moves the focus) holds the keys typed after it: `escape` `q` in the
    help sent the `q` to the help `escape` was closing."""
    from textual.screen import Screen
    from textual.widget import Widget

    from folio_reader.tui.comparing import CompareRequest
    from folio_reader.tui.screens.annotations import AnnotationsScreen
    from folio_reader.tui.screens.compare import CompareScreen
    from folio_reader.tui.screens.confirm import ConfirmScreen
    from folio_reader.tui.screens.help import HelpScreen
    from folio_reader.tui.screens.pick_document import PickDocumentScreen

    app = pilot.app
    screen.reader.focus()
    app.animation_level = "none"  # (scrolling the help, recorded or not, at once)
    opens: list[tuple[Callable[[], object], type]] = [
        (app.action_help, HelpScreen),
        (lambda: app.push_screen(ConfirmScreen("Discard this note?")), ConfirmScreen),
        (lambda: app.push_screen(KeyPrompt("Mark?")), KeyPrompt),
        (screen.reader.action_outline, OutlineScreen),
        (screen.action_compare, PickDocumentScreen),
        (screen.action_annotate, AnnotationEditor),
        (screen.action_annotations_panel, AnnotationsScreen),
        (lambda: app.open_compare(CompareRequest("outline.md", "other.md")), CompareScreen),
    ]
    tried: set[tuple[str, str, str]] = set()
    for open_it, kind in opens:
        open_it()
        while not (isinstance(app.screen, kind) and app.focused is not None):
            await pilot.pause()
        with monkeypatch.context() as patch:
            patch.setattr(app, "push_screen", lambda pushed, *args, **kwargs: asked.append(pushed))
            patch.setattr(app, "pop_screen", lambda *args, **kwargs: asked.append("pop_screen"))
            patch.setattr(Screen, "dismiss", lambda dialog, *args, **kwargs: asked.append("dismiss"))
            patch.setattr(Widget, "focus", lambda widget, *args, **kwargs: asked.append(widget) or widget)
            place = Screen.set_focus  # (tab's focus_next goes to `set_focus`, not `focus`)
            patch.setattr(Screen, "set_focus", lambda dialog, widget, *args, **kwargs: asked.append(widget))
            loose = await _closers(pilot, tried, place)
        assert not loose, loose
        if isinstance(app.screen, KeyPrompt):  # no bindings: every key closes it
            assert app.keys.holds_after(events.Key("c", "c")) and app.keys.holds_after(events.Key("escape", None))
        app.pop_screen()
        while app.screen is not screen:
            await pilot.pause()
    assert {
        ("HelpScreen", "escape", "dismiss"),
        ("OutlineScreen", "enter", "submit"),
        ("AnnotationEditor", "tab", "app.focus_next"),
        ("CompareScreen", "escape", "back"),
        ("CompareScreen", "tab", "next_pane"),
    } <= tried


async def test_q_right_after_the_key_that_closes_the_help_quits(tmp_path: Path) -> None:
    """`?` `escape` `q` in one read quit (the `q` went to the help `escape` was closing), and
    `m` `c` `q` set the mark and quit (the prompt `c` closed took the `q`, or the reader did not
    have the focus back)."""
    path = tmp_path / "doc.txt"
    path.write_text("First paragraph.\n\nSecond paragraph.\n")
    app = make_app(path)
    quits: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        record_quits(app, quits)
        burst(app, "question_mark", "escape", "q")
        await until(pilot, lambda: quits)
        assert quits == [0] and app.screen is screen
        quits.clear()
        burst(app, "m", "c", "q")
        await until(pilot, lambda: quits)
        assert quits == [0] and "c" in screen.places.marks and app.screen is screen


async def _closers(
    pilot: Pilot[Any], tried: set[tuple[str, str, str]], place: Callable[..., object]
) -> set[tuple[str, str, str]]:
    """The bindings (screen, key, action) in reach of each kind of widget that can have the focus
    on the screen shown, whose action closes it, opens another or moves the focus, and after which the
    key gate would not hold the keys: `dismiss`, `pop_screen`, `push_screen`, `focus` and
    `set_focus` are recorded, not done (`place` is the real `set_focus`). Bindings without an id
    are run too (a filter box's enter, a button's, tab); each binding once, all its keys checked."""
    app = pilot.app
    screen = app.screen
    loose: set[tuple[str, str, str]] = set()
    homes = {type(widget): widget for widget in reversed(screen.focus_chain) if widget.focusable}
    for home in homes.values():  # (one of each kind: the Save and Cancel buttons have the same keys)
        place(screen, home)  # (`Screen.set_focus` itself: the patched one is recorded, not done)
        await pilot.pause()
        assert app.focused is home
        keys: dict[tuple[str, int], list[str]] = {}
        for key, active in screen.active_bindings.items():
            if active.enabled and active.binding.id not in ("app.quit", "app.force_quit") and not _inert(active):
                keys.setdefault((active.binding.action, id(active.node)), []).append(key)
        for (action, _), bound in keys.items():
            active = screen.active_bindings[bound[0]]
            whiches = {(type(screen).__name__, key, action) for key in bound}
            if whiches <= tried:
                continue
            tried.update(whiches)
            asked.clear()
            await app.run_action(action, active.node)
            await pilot.pause()
            if any(target is not home for target in asked):
                for key in bound:
                    character = CHARACTERS.get(key, key if len(key) == 1 else None)
                    if not app.keys.holds_after(events.Key(key, character)):
                        loose.add((type(screen).__name__, key, action))
    return loose


def _inert(active: Any) -> bool:
    """Textual's own keys that cannot close a screen or move the focus: a text box's editing and
    cursor keys (enter, which submits, is run), scrolling, copying the selection. (Tab and
    shift+tab are run: they move the focus from field to field.)"""
    action = active.binding.action
    if isinstance(active.node, (Input, TextArea)):
        return action != "submit"
    return action.startswith(("scroll_", "page_")) or action == "screen.copy_text"
