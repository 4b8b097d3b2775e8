"""What an extractor hands the corpus: canonical text, metadata, sections, and why it failed.

`Extracted.text` is the document's canonical text (no `\\r`, every control character already
made visible), so the corpus stores and indexes it as it is and every offset here (`Section`)
counts code points in it. With `markdown` set, the text is CommonMark (plus GFM tables) that the
Markdown block parser reads: headings, lists, quotes, code and tables come from there.

An `ExtractionError`'s message is the reason shown to the user in the list of skipped files.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any


class ExtractionError(Exception):
    """A file that cannot be read as a document; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Section:
    """A chapter of a book or a page of a PDF: [start, end) of the canonical text.

    `start` is where its heading line begins (each section starts with a Markdown heading whose
    text is `label`), `end` where the next section starts or the text ends.
    """

    kind: str  #: "chapter" or "page"
    label: str  #: "Chapter 3. The Storm", "Page 12"
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Extracted:
    format: str  #: "html", "epub" or "pdf"
    text: str  #: the canonical text
    markdown: bool  #: the text is Markdown for the Markdown block parser
    title: str | None
    title_source: str  #: "metadata" (page, package or document info), "first line" or "none"
    author: str | None
    date: dt.date | None
    outlet: str | None  #: a web page's site name, a book's publisher
    sections: tuple[Section, ...]
    notes: tuple[str, ...]  #: what the reader should be told: limits reached, parts left out
    extractor_version: str

    def section_at(self, offset: int) -> Section | None:
        """The section an offset is in (for a status line: "Page 12"), or None before the first."""
        i = bisect_right([s.start for s in self.sections], offset) - 1
        return self.sections[i] if i >= 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "text": self.text,
            "markdown": self.markdown,
            "title": self.title,
            "title_source": self.title_source,
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "outlet": self.outlet,
            "sections": [[s.kind, s.label, s.start, s.end] for s in self.sections],
            "notes": list(self.notes),
            "extractor_version": self.extractor_version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extracted:
        """The inverse of `to_json`; raises `ValueError`, `KeyError` or `TypeError` on bad input."""
        date = data["date"]
        return cls(
            format=_str(data["format"]),
            text=_str(data["text"]),
            markdown=bool(data["markdown"]),
            title=_opt_str(data["title"]),
            title_source=_str(data["title_source"]),
            author=_opt_str(data["author"]),
            date=dt.date.fromisoformat(_str(date)) if date is not None else None,
            outlet=_opt_str(data["outlet"]),
            sections=tuple(Section(_str(k), _str(label), int(s), int(e)) for k, label, s, e in data["sections"]),
            notes=tuple(_str(n) for n in data["notes"]),
            extractor_version=_str(data["extractor_version"]),
        )


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def ymd_date(pattern: re.Pattern[str], value: str | None) -> dt.date | None:
    """The date whose year, month and day are groups 1-3 of `pattern` matched at the start of
    `value` (the metadata formats differ only in that pattern); None when absent or impossible."""
    m = pattern.match(value or "")
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
