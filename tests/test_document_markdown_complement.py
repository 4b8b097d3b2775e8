"""The hidden ranges of a Markdown block (`markdown._complement`, made without sorting and
merging twice): what `merge_ranges` gives for the gaps between the visible ranges."""

from __future__ import annotations

import itertools

from hypothesis import example, given
from hypothesis import strategies as st

from folio_reader.index.document.markdown import _complement
from folio_reader.index.document.model import merge_ranges


def _gaps_merged(lo: int, hi: int, visible: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The gaps, each then sorted and merged by `merge_ranges` (as before)."""
    hidden: list[tuple[int, int]] = []
    at = lo
    for s, e in sorted(visible):
        if s > at:
            hidden.append((at, s))
        at = max(at, e)
    if at < hi:
        hidden.append((at, hi))
    return merge_ranges(hidden)


_RANGE = st.tuples(st.integers(0, 40), st.integers(0, 40))


@given(st.integers(0, 40), st.integers(0, 40), st.lists(_RANGE, max_size=8))
@example(lo=0, hi=10, visible=[(3, 3), (5, 6)])  # an empty visible range: the gaps touch, one range
@example(lo=0, hi=10, visible=[(2, 8), (4, 3)])  # a range ending before it starts
def test_the_hidden_ranges_are_the_merged_gaps(lo: int, hi: int, visible: list[tuple[int, int]]) -> None:
    assert _complement(lo, hi, visible) == _gaps_merged(lo, hi, visible)


def test_gaps_between_visible_text() -> None:
    assert _complement(0, 20, [(2, 5), (5, 9), (12, 15)]) == ((0, 2), (9, 12), (15, 20))
    assert _complement(0, 10, [(3, 3), (6, 6)]) == ((0, 10),)


@given(st.lists(_RANGE, max_size=10))
def test_merged_ranges_are_sorted_apart_and_cover_the_same_offsets(ranges: list[tuple[int, int]]) -> None:
    merged = merge_ranges(ranges)
    assert all(s < e for s, e in merged)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(merged))
    assert {i for s, e in merged for i in range(s, e)} == {i for s, e in ranges for i in range(s, e)}
