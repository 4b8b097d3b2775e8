"""Pilot tests of the reading pane (`tui.widgets.reader.Reader`) in a tiny app.

Functionality only: timings are printed by tests/bench/bench_reader.py, never asserted here.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from folio_reader.index.corpus import Document, open_corpus
from folio_reader.tui.widgets.reader import Reader

LEFT = 2  # cells left of the text in an 80-wide terminal (79 cells beside the scrollbar)


def make_doc(text: str, rel: str = "test.md") -> Document:
    return Document.from_text(rel, text)


class ReaderApp(App[None]):
    BINDINGS = [Binding("escape", "escaped", "Back")]

    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self.document = document
        self.escapes = 0
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield Reader(self.document)

    def on_mount(self) -> None:
        self.query_one(Reader).focus()

    def action_escaped(self) -> None:
        self.escapes += 1

    def on_reader_caret_moved(self, message: Reader.CaretMoved) -> None:
        self.messages.append(message)

    def on_reader_selection_changed(self, message: Reader.SelectionChanged) -> None:
        self.messages.append(message)

    def on_reader_scrolled(self, message: Reader.Scrolled) -> None:
        self.messages.append(message)


def rows(reader: Reader) -> list[str]:
    return [reader.render_line(y).text for y in range(reader.scrollable_content_region.height)]


def cells(strip: Strip) -> list[tuple[str, Style]]:
    """The strip cell by cell: (text drawn from that cell, style); a wide character's second
    cell is ''."""
    out: list[tuple[str, Style]] = []
    for segment in strip:
        style = segment.style or Style()
        text = segment.text
        i = 0
        while i < len(text):
            j = i + 1
            while j < len(text) and cell_len(text[j]) == 0:
                j += 1
            width = cell_len(text[i:j])
            out.append((text[i:j], style))
            out.extend(("", style) for _ in range(width - 1))
            i = j
    return out


def columns_with(strip: Strip, predicate) -> list[int]:
    return [x for x, (_, style) in enumerate(cells(strip)) if predicate(style)]


PROSE = (
    "# The Title\n\n"
    "First sentence here. Second one, longer. Third!\n\n"
    "Another paragraph with **bold** and *em* words.\n\n"
    "Last paragraph."
)
#: PROSE with a first line that has no marker to hide: caret offsets count from 0 on screen.
UNMARKED_TITLE = PROSE.replace("# The Title", "The Title")


async def test_lays_out_paragraphs_with_blank_rows_between() -> None:
    # Issue 12: a document with structure is laid out from its blocks, its markers hidden (the
    # plain layout, markers kept, is the next test's).
    app = ReaderApp(make_doc(PROSE))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        shown = [row.rstrip() for row in rows(reader)]
        assert shown[:7] == [
            " " * LEFT + "The Title",
            "",
            " " * LEFT + "First sentence here. Second one, longer. Third!",
            "",
            " " * LEFT + "Another paragraph with bold and em words.",
            "",
            " " * LEFT + "Last paragraph.",
        ]
        # the first row shows the title's first character, after its hidden "# "
        assert reader.top_offset == PROSE.index("The Title") and reader.percent == 100


async def test_a_document_without_structure_keeps_the_plain_layout() -> None:
    doc = dataclasses.replace(make_doc(PROSE), structure=None)
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        shown = [row.rstrip() for row in rows(reader)]
        assert shown[:7] == [
            " " * LEFT + "# The Title",
            "",
            " " * LEFT + "First sentence here. Second one, longer. Third!",
            "",
            " " * LEFT + "Another paragraph with **bold** and *em* words.",
            "",
            " " * LEFT + "Last paragraph.",
        ]


async def test_markers_are_hidden_and_shown_dimmed_on_a_key() -> None:
    # Issue 12: inline markers are hidden; `markers` (a key) shows them, dimmed, as before.
    app = ReaderApp(make_doc(PROSE))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        row = cells(reader.render_line(4))
        text = "Another paragraph with bold and em words."
        bold, em = LEFT + text.index("bold"), LEFT + text.index("em ")
        assert row[bold][0] == "b" and row[bold][1].bold and not row[bold + 4][1].bold
        assert row[em][1].italic and row[em][0] == "e"
        heading = cells(reader.render_line(0))
        assert heading[LEFT][0] == "T" and heading[LEFT][1].bold
        reader.markers = True
        await pilot.pause()
        row = cells(reader.render_line(4))
        text = "Another paragraph with **bold** and *em* words."
        star = LEFT + text.index("**")
        bold = LEFT + text.index("bold")
        em = LEFT + text.index("em*")
        assert row[star][0] == "*" and row[bold][0] == "b"
        assert row[bold][1].bold and not row[star + 8][1].bold
        assert row[em][1].italic
        marker_color = row[star][1].color
        assert marker_color is not None and marker_color != row[LEFT][1].color
        heading = cells(reader.render_line(0))
        assert heading[LEFT + 2][1].bold and heading[LEFT][0] == "#"
        reader.markdown = False
        await pilot.pause()
        assert not cells(reader.render_line(4))[bold][1].bold


async def test_caret_moves_by_character_word_sentence_and_paragraph() -> None:
    text = UNMARKED_TITLE
    first = text.index("First")
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        assert reader.caret == 0
        await pilot.press("right", "right")
        assert reader.caret == 2
        await pilot.press("left")
        assert reader.caret == 1
        await pilot.press("}")
        assert reader.caret == first
        await pilot.press("w")
        assert reader.caret == text.index("sentence")
        await pilot.press("e")
        assert reader.caret == text.index("sentence") + len("sentence") - 1
        await pilot.press("E")
        assert reader.caret == text.index("sentence")
        await pilot.press("ctrl+right")
        assert reader.caret == text.index(" here") + 1
        await pilot.press("ctrl+left")
        assert reader.caret == text.index("sentence")
        await pilot.press(")")
        assert reader.caret == text.index("Second")
        await pilot.press(")")
        assert reader.caret == text.index("Third")
        await pilot.press(")")
        assert reader.caret == text.index("Another")
        await pilot.press("(")
        assert reader.caret == text.index("Third")
        await pilot.press("(", "(")
        assert reader.caret == first
        await pilot.press("}", "}")
        assert reader.caret == text.index("Last")
        await pilot.press("{")
        assert reader.caret == text.index("Another")
        # right at the end of a paragraph goes to the next one, skipping the blank lines
        reader.move_caret(text.index("Third!") + 5)
        await pilot.press("right")
        assert reader.caret == text.index("Another")
        await pilot.press("left")
        assert reader.caret == text.index("Third!") + 5
        assert reader.sentence_at(text.index("longer")) == (text.index("Second"), text.index("Third") - 1)
        assert reader.paragraph_at(text.index("bold")) == (text.index("Another"), text.index("words.") + 6)
        assert reader.paragraph_at(text.index("Third!") + 7) == reader.paragraph_at(text.index("Another"))


async def test_caret_is_drawn_on_its_cell_and_messages_are_posted() -> None:
    app = ReaderApp(make_doc(UNMARKED_TITLE))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        app.messages.clear()
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert columns_with(reader.render_line(0), lambda s: bool(s.reverse)) == [LEFT + 3]
        moved = [m.offset for m in app.messages if isinstance(m, Reader.CaretMoved)]
        assert moved == [1, 2, 3]
        await pilot.press("j")
        await pilot.pause()
        assert reader.caret == UNMARKED_TITLE.index("First") + 3  # the column is kept across rows
        assert columns_with(reader.render_line(2), lambda s: bool(s.reverse)) == [LEFT + 3]
        assert columns_with(reader.render_line(0), lambda s: bool(s.reverse)) == []


async def test_rows_keep_the_goal_column_through_short_rows() -> None:
    text = "a long first paragraph line\n\nab\n\nanother long paragraph line"
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        reader.move_caret(10)
        await pilot.press("j")
        assert reader.caret == text.index("ab") + 1
        await pilot.press("down")
        assert reader.caret == text.index("another") + 10
        await pilot.press("k", "up")
        assert reader.caret == 10


async def test_selection_with_v_moves_and_escape() -> None:
    text = PROSE
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        reader.move_caret(text.index("First"))
        await pilot.pause()
        app.messages.clear()
        await pilot.press("v")
        assert reader.selecting and reader.selection == (text.index("First"), text.index("First") + 1)
        await pilot.press("e", "w", "e")
        start = text.index("First")
        assert reader.selection == (start, text.index(" here."))
        assert text[slice(*reader.selection)] == "First sentence"
        await pilot.pause()
        row = reader.render_line(2)
        underlined = columns_with(row, lambda s: bool(s.underline))
        assert underlined == list(range(LEFT, LEFT + len("First sentence")))
        changes = [m.span for m in app.messages if isinstance(m, Reader.SelectionChanged)]
        assert changes[0] == (start, start + 1) and changes[-1] == reader.selection
        await pilot.press("E", "E")  # back past the anchor: the selection turns around
        assert reader.selection == (start, start + 1)
        await pilot.press("escape")
        assert reader.selection is None and not reader.selecting
        assert app.escapes == 0
        await pilot.press("escape")  # nothing to cancel: escape goes on to the app
        assert app.escapes == 1
        await pilot.pause()
        assert [m.span for m in app.messages if isinstance(m, Reader.SelectionChanged)][-1] is None
        reader.select(text.index("Second"), text.index("Third") - 1)
        assert text[slice(*reader.selection)] == "Second one, longer."


def long_text(paragraph_count: int = 120, seed: int = 2) -> str:
    rng = random.Random(seed)
    words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "漢字", "テキスト", "😀", "adipiscing"]
    paras = []
    for i in range(paragraph_count):
        count = rng.choice([3, 20, 60, 200])
        paras.append(f"P{i} " + " ".join(rng.choice(words) for _ in range(count)) + ".")
    return "\n\n".join(paras)


async def test_g_and_G_go_to_the_ends() -> None:
    text = long_text()
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("G")
        await pilot.pause()
        assert reader.caret == len(text) - 1
        assert reader.percent == 100 and reader.status == "100%"
        shown = rows(reader)
        assert shown[-1].rstrip().endswith(text[-10:])
        assert reader.screen_row_of(reader.caret) == len(shown) - 1
        assert reader.scroll_y == reader.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert reader.caret == 0 and reader.scroll_y == 0 and reader.top_offset == 0
        await pilot.press("end")
        assert reader.caret == len(text) - 1
        await pilot.press("home")
        assert reader.caret == 0


async def test_page_keys_scroll_a_screen_less_a_row() -> None:
    text = long_text()
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        height = reader.scrollable_content_region.height
        before = rows(reader)
        await pilot.press("space")
        await pilot.pause()
        after = rows(reader)
        assert after[0] == before[height - 1]  # one row of context kept
        assert reader.screen_row_of(reader.caret) in (0, 1)  # 1 when row 0 is a blank one
        await pilot.press("pagedown", "b")
        await pilot.pause()
        assert rows(reader) == after
        await pilot.press("pageup")
        await pilot.pause()
        assert rows(reader) == before
        await pilot.press("b")  # at the top: the caret goes to the start
        assert reader.caret == 0


async def test_scrolling_up_through_estimated_rows_keeps_the_view_still() -> None:
    """From the end of a document whose rows above are only estimated, each row up shows
    exactly one new row at the top; each page up keeps one row of context."""
    text = long_text(400, seed=9)
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(60, 12)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("G")
        await pilot.pause()
        height = reader.scrollable_content_region.height
        for _ in range(40):
            before = rows(reader)
            reader.scroll_to(y=reader.scroll_y - 1, animate=False)
            await pilot.pause()
            assert rows(reader)[1:] == before[:-1]
        for _ in range(10):
            before = rows(reader)
            await pilot.press("b")
            await pilot.pause()
            assert rows(reader)[-1] == before[0]
        # and the mouse wheel
        before = rows(reader)
        reader.post_message(events.MouseScrollUp(reader, 5, 5, 0, -1, 0, False, False, False))
        await pilot.pause()
        after = rows(reader)
        shift = next(i for i in range(1, height) if after[i:] == before[: height - i])
        assert shift >= 1


async def test_highlights_render_on_the_right_cells_after_wide_characters() -> None:
    text = "中文😀 plain hit and [bold]not markup[/] hit again."
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        hits = [(text.index("hit"), text.index("hit") + 3), (text.index("hit again"), text.index("hit again") + 3)]
        reader.set_highlights("search", hits, current=1)
        await pilot.pause()
        strip = reader.render_line(0)
        row = cells(strip)
        hit_style = reader.get_component_rich_style("reader--hit")
        first_col = LEFT + cell_len(text[: hits[0][0]])
        second_col = LEFT + cell_len(text[: hits[1][0]])
        assert "".join(t for t, _ in row[first_col : first_col + 3]) == "hit"
        highlighted = columns_with(strip, lambda s: s.bgcolor == hit_style.bgcolor)
        assert highlighted == list(range(first_col, first_col + 3))
        current = columns_with(strip, lambda s: bool(s.underline))
        assert current == list(range(second_col, second_col + 3))
        assert reader.status == "100% · hit 2/2"
        reader.set_highlights("search", hits, current=0)
        await pilot.pause()
        assert columns_with(reader.render_line(0), lambda s: bool(s.underline)) == list(range(first_col, first_col + 3))
        assert reader.status == "100% · hit 1/2"
        reader.set_highlights("search", [])
        assert reader.status == "100%"


async def test_layers_merge_with_per_span_styles_and_margin_marks() -> None:
    text = "Alpha beta gamma delta.\n\nSecond paragraph."
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        reader.set_highlights("notes", [(0, 10, "on #0000ff"), (6, 16, Style(bgcolor="#00ff00"))])
        reader.set_highlights("search", [(6, 10)], "bold")
        reader.set_marks("notes", {0: "●"})
        reader.set_marks("compare", {text.index("Second"): ("only in A", "italic")})
        await pilot.pause()
        row = cells(reader.render_line(0))
        assert row[LEFT][1].bgcolor.name == "#0000ff"  # type: ignore[union-attr]
        assert row[LEFT + 6][1].bgcolor.name == "#00ff00" and row[LEFT + 6][1].bold  # type: ignore[union-attr]
        assert row[LEFT + 12][1].bgcolor.name == "#00ff00" and not row[LEFT + 12][1].bold  # type: ignore[union-attr]
        assert row[0][0] == "●" and row[1][0] == " "
        assert reader.render_line(2).text.startswith("… Second")  # the margin holds 2 cells at 80
        reader.clear_marks("notes")
        reader.clear_highlights()
        await pilot.pause()
        assert reader.render_line(0).text.startswith("  Alpha")
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(120, 10)) as pilot:  # a wide pane has room for margin text
        reader = app.query_one(Reader)
        reader.set_marks("compare", {text.index("Second"): ("only in A", "italic")})
        await pilot.pause()
        line = reader.render_line(2).text
        assert "only in A Second" in line
        assert cells(reader.render_line(2))[line.index("only")][1].italic


HOSTILE = "[bold]x[/] [link=http://evil]y[/link] \x1b[31mred\x1b[0m :smile: 中文😀 tail [/]"


async def test_hostile_text_renders_inert_and_aligned() -> None:
    doc = make_doc(HOSTILE)
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        strip = reader.render_line(0)
        assert strip.text[LEFT:].rstrip() == doc.text
        assert "\x1b" not in strip.text
        assert not any(seg.style and (seg.style.bold or seg.style.link) for seg in strip if "x" in seg.text)
        assert strip.cell_length == reader.scrollable_content_region.width
        tail = doc.text.index("tail")
        reader.set_highlights("search", [(tail, tail + 4)])
        await pilot.pause()
        hit_bg = reader.get_component_rich_style("reader--hit").bgcolor
        col = LEFT + cell_len(doc.text[:tail])
        assert columns_with(reader.render_line(0), lambda s: s.bgcolor == hit_bg) == list(range(col, col + 4))
        reader.move_caret(tail)
        await pilot.pause()
        assert columns_with(reader.render_line(0), lambda s: bool(s.reverse)) == [col]


async def test_resize_down_to_tiny_and_back() -> None:
    text = long_text(30)
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("}", "}", "w")
        caret = reader.caret
        for width, height in [(20, 6), (5, 6), (3, 4), (1, 3), (2, 2), (20, 6), (80, 24)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            for y in range(reader.scrollable_content_region.height):
                strip = reader.render_line(y)
                assert strip.cell_length <= max(1, reader.scrollable_content_region.width)
            assert reader.caret == caret
        await pilot.press("j", "G", "k", "space", "b", "g")
        await pilot.resize_terminal(4, 6)
        await pilot.press("j", "right", "e", "G", "k")
        await pilot.pause()
        assert reader.caret > 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert rows(reader)


async def test_resize_keeps_the_reading_position() -> None:
    text = long_text(60)
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        target = text.index("P30 ")
        reader.scroll_to_offset(target, center="top")
        await pilot.pause()
        assert reader.top_offset == target
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert reader.top_offset == target
        assert reader.render_line(0).text.strip().startswith("P30")


async def test_full_width_toggle_and_measure() -> None:
    text = "word " * 200
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(120, 10)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        line = reader.render_line(0).text
        left = len(line) - len(line.lstrip())
        assert len(line.strip()) <= 80 and left >= 15  # centred measure
        await pilot.press("f")
        await pilot.pause()
        assert reader.full_width
        line = reader.render_line(0).text
        assert len(line.strip()) > 100 and line.startswith("  w")
        await pilot.press("f")
        reader.measure = 40
        await pilot.pause()
        assert len(reader.render_line(0).text.strip()) <= 40


async def test_scroll_offset_to_row_and_top_offset() -> None:
    text = long_text(80)
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        target = text.index("P40 ")
        reader.scroll_offset_to_row(target, 5)
        await pilot.pause()
        assert reader.screen_row_of(target) == 5
        assert reader.offset_at_row_start(5) == target
        reader.scroll_to_offset(target, center=True)
        await pilot.pause()
        assert reader.screen_row_of(target) == reader.scrollable_content_region.height // 2
        reader.scroll_to_offset(0, center=False)
        await pilot.pause()
        assert reader.top_offset == 0
        scrolled = [m for m in app.messages if isinstance(m, Reader.Scrolled)]
        assert scrolled and scrolled[-1].top_offset == 0
        assert len({(m.top_offset, m.percent) for m in scrolled}) == len(scrolled) or all(
            (a.top_offset, a.percent) != (b.top_offset, b.percent) for a, b in itertools.pairwise(scrolled)
        )


async def test_a_key_brings_an_off_screen_caret_to_the_view_first() -> None:
    text = long_text(80)
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        target = text.index("P40 ")
        reader.scroll_to_offset(target, center="top")
        await pilot.pause()
        assert reader.caret == 0
        await pilot.press("j")
        assert reader.caret == target and reader.top_offset == target


async def test_click_sets_the_caret_and_shift_click_selects() -> None:
    text = "Click somewhere in this line.\n\nSecond paragraph here."
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        await pilot.click(Reader, offset=(LEFT + 6, 0))
        assert reader.caret == text.index("somewhere")
        await pilot.click(Reader, offset=(LEFT + 7, 2), shift=True)
        assert reader.selection == (text.index("somewhere"), text.index("paragraph") + 1)
        await pilot.click(Reader, offset=(70, 2))  # past the end of the row: its last character
        assert reader.caret == len(text) - 1 and reader.selection is None


async def test_load_another_document_resets_and_clear_shows_a_placeholder() -> None:
    app = ReaderApp(make_doc(PROSE))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("}", "v", "e")
        reader.set_highlights("search", [(0, 3)], current=0)
        reader.load(make_doc("Something else entirely.", rel="other.md"))
        await pilot.pause()
        assert reader.caret == 0 and reader.selection is None and reader.status == "100%"
        assert reader.render_line(0).text.startswith("  Something else")
        text = long_text(40)
        reader.load(make_doc(text), offset=text.index("P20 "))
        await pilot.pause()
        assert reader.caret == text.index("P20 ") and reader.top_offset == text.index("P20 ")
        reader.clear("Pick a document [bold]")
        await pilot.pause()
        assert reader.document is None and reader.status == ""
        assert any("Pick a document [bold]" in row for row in rows(reader))
        await pilot.press("j", "G", "v", "right")  # keys do nothing without a document
    empty = ReaderApp()
    async with empty.run_test(size=(40, 10)) as pilot:
        assert any("No document" in row for row in rows(empty.query_one(Reader)))


async def test_focus_caret_selection_visible_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReaderApp(make_doc(PROSE))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        reader = app.query_one(Reader)
        await pilot.press("}", "v", "w")
        await pilot.pause()
        row = cells(reader.render_line(2))
        caret_col = LEFT + len("First ")
        assert row[caret_col][1].reverse  # the caret, inside the selection
        assert all(row[x][1].underline for x in range(LEFT, caret_col + 1))  # the selection
        app.set_focus(None)
        await pilot.pause()
        assert not cells(reader.render_line(2))[caret_col][1].reverse  # unfocused: underline only


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_themes_style_the_components(theme: str) -> None:
    app = ReaderApp(make_doc(PROSE))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        reader = app.query_one(Reader)
        reader.set_highlights("search", [(2, 5)], current=0)
        await pilot.pause()
        row = cells(reader.render_line(0))
        base = row[LEFT + 6][1]
        assert row[LEFT + 2][1].bgcolor != base.bgcolor
        assert row[LEFT + 2][1].color != row[LEFT + 2][1].bgcolor


async def test_a_3mb_single_line_opens_and_scrolls_to_its_end() -> None:
    rng = random.Random(4)
    words = ["alpha", "beta", "gamma", "漢字", "δέλτα", "😀"]
    text = " ".join(rng.choice(words) for _ in range(700_000)) + " THE-END"
    assert len(text) > 3_000_000 and "\n" not in text
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        assert rows(reader)[0].strip().startswith(text[:20])
        await pilot.press("G")
        await pilot.pause()
        assert reader.caret == len(text) - 1
        assert rows(reader)[-1].rstrip().endswith("THE-END")
        await pilot.press("k", "b", "j", "g")
        assert reader.caret == 0
        middle = len(text) // 2
        reader.move_caret(middle)
        await pilot.pause()
        assert reader.screen_row_of(middle) is not None


async def test_a_3mb_line_without_spaces() -> None:
    text = "漢字テキスト" * 500_000 + "終"
    app = ReaderApp(make_doc(text))
    async with app.run_test(size=(40, 10)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("G")
        await pilot.pause()
        assert rows(reader)[-1].rstrip().endswith("終")
        for row in rows(reader):
            assert cell_len(row) <= reader.scrollable_content_region.width


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(35)
    words = [
        "the",
        "of",
        "and",
        "to",
        "in",
        "reading",
        "terminal",
        "paragraph",
        "**bold**",
        "*em*",
        "漢字",
        "😀",
        "caret",
    ]
    parts = []
    size = 0
    n = 0
    while size < 35 * 2**20:
        n += 1
        para = f"## Heading {n}" if n % 50 == 1 else " ".join(rng.choice(words) for _ in range(rng.randint(5, 300)))
        parts.append(para)
        size += len(para) + 2
    parts.append("The very last paragraph.")
    path = tmp_path_factory.mktemp("big") / "big.md"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


async def test_a_35mb_file_opens_goes_to_its_end_and_back(big_file: Path) -> None:
    assert big_file.stat().st_size > 35 * 2**20
    doc = open_corpus(big_file).load(big_file.name)
    app = ReaderApp()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        reader.load(doc)
        await pilot.pause()
        assert rows(reader)[0].strip() == "## Heading 1"
        await pilot.press("G")
        await pilot.pause()
        assert rows(reader)[-1].strip() == "The very last paragraph."
        assert reader.percent == 100 and reader.caret == len(doc.text.rstrip()) - 1
        before = rows(reader)
        await pilot.press("b")
        await pilot.pause()
        assert rows(reader)[-1] == before[0]
        reader.scroll_to(y=reader.max_scroll_y // 2, animate=False)  # a scrollbar drag
        await pilot.pause()
        assert 30 <= reader.percent <= 70
        top = reader.top_offset
        await pilot.press("j")
        assert reader.caret == top
        await pilot.press("g")
        assert reader.caret == 0 and reader.top_offset == 0


class PreloadedApp(App[None]):
    """Loads and places before the reader has a size."""

    def __init__(self, document: Document, offset: int) -> None:
        super().__init__()
        self.document = document
        self.offset = offset

    def compose(self) -> ComposeResult:
        reader = Reader()
        reader.load(self.document, offset=self.offset)
        reader.scroll_to_offset(self.offset, center=True)
        yield reader


async def test_load_and_scroll_before_the_pane_has_a_size() -> None:
    text = long_text(60)
    target = text.index("P30 ")
    app = PreloadedApp(make_doc(text), target)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        assert reader.caret == target
        assert reader.screen_row_of(target) == reader.scrollable_content_region.height // 2


async def test_bindings_have_ids_the_keymap_can_remap() -> None:
    ids = {binding.id for binding in Reader.BINDINGS}  # type: ignore[union-attr]
    assert {"reader.line_down", "reader.page_down", "reader.select", "reader.end"} <= ids
    for binding in Reader.BINDINGS:
        assert isinstance(binding, Binding) and binding.id and binding.id.startswith("reader.")
        assert binding.description
    app = ReaderApp(make_doc(UNMARKED_TITLE))
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_keymap({"reader.char_right": "x"})
        await pilot.pause()
        await pilot.press("x", "x")
        assert app.query_one(Reader).caret == 2


async def test_scrolled_is_posted_only_when_the_view_changes() -> None:
    app = ReaderApp(make_doc(long_text(60)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.messages.clear()
        await pilot.press("right", "right", "j")
        await pilot.pause()
        assert not [m for m in app.messages if isinstance(m, Reader.Scrolled)]
        await pilot.press("space")
        await pilot.pause()
        scrolled = [m for m in app.messages if isinstance(m, Reader.Scrolled)]
        assert len(scrolled) == 1 and scrolled[0].top_offset == app.query_one(Reader).top_offset


async def test_a_document_without_paragraph_spans_and_marks_at_the_end() -> None:
    text = "Just one line, no spans given"
    doc = make_doc(text)
    doc.paragraphs = []
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        reader.set_marks("notes", {len(text): "●"})
        await pilot.pause()
        assert reader.render_line(0).text.startswith("● Just one line")
        await pilot.press("G")
        assert reader.caret == len(text) - 1
