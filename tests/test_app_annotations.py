"""Annotation flows in the reader through the pilot, on a real annotations file."""

from __future__ import annotations

import json
from pathlib import Path

import filelock

from folio_reader.index.annotations import AnnotationStore, Status
from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.annotation_editor import AnnotationEditor
from folio_reader.tui.screens.annotations import AnnotationsScreen
from folio_reader.tui.screens.confirm import ConfirmScreen
from folio_reader.tui.screens.main import MainScreen
from folio_reader.tui.widgets.note_panel import rendered_note
from tests.helpers import SEED_NAMES, Notifications, settle, type_query


def make_app(tmp_path: Path, corpus: Path | None = None, **kwargs) -> FolioApp:
    return FolioApp(open_corpus(corpus), annotations_path=tmp_path / "notes.json", **kwargs)


def on_disk(tmp_path: Path) -> list[dict]:
    data = json.loads((tmp_path / "notes.json").read_text())
    return [a for a in data["annotations"] if not a.get("folio:deleted")]


async def open_first(pilot) -> MainScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


async def test_select_annotate_with_note_tags_and_colour(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        start = screen.document.text.index("Tuesday's meeting")
        reader.move_caret(start)
        await pilot.press("v", "w", "w")  # "Tuesday's meeting" and the next word's first letter
        selection = reader.selection
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationEditor)
        await pilot.press(*"Praise, *noted*.")
        await pilot.press("tab", *"praise carney", "tab", "right", "right", "space")  # tags; colour: blue
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [ann] = app.store.all()
        assert (ann.start, ann.end) == selection and ann.exact == screen.document.text[slice(*selection)]
        assert (ann.note, ann.tags, ann.color) == ("Praise, *noted*.", ("praise", "carney"), "blue")
        saved = on_disk(tmp_path)
        assert saved[0]["target"]["selector"][0]["exact"] == ann.exact
        assert (tmp_path / "notes.json").stat().st_mode & 0o777 == 0o600
        assert reader.selection is None
        # shown: a margin mark, and the note under the reader when the caret is inside
        reader.move_caret(ann.start + 1)
        await pilot.pause()
        panel = screen.query_one("#note-panel")
        # the note's Markdown rendered (issue 12): "*noted*" in italics, no asterisks
        shown = panel.render()
        assert panel.display and "Praise, noted." in str(shown) and "*" not in str(shown)
        noted = str(shown).index("noted")
        assert any(s.start <= noted < s.end and "italic" in str(s.style) for s in shown.spans)
        reader.move_caret(ann.end + 50)
        await pilot.pause()
        assert not panel.display


async def test_a_search_hit_is_the_selection_and_h_highlights_in_one_key(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, '"golden dome"')
        await pilot.press("enter")
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"missile shield", "ctrl+s")
        await settle(pilot)
        [ann] = app.store.all()
        assert ann.exact.lower() == "golden dome" and ann.source == screen.document.rel
        # no selection, no hit under the caret: h highlights the sentence under the caret
        await pilot.press("escape")  # leave the search: hits cleared
        await pilot.press("escape")
        screen.reader.move_caret(10)
        await pilot.press("h")
        await settle(pilot)
        anns = sorted(app.store.all(), key=lambda a: a.start)
        assert len(anns) == 2 and anns[0].start <= 10 < anns[0].end and anns[0].note == ""


async def test_escape_asks_before_discarding_a_note(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"a thought", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, AnnotationEditor)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.store.all() == []


async def test_jump_between_annotations_and_copy(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        text = screen.document.text
        spots = [text.index("Second, Trump"), text.index("Carney was visiting"), text.index("This was not")]
        for spot in spots:
            screen.reader.move_caret(spot)
            await pilot.press("h")
            await settle(pilot)
        screen.reader.move_caret(0)
        starts = []
        for _ in range(3):
            await pilot.press("right_square_bracket")
            starts.append(screen.reader.caret)
        assert starts == sorted(a.start for a in screen.anchors)
        await pilot.press("left_square_bracket")
        assert screen.reader.caret == starts[1]
        await pilot.press("y")
        assert app.clipboard.startswith("“Carney was visiting")


async def test_the_panel_lists_filters_jumps_edits_deletes_and_undoes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        text = screen.document.text
        for word, tag in (("Tuesday's meeting", "alpha"), ("Second, Trump", "beta")):
            screen.reader.select(text.index(word), text.index(word) + len(word))
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*f"note {tag}", "tab", *tag, "ctrl+s")
            await settle(pilot)
        screen.reader.move_caret(len(text) - 1)
        await pilot.press("A")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, AnnotationsScreen) and len(panel.rows) == 2
        await pilot.press(*"#beta", "enter")  # (the panel opens in its filter box)
        await pilot.pause()
        assert [r.annotation.note for r in panel.shown] == ["note beta"]
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *" edited", "ctrl+s")
        await settle(pilot)
        assert {a.note for a in app.store.all()} == {"note alpha", "note beta edited"}
        await pilot.press("d")
        await settle(pilot)
        assert [a.note for a in app.store.all()] == ["note alpha"]
        await pilot.press("u")
        await settle(pilot)
        assert len(app.store.all()) == 2 and len(on_disk(tmp_path)) == 2
        await pilot.press("enter")  # jump to it
        await settle(pilot)
        assert app.screen is screen and screen.reader.caret == text.index("Second, Trump")


async def test_notes_are_found_by_search_and_open_on_the_annotation(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        target = screen.document.text.index("Second, Trump")
        screen.reader.move_caret(target)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"walrus testimony", "ctrl+s")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # another document
        await pilot.press("d", "down", "down", "enter")
        await settle(pilot)
        assert screen.document.rel != SEED_NAMES[0]
        await type_query(pilot, "walrus")
        assert [a.note for a, _ in screen.search_pane.annotations] == ["walrus testimony"]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document.rel == SEED_NAMES[0]
        assert screen.annotation_at(screen.reader.caret).annotation.note == "walrus testimony"


async def test_an_orphan_is_listed_and_reattached_to_a_selection(tmp_path: Path, seed_copy: Path) -> None:
    app = make_app(tmp_path, seed_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        text = screen.document.text
        quote = "Carney was visiting the White House for the second time"
        screen.reader.select(text.index(quote), text.index(quote) + len(quote))
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"second visit", "ctrl+s")
        await settle(pilot)
    doc = seed_copy / SEED_NAMES[0]
    doc.write_text(doc.read_text().replace(quote, "The prime minister came back to Washington"))
    again = make_app(tmp_path, seed_copy)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = again.screen
        assert screen.document.rel == SEED_NAMES[0] and screen.anchors == []
        new = "The prime minister came back to Washington"
        start = screen.document.text.index(new)
        screen.reader.select(start, start + len(new))
        await pilot.press("A")
        await settle(pilot)
        panel = again.screen
        assert [r.anchored.status for r in panel.rows] == [Status.ORPHAN]
        await pilot.press("down", "r")  # the orphan row sits under its section heading
        await settle(pilot)
        [ann] = again.store.all()
        assert ann.exact == new and ann.note == "second visit"
        assert [a.start for a in screen.anchors] == [start]


async def test_a_save_blocked_by_another_process_is_kept_and_retried(
    tmp_path: Path, notifications: Notifications
) -> None:
    store = AnnotationStore(tmp_path / "notes.json", lock_timeout=0.2)
    app = make_app(tmp_path, store=store, retry_seconds=0.5)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        holder = filelock.FileLock(str(tmp_path / "notes.json") + ".lock")
        holder.acquire()
        try:
            screen.reader.move_caret(10)
            await pilot.press("h")
            await settle(pilot)
            assert app.store.pending and len(app.store.all()) == 1  # kept in memory
            assert notifications.count("Not saved yet")
            assert not (tmp_path / "notes.json").exists()
        finally:
            holder.release()
        for _ in range(50):  # the retry, on its timer: the file is where it shows
            await pilot.pause(0.1)
            if (tmp_path / "notes.json").exists() and on_disk(tmp_path):
                break
        await settle(pilot)
        assert not app.store.pending and len(on_disk(tmp_path)) == 1


async def test_a_closed_panel_stops_following_changes(tmp_path: Path, monkeypatch) -> None:
    """Regression (issue 13, item 15): the panel registered its watcher on the app
    (`self.app.watch(self.app, …)`), so each opening of `A` left a callback holding the dismissed
    panel, and every later change re-anchored the whole corpus once per panel ever opened. Its
    watcher now belongs to the panel and goes with it."""
    refreshed: list[AnnotationsScreen] = []
    real = AnnotationsScreen.refresh_anchors

    def counting(self: AnnotationsScreen) -> None:
        refreshed.append(self)
        real(self)

    monkeypatch.setattr(AnnotationsScreen, "refresh_anchors", counting)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        for _ in range(3):
            await pilot.press("A")
            await settle(pilot)
            panel = app.screen
            screen.reader.move_caret(0)
            app.keeper.change(lambda store: None)  # a change while it is open: it follows it
            await settle(pilot)
            assert refreshed.count(panel) == 2
            await pilot.press("escape")
            await settle(pilot)
        refreshed.clear()
        screen.reader.move_caret(10)
        await pilot.press("h")
        await settle(pilot)
        assert len(app.store.all()) == 1 and refreshed == []  # no closed panel woke up


def test_no_folio_widget_hides_an_attribute_of_textual() -> None:
    """Regression (issue 13, item 15): the panel's `_anchored` message handler replaced Textual's
    own `Widget._anchored` (an instance attribute set in `Widget.__init__`). No class of Folio's
    may define a private name that a Textual base class has, on the class or on its instances
    (a Textual upgrade adding one makes this fail, naming it), but for the `DELIBERATE` overrides."""
    import contextlib
    import importlib
    import inspect
    import pkgutil
    from functools import cache

    from textual.dom import DOMNode

    import folio_reader.tui as tui

    @cache
    def textual_names(base: type) -> frozenset[str]:
        names = set(vars(base))
        with contextlib.suppress(Exception):  # (not made without arguments: its class attributes only)
            names |= set(vars(base()))  # what its __init__ sets
        return frozenset(names)

    @cache
    def made_for_every_subclass(base: type) -> frozenset[str]:
        """What Textual's own machinery puts on any subclass (its handlers, CSS name, bindings)."""
        return frozenset(vars(type("Probe", (base,), {"__module__": "probe"})))

    clashes = []
    for info in pkgutil.walk_packages(tui.__path__, "folio_reader.tui."):
        if info.name.endswith(("__main__", ".cli")) or ".commands" in info.name:
            continue  # the command line: no widgets, and importing __main__ runs it
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                continue
            bases = [b for b in cls.__mro__[1:] if b.__module__.startswith("textual.")]
            automatic = made_for_every_subclass(bases[0])
            for name in vars(cls):
                private = name.startswith("_") and not name.startswith("__") and name not in automatic
                qualified = f"{cls.__module__}.{cls.__qualname__}.{name}"
                if private and any(name in textual_names(base) for base in bases) and qualified not in DELIBERATE:
                    clashes.append(qualified)
    assert clashes == []


#: Private Textual hooks Folio overrides on purpose, each documented where it is (and why)
DELIBERATE = {
    "folio_reader.tui.widgets.line_view.LineView._size_updated",  # layouts leave the scrollbars alone (issue 17)
    "folio_reader.tui.widgets.quiet_size.QuietSize._size_updated",  # a resized widget drawn once (issue 17)
}


def burst(app: FolioApp, keys: str) -> None:
    """Keys as a laggy link delivers them: all read before the first is handled."""
    from textual import events

    names = {"/": "slash", "-": "minus", " ": "space", "\x13": "ctrl+s"}
    for key in keys:
        app.post_message(events.Key(names.get(key, key), None if key == "\x13" else key))


async def test_a_note_typed_in_one_burst_with_a_lands_in_the_editor(tmp_path: Path) -> None:
    """Regression (issue 13, item 16): `a`, a note and `ctrl+s` in one burst put the note's letters
    into the reader (`f` full width, `e`, `n`…) while the editor opened, then saved it empty."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        screen.reader.move_caret(10)
        full_width = screen.reader.full_width
        burst(app, "afolio-note-x\x13")
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert app.screen is screen
        assert [a.note for a in app.store.all()] == ["folio-note-x"]
        assert screen.reader.full_width == full_width  # no `f` reached the reader
        burst(app, "/carney")  # the same with the search box
        await pilot.pause(0.5)
        await settle(pilot)
        assert screen.search_pane.input.value == "carney"


def test_a_note_is_shown_rendered_never_with_raw_markdown() -> None:
    """Issue 12: the note panel shows a note's Markdown as a reader sees it."""
    note = "See [the plan](https://example.com/plan) and **this** `call()`.\n\n<!-- to do -->\n\n- one\n- two\n"
    shown = rendered_note(note)
    assert shown.plain == "See the plan and this call().\none\ntwo"
    styled = {shown.plain[s.start : s.end]: str(s.style) for s in shown.spans}
    assert styled == {"the plan": "underline", "this": "bold", "call()": "reverse"}
