"""The document list built in the core: rows, their order, the cache, and the index session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from folio_reader.index.annotations import Annotation, AnnotationStore
from folio_reader.index.corpus import DocMeta, Problem, open_corpus
from folio_reader.index.listing import ListItem, cached_items, list_items, sort_items
from folio_reader.index.session import IndexSession
from tests.helpers import SEED_NAMES


def meta(rel: str, title: str, date: dt.date | None = None, outlet: str | None = None) -> DocMeta:
    return DocMeta(
        rel=rel,
        title=title,
        title_source="heading",
        author=None,
        outlet=outlet,
        date=date,
        date_source="text" if date else "none",
        words=10,
        size=100,
        mtime_ns=0,
        content_hash="h" + rel,
        encoding="utf-8",
    )


def test_list_items_each_path_once_documents_then_unread_then_problems() -> None:
    items = list_items(
        [meta("a.txt", "A")],
        ["a.txt", "b.txt"],
        [Problem("b.txt", "later word"), Problem("c.bin", "binary file, not text"), Problem("c.bin", "again")],
    )
    assert items == [
        ListItem("a.txt", "A", words=10),
        ListItem("b.txt", "b.txt"),  # found by the scan, not read yet: by its name
        ListItem("c.bin", "c.bin", problem="binary file, not text"),
    ]


def test_sorts_put_undated_and_unreadable_last() -> None:
    items = [
        ListItem("b.txt", "Zebra", date=dt.date(2025, 1, 1), outlet="X"),
        ListItem("A.txt", "apple", outlet=None),
        ListItem("c.txt", "Mango", date=dt.date(2025, 6, 1), outlet="a"),
        ListItem("0.bin", "0.bin", problem="binary"),
    ]
    rels = {key: [i.rel for i in sort_items(items, key)] for key in ("path", "date", "title", "outlet")}
    assert rels == {
        "path": ["A.txt", "b.txt", "c.txt", "0.bin"],
        "date": ["c.txt", "b.txt", "A.txt", "0.bin"],
        "title": ["A.txt", "c.txt", "b.txt", "0.bin"],
        "outlet": ["c.txt", "b.txt", "A.txt", "0.bin"],
    }


def test_matches_every_word_anywhere_in_the_row() -> None:
    item = ListItem("news/cbc.txt", "Carney in Washington", outlet="CBC News")
    assert item.matches(["carney", "cbc"]) and item.matches(["news/"]) and not item.matches(["trump"])


def test_the_session_lists_searches_and_finds_annotations(tmp_path: Path) -> None:
    corpus = open_corpus(None)
    session = IndexSession(corpus, tmp_path / "index")
    store = AnnotationStore(tmp_path / "notes.json")
    assert session.cached_items() == [] and session.search("carney", store, 0) is None  # not open yet
    listed: list[list[ListItem]] = []
    progress: list[tuple[int, int]] = []
    updated = session.open(listed.append, lambda done, total: progress.append((done, total)), lambda: False)
    assert updated is not None and updated.report.added == 5
    assert [i.rel for i in listed[0]] == SEED_NAMES and listed[0][0].words is None  # the scan, before reading
    assert [i.rel for i in listed[-1]] == SEED_NAMES and listed[-1][0].words  # read
    assert progress[-1] == (5, 5)
    assert [i.rel for i in cached_items(tmp_path / "index")] == SEED_NAMES  # the cache, for the next start
    doc = corpus.load(SEED_NAMES[0])
    store.add(Annotation.new(doc, 0, 40, note="walrus testimony"))
    found = session.search("walrus", store, 1)
    assert found is not None and [a.note for a in found.annotations] == ["walrus testimony"]
    store.add(Annotation.new(doc, 50, 90, note="a second walrus"))
    assert len(session.search("walrus", store, 1).annotations) == 1  # same version: the same index
    assert len(session.search("walrus", store, 2).annotations) == 2  # a new version: searched again
    assert {h.rel for h in session.search("fentanyl", store, 2).result.hits} == {SEED_NAMES[1], SEED_NAMES[3]}
    session.index.close()


def test_a_session_stopped_while_updating_says_nothing_done(tmp_path: Path) -> None:
    session = IndexSession(open_corpus(None), tmp_path / "index")
    assert session.open(lambda items: None, lambda done, total: None, lambda: True) is None
    session.index.close()


def test_opening_the_session_scans_the_folder_once(tmp_path: Path, monkeypatch) -> None:
    """Issue 15 item 3: the start listed the folder from one scan and updated from a second (on
    100,000 files ~15 s of the worker's time); the update takes the scan just made. And the
    session still kept to one document when asked: `within` filters hits and annotations."""
    corpus = open_corpus(None)
    scans: list[int] = []
    real_scan = corpus.scan
    monkeypatch.setattr(corpus, "scan", lambda: scans.append(1) or real_scan())
    session = IndexSession(corpus, tmp_path / "index")
    updated = session.open(lambda items: None, lambda done, total: None, lambda: False)
    assert updated is not None and updated.report.added == 5
    assert len(scans) == 1
    store = AnnotationStore(tmp_path / "notes.json")
    doc = corpus.load(SEED_NAMES[1])
    store.add(Annotation.new(doc, 0, 40, note="fentanyl walrus"))
    store.add(Annotation.new(corpus.load(SEED_NAMES[0]), 0, 40, note="fentanyl elsewhere"))
    found = session.search("fentanyl", store, 1, within=SEED_NAMES[1])
    assert found is not None and [h.rel for h in found.result.hits] == [SEED_NAMES[1]]
    assert [a.note for a in found.annotations] == ["fentanyl walrus"]
    session.index.close()
