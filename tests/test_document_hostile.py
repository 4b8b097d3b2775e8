"""Hostile Markdown and reST: each returns (bounded by the parse limits), never raises, and a
fallback is recorded where the parser was not used. No timing assertions: the test timeout is
the bound."""

from __future__ import annotations

import pytest

from folio_reader.index import document as doc_mod
from folio_reader.index.document import Kind, Structure, block_displays, displayed_words, parse
from folio_reader.index.document import rest as rest_mod


def _sane(text: str, structure: Structure) -> None:
    for block in structure.blocks:
        assert 0 <= block.start <= block.end <= len(text)
        for disp in block_displays(text, block):
            assert len(disp.text) <= block.end - block.start
    sum(1 for _ in displayed_words(text, structure))


HOSTILE = {
    "nested lists": "".join("  " * i + "- item\n" for i in range(2000)),
    "nested lists on one line": "- " * 10_000 + "x\n",
    "nested quotes": "> " * 10_000 + "deep\n",
    "table row of a megabyte": "| " + "a | " * 250_000 + "\n|" + "-|" * 250_000 + "\n",
    "a cell of a megabyte": "| a | b |\n|---|---|\n| " + "x" * 1_000_000 + " | y |\n",
    "unclosed fence": "```\n" + "code line\n" * 50_000,
    "unclosed emphasis": "*a " * 30_000,
    "brackets": "[" * 30_000 + "]" * 30_000,
    "images": "![a" * 20_000,
    "one giant code block": "    x = 1\n" * 100_000,
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_markdown_loads(name: str) -> None:
    text = HOSTILE[name]
    structure = parse(text, ".md")
    _sane(text, structure)
    if name == "table row of a megabyte":
        assert "tables not drawn" in structure.fallback
        assert not any(b.kind is Kind.TABLE for b in structure.blocks)


REST_HOSTILE = {
    "nested quotes": "".join("   " * i + "quote\n\n" for i in range(300)),
    "nested lists": "".join("  " * i + "- item\n\n" for i in range(500)),
    "grid table row of a megabyte": "+" + "-" * 1_000_000 + "+\n|" + " " * 1_000_000 + "|\n+" + "-" * 1_000_000 + "+\n",
    "malformed directives": ".. note::\n\n.. code-block::\n.. image::\n.. figure:: x\n   :bad-option:\n\n.. ::\n\n.. |x| image::\n\n:role:`unclosed\n",
    "unknown everything": ".. sphinx-thing:: arg\n   :opt: 1\n\n   body *x*\n\n:nope:`y` :py:func:`z`\n",
    "one giant literal block": "Code::\n\n" + "    x = 1\n" * 100_000,
    "unbalanced markup": "*" * 50_000 + "\n\n" + "`" * 50_000 + "\n\n" + "|" * 50_000 + "\n",
    "headings of every kind": "".join(f"T{i}\n{c * 3}\n\n" for i, c in enumerate("=-~^\"'`#*+<>:.,;!?$%&/()[]{}@")),
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(REST_HOSTILE))
def test_hostile_rest_loads(name: str) -> None:
    text = REST_HOSTILE[name]
    structure = parse(text, ".rst")
    _sane(text, structure)


@pytest.mark.timeout(60)
def test_docutils_recursion_falls_back_to_the_plain_rule() -> None:
    for text in ("- " * 400 + "x\n", "".join("   " * i + "quote\n\n" for i in range(300))):
        structure = parse(text, ".rst")  # docutils raises RecursionError on both
        assert structure.format == "plain"
        assert structure.fallback.startswith("nested too deeply to read as reStructuredText")
        _sane(text, structure)


def test_a_parser_that_fails_falls_back_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> list[object]:
        raise RecursionError

    monkeypatch.setattr(rest_mod, "parse_rest", broken)  # imported by parse() when it runs
    structure = parse("Title\n=====\n\ntext\n", ".rst")
    assert structure.format == "plain" and structure.fallback.startswith("nested too deeply")


def test_too_large_falls_back_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_mod, "MAX_REST_CHARS", 100)
    monkeypatch.setattr(doc_mod, "MAX_MARKDOWN_CHARS", 100)
    text = "Title\n=====\n\n" + "word " * 100
    for suffix, name in ((".rst", "reStructuredText"), (".md", "Markdown")):
        structure = parse(text, suffix)
        assert structure.format == "plain"
        assert structure.fallback.startswith(f"too large to read as {name}")


def test_inline_time_budget_leaves_the_rest_unstyled(monkeypatch: pytest.MonkeyPatch) -> None:
    from folio_reader.index.document import markdown

    monkeypatch.setattr(markdown, "INLINE_SECONDS", -1.0)
    text = "# A *b*\n\nSome **text**.\n"
    structure = parse(text, ".md")
    assert "inline markup not shown" in structure.fallback
    assert all(not b.inlines for b in structure.blocks)
    assert [b.kind for b in structure.blocks] == [Kind.HEADING, Kind.PARAGRAPH]
