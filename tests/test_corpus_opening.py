"""A long text loads in two steps when asked: its opening at once, with no pass of Python over the
whole text (no parse, no word count), then the rest; the two steps give the same document as one
load."""

from __future__ import annotations

from pathlib import Path

import pytest

from folio_reader.index import corpus as corpus_mod
from folio_reader.index import document
from folio_reader.index.corpus import open_corpus
from folio_reader.index.document import markdown, units


def long_markdown(chars: int) -> str:
    parts = ["# The long report", "By Ada Lovelace", "10 October 2025"]
    n = 0
    while sum(len(p) + 2 for p in parts) < chars:
        n += 1
        parts.append(f"## Part {n}" if n % 20 == 0 else f"Paragraph {n} says *something* about the engine, at length.")
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_the_opening_then_the_rest_give_the_whole_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    limit = 20_000  # (256 K in use: smaller here, for the test's time)
    monkeypatch.setattr(corpus_mod, "OPENING_LOAD_CHARS", limit)
    # the inline budget is about wall time: on a loaded machine the whole parse below could run
    # out of it where the opening's does not, and the two structures would differ for that alone
    monkeypatch.setattr(markdown, "INLINE_SECONDS", 3600.0)
    (tmp_path / f"long{suffix}").write_text(long_markdown(4 * limit))
    whole = open_corpus(tmp_path).load(f"long{suffix}")
    seen: list[int] = []
    real_parse, real_words = document.parse, units.word_count

    def parse(text: str, suffix: str) -> document.Structure:
        seen.append(len(text))
        return real_parse(text, suffix)

    def word_count(text: str) -> int:
        seen.append(len(text))
        return real_words(text)

    monkeypatch.setattr(document, "parse", parse)
    monkeypatch.setattr(units, "word_count", word_count)
    corpus = open_corpus(tmp_path)
    first = corpus.load(f"long{suffix}", opening=True)
    assert seen and max(seen) <= limit  # nothing went over the whole text
    assert not first.complete and first.parsed_to is not None and first.parsed_to <= limit
    assert first.text == whole.text
    assert (first.meta.title, first.meta.author, first.meta.date) == (
        "The long report",
        "Ada Lovelace",
        whole.meta.date,
    )
    assert first.meta.words < whole.meta.words
    assert first.paragraphs == whole.paragraphs[: len(first.paragraphs)]
    assert all(e <= first.parsed_to for _, e in first.paragraphs)
    rest = corpus.complete(first)
    assert rest.complete and rest.parsed_to is None
    assert (rest.meta, rest.paragraphs, rest.structure) == (whole.meta, whole.paragraphs, whole.structure)


def test_a_short_text_is_loaded_whole_at_once(tmp_path: Path) -> None:
    (tmp_path / "short.md").write_text("# Short\n\nText.\n")
    corpus = open_corpus(tmp_path)
    doc = corpus.load("short.md", opening=True)
    assert doc.complete and corpus.complete(doc) is doc


def test_the_opening_of_a_long_web_page_is_markdown_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.formats_files import article_html

    monkeypatch.setattr(corpus_mod, "OPENING_LOAD_CHARS", 2000)
    (tmp_path / "page.html").write_bytes(article_html(extra_paragraphs=40))
    corpus = open_corpus(tmp_path)
    first = corpus.load("page.html", opening=True)
    assert not first.complete and first.structure is not None and first.structure.format == "markdown"
    rest = corpus.complete(first)
    assert rest.structure == corpus.load("page.html").structure and rest.meta == corpus.load("page.html").meta
