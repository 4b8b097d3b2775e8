"""The annotation store in one process: saving, merging, backups, damaged files, failed writes."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from folio_reader.index.annotations import (
    Annotation,
    AnnotationStore,
    AnnotationStoreError,
    Status,
    anchor_document,
    decode,
    merge,
)
from folio_reader.index.corpus import Document, open_corpus


@pytest.fixture(scope="module")
def doc() -> Document:
    corpus = open_corpus(None)
    return corpus.load(corpus.scan().entries[0])


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "annotations" / "corpus.json"


def new(doc: Document, n: int = 0, **kwargs: Any) -> Annotation:
    start, end = doc.paragraphs[3 + n]
    return Annotation.new(doc, start, min(end, start + 60), **kwargs)


def on_disk(path: Path) -> dict[str, Annotation]:
    annotations, problems = decode(path.read_bytes())
    assert problems == []
    return {a.id: a for a in annotations}


def test_every_change_is_saved_at_once(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    assert store.load() == ([], [])
    ann = store.add(new(doc, note="first"))
    assert on_disk(path) == {ann.id: ann}
    raw = json.loads(path.read_text())
    assert (raw["format"], raw["version"]) == ("folio-annotations", 1)
    assert raw["documents"] == {doc.rel: {"content_hash": doc.meta.content_hash}}

    edited = store.update(ann.edited(note="second", tags=["t"], color="blue"))
    assert edited.modified > ann.modified
    assert on_disk(path)[ann.id] == edited and store.get(ann.id) == edited

    removed = store.delete(ann.id)
    assert removed == edited and store.all() == [] and store.get(ann.id) is None
    tombstone = on_disk(path)[ann.id]
    assert tombstone.deleted and tombstone.modified > edited.modified

    back = store.restore(removed)
    assert back.note == "second" and back.modified > tombstone.modified
    assert on_disk(path)[ann.id] == back
    assert AnnotationStore(path).load().annotations == [back]
    assert not store.pending


def test_mistakes_in_use_are_refused(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    ann = store.add(new(doc))
    with pytest.raises(ValueError, match="already exists"):
        store.add(ann)
    with pytest.raises(KeyError):
        store.update(new(doc, 1))
    with pytest.raises(KeyError):
        store.delete("urn:uuid:nothing")
    store.delete(ann.id)
    with pytest.raises(ValueError, match="tombstone"):
        store.restore(ann.tombstone())


def test_for_document_lists_live_annotations_in_reading_order(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    later, earlier, gone = store.add(new(doc, 2)), store.add(new(doc, 0)), store.add(new(doc, 1))
    store.delete(gone.id)
    assert store.for_document(doc.rel) == [earlier, later]
    assert store.for_document("other.txt") == []


def test_file_is_private_and_its_folder_created_private(path: Path, doc: Document) -> None:
    AnnotationStore(path).add(new(doc))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.with_name(path.name + ".lock").stat().st_mode) == 0o600


def test_one_backup_of_the_previous_version(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    store.add(new(doc, 0))
    first = path.read_bytes()
    store.add(new(doc, 1))
    second = path.read_bytes()
    backup = path.with_name(path.name + ".bak")
    assert backup.read_bytes() == first
    store.add(new(doc, 2))
    assert backup.read_bytes() == second
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["corpus.json", "corpus.json.bak", "corpus.json.lock"]


def test_two_stores_on_one_file_merge_and_deletions_stay_deleted(path: Path, doc: Document) -> None:
    a, b = AnnotationStore(path), AnnotationStore(path)
    x = a.add(new(doc, 0))
    b.load()
    y = a.add(new(doc, 1))
    z = b.add(new(doc, 2))  # b never read y: the save merges it
    assert set(on_disk(path)) == {x.id, y.id, z.id}
    assert {ann.id for ann in b.all()} == {x.id, y.id, z.id}
    a.delete(x.id)
    b.add(new(doc, 3))  # b still holds x as it was: the newer tombstone wins
    assert on_disk(path)[x.id].deleted
    assert b.get(x.id) is None


def test_newest_modification_wins(path: Path, doc: Document) -> None:
    a, b = AnnotationStore(path), AnnotationStore(path)
    x = a.add(new(doc))
    b.load()
    a.update(x.edited(note="from a"))
    b.update(x.edited(note="from b, later"))
    assert on_disk(path)[x.id].note == "from b, later"
    assert a.load().annotations[0].note == "from b, later"


def test_merge_prefers_a_tombstone_at_a_tie(doc: Document) -> None:
    x = new(doc)
    gone = x.tombstone()
    same_time = dataclasses.replace(x, modified=gone.modified)
    assert merge({x.id: same_time}, {x.id: gone}, prefer={x.id}) == {x.id: gone}
    assert merge({x.id: gone}, {x.id: same_time}, prefer=set()) == {x.id: gone}


def test_reanchored_positions_are_saved_without_touching_modified(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    ann = store.add(new(doc))
    edited = Document(dataclasses.replace(doc.meta, content_hash="new"), "A new first line.\n" + doc.text)
    results = anchor_document(store.for_document(doc.rel), edited)
    assert [r.status for r in results] == [Status.MOVED]
    stale = store.update(ann.edited(note="edited meanwhile"))
    assert store.accept(results) == 0  # anchored before the edit: ignored
    results = anchor_document(store.for_document(doc.rel), edited)
    assert store.accept(results) == 1 and store.pending
    store.save()
    saved = on_disk(path)[ann.id]
    assert (saved.start, saved.content_hash, saved.modified) == (ann.start + 18, "new", stale.modified)


def test_damaged_file_is_moved_aside_and_its_valid_entries_recovered(path: Path, doc: Document) -> None:
    good = [new(doc, 0, note="one"), new(doc, 1, note="two")]
    raw = json.loads(written_bytes(path, good))
    raw["annotations"].insert(1, {"type": "Annotation", "id": "urn:x", "target": "nowhere"})
    damaged = json.dumps(raw).encode()
    path.write_bytes(damaged)
    store = AnnotationStore(path)
    annotations, warnings = store.load()
    assert {a.id for a in annotations} == {a.id for a in good}
    [warning] = warnings
    asides = list(path.parent.glob("corpus.json.corrupt-*"))
    assert len(asides) == 1 and asides[0].read_bytes() == damaged
    assert str(asides[0]) in warning and "entry 2" in warning and "2 annotations recovered" in warning
    assert set(on_disk(path)) == {a.id for a in good}
    assert AnnotationStore(path).load().warnings == []


def written_bytes(path: Path, annotations: list[Annotation]) -> bytes:
    """The bytes a store writes for these annotations (the file is removed again)."""
    store = AnnotationStore(path)
    for ann in annotations:
        store.add(ann)
    data = path.read_bytes()
    for leftover in path.parent.iterdir():
        leftover.unlink()
    return data


def test_file_that_is_not_json_is_moved_aside(path: Path, doc: Document) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "folio-annotations", "annotations": [')
    store = AnnotationStore(path)
    annotations, [warning] = store.load()
    assert annotations == [] and "not valid JSON" in warning and ".corrupt-" in warning
    ann = store.add(new(doc))
    assert set(on_disk(path)) == {ann.id}


def test_file_damaged_while_running_is_set_aside_at_the_next_save(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    first = store.add(new(doc, 0))
    path.write_text("garbage")
    second = store.add(new(doc, 1))
    assert set(on_disk(path)) == {first.id, second.id}
    [warning] = store.take_warnings()
    assert "moved to" in warning and store.take_warnings() == []
    assert [p.read_text() for p in path.parent.glob("*.corrupt-*")] == ["garbage"]


def test_full_disk_keeps_the_change_and_leaves_no_temporary_file(
    path: Path, doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(path)
    first = store.add(new(doc, 0))
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    second = new(doc, 1)
    with pytest.raises(AnnotationStoreError, match=r"the disk is full.*kept"):
        store.add(second)
    assert store.pending and store.get(second.id) == second
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]
    monkeypatch.undo()
    store.save()
    assert set(on_disk(path)) == {first.id, second.id} and not store.pending


def test_temporary_files_of_a_killed_writer_are_removed(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    store.add(new(doc, 0))
    stale = path.parent / ".corpus.json.k1lled.tmp"
    stale.write_text("half a file")
    store.add(new(doc, 1))
    assert not stale.exists()


def test_unreadable_file_is_a_clear_error(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(AnnotationStoreError, match="Cannot read annotations"):
        AnnotationStore(path).load()


def test_backup_step_leaves_nothing_when_the_backup_already_is_the_file(path: Path, doc: Document) -> None:
    store = AnnotationStore(path)
    store.add(new(doc, 0))
    backup = path.with_name(path.name + ".bak")
    backup.unlink(missing_ok=True)
    os.link(path, backup)  # as left by a writer killed between its backup and its rename
    store.add(new(doc, 1))
    assert sorted(p.name for p in path.parent.iterdir()) == ["corpus.json", "corpus.json.bak", "corpus.json.lock"]
