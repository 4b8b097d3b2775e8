"""The structure cache: a document is parsed once, whatever the number of times it is opened,
and parsed again when its content, its decoding or a parser changes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from folio_reader.index import document
from folio_reader.index.corpus import open_corpus
from folio_reader.index.document import cache as cache_mod
from folio_reader.index.document.cache import StructureCache

REST = "Title\n=====\n\nA paragraph with *emphasis*.\n\n.. note:: A note.\n\n- one\n- two\n"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every real parse, by suffix; every parse is slow enough to be written."""
    calls: list[str] = []
    real = document.parse

    def counting(text: str, suffix: str) -> document.Structure:
        calls.append(suffix)
        return real(text, suffix)

    monkeypatch.setattr(document, "parse", counting)
    monkeypatch.setattr(cache_mod, "MIN_PARSE_SECONDS", 0.0)
    return calls


def test_a_document_opened_again_is_not_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    (tmp_path / "page.rst").write_text(REST)
    first = open_corpus(tmp_path).load("page.rst")
    again = open_corpus(tmp_path).load("page.rst")  # another process would do the same: a file
    assert parses == [".rst"]
    assert again.structure == first.structure == document.parse(first.text, ".rst")
    (tmp_path / "page.rst").write_text(REST.replace("two", "three"))
    changed = open_corpus(tmp_path).load("page.rst")
    assert parses == [".rst", ".rst", ".rst"]  # (one of them this test's own)
    assert changed.structure is not None and changed.structure != first.structure


def test_the_same_corpus_remembers_in_memory(tmp_path: Path, parses: list[str]) -> None:
    (tmp_path / "page.md").write_text("# T\n\nText.\n")
    corpus = open_corpus(tmp_path)
    corpus.structures.folder = None
    corpus.load("page.md")
    corpus.load("page.md")
    assert parses == [".md"]


def test_a_damaged_or_foreign_file_is_a_miss_and_replaced(tmp_path: Path, parses: list[str]) -> None:
    cache = StructureCache(tmp_path / "structure")
    key = cache.key(".rst", "utf-8\nabc")
    first = cache.parse(REST, ".rst", "utf-8\nabc")
    path = cache.path(key)
    assert path is not None and path.stat().st_mode & 0o777 == 0o600
    for damage in ('{"key": "' + key + '", "format": "rest", "blocks": [["nonsense", 0, 1]]}', "{", "[]"):
        path.write_text(damage)
        assert StructureCache(tmp_path / "structure").parse(REST, ".rst", "utf-8\nabc") == first
    path.write_text(path.read_text().replace('"key":', '"other":'))
    assert StructureCache(tmp_path / "structure").parse(REST, ".rst", "utf-8\nabc") == first
    assert len(parses) == 5
    short = StructureCache(tmp_path / "structure").parse(REST[:5], ".rst", "utf-8\nabc")  # blocks out of range
    assert short == document.parse(REST[:5], ".rst") != first


def test_a_parser_upgrade_misses(tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    StructureCache(tmp_path / "s").parse(REST, ".rst", "x")
    monkeypatch.setattr(cache_mod, "REVISION", cache_mod.REVISION + 1)
    cache_mod.parser_version.cache_clear()
    try:
        StructureCache(tmp_path / "s").parse(REST, ".rst", "x")
    finally:
        cache_mod.parser_version.cache_clear()
    assert parses == [".rst", ".rst"]


def test_plain_structures_are_not_written(tmp_path: Path, parses: list[str]) -> None:
    cache = StructureCache(tmp_path / "s")
    cache.parse("Just some text.\n", ".txt", "x")
    assert not (tmp_path / "s").exists()


def test_a_structure_cut_short_by_the_time_budget_is_not_kept(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from folio_reader.index.document import markdown

    monkeypatch.setattr(markdown, "INLINE_SECONDS", -1.0)  # the deadline passed before it starts
    cache = StructureCache(tmp_path / "s")
    first = cache.parse("# T\n\nSome *text*.\n", ".md", "x")
    assert "too long to parse" in first.fallback
    cache.parse("# T\n\nSome *text*.\n", ".md", "x")
    assert parses == [".md", ".md"] and not (tmp_path / "s").exists()


def test_a_structure_is_written_by_the_cpu_its_parse_took_not_the_wall_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parse that waited (a busy machine: the thread not scheduled) is no longer to parse again
    than any other: it is not written; one that computed past the line is."""
    real = document.parse
    monkeypatch.setattr(cache_mod, "MIN_PARSE_SECONDS", 0.02)

    def waiting(text: str, suffix: str) -> document.Structure:
        time.sleep(0.05)
        return real(text, suffix)

    def computing(text: str, suffix: str) -> document.Structure:
        started = time.thread_time()
        while time.thread_time() - started < 0.03:
            pass
        return real(text, suffix)

    cache = StructureCache(tmp_path / "structure")
    monkeypatch.setattr(document, "parse", waiting)
    cache.parse(REST, ".rst", "utf-8\nwaited")
    written = cache.path(cache.key(".rst", "utf-8\nwaited"))
    assert written is not None and not written.exists()
    monkeypatch.setattr(document, "parse", computing)
    cache.parse(REST, ".rst", "utf-8\ncomputed")
    written = cache.path(cache.key(".rst", "utf-8\ncomputed"))
    assert written is not None and written.exists()
