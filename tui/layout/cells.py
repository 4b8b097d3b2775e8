"""Cells: clusters and their widths in terminal cells, and greedy soft wrapping of a string.

Vocabulary
----------
*cluster*
    What occupies display cells: one base character followed by the zero-width characters that
    follow it (combining marks, variation selectors, joiners). Whitespace (space, tab, newline)
    is always a cluster of its own; zero-width characters with no base (at the start of a word)
    form a one-cell cluster drawn on a space. A caret sits on cluster starts.
*cell*
    A terminal cell. Widths come from `rich.cells` (wide CJK and emoji take two cells). A tab
    spans several cells that all map to the tab. Control characters are drawn (defensively) as
    U+FFFD; invisible format characters (joiners, bidi controls, soft hyphens, line separators)
    are left out of the drawn text and take no cell.

The functions here work on any string (a canonical text, or the display text of a block); the
offsets they give are positions in that string. Nothing here imports Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size

#: Tab stops every this many cells (relative to the start of the row).
TAB_SIZE = 4
#: Drawn instead of a wide character in a row narrower than two cells.
WIDE_STANDIN = "?"

WHITESPACE = " \t\n"
_TOKEN_RE = re.compile(r"[ \t\n]|[^ \t\n]+")
_HIDDEN_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})
#: What an ASCII character is drawn as: itself, a space for a newline, U+FFFD for a control.
_ASCII_FACE = ["\ufffd"] * 32 + [chr(c) for c in range(32, 127)] + ["\ufffd"]
_ASCII_FACE[ord("\n")] = " "


class Cell(NamedTuple):
    """A cluster laid out in a row: its offsets, the text drawn and the cells it takes.

    A *decoration* (a list bullet, a quote bar, table rules and padding) has `end == offset`:
    it shows no character of the text, maps to the offset of the text next to it (for a click)
    and is drawn with the component class `style`.
    """

    offset: int
    end: int
    text: str
    width: int
    style: str = ""

    @property
    def decoration(self) -> bool:
        return self.end == self.offset


# -- characters ---------------------------------------------------------------------------------

BASE, MARK, HIDDEN, CONTROL = 0, 1, 2, 3


@lru_cache(maxsize=8192)
def char_kind(ch: str) -> int:
    """BASE (starts a cluster), MARK (zero-width, drawn), HIDDEN (zero-width, not drawn), CONTROL."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return CONTROL
    category = unicodedata.category(ch)
    if category in _HIDDEN_CATEGORIES:
        return HIDDEN
    if category == "Cs":
        return CONTROL
    if get_character_cell_size(ch) == 0:
        return MARK
    return BASE


def is_zero_width(ch: str) -> bool:
    return ch not in WHITESPACE and char_kind(ch) in (MARK, HIDDEN)


def cluster_end(text: str, i: int, end: int) -> int:
    """End of the cluster starting at `i` (whitespace stands alone)."""
    if text[i] in WHITESPACE:
        return i + 1
    j = i + 1
    while j < end and is_zero_width(text[j]):
        j += 1
    return j


def _cluster_face(text: str, i: int, j: int, room: int) -> tuple[str, int]:
    """Text drawn and cells taken by the non-whitespace cluster text[i:j] in a row `room` wide."""
    base = text[i]
    kind = char_kind(base)
    drawn = "".join(c for c in text[i + 1 : j] if char_kind(c) == MARK)
    if kind == CONTROL:
        return "\ufffd" + drawn, 1
    if kind != BASE:  # zero-width characters with no base: draw them on a space
        visible = base if kind == MARK else ""
        return " " + visible + drawn, 1
    face = base + drawn
    width = cell_len(face)
    if width == 0:
        return " " + face, 1
    if width > room:
        return WIDE_STANDIN, 1
    return face, width


def _tab_width(col: int, width: int) -> int:
    if col >= width:
        return 1  # hanging
    return min(TAB_SIZE - col % TAB_SIZE, width - col)


def _hard_break(text: str, i: int, start: int) -> bool:
    """A newline after two spaces is a Markdown hard line break."""
    return i - start >= 2 and text[i - 2 : i] == "  "


def _word_cells(text: str, s: int, e: int, width: int) -> Iterator[tuple[int, int]]:
    """(offset, cells) of each cluster of the word text[s:e]."""
    i = s
    while i < e:
        j = cluster_end(text, i, e)
        yield i, _cluster_face(text, i, j, width)[1]
        i = j


# -- wrapping -----------------------------------------------------------------------------------


def wrap(text: str, start: int, end: int, width: int) -> list[int]:
    """Start offsets of the rows of text[start:end] wrapped greedily to `width` cells.

    Rows break after whitespace; a word wider than a row is broken between clusters; a wide
    character is never split. Whitespace that does not fit hangs in column `width`. A newline is
    a space, unless two spaces precede it (a Markdown hard break), which ends the row.
    """
    width = max(1, width)
    rows = [start]
    col = 0
    for tok in _TOKEN_RE.finditer(text, start, end):
        s = tok.start()
        ch = text[s]
        if ch in WHITESPACE:
            hard = ch == "\n" and _hard_break(text, s, start)
            cells = _tab_width(col, width) if ch == "\t" else 1
            if col >= width or hard:
                if s + 1 < end:
                    rows.append(s + 1)
                col = 0
            else:
                col += cells
            continue
        word = tok.group()
        cells = len(word) if word.isascii() else sum(w for _, w in _word_cells(text, s, tok.end(), width))
        if col + cells <= width:
            col += cells
            continue
        if s > rows[-1]:
            rows.append(s)
            col = 0
        if cells <= width:
            col = cells
            continue
        if word.isascii():  # a long word of one-cell characters: cut every `width` cells
            rows.extend(range(s + width, tok.end(), width))
            col = tok.end() - rows[-1]
            continue
        for offset, w in _word_cells(text, s, tok.end(), width):
            if col + w > width and col > 0:
                rows.append(offset)
                col = 0
            col += w
    return rows


def row_cells(text: str, start: int, end: int, width: int) -> list[Cell]:
    """The clusters of the row text[start:end] as laid out by `wrap` at `width`."""
    width = max(1, width)
    segment = text[start:end]
    if segment.isascii() and "\t" not in segment:  # one cell per character
        return [Cell(i, i + 1, _ASCII_FACE[ord(ch)], 1) for i, ch in enumerate(segment, start)]
    cells: list[Cell] = []
    col = 0
    i = start
    while i < end:
        ch = text[i]
        if ch in WHITESPACE:
            w = _tab_width(col, width) if ch == "\t" else 1
            cells.append(Cell(i, i + 1, " " * w, w))
            col += w
            i += 1
            continue
        j = cluster_end(text, i, end)
        if j == i + 1 and " " < ch < "\x7f":
            cells.append(Cell(i, j, ch, 1))
            col += 1
        else:
            face, w = _cluster_face(text, i, j, width)
            cells.append(Cell(i, j, face, w))
            col += w
        i = j
    return cells


def usable(width: int) -> int:
    """Cells a wrapped row holds on average (what the word at a break leaves empty)."""
    return max(1, width - min(6, width // 8))
