"""Snapshots of the formats of issue 18 at 80x24: a saved web article (its navigation, related
stories and footer left out) and an EPUB book on its second chapter with the outline (`t`, the
table of contents) open. Deterministic as tests/test_snapshots.py is (isolated dirs, index built
and notifications cleared first). The files are built by tests/formats_files.py."""

from __future__ import annotations

from pathlib import Path

from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from tests.formats_files import BOOK_CHAPTERS, article_html, make_epub

#: The test book's chapters, long enough that a chapter fills the screen.
LONG_CHAPTERS = [(path, title, [p for _ in range(6) for p in paragraphs]) for path, title, paragraphs in BOOK_CHAPTERS]


async def _opened(app: FolioApp, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


def test_html_article(snap_compare, tmp_path: Path) -> None:
    (tmp_path / "article.html").write_bytes(article_html())
    app = FolioApp(open_corpus(tmp_path))

    async def run_before(pilot) -> None:
        await _opened(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_epub_chapter_with_the_outline_open(snap_compare, tmp_path: Path) -> None:
    (tmp_path / "book.epub").write_bytes(make_epub(LONG_CHAPTERS))
    app = FolioApp(open_corpus(tmp_path))

    async def run_before(pilot) -> None:
        await _opened(app, pilot)
        await pilot.press("t", "down", "enter")  # the second chapter
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
