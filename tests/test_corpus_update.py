"""A one-file update of a large corpus reads the stored metadata of only the documents it has
not read before (`StoredCache`: segments are read once and kept while they live), not every
document of the corpus, and not again for the listing that `folio list` and the reader start
from; the listing and `stored()` still say what the index holds, also after another writer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.codec.whoosh3 import W3PerDocReader

from folio_reader.index.corpus import DocMeta, open_corpus
from folio_reader.index.described import documents_of
from folio_reader.index.listing import load_listing
from folio_reader.index.search import FolioIndex


@pytest.fixture
def documents_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many documents' stored fields Whoosh has unpickled since the last `clear()`."""
    count = [0]
    real = W3PerDocReader.stored_fields

    def counting(self: W3PerDocReader, docnum: int) -> Any:
        count[0] += 1
        return real(self, docnum)

    monkeypatch.setattr(W3PerDocReader, "stored_fields", counting)
    yield count


def corpus_of(root: Path, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"doc{i:02}.md").write_text(f"# Document {i}\n\nText number {i}.\n")
    return root


def test_a_one_file_update_reads_only_what_it_has_not_read(tmp_path: Path, documents_read: list[int]) -> None:
    root = corpus_of(tmp_path / "c", 30)
    (root / "gone.md").write_text("# Gone\n\nSoon deleted.\n")
    ix = FolioIndex(open_corpus(root), tmp_path / "ix")
    ix.update(procs=1)
    ix.update(procs=1)  # nothing to do: what the index holds is read, once in this process
    assert documents_read[0] == 31
    documents_read[0] = 0
    (root / "doc07.md").write_text("# Document seven, changed\n\nNew text.\n")
    (root / "gone.md").unlink()
    (root / "new.md").write_text("# New\n\nAdded.\n")
    (root / "empty.md").write_text("")
    report = ix.update(procs=1)
    assert (report.added, report.updated, report.deleted) == (1, 1, 1)
    assert documents_read[0] == 0  # planned from what was read before; the listing from memory
    stored = ix.stored()
    assert documents_read[0] == 2  # the new segment's two documents, not the corpus's 31
    assert "gone.md" not in stored and stored["doc07.md"]["title"] == "Document seven, changed"
    listed, problems = load_listing(ix.dir)[:2]
    documents, recorded = ix.documents()
    assert [(m.rel, m.title) for m in listed] == [(m.rel, m.title) for m in documents]
    assert ("doc07.md", "Document seven, changed") in [(m.rel, m.title) for m in listed]
    assert "gone.md" not in [m.rel for m in listed] and "new.md" in [m.rel for m in listed]
    assert problems == recorded
    ix.close()


def test_what_the_index_holds_follows_another_writer(tmp_path: Path, documents_read: list[int]) -> None:
    """Another folio's commit (a document changed, one deleted, segments merged) is seen by an
    index that read the segments before: deletions apply to the segments it keeps."""
    root = corpus_of(tmp_path / "c", 12)
    reader = FolioIndex(open_corpus(root), tmp_path / "ix")
    reader.update(procs=1)
    before = reader.stored()
    assert before["doc03.md"]["title"] == "Document 3"
    writer = FolioIndex(open_corpus(root), tmp_path / "ix")
    (root / "doc03.md").write_text("# Document three, rewritten\n\nOther text.\n")
    (root / "doc05.md").unlink()
    writer.update(procs=1)
    documents_read[0] = 0
    after = reader.stored()
    assert documents_read[0] == 1  # only the other writer's new segment
    assert after["doc03.md"]["title"] == "Document three, rewritten"
    assert "doc05.md" not in after and len(after) == 11
    assert after == writer.stored()
    reader.rebuild()  # the index replaced: nothing kept from the old one is shown
    assert reader.stored() == {}
    writer.close()
    reader.close()


def test_the_listing_of_a_one_file_update_describes_only_the_changed_documents_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving the listing makes a `DocMeta` only of metadata it has not described before (the
    rest are the same stored dicts), and takes the scan's order instead of sorting again."""
    root = corpus_of(tmp_path / "c", 30)
    ix = FolioIndex(open_corpus(root), tmp_path / "ix")
    ix.update(procs=1)
    (root / "doc01.md").write_text("# Document one, changed\n\nNew text.\n")
    ix.update(procs=1)  # the first listing saved from metadata read off the disk
    made: list[str] = []
    real = DocMeta.from_json.__func__  # type: ignore[attr-defined]  # a classmethod's function

    def counting(cls: type[DocMeta], d: dict[str, Any]) -> DocMeta:
        made.append(d["rel"])
        return real(cls, d)  # type: ignore[no-any-return]

    monkeypatch.setattr(DocMeta, "from_json", classmethod(counting))
    (root / "Doc20.md").write_text("# Document twenty, changed\n\nNew text.\n")
    (root / "doc20.md").unlink()
    report = ix.update(procs=1)
    assert (report.added, report.deleted) == (1, 1)
    assert made == ["Doc20.md"]
    monkeypatch.undo()
    listed = load_listing(ix.dir)[0]
    assert [m.rel for m in listed] == [m.rel for m in ix.documents()[0]]
    assert [m.rel for m in listed][19:22] == ["doc19.md", "Doc20.md", "doc21.md"]
    ix.close()


def test_documents_in_an_order_that_misses_paths_are_sorted() -> None:
    stored = {
        rel: DocMeta(rel, rel, "file name", None, None, None, None, 1, 1, 1, "", "utf-8", None).to_json()
        for rel in ("b.md", "A.md", "c.md")
    }
    stored["bad.md"] = {"problem": "empty file", "size": 0, "mtime_ns": 1}
    whole = documents_of(stored)
    assert [m.rel for m in whole[0]] == ["A.md", "b.md", "c.md"] and [p.rel for p in whole[1]] == ["bad.md"]
    assert documents_of(stored, ["c.md", "b.md"]) == whole  # not every path: sorted
    assert documents_of(stored, ["c.md", "bad.md", "b.md", "A.md"])[0][0].rel == "c.md"  # taken as given


def test_a_scan_makes_no_path_object_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15 item 4: a `Path` made for each file found was 40% of the scan of 50,000 files;
    a scan's entries carry the path as a string (`FileEntry.path` makes one when asked)."""
    import pathlib

    from folio_reader.index import walk

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for n in range(30):
            (tmp_path / folder / f"{n}.md").write_text(f"# Doc {n}\n\ntext\n")
    made = []

    def counting(*parts: Any) -> pathlib.Path:
        made.append(parts)
        return pathlib.Path(*parts)

    monkeypatch.setattr(walk, "Path", counting)
    corpus = open_corpus(tmp_path)
    entries = corpus.scan().entries
    assert len(entries) == 60 and len(made) <= 2  # one a folder
    assert entries[0].path == tmp_path / "a" / "0.md" and corpus.load(entries[0]).meta.title == "Doc 0"


def test_a_scan_again_keeps_the_entries_of_unchanged_files_and_finds_what_a_first_scan_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 item 4: making 50,000 `FileEntry`s again on each scan (and the garbage
    collector's passes over them) was a third of a one-file update's scan. A file with the size,
    mtime and kind of the last scan keeps its entry; after each kind of change, what a corpus
    scanned before finds is what a corpus scanning for the first time finds, in the same order."""
    import os

    from folio_reader.index import corpus as corpus_module

    root = tmp_path / "c"
    for folder in ("a", "B", "a b"):
        (root / folder).mkdir(parents=True)
        for name in ("x.md", "X.txt", "é.md", "z.md"):
            (root / folder / name).write_text(f"# {folder} {name}\n\ntext\n")
    (root / "a.md").write_text("# top\n")
    (root / "notes.bin").write_text("not a document")
    corpus = open_corpus(root)
    first = corpus.scan()
    made: list[str] = []
    real = corpus_module.FileEntry

    def counting(rel: str, *rest: Any) -> Any:
        made.append(rel)
        return real(rel, *rest)

    monkeypatch.setattr(corpus_module, "FileEntry", counting)
    again = corpus.scan()
    assert made == [] and all(map(lambda a, b: a is b, again.entries, first.entries)) and len(again.entries) == 13

    def same_as_a_first_scan() -> list[str]:
        made.clear()
        scanned = corpus.scan()
        remade = list(made)
        fresh = open_corpus(root).scan()
        assert scanned.entries == fresh.entries and scanned.problems == fresh.problems
        made[:] = remade
        return [e.rel for e in scanned.entries]

    (root / "a" / "x.md").write_text("# a x, longer than it was\n\ntext\n")  # changed
    stamp = os.stat(root / "B" / "z.md")
    os.utime(root / "B" / "z.md", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))  # touched
    assert same_as_a_first_scan()[:3] == ["a b/x.md", "a b/X.txt", "a b/z.md"]
    assert sorted(made) == ["B/z.md", "a/x.md"]
    (root / "a" / "z.md").unlink()  # deleted: the rest in the last scan's order
    (root / "a b" / "x.md").write_text("")  # emptied: a problem now
    (root / "B" / "X.txt").unlink()
    (root / "B" / "X.txt").mkdir()  # a folder where a file was
    assert "a/z.md" not in same_as_a_first_scan()
    (root / "a" / "new.md").write_text("# new\n")  # added: sorted in
    (root / "a" / "é.md").unlink()
    (root / "a" / "é.md").symlink_to(root / "a.md")  # a link to a file where a file was
    rels = same_as_a_first_scan()
    assert rels[:5] == ["a b/X.txt", "a b/z.md", "a b/é.md", "a.md", "a/new.md"] and "a/é.md" in rels


def test_an_update_plans_the_changed_files_and_deletes_what_the_scan_no_longer_finds() -> None:
    from folio_reader.index.corpus import FileEntry, Problem
    from folio_reader.index.search.results import UpdateReport
    from folio_reader.index.search.update import Updater

    stored: dict[str, dict[str, Any]] = {
        "a.md": {"size": 1, "mtime_ns": 1, "title": "A"},
        "b.md": {"problem": "empty file", "size": 0, "mtime_ns": 1},
        "c.md": {"size": 3, "mtime_ns": 3, "title": "C"},
    }
    a, b, c = (FileEntry(rel, "/" + rel, meta["size"], meta["mtime_ns"]) for rel, meta in stored.items())
    d, changed = FileEntry("d.md", "/d.md", 4, 4), FileEntry("c.md", "/c.md", 3, 4)
    report = UpdateReport()
    assert Updater._plan([a, b, c], stored, report) == ([], [])
    assert (report.unchanged, report.problems) == (2, [Problem("b.md", "empty file")])
    assert Updater._plan([a, changed, d], stored, UpdateReport()) == ([changed, d], ["b.md"])
    assert Updater._plan([d], stored, UpdateReport()) == ([d], ["a.md", "b.md", "c.md"])


def test_the_first_listing_a_process_saves_re_encodes_only_the_rows_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 item 4: the listing names the state of the index its rows are of, so the next
    process (here a new `FolioIndex`) takes its chunks instead of encoding every row; after
    another writer's commit, which the listing on disk does not show, it encodes them all."""
    from folio_reader.index.listing import LISTING, ListingEncoder

    monkeypatch.setattr(ListingEncoder, "CHUNK_BITS", 2)  # (chunks of ~4 rows)
    root = corpus_of(tmp_path / "c", 40)
    build = FolioIndex(open_corpus(root), tmp_path / "ix")
    build.update(procs=1)
    chunks = build._updater._encoder.encoded
    assert chunks > 5  # (every chunk)
    (root / "doc07.md").write_text("# Document seven, changed\n\nNew text.\n")
    first = FolioIndex(open_corpus(root), tmp_path / "ix")
    first.update(procs=1)
    assert first._updater._encoder.encoded == 1
    (root / "doc20.md").write_text("# Document twenty, changed\n\nNew text.\n")
    second = FolioIndex(open_corpus(root), tmp_path / "ix")
    second.update(procs=1)
    assert second._updater._encoder.encoded == 1
    written = (tmp_path / "ix" / LISTING).read_bytes()
    assert written.split(b"\n", 1)[1] == ListingEncoder().encode(*second.documents()).split(b"\n", 1)[1]
    assert ("doc20.md", "Document twenty, changed") in [(m.rel, m.title) for m in load_listing(tmp_path / "ix")[0]]
    third = FolioIndex(open_corpus(root), tmp_path / "ix")
    read = third.stored

    def read_then_another_commits() -> dict[str, dict[str, Any]]:
        stored = read()
        (root / "doc31.md").write_text("# Document thirty-one, changed\n\nNew text.\n")
        second.update(procs=1)
        return stored

    monkeypatch.setattr(third, "stored", read_then_another_commits)
    (root / "doc30.md").write_text("# Document thirty, changed\n\nNew text.\n")
    third.update(procs=1)
    assert third._updater._encoder.encoded == chunks  # (what it read is not what the listing is of)
    assert b'"state"' not in (tmp_path / "ix" / LISTING).read_bytes().split(b"\n", 1)[0]
    titles = {m.rel: m.title for m in load_listing(tmp_path / "ix")[0]}
    assert (titles["doc30.md"], titles["doc31.md"]) == ("Document thirty, changed", "Document thirty-one, changed")
    for ix in (build, first, second, third):
        ix.close()
