"""The document list built in the core: rows, their order, the cache, and the index session."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from folio_reader.index.annotations import Annotation, AnnotationStore
from folio_reader.index.corpus import DocMeta, Problem, open_corpus
from folio_reader.index.listing import (
    LISTING,
    ListingEncoder,
    ListItem,
    Rows,
    cached_items,
    document_count,
    list_items,
    load_listing,
    position,
    readable_paths,
    rows_of,
    save_listing,
    sort_items,
)
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
    assert isinstance(listed[-1], Rows)  # in columns: set in the list without a sort or a row each
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


def _many(n: int) -> list[DocMeta]:
    return [
        meta(f"d{k:05}.md", f"Title {k}", dt.date(2024, 1, 1 + k % 28), "Outlet" if k % 2 else None) for k in range(n)
    ]


def test_the_listing_is_saved_in_columns_and_its_rows_are_made_only_when_asked(tmp_path: Path) -> None:
    """Issue 15 item 2: the list at start costs the listing's read, not a `ListItem` per
    document: the rows come back as `Rows` over the columns, already in path order."""
    metas = [meta("A.md", "a", outlet="X"), meta("b.md", "B", dt.date(2025, 1, 2)), meta("c.md", "C")]
    problems = [Problem("z.bin", "binary file, not text"), Problem("b.md", "a word lost"), Problem("y.bin", "empty")]
    save_listing(tmp_path, metas, problems)
    assert load_listing(tmp_path) == (metas, [problems[2], problems[0]])
    rows = cached_items(tmp_path)
    assert isinstance(rows, Rows) and len(rows) == 5 and rows.documents == 3
    expected = sort_items(list_items(metas, (), problems), "path")
    assert list(rows) == expected and rows[1:3] == expected[1:3] and rows[-1] == expected[-1]
    assert sort_items(rows, "path") is rows and sort_items(rows, "date") == sort_items(expected, "date")
    assert rows_of(metas, problems) == expected == rows  # (what the index lists after an update)
    assert rows.index_of("c.md") == 2 and rows.index_of("nope") is None and rows.readable() == {"A.md", "b.md", "c.md"}
    assert document_count(rows) == 3 and position(rows, "y.bin") == 3 and readable_paths(expected) == rows.readable()
    made = []
    original = Rows._item
    Rows._item = lambda self, n: made.append(n) or original(self, n)
    try:
        big_dir = tmp_path / "big"
        save_listing(big_dir, _many(20_000), [])
        big = cached_items(big_dir)
        assert len(big) == 20_000 and sort_items(big, "path") is big and document_count(big) == 20_000
        assert big[19_999].title == "Title 19999" and made == [19_999]
    finally:
        Rows._item = original


def test_a_listing_saved_again_re_encodes_only_the_rows_changed(tmp_path: Path) -> None:
    """Issue 15 item 4: an update saves the listing again through the encoder that wrote the
    last one, which re-encodes only the chunks of rows that changed (a one-file update at
    50,000 re-encoded every column, ~0.3 s); the bytes are those a full encoding writes, in the
    format the code before read."""
    docs = _many(5_000)
    encoder = ListingEncoder()
    save_listing(tmp_path, docs, [], encoder)
    assert encoder.encoded > 5  # (about 5,000 / 256 chunks, all new)
    changed = [*docs[:10], *docs[11:]]  # one removed
    changed[2_500] = dataclasses.replace(changed[2_500], title="Changed \u00e9\n", words=None)
    changed.append(meta("e-new.md", "New", outlet='"quoted"'))
    problems = [Problem("q.bin", "empty file")]
    save_listing(tmp_path, changed, problems, encoder)
    assert 1 <= encoder.encoded <= 3  # the chunks of the row removed, the row changed, the row added
    written = (tmp_path / LISTING).read_bytes()
    assert written == ListingEncoder().encode(changed, problems)
    rows = [[getattr(m, f) for m in changed] for f in ("rel", "title", "outlet", "author")]
    rows += [[m.date.isoformat() if m.date else None for m in changed], [m.words for m in changed]]
    rest = [[getattr(m, f) for m in changed] for f in ("title_source", "date_source", "size", "mtime_ns")]
    rest += [[getattr(m, f) for m in changed] for f in ("content_hash", "encoding", "note")]
    header = {"format": "folio-listing", "version": 2, "documents": len(changed)}
    lines = (rows, [["q.bin"], ["empty file"]], rest)
    head, body = written.split(b"\n", 1)
    assert json.loads(head).items() >= header.items()  # (and where each chunk is: `chunks`)
    assert body == b"\n".join(json.dumps(line, separators=(",", ":")).encode("ascii") for line in lines)
    assert load_listing(tmp_path) == (changed, problems)
    assert [i.rel for i in cached_items(tmp_path)] == [m.rel for m in changed] + ["q.bin"]
    save_listing(tmp_path, changed, problems, encoder)
    assert encoder.encoded == 0 and (tmp_path / LISTING).read_bytes() == written
    save_listing(tmp_path, [], [], encoder)
    assert load_listing(tmp_path) == ([], []) and encoder.encoded == 0


def test_a_listing_of_the_first_format_still_opens(tmp_path: Path) -> None:
    """An index listed by an earlier Folio (one JSON object of dicts) is read as it is (the next
    update writes columns)."""
    metas = [meta("a.md", "A", dt.date(2025, 3, 4)), meta("b.md", "B")]
    old = {"documents": [m.to_json() for m in metas], "problems": [["c.bin", "binary file, not text"]]}
    (tmp_path / LISTING).write_text(json.dumps(old))
    assert load_listing(tmp_path) == (metas, [Problem("c.bin", "binary file, not text")])
    assert cached_items(tmp_path) == list_items(metas, (), [Problem("c.bin", "binary file, not text")])


def test_a_damaged_listing_is_no_list_never_a_traceback(tmp_path: Path) -> None:
    save_listing(tmp_path, [meta("a.md", "A", dt.date(2025, 3, 4))], [Problem("c.bin", "empty file")])
    good = (tmp_path / LISTING).read_bytes()
    lines = good.split(b"\n")
    damaged = [
        good[: len(good) // 2],  # cut short
        b"\n".join([lines[0], lines[1].replace(b"10", b'"10"'), *lines[2:]]),  # words a string
        b"\n".join([lines[0].replace(b":1}", b":2}"), *lines[1:]]),  # a count the columns do not have
        b"\n".join([lines[0].replace(b'"version":2', b'"version":99'), *lines[1:]]),  # a newer format
        b"\n".join([*lines[:2], b'[["c.bin"],[]]', lines[3]]),  # a problem without its reason
        b"[1, 2]\n[]\n[]\n[]",
        b'{"documents": 5}',
        b"\x00\xff garbage",
    ]
    for data in damaged:
        (tmp_path / LISTING).write_bytes(data)
        assert cached_items(tmp_path) == [] and load_listing(tmp_path) == ([], []), data
    # the rest of the metadata damaged: the list is still drawn; the metadata is read again
    (tmp_path / LISTING).write_bytes(b"\n".join([*lines[:3], b"[[1]]"]))
    assert [i.rel for i in cached_items(tmp_path)] == ["a.md", "c.bin"] and load_listing(tmp_path) == ([], [])
    (tmp_path / LISTING).write_bytes(good.replace(b"2025-03-04", b"2025-99-04"))
    assert cached_items(tmp_path)[0].date is None and load_listing(tmp_path)[0][0].date is None  # a bad cell


def test_rows_gone_through_once_are_kept_for_the_next_filter(tmp_path: Path) -> None:
    """A filter goes through every row; each key typed in the box must not make them all again."""
    save_listing(tmp_path, _many(300), [Problem("zz.bin", "empty file")])
    rows = cached_items(tmp_path)
    assert isinstance(rows, Rows)
    first = [i for i in rows if i.matches(["title"])]
    again = [i for i in rows if i.matches(["title"])]
    assert len(first) == 300 and all(a is b for a, b in zip(first, again, strict=True))
    assert rows[-1].problem == "empty file" and rows[5] is first[5]


def test_a_new_encoder_takes_the_chunks_of_the_listing_on_disk_that_are_still_true() -> None:
    """Issue 15 item 4: the first save of each process encoded every row (~0.25 s at 50,000).
    A listing that names the state of the index its rows are of gives a new encoder its
    chunks, but those holding a path changed since and those whose bytes are not those of their
    CRC-32; what it writes is what encoding every row writes."""
    docs = _many(3_000)
    data = ListingEncoder().encode(docs, [], "state 1")
    body = data.split(b"\n", 1)[1]
    changed = [*docs[:1_000], dataclasses.replace(docs[1_000], title="New"), *docs[1_001:]]
    seeded = ListingEncoder()
    assert seeded.seed(data, "state 1", {"d01000.md"})
    again = seeded.encode(changed, [], "state 2")
    assert seeded.encoded == 1 and again == ListingEncoder().encode(changed, [], "state 2")
    assert seeded.encode(changed, []).split(b"\n", 1)[1] == again.split(b"\n", 1)[1] and seeded.encoded == 0
    assert not ListingEncoder().seed(data, "state 0", set())  # of another state of the index
    assert not ListingEncoder().seed(data[: len(data) - 40], "state 1", set())  # cut short
    assert not ListingEncoder().seed(ListingEncoder().encode(docs, []), "state 1", set())  # of no state
    damaged = data.replace(b'"Title 2222"', b'"Title 2223"')  # the same length: only its CRC-32 tells
    assert damaged != data and len(damaged) == len(data)
    fresh = ListingEncoder()
    assert fresh.seed(damaged, "state 1", set())
    assert fresh.encode(docs, [], "state 1").split(b"\n", 1)[1] == body and fresh.encoded == 1


def test_a_listing_saved_again_through_any_changes_is_the_listing_encoded_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rows a kept or seeded chunk holds are taken without being cut again; whatever
    changed (rows added at either end, removed, replaced, a chunk's last row), the bytes,
    the header's table of chunks included, are those of encoding every row."""
    import random

    monkeypatch.setattr(ListingEncoder, "CHUNK_BITS", 3)
    rng = random.Random(4)
    pool = _many(400)
    docs = sorted(rng.sample(pool, 150), key=lambda m: m.rel)
    encoder = ListingEncoder()
    data = encoder.encode(docs, [], "s0")
    for step in range(40):
        changed: set[str] = set()
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            if kind < 0.3 and docs:
                changed.add(docs.pop(rng.randrange(len(docs))).rel)
            elif kind < 0.6 and docs:
                n = rng.randrange(len(docs))
                docs[n] = dataclasses.replace(docs[n], title=f"step {step}")
                changed.add(docs[n].rel)
            else:
                new = rng.choice(pool)
                docs = sorted({m.rel: m for m in [*docs, new]}.values(), key=lambda m: m.rel)
                changed.add(new.rel)
        if step % 10 == 9:  # a new process, from the listing on disk
            encoder = ListingEncoder()
            assert encoder.seed(data, f"s{step}", changed)
        data = encoder.encode(docs, [], f"s{step + 1}")
        assert data == ListingEncoder().encode(docs, [], f"s{step + 1}"), step


def test_the_list_after_an_update_reads_a_documents_fields_only_when_its_row_is_asked_for() -> None:
    """Issue 15 item 4: `rows_of` (the reader's list after each update) made a column of each
    of six fields of every document; now only the paths are read, the rest when a row is drawn."""
    read: list[str] = []

    class Watched(DocMeta):
        __slots__ = ()

        def __getattribute__(self, name: str) -> object:
            if name in ("title", "outlet", "author", "date", "words"):
                read.append(name)
            return super().__getattribute__(name)

    metas = [Watched(**{f: getattr(m, f) for f in DocMeta.__slots__}) for m in _many(1_000)]
    problems = [Problem("zz.bin", "empty file"), Problem(metas[3].rel, "a path also a document's")]
    fifth = ListItem.from_meta(metas[5])
    read.clear()
    rows = rows_of(metas, problems)
    assert read == [] and len(rows) == 1_001 and rows.documents == 1_000
    assert rows[5] == fifth and len(read) == 5
    assert rows[-1] == ListItem("zz.bin", "zz.bin", problem="empty file") and rows.index_of("zz.bin") == 1_000
    assert list(rows) == list_items(metas, [], problems) and rows.readable() == {m.rel for m in metas}
    assert rows[998:] == list_items(metas, [], problems)[998:]
    with pytest.raises(IndexError):
        rows[1_001]
