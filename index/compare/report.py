"""The plain-text report of a comparison (`folio compare` when stdout is not a terminal).

Aligned pairs with excerpts, the only-here paragraphs of each side, the shared quotes with where
each occurs. Paragraphs are named ¶1, ¶2, … in each document. File names and titles (which may
come from a catalog) are written inert, control characters made visible (a name can hold ESC);
excerpts and quotes come from the canonical texts, inert already.
"""

from __future__ import annotations

import bisect
import textwrap
from collections import defaultdict

from folio_reader.index.compare.model import Comparison, Pair, SharedQuote, Span
from folio_reader.index.compare.quotes import MIN_QUOTE_WORDS, collapse_spaces
from folio_reader.index.corpus import Document
from folio_reader.index.inert import inert_label

_EXCERPT_CHARS = 100
_REPORT_WIDTH = 88


class _Numbered:
    """A document's paragraphs as the report names them: ¶1, ¶2, …"""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.starts = [start for start, _ in doc.paragraphs]
        self.numbers = {span: n for n, span in enumerate(doc.paragraphs, 1)}

    def label(self, span: Span) -> str:
        return f"¶{self.numbers.get(span, '?')}"

    def excerpt(self, span: Span) -> str:
        text = collapse_spaces(self.doc.text[span[0] : span[1]])
        return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1].rstrip() + "…"

    def where(self, span: Span) -> str:
        """The paragraphs a span runs over, and its offsets."""
        first = max(1, bisect.bisect_right(self.starts, span[0]))
        last = max(1, bisect.bisect_right(self.starts, span[1] - 1))
        paragraphs = f"¶{first}" if first == last else f"¶{first}–{last}"
        return f"{paragraphs} (characters {span[0]}–{span[1]})"


def format_report(comparison: Comparison, a_doc: Document, b_doc: Document) -> str:
    """A plain-text report: aligned pairs with excerpts, only-here passages, shared quotes."""
    a, b = _Numbered(a_doc), _Numbered(b_doc)
    lines = [
        f"A: {_named(a_doc)}, {len(a_doc.paragraphs)} paragraphs",
        f"B: {_named(b_doc)}, {len(b_doc.paragraphs)} paragraphs",
        "",
        f"{len(comparison.alignment)} aligned pairs, {len(comparison.only_in_a)} paragraphs only in A, "
        f"{len(comparison.only_in_b)} only in B, {len(comparison.shared_quotes)} shared quotes.",
    ]
    lines += _report_pairs(comparison.alignment, a, b)
    lines += _report_only("A", comparison.only_in_a, a)
    lines += _report_only("B", comparison.only_in_b, b)
    lines += _report_quotes(comparison.shared_quotes, a, b)
    return "\n".join(lines) + "\n"


def _named(doc: Document) -> str:
    return inert_label(f"{doc.meta.title} ({doc.rel})")


def _report_pairs(alignment: list[Pair], a: _Numbered, b: _Numbered) -> list[str]:
    lines = ["", "ALIGNED PASSAGES (each paragraph of A with its counterparts in B, best first; score 0-1)"]
    by_a: dict[Span, list[Pair]] = defaultdict(list)
    for pair in alignment:
        by_a[pair.a].append(pair)
    if not by_a:
        lines.append("  (none)")
    for span, pairs in by_a.items():
        lines += ["", f"A {a.label(span)}  {a.excerpt(span)}"]
        lines += [
            f"  = B {b.label(p.b)} ({p.score:.2f})  {b.excerpt(p.b)}" for p in sorted(pairs, key=lambda p: -p.score)
        ]
    return lines


def _report_only(side: str, spans: list[Span], doc: _Numbered) -> list[str]:
    lines = ["", f"ONLY IN {side} ({len(spans)} paragraphs)"]
    return lines + ([f"  {doc.label(span)}  {doc.excerpt(span)}" for span in spans] or ["  (none)"])


def _report_quotes(quotes: list[SharedQuote], a: _Numbered, b: _Numbered) -> list[str]:
    lines = ["", f"SHARED QUOTES (runs of {MIN_QUOTE_WORDS} or more words found in both)"]
    if not quotes:
        lines.append("  (none)")
    for quote in quotes:
        lines += ["", *textwrap.wrap(f"“{quote.text}”", _REPORT_WIDTH, initial_indent="  ", subsequent_indent="  ")]
        lines += [f"    A {a.where(span)}" for span in quote.a]
        lines += [f"    B {b.where(span)}" for span in quote.b]
    return lines
