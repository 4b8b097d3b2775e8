"""Snippets: a one-line excerpt of a document around its densest run of hits, with the hits'
spans relative to it, so a span is a pair of offsets into the snippet string.

A plain document's snippet is cut from its canonical text. A Markdown or reST document's is
cut from what a reader sees of it (`document.excerpt`: the blocks around the hits rendered): markers
(`**`, `[`…`](url)`, role names, comments) are hidden, hidden blocks never fill a snippet, and
each hit's canonical span is mapped through its block's display onto the displayed word.
"""

from __future__ import annotations

from folio_reader.index.document import Structure
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
    text: str, spans: list[Span], width: int = SNIPPET_CHARS, structure: Structure | None = None
) -> tuple[str, list[Span]]:
    """A one-line excerpt around the densest run of spans, and the spans inside it (relative).
    With a structure that is not the plain rule's, the excerpt is of the displayed text."""
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
    return _excerpt(shown, mapped, width, before=lo > displayed[0].start, after=hi < displayed[-1].end)


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
