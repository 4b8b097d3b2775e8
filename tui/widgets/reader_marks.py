"""The reader's highlight layers and margin marks, and a row's cells painted into segments.

Pure (no Textual): a `Layer` is one set of highlighted spans with their styles; `Marks` the
margin texts of one layer (`margin_text` those of a row); `changed_spans` the offsets whose
selected state differs between two selections (the rows to draw again); `paint` a row's cells
with the style spans over their canonical offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style

from folio_reader.tui.layout import Cell

HighlightSpan = tuple[int, int] | tuple[int, int, "str | Style"]
StyleSpec = str | Style


@dataclass
class Layer:
    """One set of highlight spans, sorted by start, with running maximum ends for lookups."""

    starts: list[int]
    ends: list[int]
    styles: list[StyleSpec]
    order: list[int]  #: index in the caller's list of each sorted span
    current: int | None
    max_ends: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, spans: Sequence[HighlightSpan], style: StyleSpec, current: int | None) -> Layer:
        items = sorted(
            ((int(span[0]), int(span[1]), span[2] if len(span) > 2 else style, i) for i, span in enumerate(spans)),
            key=lambda item: (item[0], item[1]),
        )
        items = [item for item in items if item[1] > item[0]]
        layer = cls(
            starts=[item[0] for item in items],
            ends=[item[1] for item in items],
            styles=[item[2] for item in items],
            order=[item[3] for item in items],
            current=current,
        )
        layer.max_ends = list(accumulate(layer.ends, max))
        return layer

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, StyleSpec, bool]]:
        """(start, end, style, is_current) of the spans meeting [start, end)."""
        first = bisect_right(self.max_ends, start)
        last = bisect_left(self.starts, end)
        for i in range(first, last):
            if self.ends[i] > start:
                yield self.starts[i], self.ends[i], self.styles[i], self.order[i] == self.current


@dataclass
class Marks:
    offsets: list[int]
    texts: list[str]
    styles: list[StyleSpec]


def changed_spans(old: tuple[int, int] | None, new: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Offset ranges whose selected state differs between two selections."""
    if old == new:
        return []
    if old is None or new is None:
        return [span for span in (old, new) if span is not None]
    return [(min(old[0], new[0]), max(old[0], new[0])), (min(old[1], new[1]), max(old[1], new[1]))]


def margin_text(layers: Iterable[Marks], start: int, end: int) -> tuple[str, StyleSpec] | None:
    """The margin text of a row showing offsets [start, end): its marks' texts, each once."""
    texts: list[str] = []
    spec: StyleSpec | None = None
    for marks in layers:
        lo = bisect_left(marks.offsets, start)
        hi = bisect_left(marks.offsets, end)
        for i in range(lo, hi):
            if marks.texts[i] not in texts:
                texts.append(marks.texts[i])
                spec = spec or marks.styles[i]
    if not texts:
        return None
    return " ".join(texts), spec or "reader--margin"


def paint(
    cells: list[Cell], spans: list[tuple[int, int, Style]], base: Style, style_of: Callable[[str], Style]
) -> list[Segment]:
    """A row's cells as segments: text cells styled by the spans over their offsets (in order),
    decorations (a bullet, a bar, a table's rules) by their own component class."""
    segments: list[Segment] = []
    run_text: list[str] = []
    run_style: Style | None = None
    for cell in cells:
        style = base
        if cell.end == cell.offset:
            if cell.style:
                style = style + style_of(cell.style)
        else:
            for s, e, st in spans:
                if s <= cell.offset < e:
                    style = style + st
        if style != run_style and run_text:
            segments.append(Segment("".join(run_text), run_style))
            run_text = []
        run_style = style
        run_text.append(cell.text)
    if run_text:
        segments.append(Segment("".join(run_text), run_style))
    return segments
