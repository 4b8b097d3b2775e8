"""Snapshots of the main screen (80x24, 120x40, dark and light) and of a hostile document.

Deterministic: fixed sizes, isolated config/cache/state dirs (conftest), the index built and
its notifications cleared before the picture, and no blinking cursor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp

HOSTILE = (
    "# [bold]Not a heading style[/bold] and [link=https://evil.example]no link[/link]\n\n"
    "Escapes: \x1b[2J\x1b[H screen clear, \x1b]0;owned\x07 title, \x1b]52;c;aGk=\x07 clipboard,"
    " [@click=app.quit]click[/] and [/] closers.\n\n"
    "Wide: 宽字符の文章 and emoji 😀🎉 stay aligned | combining: e\u0301 a\u0308 | RTL: שלום עולם\n\n"
    "Invalid bytes: \udcff survive as replacement characters; NUL \x00 and DEL \x7f too.\n"
)


def build(corpus_dir: Path | None, *, theme: str, open_first: bool):
    app = FolioApp(open_corpus(corpus_dir))

    async def run_before(pilot) -> None:
        app.theme = theme
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        if open_first:
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    return app, run_before


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen(snap_compare, theme: str, size: tuple[int, int]) -> None:
    app, run_before = build(None, theme=theme, open_first=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_document_list_at_80_columns(snap_compare) -> None:
    app, run_before = build(None, theme="textual-dark", open_first=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_hostile_document(snap_compare, tmp_path: Path) -> None:
    data = HOSTILE.encode("utf-8", "surrogateescape")
    (tmp_path / "hostile [red]\x1b.md").write_bytes(data)
    app, run_before = build(tmp_path, theme="textual-dark", open_first=True)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_highlights_of_each_colour(snap_compare, tmp_path: Path) -> None:
    from folio_reader.index.annotations import COLORS, Annotation, AnnotationStore

    corpus = open_corpus()
    doc = corpus.load(corpus.scan().entries[0])
    store = AnnotationStore(tmp_path / "notes.json")
    start = doc.text.index("Carney")
    for n, color in enumerate(COLORS):
        store.add(Annotation.new(doc, start, start + 25, color=color, note="a note" if n % 2 else ""))
        start = doc.text.index(" ", start + 40) + 1
    app = FolioApp(corpus, annotations_path=tmp_path / "notes.json")

    async def run_before(pilot) -> None:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_help(snap_compare) -> None:
    """Help lists keys as a person writes them (`?`, `]`, `/`), grouped by pane, with what each does."""
    app, before = build(None, theme="textual-dark", open_first=True)

    async def run_before(pilot) -> None:
        await before(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_the_sidebar_at_200_columns(snap_compare) -> None:
    """The list takes a share of a wide terminal: titles and dates are not cut at 44 columns."""
    app, run_before = build(None, theme="textual-dark", open_first=True)
    assert snap_compare(app, terminal_size=(200, 50), run_before=run_before)
