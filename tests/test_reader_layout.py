"""Pure tests of the reading pane's layout: wrapping, cell widths, offset mapping, Markdown."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from folio_reader.index.corpus import canonical_text, paragraphs
from folio_reader.tui import layout as lay
from folio_reader.tui.layout import TAB_SIZE, WIDE_STANDIN, DocLayout, RowIndex, row_cells, wrap


def rows_text(text: str, width: int) -> list[str]:
    rows = wrap(text, 0, len(text), width)
    return [text[a:b] for a, b in zip(rows, [*rows[1:], len(text)], strict=False)]


def check_rows(text: str, start: int, end: int, width: int) -> None:
    """Every row is contiguous, fits its width (plus one hanging space) and measures true."""
    rows = wrap(text, start, end, width)
    assert rows[0] == start
    assert all(a < b for a, b in itertools.pairwise(rows))
    bounds = [*rows[1:], end]
    for a, b in zip(rows, bounds, strict=False):
        cells = row_cells(text, a, b, width)
        assert cells, (a, b)
        assert cells[0].offset == a and cells[-1].end == b
        assert all(c.end == d.offset for c, d in itertools.pairwise(cells))
        for cell in cells:
            assert cell_len(cell.text) == cell.width >= 1
        total = sum(c.width for c in cells)
        assert cell_len("".join(c.text for c in cells)) == total
        if total > width:  # only a single hanging whitespace may pass the measure
            assert total == width + 1 and text[cells[-1].offset] in " \t\n" and cells[-1].width == 1


# -- wrapping -------------------------------------------------------------------------------------


def test_wraps_at_word_boundaries() -> None:
    assert rows_text("hello world foo bar", 11) == ["hello world ", "foo bar"]
    assert rows_text("hello world foo bar", 5) == ["hello ", "world ", "foo ", "bar"]
    assert rows_text("a bb ccc dddd", 100) == ["a bb ccc dddd"]


def test_breaks_long_words_between_characters() -> None:
    assert rows_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert rows_text("xx abcdefghij", 4) == ["xx ", "abcd", "efgh", "ij"]
    assert rows_text("naïvê café", 3) == ["naï", "vê ", "caf", "é"]


def test_wide_characters_never_split_or_overflow() -> None:
    assert rows_text("中文字", 3) == ["中", "文", "字"]
    assert rows_text("中文字", 4) == ["中文", "字"]
    assert rows_text("a😀b", 2) == ["a", "😀", "b"]
    for width in range(1, 8):
        check_rows("漢字😀テキスト👨‍👩‍👧 ok", 0, len("漢字😀テキスト👨‍👩‍👧 ok"), width)


def test_width_one_draws_wide_characters_as_a_stand_in() -> None:
    text = "中a"
    cells = row_cells(text, 0, 1, 1)
    assert [c.text for c in cells] == [WIDE_STANDIN]
    assert rows_text(text, 1) == ["中", "a"]


def test_tabs_expand_to_stops_and_map_to_the_tab() -> None:
    text = "a\tb\t\tc"
    cells = row_cells(text, 0, len(text), 40)
    expected = [(0, 1), (1, TAB_SIZE - 1), (2, 1), (3, TAB_SIZE - 1), (4, TAB_SIZE), (5, 1)]
    assert [(c.offset, c.width) for c in cells] == expected
    assert all(c.text == " " * c.width for c in cells if text[c.offset] == "\t")
    layout = DocLayout(text, [(0, len(text))], 40)
    assert layout.locate(1) == (0, 1)
    for col in range(1, TAB_SIZE):
        assert layout.offset_at(0, col) == 1  # every cell of the tab maps to the tab


def test_tab_never_passes_the_measure() -> None:
    text = "abc\tdef"
    assert rows_text(text, 4) == ["abc\t", "def"]
    check_rows(text, 0, len(text), 4)
    check_rows("\t\t\tx", 0, 4, 3)


def test_newlines_inside_a_paragraph_are_spaces_unless_a_hard_break() -> None:
    assert rows_text("one\ntwo", 20) == ["one\ntwo"]
    cells = row_cells("one\ntwo", 0, 7, 20)
    assert "".join(c.text for c in cells) == "one two"
    assert rows_text("one  \ntwo", 20) == ["one  \n", "two"]


def test_hanging_space_and_trailing_whitespace() -> None:
    assert rows_text("abcd efgh", 4) == ["abcd ", "efgh"]
    check_rows("abcd efgh", 0, 9, 4)
    check_rows("ab      cd", 0, 10, 3)


def test_combining_marks_stay_with_their_base_and_lone_marks_get_a_cell() -> None:
    text = "e\u0301 \u0301x"
    cells = row_cells(text, 0, len(text), 10)
    assert [(c.offset, c.end, c.width) for c in cells] == [(0, 2, 1), (2, 3, 1), (3, 4, 1), (4, 5, 1)]
    assert cells[2].text == " \u0301"


def test_invisible_format_characters_take_no_cell() -> None:
    text = "a\u200db\u202ec\u00add"
    cells = row_cells(text, 0, len(text), 10)
    assert "".join(c.text for c in cells) == "abcd"
    assert [c.offset for c in cells] == [0, 2, 4, 6]


def test_control_characters_are_drawn_inert() -> None:
    text = "a\x1b[31mb\x07"  # not canonical: the layout must still be safe
    cells = row_cells(text, 0, len(text), 40)
    drawn = "".join(c.text for c in cells)
    assert "\x1b" not in drawn and "\x07" not in drawn
    assert cell_len(drawn) == sum(c.width for c in cells) == len(text)


# -- the property ---------------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    [
        *list("abcdefghij  .,;!?"),
        "\n",
        "\n\n",
        "\t",
        "中",
        "文",
        "字",
        "テ",
        "😀",
        "👍",
        "\u200d",
        "️",
        "❤",
        "́",
        "̈",
        "\u200b",
        "\u202e",
        "\xad",
        "\u3000",
        "\xa0",
        "ᅠ",
        "#",
        "*",
        "_",
        "`",
        "\x1b",
        "\x7f",
    ]
)
TEXTS = st.lists(ALPHABET, min_size=1, max_size=120).map("".join).map(canonical_text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, width=st.integers(min_value=1, max_value=120))
def test_every_offset_maps_to_a_cell_and_back(text: str, width: int) -> None:
    paras = paragraphs(text)
    layout = DocLayout(text, paras, width)
    if not paras:
        return
    for start, end in paras:
        check_rows(text, start, end, width)
    for offset in range(len(text) + 1):
        snapped = layout.snap(offset)
        y, col = layout.locate(offset)
        assert layout.offset_at(y, col) == snapped
        # a caret position is a cluster start inside a paragraph
        assert any(s <= snapped < e for s, e in paras)
        assert layout.snap(snapped) == snapped
    # stepping through clusters visits every caret position once, in order
    seen = [layout.snap(0)]
    while (nxt := layout.next_cluster(seen[-1])) != seen[-1]:
        seen.append(nxt)
    assert seen == sorted({layout.snap(o) for o in range(len(text))})
    assert [layout.prev_cluster(o) for o in seen[1:]] == seen[:-1]


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, width=st.integers(min_value=1, max_value=40))
def test_cells_map_back_to_offsets_that_map_to_them(text: str, width: int) -> None:
    """Every drawn cell maps to exactly one offset, and that offset is drawn from that cell on."""
    paras = paragraphs(text)
    layout = DocLayout(text, paras, width)
    for block in range(layout.block_count):
        for row in range(layout.row_count_of(block)):
            y = layout.block_row(block) + row
            col = 0
            for cell in layout.cells(block, row):
                for c in range(col, col + cell.width):
                    assert layout.offset_at(y, c) == cell.offset
                assert layout.locate(cell.offset) == (y, col)
                col += cell.width


# -- the lazy document layout ---------------------------------------------------------------------


def test_estimates_become_exact_and_only_move_later_rows() -> None:
    rng = random.Random(1)
    words = ["alpha", "be", "gamma", "中文", "δ", "epsilonic"]
    text = "\n\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(1, 80))) for _ in range(60))
    paras = paragraphs(text)
    layout = DocLayout(text, paras, 30)
    before = [layout.block_row(b) for b in range(layout.block_count)]
    layout.ensure_exact(10)
    after = [layout.block_row(b) for b in range(layout.block_count)]
    assert before[:11] == after[:11]
    for b in range(layout.block_count):
        layout.ensure_exact(b)
    exact = sum(len(wrap(text, s, e, 30)) for s, e in paras) + len(paras) - 1
    assert layout.row_count == exact


def test_long_paragraphs_are_wrapped_in_pieces() -> None:
    text = " ".join(["word"] * 20_000)  # ~100k characters, one paragraph
    layout = DocLayout(text, [(0, len(text))], 50)
    assert layout.block_count > 1
    assert all(not layout.gap_after(b) for b in range(layout.block_count))
    assert all(text[s - 1] == " " for s in layout.starts[1:])
    assert layout.block_row(layout.block_count - 1) > 0
    assert not layout.is_exact(layout.block_count // 2)
    y, col = layout.locate(len(text) - 1)
    assert layout.offset_at(y, col) == len(text) - 1


def test_long_paragraph_without_spaces_cuts_between_clusters() -> None:
    text = ("e\u0301中" * 20_000)[: 3 * 20_000]
    layout = DocLayout(text, [(0, len(text))], 7)
    for s in layout.starts[1:]:
        assert text[s] != "\u0301"


def test_row_index_matches_a_plain_list() -> None:
    rng = random.Random(5)
    heights = [rng.randint(1, 9) for _ in range(2000)]
    index = RowIndex(list(heights))
    for _ in range(300):
        i = rng.randrange(len(heights))
        heights[i] = rng.randint(1, 9)
        index.set(i, heights[i])
        j = rng.randrange(len(heights))
        assert index.start(j) == sum(heights[:j])
        y = rng.randrange(sum(heights))
        block, row = index.find(y)
        assert sum(heights[:block]) + row == y and row < heights[block]
    assert index.total == sum(heights)


def test_rows_step_over_separators() -> None:
    text = "one two three\n\nfour five"
    layout = DocLayout(text, paragraphs(text), 8)
    assert layout.step_row(0, 0, 1) == (0, 1)
    assert layout.step_row(0, 1, 1) == (1, 0)
    assert layout.step_row(1, 0, -1) == (0, 1)
    assert layout.step_row(0, 0, -3) == (0, 0)
    assert layout.offset_at(2, 0) == text.index("four")  # the blank row maps to the next block


# -- Markdown -------------------------------------------------------------------------------------


def kinds(text: str) -> set[tuple[str, str]]:
    return {(text[s:e], kind) for s, e, kind in lay.markdown_spans(text, 0, len(text))}


def test_heading_and_its_marker() -> None:
    spans = kinds("## A heading ##")
    assert ("## A heading ##", "heading") in spans
    assert ("## ", "marker") in spans and (" ##", "marker") in spans
    assert ("Title", "heading") in kinds("Title\n=====")
    assert ("=====", "marker") in kinds("Title\n=====")
    assert not any(k == "heading" for _, k in kinds("#hashtag is not a heading"))


def test_emphasis_strong_code_and_links() -> None:
    spans = kinds("a **bold** b *em* c _em2_ d `co*de*` e [text](http://x)")
    assert {("**bold**", "strong"), ("*em*", "emphasis"), ("_em2_", "emphasis"), ("co*de*", "code")} <= spans
    assert {("**", "marker"), ("*", "marker"), ("_", "marker"), ("`", "marker")} <= spans
    assert ("text", "link") in spans and ("[", "marker") in spans and ("](http://x)", "marker") in spans
    assert ("*de*", "emphasis") not in spans  # nothing is parsed inside code


def test_no_emphasis_inside_words_or_on_lone_stars() -> None:
    assert kinds("snake_case_name and 2 * 3 * 4") == set()
    assert ("- ", "marker") not in kinds("- item")  # the bullet alone is the marker
    assert ("-", "marker") in kinds("- item")


def test_markers_are_kept_in_the_text() -> None:
    text = "**b**"
    spans = lay.markdown_spans(text, 0, len(text))
    covered = {i for s, e, _ in spans for i in range(s, e)}
    assert covered == set(range(len(text)))
    assert "".join(c.text for c in row_cells(text, 0, len(text), 20)) == text


# -- navigation -----------------------------------------------------------------------------------


def test_word_moves() -> None:
    text = "Hello, brave new-world."
    assert lay.word_next(text, 0) == 5  # the comma is a word of punctuation
    assert lay.word_next(text, 5) == 7
    assert lay.word_end(text, 0) == 4
    assert lay.word_end(text, 4) == 5
    assert lay.word_prev(text, 9) == 7
    assert lay.word_prev(text, 7) == 5
    assert lay.word_prev(text, 0) == 0


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("One. Two three. Four", 6, "Two three."),
        ("Mr. Smith went to the U.S. on Monday. Then home.", 3, "Mr. Smith went to the U.S. on Monday."),
        ("He said “stop.” Then left.", 0, "He said “stop.”"),
        ("句子一。句子二。", 5, "句子二。"),
        ("v1.2 is out. Yes", 0, "v1.2 is out."),
        ("No end here", 4, "No end here"),
    ],
)
def test_sentence_bounds(text: str, offset: int, expected: str) -> None:
    s, e = lay.sentence_bounds(text, 0, len(text), offset)
    assert text[s:e] == expected


def test_next_sentence_start() -> None:
    text = "One. Two. Three"
    assert lay.next_sentence_start(text, 0, len(text), 0) == 5
    assert lay.next_sentence_start(text, 0, len(text), 5) == 10
    assert lay.next_sentence_start(text, 0, len(text), 11) is None


def test_paragraph_index_between_paragraphs_is_the_next() -> None:
    paras = [(0, 5), (7, 12)]
    assert lay.paragraph_index(paras, 3) == 0
    assert lay.paragraph_index(paras, 5) == 1
    assert lay.paragraph_index(paras, 100) == 1


def test_sentence_and_paragraph_steps_cross_paragraphs() -> None:
    text = "One. Two.\n\nThree. Four."
    paras = paragraphs(text)
    three = text.index("Three")
    assert lay.sentence_step(text, paras, 0, 1) == 5
    assert lay.sentence_step(text, paras, 5, 1) == three
    assert lay.sentence_step(text, paras, three, -1) == 5
    assert lay.sentence_step(text, paras, 6, -1) == 5
    assert lay.sentence_step(text, paras, 5, -1) == 0
    assert lay.sentence_step(text, paras, 0, -1) is None
    assert lay.sentence_step(text, paras, text.index("Four"), 1) is None
    assert lay.paragraph_step(paras, 2, 1) == three
    assert lay.paragraph_step(paras, three + 2, -1) == three
    assert lay.paragraph_step(paras, three, -1) == 0
    assert lay.paragraph_step(paras, three, 1) is None
    assert lay.paragraph_step([], 0, 1) is None
