"""The document model: blocks over the canonical text, inline spans, display <-> canonical offsets.

A document's structure is a flat tuple of leaf `Block`s in source order, each a span
[start, end) of code-point offsets into the canonical text (the text itself never changes).
Containers (block quotes, list items, admonitions, fields) are not blocks of their own: each
leaf lists the containers it sits in (`nest`), outermost first, so a layout can indent and
draw bars without walking a tree. A list item's marker, an admonition's title and a field's
name ride on the first leaf of the container.

What a reader sees of a block is its *display*: the block's span minus its `hidden` ranges
(markers such as `**`, `#`, reST adornments, link targets), with a few one-character
substitutions (`&#x41;` shown as `A`, a hard line break shown as a newline) and, in prose
blocks, every run of whitespace shown as one space. `Display` keeps, for every displayed
character, the canonical offset it stands for, as runs, so mapping either way is a bisection.

Everything here is hand-written because it is Folio's own contract, not a grammar: the parsers
(markdown.py, rest.py, plain.py) only fill these records in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"  #: also a field of a reST field list (marker: the field name)
    CODE = "code"  #: code and literal blocks: verbatim, `language` when known
    LINES = "lines"  #: verbatim but not code: plain-text tables, ASCII art, option lists, line blocks
    TABLE = "table"
    QUOTE = "quote"  #: only as a container in `nest`
    ADMONITION = "admonition"  #: the title row of a note, warning or other directive (`label`)
    BREAK = "break"  #: a thematic break
    FRONT_MATTER = "front_matter"
    HIDDEN = "hidden"  #: comments, targets, `.. index::`, substitution definitions, HTML comments


#: Blocks whose lines are shown as they are written, never reflowed.
VERBATIM = frozenset({Kind.CODE, Kind.LINES})
#: Blocks a reader does not see (and whose words are not body words).
NOT_DISPLAYED = frozenset({Kind.HIDDEN, Kind.FRONT_MATTER})


class InlineKind(StrEnum):
    EMPHASIS = "emphasis"
    STRONG = "strong"
    CODE = "code"
    LINK = "link"  #: `target` is the URL or reference name
    ROLE = "role"  #: reST interpreted text (`:func:`abs``): `target` is the role name; styled as code
    STRIKE = "strike"
    IMAGE = "image"  #: the alt text is displayed; `target` is the source


@dataclass(frozen=True, slots=True)
class Inline:
    """Inline markup: [start, end) is the canonical span of the displayed content (markers excluded)."""

    kind: InlineKind
    start: int
    end: int
    target: str = ""


# Not frozen: a frozen dataclass sets each of its 13 fields through object.__setattr__, 11 us a
# block against 3 here, and a 37 MB text by the plain rule is ~300,000 blocks. Treat as read-only.
@dataclass(slots=True, unsafe_hash=True)
class Block:
    kind: Kind
    start: int
    end: int
    level: int = 0  #: heading level (1 = the title); list depth (1 = top level)
    marker: str = ""  #: a list item's marker as written ("-", "1.", "#."), or a field's name
    label: str = ""  #: an admonition's title ("Note", "Changed in version 3.7"); a hidden block's kind
    language: str = ""  #: a code block's language when known
    nest: tuple[Kind, ...] = ()  #: the containers this block is inside, outermost first
    hidden: tuple[tuple[int, int], ...] = ()  #: sorted, disjoint canonical ranges not displayed
    subs: tuple[tuple[int, int, str], ...] = ()  #: (start, end, one character shown instead)
    inlines: tuple[Inline, ...] = ()
    rows: tuple[tuple[tuple[int, int], ...], ...] = ()  #: a table's cells as canonical spans
    header_rows: int = 0

    @property
    def verbatim(self) -> bool:
        return self.kind in VERBATIM

    @property
    def displayed(self) -> bool:
        return self.kind not in NOT_DISPLAYED

    @property
    def hanging_indent(self) -> int:
        """Columns of a list item's continuation lines: its marker and one space."""
        return len(self.marker) + 1 if self.kind is Kind.LIST_ITEM else 0


@dataclass(frozen=True, slots=True)
class Structure:
    """A document's blocks, the format they were read as, and why the plain rule was used instead
    of the format's parser, when it was ("" when it was not)."""

    format: str  #: "markdown", "rest" or "plain"
    blocks: tuple[Block, ...]
    fallback: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "fallback": self.fallback, "blocks": [_block_json(b) for b in self.blocks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Structure:
        return cls(
            str(data["format"]), tuple(_block_from_json(b) for b in data["blocks"]), str(data.get("fallback", ""))
        )


_DEFAULTS = Block(Kind.PARAGRAPH, 0, 0)


def _block_json(block: Block) -> list[Any]:
    """A compact list: kind, start, end, then a dict of the fields that differ from their defaults."""
    extra: dict[str, Any] = {}
    for name in ("level", "marker", "label", "language", "header_rows"):
        value = getattr(block, name)
        if value != getattr(_DEFAULTS, name):
            extra[name] = value
    if block.nest:
        extra["nest"] = [k.value for k in block.nest]
    if block.hidden:
        extra["hidden"] = [x for r in block.hidden for x in r]
    if block.subs:
        extra["subs"] = [list(s) for s in block.subs]
    if block.inlines:
        extra["inlines"] = [
            [i.kind.value, i.start, i.end, i.target] if i.target else [i.kind.value, i.start, i.end]
            for i in block.inlines
        ]
    if block.rows:
        extra["rows"] = [[x for cell in row for x in cell] for row in block.rows]
    return [block.kind.value, block.start, block.end, extra] if extra else [block.kind.value, block.start, block.end]


def _pairs(flat: list[int]) -> tuple[tuple[int, int], ...]:
    return tuple((flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2))


def _block_from_json(data: list[Any]) -> Block:
    extra: dict[str, Any] = data[3] if len(data) > 3 else {}
    return Block(
        Kind(data[0]),
        int(data[1]),
        int(data[2]),
        level=int(extra.get("level", 0)),
        marker=str(extra.get("marker", "")),
        label=str(extra.get("label", "")),
        language=str(extra.get("language", "")),
        nest=tuple(Kind(k) for k in extra.get("nest", ())),
        hidden=_pairs(extra.get("hidden", [])),
        subs=tuple((int(s), int(e), str(c)) for s, e, c in extra.get("subs", ())),
        inlines=tuple(
            Inline(InlineKind(i[0]), int(i[1]), int(i[2]), str(i[3]) if len(i) > 3 else "")
            for i in extra.get("inlines", ())
        ),
        rows=tuple(_pairs(row) for row in extra.get("rows", ())),
        header_rows=int(extra.get("header_rows", 0)),
    )


# -- display <-> canonical ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Display:
    """The displayed text of a block (or a table cell) and its map to canonical offsets.

    Display character `d` stands for canonical offset `canonical(d)`; the map is strictly
    increasing. `display(c)` is the display position of the first displayed character at or
    after canonical offset `c` (so a hidden marker maps onto what follows it), which makes
    `display(canonical(d)) == d` for every d, and [display(s), display(e)) the displayed part of
    a canonical span [s, e). `styles` are the inline spans in display positions.
    """

    text: str
    end: int  #: the canonical offset that display position len(text) stands for
    #: runs: display start, canonical start, length; a run of length 1 may be a substitution
    runs_d: tuple[int, ...] = ()
    runs_c: tuple[int, ...] = ()
    runs_n: tuple[int, ...] = ()
    styles: tuple[tuple[int, int, InlineKind, str], ...] = field(default=())

    def canonical(self, d: int) -> int:
        if d >= len(self.text):
            return self.end
        i = bisect_right(self.runs_d, max(d, 0)) - 1
        return self.runs_c[i] + (max(d, 0) - self.runs_d[i])

    def display(self, c: int) -> int:
        i = bisect_right(self.runs_c, c) - 1
        if i < 0:
            return 0
        offset = c - self.runs_c[i]
        if offset < self.runs_n[i]:
            return self.runs_d[i] + offset
        return self.runs_d[i] + self.runs_n[i]  # in a hidden gap: the next displayed character

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The display span of a canonical span (empty when all of it is hidden)."""
        return self.display(start), self.display(end)


_SPACE = frozenset(" \t\n\r\f\v\u00a0")


def render(text: str, block: Block, start: int | None = None, end: int | None = None, *, raw: bool = False) -> Display:
    """The display of `block` (or of [start, end) inside it, a table cell), markers hidden.

    With `raw` (and for a table as a whole), nothing is hidden or substituted: the canonical
    lines as they are.
    Prose (not verbatim) has each whitespace run shown as one space, and none at either end.
    """
    lo = block.start if start is None else start
    hi = block.end if end is None else end
    if block.kind is Kind.TABLE and start is None:
        raw = True  # a table as a whole is its lines; its cells are displayed one by one
    if raw:
        return Display(text[lo:hi], hi, (0,), (lo,), (hi - lo,)) if hi > lo else Display("", hi)
    prose = not block.verbatim
    subs = {s: (e, c) for s, e, c in block.subs if lo <= s < hi}
    out: list[str] = []
    runs_d: list[int] = []
    runs_c: list[int] = []
    runs_n: list[int] = []
    pending_space = -1  # canonical offset of a whitespace run not yet shown (prose)
    d = 0
    extendable = False  # the last run is a plain copy that the next contiguous copy may extend

    def emit(c: int, chars: str, single: bool) -> None:
        nonlocal d, extendable
        if extendable and not single and runs_c[-1] + runs_n[-1] == c:
            runs_n[-1] += len(chars)
        else:
            runs_d.append(d)
            runs_c.append(c)
            runs_n.append(len(chars))
        extendable = not single
        out.append(chars)
        d += len(chars)

    for seg_start, seg_end in _visible(block.hidden, lo, hi):
        i = seg_start
        while i < seg_end:
            sub = subs.get(i)
            if sub is not None:
                sub_end, char = sub
                if char == "\n" or not prose:
                    pending_space = -1
                elif pending_space >= 0 and d:
                    emit(pending_space, " ", True)
                pending_space = -1
                emit(i, char, True)
                i = max(sub_end, i + 1)
                continue
            if prose and text[i] in _SPACE:
                if pending_space < 0 and not (out and out[-1] == "\n"):
                    pending_space = i
                i += 1
                continue
            if pending_space >= 0 and d:
                emit(pending_space, " ", True)
            pending_space = -1
            j = i + 1
            limit = seg_end
            while j < limit and j not in subs and not (prose and text[j] in _SPACE):
                j += 1
            emit(i, text[i:j], False)
            i = j
    shown = "".join(out)
    end_c = hi
    if prose and pending_space >= 0:
        end_c = pending_space  # trailing whitespace is not shown: the display ends where it starts
    disp = Display(shown, end_c, tuple(runs_d), tuple(runs_c), tuple(runs_n))
    styles = tuple(
        (ds, de, inl.kind, inl.target)
        for inl in block.inlines
        if inl.end > lo and inl.start < hi
        for ds, de in (disp.span(max(inl.start, lo), min(inl.end, hi)),)
        if de > ds
    )
    return Display(shown, end_c, disp.runs_d, disp.runs_c, disp.runs_n, styles)


_SPACE_RUN_RE = re.compile("[ \t\n\r\f\v\u00a0]+")
_SPACE_CHARS = " \t\n\r\f\v\u00a0"


def render_text(text: str, block: Block, start: int | None = None, end: int | None = None) -> str:
    """`render(text, block, start, end).text` without the map to canonical offsets: what the
    metadata reads (a title, a byline, a date) at a fraction of the cost. A block with
    substitutions in the range is rendered in full."""
    lo = block.start if start is None else start
    hi = block.end if end is None else end
    if (block.kind is Kind.TABLE and start is None) or any(lo <= s < hi for s, _, _ in block.subs):
        return render(text, block, start, end).text
    shown = "".join(text[s:e] for s, e in _visible(block.hidden, lo, hi))
    if block.verbatim:
        return shown
    return _SPACE_RUN_RE.sub(" ", shown).strip(_SPACE_CHARS)


def _visible(hidden: tuple[tuple[int, int], ...], lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi) minus the hidden ranges, as sorted disjoint segments."""
    segments: list[tuple[int, int]] = []
    at = lo
    for s, e in hidden:
        if e <= at:
            continue
        if s >= hi:
            break
        if s > at:
            segments.append((at, s))
        at = max(at, e)
    if at < hi:
        segments.append((at, hi))
    return segments


def merge_ranges(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, disjoint, non-empty ranges covering the same offsets."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return tuple(merged)
