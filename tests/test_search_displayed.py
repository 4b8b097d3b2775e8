"""The index holds only the words a reader sees (issue 12): a Markdown or reST document's hidden
blocks, markers, directive and role names and link targets are not body words, and a hit on a
displayed word lands on its characters in the canonical text. On a real index of files written
here."""

from __future__ import annotations

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex

MARKDOWN = """---
title: Front matter title
draftnote: frontmatterword
---
# The guide

Some *emphasised* words, **strongword** text and a [link label](https://hidden.example/urlword).

```python
def codeword(value):
    return value
```

| column | other |
|---|---|
| cellword | celltwo |

<!-- htmlcommentword -->
"""

REST = """A reST page
===========

.. a comment holding rstcommentword

.. _targetword: https://example.org/targeturlword

.. index:: indexword

Body text with :emphasis:`roleword` and ``literalword`` and `a link <https://example.org/linkurlword>`_.

.. note:: admonitionbody
"""

PLAIN = "A plain page: its hidden-looking words are words. .. index:: plainindexword\n"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("corpus")
    for rel, text in {"guide.md": MARKDOWN, "page.rst": REST, "plain.txt": PLAIN}.items():
        (root / rel).write_text(text, encoding="utf-8")
    ix = FolioIndex(open_corpus(root), tmp_path_factory.mktemp("ix"))
    ix.update()
    yield ix
    ix.close()


def hits(index: FolioIndex, query: str) -> dict[str, list[tuple[int, int]]]:
    result = index.search(query)
    assert result.error is None, result.error
    return {h.rel: list(h.spans) for h in result.hits}


@pytest.mark.parametrize(
    "word",
    [
        "frontmatterword",  # Markdown front matter
        "urlword",  # a link's target
        "htmlcommentword",  # an HTML comment
        "python",  # a fence's info string
        "rstcommentword",  # a reST comment
        "targetword",  # a reST target's name
        "targeturlword",  # and its URL
        "indexword",  # `.. index::`
        "linkurlword",  # an inline link's URL
        "emphasis",  # a role's name
        "note",  # a directive's name
    ],
)
def test_hidden_markup_is_not_searchable(index: FolioIndex, word: str) -> None:
    """Before: the whole canonical text was the body, so every one of these was a hit."""
    assert hits(index, word) == {}


@pytest.mark.parametrize(
    ("word", "rel", "source"),
    [
        ("codeword", "guide.md", MARKDOWN),  # in a fenced code block
        ("cellword", "guide.md", MARKDOWN),  # in a table cell
        ("celltwo", "guide.md", MARKDOWN),
        ("emphasised", "guide.md", MARKDOWN),  # inside `*…*`
        ("strongword", "guide.md", MARKDOWN),  # inside `**…**`
        ("label", "guide.md", MARKDOWN),  # a link's text
        ("roleword", "page.rst", REST),  # a role's content
        ("literalword", "page.rst", REST),  # inline literal
        ("admonitionbody", "page.rst", REST),  # a directive's body
        ("plainindexword", "plain.txt", PLAIN),  # plain text hides nothing
    ],
)
def test_a_displayed_word_is_found_on_its_characters(index: FolioIndex, word: str, rel: str, source: str) -> None:
    found = hits(index, word)
    assert list(found) == [rel]
    assert [source[s:e] for s, e in found[rel]] == [word]


def test_a_phrase_runs_over_hidden_markers(index: FolioIndex) -> None:
    found = hits(index, '"some emphasised words"')
    assert [MARKDOWN[s:e] for s, e in found["guide.md"]] == ["Some *emphasised* words"]


def test_a_text_with_no_structure_to_hand_is_parsed_when_it_reads_as_markdown() -> None:
    """The index parses a `.txt` over PARSE_WHOLE_TXT_BYTES only by its opening for metadata;
    its body is then parsed here when `detect_format` reads it as Markdown, and indexed whole
    when it reads as plain text."""
    from folio_reader.index.analysis import Analysed
    from folio_reader.index.search.build import body_value

    markdown = "# A heading\n\nSome **bold** words.\n\n<!-- hiddenword -->\n\n[a link](https://x.example/urlword)\n"
    body = body_value(markdown, "big.txt", None)
    assert isinstance(body, Analysed)
    assert {"bold", "word", "link"} <= set(body.postings) and not {"hiddenword", "urlword"} & set(body.postings)
    assert [markdown[s:e] for _, s, e in body.postings["bold"]] == ["bold"]
    assert "hiddenword" not in body.words
    plain = "Just words, and a <!-- plaincomment --> as typed.\n"
    assert body_value(plain, "big.txt", None) == plain
