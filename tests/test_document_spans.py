"""Exact spans: a search hit inside a code block, a table cell, emphasis or a role lands on the
right characters in both directions, for Markdown, reST and plain text."""

from __future__ import annotations

import pytest

from folio_reader.index.document import Block, InlineKind, Kind, Structure, block_displays, parse, render
from tests.document_corpus import MARKDOWN, PLAIN, REST


def block_at(structure: Structure, offset: int) -> Block:
    return next(b for b in structure.blocks if b.start <= offset < b.end and b.end > b.start)


def assert_hit(text: str, structure: Structure, needle: str, occurrence: int = 0) -> tuple[Block, int, int]:
    """The canonical span of `needle` shows as exactly `needle`, and maps back to itself."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    block = block_at(structure, start)
    for disp in block_displays(text, block):
        ds, de = disp.span(start, end)
        if de > ds:
            assert disp.text[ds:de] == needle
            assert disp.canonical(ds) == start and disp.canonical(de - 1) + 1 == end
            return block, ds, de
    raise AssertionError(f"{needle!r} is not displayed")


@pytest.fixture(scope="module")
def md() -> Structure:
    return parse(MARKDOWN, ".md")


@pytest.fixture(scope="module")
def rst() -> Structure:
    return parse(REST, ".rst")


def test_markdown_hit_in_a_code_block(md: Structure) -> None:
    block, _, _ = assert_hit(MARKDOWN, md, "searchneedle")
    assert block.kind is Kind.CODE and block.language == "python"
    assert render(MARKDOWN, block).text.startswith("def f(x):\n    return")


def test_markdown_hit_in_a_table_cell(md: Structure) -> None:
    block, _, _ = assert_hit(MARKDOWN, md, "bold cell")
    assert block.kind is Kind.TABLE and block.header_rows == 1
    cells = [[render(MARKDOWN, block, s, e).text for s, e in row] for row in block.rows]
    assert cells == [["Name", "Value"], ["alpha", "bold cell"], ["beta", "x|y"]]
    cell = render(MARKDOWN, block, *block.rows[1][1])
    assert [(s, e, k) for s, e, k, _ in cell.styles] == [(0, 9, InlineKind.STRONG)]


def test_markdown_hit_in_emphasis_strong_code_and_link(md: Structure) -> None:
    for needle, kind in (
        ("emphasis", InlineKind.EMPHASIS),
        ("strong", InlineKind.STRONG),
        ("code span", InlineKind.CODE),
    ):
        block, ds, de = assert_hit(MARKDOWN, md, needle)
        disp = render(MARKDOWN, block)
        assert (ds, de, kind) in [(s, e, k) for s, e, k, _ in disp.styles]
    block, ds, de = assert_hit(MARKDOWN, md, "link", 0)
    disp = render(MARKDOWN, block)
    assert (ds, de, InlineKind.LINK, "https://example.org") in disp.styles
    assert "https://example.org" not in disp.text.replace("https://auto.example", "")
    assert "&amp;" not in disp.text and "an entity & and A," in disp.text
    assert "an escaped *star*" in disp.text and "<span>" not in disp.text


def test_markdown_markers_hidden_and_structure(md: Structure) -> None:
    kinds = [b.kind for b in md.blocks]
    assert kinds[0] is Kind.FRONT_MATTER
    heading = md.blocks[1]
    assert heading.kind is Kind.HEADING and heading.level == 1 and render(MARKDOWN, heading).text == "Heading one"
    items = [b for b in md.blocks if b.kind is Kind.LIST_ITEM]
    assert [(b.marker, b.level) for b in items] == [("-", 1), ("-", 1), ("1.", 2), ("2.", 2), ("*", 1)]
    assert items[0].hanging_indent == 2 and items[2].hanging_indent == 3
    nested = next(b for b in md.blocks if render(MARKDOWN, b).text == "nested quote")
    assert nested.nest == (Kind.QUOTE, Kind.QUOTE)
    para = next(b for b in md.blocks if render(MARKDOWN, b).text.startswith("A paragraph"))
    assert render(MARKDOWN, para).text.endswith("Hard break here\nnext line.")
    hidden = [b.label for b in md.blocks if b.kind is Kind.HIDDEN]
    assert hidden == ["html comment", "link reference"]


def test_rest_hit_in_a_code_block_and_a_doctest(rst: Structure) -> None:
    block, _, _ = assert_hit(REST, rst, "searchneedle")
    assert block.kind is Kind.CODE and block.language == "python"
    assert render(REST, block).text == "def g():\n    return 1  # searchneedle"
    block, _, _ = assert_hit(REST, rst, ">>> 2 + 2")
    assert block.kind is Kind.CODE


def test_rest_hit_in_table_cells(rst: Structure) -> None:
    block, _, _ = assert_hit(REST, rst, "cell 2")
    assert block.kind is Kind.TABLE
    assert [[REST[s:e] for s, e in row] for row in block.rows] == [["Head A", "Head B"], ["cell 1", "cell 2"]]
    simple, _, _ = assert_hit(REST, rst, "Col 2")
    assert [[REST[s:e] for s, e in row] for row in simple.rows] == [["Col 1", "Col 2"], ["x", "y"]]


def test_rest_roles_and_references_show_their_text(rst: Structure) -> None:
    block, ds, de = assert_hit(REST, rst, "abs")
    disp = render(REST, block)
    assert (ds, de, InlineKind.ROLE, "func") in disp.styles
    assert ":func:" not in disp.text and "`" not in disp.text
    assert "a title" in disp.text and "<label>" not in disp.text
    assert "method," in disp.text and "pkg.Class" not in disp.text
    assert "a link," in disp.text and "https://example.org" not in disp.text
    assert "a reference," in disp.text and "reference_" not in disp.text
    assert "literal block:" in disp.text and "::" not in disp.text
    _, ds, de = assert_hit(REST, rst, "emphasis")
    assert (ds, de, InlineKind.EMPHASIS, "") in disp.styles


def test_rest_directives_titles_and_hidden_blocks(rst: Structure) -> None:
    labels = [b.label for b in rst.blocks if b.kind is Kind.ADMONITION]
    assert labels == ["Note", "Changed in version 3.7", "Warning", "its argument"]
    hidden = [b.label for b in rst.blocks if b.kind is Kind.HIDDEN]
    assert hidden == ["comment", "target", "code-block", "index", "substitution", "comment", "target"]
    heading = next(b for b in rst.blocks if b.kind is Kind.HEADING)
    assert heading.level == 1 and REST[heading.start : heading.start + 5] == "====="  # overline in the span
    assert render(REST, heading).text == "__main__ --- Top-level code environment"
    fields = [(b.marker, render(REST, b).text) for b in rst.blocks if b.label == "field"]
    assert fields == [("Author:", "Grace Hopper"), ("Date:", "2023-11-02")]


def test_rest_never_prints_a_warning(capfd: pytest.CaptureFixture[str]) -> None:
    parse(REST + "\n.. sphinxonly:: x\n\n:unknownrole:`y` and *unclosed\n\n.. note::\n", ".rst")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_plain_blocks_keep_lines_or_reflow() -> None:
    structure = parse(PLAIN, ".txt")
    assert structure.format == "plain"
    block, _, _ = assert_hit(PLAIN, structure, "stays as it is")
    assert block.kind is Kind.LINES
    block, _, _ = assert_hit(PLAIN, structure, "KVM_CREATE_VM")
    assert block.kind is Kind.PARAGRAPH
    heading = structure.blocks[0]
    assert heading.kind is Kind.HEADING and render(PLAIN, heading).text == "Plain Title"


def test_markdown_escaped_pipes_in_cells_and_quotes_in_urls() -> None:
    text = "| a | b |\n|---|---|\n| `int \\| None` | x \\| y |\n\nSee [algo](https://w.org/Painter's_algorithm) here.\n"
    structure = parse(text, ".md")
    table, para = structure.blocks
    cells = [render(text, table, s, e) for s, e in table.rows[1]]
    assert [c.text for c in cells] == ["int | None", "x | y"]
    assert [(s, e, k) for s, e, k, _ in cells[0].styles] == [(0, 10, InlineKind.CODE)]
    disp = render(text, para)
    assert disp.text == "See algo here."
    assert (4, 8, InlineKind.LINK, "https://w.org/Painter's_algorithm") in disp.styles


_REST_TABLE = """\
=========  ====================
a          b
=========  ====================
a **x** b  see :func:`abs` here
y          `link <http://e>`_ z
=========  ====================

+-----------+---------------+
| ``code``  | :ref:`t <l>`  |
+-----------+---------------+
"""


def test_rest_table_cells_show_their_inline_markup_rendered() -> None:
    """A cell holding markup was not found by its text (`a x b` is not in the source), so the
    table was drawn as its lines, `**x**` and `:func:` raw; cells are now found by their source
    and mapped as paragraphs are."""
    structure = parse(_REST_TABLE, ".rst")
    simple, grid = (b for b in structure.blocks if b.kind is Kind.TABLE)
    cells = [[render(_REST_TABLE, simple, s, e).text for s, e in row] for row in simple.rows]
    assert cells == [["a", "b"], ["a x b", "see abs here"], ["y", "link z"]]
    assert [[render(_REST_TABLE, grid, s, e).text for s, e in row] for row in grid.rows] == [["code", "t"]]
    block, ds, de = assert_hit(_REST_TABLE, structure, "abs")
    cell = render(_REST_TABLE, block, *block.rows[1][1])
    assert (ds, de, InlineKind.ROLE, "func") in cell.styles
    strong = render(_REST_TABLE, block, *block.rows[1][0])
    assert [(s, e, k) for s, e, k, _ in strong.styles] == [(2, 3, InlineKind.STRONG)]
    link = render(_REST_TABLE, block, *block.rows[2][1])
    assert (0, 4, InlineKind.LINK, "http://e") in link.styles


_REST_LINES = """\
| line **bold** and \\*x
| line :func:`abs` and `a link <http://e>`_
|     indented *em*
| continued
  here ``lit``

after
"""


def test_rest_line_block_lines_show_their_inline_markup_rendered() -> None:
    """Line-block lines showed `**bold**` and `:func:` raw (no inline map), and a continued line
    (`| continued` then `  here`) ended the block a line early, its last line shown apart."""
    structure = parse(_REST_LINES, ".rst")
    block = structure.blocks[0]
    assert block.kind is Kind.LINES and _REST_LINES[block.end - 12 : block.end] == "here ``lit``"
    disp = render(_REST_LINES, block)
    assert disp.text == "line bold and *x\nline abs and a link\n    indented em\ncontinued\n  here lit"
    styles = {disp.text[s:e]: k for s, e, k, _ in disp.styles}
    assert styles == {
        "bold": InlineKind.STRONG,
        "abs": InlineKind.ROLE,
        "a link": InlineKind.LINK,
        "em": InlineKind.EMPHASIS,
        "lit": InlineKind.CODE,
    }
    assert_hit(_REST_LINES, structure, "a link")
    assert [b.kind for b in structure.blocks] == [Kind.LINES, Kind.PARAGRAPH]


def test_a_rest_simple_table_with_blank_lines_between_its_rows_is_one_table() -> None:
    """docutils' api/transforms.rst: a simple table whose rows stand apart by blank lines was
    cut at its first blank line (the rest shown as lines of their own, its cells not found, so
    the whole drawn as written); it ends at its bottom border, by docutils' rule."""
    text = "=====  =====\nname   value\n=====  =====\na      **b**\n\nc      d\n\ne      f\n=====  =====\n\nAfter.\n"
    structure = parse(text, ".rst")
    table = structure.blocks[0]
    assert table.kind is Kind.TABLE and text[table.start : table.end] == text[: text.index("\n\nAfter")]
    cells = [[render(text, table, s, e).text for s, e in row] for row in table.rows]
    assert cells == [["name", "value"], ["a", "b"], ["c", "d"], ["e", "f"]]
    assert [b.kind for b in structure.blocks] == [Kind.TABLE, Kind.PARAGRAPH]
