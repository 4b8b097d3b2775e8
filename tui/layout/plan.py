"""A document's blocks -> layout units: what each is drawn as, its indent, and the blank rows.

A *unit* is what the layout wraps at once: a block of the document (a heading, a paragraph, a
list item, a code block, a table…), or a piece of a very long one, or, where a document is laid
out as plain paragraphs, one paragraph. Each says how it is drawn (`Unit.kind`), the decoration
before its first row and before its other rows (list bullets and hanging indents, quote and
admonition bars) and whether a blank row follows it. Drawing is `draw.py`'s job.

Three plans:

* `structured` — the document's blocks as it is written: prose wrapped, code and other
  verbatim blocks line for line, tables as columns, headings styled, markers hidden (or, with
  `markers`, shown: each block's canonical text as it is, still indented and spaced by block).
* `plain` — the canonical text as paragraphs, wrapped, nothing hidden: documents with no
  structure or above the size the structured layout takes.
* `raw` — the canonical text exactly, line for line.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from folio_reader.index.document import Block, Kind, Structure

from .cells import is_zero_width

#: Paragraphs longer than this are wrapped in pieces of about `PIECE_SIZE` characters.
PIECE_LIMIT = 16_384
PIECE_SIZE = 8_192

TEXT = "text"  #: the canonical text wrapped as prose (the plain layout; markers shown)
PROSE = "prose"  #: the block's display wrapped as prose
LINES = "lines"  #: line for line, long lines soft-wrapped (`display`: the block's, else canonical)
TABLE = "table"  #: aligned columns when they fit, else the table's lines
RULE = "rule"  #: a thematic break: a rule across the measure
LABEL = "label"  #: an admonition's title: its label, drawn

Deco = tuple[tuple[str, str], ...]  #: decoration: (text, component class) pieces

_BULLETS = frozenset("-*+•")
_HEADING_STYLES = {1: "reader--h1", 2: "reader--h2"}


@dataclass(slots=True)
class Unit:
    start: int  #: canonical span drawn by the unit
    end: int
    kind: str
    block: Block | None = None
    display: bool = True  #: LINES: the block's display (markers hidden), else the canonical text
    first: Deco = ()  #: drawn before the first row
    rest: Deco = ()  #: drawn before every other row
    gap: bool = True  #: a blank row follows
    style: str = ""  #: component class over all the unit's text
    head: int = 0  #: index of the first unit of the same block or paragraph (pieces share it)


def deco_width(deco: Deco) -> int:
    return sum(len(text) for text, _ in deco)  # decorations are one-cell characters


class ParagraphUnits(Sequence[Unit]):
    """The plain layout's units when no paragraph needs pieces: one a paragraph, each made when
    it is asked for (a 35 MB text has 60 K paragraphs, most never drawn)."""

    def __init__(self, paragraphs: Sequence[tuple[int, int]]) -> None:
        self.paragraphs = paragraphs

    def __len__(self) -> int:
        return len(self.paragraphs)

    @overload
    def __getitem__(self, i: int) -> Unit: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Unit]: ...
    def __getitem__(self, i: int | slice) -> Unit | Sequence[Unit]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        s, e = self.paragraphs[i]
        return Unit(s, e, TEXT, gap=i != len(self.paragraphs) - 1, head=i if i >= 0 else len(self) + i)


def plain(text: str, paragraphs: Sequence[tuple[int, int]]) -> Sequence[Unit]:
    """The plain layout: one unit a paragraph (pieces for a very long one), a blank row after each."""
    if all(e - s <= PIECE_LIMIT for s, e in paragraphs):  # the common case, fast on 35 MB
        return ParagraphUnits(paragraphs)
    units: list[Unit] = []
    for s, e in paragraphs:
        head = len(units)
        bounds = [s, *(_pieces(text, s, e) if e - s > PIECE_LIMIT else []), e]
        for a, b in itertools.pairwise(bounds):
            units.append(Unit(a, b, TEXT, gap=b == e, head=head))
    if units:
        units[-1].gap = False
    return units


def raw(text: str) -> list[Unit]:
    """The raw view: the canonical text line for line, in pieces cut after a newline."""
    units: list[Unit] = []
    at, n = 0, len(text)
    while at < n:
        cut = n
        if n - at > PIECE_SIZE:
            nl = text.find("\n", at + PIECE_SIZE // 2, at + PIECE_SIZE)
            cut = nl + 1 if nl >= 0 else at + PIECE_SIZE
        units.append(Unit(at, cut, LINES, display=False, gap=False, head=len(units)))
        at = cut
    return units


def structured(text: str, structure: Structure, *, markers: bool = False) -> list[Unit]:
    """The layout of a document as it is written (see the module docstring)."""
    units: list[Unit] = []
    hangs: list[int] = []  # hanging indent of the list item open at each depth
    previous: Block | None = None
    cut = _NO_CUT  # the shallowest list depth of a block not shown since `previous` (a comment ends a list)
    lists: dict[int, str] = {}  # the kind (`_list_kind`) of the list open at each depth
    waiting: dict[int, tuple[str, str]] = {}  # markers of items opening with no paragraph, by depth
    gap_before: bool | None = None  # decided at such an item, for the block that opens it
    for block in structure.blocks:
        if block.kind is Kind.LIST_ITEM and block.end <= block.start and block.marker and not markers:
            # an item opening with code, a table, a nested list…: its marker on that block's first row
            new_list = _opens_a_list(block, lists)
            if gap_before is None:
                gap_before = _gap_between(previous, block, new_list or cut <= block.nest.count(Kind.LIST_ITEM))
            previous, cut = block, _NO_CUT
            bullet = _open_item(block, hangs)
            waiting[block.nest.count(Kind.LIST_ITEM)] = (bullet + " ", _bullet_style(block))
            continue
        if not block.displayed or block.end <= block.start:
            if block.end > block.start:
                cut = min(cut, block.nest.count(Kind.LIST_ITEM))
            continue
        new_list = block.kind is Kind.LIST_ITEM and _opens_a_list(block, lists)
        if gap_before is None:
            gap_before = _gap_between(previous, block, new_list or cut <= block.nest.count(Kind.LIST_ITEM))
        if units and not gap_before:
            units[-1].gap = False
        previous, cut, gap_before = block, _NO_CUT, None
        if block.kind is not Kind.LIST_ITEM and Kind.LIST_ITEM not in block.nest:
            hangs.clear()
            lists.clear()
        nest = _nest_deco(block, hangs)
        opening = _with_waiting(block, nest, waiting) if waiting else nest  # before its first row
        waiting.clear()
        head = len(units)
        kind = block.kind
        if kind is Kind.LIST_ITEM:
            bullet = _open_item(block, hangs)
            if markers:
                units.extend(_prose(text, block, head, nest, nest, markers))
            else:
                first = (*opening, (bullet + " ", _bullet_style(block)))
                units.extend(_prose(text, block, head, first, (*nest, (" " * (len(bullet) + 1), "")), markers))
        elif markers and kind is not Kind.PARAGRAPH:
            style = _HEADING_STYLES.get(block.level, "reader--h3") if kind is Kind.HEADING else ""
            units.extend(_lines(text, block, head, nest, display=False, style=style))
        elif kind is Kind.HEADING:
            style = _HEADING_STYLES.get(block.level, "reader--h3")
            units.extend(_prose(text, block, head, opening, nest, markers, style))
        elif kind in (Kind.CODE, Kind.LINES):
            style = "reader--code-block" if kind is Kind.CODE else ""
            units.extend(_lines(text, block, head, nest, style=style, first=opening))
        elif kind is Kind.TABLE:
            if block.rows and block.end - block.start <= PIECE_LIMIT:
                units.append(Unit(block.start, block.end, TABLE, block, first=opening, rest=nest, head=head))
            else:  # cells not known (an ASCII table), or too big to measure: its lines
                units.extend(_lines(text, block, head, nest, display=False, first=opening))
        elif kind is Kind.BREAK:
            units.append(Unit(block.start, block.end, RULE, block, first=opening, rest=nest, head=head))
        elif kind is Kind.ADMONITION:
            label = (block.label or "Note").strip()
            first = (*opening, (label, "reader--admonition"))
            units.append(Unit(block.start, block.end, LABEL, block, first=first, rest=nest, head=head))
        else:
            style = "reader--term" if block.label == "term" else ""  # a definition list's term
            units.extend(_prose(text, block, head, opening, nest, markers, style))
    if units:
        units[-1].gap = False
    return units


_NO_CUT = 1 << 30


def _open_item(item: Block, hangs: list[int]) -> str:
    """A list item's bullet as drawn; its hanging indent recorded at its depth."""
    depth = item.nest.count(Kind.LIST_ITEM)
    bullet = "•" if item.marker in _BULLETS else item.marker
    del hangs[depth:]
    hangs.extend([2] * (depth - len(hangs)))  # containers with no item of their own
    hangs.append(len(bullet) + 1)
    return bullet


def _bullet_style(item: Block) -> str:
    return "reader--field" if item.label == "field" else "reader--bullet"


def _with_waiting(block: Block, nest: Deco, waiting: dict[int, tuple[str, str]]) -> Deco:
    """`nest` (the block's containers' decoration) with the markers of the items that open with
    this block in place of their indents: `1. • a` for `1. - a`, `• code` for an item whose
    first block is code."""
    out = list(nest)
    depth = 0
    for i, container in enumerate(block.nest):
        if container is Kind.LIST_ITEM:
            if depth in waiting and i < len(out):
                out[i] = waiting[depth]
            depth += 1
    return tuple(out)


def _gap_between(before: Block | None, block: Block, new_list: bool) -> bool:
    """A blank row between two blocks, except between the items of one list (after an item, or
    after what is inside one) and between an admonition's title and its body. A list right
    after another (`new_list`: `_opens_a_list`, or a comment between them) is apart from it; a
    label row with no body (an "API: …" or "Included: …" row, an empty tab) is followed by a
    blank row like any block."""
    if before is None:
        return True
    if before.kind is Kind.ADMONITION:
        inside = (*before.nest, Kind.ADMONITION)
        return block.nest[: len(inside)] != inside
    if block.kind is not Kind.LIST_ITEM or new_list:
        return True
    depth = block.nest.count(Kind.LIST_ITEM)
    return not (before.kind is Kind.LIST_ITEM or before.nest.count(Kind.LIST_ITEM) > depth)


def _opens_a_list(item: Block, lists: dict[int, str]) -> bool:
    """Whether a list item starts a list other than the one open at its depth (`lists`: the
    kind of each, kept up to date): its marker differs in kind (`-` then `*`, `1.` then `a)`, a
    bullet then a field), as CommonMark and reST both start a new list there."""
    depth = item.nest.count(Kind.LIST_ITEM)
    kind, open_kind = _list_kind(item), lists.get(depth)
    for deeper in [d for d in lists if d > depth]:
        del lists[deeper]
    if open_kind is not None and _same_list(open_kind, kind):
        return False
    lists[depth] = kind
    return open_kind is not None


def _same_list(a: str, b: str) -> bool:
    """Two kinds of `_list_kind` that one list may hold: equal, or enumerations of the same
    shape (`1.`, `(a)`) one of them auto-numbered."""
    if a == b:
        return True
    enumerated = a[-1:] in ".)" and b[-1:] in ".)" and "#" in (a[-2:-1], b[-2:-1])
    return enumerated and a[:-2] + a[-1] == b[:-2] + b[-1]


def _list_kind(item: Block) -> str:
    """What makes items one list: the bullet character, or an enumeration's delimiter and
    numbering (digits or letters; reST's auto-numbered `#.` goes on any: "#"), or a field
    list's, footnotes' or options' kind."""
    if item.label:
        return item.label
    marker = item.marker
    if marker[-1:] not in ".)":
        return marker
    body = marker.strip("().")
    numbering = "#" if body == "#" else "1" if body.isdigit() else "a"
    return ("(" if marker.startswith("(") else "") + numbering + marker[-1]


def _nest_deco(block: Block, hangs: list[int]) -> Deco:
    """The indent and bars of the containers a block is in, outermost first."""
    deco: list[tuple[str, str]] = []
    depth = 0
    for container in block.nest:
        if container is Kind.LIST_ITEM:
            deco.append((" " * (hangs[depth] if depth < len(hangs) else 2), ""))
            depth += 1
        elif container is Kind.QUOTE:
            deco.append(("▎ ", "reader--quote"))
        elif container is Kind.ADMONITION:
            deco.append(("│ ", "reader--admonition"))
    return tuple(deco)


def _prose(text: str, block: Block, head: int, first: Deco, rest: Deco, markers: bool, style: str = "") -> list[Unit]:
    kind = TEXT if markers else PROSE
    s, e = block.start, block.end
    bounds = [s, *(_pieces(text, s, e) if e - s > PIECE_LIMIT else []), e]
    return [
        Unit(a, b, kind, block, first=first if a == s else rest, rest=rest, gap=b == e, style=style, head=head)
        for a, b in itertools.pairwise(bounds)
    ]


def _lines(
    text: str, block: Block, head: int, nest: Deco, *, display: bool = True, style: str = "", first: Deco | None = None
) -> list[Unit]:
    """A verbatim block, in pieces cut after a newline when it is long (`first`: the decoration
    before its first row, when not `nest`)."""
    s, e = block.start, block.end
    bounds = [s]
    while e - bounds[-1] > PIECE_LIMIT:
        at = bounds[-1]
        nl = text.find("\n", at + PIECE_SIZE // 2, at + PIECE_SIZE)
        bounds.append(nl + 1 if nl >= 0 else at + PIECE_SIZE)
    bounds.append(e)
    return [
        Unit(
            a,
            b,
            LINES,
            block,
            display=display,
            first=(nest if first is None or a != s else first),
            rest=nest,
            gap=b == e,
            style=style,
            head=head,
        )
        for a, b in itertools.pairwise(bounds)
    ]


def _pieces(text: str, start: int, end: int) -> list[int]:
    """Cut points (piece starts after the first) of a long paragraph, at whitespace if any."""
    cuts: list[int] = []
    pos = start
    while end - pos > PIECE_SIZE + PIECE_SIZE // 2:
        limit = pos + PIECE_SIZE
        cut = max(text.rfind(" ", pos + PIECE_SIZE // 2, limit), text.rfind("\n", pos + PIECE_SIZE // 2, limit))
        cut = cut + 1 if cut >= 0 else limit
        while cut < end and is_zero_width(text[cut]):
            cut += 1
        if cut >= end:
            break
        cuts.append(cut)
        pos = cut
    return cuts
