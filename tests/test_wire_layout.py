"""Layouts on the wire (issue 17): a layout of the screen that changes nothing of a Line-API pane
leaves its scrollbar alone (`tui/widgets/line_view.py`).

Textual's `Input` sets its `virtual_size` on every key typed, so each key lays the screen out
again, and `ScrollView._size_updated` then refreshed the scrollbar column of every Line-API pane
taller than its content: the reader's 38 rows, three layouts a key typed into the search box. The
frames the app writes are read as a terminal would read them (`CompositorUpdate`), and the cells
they cover are checked. The status line is two widgets, so that a new position does not send
the title again (`tui/widgets/status_bar.py`).
"""

from __future__ import annotations

from rich.text import Text
from textual._compositor import ChopsUpdate, CompositorUpdate  # (only to read what the app writes)
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input

from folio_reader.index.corpus import Document
from folio_reader.tui.widgets.reader import Reader
from folio_reader.tui.widgets.result_list import Entry, ResultRows
from folio_reader.tui.widgets.search_pane import SearchPane
from folio_reader.tui.widgets.status_bar import StatusBar


class TypingApp(App[None]):
    """A search box beside the reader and a results list, both taller in content than on screen."""

    CSS = "Input { width: 40; } ResultRows { width: 30; }"

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[int, int, int]] = []  #: (y, x1, x2) of every frame written
        self.frames: list[list[tuple[int, int, int]]] = []  #: the same, frame by frame

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Input(id="box")
            yield ResultRows(id="results")
            yield Reader(Document.from_text("long.txt", "\n\n".join(f"Paragraph {n} of many." for n in range(200))))

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(renderable, ChopsUpdate):
            self.frames.append(list(renderable.spans))
        elif isinstance(renderable, CompositorUpdate):  # (a whole screen: every cell)
            self.frames.append([(y, 0, self.size.width) for y in range(self.size.height)])
        if isinstance(renderable, CompositorUpdate):
            self.spans += self.frames[-1]
        super()._display(screen, renderable)


def covered(spans: list[tuple[int, int, int]], x: int) -> set[int]:
    return {y for y, x1, x2 in spans if x1 <= x < x2}


async def test_typing_in_a_box_leaves_the_scrollbars_of_the_panes_beside_it() -> None:
    app = TypingApp()
    async with app.run_test(size=(120, 30)) as pilot:
        results = app.query_one(ResultRows)
        results.set_entries([Entry(f"e{n}", Text(f"result {n}\nits details")) for n in range(40)], 0)
        app.query_one(Input).focus()
        await pilot.pause()
        reader, bar = app.query_one(Reader), app.query_one(Reader).vertical_scrollbar
        assert reader.show_vertical_scrollbar and results.show_vertical_scrollbar
        reader_bar, results_bar = bar.region.x, results.vertical_scrollbar.region.x
        app.spans.clear()
        await pilot.press(*"tariff")
        await pilot.pause()
        assert app.query_one(Input).value == "tariff"
        assert covered(app.spans, 0), "the box was not drawn"  # (the frames were seen)
        assert not covered(app.spans, reader_bar), "the reader's scrollbar was repainted"
        assert not covered(app.spans, results_bar), "the results' scrollbar was repainted"


async def test_the_scrollbar_still_follows_the_rows() -> None:
    """When the pane's own rows change in number, the layout still sets its scrollbar."""
    app = TypingApp()
    async with app.run_test(size=(120, 30)) as pilot:
        results = app.query_one(ResultRows)
        results.set_entries([Entry(f"e{n}", Text(f"result {n}")) for n in range(5)], 0)
        await pilot.pause()
        assert not results.show_vertical_scrollbar
        results.set_entries([Entry(f"e{n}", Text(f"result {n}")) for n in range(100)], 0)
        await pilot.pause()
        bar = results.vertical_scrollbar
        assert results.show_vertical_scrollbar and bar.window_virtual_size == 100
        assert bar.window_size == results.scrollable_content_region.height
        results.set_entries([Entry(f"e{n}", Text(f"result {n}")) for n in range(3)], 0)
        await pilot.pause()
        assert not results.show_vertical_scrollbar


async def test_results_that_come_to_need_a_scrollbar_are_sent_once() -> None:
    """An answer taller than the list: the scrollbar is shown as the rows are laid out, so the
    rows go out once at the width it leaves, and its column once (it went out a second time,
    when the layout reset the scrollbar it had just drawn)."""
    app = TypingApp()
    async with app.run_test(size=(120, 30)) as pilot:
        results = app.query_one(ResultRows)
        many = [Entry(f"e{n}", Text(f"result {n}, a title long enough to wrap at thirty cells")) for n in range(40)]
        results.set_entries(many, 0)
        await pilot.pause()
        x = results.vertical_scrollbar.region.x
        results.set_entries(many[:2], 0)
        await pilot.pause()
        assert not results.show_vertical_scrollbar
        app.frames.clear()
        results.set_entries(many, 0)
        await pilot.pause()
        assert results.show_vertical_scrollbar
        bar_frames = [n for n, spans in enumerate(app.frames) if covered(spans, x)]
        assert len(bar_frames) == 1, app.frames
        text_frames = [n for n, spans in enumerate(app.frames) if covered(spans, results.region.x + 1)]
        assert len(text_frames) == 1, app.frames


class StatusApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []  #: what each frame writes to the terminal

    def compose(self) -> ComposeResult:
        yield StatusBar()

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(renderable, CompositorUpdate):
            self.sent.append(renderable.render_segments(self.console))
        super()._display(screen, renderable)


async def test_a_new_position_sends_the_position_not_the_title() -> None:
    """The compositor writes a refreshed widget from its left edge: the status line was one
    widget, so each page down sent the document's title again with its new percentage."""
    app = StatusApp()
    async with app.run_test(size=(100, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.document, bar.position = "A title to recognise on the wire", "41%"
        await pilot.pause()
        app.sent.clear()
        bar.position = "42%"
        await pilot.pause()
        sent = "".join(app.sent)
        assert "42%" in sent
        assert "recognise" not in sent
        bar.hit = "hit 3/12"  # (wider: the title's part narrows, and both are drawn again, once)
        await pilot.pause()
        assert "".join(app.sent).count("recognise") == 1, app.sent
        assert str(bar.render()) == "A title to recognise on the wire  hit 3/12  42%"


class PaneApp(TypingApp):
    def compose(self) -> ComposeResult:
        yield SearchPane()


async def test_a_status_that_changes_height_is_sent_once() -> None:
    app = PaneApp()
    async with app.run_test(size=(44, 20)) as pilot:
        pane = app.query_one(SearchPane)
        pane.set_status("No matches.")
        await pilot.pause()
        y = app.query_one("#search-status").region.y
        app.frames.clear()
        pane.set_status("No matches. Did you mean: tariffs  (ctrl+g takes it), a line that wraps")
        await pilot.pause()
        assert app.query_one("#search-status").region.height == 2
        sent = [n for n, spans in enumerate(app.frames) if y in covered(spans, 2)]
        assert len(sent) == 1, app.frames


class SwitchApp(TypingApp):
    def compose(self) -> ComposeResult:
        yield Input(id="other")
        pane = SearchPane()
        pane.display = False
        yield pane


async def test_the_search_pane_shown_is_sent_once() -> None:
    """`/` shows the pane in place of the document list: it went out three times, the third a
    frame after the layout that showed it, by Textual's virtual-size reactive on the pane."""
    app = SwitchApp()
    async with app.run_test(size=(44, 20)) as pilot:
        await pilot.pause()
        app.frames.clear()
        app.query_one(Input).display = False
        app.query_one(SearchPane).display = True
        await pilot.pause()
        y = app.query_one(SearchPane).region.y + app.query_one(SearchPane).region.height - 1  # (its last row)
        sent = [n for n, spans in enumerate(app.frames) if y in covered(spans, 2)]
        assert len(sent) <= 2, app.frames  # (Textual's two: the refresh and the layout; a third came from the pane)
