"""The lines of a PDF page -> paragraphs: where lines join, and line-end hyphens.

A PDF holds positioned lines, not paragraphs. Lines join into one paragraph unless the layout
says a paragraph ends: the next line is further down than the usual line spacing (a gap), above
the current one (a new column or a box), indented (a first line), or starts with a list bullet;
or the current line stops short of its column's right edge by more than the next line's first
word (the typesetter would have put that word on it: a last line, justified or ragged).

A hyphen at a line end (PDFium marks the ones it takes for soft with U+FFFE) is dropped when the
word joined without it is used elsewhere in the document or the next part starts in lower case
and the hyphenated form is not used elsewhere ("infor-/mation" -> "information", "well-/known"
stays "well-known" when the document writes "well-known" on one line somewhere).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from statistics import median

#: Pages with more lines than this are joined by text alone (no geometry), to stay linear.
MAX_GEOMETRY_LINES = 600

_HYPHENS = "\ufffe\u0002-\u00ad"
_BULLET_RE = re.compile(r"(?:[•◦▪‣∙·–—*-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")
_WORD_RE = re.compile(r"\w+(?:-\w+)*")
_SPACES_RE = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page: its text and the box from its first to its last character (PDF
    units, y up), or no box when PDFium gave none."""

    text: str
    left: float | None = None
    right: float | None = None
    bottom: float | None = None
    top: float | None = None

    @property
    def box(self) -> bool:
        return self.left is not None


def document_words(pages: list[list[Line]]) -> frozenset[str]:
    """Every word (hyphenated compounds whole) written inside a line, lower case."""
    words: set[str] = set()
    for lines in pages:
        for line in lines:
            text = line.text.rstrip(_HYPHENS + " ")
            words.update(w.lower() for w in _WORD_RE.findall(text))
    return frozenset(words)


def paragraphs(lines: list[Line], words: frozenset[str]) -> list[str]:
    """The paragraphs of one page's lines, in order, each one string."""
    lines = [
        ln
        for ln in (Line(_SPACES_RE.sub(" ", ln.text).strip(" "), ln.left, ln.right, ln.bottom, ln.top) for ln in lines)
    ]
    geometry = len(lines) <= MAX_GEOMETRY_LINES
    boxed = [ln for ln in lines if ln.box and ln.text] if geometry else []
    pitch, char_w = _metrics(boxed)
    out: list[str] = []
    current = ""
    prev: Line | None = None
    for i, line in enumerate(lines):
        if not line.text:
            if current:
                out.append(current)
            current, prev = "", None
            continue
        if prev is not None and current and _breaks(prev, line, lines, i, pitch, char_w, geometry):
            out.append(current)
            current = ""
        current = _join(current, line.text, words) if current else line.text
        prev = line
    if current:
        out.append(current)
    return [p.replace("\ufffe", "-").replace("\u0002", "-") for p in out]


def _metrics(lines: list[Line]) -> tuple[float, float]:
    """The usual distance between baselines, and the mean width of a character."""
    steps = [
        a.bottom - b.bottom
        for a, b in itertools.pairwise(lines)
        if a.bottom is not None and b.bottom is not None and a.bottom > b.bottom
    ]
    widths = [
        (ln.right - ln.left) / len(ln.text)
        for ln in lines
        if ln.right is not None and ln.left is not None and len(ln.text) >= 20
    ]
    return (median(steps) if steps else 0.0), (median(widths) if widths else 0.0)


def _breaks(prev: Line, line: Line, lines: list[Line], i: int, pitch: float, char_w: float, geometry: bool) -> bool:
    """Does a paragraph end between `prev` and `line`?"""
    if _BULLET_RE.match(line.text):
        return True
    if not (geometry and prev.box and line.box and pitch > 0 and char_w > 0):
        return prev.text.endswith((".", "!", "?", ":", "\u201d", '"')) and len(prev.text) < 40
    assert prev.left is not None and prev.right is not None and prev.bottom is not None
    assert line.left is not None and line.bottom is not None and line.top is not None and prev.top is not None
    if line.top > prev.top + pitch * 0.5 or prev.bottom - line.bottom > pitch * 1.45:
        return True  # above the last line (a column, a box), or past a gap
    if prev.text.endswith(tuple(_HYPHENS)):
        return False
    first_word = len(line.text.split(" ", 1)[0])
    if prev.right + (first_word + 1.5) * char_w < _column_right(prev, lines, i - 1):
        return True  # the next line's first word would have fitted: the paragraph ended here
    indent = line.left - prev.left
    return 1.5 * char_w < indent < 12 * char_w


def _column_right(line: Line, lines: list[Line], i: int) -> float:
    """The right edge of the column `line` is in: the furthest right of the lines near it that
    overlap it horizontally."""
    assert line.left is not None and line.right is not None
    right = line.right
    for other in lines[max(0, i - 12) : i + 12]:
        if (
            other.box
            and other.left is not None
            and other.right is not None
            and other.left < line.right
            and other.right > line.left
        ):
            right = max(right, other.right)
    return right


def _join(current: str, nxt: str, words: frozenset[str]) -> str:
    if current and current[-1] in _HYPHENS:
        stem = current[:-1]
        head = _WORD_RE.findall(stem[-60:])
        tail = _WORD_RE.match(nxt)
        if head and tail and stem[-1:].isalpha():
            joined = (head[-1] + tail.group()).lower()
            hyphenated = (head[-1] + "-" + tail.group()).lower()
            soft = joined in words or (hyphenated not in words and tail.group()[:1].islower())
            if current[-1] == "\u00ad" or soft:
                return stem + nxt
        return stem + "-" + nxt if current[-1] != "\u00ad" else stem + nxt
    return current + " " + nxt
