"""An index built by other parsers (an upgrade changed `document.cache.REVISION`, or docutils' or
markdown-it-py's version: `parser_version()`, or an extractor's: `corpus.reader_version()`) is described and indexed again by the next update,
in place: titles and body words follow the new parsers, the old index answers meanwhile, and the
marker records the new parsers only once that update has committed (one cut short is taken up at
the next start)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from folio_reader.index import document
from folio_reader.index.corpus import Corpus, FileEntry, open_corpus, reader_version
from folio_reader.index.document import cache
from folio_reader.index.document.model import Structure
from folio_reader.index.inventory import take_inventory
from folio_reader.index.listing import load_listing
from folio_reader.index.locations import index_marker
from folio_reader.index.search import FolioIndex, build
from folio_reader.index.search.update import Updater

#: reStructuredText whose title and words depend on the parser: read as reST, the title is the
#: heading's text and the link's URL is no body word; read by the plain rule (the "old parsers"
#: here), the title keeps its role and "zebrafish" is a word of the body.
PAGE = ":mod:`pier` --- Budget {n}\n==================\n\nThe council met on `Thursday <https://example.org/zebrafish>`_.\n"
OLD, NEW = ":mod:`pier` — Budget {n}", "pier — Budget {n}"
N = 6


def corpus(root: Path, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"doc{i}.rst").write_text(PAGE.format(n=i))
    return root


@pytest.fixture
def parsers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], None]]:
    """`parsers(old)`: the old parsers (a lower `REVISION`, every text read by the plain rule) or
    this Folio's (the real parse, the real revision)."""
    real_parse, real_revision = document.parse, cache.REVISION

    def old_parse(text: str, suffix: str) -> Structure:
        return real_parse(text, ".txt")

    def use(old: bool) -> None:
        monkeypatch.setattr(cache, "REVISION", real_revision - 1 if old else real_revision)
        monkeypatch.setattr(document, "parse", old_parse if old else real_parse)
        cache.parser_version.cache_clear()

    yield use
    cache.parser_version.cache_clear()


def titles(ix: FolioIndex) -> list[str]:
    return [m.title for m in ix.documents()[0]]


def hits(ix: FolioIndex, word: str) -> int:
    result = ix.search(word)
    assert result.error is None
    return result.total


def build_old(tmp_path: Path, parsers: Callable[[bool], None], n: int = N) -> tuple[Path, str]:
    root = corpus(tmp_path / "c", n)
    parsers(True)
    old_version = reader_version()
    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
        ix.update(procs=1)
        assert titles(ix)[0] == OLD.format(n=0) and hits(ix, "zebrafish") == n
    parsers(False)
    assert reader_version() != old_version
    return root, old_version


def test_an_index_of_other_parsers_is_described_and_indexed_again(
    tmp_path: Path, parsers: Callable[[bool], None]
) -> None:
    root, _ = build_old(tmp_path, parsers)
    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
        assert titles(ix)[0] == OLD.format(n=0)  # the old index answers until the update
        report = ix.update(procs=1)
        assert (report.updated, report.added, report.unchanged) == (N, 0, 0)
        assert any("parsers changed" in m for m in report.messages)
        assert titles(ix) == [NEW.format(n=i) for i in range(N)]
        assert hits(ix, "zebrafish") == 0 and hits(ix, "thursday") == N
        assert [m.title for m in load_listing(ix.dir)[0]] == [
            NEW.format(n=i) for i in range(N)
        ]  # the list at next start
        assert (index_marker(ix.dir) or {}).get("parsers") == reader_version()
    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:  # recorded: nothing to do again
        report = ix.update(procs=1)
        assert (report.updated, report.unchanged, report.messages) == (0, N, [])


def test_an_update_cut_short_leaves_the_old_parsers_recorded_and_the_next_start_goes_on(
    tmp_path: Path, parsers: Callable[[bool], None]
) -> None:
    root, old_version = build_old(tmp_path, parsers)
    asked = [0]

    def stop_after_two() -> bool:
        asked[0] += 1
        return asked[0] > 2

    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
        report = ix.update(procs=1, should_stop=stop_after_two, commit_every=0.0)
        assert report.cancelled and report.updated == 2
        # committed in place: two documents re-described, the others still searchable as they were
        assert titles(ix)[:3] == [NEW.format(n=0), NEW.format(n=1), OLD.format(n=2)]
        assert hits(ix, "pier") == N and hits(ix, "zebrafish") == N - 2
        assert (index_marker(ix.dir) or {}).get("parsers") == old_version
    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
        report = ix.update(procs=1)
        assert not report.cancelled and report.updated == N
        assert titles(ix) == [NEW.format(n=i) for i in range(N)] and hits(ix, "zebrafish") == 0
        assert (index_marker(ix.dir) or {}).get("parsers") == reader_version()


def test_a_re_index_in_worker_processes_keeps_every_document_searchable_at_each_commit(
    tmp_path: Path, parsers: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers' batches are committed as they come; the old version of each document goes
    with the commit of its new one, not all with the first (the index held one batch then)."""
    n = 16
    monkeypatch.setattr(build, "FIRST_BATCH_BYTES", 400)  # (several batches of a few documents)
    root, _ = build_old(tmp_path, parsers, n)
    found: list[int] = []
    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
        real = Updater._commit

        def commit(self: Updater, writer: Any, tokens: set[str], **options: Any) -> None:
            real(self, writer, tokens, **options)
            found.append(hits(ix, "pier"))

        monkeypatch.setattr(Updater, "_commit", commit)
        report = ix.update(procs=2, commit_every=0.0)
        assert not report.cancelled and report.updated == n and len(found) > 1
        assert found == [n] * len(found)
        assert sorted(titles(ix)) == sorted(NEW.format(n=i) for i in range(n)) and hits(ix, "zebrafish") == 0


def test_folio_list_reads_again_what_the_listing_of_other_parsers_describes(
    tmp_path: Path, parsers: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`folio list` answers from the index's listing only when it is of this Folio's parsers."""
    root, _ = build_old(tmp_path, parsers)
    read: list[str] = []
    real = Corpus.document_from_bytes

    def counting(self: Corpus, entry: FileEntry, data: bytes, **options: Any) -> Any:
        read.append(entry.rel)
        return real(self, entry, data, **options)

    monkeypatch.setattr(Corpus, "document_from_bytes", counting)
    listed = take_inventory(open_corpus(root), tmp_path / "ix", procs=1)
    assert [m.title for m in listed.documents] == [NEW.format(n=i) for i in range(N)] and len(read) == N
    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
        ix.update(procs=1)
    read.clear()
    listed = take_inventory(open_corpus(root), tmp_path / "ix", procs=1)
    assert [m.title for m in listed.documents] == [NEW.format(n=i) for i in range(N)] and read == []


def test_an_extractor_upgrade_has_the_documents_described_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extractors of web pages, EPUBs and PDFs shape what is indexed too (`reader_version`)."""
    from folio_reader.index import corpus as corpus_module
    from folio_reader.index.formats import deps

    root = corpus(tmp_path / "c", N)
    with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
        ix.update(procs=1)
    monkeypatch.setitem(deps.REVISIONS, "pdf", deps.REVISIONS["pdf"] + 1)
    corpus_module._extractor_versions.cache_clear()
    try:
        with FolioIndex(open_corpus(root), tmp_path / "ix") as ix:
            assert ix.update(procs=1).updated == N
            assert ix.update(procs=1).updated == 0
    finally:
        monkeypatch.undo()
        corpus_module._extractor_versions.cache_clear()
