"""A text box's editing keys act in the order typed, in a burst too (tui/widgets/text_boxes.py).

Found on the installed folio in a pty (120x40): `tarx` in the search box, then backspace and
`carney` in one write, read `tarxcarne`: Textual types letters in the box's own key handler but
runs a bound key (backspace, the arrows) only once it has bubbled up to the app, after the
letters behind it (Textual issue 6605). `burst` puts every key in the app's queue before the
first is handled, as one read from the terminal does.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, TextArea

from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.annotation_editor import AnnotationEditor
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import make_app, settle
from tests.test_key_bursts import until

#: What a terminal sends for the named keys (None: a sequence, no character).
CHARACTERS = {"backspace": "\x7f", "space": " ", "ctrl+w": "\x17", "escape": "\x1b"}


def burst(app: FolioApp, *keys: str) -> None:
    """The keys in one read from the terminal: all in the app's queue before it acts on the first."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


async def test_backspace_and_arrows_in_a_burst_act_where_they_were_typed_in_the_search_box() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        box = app.query_one("#search-input", Input)
        await until(pilot, lambda: app.focused is box)
        burst(app, "t", "a", "r", "x")
        await until(pilot, lambda: box.value == "tarx")
        burst(app, "backspace", "c", "a", "r", "n", "e", "y")
        await until(pilot, lambda: len(box.value) == len("tarcarney"))
        assert box.value == "tarcarney"  # (before: "tarxcarne")
        burst(app, "home", "right", "right", "right", "space", "end", "x", "left", "ctrl+w", "s")
        await until(pilot, lambda: box.value != "tarcarney")
        await until(pilot, lambda: box.value.startswith("tar "))
        assert box.value == "tar sx"


async def test_the_document_filter_and_the_note_editor_take_a_burst_in_order(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Alpha\n\nOne paragraph of text.\n")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        burst(app, "a")
        await until(pilot, lambda: isinstance(app.focused, TextArea))
        assert isinstance(app.screen, AnnotationEditor)
        note = app.screen.query_one("#note", TextArea)
        burst(app, "a", "b", "backspace", "c", "left", "left", "z")
        await until(pilot, lambda: len(note.text) == 3)
        assert note.text == "zac"  # (before: "acz" or "zab"-like orders)
        note.text = ""
        burst(app, "escape")
        await until(pilot, lambda: app.screen is screen)
        burst(app, "d")
        await until(pilot, lambda: app.focused is not screen.reader)
        burst(app, "f")
        box = app.query_one("#doc-filter", Input)
        await until(pilot, lambda: app.focused is box)
        burst(app, "n", "o", "x", "backspace", "t", "e")
        await until(pilot, lambda: len(box.value) == 4)
        assert box.value == "note"
