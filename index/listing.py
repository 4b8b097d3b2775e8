"""The document list: its rows (`ListItem`), their order, and a small cache of them beside the index.

The reader shows its list from the cache (`listing.json`) at start, before Whoosh is even
imported; the index rewrites it after each update. It is only a cache: missing or damaged, it is
simply rebuilt. The rows are built here, in the core, so the list widget only draws them.

The cache is stored in columns, the rows the list draws apart from the rest of the metadata and
already in path order, so that the start reads it and checks it in C and makes a `ListItem` only
for the rows drawn (`Rows`); a cache of the first format (a list of dicts) is still read.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from folio_reader.index.atomic_io import loads_bounded, read_bounded, write_atomic
from folio_reader.index.corpus import DocMeta, Problem
from folio_reader.index.listing_encoder import HEADER, problem_columns
from folio_reader.index.listing_encoder import ListingEncoder as ListingEncoder

LISTING = "listing.json"
#: About 200 bytes a document: room for a couple of million documents.
MAX_LISTING_BYTES = 512 * 1024 * 1024


def save_listing(
    index_dir: Path,
    metas: list[DocMeta],
    problems: list[Problem],
    encoder: ListingEncoder | None = None,
    state: str | None = None,
) -> None:
    """Write the listing atomically, in columns (`ListingEncoder`): 50,000 documents encode in a
    fraction of the time a list of dicts took, and the rows the reader starts from are read
    without the rest. `metas` in corpus order (`walk.sort_key`, as a scan gives them): the
    reader shows them in that order as they are. `encoder`: the one that wrote this index's
    last listing (it re-encodes only the rows that changed since); `state`: the state of the
    index the rows are of (written in the header, for `ListingEncoder.seed`)."""
    write_atomic(index_dir / LISTING, (encoder or ListingEncoder()).encode(metas, problems, state))


def listing_bytes(index_dir: Path) -> bytes | None:
    """The listing as it is on disk, or None."""
    return _read_bytes(index_dir)


def load_listing(index_dir: Path) -> tuple[list[DocMeta], list[Problem]]:
    """Every document's metadata and the problems recorded, from the listing; ([], []) when
    there is none or it cannot be read (a cache: the index rebuilds it)."""
    data = _read_bytes(index_dir)
    if data is None:
        return [], []
    try:
        parts = _columns(data)
        if parts is None:
            return _old_listing(loads_bounded(data))
        rows, problems, rest = parts
        rels, titles, outlets, authors, days, words = rows
        columns = _checked(loads_bounded(data[rest:]), len(rels), _REST_TYPES)
        if columns is None:
            return [], []
        metas = [
            DocMeta(r, t, ts, a, o, _date(d), ds, w, size, mtime, digest, enc, note)
            for r, t, o, a, d, w, (ts, ds, size, mtime, digest, enc, note) in zip(
                rels, titles, outlets, authors, days, words, zip(*columns, strict=True), strict=True
            )
        ]
        return metas, [Problem(rel, reason) for rel, reason in zip(*problems, strict=True)]
    except (TypeError, ValueError, AttributeError, KeyError):
        return [], []


def _read_bytes(index_dir: Path) -> bytes | None:
    try:
        return read_bounded(index_dir / LISTING, MAX_LISTING_BYTES)
    except (OSError, ValueError):
        return None


Types = frozenset[type]
_STR: Types = frozenset({str})
_INT: Types = frozenset({int})
_OPT_STR: Types = frozenset({str, type(None)})
_OPT_INT: Types = frozenset({int, type(None)})
_ROW_TYPES = (_STR, _STR, _OPT_STR, _OPT_STR, _OPT_STR, _OPT_INT)
_REST_TYPES = (_STR, _STR, _INT, _INT, _STR, _STR, _OPT_STR)


def _columns(data: bytes) -> tuple[list[list[Any]], list[list[str]], int] | None:
    """The rows and problems of a listing in columns, and where the rest starts (left unparsed),
    or None when it is a listing of the first format (one JSON object). Raises ValueError when
    it is damaged."""
    ends: list[int] = []
    for _ in range(3):  # (the rest is left where it is: no copy of it on the start path)
        ends.append(data.find(b"\n", ends[-1] + 1 if ends else 0))
        if ends[-1] < 0:
            return None
    parts = data[: ends[0]], data[ends[0] + 1 : ends[1]], data[ends[1] + 1 : ends[2]]
    header = loads_bounded(parts[0])
    if not isinstance(header, dict) or header.get("format") != HEADER["format"]:
        raise ValueError("not a listing")
    if header.get("version") != HEADER["version"] or type(count := header.get("documents")) is not int:
        raise ValueError("a listing of another version")
    rows = _checked(loads_bounded(parts[1]), count, _ROW_TYPES)
    problems = loads_bounded(parts[2])
    length = len(problems[0]) if isinstance(problems, list) and problems and isinstance(problems[0], list) else -1
    if rows is None or _checked(problems, length, (_STR, _STR)) is None:
        raise ValueError("a damaged listing")
    return rows, problems, ends[2] + 1


def _checked(columns: object, length: int, types: tuple[Types, ...]) -> list[list[Any]] | None:
    """`columns` when it is a list of `len(types)` lists of `length` values of those types, else
    None. Checked in C (`map(type, ...)`): a Python test per value cost 0.36 s at 50,000."""
    if not (isinstance(columns, list) and len(columns) == len(types)):
        return None
    for column, allowed in zip(columns, types, strict=True):
        if not (isinstance(column, list) and len(column) == length and set(map(type, column)) <= allowed):
            return None
    return columns


def _date(day: str | dt.date | None) -> dt.date | None:
    if not isinstance(day, str):
        return day
    try:
        return dt.date.fromisoformat(day) if day else None
    except ValueError:  # (a damaged cell: no date rather than no list)
        return None


def _old_listing(data: object) -> tuple[list[DocMeta], list[Problem]]:
    """The listing as the first format wrote it: {"documents": [each DocMeta's dict], "problems"}."""
    if not isinstance(data, dict):
        return [], []
    metas = [DocMeta.from_json(d) for d in data.get("documents", [])]
    return metas, [Problem(rel, reason) for rel, reason in data.get("problems", [])]


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


def sort_items(items: Iterable[ListItem], key: str) -> Sequence[ListItem]:
    """The documents in the order `key` (one of `SORTS`), then the unreadable files by path
    (`Rows` already in that order are returned as they are)."""
    if isinstance(items, Rows) and key == items.sort_key:
        return items
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


def rows_of(metas: list[DocMeta], problems: Iterable[Problem]) -> Rows:
    """`list_items(metas, (), problems)` as `Rows`, for `metas` in corpus order (`walk.sort_key`,
    as the index gives them): a list of 50,000 set in the document list costs no sort, no
    `ListItem` per document, on the UI thread, and no column but the paths' (`_MetaRows`)."""
    return _MetaRows(metas, problem_columns(metas, problems))


class Rows(Sequence[ListItem]):
    """The document list read from a listing's columns, in path order (documents, then the
    unreadable files): a row is made into a `ListItem` only when asked for, so a list of
    50,000 costs its file's read and the rows drawn."""

    sort_key = "path"  #: the order the rows are in (`sort_items` leaves them so)

    def __init__(self, rows: list[list[Any]], problems: list[list[str]]) -> None:
        self._rels: list[str] = rows[0] + problems[0]
        self._rows = rows
        self._reasons = problems[1]
        self.documents = len(rows[0])  #: how many of the rows are documents (the first ones)
        #: every row made, once something went through them all (a filter, another order): kept,
        #: so that each key typed in the filter box does not make 50,000 rows again
        self._all: list[ListItem] | None = None

    def __len__(self) -> int:
        return len(self._rels)

    @overload
    def __getitem__(self, index: int) -> ListItem: ...
    @overload
    def __getitem__(self, index: slice) -> list[ListItem]: ...
    def __getitem__(self, index: int | slice) -> ListItem | list[ListItem]:
        if isinstance(index, slice):
            return [self._item(n) for n in range(*index.indices(len(self)))]
        return self._item(index + len(self) if index < 0 else index)

    def __iter__(self) -> Iterator[ListItem]:
        if self._all is None:
            self._all = [self._item(n) for n in range(len(self))]
        return iter(self._all)

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence of the same items (a list of `ListItem`s, other `Rows`)."""
        return isinstance(other, Sequence) and len(other) == len(self) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # (a mutable sequence's: unhashable, as a list)

    def _item(self, n: int) -> ListItem:
        if self._all is not None:
            return self._all[n]
        if n >= self.documents:
            rel = self._rels[n]  # (raises IndexError past the end, as a sequence must)
            return ListItem(rel, rel, problem=self._reasons[n - self.documents])
        rel, title, outlet, author, day, words = (column[n] for column in self._rows)
        return ListItem(rel, title, outlet, author, _date(day), words)

    def index_of(self, rel: str) -> int | None:
        """Where the row of `rel` is, or None."""
        try:
            return self._rels.index(rel)
        except ValueError:
            return None

    def readable(self) -> set[str]:
        """The paths of the documents (not the unreadable files)."""
        return set(self._rels[: self.documents])


class _MetaRows(Rows):
    """`Rows` over the index's `DocMeta`s themselves (in corpus order): after each update the
    list is made of them without a column of each field (six passes over 50,000 documents)."""

    def __init__(self, metas: list[DocMeta], problems: list[list[str]]) -> None:
        super().__init__([list(map(_REL, metas))], problems)
        self._metas = metas

    def _item(self, n: int) -> ListItem:
        if self._all is None and n < self.documents:
            return ListItem.from_meta(self._metas[n])
        return super()._item(n)


_REL = operator.attrgetter("rel")


def cached_items(index_dir: Path) -> Sequence[ListItem]:
    """The list as the index last saw it (from its listing), or [] when there is none yet (or
    it is damaged). On the path to the first frame: the rows' columns are read, checked in C
    and left as they are (`Rows`); a listing of the first format is read into `ListItem`s."""
    data = _read_bytes(index_dir)
    if data is None:
        return []
    try:
        parts = _columns(data)
        if parts is None:
            return _old_items(loads_bounded(data))
    except (TypeError, ValueError, AttributeError, KeyError):
        return []
    return Rows(parts[0], parts[1])


def document_count(items: Sequence[ListItem]) -> int:
    """How many of `items` are documents (not unreadable files)."""
    return items.documents if isinstance(items, Rows) else sum(1 for i in items if i.problem is None)


def readable_paths(items: Sequence[ListItem]) -> set[str]:
    """The paths of the documents among `items`."""
    return items.readable() if isinstance(items, Rows) else {i.rel for i in items if i.problem is None}


def position(items: Sequence[ListItem], rel: str | None) -> int | None:
    """Where the row of `rel` is in `items`, or None."""
    if rel is None:
        return None
    if isinstance(items, Rows):
        return items.index_of(rel)
    return next((n for n, i in enumerate(items) if i.rel == rel), None)


def _old_items(data: object) -> list[ListItem]:
    """The rows of a listing of the first format ({"documents": [dicts], "problems": [pairs]})."""
    if not isinstance(data, dict):
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
