"""Search snippets show what a reader sees: Markdown and reST markers hidden, hidden blocks
never in a snippet, each highlight on exactly its word; plain text as it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex

MARKDOWN = """---
title: Field notes
---

# The guide

<!-- a comment: zebrafish live here -->

Some words first. This is *quokka* emphasis and a link to [wombat pages](https://example.com/burrow) here.

Also `platypus` code and **echidna** strong, and a [reference link][ref].

| Animal | Home |
|--------|------|
| **cassowary** | forest |

[ref]: https://example.com/ref-target
"""

REST = """.. _label-numbat:

Reference
=========

.. index:: zebrafish

Call :func:`numbat` to start, then read *bilby* notes and ``bandicoot`` lines.

.. note::

   A **dingo** in a note.
"""

PLAIN = "A plain text about a *kangaroo and the koala, written [as is](here).\n"

MARKUP = ("**", "](", "<!--", ":func:", "``", "`", "---", ".. ", "|")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> FolioIndex:
    root = tmp_path_factory.mktemp("corpus")
    (root / "guide.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "ref.rst").write_text(REST, encoding="utf-8")
    (root / "plain.txt").write_text(PLAIN, encoding="utf-8")
    ix = FolioIndex(open_corpus(root), Path(tmp_path_factory.mktemp("ix")))
    ix.update()
    yield ix
    ix.close()


@pytest.mark.parametrize(
    ("query", "rel"),
    [
        ("quokka", "guide.md"),  # emphasis
        ("wombat", "guide.md"),  # a link's text
        ("platypus", "guide.md"),  # a code span
        ("echidna", "guide.md"),  # strong
        ("cassowary", "guide.md"),  # strong in a table cell
        ("numbat", "ref.rst"),  # a role
        ("bilby", "ref.rst"),  # emphasis
        ("bandicoot", "ref.rst"),  # inline literal
        ("dingo", "ref.rst"),  # strong inside an admonition
    ],
)
def test_a_hit_in_inline_markup_is_shown_rendered_with_the_highlight_on_the_word(
    index: FolioIndex, query: str, rel: str
) -> None:
    hits = index.search(query).hits
    assert [h.rel for h in hits] == [rel]
    hit = hits[0]
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == [query]
    for marker in MARKUP:
        assert marker not in hit.snippet, (marker, hit.snippet)
    assert "example.com" not in hit.snippet and "label-numbat" not in hit.snippet


def test_hidden_blocks_never_fill_a_snippet(index: FolioIndex) -> None:
    # no body match (the title field): the snippet opens the document where a reader sees it
    guide = index.search("title:field").hits
    assert [h.rel for h in guide] == ["guide.md"]
    assert guide[0].snippet.startswith("The guide Some words first.")
    assert "zebrafish" not in guide[0].snippet and "title:" not in guide[0].snippet
    ref = index.search("path:ref").hits
    assert ref[0].snippet.startswith("Reference Call numbat")
    assert "zebrafish" not in ref[0].snippet
    # and words of hidden blocks are no body words
    assert index.search("zebrafish").hits == []


def test_a_plain_text_snippet_is_the_text_as_written(index: FolioIndex) -> None:
    hit = index.search("kangaroo").hits[0]
    assert hit.rel == "plain.txt"
    assert hit.snippet.startswith("A plain text about a *kangaroo and the koala, written [as is](here).")
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["kangaroo"]
