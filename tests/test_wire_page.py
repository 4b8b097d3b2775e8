"""Page down on the wire (issue 17): what a scroll of the reader sends, and that it leaves nothing stale.

A scroll refreshes, per screen row, only the cells where the row drawn there before or the row
drawn there now is not blank, and only the scrollbar cells its thumb leaves or enters
(`tui/widgets/reader_wire.py`). The pty test counts the bytes the installed `folio` writes for
`space` with the document list hidden; the pilot test replays every frame the app writes into a
terminal emulator and checks that, after page downs and ups, `G`, `g`, a selection and
highlights, the terminal shows exactly what a full repaint shows; the last test does the same for
the app after a query typed key by key and in a burst, the search pane, its status line and the
status bar's two parts drawn only where they change.
"""

from __future__ import annotations

from pathlib import Path

import pyte
import pytest
from textual import events
from textual._compositor import CompositorUpdate  # (only to read what the app writes, as a terminal would)
from textual.app import App, ComposeResult

from folio_reader.index.corpus import Document
from folio_reader.tui.widgets.reader import Reader
from folio_reader.tui.widgets.reader_frame import ReaderFrame
from tests.hostile import Pty
from tests.test_wire import open_reader, quiet_count

#: bytes a page down may write at 120x40 with the list hidden (the reader 119 cells wide):
#: 8,243-9,996 when a scroll refreshed the whole pane and the scrollbar's whole column (twice when
#: the document's row count changed); 6,069-6,316 on these four pages when the status line was one
#: widget (its title sent again with each new percentage); 5,922-6,169 while the blank margin was
#: the reader's (19 cells a row, which the compositor sends from the pane's edge); 5,330-5,561
#: since it is outside the reader, in its frame, the first page after `d` included (7,648 while the
#: layout that hid the list left the whole pane queued for the next refresh). Issue 17's target
PAGE_DOWN_BUDGET = 6_000


@pytest.mark.e2e
@pytest.mark.wire_budget
@pytest.mark.timeout(180)
def test_a_page_down_with_the_list_hidden_writes_less_than_its_budget(tmp_path: Path) -> None:
    term = open_reader(tmp_path)
    try:
        term.send("d", settle=0.5)  # to the list, then the list hidden: the reader takes the width
        term.send("d", settle=0)
        term.wait_until(lambda: "documents ·" not in term.text(), "the list hidden")
        quiet_count(term, quiet=1)
        counts = []
        for _ in range(4):  # (the longest seed is about six pages at 40 rows)
            counts.append(page_down(term))
        assert all(0 < n <= PAGE_DOWN_BUDGET for n in counts), counts
    finally:
        term.close()


def page_down(term: Pty) -> int:
    """Bytes written for one `space`: from the key until the page has moved (the status line's
    position changed; under load that can take longer than a quiet spell) and all is quiet."""
    start, status = len(term.raw), term.screen.display[-2]
    term.send(" ", settle=0)
    term.wait_until(lambda: term.screen.display[-2] != status, "the page moved")
    quiet_count(term)
    return len(term.raw) - start


def wide_document() -> Document:
    """Prose of ragged rows, a code block and a table wider than the measure, headings."""
    parts = []
    for n in range(40):
        parts.append(f"## Part {n}\n")
        parts.append(" ".join(f"word{n}x{i}" + ("," if i % 7 == 0 else "") for i in range(10 + (n * 13) % 70)) + "\n")
        if n % 5 == 0:
            parts.append("```\n" + "\n".join(f"code_{n}_{i} = " + "x" * (20 + 17 * i) for i in range(6)) + "\n```\n")
        if n % 7 == 3:
            parts.append(
                "| a | b |\n|---|---|\n"
                + "".join(f"| {'cell ' * (i + 3)} | {'w' * (30 + 9 * i)} |\n" for i in range(4))
            )
    return Document.from_text("wide.md", "\n".join(parts))


class Terminal:
    """What the app writes, fed to a terminal emulator as a real terminal would be."""

    def __init__(self, cols: int, rows: int) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)

    def cells(self) -> list[list[tuple[object, ...]]]:
        buffer = self.screen.buffer
        return [
            [
                (c.data, c.fg, c.bg, c.reverse, c.bold, c.italics, c.underscore)
                for c in (buffer[y][x] for x in range(self.screen.columns))
            ]
            for y in range(self.screen.lines)
        ]


class WireApp(App[None]):
    def __init__(self, document: Document, terminal: Terminal, *, framed: bool = False) -> None:
        super().__init__()
        self.document, self.terminal, self.framed = document, terminal, framed
        self.full: Terminal | None = None

    def compose(self) -> ComposeResult:
        if self.framed:  # as the main screen has it: the blank margin outside the reader
            with ReaderFrame():
                yield Reader(self.document)
        else:
            yield Reader(self.document)

    def on_mount(self) -> None:
        self.query_one(Reader).focus()

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(renderable, CompositorUpdate):
            text = renderable.render_segments(self.console)
            for term in (self.terminal, self.full):
                if term is not None:
                    term.stream.feed(text)
        super()._display(screen, renderable)


@pytest.mark.parametrize("framed", [False, True], ids=["reader", "in its frame"])
async def test_after_page_moves_the_terminal_shows_what_a_full_repaint_shows(framed: bool) -> None:
    cols, rows = 100, 30
    terminal = Terminal(cols, rows)
    app = WireApp(wide_document(), terminal, framed=framed)
    async with app.run_test(size=(cols, rows)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        text = reader.document.text if reader.document else ""
        hits = [(i, i + 5) for i in range(0, len(text), 997)]
        reader.set_highlights("search", hits, current=2)
        reader.set_marks("notes", {start: "●" for start, _ in hits[::3]})
        sequences = [
            ("space", "space", "space"),
            ("b", "space", "b", "b"),
            ("v", "space", "space", "j", "b"),  # a selection growing over pages
            ("escape", "G"),
            ("b", "b", "g"),
            ("f", "space", "space", "G", "b"),  # full width: code and table rows run to the edge
            ("f", "space", "b"),  # the measure again (in a frame: the blank margin outside again)
            ("marks", "space", "b"),  # wider marks: the margin they need taken back inside
        ]
        outside = [7, 7, 7, 7, 7, 0, 7, 2]
        for keys in sequences:
            if keys[0] == "marks":
                reader.set_marks("notes", {start: "note ●" for start, _ in hits[::2]})
                keys = keys[1:]
            await pilot.press(*keys)
            await pilot.pause()
            if framed:  # the margin's 9 blank cells outside, but what the marks need: 2 for "●"
                assert reader.styles.margin.left == outside.pop(0), keys  # ("note ●": 7; full width: 0)
            shown = terminal.cells()
            app.full = Terminal(cols, rows)
            reader.refresh()  # every row rendered again from the reader's state, and the scrollbar
            reader.vertical_scrollbar.refresh()
            app.screen.refresh()  # everything written again, to a blank terminal
            await pilot.pause()
            full, app.full = app.full, None
            assert full.screen.display != [" " * cols] * rows
            stale = [
                (y, x)
                for y, (a, b) in enumerate(zip(shown, full.cells(), strict=True))
                for x in range(cols)
                if a[x] != b[x]
            ]
            assert not stale, (keys, stale[:10], terminal.screen.display[stale[0][0]], full.screen.display[stale[0][0]])


async def test_after_typing_a_query_the_terminal_shows_what_a_full_repaint_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search pane, its status line over the results, the status bar's two parts and the
    panes' scrollbars, all drawn only where they change (issue 17): after `/`, each key of a query,
    a burst, ctrl+u, a result opened and page downs, the terminal shows what a full repaint shows."""
    from tests.helpers import make_app, settle

    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")  # (no blink: a cursor drawn in one phase)
    cols, rows = 120, 40
    terminal = Terminal(cols, rows)
    app = make_app(index_dir=tmp_path / "index")
    full: list[Terminal] = []
    display = app._display

    def _display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(renderable, CompositorUpdate):
            text = renderable.render_segments(app.console)
            for term in [terminal, *full]:
                term.stream.feed(text)
        display(screen, renderable)

    app._display = _display  # type: ignore[method-assign]
    async with app.run_test(size=(cols, rows)) as pilot:
        await settle(pilot)
        steps = [("enter", "slash", "t", "a"), ("r", "i"), ("f", "f"), ("ctrl+u", *"tariff"), ("enter", "space")]
        for keys in steps:
            await pilot.press(*keys)
            await pilot.pause(0.15)  # (a burst's query goes after the debounce)
            await settle(pilot)
            shown = terminal.cells()
            full.append(Terminal(cols, rows))
            app.screen.refresh()
            for widget in app.screen.query("*"):
                widget.refresh()
            await pilot.pause()
            after = full.pop().cells()
            stale = [(y, x) for y in range(rows) for x in range(cols) if shown[y][x] != after[y][x]]
            assert not stale, (keys, stale[:10], terminal.screen.display[stale[0][0]])


async def test_the_mouse_over_the_margin_outside_the_reader_still_reaches_it() -> None:
    """The frame's cells were the reader's: a wheel over them scrolls it, a click there puts the
    caret at the start of that row (as a click left of the text did) and focuses the reader."""
    app = WireApp(wide_document(), Terminal(100, 30), framed=True)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        assert reader.styles.margin.left == 7
        app.set_focus(None)
        await pilot.click(ReaderFrame, offset=(3, 4))
        assert app.focused is reader and reader.caret == reader.offset_at_row_start(4)
        await pilot.click(ReaderFrame, offset=(3, 2), shift=True)
        assert reader.selection == (reader.offset_at_row_start(2), reader.offset_at_row_start(4) + 1)
        top = reader.top_offset
        frame = app.query_one(ReaderFrame)
        frame.post_message(events.MouseScrollDown(frame, 3, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert reader.top_offset > top
        frame.post_message(events.MouseScrollUp(frame, 3, 5, 0, -1, 0, False, False, False))
        await pilot.pause()
        assert reader.top_offset == top
