"""The draft journal (index/drafts.py) on its own, and the offer of a left-behind note in the app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from folio_reader.index.annotations import Annotation
from folio_reader.index.corpus import open_corpus
from folio_reader.index.drafts import Draft, DraftJournal, journal_folder
from folio_reader.tui.screens.annotation_editor import AnnotationEditor
from folio_reader.tui.screens.confirm import ConfirmScreen
from tests.helpers import make_app, settle

REPO = Path(__file__).resolve().parent.parent


def a_draft(note: str = "a thought", saved: bool = False) -> Draft:
    doc = open_corpus(None).load("001_b23a58cccaa29fe1.txt")
    return Draft("new", Annotation.new(doc, 0, 40, note=note), saved=saved)


def test_a_journal_is_private_rewritten_whole_and_gone_when_empty(tmp_path: Path) -> None:
    journal = DraftJournal(tmp_path / "drafts")
    draft = a_draft()
    journal.put(draft)
    journal.write()
    assert journal.path.stat().st_mode & 0o777 == 0o600
    journal.put(a_draft("another"))
    journal.remove(draft.id)
    journal.write()
    other = DraftJournal(tmp_path / "drafts")
    assert other.claim_left_behind() == []  # its writer is still running: not taken
    journal.remove(journal.drafts()[0].id)
    journal.close()
    assert list((tmp_path / "drafts").iterdir()) == []


LEAVE_ONE = """
import os, sys
from pathlib import Path
from folio_reader.index.annotations import Annotation
from folio_reader.index.corpus import open_corpus
from folio_reader.index.drafts import Draft, DraftJournal
doc = open_corpus(None).load("001_b23a58cccaa29fe1.txt")
journal = DraftJournal(Path(sys.argv[1]))
journal.put(Draft("new", Annotation.new(doc, 0, 40, note=sys.argv[2]), saved=sys.argv[3] == "saved"))
journal.write()
os._exit(9)  # no close: as a SIGKILL leaves it
"""


def leave_behind(folder: Path, note: str, saved: bool) -> None:
    """A journal as a Folio killed while writing a note leaves it (its lock gone with it)."""
    args = [str(folder), note, "saved" if saved else "typing"]
    subprocess.run([sys.executable, "-c", LEAVE_ONE, *args], cwd=REPO, env={**os.environ}, check=False)


def test_a_journal_left_by_a_process_that_died_is_taken_over_once(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    leave_behind(folder, "left by a process that died", saved=True)
    assert len(list(folder.glob("journal-*.json"))) == 1
    mine = DraftJournal(folder)
    [found] = mine.claim_left_behind()
    assert found.saved and found.annotation.note == "left by a process that died"
    assert mine.drafts() == [found]  # now in this journal, on disk before the other went
    assert [p for p in folder.glob("journal-*.json")] == [mine.path]
    assert DraftJournal(folder).claim_left_behind() == []  # ours is live: nobody takes it twice


def test_a_damaged_journal_is_left_where_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "journal-1-deadbeef.json").write_text("[" * 100_000)
    assert DraftJournal(folder).claim_left_behind() == []
    assert (folder / "journal-1-deadbeef.json").exists()


async def test_a_left_behind_note_is_discarded_with_n_and_kept_with_escape(tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    leave_behind(journal_folder(notes), "keep me for later", saved=False)
    app = make_app(annotations_path=notes)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "keep me for later" in app.screen.question
        await pilot.press("escape")  # not now: offered again next time
        await settle(pilot)
    again = make_app(annotations_path=notes)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ConfirmScreen)
        await pilot.press("n")  # discarded
        await settle(pilot)
        assert not isinstance(again.screen, (ConfirmScreen, AnnotationEditor)) and again.store.all() == []
    third = make_app(annotations_path=notes)
    async with third.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not isinstance(third.screen, ConfirmScreen)
    assert list(journal_folder(notes).glob("journal-*.json")) == []


async def test_a_saved_note_left_behind_is_stored_without_asking(tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    leave_behind(journal_folder(notes), "stored on the next start", saved=True)
    app = make_app(annotations_path=notes)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert [a.note for a in app.store.all()] == ["stored on the next start"]
    assert list(journal_folder(notes).glob("journal-*")) == []
