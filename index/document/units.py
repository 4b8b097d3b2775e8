"""Text units, one place for all: paragraph spans, sentences and words over the canonical text.

Paragraphs come from a document's blocks (its structure, or the plain rule when it has none).
The sentence splitter is the one the reader's caret and the titles use: a terminator (`.`, `!`,
`?`, `…`, and the CJK full stops) with its closing quotes and brackets, followed by whitespace
or the paragraph's end, that does not end an initial ("J.", "U.S.") or a common abbreviation.
It is hand-written because sentence splitting of this kind is a heuristic, not a grammar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .model import NOT_DISPLAYED, Block, Kind, Structure
from .plain import plain_blocks

#: The longest stretch looked at around an offset when finding its sentence.
WINDOW = 4096

_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’»)\]*_]*(?=\s|$)|[。！？]+[」』）”’]*")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen sen rep gov inc co corp ltd vs etc e.g i.e no vol fig "  # noqa: SIM905
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_WORD_BEFORE_RE = re.compile(r"([\w.]+)\.$")
#: The characters of the CJK scripts, as a regular-expression class body: Han (with 々 and 〇),
#: Hiragana, Katakana (not the middle dot ・), half-width Katakana, Hangul. The search analysis
#: indexes their runs as bigrams; the caret steps through them a character a word.
CJK_CHARS = (
    "\u3005\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3"
)
#: The one tokeniser's word: `analysis.WORD_RE`, copied because importing `analysis`
#: imports Whoosh, which must stay off the path to the first frame (a test keeps them equal).
WORD_RE = re.compile(r"[^\W_]+(?:\.?[^\W_]+)*")


# -- paragraphs ---------------------------------------------------------------------------------


def paragraphs(text: str, structure: Structure | None = None) -> list[tuple[int, int]]:
    """Spans of the paragraphs of a canonical text, in order: one a displayed block (a heading,
    a paragraph, a list item, a code block, a table), whitespace trimmed; the plain rule's
    blocks when no structure is given."""
    blocks: Sequence[Block] = structure.blocks if structure is not None else plain_blocks(text)
    spans: list[tuple[int, int]] = []
    skipped = NOT_DISPLAYED | {Kind.BREAK}
    for block in blocks:
        if block.kind in skipped:
            continue
        s, e = block.start, block.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and (not spans or s >= spans[-1][1]):
            spans.append((s, e))
    return spans


# -- sentences ----------------------------------------------------------------------------------


def _ends_sentence(text: str, m: re.Match[str], end: int) -> bool:
    """A terminator ends a sentence when whitespace (or the paragraph's end) follows it and it
    does not end an initial or a common abbreviation."""
    if m.group()[0] in "。！？":
        return True
    if m.end() < end and not text[m.end()].isspace():
        return False
    if not m.group().startswith("."):
        return True
    before = _WORD_BEFORE_RE.search(text, max(0, m.start() - 12), m.start() + 1)
    if before is None:
        return True
    word = before.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith", "U.S."
        return False
    if "." in word and len(word) <= 6:  # "U.S", "e.g"
        return False
    return word.lower() not in ABBREVIATIONS


def sentence_ends(text: str, start: int, end: int) -> Iterator[int]:
    """Offsets just past each sentence's terminator in text[start:end], in order."""
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        if _ends_sentence(text, m, end):
            yield m.end()


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of text[start:end] (a paragraph), whitespace between them excluded."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    s = start
    for e in [*sentence_ends(text, start, end), end]:
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            spans.append((s, e))
        s = e
    return spans


def sentence_bounds(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """The sentence around offset inside text[start:end] (a paragraph): (start, end), the one
    `sentences` finds there. Terminators are read in one pass from `WINDOW` before offset, each
    judged by what follows it in the paragraph (not in the window): a run that reaches offset
    (`...`, `?!)`) ends the sentence offset is in, not one before it."""
    offset = max(start, min(offset, end - 1 if end > start else start))
    while offset > start and text[offset].isspace():  # between sentences: the one before
        offset -= 1
    s, e = start, end
    for m in _SENTENCE_END_RE.finditer(text, max(start, offset - WINDOW), min(end, offset + WINDOW)):
        if not _ends_sentence(text, m, end):
            continue
        if m.end() > offset:
            e = m.end()
            break
        s = m.end()
    while s < offset and text[s].isspace():
        s += 1
    return s, max(e, s)


def first_sentence(text: str) -> str:
    """The text up to its first sentence end that does not end an abbreviation such as "U.S."."""
    for e in sentence_ends(text, 0, min(len(text), WINDOW)):
        return text[:e]
    return text


# -- words --------------------------------------------------------------------------------------


def words(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the words in text[start:end], as the one tokeniser finds them (letters and
    digits, dots inside: `U.S.`, `3.5`; the underscore is not a letter)."""
    for m in WORD_RE.finditer(text, start, len(text) if end is None else end):
        yield m.start(), m.end()


def word_count(text: str) -> int:
    return len(text.split())
