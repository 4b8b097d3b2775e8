"""Titles, authors and dates from structure, one test a rule."""

from __future__ import annotations

import datetime as dt

import pytest

from folio_reader.index.corpus import Document, find_title
from folio_reader.index.document import metadata, parse
from tests.document_corpus import MARKDOWN, REST


def title(text: str, suffix: str) -> tuple[str, str]:
    meta = metadata(text, suffix)
    return meta.title, meta.title_source


def test_front_matter_title_author_and_date_yaml_and_toml() -> None:
    meta = metadata(MARKDOWN, ".md")
    assert (meta.title, meta.title_source) == ("Front matter title", "front matter")
    assert (meta.author, meta.date) == ("Ada Lovelace", dt.date(2024, 3, 5))
    toml = '+++\ntitle = "TOML title"\nauthor = "Alan Turing"\ndate = 2021-06-01\n+++\n\n# Heading\n'
    meta = metadata(toml, ".md")
    assert (meta.title, meta.author, meta.date) == ("TOML title", "Alan Turing", dt.date(2021, 6, 1))
    assert parse(toml, ".md").blocks[0].label == "toml"


def test_rest_title_with_a_role_and_dashes_after_comments_and_labels() -> None:
    meta = metadata(REST, ".rst")
    assert (meta.title, meta.title_source) == ("__main__ — Top-level code environment", "heading")
    assert (meta.author, meta.date, meta.date_source) == ("Grace Hopper", dt.date(2023, 11, 2), "field")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # kernel style: SPDX comment, then a title between lines of `=`
        (
            ".. SPDX-License-Identifier: GPL-2.0\n\n==========\nThe Title\n==========\n\nDISCLAIMER\n----------\n\nBody.\n",
            "The Title",
        ),
        # a label, a substitution and a comment before an underlined title
        (".. _lab:\n\n.. |x| replace:: y\n\n..\n   comment\n\nReal title\n%%%%%%%%%%\n\ntext\n", "Real title"),
        # a subtitle under the title does not replace it
        ("#####\nTitle\n#####\n\nSubtitle\n========\n\ntext\n", "Title"),
        ("Title with ``code`` and *emphasis*\n==================================\n", "Title with code and emphasis"),
    ],
)
def test_rest_titles_by_adornment(text: str, expected: str) -> None:
    assert title(text, ".rst") == (expected, "heading")


def test_rest_title_is_never_markup_or_decoration() -> None:
    assert title("..\n\n%%%%%%%%%%%%\n\nFirst words of the page.\n", ".rst")[0] == "First words of the page."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# ATX *title* #\n\ntext\n", "ATX title"),
        ("Setext **title**\n===\n\ntext\n", "Setext title"),
        ("<!-- YAML\nadded: v1\n-->\n\n# After a comment\n", "After a comment"),
        ("Intro line\n\n## Later heading\n", "Later heading"),
        ("# [Linked](http://x) `code` title\n", "Linked code title"),
    ],
)
def test_markdown_titles(text: str, expected: str) -> None:
    assert title(text, ".md") == (expected, "heading")


def test_plain_titles_keep_underscores_and_fall_back_to_first_line() -> None:
    assert title("Call KVM_CREATE_VM first.\n\nThen more text.\n", ".txt") == (
        "Call KVM_CREATE_VM first.",
        "first sentence",
    )
    assert title("snake_case_name and *star\n\nbody\n", ".txt") == ("snake_case_name and *star", "first line")
    assert title("Plain Title\n===========\n\nbody\n", ".txt") == ("Plain Title", "heading")
    assert find_title("## **Bold** heading\ntext") == ("Bold heading", "heading")


def test_authors_from_fields_and_by_lines() -> None:
    assert metadata("Title\n\nBy: Jane Doe\n\nText.\n", ".txt").author == "Jane Doe"
    assert metadata("Title\n\nAuthor: John Roe\n\nText.\n", ".txt").author == "John Roe"
    assert metadata("# Title\n\n**Roger Jordan**  \n**7 May 2025**\n\nText.\n", ".md").author == "Roger Jordan"
    rest = "=====\nTitle\n=====\n\n:Authors: Ann One; Bob Two\n:Date: 5 May 2020\n\nText.\n"
    meta = metadata(rest, ".rst")
    assert (meta.author, meta.date, meta.date_source) == ("Ann One; Bob Two", dt.date(2020, 5, 5), "field")


def test_date_from_the_opening_text() -> None:
    meta = metadata("# Title\n\nPosted 7 May 2025.\n\nBody.\n", ".md")
    assert (meta.date, meta.date_source) == (dt.date(2025, 5, 7), "text")


def test_a_date_or_a_name_in_code_is_not_the_documents() -> None:
    """Rich's tables.rst was dated 2019-12-20, from `table.add_row("Dec 20, 2019", …)` in its
    first example; a date in the prose after the code still counts."""
    rest = 'Tables\n======\n\nAn example::\n\n    table.add_row("Dec 20, 2019", "Star Wars")\n\nText.\n'
    assert metadata(rest, ".rst").date is None
    markdown = "# Title\n\n```\nBy: Jane Doe\n7 May 2025\n```\n\nPosted 8 May 2025.\n"
    meta = metadata(markdown, ".md")
    assert (meta.author, meta.date) == (None, dt.date(2025, 5, 8))


def test_document_from_text_uses_structure() -> None:
    doc = Document.from_text("page.rst", REST)
    assert doc.meta.title == "__main__ — Top-level code environment"
    assert doc.structure is not None and doc.structure.format == "rest"
    assert doc.paragraphs and all(doc.text[s:e].strip() for s, e in doc.paragraphs)
