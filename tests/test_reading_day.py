"""A day in Folio as a less/vim user (issue 14): focus, keys, the list and the search box,
through the pilot. Each test names its item; each failed before its fix."""

from __future__ import annotations

from folio_reader.tui.screens.main import MainScreen
from tests.helpers import make_app, settle


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
        assert not sidebar.display and screen.reader.region.width == 120 and app.focused is screen.reader
        await pilot.press("d")
        await pilot.pause()
        assert sidebar.display and app.focused is screen.documents.options
