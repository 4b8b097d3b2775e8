"""What searching and updating the index give back: hits, a search's result, an update's report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from folio_reader.index.corpus import Problem

Span = tuple[int, int]


@dataclass(slots=True)
class Hit:
    """One matching document: its metadata, score, a snippet, and the span of every match."""

    rel: str
    title: str
    outlet: str | None
    author: str | None
    date: dt.date | None
    score: float
    snippet: str
    snippet_spans: list[Span]
    matches: int  #: matches in the text (one per span)
    spans: list[Span]
    stale: bool = False  #: the file changed since it was indexed: spans may be off
    #: matches in other fields (title, author, outlet, date, path), by field
    field_matches: dict[str, int] = field(default_factory=dict)

    def describe_matches(self) -> str:
        """What matched, in words: "3 matches", "in title", "2 matches, in title, path (2)"."""
        said = []
        if self.matches or not self.field_matches:
            said.append(f"{self.matches:,} match{'es' if self.matches != 1 else ''}")
        if self.field_matches:
            named = [name if n == 1 else f"{name} ({n:,})" for name, n in self.field_matches.items()]
            said.append("in " + ", ".join(named))
        return ", ".join(said)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.rel,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "snippet_spans": [list(s) for s in self.snippet_spans],
            "matches": self.matches,
            "spans": [list(s) for s in self.spans],
            "field_matches": dict(self.field_matches),
        }


@dataclass(slots=True)
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    error: str | None = None  #: why the query could not be run, in words
    suggestion: str | None = None  #: a corrected query when nothing matched
    note: str | None = None  #: e.g. "search answers from 1,200 of 5,000 documents indexed so far"
    damaged: bool = False  #: the index could not be read: the caller should rebuild it
    seconds: float = 0.0


@dataclass(slots=True)
class UpdateReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    locked: bool = False  #: another process holds the writer: the index was left as it stands
    cancelled: bool = False
    messages: list[str] = field(default_factory=list)

    @property
    def indexed(self) -> int:
        return self.added + self.updated
