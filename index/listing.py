"""The document list: its rows (`ListItem`), their order, and a small cache of them beside the index.

The reader shows its list from the cache (`listing.json`) at start, before Whoosh is even
imported; the index rewrites it after each update. It is only a cache: missing or damaged, it is
simply rebuilt. The rows are built here, in the core, so the list widget only draws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from folio_reader.index.atomic_io import read_json_file, write_json_atomic
from folio_reader.index.corpus import DocMeta, Problem

LISTING = "listing.json"
#: About 200 bytes a document: room for a couple of million documents.
MAX_LISTING_BYTES = 512 * 1024 * 1024


def _read(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = read_json_file(index_dir / LISTING, max_bytes=MAX_LISTING_BYTES)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def load_listing(index_dir: Path) -> tuple[list[DocMeta], list[Problem]]:
    data = _read(index_dir)
    if data is None:
        return [], []
    metas: list[DocMeta] = []
    problems: list[Problem] = []
    try:
        for d in data.get("documents", []):
            metas.append(DocMeta.from_json(d))
        for rel, reason in data.get("problems", []):
            problems.append(Problem(rel, reason))
    except (TypeError, ValueError, AttributeError):
        return [], []
    return metas, problems


def save_listing(index_dir: Path, metas: list[DocMeta], problems: list[Problem]) -> None:
    """Write the listing atomically. Compact JSON (no indent), so it is encoded by the C encoder:
    `json.dump` with an indent encodes in Python (50,000 documents: 2.8 s against 0.3 s)."""
    data = {"documents": [m.to_json() for m in metas], "problems": [[p.rel, p.reason] for p in problems]}
    write_json_atomic(index_dir / LISTING, data)


# -- the list the reader shows ------------------------------------------------------------------

#: The orders the document list can be sorted in, in the order `s` cycles through them.
SORTS = ("path", "date", "title", "outlet")


@dataclass(frozen=True, slots=True)
class ListItem:
    """One row of the document list: a document (read, or found but not read yet) or a file that
    cannot be read, with its reason."""

    rel: str
    title: str
    outlet: str | None = None
    author: str | None = None
    date: dt.date | None = None
    words: int | None = None  #: None while the file is not yet read
    problem: str | None = None

    @classmethod
    def from_meta(cls, meta: DocMeta) -> ListItem:
        return cls(meta.rel, meta.title, meta.outlet, meta.author, meta.date, meta.words)

    @classmethod
    def from_problem(cls, problem: Problem) -> ListItem:
        return cls(problem.rel, problem.rel, problem=problem.reason)

    @classmethod
    def unread(cls, rel: str) -> ListItem:
        """A file found by the scan that the index has not read yet: listed by its name."""
        return cls(rel, rel)

    def matches(self, words: Iterable[str]) -> bool:
        """Every (casefolded) word is in the title, outlet, author, path or problem."""
        hay = " ".join(x for x in (self.title, self.outlet, self.author, self.rel, self.problem) if x).casefold()
        return all(w in hay for w in words)


def sort_items(items: Iterable[ListItem], key: str) -> list[ListItem]:
    """The documents in the order `key` (one of `SORTS`), then the unreadable files by path."""
    every = list(items)
    docs = [i for i in every if i.problem is None]
    bad = [i for i in every if i.problem is not None]
    if key == "date":  # newest first; undated last
        docs.sort(key=lambda i: (i.date is None, -(i.date.toordinal() if i.date else 0), i.rel))
    elif key == "title":
        docs.sort(key=lambda i: (i.title.casefold(), i.rel))
    elif key == "outlet":
        docs.sort(key=lambda i: (i.outlet is None, (i.outlet or "").casefold(), i.rel))
    else:
        docs.sort(key=lambda i: (i.rel.casefold(), i.rel))
    return docs + sorted(bad, key=lambda i: i.rel)


def list_items(metas: Iterable[DocMeta], unread: Iterable[str], problems: Iterable[Problem]) -> list[ListItem]:
    """What the index knows, then files it does not know yet (by name, read when opened), then
    the problems found by a scan or an update: each path once, the first word on it winning."""
    items = [ListItem.from_meta(m) for m in metas]
    known = {i.rel for i in items}
    for rel in unread:
        if rel not in known:
            known.add(rel)
            items.append(ListItem.unread(rel))
    for problem in problems:
        if problem.rel not in known:
            known.add(problem.rel)
            items.append(ListItem.from_problem(problem))
    return items


def cached_items(index_dir: Path) -> list[ListItem]:
    """The list as the index last saw it (from its listing), or [] when there is none yet (or
    it is damaged). On the path to the first frame: the rows are made straight from the JSON,
    without the `DocMeta` of each document (50,000 of them: 0.25 s of a 5,000-file start in
    the profile was `DocMeta.from_json`)."""
    data = _read(index_dir)
    if data is None:
        return []
    items: list[ListItem] = []
    known: set[str] = set()
    date = dt.date.fromisoformat
    try:
        for d in data.get("documents", []):
            rel, title, outlet, author, day, words = (
                d["rel"],
                d["title"],
                d.get("outlet"),
                d.get("author"),
                d.get("date"),
                d.get("words"),
            )
            if not (
                type(rel) is str
                and type(title) is str
                and (outlet is None or type(outlet) is str)
                and (author is None or type(author) is str)
                and (words is None or type(words) is int)
            ):
                return []  # (inline, not a helper: 50,000 calls of one cost 0.36 s in the profile)
            items.append(ListItem(rel, title, outlet, author, date(day) if day else None, words))
            known.add(rel)
        for rel, reason in data.get("problems", []):
            if not (isinstance(rel, str) and isinstance(reason, str)):
                return []
            if rel not in known:
                known.add(rel)
                items.append(ListItem(rel, rel, problem=reason))
    except (TypeError, ValueError, AttributeError, KeyError):
        return []
    return items
