"""A one-file update of a large corpus reads what the index holds once (to plan), not again for
the listing that `folio list` and the reader start from; the listing still says what the index
holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.index.listing import load_listing
from folio_reader.index.search import FolioIndex
from folio_reader.index.search.searching import Searching


def test_a_one_file_update_reads_the_stored_metadata_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "c"
    root.mkdir()
    for i in range(30):
        (root / f"doc{i:02}.md").write_text(f"# Document {i}\n\nText number {i}.\n")
    (root / "gone.md").write_text("# Gone\n\nSoon deleted.\n")
    ix = FolioIndex(open_corpus(root), tmp_path / "ix")
    ix.update(procs=1)
    reads: list[int] = []
    real = Searching.stored

    def counting(self: Searching) -> dict[str, dict[str, Any]]:
        found = real(self)
        reads.append(len(found))
        return found

    monkeypatch.setattr(Searching, "stored", counting)
    (root / "doc07.md").write_text("# Document seven, changed\n\nNew text.\n")
    (root / "gone.md").unlink()
    (root / "new.md").write_text("# New\n\nAdded.\n")
    (root / "empty.md").write_text("")
    report = ix.update(procs=1)
    assert (report.added, report.updated, report.deleted) == (1, 1, 1)
    assert reads == [31]
    monkeypatch.setattr(Searching, "stored", real)
    listed, problems = load_listing(ix.dir)[:2]
    documents, recorded = ix.documents()
    assert [(m.rel, m.title) for m in listed] == [(m.rel, m.title) for m in documents]
    assert ("doc07.md", "Document seven, changed") in [(m.rel, m.title) for m in listed]
    assert "gone.md" not in [m.rel for m in listed] and "new.md" in [m.rel for m in listed]
    assert problems == recorded
