"""`DocLayout`: the rows of a document at one width, wrapped lazily unit by unit.

Row numbers (`y`) count from the top of the document with every unit's height as currently
known: exact for units already drawn, estimated (from their length) for the rest, so opening a
35 MB document costs one pass over its blocks. Drawing a unit exactly never moves the rows above
it, only those below. A blank *separator row* follows a unit whose `gap` is set.

Offsets are canonical. The *caret positions* are the offsets of content cells (a hidden marker
is none: `snap` moves an offset onto the character shown at or after it).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from folio_reader.index.document import InlineKind, Structure
from folio_reader.index.lru import LRU

from . import plan
from .cells import Cell, usable
from .draw import Line, draw
from .markdown_styles import markdown_spans
from .motion import paragraph_index
from .pieces import piece_of
from .rowindex import RowIndex

#: Documents longer than this (in characters) are laid out as plain paragraphs.
LAYOUT_LIMIT = 4_000_000

_INLINE_STYLES = {
    InlineKind.EMPHASIS: "reader--emphasis",
    InlineKind.STRONG: "reader--strong",
    InlineKind.CODE: "reader--code",
    InlineKind.ROLE: "reader--code",
    InlineKind.LINK: "reader--link",
    InlineKind.IMAGE: "reader--link",
    InlineKind.STRIKE: "reader--strike",
}

StyleSpan = tuple[int, int, str]


@dataclass(slots=True)
class _Drawn:
    lines: list[Line]
    offsets: list[int]  #: content cell offsets of the unit, in order
    ends: list[int]
    line_of: list[int]  #: the line of each content cell


def _drawn(lines: list[Line]) -> _Drawn:
    offsets: list[int] = []
    ends: list[int] = []
    line_of: list[int] = []
    for i, line in enumerate(lines):
        for cell in line.cells:
            if cell.end > cell.offset:
                offsets.append(cell.offset)
                ends.append(cell.end)
                line_of.append(i)
    return _Drawn(lines, offsets, ends, line_of)


class DocLayout:
    """The rows of a document at one text width (see the module docstring).

    `view` is "layout" (the document as it is written when it has a structure, else its plain
    paragraphs) or "raw" (the canonical text line for line); `markers` shows inline markers.
    `note` says why a document with structure was laid out as plain paragraphs ("" if it was not).
    """

    def __init__(
        self,
        text: str,
        paragraphs: Sequence[tuple[int, int]],
        width: int,
        *,
        structure: Structure | None = None,
        view: str = "layout",
        markers: bool = False,
        like: DocLayout | None = None,
    ) -> None:
        """`like`: a layout of the same document and view at another width, whose plan (which
        does not depend on the width) is taken over."""
        self.text = text
        self.width = max(1, width)
        self.paragraphs = paragraphs
        self.note = ""
        units: Sequence[plan.Unit]
        self.units: Sequence[plan.Unit]
        self.starts: Sequence[int]
        self.ends: Sequence[int]
        #: Markdown markers styled in the text (as the plain layout does): documents read by the
        #: plain rule, whose blocks know no inline markup
        self._markdown_styles = view != "raw" and (structure is None or structure.format == "plain")
        if like is not None:
            units, self.note = like.units, like.note
        elif view == "raw":
            units = plan.raw(text)
        elif structure is not None and len(text) <= LAYOUT_LIMIT:
            units = plan.structured(text, structure, markers=markers)
            self.note = structure.fallback
        else:
            units = plan.plain(text, paragraphs)
            if structure is not None:
                self.note = (
                    f"plain layout: {len(text) / 1e6:.1f} M characters "
                    f"(documents up to {LAYOUT_LIMIT / 1e6:.0f} M are laid out as written)"
                )
        self.units = units
        room = usable(self.width)
        if isinstance(units, plan.ParagraphUnits):
            spans = units.paragraphs
            self.starts = like.starts if like is not None else [s for s, _ in spans]
            self.ends = like.ends if like is not None else [e for _, e in spans]
            heights = [-((s - e) // room) + 1 for s, e in spans]
            if heights:
                heights[-1] -= 1
        else:
            self.starts = like.starts if like is not None else [u.start for u in units]
            self.ends = like.ends if like is not None else [u.end for u in units]
            prose = (plan.TEXT, plan.PROSE)
            heights = [-((u.start - u.end) // room) + u.gap if u.kind in prose else self._estimate(u) for u in units]
        self.index = RowIndex(heights)
        self._exact = bytearray(len(units))
        self._drawn: LRU[int, _Drawn] = LRU(1024)

    def _estimate(self, unit: plan.Unit) -> int:
        if unit.kind in (plan.LINES,):
            rows = self.text.count("\n", unit.start, unit.end - 1) + 1
        elif unit.kind == plan.TABLE:
            rows = len(unit.block.rows) + 1 if unit.block is not None else 1
        elif unit.kind in (plan.RULE, plan.LABEL):
            rows = 1
        else:
            rows = -((unit.start - unit.end) // usable(self.width))
        return max(1, rows) + unit.gap

    # units

    @property
    def block_count(self) -> int:
        return len(self.units)

    @property
    def row_count(self) -> int:
        return self.index.total

    def para_of(self, block: int) -> int:
        return self.units[block].head

    def gap_after(self, block: int) -> bool:
        return self.units[block].gap

    def is_exact(self, block: int) -> bool:
        return bool(self._exact[block])

    def block_of(self, offset: int) -> int:
        """The unit holding offset, or the next one when offset is between units."""
        b = bisect_right(self.starts, offset) - 1
        if b < 0:
            return 0
        if offset >= self.ends[b] and b + 1 < len(self.starts):
            return b + 1
        return b

    def _get(self, block: int) -> _Drawn:
        drawn = self._drawn.get(block)
        if drawn is None:
            drawn = _drawn(draw(self.text, self.units[block], self.width))
            self._drawn.set(block, drawn)
            if not self._exact[block]:
                self._exact[block] = 1
                self.index.set(block, len(drawn.lines) + self.units[block].gap)
        return drawn

    def lines(self, block: int) -> list[Line]:
        """The display rows of a unit, drawing it (and fixing its height) if needed."""
        return self._get(block).lines

    def ensure_exact(self, block: int) -> int:
        """Draw a unit exactly; returns how much its height changed."""
        if self._exact[block]:
            return 0
        before = self.index.height(block)
        self._get(block)
        return self.index.height(block) - before

    def block_row(self, block: int) -> int:
        return self.index.start(block)

    def find(self, y: int) -> tuple[int, int]:
        """(unit, row in unit) at document row y; a row past the unit's rows is its separator."""
        return self.index.find(y)

    def row_count_of(self, block: int) -> int:
        """Display rows of a unit (not counting its separator)."""
        return len(self.lines(block))

    def cells(self, block: int, row: int) -> list[Cell]:
        lines = self.lines(block)
        return lines[row].cells if row < len(lines) else []

    def continued(self, block: int, row: int) -> bool:
        """The row continues a verbatim line cut at the measure."""
        lines = self.lines(block)
        return row < len(lines) and lines[row].continued

    def row_span(self, block: int, row: int) -> tuple[int, int] | None:
        """Canonical offsets of the text a row shows, or None for a row with none (a separator,
        a table's rule)."""
        content = [c for c in self.cells(block, row) if c.end > c.offset]
        if not content:
            return None
        return content[0].offset, max(c.end for c in content)

    def styles(self, block: int) -> list[StyleSpan]:
        """Style spans of a unit (canonical start, end, component class), in the order to apply."""
        unit = self.units[block]
        b = unit.block if unit.block is None else piece_of(unit.block, unit.start, unit.end)
        out: list[StyleSpan] = [(unit.start, unit.end, unit.style)] if unit.style else []
        if self._markdown_styles and unit.kind in (plan.TEXT, plan.PROSE, plan.LINES):
            spans = markdown_spans(self.text, unit.start, unit.end, paragraph_start=unit.head == block)
            out.extend((s, e, "reader--" + kind) for s, e, kind in spans)
        if b is None:
            return out
        if b.header_rows and b.rows and unit.kind == plan.TABLE:
            out.extend((s, e, "reader--table-header") for row in b.rows[: b.header_rows] for s, e in row)
        out.extend(
            (i.start, i.end, _INLINE_STYLES[i.kind]) for i in b.inlines if i.end > unit.start and i.start < unit.end
        )
        if unit.kind == plan.TEXT or (unit.kind == plan.LINES and not unit.display):
            out.extend((s, e, "reader--marker") for s, e in b.hidden if e > unit.start and s < unit.end)
        return out

    # caret positions

    def _content_unit(self, block: int, step: int) -> int | None:
        """The first unit from `block` on (step 1) or back (step -1) with content."""
        while 0 <= block < len(self.units):
            if self._get(block).offsets:
                return block
            block += step
        return None

    def snap(self, offset: int) -> int:
        """The caret position for an offset: the content cell showing it, or the next one."""
        if not self.units:
            return 0
        b = self.block_of(offset)
        found = self._content_unit(b, 1)
        if found is None:
            found = self._content_unit(b, -1)
            if found is None:
                return 0
            return self._get(found).offsets[-1]
        drawn = self._get(found)
        i = bisect_right(drawn.ends, offset)
        if i >= len(drawn.offsets):
            return drawn.offsets[-1]
        return drawn.offsets[i] if found == b else drawn.offsets[0]

    def _position(self, offset: int) -> tuple[int, int]:
        """(unit, index of its content cell) of a caret position."""
        offset = self.snap(offset)
        b = self.block_of(offset)
        found = self._content_unit(b, 1)
        if found is None:
            found = self._content_unit(b, -1)
        assert found is not None
        drawn = self._get(found)
        return found, max(0, min(bisect_right(drawn.offsets, offset) - 1, len(drawn.offsets) - 1))

    def next_cluster(self, offset: int) -> int:
        if not self.units or self._content_unit(0, 1) is None:
            return offset
        b, i = self._position(offset)
        drawn = self._get(b)
        if i + 1 < len(drawn.offsets):
            return drawn.offsets[i + 1]
        nxt = self._content_unit(b + 1, 1)
        return self._get(nxt).offsets[0] if nxt is not None else drawn.offsets[i]

    def prev_cluster(self, offset: int) -> int:
        if not self.units or self._content_unit(0, 1) is None:
            return offset
        b, i = self._position(offset)
        drawn = self._get(b)
        if i > 0:
            return drawn.offsets[i - 1]
        before = self._content_unit(b - 1, -1)
        return self._get(before).offsets[-1] if before is not None else drawn.offsets[i]

    def cluster_end(self, offset: int) -> int:
        """The end of the content cell at offset."""
        if not self.units or self._content_unit(0, 1) is None:
            return 0
        b, i = self._position(offset)
        return self._get(b).ends[i]

    @property
    def last_offset(self) -> int:
        last = self._content_unit(len(self.units) - 1, -1)
        return self._get(last).offsets[-1] if last is not None else 0

    def row_of(self, offset: int) -> tuple[int, int]:
        """(unit, row in unit) of the row showing offset."""
        if not self.units:
            return 0, 0
        if self._content_unit(0, 1) is None:
            return self.block_of(offset), 0
        b, i = self._position(offset)
        return b, self._get(b).line_of[i]

    def col_of(self, offset: int) -> int:
        """The first cell of offset in its row."""
        offset = self.snap(offset)
        b, r = self.row_of(offset)
        col = 0
        for cell in self.cells(b, r):
            if cell.end > cell.offset and cell.offset <= offset < cell.end:
                return col
            col += cell.width
        return col

    def locate(self, offset: int) -> tuple[int, int]:
        """(document row, cell) of an offset."""
        b, r = self.row_of(offset)
        return self.block_row(b) + r, self.col_of(offset)

    def offset_in_row(self, block: int, row: int, col: int) -> int:
        """The offset drawn at a cell of a row (past the end: the row's last cell's)."""
        cells = self.cells(block, row)
        if not cells:  # a separator row: the start of the next unit
            if block + 1 < len(self.starts):
                return self.snap(self.starts[block + 1])
            return self.last_offset
        x = 0
        for cell in cells:
            if col < x + cell.width:
                return self.snap(cell.offset)
            x += cell.width
        return self.snap(cells[-1].offset)

    def offset_at(self, y: int, col: int) -> int:
        if not self.units:
            return 0
        b, r = self.find(y)
        self.lines(b)
        return self.offset_in_row(b, r, col)

    def _has_text(self, block: int, row: int) -> bool:
        return any(c.end > c.offset for c in self.cells(block, row))

    def step_row(self, block: int, row: int, delta: int) -> tuple[int, int]:
        """The row with text `delta` rows away (separators and rows of decoration only are
        skipped), clamped to the document."""
        step = 1 if delta > 0 else -1
        for _ in range(abs(delta)):
            b, r = block, row
            while True:
                if step > 0:
                    if r + 1 < self.row_count_of(b):
                        r += 1
                    elif b + 1 < len(self.units):
                        b, r = b + 1, 0
                    else:
                        break
                elif r > 0:
                    r = min(r, self.row_count_of(b)) - 1
                elif b > 0:
                    b -= 1
                    r = self.row_count_of(b) - 1
                else:
                    break
                if self._has_text(b, r):
                    block, row = b, r
                    break
        return block, row

    # paragraphs

    def paragraph_at(self, offset: int) -> tuple[int, int] | None:
        if not self.paragraphs:
            return None
        return self.paragraphs[paragraph_index(self.paragraphs, offset)]
