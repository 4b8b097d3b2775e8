"""The long-lived objects leave full garbage collections once the list is drawn and the index
open (tui/heap.py): a full collection walked every listed document's objects on the UI thread,
0.2-0.6 s at 5,000-50,000 documents, between a key and its results (issue 15)."""

from __future__ import annotations

import gc

from tests.helpers import make_app, settle


def tracked_by_collections(obj: object) -> bool:
    """Whether a full collection walks `obj` (frozen objects are in no generation)."""
    return any(o is obj for o in gc.get_objects())


async def test_the_list_and_the_index_leave_full_collections_once_open() -> None:
    app = make_app(settles_heap=True)  # as the `folio` command opens it
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.library.index is not None
            for kept in (screen.documents.items, screen.library.index, screen.library.session):
                assert gc.is_tracked(kept)
                assert not tracked_by_collections(kept)
    finally:
        gc.unfreeze()  # (this test process keeps collecting everything)


async def test_an_app_left_to_default_freezes_nothing() -> None:
    """Tests' apps: a test process never keeps the garbage of the apps before it."""
    frozen = gc.get_freeze_count()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.library.index is not None
        assert gc.get_freeze_count() == frozen
