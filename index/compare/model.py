"""What a comparison of two documents is: aligned pairs, only-here paragraphs, shared quotes.

`Comparison` holds what `compare` found, as (start, end) code-point offsets into the two
canonical texts (`Document.text`), and looks up the counterparts of a paragraph by offset.

`comparison_to_data` / `comparison_from_data` convert to and from JSON-ready data (the cache's
files); `to_json` adds the two documents (`folio compare --json`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from folio_reader.index.corpus import Document

Span = tuple[int, int]
#: Which document of a comparison: "a" (the first) or "b".
SideName = Literal["a", "b"]


@dataclass(frozen=True, slots=True)
class Pair:
    """Two counterpart paragraphs, as spans of their canonical texts, and their similarity."""

    a: Span
    b: Span
    score: float

    def span(self, side: SideName) -> Span:
        """The paragraph of this pair in `side`'s document."""
        return self.a if side == "a" else self.b


@dataclass(frozen=True, slots=True)
class SharedQuote:
    """A maximal run of words found in both documents, with all its occurrences in each.

    `text` is the run as it reads at its first occurrence in A, whitespace collapsed.
    """

    text: str
    a: list[Span]
    b: list[Span]

    def spans(self, side: SideName) -> list[Span]:
        """The occurrences of this quote in `side`'s document."""
        return self.a if side == "a" else self.b


@dataclass(slots=True)
class _SideIndex:
    """The paragraphs of one side that have counterparts, for lookups by offset."""

    starts: list[int]
    spans: list[Span]
    pairs: dict[Span, list[Pair]]

    @classmethod
    def build(cls, pairs: list[Pair], side: SideName) -> _SideIndex:
        grouped: dict[Span, list[Pair]] = defaultdict(list)
        for pair in pairs:
            grouped[pair.span(side)].append(pair)
        for group in grouped.values():
            group.sort(key=lambda p: -p.score)
        spans = sorted(grouped)
        return cls([s for s, _ in spans], spans, dict(grouped))

    def lookup(self, offset: int) -> list[Pair]:
        at = bisect.bisect_right(self.starts, offset) - 1
        if at < 0 or offset > self.spans[at][1]:
            return []
        return list(self.pairs[self.spans[at]])


@dataclass(slots=True)
class Comparison:
    """What `compare` found; all spans are (start, end) offsets into the canonical texts."""

    alignment: list[Pair]
    only_in_a: list[Span]
    only_in_b: list[Span]
    shared_quotes: list[SharedQuote]
    _by_a: _SideIndex | None = field(default=None, init=False, repr=False, compare=False)
    _by_b: _SideIndex | None = field(default=None, init=False, repr=False, compare=False)

    def counterparts_in_b(self, offset_in_a: int) -> list[Pair]:
        """The pairs of the paragraph of A that contains `offset_in_a`, best first."""
        if self._by_a is None:
            self._by_a = _SideIndex.build(self.alignment, "a")
        return self._by_a.lookup(offset_in_a)

    def counterparts_in_a(self, offset_in_b: int) -> list[Pair]:
        """The pairs of the paragraph of B that contains `offset_in_b`, best first."""
        if self._by_b is None:
            self._by_b = _SideIndex.build(self.alignment, "b")
        return self._by_b.lookup(offset_in_b)


# -- JSON ---------------------------------------------------------------------------------------


def comparison_to_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data (lists, numbers, strings)."""
    return {
        "alignment": [{"a": list(p.a), "b": list(p.b), "score": p.score} for p in comparison.alignment],
        "only_in_a": [list(s) for s in comparison.only_in_a],
        "only_in_b": [list(s) for s in comparison.only_in_b],
        "shared_quotes": [
            {"text": q.text, "a": [list(s) for s in q.a], "b": [list(s) for s in q.b]} for q in comparison.shared_quotes
        ],
    }


def _span(value: Any) -> Span:
    start, end = value
    return int(start), int(end)


def comparison_from_data(data: dict[str, Any]) -> Comparison:
    """The inverse of `comparison_to_data`; raises KeyError, TypeError or ValueError if malformed."""
    return Comparison(
        alignment=[Pair(_span(p["a"]), _span(p["b"]), float(p["score"])) for p in data["alignment"]],
        only_in_a=[_span(s) for s in data["only_in_a"]],
        only_in_b=[_span(s) for s in data["only_in_b"]],
        shared_quotes=[
            SharedQuote(str(q["text"]), [_span(s) for s in q["a"]], [_span(s) for s in q["b"]])
            for q in data["shared_quotes"]
        ],
    )


def to_json(comparison: Comparison, a_doc: Document, b_doc: Document) -> dict[str, Any]:
    """The comparison as a JSON-ready dict; offsets are into the canonical texts."""
    return {
        "a": {"path": a_doc.rel, "title": a_doc.meta.title},
        "b": {"path": b_doc.rel, "title": b_doc.meta.title},
        **comparison_to_data(comparison),
    }
