"""The reader app through Textual's pilot: each flow a person uses."""

from __future__ import annotations

from pathlib import Path

from folio_reader.tui.library import Library
from folio_reader.tui.screens.help import HelpScreen
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import SEED_NAMES, Notifications, make_app, settle, type_query


async def test_open_a_document_from_the_list() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        assert [i.rel for i in screen.documents.items] == SEED_NAMES
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.document.rel == SEED_NAMES[1]
        assert screen.status.document.startswith("White House meeting between Trump and Carney")
        assert app.focused is screen.reader
        assert screen.documents.open_rel == SEED_NAMES[1]


async def test_search_as_you_type_then_jump_through_hits_across_documents(notifications: Notifications) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "fentanyl")
        result = screen.search_pane.result
        assert {h.rel for h in result.hits} == {SEED_NAMES[1], SEED_NAMES[3]}
        assert screen.search_pane.results.option_count == 2
        first, second = result.hits
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document.rel == first.rel
        assert screen.reader.caret == first.spans[0][0]
        assert screen.status.hit == f"hit 1/{len(first.spans)}"
        for n in range(1, len(first.spans)):
            await pilot.press("n")
            await settle(pilot)
            assert screen.reader.caret == first.spans[n][0]
        await pilot.press("n")  # past the last hit: the next result document, and it says so
        await settle(pilot)
        assert screen.document.rel == second.rel
        assert screen.reader.caret == second.spans[0][0]
        assert notifications.count("Next document") == 1
        await pilot.press("N")  # and back to the last hit of the first
        await settle(pilot)
        assert screen.document.rel == first.rel
        assert screen.reader.caret == first.spans[-1][0]


async def test_a_stale_search_never_overwrites_a_newer_one() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "tariff")
        newest = app.library.search_seq
        old = screen.index.search("fentanyl")
        screen.sidebar.post_message(Library.Searched(newest - 1, old, []))  # (the sidebar runs the searches)
        await pilot.pause()
        assert screen.search_pane.result.query == "tariff"


async def test_a_key_typed_with_no_search_running_searches_at_once(monkeypatch) -> None:
    """Issue 15, item 1: every key waited out the debounce, even a lone one with nothing
    running. Now the search starts at once; keys typed while one runs wait for its answer (or
    the debounce, here long), and only the newest of them is searched then."""
    from folio_reader.tui.widgets import search_pane
    from folio_reader.tui.widgets.search_pane import SearchPane

    monkeypatch.setattr(search_pane, "DEBOUNCE", 5.0)  # (a debounce would show: nothing at once)
    asked: list[str] = []
    seen: set[int] = set()

    def hook(message) -> None:  # (called again as a message bubbles: each counted once)
        if isinstance(message, SearchPane.QueryChanged) and id(message) not in seen:
            seen.add(id(message))
            asked.append(message.query)

    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("slash", "t")
        for _ in range(40):  # (2 s at most, well before the 5 s debounce)
            if asked:
                break
            await pilot.pause(0.05)
        assert asked == ["t"]
        await settle(pilot)
        pane = screen.search_pane
        assert pane.result is not None and pane.result.query == "t" and not pane.searching
        pane.searching = True  # (as while a slow search runs)
        await pilot.press(*"ariff")
        await pilot.pause()
        assert asked == ["t"]  # the burst waits...
        pane.answered()  # ...for the answer, then only its newest goes
        await settle(pilot)
        assert asked == ["t", "tariff"] and pane.result.query == "tariff" and pane.result.hits


async def test_query_errors_and_did_you_mean_show_under_the_box() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, '"golden')
        status = screen.query_one("#search-status")
        assert "unclosed quote" in str(status.render()) and status.has_class("-error")
        await pilot.press("ctrl+u")
        await type_query(pilot, "fentanil")  # fentanil~ would match; plain is a misspelling
        await pilot.press("backspace", *"l")
        await pilot.pause(0.3)
        await settle(pilot)


async def test_did_you_mean_can_be_taken_with_a_key() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "goldn dme")
        assert "Did you mean: golden dome" in str(screen.query_one("#search-status").render())
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert screen.search_pane.input.value == "golden dome"
        assert len(screen.search_pane.result.hits) == 2


async def test_filter_and_sort_the_list() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("f", *"cbc")
        await pilot.pause()
        assert screen.documents.options.option_count == 1
        assert screen.documents.options.get_option_at_index(0).id == SEED_NAMES[3]
        await pilot.press("escape")
        await pilot.pause()
        assert screen.documents.options.option_count == 5
        await pilot.press("s")  # by date, newest first
        await pilot.pause()
        ids = [screen.documents.options.get_option_at_index(i).id[:3] for i in range(5)]
        assert ids == ["000", "004", "002", "001", "003"]


async def test_list_collapses_to_an_overlay_at_80_columns_and_comes_back() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        sidebar = screen.query_one("#sidebar")
        assert screen.narrow and sidebar.display  # nothing open yet: the list is shown
        await pilot.press("enter")
        await settle(pilot)
        assert not sidebar.display and screen.reader.region.width == 80
        await pilot.press("d")
        await pilot.pause()
        assert sidebar.display and app.focused is screen.documents.options
        await pilot.press("escape")
        await pilot.pause()
        assert not sidebar.display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.narrow and sidebar.display


async def test_reading_position_and_last_document_resume_after_restart() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        for _ in range(3):
            await pilot.press("space")
        await pilot.pause()
        top = app.screen.reader.top_offset
        assert top > 0
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = again.screen
        assert screen.document.rel == SEED_NAMES[2]
        assert screen.reader.top_offset == top


async def test_a_moved_file_keeps_its_place(seed_copy: Path) -> None:
    app = make_app(seed_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "space")
        await pilot.pause()
        top = app.screen.reader.top_offset
    (seed_copy / "moved").mkdir()
    (seed_copy / SEED_NAMES[0]).rename(seed_copy / "moved" / "renamed.txt")
    again = make_app(seed_copy)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        again.screen.open_document("moved/renamed.txt")
        await settle(pilot)
        assert again.screen.reader.top_offset == top


async def test_help_lists_bindings_and_the_palette_has_every_action() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {row.name for row in app.screen.rows}  # (d is "List" since the footer fits 80 columns)
        assert {"Search", "Next hit", "List", "Select", "Sort", "Filter"} <= keys
        await pilot.press("escape")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Search", "Next hit", "Prev hit", "List", "Sort", "Filter", "Dark/light theme", "Help"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Sort")
        await pilot.pause(0.5)  # the palette searches its providers asynchronously
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.documents.sort_key == "date"


async def test_unreadable_files_are_listed_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("# Good\n\nFine text.\n")
    (tmp_path / "bad.txt").write_bytes(b"\0\1\2\3" * 64)
    (tmp_path / "outside.txt").symlink_to("/etc/passwd")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        items = {i.rel: i.problem for i in app.screen.documents.items}
        assert items == {
            "good.md": None,
            "bad.txt": "binary file, not text",
            "outside.txt": "symlink leads outside the corpus: not followed",
        }


async def test_theme_is_chosen_and_remembered() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_toggle_theme()
        await pilot.pause()
        assert app.theme == "textual-light"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.theme == "textual-light"


async def test_hostile_text_is_inert_and_tiny_terminals_do_not_crash(tmp_path: Path) -> None:
    hostile = (
        "[bold]not bold[/] [link=http://x]x[/link] [@click=app.quit]q[/]\x1b[2J\x1b]0;owned\x07 宽字符 😀 e\u0301\n"
    )
    (tmp_path / "hostile [red].md").write_bytes(hostile.encode() * 50)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen: MainScreen = app.screen
        assert screen.document is not None and "\x1b" not in screen.document.text
        rendered = "".join(seg.text for seg in screen.reader.render_line(0))
        assert "[bold]not bold[/]" in rendered
        for size in [(20, 6), (10, 3), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await type_query(pilot, '"[bold]"')
        assert app.is_running


def test_whoosh_stays_off_the_path_to_the_first_frame() -> None:
    """The list is drawn from the listing cache; Whoosh is imported by the index worker."""
    import subprocess
    import sys

    code = "import sys, folio_reader.tui.app; print('whoosh' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_the_list_comes_from_the_listing_cache_before_the_index_opens(monkeypatch) -> None:
    first = make_app()
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # builds the index and its listing cache
    app = make_app()
    monkeypatch.setattr(Library, "open", lambda self, node: None)  # no index at all this time
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [i.title[:12] for i in app.screen.documents.items][:2] == ["In White Hou", "White House "]


async def test_an_index_destroyed_while_the_app_runs_is_rebuilt_and_search_comes_back(
    seed_copy: Path, notifications: Notifications
) -> None:
    import shutil

    app = make_app(seed_copy)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        index_dir = screen.index.dir
        screen.index._close_searcher()  # what a new process would see: no open files
        shutil.rmtree(index_dir)
        index_dir.mkdir()
        (index_dir / "_MAIN_1.toc").write_bytes(b"garbage" * 50)
        await type_query(pilot, "fentanyl")
        await settle(pilot)
        assert notifications.count("damaged") or notifications.count("rebuilt")
        screen.search_pane.input.value = ""  # the same query again, after the rebuild
        await pilot.press(*"fentanyl")
        await pilot.pause(0.3)
        await settle(pilot)
        assert {h.rel for h in screen.search_pane.result.hits} == {SEED_NAMES[1], SEED_NAMES[3]}


async def test_keys_after_a_focus_key_that_moves_nothing_are_handed_on_at_once() -> None:
    """The key gate (tui/key_gate.py) never keeps a key: `a` with no document open moves no focus,
    and the `s` after it sorts the list as soon as `a` is done (not after the gate's timeout)."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        app.post_message(events.Key("a", "a"))
        app.post_message(events.Key("s", "s"))
        await pilot.pause(0.5)
        assert screen.documents.sort_key == "date" and not app.keys.holding


async def test_results_that_did_not_change_are_not_drawn_again(monkeypatch) -> None:
    """Issue 17: a key that leaves the results as they were (a space, a stemmed form) redraws
    only the status line, not the whole list of results (over SSH each costs ~5-60 KB)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "fentanyl")
        results = screen.search_pane.results
        drawn: list[object] = []  # (the rows the list repaints: a region each, or all of it)
        original = results.refresh
        monkeypatch.setattr(
            results,
            "refresh",
            lambda *regions, **kw: (kw.get("repaint", True) and drawn.append(regions)) or original(*regions, **kw),
        )
        before = [h.rel for h in screen.search_pane.result.hits]
        await pilot.press("space")  # same words, same results
        await pilot.pause(0.3)
        await settle(pilot)
        assert (
            screen.search_pane.result.query == "fentanyl " and [h.rel for h in screen.search_pane.result.hits] == before
        )
        assert drawn == []
        await pilot.press(*" tariff")  # other results: drawn
        await pilot.pause(0.3)
        await settle(pilot)
        assert drawn


async def test_a_list_of_100000_documents_is_drawn_and_answers_keys() -> None:
    """Issue 15 items 2-3: the list is virtualised (rows made only as they are drawn), so 100,000
    items are set, drawn, moved through with `down`, filtered, and `q` still quits."""
    import datetime as dt

    from folio_reader.index.listing import ListItem
    from folio_reader.tui.widgets.document_list import DocumentList

    items = [ListItem(f"d{n:06}.md", f"Title {n}", "Outlet", None, dt.date(2024, 1, 1), n) for n in range(100_000)]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        documents: DocumentList = screen.documents
        documents.set_items(items)
        screen.sidebar.show("documents", documents.options)
        await pilot.pause()
        rows = documents.options
        assert rows.option_count == 100_000 and rows.virtual_size.height == 200_000
        lines = [rows.render_line(y).text.rstrip() for y in range(4)]
        assert lines[0].strip() == "Title 0" and "Outlet · 2024-01-01" in lines[1], lines
        await pilot.press("down")
        assert rows.highlighted == 1 and rows.highlighted_option.id == "d000001.md"
        await pilot.press("end")
        assert rows.highlighted == 99_999 and rows.scroll_offset.y == 200_000 - rows.scrollable_content_region.height
        assert rows.render_line(rows.scrollable_content_region.height - 2).text.strip() == "Title 99999"
        await pilot.press("home", "f", *"99998")
        await pilot.pause()
        assert rows.option_count == 1 and rows.highlighted_option.id == "d099998.md"
        await pilot.press("escape")
        await pilot.pause()
        assert rows.option_count == 100_000
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code is not None or not app.is_running


async def test_a_slow_search_says_it_is_searching_not_what_the_last_answer_said(monkeypatch) -> None:
    """Seen on the pytest docs under load: "fixture scope" typed in one burst showed the error
    for its first letter ("nothing to search for: 'f' …") for the 5 s the whole query took."""
    import threading
    import time

    from folio_reader.index.session import IndexSession

    gate = threading.Event()
    original = IndexSession.search

    def slow(self, query, *args, **kwargs):
        if len(query) > 1:
            gate.wait(5)  # (until the test has looked)
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(IndexSession, "search", slow)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("slash", "t")
        await settle(pilot)
        status = screen.query_one("#search-status")
        assert "nothing to search for" in str(status.render())
        await pilot.press(*"ariff")
        deadline = time.monotonic() + 5
        while "searching" not in str(status.render()) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert str(status.render()) == "searching…"
        gate.set()
        pane = screen.search_pane
        deadline = time.monotonic() + 10
        while (pane.result is None or pane.result.query != "tariff" or pane.searching) and time.monotonic() < deadline:
            await pilot.pause(0.05)  # (not `settle`: a burst's cancelled search raises there)
        assert pane.result is not None and pane.result.query == "tariff"
        assert "searching" not in str(status.render()) and "document" in str(status.render())


async def test_a_listing_of_20000_documents_opens_making_only_the_rows_drawn(monkeypatch) -> None:
    """Issue 15 item 2: from the listing to the first frame nothing goes through every document:
    the rows drawn (and the one the highlight is on) are the only ones made into `ListItem`s."""
    import datetime as dt

    from folio_reader.index.corpus import DocMeta
    from folio_reader.index.listing import Rows, save_listing

    metas = [
        DocMeta(
            f"d{k:05}.md", f"Title {k}", "heading", None, "Outlet", dt.date(2024, 1, 2), "text", k, 9, 0, "h", "utf-8"
        )
        for k in range(20_000)
    ]
    made: list[int] = []
    original = Rows._item
    monkeypatch.setattr(Rows, "_item", lambda self, n: made.append(n) or original(self, n))
    monkeypatch.setattr(Library, "open", lambda self, node: None)  # the listing alone
    app = make_app()
    save_listing(app.library.session.index_dir, metas, [])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        rows = app.screen.documents.options
        assert rows.option_count == 20_000 and rows.render_line(0).text.strip() == "Title 0"
        assert 0 < len(set(made)) <= 30, len(set(made))


def test_a_row_without_a_date_says_nothing_of_it() -> None:
    """A documentation tree has no dates: "no date" on every row was noise (seen on the docutils
    docs at 80x24); the date is left out, and a row not read yet shows only its name."""
    import datetime as dt

    from folio_reader.index.listing import ListItem
    from folio_reader.tui.widgets.document_list import describe

    assert describe(ListItem("api/publisher.rst", "The Publisher", words=2236)).plain == "2,236 words"
    assert describe(ListItem("api/publisher.rst", "api/publisher.rst")).plain == ""  # not read yet
    dated = ListItem("a.md", "A", outlet="CBC", date=dt.date(2025, 5, 7), words=1)
    assert describe(dated).plain == "CBC · 2025-05-07 · 1 word"
