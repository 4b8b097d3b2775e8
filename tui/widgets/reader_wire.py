"""What the reader sends when its view moves: the cells that can differ, and no more (issue 17).

Textual's compositor writes every cell of a region a widget refreshes, so a scroll that refreshes
the whole pane sends each row's blank margins and the scrollbar's whole column. These helpers let
the reader refresh, per screen row, only the span where the row drawn there before or the row
drawn there now has something other than the pane's blank (`extent`, `union`), and only the
scrollbar cells its thumb leaves or enters (`thumb_cells`, `move_thumb`), through public API
(`refresh(*regions)`, `set_reactive`): the compositor still draws everything.
"""

from __future__ import annotations

from math import ceil

from rich.cells import cell_len
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip

Span = tuple[int, int]  #: cells [start, end) of a row; (0, 0) when there is nothing
NOTHING: Span = (0, 0)


def extent(strip: Strip, blank: Style) -> Span:
    """The cells of a row that are not a plain space in the pane's own style."""
    first, last, x = -1, -1, 0
    for segment in strip:
        text, style = segment.text, segment.style
        width = cell_len(text)
        if style == blank or style is None:
            stripped = text.strip(" ")
            if stripped:
                lead = cell_len(text[: len(text) - len(text.lstrip(" "))])
                trail = cell_len(text[len(text.rstrip(" ")) :])
                if first < 0:
                    first = x + lead
                last = x + width - trail
        elif width:
            if first < 0:
                first = x
            last = x + width
        x += width
    return (first, last) if first >= 0 else NOTHING


def union(a: Span, b: Span) -> Span:
    """The smallest span holding both (either may be empty)."""
    if a[1] <= a[0]:
        return b
    if b[1] <= b[0]:
        return a
    return min(a[0], b[0]), max(a[1], b[1])


def thumb_cells(bar: ScrollBar, position: float) -> Span | None:
    """The cells the thumb covers at `position` (its partly drawn end cells included), as
    `ScrollBarRender.render_bar` places it; None when the bar draws no thumb."""
    size = bar.size.height
    virtual = ceil(bar.window_virtual_size)
    window = ceil(bar.window_size if bar.window_size < bar.window_virtual_size else 0)
    if not (window and size and virtual) or size == virtual or virtual == window:
        return None
    thumb = max(1, window / (virtual / size))
    offset = (size - thumb) * (position / (virtual - window))
    start = int(offset * 8)
    end = start + ceil(thumb * 8)
    return max(0, start) // 8, max(0, end) // 8 + 1


def move_thumb(bar: ScrollBar, position: float | None = None, rows: int | None = None) -> None:
    """Set the scrollbar's position (and the number of rows it scrolls over), refreshing only the
    cells whose thumb changed: Textual's own setters refresh the whole column."""
    new = bar.position if position is None else int(position * 8) / 8  # eighths of a cell, as
    # ScrollBar.validate_position makes it
    virtual = bar.window_virtual_size if rows is None else rows
    if (new, virtual) == (bar.position, bar.window_virtual_size):
        return
    before = thumb_cells(bar, bar.position)
    if before is None or not bar.is_mounted:
        bar.position, bar.window_virtual_size = new, virtual
        return
    bar.set_reactive(ScrollBar.position, new)
    bar.set_reactive(ScrollBar.window_virtual_size, virtual)
    after = thumb_cells(bar, new)
    if after is None:
        bar.refresh()
        return
    start, end = union(before, after)
    inner = max(before[0], after[0]) + 1, min(before[1], after[1]) - 1  # thumb in both: unchanged
    height, width = bar.size.height, bar.size.width
    regions = [Region(0, y, width, 1) for y in range(start, min(end, height)) if not inner[0] <= y < inner[1]]
    if regions:
        bar.refresh(*regions)
