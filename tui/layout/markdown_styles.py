"""Markdown style spans for the plain layout: the markers stay in the text and are dimmed.

Used only where a document is laid out as plain paragraphs (no structure, or above the size
the structured layout takes), as the reader did before documents had structure.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right

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
