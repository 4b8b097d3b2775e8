"""Remappable keys (issue 14, item 27): a keymap in settings.json, checked and applied; the
README's keys table is what help shows."""

from __future__ import annotations

import json
import re

from folio_reader.index import locations
from folio_reader.tui.keymap import binding_rows, check_keymap, folio_bindings, readme_table
from tests.helpers import ROOT, Notifications, make_app, settle, type_query


def write_settings(data: object) -> None:
    path = locations.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def test_the_readme_keys_table_is_every_binding_as_help_shows_it() -> None:
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"<!-- keys:[^\n]*-->\n(.*?)\n<!-- /keys -->", readme, re.S)
    assert found is not None, "the README has no keys table between its markers"
    assert found.group(1).strip() == readme_table(), "README keys table differs: paste readme_table()"
    ids = {b.id for _, b in folio_bindings()}
    assert ids == set(re.findall(r"\| `([a-z_]+\.[a-z_]+)` \|", found.group(1)))


def test_every_binding_has_an_id_and_ids_mean_one_thing() -> None:
    from textual.binding import Binding

    by_id: dict[str, set[tuple[str, str]]] = {}
    for _cls, binding in folio_bindings():
        by_id.setdefault(binding.id, set()).add((binding.key, binding.action))
    assert {i: v for i, v in by_id.items() if len(v) > 1} == {}  # one id, one key and action
    from folio_reader.tui.keymap import PANES, SCREENS

    prefixes = {i.partition(".")[0] for i in by_id}
    assert prefixes - set(PANES) == set()  # each pane named as help and the README say it
    assert prefixes - {p for panes in SCREENS.values() for p in panes} == set()  # and checked for clashes
    import importlib
    import inspect
    import pkgutil

    import folio_reader.tui as tui

    unnamed = []
    for info in pkgutil.walk_packages(tui.__path__, "folio_reader.tui."):
        if info.name.endswith(("__main__", ".cli")) or ".commands" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                unnamed += [
                    f"{cls.__name__}:{b.key}"
                    for b in vars(cls).get("BINDINGS", [])
                    if isinstance(b, Binding) and not b.id
                ]
    assert unnamed == []


def test_a_keymap_is_checked_unknown_ids_bad_values_and_clashes_reported() -> None:
    bindings = [b for _, b in folio_bindings()]
    keymap, problems = check_keymap(
        {"main.search": "ctrl+f", "main.nothing": "x", "reader.line_down": 3, "main.annotate": "s"}, bindings
    )
    assert keymap == {"main.search": "ctrl+f", "main.annotate": "s"}
    assert any("main.nothing" in p for p in problems) and any("reader.line_down" in p for p in problems)
    assert any("main.annotate" in p and "list.sort" in p for p in problems)  # s sorts the list there
    assert check_keymap({"main.search": "ctrl+f"}, bindings) == ({"main.search": "ctrl+f"}, [])
    assert check_keymap(None, bindings) == ({}, [])
    # the defaults' own sharing (escape both cancels a selection and goes back) is no clash
    assert check_keymap({"main.back": "escape"}, bindings)[1] == []


async def test_a_user_keymap_moves_search_to_another_key_and_help_says_so(notifications: Notifications) -> None:
    from folio_reader.tui.screens.help import HelpScreen

    write_settings({"theme": "textual-dark", "keymap": {"main.search": "ctrl+f", "main.nothing": "x"}})
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        assert notifications.count("main.nothing") == 1
        screen = app.screen
        await pilot.press("slash")
        await pilot.pause()
        assert not screen.search_pane.input.has_focus  # / is no longer search
        await pilot.press("ctrl+f", *"tariff")
        await pilot.pause(0.4)
        await settle(pilot)
        assert screen.search_pane.input.value == "tariff" and screen.search_pane.result.hits
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        [search] = [r for r in app.screen.rows if r.id == "main.search"]
        assert search.key_labels == "ctrl+f"


async def test_a_settings_file_that_does_not_parse_is_said_and_left_alone(notifications: Notifications) -> None:
    path = locations.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"keymap": {"main.search": "ctrl+f",}}')  # a comma too many
    before = path.read_bytes()
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        assert notifications.count("cannot be read") == 1
        app.action_toggle_theme()  # a setting changed: the user's file still left as it is
        await pilot.pause()
        await type_query(pilot, "tariff")  # the default keys
        assert app.screen.search_pane.result.hits
    assert path.read_bytes() == before


def test_binding_rows_apply_the_keymap() -> None:
    bindings = [b for _, b in folio_bindings()]
    [row] = [r for r in binding_rows(bindings, {"main.search": "ctrl+f"}) if r.id == "main.search"]
    assert (row.keys, row.key_labels, row.pane) == ("ctrl+f", "ctrl+f", "Reading")
