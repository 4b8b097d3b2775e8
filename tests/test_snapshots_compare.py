"""Snapshots of the compare screen: 000 (October) against 001 (May), both WSWS accounts.

Deterministic: fixed sizes, isolated config/cache/state dirs (conftest), every worker done (the
index and the comparison) and notifications cleared before the picture; the panes' caret does
not blink.
"""

from __future__ import annotations

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from tests.conftest import SEED_NAMES

PAIR = (SEED_NAMES[0], SEED_NAMES[1])


def build(*keys: str):
    app = FolioApp(open_corpus(None), start_compare=PAIR)

    async def run_before(pilot) -> None:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.screen.comparison is not None
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    return app, run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_compare_screen(snap_compare, size: tuple[int, int]) -> None:
    """The caret in A ¶14 (12 paragraphs on, then 5 lines down): its counterparts highlighted in B,
    the best one (B ¶8) scrolled level with it."""
    app, run_before = build(*["right_curly_bracket"] * 12, *["j"] * 5)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_compare_screen_with_the_quotes_panel(snap_compare) -> None:
    """The long shared quote (the fourth) shown in both panes, the panel open beside them."""
    app, run_before = build("x", "x", "x", "x", "p")
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
