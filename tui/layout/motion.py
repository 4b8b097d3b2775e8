"""Caret motions over the canonical text: words (vim's w, e, b), sentences and paragraphs.

Offsets here are canonical; the layout snaps each result to a caret position (a hidden marker
moves on to the character shown after it).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence

from folio_reader.index.document.units import CJK_CHARS, sentence_bounds

__all__ = [
    "next_sentence_start",
    "paragraph_index",
    "paragraph_step",
    "sentence_bounds",
    "sentence_step",
    "word_end",
    "word_next",
    "word_prev",
]


def paragraph_index(paragraphs: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the paragraph holding offset (or the next one; the last past the end)."""
    i = bisect_right(paragraphs, (offset, math.inf)) - 1
    if i < 0:
        return 0
    if offset >= paragraphs[i][1] and i + 1 < len(paragraphs):
        return i + 1
    return i


#: A word for the caret: a CJK character on its own (those scripts do not space their words, and
#: a character is the unit the search index also finds), a run of other word characters, or a
#: run of punctuation.
_WORD_RE = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+|[^\w\s]+")
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
