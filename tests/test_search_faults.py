"""The index folder and faults (issue 13, items 1, 13, 14): Folio moves aside or deletes only
what it wrote; a fault in Folio's own code is logged and said in one line, never taken for a
damaged index; a damaged index is rebuilt at most once a session; annotation field queries
search annotations."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import fields
from whoosh.filedb.filestore import FileStorage

from folio_reader.index import locations
from folio_reader.index.annotation_search import AnnotationSearch
from folio_reader.index.annotations import Annotation
from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex, whoosh_ext
from folio_reader.index.search import searching as searching_module
from folio_reader.index.search.schema import MARKER
from folio_reader.index.search.storage import is_index_file
from tests.conftest import ROOT


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path -> sha256), to tell it was left untouched."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def folio(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("folio")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def user_folder_with_a_broken_whoosh_file(tmp_path: Path) -> Path:
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "thesis.md").write_text("# My thesis\n\nThree years of work.\n")
    (folder / "notes").mkdir()
    (folder / "notes" / "a.txt").write_text("notes\n")
    (folder / "_MAIN_1.toc").write_bytes(b"garbage" * 10)  # looks like a (damaged) index
    return folder


# -- item 1: --index-dir on a folder that is not Folio's -------------------------------------------


def test_index_dir_on_a_users_folder_with_a_damaged_index_is_refused_and_untouched(tmp_path: Path) -> None:
    """Before: the whole folder, thesis included, was renamed to thesis.broken-<time>."""
    folder = user_folder_with_a_broken_whoosh_file(tmp_path)
    before = snapshot(folder)
    done = folio("search", "carney", "--index-dir", str(folder))
    assert done.returncode == 0, done.stderr  # searched, from an index in memory
    assert "not a Folio index" in done.stderr and "left untouched" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]  # no .broken-*, no .lock beside it
    again = folio("index", "--rebuild", "--index-dir", str(folder))
    assert again.returncode == 0 and snapshot(folder) == before


def test_another_programs_whoosh_index_is_refused_and_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(fields.Schema(name=fields.TEXT(stored=True)))
    with ix.writer() as writer:
        writer.add_document(name="their data")
    before = snapshot(folder)
    with FolioIndex(open_corpus(None), folder) as index:
        assert index.in_memory and any("not a Folio index" in m for m in index.messages)
        index.update()
        assert index.search("carney").hits
        index.rebuild()
    assert snapshot(folder) == before


def test_a_folio_index_folder_with_a_users_file_loses_only_folios_files(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    with FolioIndex(open_corpus(None), folder) as index:
        index.update()
    (folder / "mine.txt").write_text("a file someone put here\n")
    for f in folder.iterdir():
        if f.suffix in (".toc", ".seg"):
            f.write_bytes(b"garbage" * 10)
    with FolioIndex(open_corpus(None), folder) as index:
        assert any("damaged" in m and "moved aside" in m for m in index.messages), index.messages
        assert (folder / "mine.txt").read_text() == "a file someone put here\n"
        [aside] = tmp_path.glob("ix.broken-*")
        assert (aside / MARKER).exists() and not (aside / "mine.txt").exists()
        assert all(is_index_file(p.name) for p in aside.iterdir())
        assert index.update().added == 5 and index.search("fentanyl").hits
        index.rebuild()  # `folio index --rebuild`: deletes Folio's files only
        assert (folder / "mine.txt").exists() and (folder / MARKER).exists()


def test_an_empty_or_new_folder_becomes_an_index_and_reopens(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        with FolioIndex(open_corpus(None), folder) as index:
            assert not index.in_memory and index.update().added == 5
        with FolioIndex(open_corpus(None), folder) as index:
            assert index.messages == [] and index.update().unchanged == 5


def test_which_files_are_folios() -> None:
    for name in ("folio-index.json", "words.txt", "listing.json", "staging", "_MAIN_3.toc", "MAIN_x1.seg"):
        assert is_index_file(name), name
    assert is_index_file(".listing.json.k2j3.tmp") and is_index_file("MAIN.tmp")
    for name in ("thesis.md", "notes", "MAIN", ".thesis.md.k2.tmp", "x.tmp", "main_1.toc"):
        assert not is_index_file(name), name


# -- item 13: a code bug is not index damage -------------------------------------------------------


def test_a_bug_in_snippet_code_is_logged_and_said_in_one_line_not_taken_for_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: "the index cannot be read (KeyError); it will be rebuilt", at every search."""
    with FolioIndex(open_corpus(None), tmp_path / "ix") as index:
        index.update()
        before = snapshot(tmp_path / "ix")

        def broken(text: str, spans: list[tuple[int, int]], **_: object) -> tuple[str, list[tuple[int, int]]]:
            raise KeyError("snippet-bug")

        monkeypatch.setattr(searching_module, "make_snippet", broken)
        result = index.search("carney")
        assert not result.damaged and result.hits == []
        assert result.error is not None and "\n" not in result.error
        assert "KeyError" in result.error and "a fault in Folio" in result.error
        log = locations.log_path()
        assert str(log) in result.error
        assert "snippet-bug" in log.read_text() and "Traceback" in log.read_text()
        assert not index.messages and snapshot(tmp_path / "ix") == before  # not moved aside
        monkeypatch.undo()
        assert index.search("carney").hits


def test_errors_are_damage_only_when_the_os_or_whoosh_raise_them(tmp_path: Path) -> None:
    def raised(fn) -> BaseException:
        try:
            fn()
        except Exception as exc:
            return exc
        raise AssertionError("did not raise")

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "_MAIN_1.toc").write_bytes(b"garbage" * 10)
    from whoosh import index as whoosh_index

    assert whoosh_ext.is_damage(raised(lambda: whoosh_index.open_dir(str(tmp_path / "bad"))))
    assert whoosh_ext.is_damage(raised(lambda: (tmp_path / "missing").read_bytes()))
    assert not whoosh_ext.is_damage(raised(lambda: {}["key"]))
    assert not whoosh_ext.is_damage(raised(lambda: sorted([1, "a"])))  # a TypeError in our own code


def test_a_damaged_index_is_rebuilt_once_a_session_then_said(tmp_path: Path) -> None:
    def damage() -> None:
        index._close_searcher()
        for f in (tmp_path / "ix").iterdir():
            if f.suffix in (".toc", ".seg", ".trm", ".pst"):
                f.write_bytes(b"garbage" * 10)

    with FolioIndex(open_corpus(None), tmp_path / "ix") as index:
        index.update()
        damage()
        first = index.search("carney")
        assert first.damaged and "it will be rebuilt" in (first.error or "")
        index.recover(RuntimeError("it could not be read"))  # what the app does on `damaged`
        index.update()
        assert index.search("carney").hits
        damage()
        second = index.search("carney")
        assert not second.damaged, "rebuilt twice in one session"
        assert "already rebuilt once" in (second.error or "") and "folio index --rebuild" in (second.error or "")


# -- item 14: annotation field queries -------------------------------------------------------------


def note(n: int, exact: str, text: str, tags: tuple[str, ...]) -> Annotation:
    return Annotation(id=f"a{n}", source="doc.md", start=0, end=len(exact), exact=exact, note=text, tags=tags)


NOTES = [
    note(1, "the first quote", "see figure 3", ("econ", "tariffs")),
    note(2, "a figure of speech", "rhetoric", ("style",)),
    note(3, "nothing here", "plain", ()),
]


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("note:figure", ["a1"]),  # before: [] (validated against title:, author:, …)
        ("tags:econ", ["a1"]),
        ("quote:figure", ["a2"]),
        ("figure", ["a1", "a2"]),
        ("note:figure tags:econ", ["a1"]),
        ("title:figure", []),  # a field of documents: no annotation has it
        ("nosuch:figure", []),
    ],
)
def test_annotation_field_queries_search_the_annotation_fields(query: str, ids: list[str]) -> None:
    assert sorted(AnnotationSearch(NOTES).search(query)) == ids


def test_an_annotation_field_on_documents_is_no_error(tmp_path: Path) -> None:
    """So the app, which searches notes only when the document query runs, finds the notes."""
    with FolioIndex(open_corpus(None), tmp_path / "ix") as index:
        index.update()
        result = index.search("note:figure")
        assert result.error is None and result.hits == []
        assert result.note == "note: searches annotations, not documents"
        assert "unknown field" in (index.search("nosuch:x").error or "")


def test_the_log_is_kept_small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from folio_reader.index import errorlog

    monkeypatch.setattr(errorlog, "MAX_LOG_BYTES", 2000)
    for n in range(20):
        try:
            raise ValueError(f"fault {n}")
        except ValueError as exc:
            assert errorlog.record(exc, "testing") == locations.log_path()
    log = locations.log_path()
    assert log.stat().st_size < 4000 and "fault 19" in log.read_text()
    assert log.with_name("folio.log.1").exists()
    assert oct(os.stat(log).st_mode & 0o777) == "0o600"


def test_a_folio_index_whose_marker_is_garbled_too_is_still_folios(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    with FolioIndex(open_corpus(None), folder) as index:
        index.update()
    for f in folder.iterdir():
        if f.is_file():
            f.write_bytes(b"garbage" * 10)
    with FolioIndex(open_corpus(None), folder) as index:
        assert not index.in_memory and any("moved aside" in m for m in index.messages), index.messages
        assert index.update().added == 5


def test_the_reader_session_finds_notes_by_a_note_field_query(tmp_path: Path) -> None:
    """What the app's search box does with `note:figure`: documents say why none match, the
    notes that match are listed (before: none, and an "unknown field" error)."""
    from folio_reader.index.annotations import AnnotationStore
    from folio_reader.index.session import IndexSession

    corpus = open_corpus(None)
    doc = corpus.load(corpus.scan().entries[0].rel)
    store = AnnotationStore(tmp_path / "notes.json")
    wanted = store.add(Annotation.new(doc, 0, 20, note="see figure 3", tags=("econ",)))
    store.add(Annotation.new(doc, 30, 50, note="rhetoric"))
    session = IndexSession(corpus, tmp_path / "ix")
    assert session.open(lambda items: None, lambda done, total: None, lambda: False) is not None
    for query in ("note:figure", "tags:econ"):
        found = session.search(query, store, version=1)
        assert found is not None and found.result.error is None
        assert [a.id for a in found.annotations] == [wanted.id], query
    assert session.index is not None
    session.index.close()


def test_a_wrong_call_into_whoosh_is_a_bug_not_damage(tmp_path: Path) -> None:
    """Found while adding field match counts: a matcher asked for positions it does not have
    raised AttributeError inside Whoosh, and the search called the index damaged."""
    with FolioIndex(open_corpus(None), tmp_path / "ix") as index:
        index.update()
        with index.whoosh_index.searcher() as s:
            matcher = index.parse("date:2025-05").matcher(s)
            try:
                matcher.supports("positions")
            except AttributeError as exc:
                assert not whoosh_ext.is_damage(exc)
            else:
                raise AssertionError("Whoosh no longer raises here: find another wrong call")
        result = index.search("date:2025-05")
        assert result.error is None and {h.rel[:3] for h in result.hits} == {"001", "003"}
        assert all(h.field_matches == {"date": 1} for h in result.hits)


def test_the_session_asks_the_index_for_the_hits_the_pane_can_show(tmp_path: Path) -> None:
    """Issue 15, item 1: the app asked for 50 hits whatever the pane showed (each costs its
    spans, its snippet and a read of its text). The session asks for what it is told; the total
    still counts every match."""
    from folio_reader.index.annotations import AnnotationStore
    from folio_reader.index.session import SEARCH_LIMIT, IndexSession

    corpus = open_corpus(None)
    session = IndexSession(corpus, tmp_path / "ix")
    assert session.open(lambda items: None, lambda done, total: None, lambda: False) is not None
    store = AnnotationStore(tmp_path / "notes.json")
    everything = session.search("canada OR trump OR carney OR tariff", store, version=1)
    assert everything is not None and everything.result.total >= 3
    assert len(everything.result.hits) == min(everything.result.total, SEARCH_LIMIT)
    two = session.search("canada OR trump OR carney OR tariff", store, version=1, limit=2)
    assert two is not None and len(two.result.hits) == 2 and two.result.total >= 3
    assert session.index is not None
    session.index.close()
