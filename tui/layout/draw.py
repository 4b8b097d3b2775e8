"""A layout unit -> its display rows at a width: cells mapped to canonical offsets, decorations.

Prose is wrapped at whitespace (`cells.wrap`); verbatim lines are never reflowed, a line wider
than the measure is cut between clusters and its continuation rows are marked (`Line.continued`,
drawn in the margin); a table is drawn as aligned columns, measured in cells, its widest
columns narrowed and their cells wrapped when it is wider than the measure, else as its lines. Every content cell maps to the canonical offset of the character it
shows (through `index.document.render`'s `Display` when markers are hidden); a decoration maps
to the content cell before it on its row (the first after it when there is none), so a click
anywhere lands on text.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from rich.cells import cell_len

from folio_reader.index.document import Display, render

from .cells import Cell, row_cells, wrap
from .pieces import piece_of
from .plan import LABEL, LINES, PROSE, RULE, TABLE, TEXT, Deco, Unit, deco_width

#: Room given to a verbatim line before it is cut into rows (tabs measured from the line's start).
_UNBOUNDED = 1 << 30
_COLUMN_GAP = " │ "
#: How offsets in a drawn string become canonical: a shift, or a block's display.
Offsets = int | Display


class Line(NamedTuple):
    """A display row: its cells (content and decoration), and whether it continues a verbatim
    line cut at the measure."""

    cells: list[Cell]
    continued: bool = False


def draw(text: str, unit: Unit, width: int) -> list[Line]:
    """The rows of a unit at `width` cells (at least one row, maybe with no content)."""
    room = max(1, width - max(deco_width(unit.first), deco_width(unit.rest)))
    if unit.kind == TEXT:
        lines = _prose_lines(text, unit.start, unit.end, room, 0, hard_breaks=False)
    elif unit.kind == PROSE:
        disp = _display(text, unit)
        lines = _prose_lines(disp.text, 0, len(disp.text), room, disp, hard_breaks=True)
    elif unit.kind == LINES:
        if unit.display:
            disp = _display(text, unit)
            lines = _verbatim_lines(disp.text, room, disp)
        else:
            lines = _verbatim_lines(text[unit.start : unit.end], room, unit.start)
    elif unit.kind == TABLE:
        lines = _table_lines(text, unit, room) or _verbatim_lines(text[unit.start : unit.end], room, unit.start)
    elif unit.kind == RULE:
        lines = [Line([Cell(unit.start, unit.start, "─" * min(room, 40), min(room, 40), "reader--rule")])]
    else:
        assert unit.kind == LABEL
        return _anchor(_label_lines(unit, width), unit.end)
    if not lines:
        lines = [Line([])]
    decorated = [_decorate(line, unit.first if i == 0 else unit.rest) for i, line in enumerate(lines)]
    return _anchor(decorated, unit.end)


def _display(text: str, unit: Unit) -> Display:
    block = unit.block
    assert block is not None
    if unit.start == block.start and unit.end == block.end:
        return render(text, block)
    return render(text, piece_of(block, unit.start, unit.end), unit.start, unit.end)


def _mapped(cells: list[Cell], to: Offsets) -> list[Cell]:
    """Cells of a display string with their offsets made canonical: shifted, or through a
    block's display (its runs walked once, in step with the cells)."""
    if isinstance(to, int):
        return cells if to == 0 else [Cell(c.offset + to, c.end + to, c.text, c.width) for c in cells]
    runs_d, runs_c = to.runs_d, to.runs_c
    if len(runs_d) == 1:
        return _mapped(cells, runs_c[0] - runs_d[0])
    out: list[Cell] = []
    last_run = len(runs_d) - 1
    i = max(0, bisect_right(runs_d, cells[0].offset) - 1) if cells else 0
    for c in cells:
        d = c.offset
        while i < last_run and runs_d[i + 1] <= d:
            i += 1
        start = runs_c[i] + d - runs_d[i]
        if c.end - d == 1:
            out.append(Cell(start, start + 1, c.text, c.width))
            continue
        j, e = i, c.end - 1
        while j < last_run and runs_d[j + 1] <= e:
            j += 1
        out.append(Cell(start, runs_c[j] + e - runs_d[j] + 1, c.text, c.width))
    return out


def _prose_lines(s: str, start: int, end: int, room: int, to: Offsets, *, hard_breaks: bool) -> list[Line]:
    """s[start:end] wrapped at `room`. With `hard_breaks` (a display, whose whitespace is already
    one space) a newline ends its row; in the canonical text `wrap` takes a newline as a space."""
    lines: list[Line] = []
    at = start
    while at < end:
        nl = s.find("\n", at, end) if hard_breaks else -1
        stop = end if nl < 0 else nl + 1
        rows = wrap(s, at, stop, room)
        for a, b in zip(rows, [*rows[1:], stop], strict=False):
            lines.append(Line(_mapped(row_cells(s, a, b, room), to)))
        at = stop
    return lines


def _verbatim_lines(s: str, room: int, to: Offsets) -> list[Line]:
    """s line for line; a line wider than `room` continues on the next rows, marked."""
    lines: list[Line] = []
    at, n = 0, len(s)
    while at < n:
        nl = s.find("\n", at)
        stop = n if nl < 0 else nl + 1
        row: list[Cell] = []
        col = 0
        continued = False
        for cell in row_cells(s, at, stop, _UNBOUNDED):
            hangs = cell.text == " " and cell.offset == stop - 1 and s[cell.offset] == "\n"
            if row and col + cell.width > room and not hangs:
                lines.append(Line(_mapped(row, to), continued))
                row, col, continued = [], 0, True
            row.append(cell)
            col += cell.width
        lines.append(Line(_mapped(row, to), continued))
        at = stop
    return lines


def _table_lines(text: str, unit: Unit, room: int) -> list[Line] | None:
    """The table as aligned columns; when it is wider than `room`, its widest columns narrowed
    and their cells wrapped inside them (`_narrowed`). None when even that does not fit, or a
    cell has a line break: the table is then drawn as its lines."""
    block = unit.block
    assert block is not None
    grid: list[list[Display]] = []
    for row in block.rows:
        displays = [render(text, block, start, end) for start, end in row]
        if any("\n" in d.text for d in displays):
            return None
        grid.append(displays)
    columns = max(len(r) for r in grid)
    natural = [0] * columns
    for displays in grid:
        for i, disp in enumerate(displays):
            natural[i] = max(natural[i], cell_len(disp.text))
    widths = _narrowed(natural, room - len(_COLUMN_GAP) * (columns - 1))
    if widths is None:
        return None
    lines: list[Line] = []
    for r, displays in enumerate(grid):
        wrapped = [_cell_rows(disp, widths[i]) for i, disp in enumerate(displays)]
        for k in range(max((len(w) for w in wrapped), default=1)):
            out: list[Cell] = []
            for i in range(columns):
                cells = wrapped[i][k] if i < len(wrapped) and k < len(wrapped[i]) else []
                if i:
                    out.append(Cell(-1, -1, _COLUMN_GAP, len(_COLUMN_GAP), "reader--table-rule"))
                out.extend(cells)
                pad = widths[i] - sum(c.width for c in cells)
                if pad > 0 and i < columns - 1:
                    out.append(Cell(-1, -1, " " * pad, pad, ""))
            lines.append(Line(out))
        if r + 1 == block.header_rows and r + 1 < len(grid):
            rule = "─┼─".join("─" * w for w in widths)
            lines.append(Line([Cell(-1, -1, rule, cell_len(rule), "reader--table-rule")]))
    return lines


#: A column is narrowed to no fewer cells than this (or its own width, when less).
_MIN_COLUMN = 8


def _narrowed(natural: list[int], room: int) -> list[int] | None:
    """Column widths that fit `room`: the natural ones when they do, else the widest columns cut
    to one width (the cells left over shared out), so that narrow columns keep theirs; None when
    the columns cannot have `_MIN_COLUMN` cells each."""
    if sum(natural) <= room:
        return natural
    if sum(min(w, _MIN_COLUMN) for w in natural) > room:
        return None
    left, narrow = room, 0
    ordered = sorted(natural)
    for k, w in enumerate(ordered):
        if w * (len(ordered) - k) > left:
            narrow = left // (len(ordered) - k)
            break
        left -= w
    if narrow < _MIN_COLUMN:
        return None
    widths = [min(w, narrow) for w in natural]
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -natural[i]):
        if spare <= 0:
            break
        if natural[i] > widths[i]:
            widths[i] += 1
            spare -= 1
    return widths


def _cell_rows(disp: Display, width: int) -> list[list[Cell]]:
    """A cell's display wrapped at `width`, each row's cells mapped to canonical offsets (a
    space hanging past the width left out)."""
    s = disp.text
    if not s:
        return []
    starts = wrap(s, 0, len(s), width)
    rows: list[list[Cell]] = []
    for a, b in zip(starts, [*starts[1:], len(s)], strict=True):
        cells = row_cells(s, a, b, width)
        while cells and sum(c.width for c in cells) > width and cells[-1].text.isspace():
            cells.pop()
        if cells:
            rows.append(_mapped(cells, disp))
    return rows


def _label_lines(unit: Unit, width: int) -> list[Line]:
    """An admonition's title row, its label (the last piece of `unit.first`) wrapped at the
    measure after the containers' bars: a long "Output of docs/examples/…" or "Changed in
    version …" label ran past the pane's edge."""
    *nest, (label, style) = unit.first
    room = max(1, width - deco_width(tuple(nest)))
    starts = wrap(label, 0, len(label), room)
    pieces = [label[a:b].rstrip() for a, b in zip(starts, [*starts[1:], len(label)], strict=True)]
    return [_decorate(Line([]), (*(nest if i == 0 else unit.rest), (piece, style))) for i, piece in enumerate(pieces)]


def _decorate(line: Line, deco: Deco) -> Line:
    if not deco:
        return line
    return Line([*(Cell(-1, -1, t, cell_len(t), style) for t, style in deco if t), *line.cells], line.continued)


def _anchor(lines: list[Line], end: int) -> list[Line]:
    """Give each decoration the offset of the content cell before it on its row (or the first
    after it; on a row of decoration only, the next row's first content, else `end`)."""
    following = end
    out: list[Line] = []
    for line in reversed(lines):
        content = [c.offset for c in line.cells if c.end > c.offset]
        anchor = content[0] if content else following
        cells: list[Cell] = []
        for c in line.cells:
            if c.end > c.offset:
                anchor = c.offset
                cells.append(c)
            else:
                cells.append(c._replace(offset=anchor, end=anchor))
        out.append(Line(cells, line.continued))
        if content:
            following = content[0]
    out.reverse()
    return out
