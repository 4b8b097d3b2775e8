"""The displayed text of a stretch of a document: what a snippet, a shared quote or a note shows.

`displays_between(text, blocks, lo, hi)` renders the displayed blocks (a table cell by cell)
over canonical [lo, hi), markers hidden, and joins them with one space, keeping each display
and where it starts in the joined string so that canonical spans can be mapped onto it
(`map_span`). `displayed_text` is the joined string alone, for a structure as a whole.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from .model import Block, Display, Kind, Structure, render


def displays_between(text: str, blocks: Sequence[Block], lo: int, hi: int) -> tuple[str, list[int], list[Display]]:
    """What a reader sees of canonical [lo, hi) of `blocks` (displayed, in order): the displays
    there joined with one space, each display's start in the joined string, and the displays."""
    first = bisect_right([b.end for b in blocks], lo)
    parts: list[str] = []
    starts: list[int] = []
    displays: list[Display] = []
    at = 0
    for block in blocks[first:]:
        if block.start >= hi:
            break
        if block.kind is Kind.TABLE and block.rows:
            cells = [cell for row in block.rows for cell in row]
        else:
            cells = [(block.start, block.end)]
        for start, end in cells:
            if end <= lo or start >= hi:
                continue
            disp = render(text, block, max(start, lo), min(end, hi))
            if not disp.text:
                continue
            if parts:
                parts.append(" ")
                at += 1
            starts.append(at)
            displays.append(disp)
            parts.append(disp.text)
            at += len(disp.text)
    return "".join(parts), starts, displays


def map_span(start: int, end: int, starts: list[int], displays: list[Display]) -> tuple[int, int] | None:
    """A canonical span in the string `displays_between` joined (None when none of it is shown)."""
    ends = [d.end for d in displays]
    i = bisect_right(ends, start)
    if i >= len(displays):
        return None
    j = min(bisect_right(ends, end - 1), len(displays) - 1)
    shown = (starts[i] + displays[i].display(start), starts[j] + displays[j].display(end))
    return shown if shown[1] > shown[0] else None


def displayed_text(text: str, structure: Structure, start: int, end: int) -> str:
    """What a reader sees of canonical [start, end), on one line (markers hidden, hidden blocks
    left out, whitespace runs as one space); a plain structure's text as written, collapsed."""
    if structure.format == "plain":
        return " ".join(text[start:end].split())
    shown, _, _ = displays_between(text, [b for b in structure.blocks if b.displayed], start, end)
    return " ".join(shown.split())
