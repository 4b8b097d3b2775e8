"""`Described` keeps the index's documents as `DocMeta`s from one call to the next: what it
returns is always `documents_of` of the metadata given, but only the changed paths are made
again (issue 15 item 4: remaking 50,000 of them was a third of a one-file update)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from folio_reader.index.corpus import DocMeta, open_corpus
from folio_reader.index.described import Described, documents_of
from folio_reader.index.search import FolioIndex


def _meta(rel: str, title: str = "") -> dict[str, Any]:
    return DocMeta(rel, title or rel, "file name", None, None, None, "none", 1, 1, 1, "", "utf-8", None).to_json()


def test_a_patched_list_equals_the_list_made_again_through_every_kind_of_change() -> None:
    rng = random.Random(15)
    names = [f"{d}/{n}{s}" for d in ("a", "B", "c d") for n in ("x", "X", "y", "é", "a.b") for s in (".md", ".txt")]
    names += ["a.md", "a0.md", "B.md", "b.md"]
    stored = {rel: _meta(rel) for rel in rng.sample(names, 20)}
    described = Described()
    assert described.of(stored) == documents_of(stored) and described.made == 20
    for step in range(60):
        stored = dict(stored)  # (an update's own copy: the dicts of the others are the same)
        for rel in rng.sample(names, 2):
            kind = rng.choice(("add or change", "problem", "delete", "equal"))
            if kind == "add or change":
                stored[rel] = _meta(rel, f"{rel} at {step}")
            elif kind == "problem":
                stored[rel] = {"problem": "empty file", "size": 0, "mtime_ns": step}
            elif kind == "delete":
                stored.pop(rel, None)
            elif rel in stored:  # read back from the index: equal, not the same dict
                stored[rel] = dict(stored[rel])
        got = described.of(stored, sorted(stored, key=lambda r: (r.casefold(), r)))
        assert got == documents_of(stored), step
        assert described.made <= 2
    got[0].clear()  # (a copy: the next call is not changed by what a caller does with it)
    assert described.of(stored) == documents_of(stored) and described.made == 0


def test_many_changes_make_the_list_again(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = {f"d{n:03}.md": _meta(f"d{n:03}.md") for n in range(100)}
    described = Described()
    described.of(stored)
    changed = {rel: _meta(rel, "new") for rel in list(stored)[:50]}
    assert described.of(stored | changed) == documents_of(stored | changed) and described.made == 100


def test_the_documents_of_an_index_are_made_only_for_what_an_update_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`FolioIndex.documents()` (the reader's list after each update) made a `DocMeta` of every
    document the index holds on each call."""
    root = tmp_path / "c"
    root.mkdir()
    for i in range(30):
        (root / f"doc{i:02}.md").write_text(f"# Document {i}\n\nText number {i}.\n")
    ix = FolioIndex(open_corpus(root), tmp_path / "ix")
    ix.update(procs=1)
    assert len(ix.documents()[0]) == 30
    made: list[str] = []
    real = DocMeta.from_json.__func__  # type: ignore[attr-defined]  # a classmethod's function

    def counting(cls: type[DocMeta], d: dict[str, Any]) -> DocMeta:
        made.append(d["rel"])
        return real(cls, d)  # type: ignore[no-any-return]

    monkeypatch.setattr(DocMeta, "from_json", classmethod(counting))
    (root / "doc07.md").write_text("# Document seven, changed\n\nNew text.\n")
    ix.update(procs=1)  # (the listing saved from the update's own metadata)
    documents = ix.documents()[0]  # (read back from the index: equal, not made again)
    assert made == ["doc07.md"]
    assert [m.title for m in documents if m.rel == "doc07.md"] == ["Document seven, changed"]
    assert documents == documents_of(ix.stored())[0]
    ix.close()


def test_a_doc_meta_read_back_from_its_dict_is_itself() -> None:
    import datetime as dt

    meta = DocMeta("a/b.md", "T", "heading", "Au", "Out", dt.date(2024, 2, 3), "text", 7, 8, 9, "h", "utf-8", "n")
    assert DocMeta.from_json(meta.to_json()) == meta
    assert DocMeta.from_json({"rel": "x.md"}) == DocMeta("x.md", *[None] * 12)  # type: ignore[arg-type]
