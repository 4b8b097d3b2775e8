"""The reader on documents laid out from their blocks (issue 12), through the app: hits and
annotations on rendered text, the raw view and markers keys, the outline, the section in the
status bar, and links."""

from __future__ import annotations

import json
from pathlib import Path

from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.main import MainScreen
from folio_reader.tui.screens.outline import OutlineScreen
from folio_reader.tui.widgets.reader import Reader
from tests.helpers import Notifications, settle, type_query

PAGE = """\
# Field notes

Intro with *wombat* in emphasis and a [sibling](other.md) and [the web](https://example.org).

## Code

```python
def zebrafoo(x):
    return x
```

## Tables

| Animal | Count |
|--------|------:|
| quokka | 3     |

Some **strong words** here.
"""

OTHER = """\
Other page
==========

Back to the `field notes <page.md>`_, or `elsewhere`_.

.. _elsewhere: https://example.org/x
"""


def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "page.md").write_text(PAGE)
    (root / "other.rst").write_text(OTHER)
    return root


def make_app(tmp_path: Path) -> FolioApp:
    return FolioApp(open_corpus(corpus(tmp_path)), annotations_path=tmp_path / "notes.json")


async def open_page(pilot, rel: str = "page.md") -> MainScreen:
    await settle(pilot)
    screen: MainScreen = pilot.app.screen
    screen.open_document(rel)
    await settle(pilot)
    return screen


def screen_text(reader: Reader, offset: int, style) -> str:
    """The characters drawn with `style` (a predicate) on the screen row showing offset."""
    y = reader.screen_row_of(offset)
    assert y is not None
    text = ""
    for segment in reader.render_line(y):
        if segment.style is not None and style(segment.style):
            text += segment.text
    return text


async def test_search_hits_in_code_a_table_cell_and_emphasis_land_on_their_characters(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        for word in ("zebrafoo", "quokka", "wombat"):
            await type_query(pilot, word)
            await pilot.press("enter")
            await settle(pilot)
            reader = screen.reader
            text = screen.document.text
            assert reader.caret == text.index(word)
            # the current hit is drawn underlined over exactly the word's characters
            assert screen_text(reader, reader.caret, lambda s: bool(s.underline) and bool(s.bold)) == word
            await pilot.press("escape", "escape")
            await settle(pilot)


async def test_an_annotation_on_rendered_text_quotes_the_text_as_written(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_page(pilot)
        reader = screen.reader
        text = screen.document.text
        reader.move_caret(text.index("strong words"))
        await pilot.press("v", "e", "e", "h")
        await settle(pilot)
        [ann] = app.store.all()
        assert ann.exact == "strong words" == text[ann.start : ann.end]
        saved = json.loads((tmp_path / "notes.json").read_text())["annotations"]
        assert saved[0]["target"]["selector"][0]["exact"] == "strong words"


async def test_raw_view_and_markers_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 12)) as pilot:
        screen = await open_page(pilot)
        reader = screen.reader
        reader.focus()
        rows = lambda: [reader.render_line(y).text.strip() for y in range(6)]  # noqa: E731
        assert rows()[0] == "Field notes"
        await pilot.press("r")
        assert rows()[:2] == ["# Field notes", ""] and rows()[2].startswith("Intro with *wombat* in emphasis and a [")
        assert reader.context == "raw text"
        await pilot.press("r", "M")
        assert rows()[0] == "# Field notes" and "*wombat*" in rows()[2]
        await pilot.press("M")
        assert rows()[0] == "Field notes" and "*wombat*" not in " ".join(rows())
        # the reading position is kept across the views
        reader.scroll_to_offset(PAGE.index("Tables"), center="top")
        await pilot.pause()
        top = reader.top_offset
        await pilot.press("r")
        assert "## Tables" in rows() and reader.screen_row_of(top) is not None
        await pilot.press("r")
        assert "Tables" in rows() and reader.screen_row_of(top) is not None


async def test_outline_filters_and_jumps_and_the_status_names_the_section(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_page(pilot)
        reader = screen.reader
        reader.focus()
        assert screen.status.context == ""  # the title's section: the title is shown already
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, OutlineScreen)
        await pilot.press(*"tab", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert reader.caret == PAGE.index("Tables")
        assert screen.status.context == "Tables"  # the section the caret is in
        await pilot.press("k", "k")
        assert screen.status.context == "Code"


async def test_links_show_their_target_and_enter_opens_only_corpus_documents(
    tmp_path: Path, notifications: Notifications
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30), message_hook=notifications.hook) as pilot:
        screen = await open_page(pilot)
        reader = screen.reader
        reader.focus()
        reader.move_caret(PAGE.index("the web"))
        await pilot.pause()
        assert screen.status.context.startswith("link → https://example.org")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document.rel == "page.md" and notifications.count("Not opened") == 1
        reader.move_caret(PAGE.index("sibling"))
        await pilot.pause()
        assert screen.status.context == "link → other.md"
        await pilot.press("enter")  # the corpus has other.rst, not other.md
        await settle(pilot)
        assert screen.document.rel == "page.md" and notifications.count("Not a document of this corpus") == 1
        other = await open_page(pilot, "other.rst")
        text = other.document.text
        other.reader.focus()
        other.reader.move_caret(text.index("field notes"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document.rel == "page.md"
        screen.open_document("other.rst")
        await settle(pilot)
        screen.reader.move_caret(text.index("elsewhere"))
        await pilot.press("enter")  # a reST reference to an external target: never opened
        await settle(pilot)
        assert screen.document.rel == "other.rst" and notifications.count("Not opened") == 2


async def test_word_motions_step_over_hidden_markers(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_page(pilot)
        reader = screen.reader
        reader.focus()
        at = PAGE.index("Some **strong")
        reader.move_caret(at)
        await pilot.press("e")
        assert reader.caret == at + len("Some") - 1
        await pilot.press("e")  # not onto the `**` (hidden), onto the end of "strong"
        assert reader.caret == PAGE.index("strong words") + len("strong") - 1
        await pilot.press("E", "E")
        assert reader.caret == at
        await pilot.press("w")
        assert reader.caret == PAGE.index("strong words")
