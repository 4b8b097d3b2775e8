"""The records a corpus is made of: a file a scan found (`FileEntry`), what Folio knows of a
document without reading it again (`DocMeta`, the listing's row), a loaded document (`Document`)
and a scan's result (`ScanResult`). `index/corpus.py` finds and loads them; every module that
only passes them around imports them from there or here.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import document
from .document import Structure, units
from .formats import Section
from .text import canonical_text, content_hash
from .walk import Problem


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A candidate document found by a scan: where it is and its stat, nothing read yet."""

    rel: str  #: path relative to the corpus root, with forward slashes
    location: str  #: absolute path (a `str`: a `Path` made for each of 50,000 files cost 40% of a scan)
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        """The absolute path."""
        return Path(self.location)


@dataclass(slots=True)
class DocMeta:
    rel: str
    title: str
    title_source: str  #: 'catalog', 'heading', 'first line', 'first sentence' or 'file name'
    author: str | None
    outlet: str | None
    date: dt.date | None
    date_source: str  #: 'catalog', 'text' or 'none'
    words: int
    size: int
    mtime_ns: int
    content_hash: str
    encoding: str
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__slots__}
        d["date"] = self.date.isoformat() if self.date else None
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DocMeta:
        """From `to_json`'s dict (a field it lacks is None). A cache Folio wrote: callers catch
        TypeError, ValueError and AttributeError. Each field taken by name, not through a dict
        made for the call: the first listing of a process makes 50,000 of them."""
        get: Callable[[str], Any] = d.get  # (a cache Folio wrote: the fields as it wrote them)
        day = get("date")
        return cls(
            get("rel"),
            get("title"),
            get("title_source"),
            get("author"),
            get("outlet"),
            dt.date.fromisoformat(day) if day else None,
            get("date_source"),
            get("words"),
            get("size"),
            get("mtime_ns"),
            get("content_hash"),
            get("encoding"),
            get("note"),
        )


@dataclass(slots=True)
class Document:
    meta: DocMeta
    text: str  #: the canonical text
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    #: its blocks (None when loaded for indexing only, without paragraphs); for a web page,
    #: EPUB or PDF those of its extracted Markdown, where each chapter or page is a level-1 heading
    structure: Structure | None = None
    #: a book's chapters, a PDF's pages ("Page 12" for the status line: `section_at`)
    sections: tuple[Section, ...] = ()
    #: what the reader is told as it opens: limits reached, parts of the file left out
    notes: tuple[str, ...] = ()
    #: the suffix its text was parsed as (".md" for an extracted web page, EPUB or PDF)
    read_as: str = ""
    #: None when the whole text is parsed; for the opening of a long text (`Corpus.load(...,
    #: opening=True)`), where the parsed part ends: the structure, the paragraphs and
    #: `meta.words` cover only `text[:parsed_to]`, and `Corpus.complete` does the rest
    parsed_to: int | None = None

    @property
    def complete(self) -> bool:
        return self.parsed_to is None

    @property
    def rel(self) -> str:
        return self.meta.rel

    def section_at(self, offset: int) -> Section | None:
        """The chapter or page an offset is in, or None (before the first, or no sections)."""
        i = bisect_right([s.start for s in self.sections], offset) - 1
        return self.sections[i] if i >= 0 else None

    @classmethod
    def from_text(cls, rel: str, text: str) -> Document:
        """A document made from a string rather than a file (scripts, tests, benchmarks)."""
        canon = canonical_text(text)
        data = canon.encode("utf-8", "surrogatepass")
        structure = document.parse(canon, Path(rel).suffix)
        found = document.metadata(canon, Path(rel).suffix, structure)
        meta = DocMeta(
            rel=rel,
            title=found.title or Path(rel).stem,
            title_source=found.title_source if found.title else "file name",
            author=None,
            outlet=None,
            date=None,
            date_source="none",
            words=units.word_count(canon),
            size=len(data),
            mtime_ns=0,
            content_hash=content_hash(data),
            encoding="utf-8",
        )
        return cls(meta, canon, units.paragraphs(canon, structure), structure)


@dataclass(slots=True)
class ScanResult:
    entries: list[FileEntry]
    problems: list[Problem]
