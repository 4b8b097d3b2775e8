"""An index folder belongs to one corpus. `folio FILE --index-dir D`, D holding another folder's
index, showed that folder's list (296 rows) for ~5 s, then one document, and did not open the
file; and the update threw the other folder's index away, document by document.

Now D is refused, said, and left as it was (the other folder's index can take an hour to build):
the index lives in memory for this run, as for a folder that is not Folio's at all.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex
from folio_reader.index.session import MARKER as SESSION_MARKER
from folio_reader.index.session import index_owner
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import make_app, settle
from tests.hostile import FOLIO


def other_folders_index(tmp_path: Path) -> tuple[Path, Path, int]:
    """Folder `other` with its index in `ix`, and the file `mine/notes.md` outside it."""
    other = tmp_path / "other"
    other.mkdir()
    for n in range(12):
        (other / f"walrus-{n:02}.txt").write_text(f"Walrus report {n}.\n\nThe walrus sleeps.\n")
    index_dir = tmp_path / "ix"
    with FolioIndex(open_corpus(other), index_dir) as ix:
        ix.update()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("# My notes\n\nAbout penguins only.\n")
    return other, index_dir, 12


def other_index_kept(other: Path, index_dir: Path, count: int) -> None:
    assert index_owner(index_dir) == str(other)
    with FolioIndex(open_corpus(other), index_dir) as ix:
        assert not ix.in_memory and len(ix.documents()[0]) == count


def test_the_marker_named_without_whoosh_is_the_index_s_marker() -> None:
    from folio_reader.index.search.schema import MARKER

    assert SESSION_MARKER == MARKER


async def test_folio_file_with_another_folder_s_index_dir_opens_the_file(tmp_path: Path, notifications) -> None:
    other, index_dir, count = other_folders_index(tmp_path)
    app = make_app(tmp_path / "mine" / "notes.md", index_dir=index_dir)
    shown: list[list[str]] = []
    async with app.run_test(size=(80, 24), message_hook=notifications.hook) as pilot:
        screen: MainScreen = app.screen
        assert app.library.session.cached_items() == []  # not the other folder's list
        await settle(pilot)
        shown.append([item.rel for item in screen.sidebar.documents.items])
        assert screen.document is not None and screen.document.rel == "notes.md"
    assert shown == [["notes.md"]]
    assert notifications.count(f"{index_dir} is the index of {other}") == 1
    other_index_kept(other, index_dir, count)


def test_folio_search_with_another_folder_s_index_dir_says_so_and_keeps_it(tmp_path: Path) -> None:
    other, index_dir, count = other_folders_index(tmp_path)
    done = subprocess.run(
        [str(FOLIO), "search", "penguins", "--corpus", str(tmp_path / "mine"), "--index-dir", str(index_dir)],
        capture_output=True,
        timeout=120,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0 and "notes.md" in out and "walrus" not in out
    assert f"is the index of {other}" in err and "left untouched" in err and "Traceback" not in err
    other_index_kept(other, index_dir, count)
