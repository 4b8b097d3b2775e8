"""The outline (`t`) through the app: it opens on the section the caret is in."""

from __future__ import annotations

from pathlib import Path

from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.main import MainScreen
from folio_reader.tui.screens.outline import OutlineScreen
from tests.helpers import settle

#: Ten sections of three paragraphs: several headings on one screen, most of them off it.
SECTIONS = [
    f"Section {n} {word}"
    for n, word in enumerate(["ash", "birch", "cedar", "dogwood", "elm", "fir", "gum", "hazel", "ivy", "juniper"])
]
LONG = "# Trees\n\n" + "".join(
    f"## {title}\n\n" + "".join(f"Paragraph {p} of {title.lower()}. It has two sentences.\n\n" for p in range(3))
    for title in SECTIONS
)


async def open_long(pilot) -> MainScreen:
    await settle(pilot)
    screen: MainScreen = pilot.app.screen
    screen.open_document("trees.md")
    await settle(pilot)
    return screen


async def highlighted_heading(pilot) -> str:
    await pilot.press("t")
    await pilot.pause()
    outline = pilot.app.screen
    assert isinstance(outline, OutlineScreen)
    index = outline.query_one("OptionList").highlighted
    assert index is not None
    title = outline.shown[index].title
    await pilot.press("escape")
    await pilot.pause()
    return title


async def test_the_outline_opens_on_the_section_the_caret_is_in_not_the_top_of_the_view(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "trees.md").write_text(LONG)
    app = FolioApp(open_corpus(root), annotations_path=tmp_path / "notes.json")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_long(pilot)
        reader = screen.reader
        reader.focus()
        text = screen.document.text
        reader.scroll_to_offset(text.index("## Section 2"), center="top")
        await pilot.pause()
        top = reader.top_offset
        caret = text.index("Paragraph 1 of section 3")  # further down the same screen
        assert text.index("Section 3") > top and reader.screen_row_of(caret) is not None
        reader.move_caret(caret, reveal=False)
        await pilot.pause()
        assert reader.top_offset == top
        assert await highlighted_heading(pilot) == "Section 3 dogwood"
        assert screen.status.context == "Section 3 dogwood"  # the status line names the same one
        # the caret on a heading: that heading's section
        reader.move_caret(text.index("Section 2 cedar"), reveal=False)
        await pilot.pause()
        assert await highlighted_heading(pilot) == "Section 2 cedar"
        # the view scrolled away from the caret: the section at its top, as the status line says
        reader.scroll_to_offset(text.index("Paragraph 1 of section 7"), center="top")
        await pilot.pause()
        assert reader.screen_row_of(reader.caret) is None
        assert await highlighted_heading(pilot) == "Section 7 hazel" == screen.status.context
