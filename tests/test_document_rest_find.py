"""The reST walker's search for a node's first line (`rest._Walker.find`): on a text without
tabs it jumps to where `str.find` meets the line's text instead of trying each line; the
blocks stay those of the line-by-line search (which a text with a tab still takes)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from folio_reader.index.document import rest, rest_docutils
from folio_reader.index.document.model import Block
from tests.document_corpus import REST
from tests.test_document_rest_machines import _BLOCK, BROKEN, NESTED


def _blocks(text: str, *, line_by_line: bool) -> list[Block]:
    walker = rest._Walker(text)
    if line_by_line:
        walker.tabs = True  # the search a text with a tab takes: every line from the cursor on
    walker.walk(rest_docutils.doctree(text))
    return rest._fill_gaps(walker.lines, sorted(walker.blocks, key=lambda b: (b.start, b.end)))


# A node's text met earlier on lines that do not end with it (a word of the next paragraph in
# the one before, a field body's text in a comment), and a line ending with it twice.
REPEATS = """\
alpha beta gamma and more alpha beta

alpha beta

.. a comment naming beta gamma

:beta: gamma beta gamma

- gamma
- gamma gamma

term gamma
   gamma
"""


def test_the_blocks_are_those_of_the_line_by_line_search() -> None:
    for text in (NESTED, BROKEN, REST, REPEATS):
        assert "\t" not in text
        fast = _blocks(text, line_by_line=False)
        assert fast == _blocks(text, line_by_line=True)
        assert len(fast) > 5


def test_a_text_with_a_tab_is_searched_line_by_line() -> None:
    text = "Title\n=====\n\n-\tone\tword\n-\ttwo\n\npara\tgraph here\n"
    walker = rest._Walker(text)
    assert walker.tabs
    blocks = _blocks(text, line_by_line=False)
    assert [b.kind.name for b in blocks] == ["HEADING", "LIST_ITEM", "LIST_ITEM", "PARAGRAPH"]
    assert text[blocks[-1].start : blocks[-1].end] == "para\tgraph here"


@settings(max_examples=25, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=8).map("\n\n".join))
@example(text="a\n\n.. note::\n   :class: c\n\n   - a")  # `a` met first on `:class: c`, not at its end
def test_generated_rest_gives_the_blocks_of_the_line_by_line_search(text: str) -> None:
    assert _blocks(text, line_by_line=False) == _blocks(text, line_by_line=True)
