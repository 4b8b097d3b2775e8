"""Search snippets show what a reader sees: Markdown and reST markers hidden, hidden blocks
never in a snippet, each highlight on exactly its word; plain text as it is written. A Markdown
snippet cut from a parse of its stretch alone is the one a parse of the whole gives."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from folio_reader.index import document
from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex, snippets
from folio_reader.index.search.snippets import make_snippet, markdown_snippet

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


LONG_MARKDOWN = "\n\n".join(
    [
        "# A long guide",
        "By Jane Smith",
        *(
            f"Paragraph {n} has **bold** words, _emphasis_ and a [link](https://example.com/{n}) in it."
            for n in range(40)
        ),
        "- a list item with the word kestrel\n- another item\n\n  continued inside the item",
        "> a quote holding kestrel\n> on two lines",
        "## A subheading with kestrel",
        "1. an ordered item\n2. kestrel in the second",
        *(f"Closing paragraph {n}, plain." for n in range(40)),
    ]
)


def _word_spans(text: str, word: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(word)}\b", text)]


@pytest.mark.parametrize("word", ["kestrel", "Paragraph", "bold", "link", "item", "Closing", "subheading", "guide"])
def test_a_markdown_snippet_from_its_stretch_is_the_one_from_the_whole_parse(word: str) -> None:
    spans = _word_spans(LONG_MARKDOWN, word)
    whole = make_snippet(LONG_MARKDOWN, spans, structure=document.parse(LONG_MARKDOWN, ".md"))
    assert markdown_snippet(LONG_MARKDOWN, spans) in (whole, None)
    assert markdown_snippet(LONG_MARKDOWN, spans) is not None or word == "guide"


def test_generated_markdown_snippets_from_their_stretch_are_those_of_the_whole_parse(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent / "bench"))
    import gen_corpus

    layout = gen_corpus.make_layout(3, 40)
    for folder in layout.folders:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    gen_corpus.write_chunk(tmp_path, layout, 3, range(40))
    rng = random.Random(3)
    compared = 0
    for path in sorted(tmp_path.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        whole = document.parse(text, ".md")
        for word in rng.sample(re.findall(r"[A-Za-z]{4,}", text), 3):
            spans = _word_spans(text, word)
            local = markdown_snippet(text, spans)
            if local is not None:
                assert local == make_snippet(text, spans, structure=whole), (path.name, word)
                compared += 1
    assert compared >= 40


#: Words, digits and the punctuation a plain paragraph may hold; markup and whitespace it may not.
_PLAIN = [
    "word",
    "Kestrel",
    "2020",
    "é",
    "“quoted”",
    "it's",
    "a-b",
    "50%",
    "(so)",
    "yes.",
    "no,",
    "why?",
    "wow!",
    "x:y",
    "—",
]
_MARKUP = ["*em*", "_u_", "#", "> q", "- item", "1.", "+", "=", "`c`", "[l](u)", "<b>", "&amp;", "a|b", "~~s~~", "!!!"]
_SPACES = ["", " ", "\t", ":::", "???", "\\"]
_LINE = st.one_of(
    st.lists(st.sampled_from(_PLAIN), max_size=6).map(" ".join),
    st.lists(st.sampled_from([*_PLAIN, *_MARKUP, *_SPACES]), max_size=6).map(" ".join),
    st.tuples(
        st.sampled_from(["#", "###", "######", "#######", "##  ", "#\t"]), st.sampled_from(["", " x", " #"])
    ).flatmap(
        lambda marker: st.lists(st.sampled_from(_PLAIN), max_size=4).map(
            lambda w: marker[0] + " " + " ".join(w) + marker[1]
        )
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=8).map("\n".join))
def test_a_stretch_read_as_written_has_the_structure_its_parse_gives(stretch: str) -> None:
    """`snippets._as_written` (a stretch of plain paragraphs and headings, not parsed) vouches
    only for what the Markdown parse reads so, block for block."""
    found = snippets._as_written(stretch)
    if found is not None:
        assert found == document.parse(stretch, ".md")


def test_a_stretch_of_plain_paragraphs_and_headings_is_read_as_written_and_markup_is_parsed() -> None:
    plain = "Some words, “quoted” — it's 50% (so) fine?\nYes!\n\nAnother paragraph: 2020 was.\n"
    assert snippets._as_written(plain) == document.parse(plain, ".md")
    headed = f"## A heading\n{plain}# Another\nand a paragraph after it.\n"
    assert snippets._as_written(headed) == document.parse(headed, ".md")
    for markup in (
        "*emphasis*",
        "#hashtag",
        "## Closed ##",
        "####### seven",
        "Setext\n===",
        "- item",
        "> quote",
        "1. first",
        "  indented",
        "hard  \nbreak",
        "a_b",
    ):
        assert snippets._as_written(f"{plain}\n{markup}\n") is None, markup


@pytest.mark.parametrize(
    "opening", ["```\ncode kestrel\n\nmore code\n```", "<div>\n\nkestrel\n</div>", "[ref]: https://example.com"]
)
def test_a_markdown_text_whose_stretches_read_otherwise_is_parsed_whole(opening: str) -> None:
    text = opening + "\n\n" + LONG_MARKDOWN
    assert markdown_snippet(text, _word_spans(text, "kestrel")) is None


def test_a_hits_format_is_sniffed_once_while_its_file_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.txt` hit's format is sniffed from its text (0.4 ms); when its text is read again
    (dropped from the text cache), the format kept for the file as it is answers."""
    (tmp_path / "notes.txt").write_text(
        "# Field notes\n\nSome **kestrel** words.\n\n## More\n\nA kestrel.\n", encoding="utf-8"
    )
    with FolioIndex(open_corpus(tmp_path), tmp_path.parent / f"{tmp_path.name}-ix") as ix:
        ix.update()
        sniffed: list[str] = []
        detect = document.detect_format
        monkeypatch.setattr(
            document, "detect_format", lambda text, suffix: sniffed.append(suffix) or detect(text, suffix)
        )
        first = ix.search("kestrel").hits[0]
        assert sniffed == [".txt"] and "**" not in first.snippet
        ix._searching._texts._texts.discard("notes.txt")  # the text dropped, the file unchanged
        again = ix.search("kestrel").hits[0]
        assert sniffed == [".txt"] and (again.snippet, again.snippet_spans) == (first.snippet, first.snippet_spans)
