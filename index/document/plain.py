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
from functools import lru_cache

from .model import Block, Kind

_BLOCK_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_LINE_RE = re.compile(r"[^\n]*\S[^\n]*")
_ITEM_LINE_RE = re.compile(r"\n[ \t]*(?:[-*+•‣◦]|\(?(?:\d{1,3}|[A-Za-z])[.)])[ \t]+\S")
_ADORNMENT_RE = re.compile(r"[ \t]*([!-/:-@\[-`{-~])\1{2,}[ \t]*")
_NOT_BEFORE_GAP = frozenset(" \t\n.!?:;,")
_ART_RE = re.compile(r"[-|+=_*/\\<>~^#]")
_INDENT_RE = re.compile(r"[ \t]*")
UNWRAPPED_LINE = 100
#: A line longer than UNWRAPPED_LINE, in a block with a newline put before it (only tried at
#: the starts of lines: tried at every position, it costs a line's length squared)
_LONG_LINE_RE = re.compile(rf"\n[^\n]{{{UNWRAPPED_LINE + 1}}}")
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
    margin = " " * (doc.margin + 2)
    for m in _BLOCK_RE.finditer(text, lo, hi):
        s, e = m.start(), m.end()
        line = m.group()
        if (
            "\n" not in line
            and "\t" not in line
            and "  " not in line.strip()
            and not line.startswith((margin, "\t"))
            and len(_ART_RE.findall(line)) * 3 < len(line) - line.count(" ")
        ):  # one line of prose, the common case in a big file: no rule but a drawing could apply
            s += len(line) - len(line.lstrip())
            blocks.append(Block(Kind.PARAGRAPH, s, e - (len(line) - len(line.rstrip())), nest=nest))
            continue
        _block(text, s, e, doc, nest, blocks)
    return blocks


def _block(text: str, lo: int, hi: int, doc: _Doc, nest: tuple[Kind, ...], out: list[Block]) -> None:
    """One block by the rule; regular expressions over the whole block, so a block of a million
    lines costs about what reading it does."""
    b = "\n" + text[lo:hi]  # the patterns start with the newline before a line: found fast
    newlines = b.count("\n") - 1
    if (doc.unwrapped or _LONG_LINE_RE.search(b) is not None) and not _verbatim(
        b, newlines, doc, one_line_columns=False
    ):
        _per_line(text, lo, hi, nest, out)
        return
    if newlines in (1, 2) and _ADORNMENT_RE.fullmatch(text, text.rfind("\n", lo, hi) + 1, hi):  # (under a title)
        lines = [(m.start(), m.end()) for m in _LINE_RE.finditer(text, lo, hi)]
        heading = _heading(text, lines, [text[s:e] for s, e in lines], nest)
        if heading is not None:
            out.append(heading)
            return
    if _verbatim(b, newlines, doc):
        out.append(Block(Kind.LINES, lo, hi, nest=nest))
        return
    items = [lo + m.start() for m in _ITEM_LINE_RE.finditer(b)]  # (the newline before is at -1)
    if items:
        starts = items if items[0] == lo else [lo, *items]
        for start, end in zip(starts, [*starts[1:], hi], strict=True):
            out.append(_paragraph(text, start, end, nest))
        return
    if doc.width >= 50 and newlines and _short_line_re(int(doc.width * _SHORT)).search(b):
        _per_line(text, lo, hi, nest, out)
        return
    out.append(_paragraph(text, lo, hi, nest))


def _per_line(text: str, lo: int, hi: int, nest: tuple[Kind, ...], out: list[Block]) -> None:
    for m in _LINE_RE.finditer(text, lo, hi):
        out.append(_paragraph(text, m.start(), m.end(), nest))


@lru_cache(maxsize=64)
def _short_line_re(limit: int) -> re.Pattern[str]:
    """A line, not a block's last, of fewer than `limit` characters once stripped."""
    most = max(limit - 1, 1)
    return re.compile(rf"\n[ \t]*\S(?:[^\n]{{0,{max(most - 2, 0)}}}\S)?[ \t]*\n")


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


def _verbatim(b: str, newlines: int, doc: _Doc, *, one_line_columns: bool = True) -> bool:
    if not _margin_re(doc.margin + 1).search(b):  # no line at the margin: all indented
        return True
    gap_lines = _gap_lines(b)
    if len(gap_lines) >= 2:
        return True
    if gap_lines and one_line_columns and newlines == 0:
        return True
    visible = len(b) - b.count(" ") - b.count("\t") - b.count("\n")
    return visible > 0 and len(_ART_RE.findall(b)) * 3 >= visible


def _gap_lines(b: str) -> set[int]:
    """Up to two lines (by number) holding a gap inside them: a tab, or two spaces or more, with
    text on both sides and not after a sentence's end. Found with `str.find`, not a regular
    expression tried at every position."""
    found: set[int] = set()
    for needle in ("\t", "  "):
        line, at = 0, 0
        i = b.find(needle)
        while i >= 0 and len(found) < 2:
            s, e = i, i
            while s > 0 and b[s - 1] in " \t":
                s -= 1
            while e < len(b) and b[e] in " \t":
                e += 1
            if s > 0 and b[s - 1] not in _NOT_BEFORE_GAP and e < len(b) and b[e] != "\n":
                line += b.count("\n", at, s)
                at = s
                found.add(line)
            i = b.find(needle, e)
    return found


@lru_cache(maxsize=64)
def _margin_re(columns: int) -> re.Pattern[str]:
    """A line starting within `columns` columns (spaces; a tab counts as deeper)."""
    return re.compile(rf"\n {{0,{columns}}}\S")
