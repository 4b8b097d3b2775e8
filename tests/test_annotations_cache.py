"""The decoded-file cache (`index/annotations/cache.py`): an unchanged file is not parsed again, and
a file changed in any way, or a damaged cache, is parsed as if there were no cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

from folio_reader.index.annotations import Annotation, AnnotationStore, decode, encode
from folio_reader.index.annotations import cache as decoded
from folio_reader.index.corpus import Document, open_corpus


def many(n: int) -> list[Annotation]:
    """`n` annotations over the seeds: notes, tags, colours, a foreign part, a lone surrogate."""
    corpus = open_corpus(None)
    docs: list[Document] = [corpus.load(e) for e in corpus.scan().entries]
    out = []
    for i in range(n):
        doc = docs[i % len(docs)]
        start = (i * 37) % (len(doc.text) - 200)
        ann = Annotation.new(doc, start, start + 120, note=f"note {i} \ud800 ✓" if i % 3 else "", tags=[f"t{i % 7}"])
        out.append(ann.edited(color=("green", "blue", "pink")[i % 3]))
    raw = out[0].to_w3c()
    raw["creator"] = {"name": "Ada", "nested": [[1, 2], {"x": None}]}
    out[0] = Annotation.from_w3c(raw)
    out[1] = out[1].tombstone()
    return out


def cache_files(home: Path) -> list[Path]:
    return list((home / "cache" / "folio" / "annotations").glob("*.marshal"))


def test_what_the_cache_gives_is_what_parsing_gives(tmp_path: Path, isolated_dirs: Path) -> None:
    path = tmp_path / "notes.json"
    annotations = many(600)
    data = encode(annotations)
    assert len(data) >= decoded.MIN_BYTES
    path.write_bytes(data)
    parsed, problems = decode(data)
    assert problems == []
    assert AnnotationStore(path).load().annotations == AnnotationStore(path).load().annotations
    assert len(cache_files(isolated_dirs)) == 1
    kept = decoded.lookup(path, data)
    assert kept is not None and sorted(kept[0], key=lambda a: a.id) == sorted(parsed, key=lambda a: a.id)


def test_a_save_leaves_the_cache_of_what_it_wrote(tmp_path: Path, isolated_dirs: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(encode(many(600)))
    store = AnnotationStore(path)
    store.load()
    store.add(many(601)[600])
    data = path.read_bytes()
    kept = decoded.lookup(path, data)
    assert kept is not None
    assert sorted(kept[0], key=lambda a: a.id) == sorted(decode(data)[0], key=lambda a: a.id)


def test_a_file_changed_with_the_same_size_and_time_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(encode(many(600)))
    assert AnnotationStore(path).load().annotations
    st = path.stat()
    raw = path.read_bytes().replace(b'"note 2 ', b'"NOTE 2 ', 1)
    with open(path, "r+b") as f:  # in place, as an editor might: same inode, size and mtime
        f.write(raw)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    notes = {a.note for a in AnnotationStore(path).load().annotations}
    assert any(n.startswith("NOTE 2 ") for n in notes) and not any(n.startswith("note 2 ") for n in notes)


def test_a_damaged_cache_is_a_miss(tmp_path: Path, isolated_dirs: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(encode(many(600)))
    expected = AnnotationStore(path).load().annotations
    for damage in (b"", b"\x00garbage", json.dumps([1, 2]).encode()):
        [kept] = cache_files(isolated_dirs)
        kept.write_bytes(damage)
        assert AnnotationStore(path).load().annotations == expected


def test_small_files_are_not_cached(tmp_path: Path, isolated_dirs: Path) -> None:
    path = tmp_path / "notes.json"
    AnnotationStore(path).add(many(2)[0])
    AnnotationStore(path).load()
    assert cache_files(isolated_dirs) == []
