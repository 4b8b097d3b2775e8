"""The reader's layout from a document's blocks (issue 12): what each kind of block looks like,
and that every cell on screen still stands for the canonical character it shows."""

from __future__ import annotations

import dataclasses

import pytest
from rich.cells import cell_len

from folio_reader.index.corpus import Document
from folio_reader.tui.layout import DocLayout
from folio_reader.tui.layout import doc as layout_doc

REST = """\
=========
The Title
=========

Intro with *emphasis*, **strong**, ``code`` and :func:`abs`.

Section One
===========

- item one
  continues here
- item two

.. note:: Mind the gap.

::

    def f(x):
        return x  # a long comment that goes on well past the forty-cell measure

=====  ======
col1   col2
=====  ======
x      wide 中文
=====  ======
"""

MARKDOWN = """\
# Title

> quoted *text*

```python
if x:
        deep()
```

| Name | Value |
|------|------:|
| a    | 1     |
"""

PLAIN = "Title line\n\nSome prose here that is\nwrapped by hand.\n\n    code indented\n    more code\n\n+---+---+\n| a | b |\n+---+---+\n"


def rows(layout: DocLayout) -> list[str]:
    out: list[str] = []
    for b in range(layout.block_count):
        for r in range(layout.row_count_of(b)):
            out.append(("↪" if layout.continued(b, r) else "") + "".join(c.text for c in layout.cells(b, r)).rstrip())
        if layout.gap_after(b):
            out.append("")
    return out


def laid_out(rel: str, text: str, width: int = 40, **kwargs) -> tuple[Document, DocLayout]:
    doc = Document.from_text(rel, text)
    return doc, DocLayout(doc.text, doc.paragraphs, width, structure=doc.structure, **kwargs)


def test_a_rest_page_as_written() -> None:
    _, layout = laid_out("page.rst", REST)
    assert rows(layout) == [
        "The Title",
        "",
        "Intro with emphasis, strong, code and",
        "abs.",
        "",
        "Section One",
        "",
        "• item one continues here",
        "• item two",
        "",
        "Note",
        "│ Mind the gap.",
        "",
        "def f(x):",
        "    return x  # a long comment that goes",
        "↪ on well past the forty-cell measure",
        "",
        "col1 │ col2",
        "─────┼──────────",
        "x    │ wide 中文",
    ]


def test_markdown_quote_code_and_pipe_table() -> None:
    _, layout = laid_out("page.md", MARKDOWN)
    assert rows(layout) == [
        "Title",
        "",
        "▎ quoted text",
        "",
        "if x:",
        "        deep()",
        "",
        "Name │ Value",
        "─────┼──────",
        "a    │ 1",
    ]


def test_plain_text_keeps_indented_code_and_ascii_tables_line_for_line() -> None:
    _, layout = laid_out("notes.txt", PLAIN, 12)
    assert rows(layout) == [
        "Title line",
        "",
        "Some prose",
        "here that is",
        "wrapped by",
        "hand.",
        "",
        "    code ind",
        "↪ented",
        "    more cod",
        "↪e",
        "",
        "+---+---+",
        "| a | b |",
        "+---+---+",
    ]


def test_a_table_too_wide_for_the_measure_is_drawn_as_its_lines() -> None:
    """Too wide even with each column narrowed to eight cells: its lines, cut and marked."""
    cells = " | ".join("x" * 10 for _ in range(4))
    _doc, layout = laid_out("page.md", "| a | b | c | d |\n|---|---|---|---|\n| " + cells + " |\n", 20)
    shown = rows(layout)
    assert shown[0] == "| a | b | c | d |" and shown[1] == "|---|---|---|---|"
    assert shown[2].startswith("| xxxx") and shown[3].startswith("↪")


def test_a_table_wider_than_the_measure_wraps_its_widest_columns() -> None:
    """Textual's widgets/button.md: a pipe table with a long Description column was wider than
    80 cells and drawn as its lines, each source line (padded for a wide editor) cut into three
    rows of `|---` and spaces. The widest column is narrowed and its cells wrap inside it; the
    narrow columns keep their width; every cell still stands for its character."""
    text = (
        "| Name | Type | Description |\n|---|---|---|\n"
        "| `label` | `str` | The text that appears inside the button. |\n"
        "| `disabled` | `bool` | Whether the button is disabled or not. |\n"
    )
    doc, layout = laid_out("page.md", text, 36)
    assert rows(layout) == [
        "Name     │ Type │ Description",
        "─────────┼──────┼───────────────────",
        "label    │ str  │ The text that",
        "         │      │ appears inside the",
        "         │      │ button.",
        "disabled │ bool │ Whether the button",
        "         │      │ is disabled or",
        "         │      │ not.",
    ]
    for b in range(layout.block_count):
        for r in range(layout.row_count_of(b)):
            cells = layout.cells(b, r)
            assert sum(c.width for c in cells) <= 36
            for c in cells:
                if c.end > c.offset and c.text.strip():
                    assert doc.text[c.offset : c.end] == c.text


@pytest.mark.parametrize(("rel", "text"), [("page.rst", REST), ("page.md", MARKDOWN), ("notes.txt", PLAIN)])
@pytest.mark.parametrize("width", [7, 16, 40, 120])
def test_every_content_cell_shows_its_canonical_character(rel: str, text: str, width: int) -> None:
    doc, layout = laid_out(rel, text, width)
    seen: list[int] = []
    decorations: list[int] = []
    for b in range(layout.block_count):
        for r in range(layout.row_count_of(b)):
            for cell in layout.cells(b, r):
                if cell.decoration:
                    decorations.append(cell.offset)
                    continue
                assert cell_len(cell.text) == cell.width
                source = doc.text[cell.offset : cell.end]
                if not cell.text.isspace():
                    assert cell.text == source, (cell, source)
                seen.append(cell.offset)
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert {layout.snap(offset) for offset in decorations} <= set(seen)  # a click on one lands on text
    for offset in seen:  # every caret position is its own snap, and round-trips through its row
        assert layout.snap(offset) == offset
        y, x = layout.locate(offset)
        assert layout.offset_at(y, x) == offset


def test_hidden_markers_snap_to_the_next_shown_character() -> None:
    doc, layout = laid_out("page.md", "Some **strong** words.\n")
    star = doc.text.index("**")
    assert layout.snap(star) == doc.text.index("strong")
    assert layout.next_cluster(doc.text.index("strong") + 5) == doc.text.index(" words")


def test_without_structure_or_over_the_limit_the_plain_layout_says_why(monkeypatch) -> None:
    doc = Document.from_text("page.md", "# Title\n\nSome **strong** words.\n")
    plain = DocLayout(doc.text, doc.paragraphs, 40)
    assert rows(plain)[0] == "# Title" and plain.note == ""
    monkeypatch.setattr(layout_doc, "LAYOUT_LIMIT", 10)
    big = DocLayout(doc.text, doc.paragraphs, 40, structure=doc.structure)
    assert rows(big)[2] == "Some **strong** words." and "plain layout" in big.note
    assert dataclasses.replace(doc, structure=None).structure is None


def test_raw_view_is_the_canonical_text_line_for_line() -> None:
    _doc, layout = laid_out("page.rst", REST, 200, view="raw")
    assert rows(layout) == [line.rstrip() for line in REST.split("\n")][: len(rows(layout))]
    assert "\n".join(rows(layout)).strip() == "\n".join(line.rstrip() for line in REST.split("\n")).strip()


def test_links_resolve_inside_the_corpus_only() -> None:
    from folio_reader.tui.layout import outline

    known = {"docs/a.rst", "docs/sub/b.md", "top.txt"}
    assert outline.resolve("docs/sub/b.md", "../a.rst#part", known) == "docs/a.rst"
    assert outline.resolve("docs/a.rst", "sub/b.md", known) == "docs/sub/b.md"
    assert outline.resolve("docs/a.rst", "/top", known) == "top.txt"  # a reST doc link, no suffix
    assert outline.resolve("docs/a.rst", "../../etc/passwd", known) is None  # outside the corpus
    assert outline.link_path("", None, "https://example.org/a.rst") == ""  # external: never a path
    rest = "See `x`_.\n\n.. _x: other.rst#top\n"
    structure = Document.from_text("a.rst", rest).structure
    assert outline.link_path(rest, structure, "x") == "other.rst"
    assert outline.place("", "", False, None, "T").startswith("link (its target is not known")
    assert outline.place("mailto:a@b", "", False, None, "T") == "link → mailto:a@b  (external: not opened)"


def test_definition_list_items_hang_under_their_container() -> None:
    text = "term\n   1. one\n   2. two\n\n   A. alpha\n"
    _, layout = laid_out("page.rst", text)
    assert rows(layout) == [
        "term",
        "",
        "  1. one",
        "  2. two",
        "",
        "  A. alpha",
    ]  # two lists: numbers then letters (a blank row between them since session 6)


def test_lists_one_after_another_are_apart() -> None:
    """A list right after a list of another marker (`-` then `*`, `1.` then `1)`, a bullet
    then a field list) or after a comment ran on as one list; items of one list and a nested
    list stay together."""
    markdown = "- a\n- b\n\n* c\n* d\n\n1. e\n2. f\n\n1) g\n\n- h\n\n<!-- x -->\n\n- i\n  - j\n\n  + k\n- l\n"
    _, layout = laid_out("page.md", markdown)
    assert rows(layout) == [
        *("• a", "• b", "", "• c", "• d", "", "1. e", "2. f", "", "1) g", "", "• h", ""),
        *("• i", "  • j", "", "  • k", "• l"),
    ]
    rest = "- a\n- b\n\n* c\n\n1. e\n#. f\n\na. g\n\n:F: v\n:G: w\n\n- h\n\n..\n\n- i\n\ni. j\n#. k\n"
    _, layout = laid_out("page.rst", rest)
    assert rows(layout) == [
        *("• a", "• b", "", "• c", "", "1. e", "#. f", "", "a. g", "", "F: v", "G: w", ""),
        *("• h", "", "• i", "", "i. j", "#. k"),
    ]  # (`#.` continues any enumeration: docutils' api/transforms.rst, `i.` then `#.`)


def test_a_label_row_with_no_body_is_followed_by_a_blank_row() -> None:
    """mkdocstrings' "API: …" row and a snippet's "Included: …" row ran into the next heading
    or tab title (no blank row: a label row was taken for an admonition's title, whose body
    follows it); a title and its body still stand together."""
    text = (
        '=== "Output"\n\n    text\n\n=== "app.py"\n\n    ```python\n    --8<-- "docs/app.py"\n    ```\n\n'
        '=== "app.tcss"\n\n    body\n\n## Heading\n\n::: textual.widgets.Button\n    options:\n      x: 1\n\n'
        "::: textual.widgets.button\n\n## Next\n"
    )
    _, layout = laid_out("page.md", text)
    assert rows(layout) == [
        *("Output", "│ text", "", "app.py", "│ Included: docs/app.py", "", "app.tcss", "│ body", ""),
        *("Heading", "", "API: textual.widgets.Button", "", "API: textual.widgets.button", "", "Next"),
    ]


def test_a_piece_of_a_long_block_renders_as_the_whole_block_does() -> None:
    from folio_reader.index.document import render
    from folio_reader.tui.layout.pieces import piece_of

    text = " ".join(f"*w{i}* and **s{i}** `c{i}` plain words here" for i in range(3000))
    doc, layout = laid_out("long.md", text, 60)
    assert layout.block_count > 3  # a paragraph of pieces
    for unit in list(layout.units)[:: max(1, layout.block_count // 7)]:
        assert unit.block is not None
        full = render(doc.text, unit.block, unit.start, unit.end)
        cut = render(doc.text, piece_of(unit.block, unit.start, unit.end), unit.start, unit.end)
        assert (cut.text, cut.runs_d, cut.runs_c, cut.runs_n, cut.styles) == (
            full.text,
            full.runs_d,
            full.runs_c,
            full.runs_n,
            full.styles,
        )


def test_a_label_longer_than_the_measure_wraps_under_its_bars() -> None:
    """An admonition's label was one decoration row whatever its length: "Output of
    docs/examples/…" and long "Changed in version …" titles ran past the pane's edge."""
    text = '> ```{.textual path="docs/examples/widgets/button.py"}\n> ```\n\n!!! note "短い 注意 title that is long"\n    Body.\n'
    _, layout = laid_out("page.md", text, 20)
    assert rows(layout) == [
        *("▎ Output of", "▎ docs/examples/widg", "▎ ets/button.py (a", "▎ screenshot made by", "▎ the docs build)"),
        *("", "短い 注意 title that", "is long", "│ Body."),
    ]
    assert all(
        sum(c.width for c in layout.cells(b, r)) <= 20
        for b in range(layout.block_count)
        for r in range(layout.row_count_of(b))
    )


def test_an_item_opening_with_a_nested_list_or_code_shows_its_marker() -> None:
    """An item whose first block is not a paragraph (`1. - a`, `- ```…`, reST's `2. A. text`)
    lost its marker: its marker row is an empty block, which the layout skipped. Its marker
    now stands before that block's first row."""
    _, layout = laid_out("page.md", "1. - a\n   - b\n2. c\n\n- ```\n  code\n  ```\n- x\n")
    assert rows(layout) == ["1. • a", "   • b", "2. c", "", "• code", "• x"]
    _, layout = laid_out("page.rst", "1. A. a\n   B. b\n2. c\n\n3. A. i. x\n      ii. y\n")
    assert rows(layout) == ["1. A. a", "   B. b", "2. c", "3. A. i. x", "      ii. y"]
