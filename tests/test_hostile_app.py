"""The app on files that change under it: deleted or rewritten while open in the reader.

Through Textual's pilot (fast); the same corpus through a real terminal is tests/test_hostile_pty.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from folio_reader.index.annotations import Annotation, Status, anchor_document, encode
from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import Notifications, settle, type_query

LONG = (
    "A long document\n\n"
    + "\n\n".join(f"Paragraph {n} talks about walrus number {n} at length." for n in range(400))
    + "\n\nlastword here\n"
)


def make(tmp_path: Path) -> tuple[Path, FolioApp]:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(LONG)
    (root / "b.txt").write_text("Another document\n\nnothing to see\n")
    return root, FolioApp(open_corpus(root), annotations_path=tmp_path / "notes.json")


async def open_by_search(pilot, word: str) -> MainScreen:
    await type_query(pilot, word)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


async def test_a_file_deleted_while_open_keeps_its_text_on_screen_and_says_so_when_reopened(
    tmp_path: Path, notifications: Notifications
) -> None:
    root, app = make(tmp_path)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_by_search(pilot, "lastword")
        assert screen.document.rel == "a.txt"
        (root / "a.txt").unlink()
        screen.reader.move_caret(screen.document.text.index("Paragraph 7 "))
        await pilot.press("h")  # annotating what is on screen still works, and is saved
        await settle(pilot)
        assert len(app.store.all()) == 1 and not app.store.pending
        await pilot.press("G", "g", "j", "j")
        await open_by_search(pilot, "nothing")
        assert screen.document.rel == "b.txt"
        await open_by_search(pilot, "lastword")  # the index still knows it: opening says it is gone
        await settle(pilot)
        assert any("a.txt" in m and "no such file" in m.lower() for m in notifications.messages), notifications.messages
        assert screen.document.rel == "b.txt" and app.is_running
        await type_query(pilot, "walrus")  # a snippet of a gone file: no crash, an empty snippet
        assert screen.search_pane.result is not None


async def test_a_file_rewritten_while_open_reanchors_and_never_highlights_past_its_end(tmp_path: Path) -> None:
    root, app = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_by_search(pilot, "lastword")  # a hit near the end of a long document
        text = screen.document.text
        start = text.index("Paragraph 399")
        screen.reader.select(start, start + len("Paragraph 399 talks about walrus"))
        await pilot.press("h")
        await settle(pilot)
        [ann] = app.store.all()
        # rewritten much shorter, with the annotated passage moved to the top
        short = "Rewritten\n\nParagraph 399 talks about walrus number 399 at length.\n\nlastword now here\n"
        (root / "a.txt").write_text(short)
        os.utime(root / "a.txt", ns=(1, 1))  # a different mtime even on a coarse clock
        await pilot.press("G", "k", "space", "b", "n", "N")  # moving about the text on screen still works
        await open_by_search(pilot, "nothing")
        await open_by_search(pilot, "lastword")  # stale spans from the index (past the new end)
        await settle(pilot)
        assert screen.document.text == short and app.is_running
        assert 0 <= screen.reader.caret <= len(short)
        [found] = screen.anchors  # the annotation followed its words
        assert short[found.start : found.end] == ann.exact
        assert anchor_document([ann], open_corpus(root).load("a.txt"))[0].status is Status.MOVED
        await pilot.press("n", "n", "N")
        assert app.is_running


async def test_names_with_escapes_are_drawn_and_notified_inert(tmp_path: Path, notifications: Notifications) -> None:
    """Regression: a file name holding ESC reached the terminal raw from the document list (before
    the index had read the file), the status bar and notifications (a terminal title was set, and
    the rest of the app's output swallowed by the unterminated sequence)."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "esc\x1b]0;owned\x07.txt").write_text("Escape in the name\n\nwalrus\n")
    (root / "empty\x1b[2J.txt").write_bytes(b"")
    app = FolioApp(open_corpus(root), annotations_path=tmp_path / "notes.json")
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen: MainScreen = app.screen
        await settle(pilot)
        screen.status.document = "opening esc\x1b]0;owned\x07.txt…"  # what the screen shows while a file loads
        await pilot.press("end", "enter")  # the unreadable one: listed by its name, a warning with its name
        await pilot.pause()
        app.notify("quoting \x1b]52;c;eA==\x07 a name", markup=False)
        await pilot.pause()
        shot = app.export_screenshot()
        assert "\x1b" not in shot and "[2J" in shot and "owned" in shot
        messages = notifications.messages
        assert all("\x1b" not in m for m in messages) and any("␛]52;" in m for m in messages)
        assert any(m.startswith("empty␛[2J.txt: empty file") for m in messages)


async def test_an_orphan_from_a_foreign_file_is_listed_inert(tmp_path: Path) -> None:
    doc = open_corpus(None).load("001_b23a58cccaa29fe1.txt")
    obj = Annotation.new(doc, 0, 30).to_w3c()
    obj["target"]["source"] = "gone\x1b]0;owned\x07.txt"  # no such document: an orphan
    data = json.loads(encode([]))
    data["annotations"] = [obj]
    (tmp_path / "notes.json").write_text(json.dumps(data))
    app = FolioApp(open_corpus(None), annotations_path=tmp_path / "notes.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert "owned" in app.export_screenshot() and "\x1b" not in app.export_screenshot()


async def test_a_file_that_cannot_be_opened_is_named_once(tmp_path: Path, notifications: Notifications) -> None:
    """Regression: "a.txt: a.txt: no such file…" (the corpus's reason names the file already)."""
    root, app = make(tmp_path)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        (root / "a.txt").unlink()
        (root / "b.txt").write_bytes(b"")
        for rel in ("a.txt", "b.txt"):
            app.screen.open_document(rel)
            await settle(pilot)
        failed = [m for m in notifications.messages if m.startswith(("a.txt", "b.txt"))]
        assert len(failed) == 2 and all(m.count(".txt") == 1 for m in failed), failed
        assert failed[0].lower().startswith("a.txt: no such file") and failed[1] == "b.txt: empty file"
