"""Keys that arrive before the key in front of them has moved the focus (tui/key_gate.py).

Issue 15 item 2: on 100,000 files, `q` was not acted on in one of three runs: `escape` in the
search box then `q` 0.3 s later, and the app went on. Logged key by key: the UI thread took
0.2 s to act on `escape` (it leaves the search for the list), and `q` came in meanwhile, so it
went to the widget focused when it was read, the search box, and was typed there.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from folio_reader.tui.screens.main import MainScreen
from tests.helpers import make_app, settle


async def test_q_right_after_escape_in_the_search_box_quits() -> None:
    app = make_app()
    quits: list[int | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused is screen.search_pane.input
        app.exit = lambda *args, return_code=0, **kwargs: quits.append(return_code)  # type: ignore[method-assign]
        app.post_message(events.Key("escape", None))  # the two in one read, as a busy UI thread gets them
        app.post_message(events.Key("q", "q"))
        for _ in range(100):  # (5 s at most: the held `q` goes once the focus has landed)
            if quits:
                break
            await pilot.pause(0.05)
        assert screen.search_pane.input.value == ""  # not typed into the box escape left
        assert quits == [0] and not app.keys.holding
