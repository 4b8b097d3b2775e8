"""Where `n`/`N` are in the results of a search: a pure, immutable cursor over its hits.

A search result is a list of documents, each with the spans of its hits. The cursor names one
hit of one document; `step(±1)` gives the next cursor and how it got there (within the document,
on to another document, or round to the same one again), so the screen only has to show it.
No Textual here: it is unit-tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from folio_reader.index.search import Hit, SearchResult


class Move(Enum):
    SAME_DOCUMENT = "same document"
    OTHER_DOCUMENT = "other document"  #: past the last (or first) hit of a document, to the next one
    WRAPPED = "wrapped"  #: past the end of the only document with hits, back to its other end


@dataclass(frozen=True, slots=True)
class HitCursor:
    result: SearchResult
    doc: int = 0  #: which document of the result
    hit: int = 0  #: which of its hit spans

    @property
    def document(self) -> Hit:
        return self.result.hits[self.doc]

    @property
    def rel(self) -> str:
        return self.document.rel

    @property
    def span(self) -> tuple[int, int] | None:
        """The current hit, or None for a document that matched without a hit in its text."""
        spans = self.document.spans
        return spans[self.hit] if 0 <= self.hit < len(spans) else None

    def step(self, step: int) -> tuple[HitCursor, Move]:
        """The cursor one hit on (`step` 1) or back (-1); past a document's last hit, the first
        hit of the next result document (its last, going back), round from the end to the start."""
        spans = self.document.spans
        nxt = self.hit + step
        if 0 <= nxt < len(spans):
            return replace(self, hit=nxt), Move.SAME_DOCUMENT
        count = len(self.result.hits)
        doc = (self.doc + step) % count
        target = self.result.hits[doc]
        hit = 0 if step > 0 else max(0, len(target.spans) - 1)
        return replace(self, doc=doc, hit=hit), Move.WRAPPED if count == 1 else Move.OTHER_DOCUMENT

    def covering(self, rel: str, offset: int) -> tuple[int, int] | None:
        """The current hit when it is in document `rel` and covers `offset` (its start counts even
        for an empty span), else None: what `a`/`h`/`y` act on when nothing is selected."""
        span = self.span
        if self.rel != rel or span is None:
            return None
        start, end = span
        return span if start <= offset < max(end, start + 1) else None
