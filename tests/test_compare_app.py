"""The compare screen through Textual's pilot: opening a pair three ways, then reading it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import folio_reader.index.compare.cache as cache_module
import folio_reader.index.compare.engine as engine_module
from folio_reader.index import locations
from folio_reader.index.compare import ComparisonCancelled
from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from folio_reader.tui.comparing import CompareRequest
from folio_reader.tui.library import Library
from folio_reader.tui.screens.compare import CompareScreen
from folio_reader.tui.screens.help import HelpScreen
from folio_reader.tui.screens.main import MainScreen
from folio_reader.tui.screens.pick_document import PickDocumentScreen
from folio_reader.tui.widgets.compare_reader import ONLY_MARK
from tests.conftest import SEED_NAMES
from tests.helpers import Notifications, settle

WSWS_OCT, WSWS_MAY, WSWS_JULY, CBC_MAY, PREVIEW_OCT = SEED_NAMES


def make_app(corpus_dir: Path | None = None, pair: tuple[str, str] | None = None) -> FolioApp:
    return FolioApp(open_corpus(corpus_dir), start_compare=pair)


async def open_pair(pilot, size=(120, 40)) -> CompareScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen)
    assert screen.comparison is not None
    return screen


def offered(picker: PickDocumentScreen) -> list[str]:
    options = picker.options
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


def row_text(reader, row: int) -> str:
    return "".join(segment.text for segment in reader.render_line(row))


# -- opening a pair -----------------------------------------------------------------------------


async def test_c_on_the_list_asks_for_the_second_most_similar_first() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main: MainScreen = app.screen
        await pilot.press("down", "c")  # 001, the May meeting as the WSWS told it
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickDocumentScreen)
        document = app.corpus.load(WSWS_MAY)
        expected = [rel for rel, _ in main.index.more_like(document, top=10)]
        # the other readable documents, in the order of the index's "more like this"; for 001
        # that is the other WSWS account of a Trump-Carney White House meeting (October's), while
        # CBC's account of the same May meeting shares fewer key terms and comes last
        assert offered(picker) == expected
        assert offered(picker)[0] == WSWS_OCT
        assert WSWS_MAY not in offered(picker)
        assert "most similar first" in str(picker.query_one("#pick-status").render())
        await pilot.press(*"cbc")  # typing filters
        await pilot.pause()
        assert offered(picker) == [CBC_MAY]
        await pilot.press("enter")
        screen = await open_pair(pilot)
        assert screen.rels == {"a": WSWS_MAY, "b": CBC_MAY}
        assert str(screen.title_of("a").heading).startswith("A  White House meeting between Trump and Carney")
        assert "CBC News · 2025-05-05" in str(screen.title_of("b").heading)
        assert screen.reader("a").document.rel == WSWS_MAY and screen.reader("b").document.rel == CBC_MAY


async def test_the_picker_moves_with_arrows_and_escape_cancels() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickDocumentScreen)
        await pilot.press("down")
        assert picker.options.highlighted == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_without_the_index_the_picker_offers_corpus_order(monkeypatch) -> None:
    monkeypatch.setattr(Library, "open", lambda self, node: None)  # the index never opens
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_compare(CompareRequest(CBC_MAY))
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickDocumentScreen)
        assert offered(picker) == [WSWS_OCT, WSWS_MAY, WSWS_JULY, PREVIEW_OCT]
        assert "corpus order" in str(picker.query_one("#pick-status").render())
        await pilot.press("down", "enter")
        screen = await open_pair(pilot)
        assert screen.rels == {"a": CBC_MAY, "b": WSWS_MAY}


async def test_compare_from_the_palette_with_the_open_document() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open 000
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Compare")
        await pilot.pause(0.5)  # the palette searches its providers asynchronously
        await pilot.press("enter")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickDocumentScreen) and picker.a_rel == WSWS_OCT
        assert offered(picker)[0] == WSWS_MAY  # the other WSWS meeting account
        await pilot.press("enter")
        screen = await open_pair(pilot)
        assert screen.rels == {"a": WSWS_OCT, "b": WSWS_MAY}


async def test_start_compare_opens_the_screen_straight_away() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))  # what `folio compare A B` runs in a terminal
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        comparison = screen.comparison
        assert len(comparison.shared_quotes) == 5 and comparison.only_in_a and comparison.only_in_b
        status = str(screen.status_text())
        assert status.startswith("sync on")
        assert f"{len(comparison.alignment)} pairs" in status
        assert f"only in A {len(comparison.only_in_a)}, B {len(comparison.only_in_b)}" in status
        assert "5 quotes" in status
        # cached by content in the user cache dir
        cached = list(locations.compare_cache_dir(Path(app.corpus.label)).glob("compare-*.json"))
        assert len(cached) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


# -- reading a pair -----------------------------------------------------------------------------


async def test_sync_levels_the_best_counterpart_with_the_passage() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        a, b = screen.reader("a"), screen.reader("b")
        target = (3204, 3774)  # A ¶14 (000's byline and date are two), best counterpart deep in B (¶8)
        assert a.document.paragraphs.index(target) == 13
        for _ in range(13):
            await pilot.press("right_curly_bracket")  # `}`: next paragraph
        await pilot.pause()
        assert a.paragraph_at(a.caret) == target
        panes = screen.panes
        best = screen.comparison.side("a").counterparts(a.caret)[0]
        assert panes.counterparts[0] == best and best.theirs[0] > 1000
        row = a.screen_row_of(target[0])
        assert row is not None and row > 0
        assert abs(b.screen_row_of(best.theirs[0]) - row) <= 1
        status = str(screen.status_text())
        assert f"A ¶14 ↔ B ¶8 {best.score:.2f}" in status
        # the counterparts are highlighted in B, the best one on top
        layer = b._layers["counterpart"]
        assert "reader--counterpart-best" in layer.styles and len(layer.starts) == len(panes.counterparts)
        # n levels the next counterpart instead
        await pilot.press("n")
        await pilot.pause()
        second = panes.counterparts[1]
        assert abs(b.screen_row_of(second.theirs[0]) - a.screen_row_of(target[0])) <= 1
        assert "(2/3" in str(screen.status_text())
        # with sync off, B stays where it is
        await pilot.press("S")
        await pilot.pause()
        assert str(screen.status_text()).startswith("sync off")
        top = b.top_offset
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await pilot.pause()
        assert b.top_offset == top
        assert panes.passage != target  # the passage and its highlights still follow the caret
        await pilot.press("S")  # back on: levels at once
        await pilot.pause()
        if panes.counterparts:
            best = panes.counterparts[0]
            row = a.screen_row_of(best.mine[0])
            assert row is not None and abs(b.screen_row_of(best.theirs[0]) - row) <= 1


async def test_a_caret_moved_in_b_aligns_a() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        a, b = screen.reader("a"), screen.reader("b")
        await pilot.press("tab")
        assert app.focused is b
        for _ in range(21):  # B ¶22: the closing paragraph both accounts share word for word
            await pilot.press("right_curly_bracket")
        await pilot.pause()
        panes = screen.panes
        assert panes.lead == "b" and panes.counterparts
        best = panes.counterparts[0]
        assert best.score == 1.0
        row = b.screen_row_of(best.mine[0])
        assert row is not None and abs(a.screen_row_of(best.theirs[0]) - row) <= 1


async def test_jump_through_shared_quotes_and_the_quotes_panel() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        a, b = screen.reader("a"), screen.reader("b")
        quotes = screen.comparison.shared_quotes
        menace = next(n for n, q in enumerate(quotes) if q.text.startswith("Trump is a menace"))
        assert len(quotes[menace].text.split()) > 60  # the long quote 000 and 001 share
        for n in range(menace + 1):
            await pilot.press("x")
            await pilot.pause()
            assert screen.panes.quote_index == n
            assert a.caret == quotes[n].a[0][0] and b.caret == quotes[n].b[0][0]
            # shown level in both panes
            assert abs(a.screen_row_of(quotes[n].a[0][0]) - b.screen_row_of(quotes[n].b[0][0])) <= 1
        await pilot.press("X")
        await pilot.pause()
        assert screen.panes.quote_index == menace - 1 and a.caret == quotes[menace - 1].a[0][0]
        # the quotes are highlighted in both panes, the current one on top
        assert len(b._layers["quotes"].starts) == sum(len(q.b) for q in quotes)
        assert b._layers["quotes"].styles.count("reader--quote-current") == len(quotes[menace - 1].b)
        # from B, x goes through B's quotes and shows them in A
        await pilot.press("tab", "G", "X")
        await pilot.pause()
        last = max(range(len(quotes)), key=lambda n: quotes[n].b[-1][0])
        assert screen.panes.quote_index == last and b.caret == quotes[last].b[-1][0]
        # the panel: enter on a quote shows it in both panes
        await pilot.press("p")
        await pilot.pause()
        panel = screen.quotes_panel
        assert panel.display and app.focused is panel.view
        assert panel.count == len(quotes)
        assert panel.view.cursor == last  # on the quote last shown
        await pilot.press("g", *["j"] * menace)
        assert panel.view.cursor == menace
        await pilot.press("enter")
        await pilot.pause()
        assert a.caret == quotes[menace].a[0][0] and b.caret == quotes[menace].b[0][0]
        assert app.focused is panel.view
        await pilot.press("escape")  # closes the panel, not the screen
        await pilot.pause()
        assert not panel.display and isinstance(app.screen, CompareScreen)
        assert app.focused in (a, b)


async def test_only_here_passages_are_marked_and_jumped_to() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        a, b = screen.reader("a"), screen.reader("b")
        only_a, only_b = screen.comparison.only_in_a, screen.comparison.only_in_b
        for span in only_a[:3]:
            await pilot.press("o")
            await pilot.pause()
            assert a.caret == span[0]
            assert str(screen.status_text()).split(" │ ")[1].endswith("only in A")
            row = a.screen_row_of(span[0])
            assert row_text(a, row).startswith(ONLY_MARK)  # the margin mark
            assert not b._layers["counterpart"].starts  # nothing to show in B
        await pilot.press("O")
        await pilot.pause()
        assert a.caret == only_a[1][0]
        await pilot.press("tab", "o")
        await pilot.pause()
        # B's passage opens with a hidden `**` (issue 12): the caret is on its first shown character
        assert b.caret == b.snap(only_b[0][0]) and app.focused is b
        assert b.snap(only_b[0][0]) == only_b[0][0] + 2 and b.document.text[only_b[0][0] : b.caret] == "**"
        assert row_text(b, b.screen_row_of(only_b[0][0])).startswith(ONLY_MARK)
        # a paragraph with a counterpart carries no mark
        paired = screen.comparison.alignment[0].a
        a.scroll_to_offset(paired[0], center="top")
        await pilot.pause()
        assert not row_text(a, a.screen_row_of(paired[0])).startswith(ONLY_MARK)


async def test_tab_switches_panes_and_escape_goes_back() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        a, b = screen.reader("a"), screen.reader("b")
        assert app.focused is a
        await pilot.press("tab")
        assert app.focused is b
        # the focused pane's title says so
        assert screen.query_one("#pane-b").has_class("-focused")
        assert not screen.query_one("#pane-a").has_class("-focused")
        await pilot.press("tab")
        assert app.focused is a
        await pilot.press("shift+tab")
        assert app.focused is b
        await pilot.press("p", "shift+tab")  # with the panel open it is in the ring too
        assert app.focused is b
        await pilot.press("tab", "tab")
        assert app.focused is a
        await pilot.press("p")  # closed again
        # the panes are the Reader: its keys work in each
        await pilot.press("j", "v", "w")
        assert a.selection is not None
        await pilot.press("escape")  # cancels the selection first
        await pilot.pause()
        assert a.selection is None and isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.is_running


async def test_q_quits_from_folio_compare() -> None:
    """Regression (issue 14 item 5): `q` on the screen `folio compare A B` opens went back to the
    main screen (the full reader) instead of quitting, as `q` does everywhere else."""
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pair(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running and app.return_code == 0


async def test_a_comparison_opened_from_the_reader_opens_where_it_was_read_and_escape_goes_back() -> None:
    """Regression (issue 14 items 5 and 11): A opened at its top rather than where the reader
    was; escape goes back to the reader, there as it was, and `q` quits."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open 000
        await settle(pilot)
        main: MainScreen = app.screen
        for _ in range(13):
            await pilot.press("right_curly_bracket")  # the caret to A ¶14, far down the text
        await pilot.press("j", "j")
        await pilot.pause()
        caret, top = main.reader.caret, main.reader.top_offset
        assert top > 1000 and caret > top
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # the most similar: 001
        screen = await open_pair(pilot)
        a, b = screen.reader("a"), screen.reader("b")
        assert a.caret == caret and a.screen_row_of(caret) is not None  # where it was, on screen
        assert top <= a.top_offset <= caret  # (the pane is narrower: scrolled on to show the caret)
        # the passage there is the one shown, its best counterpart levelled in B at once
        best = screen.comparison.side("a").counterparts(caret)[0]
        assert screen.panes.passage == a.paragraph_at(caret) and screen.panes.counterparts[0] == best
        assert abs(b.screen_row_of(best.theirs[0]) - a.screen_row_of(best.mine[0])) <= 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and main.reader.caret == caret and main.reader.top_offset == top
        assert app.focused is main.reader
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")
        await open_pair(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_panes_are_stacked_below_100_columns() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pair(pilot)
        a, b = screen.query_one("#pane-a"), screen.query_one("#pane-b")
        assert screen.stacked
        assert a.region.x == b.region.x == 0 and a.region.width == b.region.width == 80
        assert a.region.bottom <= b.region.y
        assert a.region.height >= 8 and b.region.height >= 8
        await pilot.press("p")
        await pilot.pause()
        panel = screen.quotes_panel
        assert panel.region.width == 80 and panel.region.y >= b.region.bottom
        # in the quotes list the footer still has room for `? Help` (its enter is in the heading)
        assert app.focused is panel.view and "Help" in app.export_screenshot()
        assert "enter shows one in both" in str(panel.query_one("#quote-heading").render())
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.stacked and a.region.y == b.region.y and a.region.right <= b.region.x


# -- help, palette, errors, cancelling ----------------------------------------------------------


async def test_every_compare_key_is_in_help_and_the_palette() -> None:
    app = make_app(pair=(WSWS_OCT, WSWS_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        for binding in CompareScreen.BINDINGS:
            # the screen's own keys are compare.*; `q` is the app's quit, remapped with it everywhere
            assert binding.description and binding.id.startswith("app." if binding.key == "q" else "compare.")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {row.name for row in app.screen.rows}
        assert {"Sync", "Only here", "Quote", "Quotes", "Next counterpart", "Next pane", "Back", "Quit"} <= described
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Sync", "Only here", "Previous only-here passage", "Quote", "Previous shared quote", "Quotes"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Sync")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and not screen.panes.sync


async def test_an_unreadable_document_is_a_notification(tmp_path: Path, notifications: Notifications) -> None:
    (tmp_path / "good.md").write_text("# Good\n\nFine text.\n")
    (tmp_path / "bad.txt").write_bytes(b"\0\1\2\3" * 64)
    app = make_app(tmp_path, pair=("good.md", "bad.txt"))
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is None
        assert any("bad.txt" in str(n.message) and n.severity == "error" for n in notifications.seen)
        assert "cannot read B" in str(screen.status_text())
        assert screen.reader("a").document.rel == "good.md"
        await pilot.press("x")  # nothing to jump to, and it says why
        await pilot.pause()
        assert app.is_running


async def test_a_failing_comparison_is_a_notification(monkeypatch, notifications: Notifications) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("no room")

    monkeypatch.setattr(engine_module, "compare", broken)
    app = make_app(pair=(WSWS_OCT, CBC_MAY))
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is None
        assert notifications.count("The comparison failed: RuntimeError: no room")
        assert screen.reader("a").document is not None  # still readable side by side
        assert "the comparison failed" in str(screen.status_text())


async def test_the_marks_arrive_before_the_cache_file_is_written(monkeypatch) -> None:
    """Regression: the worker wrote the comparison's JSON file (0.4-0.9 s on big pairs) before it
    posted the comparison, so the marks waited on the disk. They come first now; the file is
    written after, and a write that fails is only logged."""
    release, written = threading.Event(), threading.Event()
    real_write = cache_module.write_json_atomic

    def slow_write(path, value, **kwargs):
        if not release.wait(10):  # held until the test has seen the marks
            raise AssertionError("the marks never arrived while the file was being written")
        real_write(path, value, **kwargs)
        written.set()

    monkeypatch.setattr(cache_module, "write_json_atomic", slow_write)
    app = make_app(pair=(WSWS_OCT, CBC_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, CompareScreen) and screen.comparison is not None:
                break
        assert isinstance(screen, CompareScreen) and screen.comparison is not None
        cache_dir = locations.compare_cache_dir(Path(app.corpus.label))
        assert not written.is_set() and not list(cache_dir.glob("compare-*.json"))
        release.set()
        await app.workers.wait_for_complete()
        assert written.is_set() and len(list(cache_dir.glob("compare-*.json"))) == 1


async def test_the_panes_work_while_aligning_and_leaving_cancels(monkeypatch) -> None:
    """The documents show at once; the marks come later; closing the screen stops the work."""
    release = threading.Event()
    stopped = threading.Event()

    def slow(a, b, *, settings, progress, should_stop):
        progress(0.5)
        while not release.is_set():
            if should_stop():
                stopped.set()
                raise ComparisonCancelled
            release.wait(0.01)
        raise AssertionError("not released in this test")

    monkeypatch.setattr(engine_module, "compare", slow)
    app = make_app(pair=(WSWS_OCT, CBC_MAY))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(20):  # until both documents are shown (the worker keeps running)
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, CompareScreen) and all(screen.documents.values()):
                break
        assert screen.comparison is None and screen.has_class("-aligning")
        a = screen.reader("a")
        await pilot.press("right_curly_bracket", "j")  # the pane reads while the work goes on
        assert a.caret > 0
        assert "aligning" in str(screen.status_text())
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert stopped.is_set() and isinstance(app.screen, MainScreen)
    release.set()


@pytest.mark.e2e
def test_folio_compare_opens_the_screen_in_a_terminal() -> None:

    from tests.helpers import Terminal

    term = Terminal("compare", WSWS_OCT, WSWS_MAY)
    try:
        term.wait_for("5 quotes")
        text = term.text()
        assert "A  In White House meeting" in text and "B  White House meeting" in text
        term.send("x")
        term.wait_for("A ¶14 ↔ B ¶8")
        term.send("q")  # quits, as everywhere
        term.wait_exit(20)  # (read to the end into `raw`: pexpect's own expect keeps what it reads)
    finally:
        term.child.close(force=True)
    assert term.child.exitstatus == 0
    assert b"Traceback" not in bytes(term.raw)


# -- names that hold terminal escapes -----------------------------------------------------------

#: File names as an uncurated folder may hold them: each would retitle the terminal, clear it or
#: write the clipboard if it reached the terminal raw.
HOSTILE_NAMES = (
    "title\x1b]2;owned-title-two\x1b\\.txt",
    "bel\x1b]0;owned-title\x07.txt",
    "clear\x1b[2J\x1b]52;c;b3duZWQ=\x07.txt",
)
HOSTILE_CATALOG = '["cat.txt"]\ntitle = "Catalog \\u001b]2;owned-cat\\u001b\\\\ title"\noutlet = "Out\\u001b[2Jlet"\n'


def hostile_names_corpus(root: Path) -> Path:
    root.mkdir()
    prose = "The harbour authority approved a new ferry terminal after months of dispute over dredging costs."
    (root / "a.txt").write_text(f"Harbour news\n\n{prose}\n\nFarmers in the valley reported a late frost.\n")
    (root / "cat.txt").write_text(f"Catalogued\n\n{prose}\n")
    (root / "catalog.toml").write_text(HOSTILE_CATALOG)
    for n, name in enumerate(HOSTILE_NAMES):
        (root / name).write_text(f"Escape in the name {n}\n\n{prose} Number {n}.\n")
    (root / "empty\x1b]2;owned-empty\x1b\\.txt").write_bytes(b"")
    return root


def assert_inert(app: FolioApp) -> None:
    shot = app.export_screenshot()
    assert "\x1b" not in shot and "\x07" not in shot and "\x9b" not in shot
    assert "␛" in shot  # the escapes are shown, as visible stand-ins


async def test_file_names_and_catalog_text_reach_the_picker_and_the_panes_inert(tmp_path: Path) -> None:
    """Regression (issue 13 item 7): the compare picker put file names raw into its metadata
    lines, its heading and its status line (a name holding `ESC ] 2 ; … ESC \\` retitled the
    terminal); the panes' titles did the same with catalog titles and outlets and with the name
    of a file that cannot be read."""
    root = hostile_names_corpus(tmp_path / "corpus")
    app = FolioApp(open_corpus(root), annotations_path=tmp_path / "notes.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")  # on a.txt: every other document offered, names in the meta lines
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickDocumentScreen) and len(offered(picker)) == 1 + len(HOSTILE_NAMES)
        assert_inert(app)
        await pilot.press("escape")
        await settle(pilot)
        app.open_compare(CompareRequest(HOSTILE_NAMES[0]))  # no list, no index: the heading names the file
        await settle(pilot)
        assert "title␛]2;owned-title-two␛\\.txt" in str(app.screen.query_one("#pick-heading").render())
        assert_inert(app)
        await pilot.press("escape")
        await settle(pilot)
        empty = "empty\x1b]2;owned-empty\x1b\\.txt"
        app.open_compare(CompareRequest(empty, similar=lambda document, top: []))  # A unreadable: the status says so
        await settle(pilot)
        assert "empty␛]2;owned-empty␛\\.txt" in str(app.screen.query_one("#pick-status").render())
        assert_inert(app)
        await pilot.press("escape")
        await settle(pilot)
        app.open_compare(CompareRequest("cat.txt", empty))  # a catalog title and outlet, and an unreadable B
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert "Catalog ␛]2;owned-cat␛\\ title" in str(screen.title_of("a").heading)
        assert "Out␛[2Jlet" in str(screen.title_of("a").heading)
        assert "empty␛]2;owned-empty␛\\.txt" in str(screen.title_of("b").heading)
        app.clear_notifications()
        await pilot.pause()
        assert_inert(app)


@pytest.mark.e2e
def test_hostile_names_never_reach_a_real_terminal_from_the_picker_or_the_panes(tmp_path: Path) -> None:
    """The same through the installed `folio` in a pseudo-terminal: every byte it wrote is
    checked for an escape sequence that came from a name."""
    from tests.hostile import Pty, raw_escapes

    root = hostile_names_corpus(tmp_path / "corpus")
    term = Pty.folio(str(root), rows=40, cols=120)
    try:
        term.wait_for(f"{2 + len(HOSTILE_NAMES)} documents, 1 unreadable", timeout=60)
        term.wait_until(lambda: "index" not in term.screen.display[-2], "indexing done", timeout=60)
        term.send("c", settle=0.5)
        term.wait_for("most similar first")
        assert "title␛]2;owned-title-two␛\\.txt" in term.text()
        term.send("\x1b", settle=0.5)
        term.send("q", settle=0.2)
        assert term.wait_exit() == 0
    finally:
        term.close()
    assert raw_escapes(bytes(term.raw)) == []
    term = Pty.folio("compare", "cat.txt", HOSTILE_NAMES[0], "--corpus", str(root), rows=40, cols=120)
    try:
        term.wait_for("pairs ·")
        assert "Catalog ␛]2;owned-cat␛\\ title" in term.text() and "Out␛[2Jlet" in term.text()
        term.send("q", settle=0.2)
        assert term.wait_exit() == 0
    finally:
        term.close()
    assert raw_escapes(bytes(term.raw)) == []


SHARED_MARKDOWN = (
    "The council said the *harbour wall* must be rebuilt before winter, and the full plan is on "
    "[the council pages](https://example.com/plan) with `budget` figures, <!-- draft: check figures --> "
    "which **every member** signed without a single objection after the long debate."
)


async def test_the_quotes_panel_and_the_panes_show_markdown_rendered(tmp_path: Path) -> None:
    """Issue 12: a shared quote over emphasis, a link, a code span and a comment is listed as a
    reader sees it, never with `*`, `[`…`](url)`, backquotes or `<!-- -->`; the panes too."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "one.md").write_text(f"# Harbour news\n\nOpening words of the first.\n\n{SHARED_MARKDOWN}\n", "utf-8")
    (root / "two.md").write_text(f"# Council report\n\nA different start here.\n\n{SHARED_MARKDOWN}\n", "utf-8")
    app = make_app(root, pair=("one.md", "two.md"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pair(pilot)
        assert screen.comparison.shared_quotes
        await pilot.press("p")
        await pilot.pause()
        rows = [text for text, _ in screen.quotes_panel.view.rows]
        assert any("harbour wall must be rebuilt" in text and "every member signed" in text for text in rows), rows
        assert any("the council pages with budget figures, which" in text for text in rows), rows
        for text in rows:
            for marker in ("*", "](", "`", "<!--", "example.com", "draft"):
                assert marker not in text, (marker, text)
        for side in ("a", "b"):
            reader = screen.reader(side)
            shown = " ".join(row_text(reader, row) for row in range(reader.size.height))
            assert "harbour wall" in shown and "**" not in shown and "](" not in shown and "<!--" not in shown
