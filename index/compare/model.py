"""What a comparison of two documents is: aligned pairs, only-here paragraphs, shared quotes.

`Comparison` holds what `compare` found, as (start, end) code-point offsets into the two
canonical texts (`Document.text`). `Comparison.side("a")` (or `"b"`) is the comparison seen from
one document (a `ComparisonSide`): the counterparts of its paragraph at an offset (its own span
as `mine`, the other document's as `theirs`), its only-here paragraphs, its occurrences of the
shared quotes, and the next of those from an offset. A reader of a comparison asks a side
instead of branching on which document it is showing.

`comparison_to_data` / `comparison_from_data` convert to and from JSON-ready data (the cache's
files); `to_json` adds the two documents (`folio compare --json`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from folio_reader.index.corpus import Document

Span = tuple[int, int]
#: Which document of a comparison: "a" (the first) or "b".
SideName = Literal["a", "b"]
SIDES: tuple[SideName, SideName] = ("a", "b")


def other_side(side: SideName) -> SideName:
    return "b" if side == "a" else "a"


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


@dataclass(frozen=True, slots=True)
class Counterpart:
    """A pair seen from one side: the paragraph here (`mine`), the one there, their score."""

    mine: Span
    theirs: Span
    score: float


@dataclass(frozen=True, order=True, slots=True)
class Occurrence:
    """One occurrence of a shared quote in one document: its span and the quote's index."""

    start: int
    end: int
    quote: int


@dataclass(slots=True)
class Comparison:
    """What `compare` found; all spans are (start, end) offsets into the canonical texts."""

    alignment: list[Pair]
    only_in_a: list[Span]
    only_in_b: list[Span]
    shared_quotes: list[SharedQuote]
    _sides: dict[SideName, ComparisonSide] = field(default_factory=dict, init=False, repr=False, compare=False)

    def side(self, name: SideName) -> ComparisonSide:
        """The comparison seen from document `name` (made on first use, then kept)."""
        found = self._sides.get(name)
        if found is None:
            found = self._sides[name] = ComparisonSide(self, name)
        return found


class ComparisonSide:
    """A comparison seen from one of its documents (see the module docstring)."""

    def __init__(self, comparison: Comparison, name: SideName) -> None:
        self.comparison = comparison
        self.name = name
        #: the paragraphs of this document with no counterpart, in text order
        self.only_here = comparison.only_in_a if name == "a" else comparison.only_in_b
        grouped: dict[Span, list[Counterpart]] = defaultdict(list)
        for pair in comparison.alignment:
            mine = pair.span(name)
            grouped[mine].append(Counterpart(mine, pair.span(other_side(name)), pair.score))
        for group in grouped.values():
            group.sort(key=lambda c: -c.score)
        self._paired = sorted(grouped)
        self._paired_starts = [start for start, _ in self._paired]
        self._counterparts = dict(grouped)
        self._only_starts = [start for start, _ in self.only_here]
        #: every occurrence of every shared quote in this document, in text order
        self.occurrences = sorted(
            Occurrence(start, end, n)
            for n, quote in enumerate(comparison.shared_quotes)
            for start, end in quote.spans(name)
        )
        self._occurrence_starts = [o.start for o in self.occurrences]

    @property
    def other(self) -> ComparisonSide:
        return self.comparison.side(other_side(self.name))

    def counterparts(self, offset: int) -> list[Counterpart]:
        """The counterparts of this document's paragraph that holds `offset`, best first."""
        at = bisect_right(self._paired_starts, offset) - 1
        if at < 0 or offset > self._paired[at][1]:
            return []
        return list(self._counterparts[self._paired[at]])

    def quote_spans(self, index: int) -> list[Span]:
        """Where shared quote `index` occurs in this document."""
        return self.comparison.shared_quotes[index].spans(self.name)

    def next_only_here(self, offset: int, step: int) -> tuple[Span, bool] | None:
        """The only-here paragraph after `offset` (`step` > 0) or before the paragraph holding
        it, and whether the search wrapped round an end; None when there is none at all."""
        if step < 0:
            at = bisect_right(self._only_starts, offset) - 1
            if at >= 0 and offset < self.only_here[at][1]:
                offset = self.only_here[at][0]  # inside one: the one before it
        found = _step(self._only_starts, offset, step)
        return None if found is None else (self.only_here[found[0]], found[1])

    def next_occurrence(self, offset: int, step: int) -> tuple[Occurrence, bool] | None:
        """The occurrence of a shared quote starting after `offset` (`step` > 0) or before it,
        and whether the search wrapped round an end; None when there is none at all."""
        found = _step(self._occurrence_starts, offset, step)
        return None if found is None else (self.occurrences[found[0]], found[1])


def _step(starts: list[int], offset: int, step: int) -> tuple[int, bool] | None:
    """The index of the first start after `offset` (step > 0) or the last before it, wrapping
    round to the other end (the bool says so); None when `starts` is empty."""
    if not starts:
        return None
    at = bisect_right(starts, offset) if step > 0 else bisect_left(starts, offset) - 1
    if 0 <= at < len(starts):
        return at, False
    return (0 if step > 0 else len(starts) - 1), True


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
