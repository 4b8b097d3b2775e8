"""Pure layout for the reading pane: clusters and cell widths, soft wrapping, a lazy per-width
row index, Markdown style spans and text navigation. Nothing here imports Textual.

Vocabulary
----------
*offset*
    A code-point offset into the canonical text of a document.
*cluster*
    What occupies display cells: one base character followed by the zero-width characters that
    follow it (combining marks, variation selectors, joiners). Whitespace (space, tab, newline)
    is always a cluster of its own; zero-width characters with no base (at the start of a word)
    form a one-cell cluster drawn on a space. A caret sits on cluster starts.
*cell*
    A terminal cell. Widths come from `rich.cells` (wide CJK and emoji take two cells). Every
    display cell maps back to exactly one offset (the start of the cluster drawn there); a tab
    spans several cells that all map to the tab.
*block*
    The unit of wrapping: a paragraph of the document, or a piece of a very long one (pieces are
    cut at whitespace every `PIECE_SIZE` characters so a 3 MB line is wrapped a piece at a time).
    A blank *separator row* follows the last block of each paragraph except the last.
*row*
    A display row of a block: a span of offsets at most `width` cells wide, plus at most one
    *hanging* whitespace cell in column `width` (the space at which the row was broken).

Nothing is hidden: Markdown markers stay in the text (the widget dims them), newlines inside a
paragraph are shown as spaces, control characters (defensively) as U+FFFD. Only invisible
format characters (joiners, bidi controls, soft hyphens, line separators) are left out of the
drawn text; they take no cell and map to the cell of their cluster.

`DocLayout` keeps an estimate of every block's row count (from its length) and wraps exactly only
the blocks it is asked about, so opening a 35 MB document costs one pass over its paragraph list.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import Generic, NamedTuple, TypeVar

from rich.cells import cell_len, get_character_cell_size

from folio_reader.index.document.units import sentence_bounds

__all__ = [
    "LRU",
    "TAB_SIZE",
    "WIDE_STANDIN",
    "Cell",
    "DocLayout",
    "RowIndex",
    "markdown_spans",
    "next_sentence_start",
    "paragraph_index",
    "paragraph_step",
    "row_cells",
    "sentence_bounds",
    "sentence_step",
    "word_end",
    "word_next",
    "word_prev",
    "wrap",
]

#: Tab stops every this many cells (relative to the start of the row).
TAB_SIZE = 4
#: Drawn instead of a wide character in a row narrower than two cells.
WIDE_STANDIN = "?"
#: Paragraphs longer than this are wrapped in pieces of about `PIECE_SIZE` characters.
PIECE_LIMIT = 16_384
PIECE_SIZE = 8_192

WHITESPACE = " \t\n"
_TOKEN_RE = re.compile(r"[ \t\n]|[^ \t\n]+")
_HIDDEN_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})
#: What an ASCII character is drawn as: itself, a space for a newline, U+FFFD for a control.
_ASCII_FACE = ["\ufffd"] * 32 + [chr(c) for c in range(32, 127)] + ["\ufffd"]
_ASCII_FACE[ord("\n")] = " "


class Cell(NamedTuple):
    """A cluster laid out in a row: its offsets, the text drawn and the cells it takes."""

    offset: int
    end: int
    text: str
    width: int


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


def _is_zero_width(ch: str) -> bool:
    return ch not in WHITESPACE and char_kind(ch) in (MARK, HIDDEN)


def _cluster_end(text: str, i: int, end: int) -> int:
    """End of the cluster starting at `i` (whitespace stands alone)."""
    if text[i] in WHITESPACE:
        return i + 1
    j = i + 1
    while j < end and _is_zero_width(text[j]):
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
        j = _cluster_end(text, i, e)
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
        j = _cluster_end(text, i, end)
        if j == i + 1 and " " < ch < "\x7f":
            cells.append(Cell(i, j, ch, 1))
            col += 1
        else:
            face, w = _cluster_face(text, i, j, width)
            cells.append(Cell(i, j, face, w))
            col += w
        i = j
    return cells


def _usable(width: int) -> int:
    """Cells a wrapped row holds on average (what the word at a break leaves empty)."""
    return max(1, width - min(6, width // 8))


# -- small containers ---------------------------------------------------------------------------

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small least-recently-used mapping."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def set(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def discard(self, key: K) -> None:
        self._data.pop(key, None)

    def keys(self) -> list[K]:
        return list(self._data)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class RowIndex:
    """Row counts of a sequence of blocks with prefix sums, in chunks so updates stay cheap."""

    CHUNK = 256

    def __init__(self, heights: list[int]) -> None:
        self._heights = heights
        c = self.CHUNK
        self._chunks = [sum(heights[i : i + c]) for i in range(0, len(heights), c)]
        self._total = sum(self._chunks)
        self._cumulative: list[int] | None = None

    def __len__(self) -> int:
        return len(self._heights)

    @property
    def total(self) -> int:
        return self._total

    def height(self, i: int) -> int:
        return self._heights[i]

    def set(self, i: int, height: int) -> int:
        """Set the height of block i; returns the change."""
        delta = height - self._heights[i]
        if delta:
            self._heights[i] = height
            self._chunks[i // self.CHUNK] += delta
            self._total += delta
            self._cumulative = None
        return delta

    def _cum(self) -> list[int]:
        if self._cumulative is None:
            self._cumulative = list(accumulate(self._chunks))
        return self._cumulative

    def start(self, i: int) -> int:
        """The first row of block i."""
        c = i // self.CHUNK
        base = self._cum()[c - 1] if c else 0
        return base + sum(self._heights[c * self.CHUNK : i])

    def find(self, y: int) -> tuple[int, int]:
        """(block, row within it) of row y, clamped to the rows there are."""
        if not self._heights:
            return 0, 0
        y = max(0, min(y, self._total - 1))
        cum = self._cum()
        c = bisect_right(cum, y)
        base = cum[c - 1] if c else 0
        i = c * self.CHUNK
        heights = self._heights
        while y >= base + heights[i]:
            base += heights[i]
            i += 1
        return i, y - base


# -- the document layout ------------------------------------------------------------------------


def _pieces(text: str, start: int, end: int) -> list[int]:
    """Cut points (piece starts after the first) of a long paragraph, at whitespace if any."""
    cuts: list[int] = []
    pos = start
    while end - pos > PIECE_SIZE + PIECE_SIZE // 2:
        limit = pos + PIECE_SIZE
        cut = max(text.rfind(" ", pos + PIECE_SIZE // 2, limit), text.rfind("\n", pos + PIECE_SIZE // 2, limit))
        cut = cut + 1 if cut >= 0 else limit
        while cut < end and _is_zero_width(text[cut]):
            cut += 1
        if cut >= end:
            break
        cuts.append(cut)
        pos = cut
    return cuts


class DocLayout:
    """The rows of a document at one text width, wrapped lazily block by block.

    Row numbers (`y`) count from the top of the document with every block's height as currently
    known: exact for blocks already wrapped, estimated for the rest. Wrapping a block exactly
    never moves the rows above it, only those below.
    """

    def __init__(self, text: str, paragraphs: Sequence[tuple[int, int]], width: int) -> None:
        self.text = text
        self.width = max(1, width)
        self.paragraphs = paragraphs
        starts: list[int] = [s for s, _ in paragraphs]
        ends: list[int] = [e for _, e in paragraphs]
        para_of: list[int] = []
        gap: list[bool] = []
        self._para_of: list[int] | None = None
        self._no_gap: set[int] = set()
        if any(map(PIECE_LIMIT.__lt__, map(int.__sub__, ends, starts))):
            starts, ends = [], []
            for p, (s, e) in enumerate(self.paragraphs):
                cuts = _pieces(text, s, e) if e - s > PIECE_LIMIT else []
                bounds = [s, *cuts, e]
                for a, b in pairwise(bounds):
                    starts.append(a)
                    ends.append(b)
                    para_of.append(p)
                    gap.append(b == e)
            self._para_of = para_of
            self._no_gap = {i for i, g in enumerate(gap) if not g}
        self.starts = starts
        self.ends = ends
        n = len(starts)
        usable = _usable(self.width)
        heights = [-((s - e) // usable) + 1 for s, e in zip(starts, ends, strict=False)]  # estimate + separator
        for i in self._no_gap:
            heights[i] -= 1
        if n:
            heights[-1] -= 1
        self.index = RowIndex(heights)
        self._exact = bytearray(n)
        self._wraps: LRU[int, list[int]] = LRU(4096)

    # blocks

    @property
    def block_count(self) -> int:
        return len(self.starts)

    @property
    def row_count(self) -> int:
        return self.index.total

    def para_of(self, block: int) -> int:
        return block if self._para_of is None else self._para_of[block]

    def gap_after(self, block: int) -> bool:
        return block < len(self.starts) - 1 and block not in self._no_gap

    def is_exact(self, block: int) -> bool:
        return bool(self._exact[block])

    def block_of(self, offset: int) -> int:
        """The block holding offset, or the next one when offset is between blocks."""
        b = bisect_right(self.starts, offset) - 1
        if b < 0:
            return 0
        if offset >= self.ends[b] and b + 1 < len(self.starts):
            return b + 1
        return b

    def rows(self, block: int) -> list[int]:
        """Row start offsets of a block, wrapping it (and fixing its height) if needed."""
        rows = self._wraps.get(block)
        if rows is None:
            rows = wrap(self.text, self.starts[block], self.ends[block], self.width)
            self._wraps.set(block, rows)
            if not self._exact[block]:
                self._exact[block] = 1
                self.index.set(block, len(rows) + self.gap_after(block))
        return rows

    def ensure_exact(self, block: int) -> int:
        """Wrap a block exactly; returns how much its height changed."""
        if self._exact[block]:
            return 0
        before = self.index.height(block)
        self.rows(block)
        return self.index.height(block) - before

    def block_row(self, block: int) -> int:
        return self.index.start(block)

    def find(self, y: int) -> tuple[int, int]:
        """(block, row in block) at document row y; a row past the block's rows is its separator."""
        return self.index.find(y)

    def row_span(self, block: int, row: int) -> tuple[int, int] | None:
        """Offsets of a row, or None for a separator row."""
        rows = self.rows(block)
        if row >= len(rows):
            return None
        end = rows[row + 1] if row + 1 < len(rows) else self.ends[block]
        return rows[row], end

    def cells(self, block: int, row: int) -> list[Cell]:
        span = self.row_span(block, row)
        if span is None:
            return []
        return row_cells(self.text, span[0], span[1], self.width)

    def row_count_of(self, block: int) -> int:
        """Text rows of a block (not counting its separator)."""
        return len(self.rows(block))

    # offsets and positions

    def snap(self, offset: int) -> int:
        """The caret position for an offset: the start of its cluster, in a block."""
        if not self.starts:
            return 0
        b = self.block_of(offset)
        start, end = self.starts[b], self.ends[b]
        offset = max(start, min(offset, end - 1))
        text = self.text
        if not _is_zero_width(text[offset]):
            return offset
        i = offset
        while i > start and _is_zero_width(text[i - 1]):
            i -= 1
        if i > start and text[i - 1] not in WHITESPACE:
            return i - 1
        return i

    def next_cluster(self, offset: int) -> int:
        offset = self.snap(offset)
        b = self.block_of(offset)
        nxt = _cluster_end(self.text, offset, self.ends[b])
        if nxt < self.ends[b]:
            return nxt
        return self.starts[b + 1] if b + 1 < len(self.starts) else offset

    def cluster_end(self, offset: int) -> int:
        """The end of the cluster at offset (a caret position)."""
        offset = self.snap(offset)
        return _cluster_end(self.text, offset, self.ends[self.block_of(offset)]) if self.starts else 0

    def prev_cluster(self, offset: int) -> int:
        offset = self.snap(offset)
        b = self.block_of(offset)
        if offset > self.starts[b]:
            return self.snap(offset - 1)
        return self.snap(self.ends[b - 1] - 1) if b > 0 else offset

    @property
    def last_offset(self) -> int:
        return self.snap(self.ends[-1] - 1) if self.starts else 0

    def row_of(self, offset: int) -> tuple[int, int]:
        """(block, row in block) of the row showing offset."""
        offset = self.snap(offset)
        b = self.block_of(offset)
        rows = self.rows(b)
        return b, max(0, bisect_right(rows, offset) - 1)

    def col_of(self, offset: int) -> int:
        """The first cell of offset in its row."""
        offset = self.snap(offset)
        b, r = self.row_of(offset)
        col = 0
        for cell in self.cells(b, r):
            if cell.offset <= offset < cell.end:
                return col
            col += cell.width
        return col

    def locate(self, offset: int) -> tuple[int, int]:
        """(document row, cell) of an offset."""
        b, r = self.row_of(offset)
        return self.block_row(b) + r, self.col_of(offset)

    def offset_in_row(self, block: int, row: int, col: int) -> int:
        """The offset drawn at a cell of a row (past the end: the row's last cluster)."""
        cells = self.cells(block, row)
        if not cells:  # separator row: the start of the next block
            if block + 1 < len(self.starts):
                return self.starts[block + 1]
            return self.last_offset
        x = 0
        for cell in cells:
            if col < x + cell.width:
                return cell.offset
            x += cell.width
        return cells[-1].offset

    def offset_at(self, y: int, col: int) -> int:
        if not self.starts:
            return 0
        b, r = self.find(y)
        self.rows(b)
        return self.offset_in_row(b, r, col)

    def step_row(self, block: int, row: int, delta: int) -> tuple[int, int]:
        """The text row `delta` rows away (separator rows skipped), clamped to the document."""
        while delta > 0:
            if row + 1 < self.row_count_of(block):
                row += 1
            elif block + 1 < len(self.starts):
                block, row = block + 1, 0
            else:
                break
            delta -= 1
        while delta < 0:
            if row > 0:
                row = min(row, self.row_count_of(block)) - 1
            elif block > 0:
                block -= 1
                row = self.row_count_of(block) - 1
            else:
                break
            delta += 1
        return block, row

    # paragraphs

    def paragraph_at(self, offset: int) -> tuple[int, int] | None:
        if not self.paragraphs:
            return None
        return self.paragraphs[paragraph_index(self.paragraphs, offset)]


def paragraph_index(paragraphs: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the paragraph holding offset (or the next one; the last past the end)."""
    i = bisect_right(paragraphs, (offset, math.inf)) - 1
    if i < 0:
        return 0
    if offset >= paragraphs[i][1] and i + 1 < len(paragraphs):
        return i + 1
    return i


# -- Markdown -----------------------------------------------------------------------------------

_ATX_RE = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE_RE = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT_RE = re.compile(r"\n[ \t]*(=+|-+)[ \t]*$")
_RULE_RE = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_PREFIX_RE = re.compile(r"[ \t]*(?:>[ \t]?)+|[ \t]*(?:[-*+]|\d{1,3}[.)])(?=[ \t])")
_CODE_RE = re.compile(r"(`+)([^`\n]|[^`\n].*?[^`\n])\1")
_INLINE_RES = (
    ("strong", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")),
    ("emphasis", re.compile(r"(?<![\w*])(\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")),
    ("emphasis", re.compile(r"(?<![\w_])(_)(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")),
)
_LINK_RE = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*)\)")


def markdown_spans(text: str, start: int, end: int, *, paragraph_start: bool = True) -> list[tuple[int, int, str]]:
    """Style spans of the Markdown in text[start:end]: (start, end, kind), in the order to apply.

    Kinds: "heading", "strong", "emphasis", "code", "link" and "marker" (the `#`, `**`, `` ` ``,
    bullets, link brackets and targets, which stay in the text and are drawn dimmed). Block-level
    syntax (headings, rules, quotes, bullets) is only looked for when the span starts a paragraph.
    """
    spans: list[tuple[int, int, str]] = []
    if paragraph_start:
        spans.extend(_block_spans(text, start, end))
    code = [(m.start(), m.end()) for m in _CODE_RE.finditer(text, start, end)]

    def in_code(a: int, b: int) -> bool:
        i = bisect_right(code, (a, math.inf)) - 1
        return (i >= 0 and code[i][1] > a) or (i + 1 < len(code) and code[i + 1][0] < b)

    markers: list[tuple[int, int, str]] = []
    for kind, regex in _INLINE_RES:
        for m in regex.finditer(text, start, end):
            if in_code(m.start(), m.end()):
                continue
            size = len(m.group(1))
            spans.append((m.start(), m.end(), kind))
            markers.append((m.start(), m.start() + size, "marker"))
            markers.append((m.end() - size, m.end(), "marker"))
    for m in _LINK_RE.finditer(text, start, end):
        if in_code(m.start(), m.end()):
            continue
        spans.append((m.start(1), m.end(1), "link"))
        markers.append((m.start(), m.start(1), "marker"))
        markers.append((m.end(1), m.end(), "marker"))
    for a, b in code:
        size = len(_CODE_RE.match(text, a, b).group(1))  # type: ignore[union-attr]
        spans.append((a + size, b - size, "code"))
        markers.append((a, a + size, "marker"))
        markers.append((b - size, b, "marker"))
    return spans + markers


def _block_spans(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    if _RULE_RE.fullmatch(text, start, end):
        return [(start, end, "marker")]
    m = _ATX_RE.match(text, start, end)
    if m:
        spans = [(start, end, "heading"), (start, m.end(), "marker")]
        close = _ATX_CLOSE_RE.search(text, m.end(), end)
        if close:
            spans.append((close.start(), end, "marker"))
        return spans
    setext = _SETEXT_RE.search(text, start, end)
    if setext:
        return [(start, setext.start(), "heading"), (setext.start() + 1, end, "marker")]
    m = _PREFIX_RE.match(text, start, end)
    if m and m.end() > start:
        return [(start, m.end(), "marker")]
    return []


# -- navigation ---------------------------------------------------------------------------------

_WORD_RE = re.compile(r"\w+|[^\w\s]+")
_WINDOW = 4096


def word_next(text: str, offset: int) -> int:
    """Start of the next word (a run of word characters or of punctuation), like vim's `w`."""
    m = _WORD_RE.search(text, offset)
    if m is None:
        return offset
    if m.start() <= offset:
        m = _WORD_RE.search(text, m.end())
        if m is None:
            return offset
    return m.start()


def word_end(text: str, offset: int) -> int:
    """Last character of this word, or of the next if already there, like vim's `e`."""
    m = _WORD_RE.search(text, offset)
    if m is not None and m.end() - 1 <= offset:
        m = _WORD_RE.search(text, m.end())
    return m.end() - 1 if m is not None else offset


def word_prev(text: str, offset: int) -> int:
    """Start of this word, or of the previous one if already there, like vim's `b`."""
    start = max(0, offset - _WINDOW)
    last = None
    for m in _WORD_RE.finditer(text, start, offset):
        last = m
    return last.start() if last is not None else start if start else 0


def next_sentence_start(text: str, start: int, end: int, offset: int) -> int | None:
    """Start of the sentence after the one at offset in the paragraph text[start:end], if any."""
    _, e = sentence_bounds(text, start, end, offset)
    i = e
    while i < end and text[i].isspace():
        i += 1
    return i if i < end else None


def sentence_step(text: str, paragraphs: Sequence[tuple[int, int]], offset: int, delta: int) -> int | None:
    """Start of the next sentence (delta > 0) or of this or the previous one (delta < 0),
    going on into the next or previous paragraph; None when there is none."""
    if not paragraphs:
        return None
    index = paragraph_index(paragraphs, offset)
    start, end = paragraphs[index]
    if delta > 0:
        target = next_sentence_start(text, start, end, offset)
        if target is None and index + 1 < len(paragraphs):
            target = paragraphs[index + 1][0]
        return target
    here = sentence_bounds(text, start, end, offset)[0]
    if here < offset:
        return here
    if here > start:
        return sentence_bounds(text, start, end, here - 1)[0]
    if index == 0:
        return None
    start, end = paragraphs[index - 1]
    return sentence_bounds(text, start, end, end - 1)[0]


def paragraph_step(paragraphs: Sequence[tuple[int, int]], offset: int, delta: int) -> int | None:
    """Start of the next paragraph (delta > 0) or of this or the previous one (delta < 0)."""
    if not paragraphs:
        return None
    index = paragraph_index(paragraphs, offset)
    if delta > 0:
        index += 1
    elif offset <= paragraphs[index][0]:
        index -= 1
    return paragraphs[index][0] if 0 <= index < len(paragraphs) else None
