"""Snippets: a one-line excerpt of a document around its densest run of hits, with the hits'
spans relative to it, so a span is a pair of offsets into the snippet string.

A plain document's snippet is cut from its canonical text. A Markdown or reST document's is
cut from what a reader sees of it (`document.excerpt`: the blocks around the hits rendered): markers
(`**`, `[`…`](url)`, role names, comments) are hidden, hidden blocks never fill a snippet, and
each hit's canonical span is mapped through its block's display onto the displayed word.

A Markdown document's snippet needs only the blocks around its window: `markdown_snippet`
parses just the top-level paragraphs there (a parse of the whole text was most of the cost of
a search's hits), where nothing before them can change how they read; a stretch of plain
paragraphs and headings that no other rule reads is not parsed at all (`_as_written`).
"""

from __future__ import annotations

import re

from folio_reader.index import document
from folio_reader.index.document import Block, Kind, Structure
from folio_reader.index.document.excerpt import displays_between, map_span

SNIPPET_CHARS = 180
#: Only the first this many spans of a document are weighed for where its snippet goes.
MAX_SNIPPET_SPANS = 2000

Span = tuple[int, int]


def merge_spans(spans: list[Span]) -> list[Span]:
    """`spans` sorted, the overlapping ones merged into one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(
    text: str,
    spans: list[Span],
    width: int = SNIPPET_CHARS,
    structure: Structure | None = None,
    *,
    more_before: bool = False,
    more_after: bool = False,
) -> tuple[str, list[Span]]:
    """A one-line excerpt around the densest run of spans, and the spans inside it (relative).
    With a structure that is not the plain rule's, the excerpt is of the displayed text.
    `more_before`, `more_after`: `text` is a stretch of a longer document that goes on there."""
    if structure is None or structure.format == "plain" or not structure.blocks:
        return _excerpt(text, spans, width)
    displayed = [b for b in structure.blocks if b.displayed]
    if not displayed:
        return "", []
    if spans:
        lo, hi = _window(text, spans, width)
    else:
        lo = hi = displayed[0].start
    # the displayed text of the blocks around the window, one space between blocks
    lo, hi = max(0, lo - width), hi + width
    shown, starts, displays = displays_between(text, displayed, lo, hi)
    mapped = [m for m in (map_span(s, e, starts, displays) for s, e in spans) if m is not None]
    before = more_before or lo > displayed[0].start
    return _excerpt(shown, mapped, width, before=before, after=more_after or hi < displayed[-1].end)


#: What makes a stretch of Markdown read differently from the whole: a fenced code block or an
#: HTML block (a blank line inside does not end it), a link reference definition or footnote
#: (used elsewhere), front matter. A text holding any is parsed whole.
_CONTEXT_RE = re.compile(r"^ {0,3}(?:```|~~~|<|\[[^\]\n]+\]:)|\A(?:---|\+\+\+)", re.MULTILINE)
_NON_SPACE_RE = re.compile(r"\S")


def _may_need_context(text: str) -> bool:
    """A quick look (substring searches) for what `_CONTEXT_RE` looks for."""
    return "```" in text or "~~~" in text or "<" in text or "]:" in text or text.startswith(("---", "+++"))


#: A blank line, then a line that starts a top-level block (not indented, not a list item, not
#: a quote): no block before it reaches past the blank line.
_TOP_BREAK_RE = re.compile(r"\n[ \t]*\n(?=[^\s>*+\-\d|=])")


def markdown_snippet(text: str, spans: list[Span], width: int = SNIPPET_CHARS) -> tuple[str, list[Span]] | None:
    """`make_snippet(text, spans, width, structure=document.parse(text, suffix))` for a Markdown
    text, from a parse of only the top-level blocks around the window; None when the text
    holds something that makes a stretch of it read differently (`_CONTEXT_RE`), or has no
    spans or more than are weighed (the window is then found over the whole)."""
    if not spans or len(spans) > MAX_SNIPPET_SPANS or (_may_need_context(text) and _CONTEXT_RE.search(text)):
        return None
    lo, hi = _window(text, spans, width)
    lo, hi = max(0, lo - width), hi + width  # what make_snippet renders
    start = 0
    for reach in (4096, 65536, lo):  # the last break before lo, looked for near it first
        for found in _TOP_BREAK_RE.finditer(text, max(0, lo - reach), lo):
            start = found.end()
        if start:
            break
    if start and _NON_SPACE_RE.search(text, 0, start) is None:
        start = 0
    after = _TOP_BREAK_RE.search(text, hi)
    end = after.start() if after is not None and _NON_SPACE_RE.search(text, after.start()) else len(text)
    if start == 0 and end == len(text):
        return None
    stretch = text[start:end]
    structure = _as_written(stretch) or document.parse(stretch, ".md")
    if structure.format != "markdown":
        return None
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    return make_snippet(text[start:end], inside, width, structure, more_before=start > 0, more_after=end < len(text))


#: A character no Markdown rule reads in a paragraph's line: word characters (not `_`), spaces,
#: newlines, and punctuation that is never markup there (no `*`, `_`, `` ` ``, `[`, `]`, `<`,
#: `>`, `&`, `\\`, `|`, `~`, `=`, `+`, `{`, `}`; no tab, no-break space or other whitespace);
#: `#` only as a heading's marker (`_HEADING_RE`).
_NOT_AS_WRITTEN_RE = re.compile(r"[^\w \n.,;:?!'\"“”‘’()/%$@—–#-]|_")
#: A line that is neither a plain paragraph's nor a heading's: one that starts with a space or a
#: tab (indentation, a blank line of spaces), with what may start another block (a bullet or
#: a thematic break `-`, admonitions `!!!`, `???`, mkdocstrings' `:::`) or an ordered list's
#: number, or that ends with whitespace (a hard break).
_NOT_PARAGRAPH_LINE_RE = re.compile(r"^[ \t\-!?:]|^\d+[.)]|[ \t]$", re.MULTILINE)
#: An ATX heading of one space after its marker, no closing `#`s.
_HEADING_RE = re.compile(r"(#{1,6}) [^#\s][^#\n]*")


def _as_written(stretch: str) -> Structure | None:
    """The structure `document.parse(stretch, ".md")` gives a stretch of plain paragraphs and
    headings that no other Markdown rule reads (each displayed as written, its whitespace runs
    one space, a heading's marker hidden): a paragraph block for each run of lines between
    blank lines and headings, a heading block for each heading. None for any other stretch
    (it is parsed)."""
    if _NOT_AS_WRITTEN_RE.search(stretch) or _NOT_PARAGRAPH_LINE_RE.search(stretch):
        return None
    blocks: list[Block] = []
    start = end = -1  # the paragraph being read
    at = 0
    for line in stretch.split("\n"):
        heading = _HEADING_RE.fullmatch(line) if line.startswith("#") else None
        if heading is None and "#" in line:
            return None
        if (not line or heading is not None) and start >= 0:
            blocks.append(Block(Kind.PARAGRAPH, start, end))
            start = -1
        if heading is not None:
            level = len(heading.group(1))
            blocks.append(Block(Kind.HEADING, at, at + len(line), level=level, hidden=((at, at + level + 1),)))
        elif line:
            start = at if start < 0 else start
            end = at + len(line)
        at += len(line) + 1
    if start >= 0:
        blocks.append(Block(Kind.PARAGRAPH, start, end))
    return Structure("markdown", tuple(blocks))


def _window(text: str, spans: list[Span], width: int) -> Span:
    """The canonical window of about `width` characters with the most distinct matched words,
    then the most matches."""
    weighed = spans[:MAX_SNIPPET_SPANS]
    words = [text[s:e].casefold() for s, e in weighed]
    best, best_count, best_key = 0, 1, (0, 0)
    j = 0
    for i, (s, _) in enumerate(weighed):
        j = max(j, i + 1)
        while j < len(words) and spans[j][1] <= s + width:
            j += 1
        key = (len(set(words[i:j])), j - i)
        if key > best_key:
            best, best_count, best_key = i, j - i, key
    first = spans[best]
    last_end = max(e for _, e in spans[best : best + best_count])
    slack = max(0, width - (last_end - first[0])) // 3
    return max(0, first[0] - slack), min(len(text), max(last_end, first[0] - slack + width))


def _excerpt(
    text: str, spans: list[Span], width: int, *, before: bool = False, after: bool = False
) -> tuple[str, list[Span]]:
    """The snippet of `text`; an ellipsis marks text left out at either end (`before`, `after`:
    the document goes on beyond the ends of `text`)."""
    if not spans:
        start = len(text) - len(text.lstrip())
        window = (start, min(len(text), start + width))
    else:
        window = _window(text, spans, width)
    start, end = _to_word_boundaries(text, *window)
    while start < end and text[start].isspace():
        start += 1
    body = text[start:end].replace("\n", " ").replace("\t", " ")
    prefix = "…" if start > 0 or before else ""
    suffix = "…" if end < len(text) or after else ""
    rel = [
        (max(s, start) - start + len(prefix), min(e, end) - start + len(prefix))
        for s, e in spans
        if s < end and e > start
    ]
    return prefix + body + suffix, rel


def _to_word_boundaries(text: str, start: int, end: int) -> tuple[int, int]:
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    return start, end
