"""A day in Folio as a less/vim user (issue 14): focus, keys, the list and the search box,
through the pilot. Each test names its item; each failed before its fix."""

from __future__ import annotations

from folio_reader.tui.screens.main import MainScreen
from tests.helpers import SEED_NAMES, make_app, settle, type_query


async def open_first(pilot) -> MainScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


# -- focus and keys ------------------------------------------------------------------------------


async def test_focus_never_rests_on_the_hidden_list_after_filtering_and_escape() -> None:
    """Item 1: at 80x24, d, f, `ca`, enter, enter, escape left the caret gone and focus on the
    hidden list (footer "s Sort f Filter", j/k dead)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first(pilot)
        await pilot.press("d", "f", *"ca", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is screen.reader and not screen.sidebar.shown
        caret = screen.reader.caret
        await pilot.press("j")
        assert screen.reader.caret != caret


async def test_escape_from_the_list_goes_back_to_the_reader_at_120_columns() -> None:
    """Item 4: at 120x40, d then escape left focus on the list, so f filtered instead of toggling
    full width."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert app.focused is screen.documents.options
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is screen.reader and screen.sidebar.shown  # (beside the reader it stays)
        full = screen.reader.full_width
        await pilot.press("f")
        await pilot.pause()
        assert screen.reader.full_width != full and not screen.documents.has_class("-filtering")


async def test_the_sidebar_grows_with_the_terminal_hides_and_changes_width_with_keys() -> None:
    """Item 8: the sidebar stayed ~44 columns at 120 and 200 columns. It is a share with a floor;
    `d` on the list hides it and shows it again; `>` and `<` change its width."""
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_first(pilot)
        sidebar = screen.sidebar
        wide = sidebar.region.width
        assert wide >= 70
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert sidebar.region.width == 44  # the floor
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert sidebar.region.width > 44
        await pilot.press("less_than_sign", "less_than_sign")
        await pilot.pause()
        assert sidebar.region.width == 44
        await pilot.press("d", "d")  # to the list, then hidden: the reader has the terminal
        await pilot.pause()
        # (the reader's frame has the width: at 120 columns its blank outer margin lies outside the
        # reader widget, in the frame, so that a repainted row does not resend it: issue 17)
        frame = screen.query_one("#reader-frame")
        assert not sidebar.display and frame.region.width == 120 and screen.reader.region.right == 120
        assert app.focused is screen.reader
        await pilot.press("d")
        await pilot.pause()
        assert sidebar.display and app.focused is screen.documents.options


# -- the list, the search box and the annotations panel ------------------------------------------


async def test_a_filtered_list_keeps_its_second_lines_and_enter_opens_the_match() -> None:
    """Item 2: a filtered list lost its outlet/date lines and wrapped titles (now each row is a
    title cut to one line and its metadata line); `enter` in the filter only moved to the list:
    it opens the highlighted match."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("f", *"cbc")
        await pilot.pause()
        options = screen.documents.options
        assert options.option_count == 1
        title, meta, *rest = [options.render_line(y).text.rstrip() for y in range(options.size.height)]
        assert "Carney meets Trump" in title and title.endswith("…")  # one row, cut where it is drawn
        assert meta.strip().startswith("CBC News · 2025-05-05") and not any(line.strip() for line in rest)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document is not None and screen.document.rel == SEED_NAMES[3]
        assert app.focused is screen.reader


async def test_a_filtered_list_over_the_reader_keeps_each_row_on_two_lines() -> None:
    """Item 2, as met in tmux: at 80x24 with the last document open again at start, `d`, `f`,
    `carney`: titles wrapped (`America'…` on a row of its own) and the outlet/date lines were
    gone, because rows were cut to the width the list had while it was hidden."""
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        assert screen.document is not None and not screen.sidebar.shown
        await pilot.press("d", "f", *"carney")
        await settle(pilot)
        options = screen.documents.options
        lines = [options.render_line(y).text.rstrip() for y in range(options.size.height)]
        rows = [line for line in lines if line.strip()]
        assert len(rows) == 2 * options.option_count, lines
        assert all(meta.startswith("   ") or "20" in meta for meta in rows[1::2]), (
            lines
        )  # each title, then its metadata
        assert sum("CBC News · 2025-05-05" in line for line in lines) == 1, lines


async def test_down_and_up_in_the_search_box_move_through_the_results() -> None:
    """Item 3: in the search box `down` did nothing and a following `j` was typed into the query."""
    from tests.helpers import type_query

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "carney")
        results = screen.search_pane.results
        assert results.highlighted == 0 and results.option_count >= 3
        await pilot.press("down", "ctrl+n")
        assert results.highlighted == 2 and app.focused is screen.search_pane.input
        await pilot.press("up")
        assert results.highlighted == 1 and screen.search_pane.input.value == "carney"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document is not None and screen.document.rel == screen.search_pane.result.hits[1].rel


async def test_g_and_G_move_in_the_list_and_the_highlight_follows_the_open_document() -> None:
    """Item 9: in the list `G`/`g` did nothing; the highlight stayed where it was when another
    document opened (▶ on one row, the highlight on another)."""
    from tests.helpers import type_query

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        options = screen.documents.options
        await pilot.press("G")
        assert options.highlighted == options.option_count - 1
        await pilot.press("g")
        assert options.highlighted == 0
        await pilot.press("j", "j")
        assert options.highlighted == 2
        await type_query(pilot, '"golden dome"')  # open another document from the search
        await pilot.press("enter")
        await settle(pilot)
        assert options.highlighted_option is not None and options.highlighted_option.id == screen.document.rel


async def test_the_annotations_panel_opens_in_its_filter_and_tags_match_by_prefix(tmp_path) -> None:
    """Item 10: `A` opened on its list, so typing `#framing` lost `#` and `f` ("raming"), and a
    partial tag `#fr` matched nothing. It opens in its filter box; `down` goes to the list, where
    `e`, `d`, `u`, `r` act; tags match by prefix."""
    from folio_reader.index.annotations import Annotation, AnnotationStore
    from folio_reader.index.corpus import open_corpus
    from folio_reader.tui.screens.annotations import AnnotationsScreen

    notes = tmp_path / "notes.json"
    doc = open_corpus(None).load(SEED_NAMES[0])
    store = AnnotationStore(notes)
    store.add(Annotation.new(doc, 10, 40, note="on framing", tags=["framing"]))
    store.add(Annotation.new(doc, 60, 90, note="on trade", tags=["trade"]))
    app = make_app(annotations_path=notes)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        await pilot.press("A")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, AnnotationsScreen)
        await pilot.press(*"#fr")
        await pilot.pause()
        assert panel.query_one("#panel-filter").value == "#fr"
        assert [r.annotation.note for r in panel.shown] == ["on framing"]
        await pilot.press("down", "d")  # to the list; d deletes there
        await settle(pilot)
        assert [a.note for a in app.store.all()] == ["on trade"]


# -- where the reader was, and where it goes -------------------------------------------------------


async def test_the_caret_comes_back_where_it_was_left() -> None:
    """Item 6: the scroll came back after a restart, the caret did not: the first j put it on row 1."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_first(pilot)
        for _ in range(22):
            await pilot.press("j")
        await pilot.press("space")
        await pilot.pause()
        top, caret = screen.reader.top_offset, screen.reader.caret
        assert caret > top > 0
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert (screen.reader.top_offset, screen.reader.caret) == (top, caret)
        await pilot.press("j")
        assert screen.reader.caret > caret


async def test_folio_on_a_file_opens_it(tmp_path) -> None:
    """Item 7: `folio FILE` showed a one-entry list and waited for enter."""
    path = tmp_path / "notes.md"
    path.write_text("# A single file\n\nIts only paragraph, about walruses.\n")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        assert screen.document is not None and screen.document.rel == "notes.md"
        assert app.focused is screen.reader and not screen.sidebar.shown


async def test_marks_the_jump_list_and_the_word_under_the_caret(tmp_path) -> None:
    """Items 25 and 26 (the screen's part): `*`/`#` go through the word under the caret in the
    open document; `m` and a letter marks, `'` and the letter goes back there, `''` and ctrl+o
    return from a jump."""
    path = tmp_path / "walrus.txt"
    path.write_text("Walrus one.\n\nAn aside.\n\nThe walrus two.\n\nMore.\n\nA third WALRUS, and walruses.\n")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        text = screen.document.text
        starts = [i for i in range(len(text)) if text[i : i + 6].lower() == "walrus" and not text[i + 6].isalpha()]
        screen.reader.move_caret(starts[0])
        await pilot.press("m", "a")  # mark a on the first walrus
        await pilot.press("asterisk")
        assert screen.reader.caret == starts[1]
        await pilot.press("n")
        assert screen.reader.caret == starts[2]
        await pilot.press("number_sign")
        assert screen.reader.caret == starts[1]
        await pilot.press("apostrophe", "a")
        assert screen.reader.caret == starts[0]
        await pilot.press("apostrophe", "apostrophe")  # back to where the jump to a came from
        assert screen.reader.caret == starts[1]
        await pilot.press("ctrl+o")
        assert screen.reader.caret == starts[0]
        await pilot.press("apostrophe", "z")
        await pilot.pause()
        assert screen.reader.caret == starts[0] and app.is_running  # no mark z: said, nothing moves


# -- what the screen says --------------------------------------------------------------------------


async def test_selection_mode_shows_in_the_status_bar() -> None:
    """Item 12 (the screen's part): no sign that `v` had started a selection."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert "SELECTING" in str(screen.status.render())
        await pilot.press("w", "escape")
        await pilot.pause()
        assert "SELECTING" not in str(screen.status.render())


async def test_full_width_says_what_it_did(notifications) -> None:
    """Item 16: `f` gave no feedback when the pane was already narrower than the measure."""
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=notifications.hook) as pilot:
        await open_first(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert notifications.count("narrower than the 80-column measure") == 1
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert notifications.count("The 80-column measure") + notifications.count("Full width") == 1


async def test_help_and_the_palette_say_what_a_user_knows() -> None:
    """Item 13: help showed class names (MainScreen, FolioApp, DocumentList) and raw key names
    (question_mark, right_square_bracket, slash); the palette said "MainScreen: press a"."""
    from folio_reader.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        palette = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert palette["Annotate"].startswith("Reading · a: ") and "MainScreen" not in palette["Annotate"]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {(r.pane, r.key_labels) for r in app.screen.rows}
        assert {
            ("Reading", "/"),
            ("Reading", "]"),
            ("Everywhere", "?, f1"),
            ("Reading pane", "j, ↓"),
            ("Document list", "s"),
        } <= rows
        shown = " ".join(f"{r.pane} {r.key_labels} {r.does}" for r in app.screen.rows)
        for raw in ("MainScreen", "FolioApp", "DocumentList", "question_mark", "right_square_bracket", "slash"):
            assert raw not in shown


async def test_counts_are_plural_and_separated() -> None:
    """Item 15: "1 documents"; "5128 added" beside "5,128 documents"."""
    from folio_reader.tui.wording import counted
    from tests.helpers import type_query

    assert (counted(1, "document"), counted(5128, "document"), counted(2, "match", "matches")) == (
        "1 document",
        "5,128 documents",
        "2 matches",
    )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "title:fentanyl OR outlet:cbc")
        status = str(screen.query_one("#search-status").render())
        hits = len(screen.search_pane.result.hits)
        assert status.startswith(counted(hits, "document") + " ·"), status
        await pilot.press("escape", "f", *"cbc")
        await pilot.pause()
        assert str(screen.query_one("#doc-heading").render()).startswith("5 documents · 1 shown")


# -- search results that mean what was typed ----------------------------------------------------


async def test_results_page_on_past_the_first_page(tmp_path) -> None:
    """Item 22: results stopped at 50 ("50 of 60 documents") with no way to see more. (The first
    page is now `FIRST_PAGE`, 20: issue 15 item 1 asks for the hits the pane can show.)"""
    from folio_reader.tui.widgets.search_pane import FIRST_PAGE
    from tests.helpers import type_query

    for n in range(60):
        (tmp_path / f"doc{n:02d}.txt").write_text(f"Document {n}\n\nA walrus, number {n}.\n")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "walrus")
        pane = screen.search_pane
        assert len(pane.result.hits) == FIRST_PAGE == 20 and pane.result.total == 60
        assert "for more" in str(screen.query_one("#search-status").render())
        for _ in range(FIRST_PAGE - 1):
            await pilot.press("down")
        await settle(pilot)
        assert len(pane.result.hits) == 60 and pane.results.highlighted == FIRST_PAGE - 1  # more, the place kept


async def test_results_refreshed_after_indexing_keep_the_highlight() -> None:
    """Item 23: results found while the first index was still being built were not refreshed
    (the highlight back on the first) when it finished."""
    from folio_reader.index.search import UpdateReport
    from folio_reader.index.session import Updated
    from folio_reader.tui.library import Library
    from tests.helpers import type_query

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "carney")
        await pilot.press("down", "down")
        chosen = screen.search_pane.result.hits[2].rel
        before = screen.search_pane.result
        screen.post_message(Library.Indexed(Updated(UpdateReport(added=1))))  # (as the first build ends)
        await settle(pilot)
        pane = screen.search_pane
        assert pane.result is not before  # searched again
        assert pane.result.hits[pane.results.highlighted].rel == chosen


async def test_the_footer_at_80_columns_keeps_help_and_quit_in_every_pane() -> None:
    """Item 14: at 80x24 the footer was cut (`c Com▏`), so `? Help` and `q Quit` never showed.
    It shows the few keys that matter in the focused pane, every one whole, help among them (`?`,
    or `f1` in a text box)."""
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first(pilot)

        async def footer() -> dict[str, bool]:
            await pilot.pause()
            keys = [k for k in screen.query(FooterKey) if not k.has_class("-command-palette")]
            palette = min((k.region.x for k in screen.query(FooterKey) if k.has_class("-command-palette")), default=80)
            return {k.description: k.region.width > 0 and k.region.right <= palette for k in keys}

        where = {}
        where["reader"] = await footer()
        await pilot.press("d")
        where["list"] = await footer()
        await pilot.press("f")
        where["filter"] = await footer()
        await pilot.press("escape", "slash")
        where["search"] = await footer()
        for pane, keys in where.items():
            assert keys.get("Help"), (pane, keys)  # (f1 in a text box, where ? is typed)
            assert all(keys.values()), (pane, keys)  # nothing cut
        assert where["reader"].get("Quit") and where["list"].get("Quit")
        assert "Search" not in where["filter"] and "Search" not in where["search"]  # (/ is typed there)


async def test_the_search_box_searches_only_the_open_document_on_ctrl_t() -> None:
    """Item 25 (less's `/`): ctrl+t in the search box keeps the search to the open document, and
    says so; again, every document. Fentanyl is in two seeds; the open one is the only hit."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "fentanyl")
        everywhere = {h.rel for h in screen.search_pane.result.hits}
        assert len(everywhere) == 2
        other = sorted(everywhere)[1]
        screen.open_document(other)
        await settle(pilot)
        await type_query(pilot, "")  # back in the box, the query kept
        await pilot.press("ctrl+t")
        await settle(pilot)
        pane = screen.search_pane
        assert [h.rel for h in pane.result.hits] == [other]
        assert "only (ctrl+t: every document)" in str(pane.query_one("#search-status").render())
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert {h.rel for h in pane.result.hits} == everywhere
        assert "only" not in str(pane.query_one("#search-status").render())
