"""The plain-text rule: prose reflowed, everything else kept line for line.

Plain text has no grammar to hand to a parser, so this rule is Folio's own, written here and in
docs/document-structure.md. A *block* is a run of non-blank lines. In order:

1. A document written one paragraph per line (a quarter or more of its text lines run past
   100 characters), or a block with a line that long: every line is a paragraph of its own, so
   a byline and a date on two short lines stay two.
2. A title over (and under) a line of one repeated punctuation character: a heading, the
   adornment hidden.
3. Verbatim (kept as written, never reflowed): every line indented past the document's own
   margin; lines set in columns (a tab, or a run of two or more spaces inside the line not after
   a full stop, on two lines or more, or on the block's only line); drawings (a third or more
   of the non-space characters are box-drawing punctuation such as `-|+=_*/\\<>`).
4. Lists: a line starting with a marker (`-`, `*`, `+`, `•`, `1.`, `a)`) starts a paragraph;
   lines without one continue it.
5. Short lines: in a hard-wrapped document (its long lines are 50 columns or more), a block
   with a line before its last that ends before 60% of that width is a set of lines (an
   address, a poem, a byline): one paragraph each.
6. Anything else is a hard-wrapped paragraph: one paragraph, reflowed.

Everything is found with a few regular expressions over each block: a 35 MB text goes through
this rule in about the time it takes to read it.
"""

from __future__ import annotations

import re

from .model import Block, Kind

_BLOCK_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_LINE_RE = re.compile(r"[^\n]*\S[^\n]*")
_ITEM_RE = re.compile(r"[ \t]*(?:[-*+•‣◦]|\(?(?:\d{1,3}|[A-Za-z])[.)])[ \t]+\S")
_ADORNMENT_RE = re.compile(r"[ \t]*([!-/:-@\[-`{-~])\1{2,}[ \t]*")
_GAP_RE = re.compile(r"(?<=[^\s.!?:;,])(?:[ \t]*\t[ \t]*| {2,})(?=\S)")
_ART_RE = re.compile(r"[-|+=_*/\\<>~^#]")
_INDENT_RE = re.compile(r"[ \t]*")
UNWRAPPED_LINE = 100
_SHORT = 0.6


def _indent(line: str) -> int:
    m = _INDENT_RE.match(line)
    return len(m.group().expandtabs(8)) if m else 0


class _Doc:
    """What the rule needs to know of the whole text: its margin, its width, its wrapping."""

    def __init__(self, text: str, lo: int, hi: int) -> None:
        lengths: list[int] = []
        margin = 10**9
        long_lines = 0
        for m in _LINE_RE.finditer(text, lo, hi):
            line = m.group()
            indent = _indent(line)
            margin = min(margin, indent)
            n = len(line)
            lengths.append(n)
            if n > UNWRAPPED_LINE:
                long_lines += 1
            if len(lengths) > 20_000:  # a sample is enough
                break
        self.margin = 0 if margin == 10**9 else margin
        self.unwrapped = bool(lengths) and long_lines * 4 >= len(lengths)
        lengths.sort()
        self.width = lengths[int(len(lengths) * 0.9)] if lengths else 0


def plain_blocks(text: str, lo: int = 0, hi: int | None = None, nest: tuple[Kind, ...] = ()) -> list[Block]:
    """The blocks of text[lo:hi] by the plain rule."""
    hi = len(text) if hi is None else hi
    doc = _Doc(text, lo, hi)
    blocks: list[Block] = []
    for m in _BLOCK_RE.finditer(text, lo, hi):
        _block(text, m.start(), m.end(), doc, nest, blocks)
    return blocks


def _lines(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _LINE_RE.finditer(text, lo, hi)]


def _block(text: str, lo: int, hi: int, doc: _Doc, nest: tuple[Kind, ...], out: list[Block]) -> None:
    lines = _lines(text, lo, hi)
    strs = [text[s:e] for s, e in lines]
    unwrapped = doc.unwrapped or max(e - s for s, e in lines) > UNWRAPPED_LINE
    if unwrapped and not _verbatim(strs, doc, one_line_columns=False):
        for s, e in lines:
            out.append(_paragraph(text, s, e, nest))
        return
    heading = _heading(text, lines, strs, nest)
    if heading is not None:
        out.append(heading)
        return
    if _verbatim(strs, doc):
        out.append(Block(Kind.LINES, lines[0][0], lines[-1][1], nest=nest))
        return
    if any(_ITEM_RE.match(s) for s in strs):
        start = lines[0][0]
        for k in range(1, len(lines)):
            if _ITEM_RE.match(strs[k]):
                out.append(_paragraph(text, start, lines[k - 1][1], nest))
                start = lines[k][0]
        out.append(_paragraph(text, start, lines[-1][1], nest))
        return
    if doc.width >= 50 and len(lines) > 1 and any(len(s.strip()) < doc.width * _SHORT for s in strs[:-1]):
        for s, e in lines:
            out.append(_paragraph(text, s, e, nest))
        return
    out.append(_paragraph(text, lines[0][0], lines[-1][1], nest))


def _indent_len(line: str) -> int:
    return len(line) - len(line.lstrip())


def _paragraph(text: str, s: int, e: int, nest: tuple[Kind, ...]) -> Block:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Block(Kind.PARAGRAPH, s, e, nest=nest)


def _heading(text: str, lines: list[tuple[int, int]], strs: list[str], nest: tuple[Kind, ...]) -> Block | None:
    """`Title` over `=====` (and under one): a heading with its adornment hidden."""
    if len(lines) == 2 and _ADORNMENT_RE.fullmatch(strs[1]) and not _ADORNMENT_RE.fullmatch(strs[0]):
        over, title, under = None, 0, 1
    elif (
        len(lines) == 3
        and _ADORNMENT_RE.fullmatch(strs[0])
        and _ADORNMENT_RE.fullmatch(strs[2])
        and not _ADORNMENT_RE.fullmatch(strs[1])
    ):
        over, title, under = 0, 1, 2
    else:
        return None
    if len(strs[under].strip()) < max(3, len(strs[title].strip()) // 2):
        return None
    char = strs[under].strip()[0]
    level = 1 if over is not None or char == "=" else 2 if char in "-~" else 3
    s = lines[title][0]
    ts, te = s + _indent_len(strs[title]), s + len(strs[title].rstrip())
    lo, hi = lines[0][0], lines[-1][1]
    hidden = [(lo, ts), (te, hi)]
    return Block(Kind.HEADING, lo, hi, level=level, nest=nest, hidden=tuple(r for r in hidden if r[1] > r[0]))


def _verbatim(strs: list[str], doc: _Doc, *, one_line_columns: bool = True) -> bool:
    if all(_indent(s) > doc.margin + 1 for s in strs):
        return True
    gaps = [s for s in strs if _GAP_RE.search(s.strip())]
    if gaps and (len(gaps) >= 2 or (one_line_columns and len(strs) == 1)):
        return True
    chars = "".join(strs)
    visible = len(chars) - chars.count(" ") - chars.count("\t")
    return visible > 0 and len(_ART_RE.findall(chars)) * 3 >= visible
