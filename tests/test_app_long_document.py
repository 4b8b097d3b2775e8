"""A long text opens in two steps through the app (issue 15 item 5): its first screen is shown
from the opening before the rest is parsed, then the reader takes the whole document where it is."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from folio_reader.index import corpus as corpus_mod
from folio_reader.index.corpus import Corpus, Document
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import make_app, settle

LIMIT = 20_000  #: the opening's length here (256 K in use: smaller, for the test's time)


def long_text(chars: int) -> str:
    parts = ["THE LONG REPORT", "By Ada Lovelace"]
    size = sum(len(p) + 2 for p in parts)
    n = 0
    while size < chars:  # (a running total: summing every part again each time took 3 s)
        n += 1
        parts.append(f"Paragraph {n} says something about the engine, at length, and then some more.")
        size += len(parts[-1]) + 2
    return "\n\n".join(parts) + "\n"


def screen_text(screen: MainScreen) -> str:
    reader = screen.reader
    return "\n".join("".join(s.text for s in reader.render_line(y)) for y in range(reader.size.height))


@pytest.fixture
def long_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(corpus_mod, "OPENING_LOAD_CHARS", LIMIT)
    (tmp_path / "long.txt").write_text(long_text(40 * LIMIT))
    return tmp_path


async def test_a_long_text_shows_its_first_screen_before_the_rest_is_parsed(
    long_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    completed: list[Document] = []
    real_complete = Corpus.complete

    def complete(self: Corpus, doc: Document) -> Document:
        release.wait(10)
        whole = real_complete(self, doc)
        completed.append(whole)
        return whole

    monkeypatch.setattr(Corpus, "complete", complete)
    app = make_app(long_corpus)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen: MainScreen = app.screen
            for _ in range(50):
                await pilot.pause(0.02)
                if screen.documents.items:
                    break
            screen.open_document("long.txt")
            for _ in range(100):
                await pilot.pause(0.02)
                if screen.document is not None:
                    break
            opening = screen.document
            assert opening is not None and not opening.complete and completed == []
            assert screen.reader.document is opening
            assert "THE LONG REPORT" in screen_text(screen)  # the first screen, before `complete`
            await pilot.press("space")
            await pilot.pause()
            top = screen.reader.top_offset
            assert top > 0
            release.set()
            await settle(pilot)
            whole = screen.document
            assert whole is completed[0] and whole.complete and screen.reader.document is whole
            assert whole.text == opening.text and whole.meta.words > opening.meta.words
            assert screen.reader.top_offset == top  # where it was
            await pilot.press("G")
            await pilot.pause()
            assert screen.reader.top_offset > 30 * LIMIT  # the whole text is laid out
    finally:
        release.set()


async def test_reopened_past_its_opening_a_long_text_loads_whole_at_its_place(long_corpus: Path) -> None:
    app = make_app(long_corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.open_document("long.txt")
        await settle(pilot)
        await pilot.press("G")
        await pilot.pause()
        top = app.screen.reader.top_offset
        assert top > 30 * LIMIT
    again = make_app(long_corpus)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen: MainScreen = again.screen
        assert screen.document is not None and screen.document.complete
        assert screen.reader.top_offset == top
