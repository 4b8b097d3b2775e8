"""The documents an index holds as `DocMeta`s, in corpus order, kept in step with its stored metadata.

The listing is saved after every update and the reader's list is made again after it, each from
the `DocMeta`s of every document the index holds. Making them from the 50,000 stored metadata
dicts of a large corpus again each time (and even checking each against the one it was made
from, in a Python loop that allocated as it went) was a third of a one-file update. `Described`
keeps the list of the last call and its metadata, finds what changed since with one pass of
identity tests, and patches only those rows into place.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, Protocol

from folio_reader.index.corpus import DocMeta, Problem
from folio_reader.index.walk import sort_key

#: path -> the stored metadata of a document (or of its problem)
Stored = dict[str, dict[str, Any]]

#: Past this share of the documents changed, the list is made again rather than patched.
REMAKE_SHARE = 0.1


def documents_of(stored: Stored, order: Sequence[str] | None = None) -> tuple[list[DocMeta], list[Problem]]:
    """The indexed documents' metadata and the problems recorded, in corpus order.

    `order`: the paths of a scan, already in corpus order (used when it holds every path of
    `stored`, so 50,000 paths are not sorted again)."""
    rels = [rel for rel in order if rel in stored] if order is not None else []
    if len(rels) != len(stored):
        rels = sorted(stored, key=sort_key)
    metas: list[DocMeta] = []
    problems: list[Problem] = []
    for rel in rels:
        meta = stored[rel]
        if "problem" in meta:
            problems.append(Problem(rel, meta["problem"]))
        else:
            metas.append(DocMeta.from_json(meta))
    return metas, problems


class _HasRel(Protocol):
    @property
    def rel(self) -> str: ...


class Described:
    """`documents_of` of an index's stored metadata, kept from one call to the next: a call
    makes a `DocMeta` only for the paths whose metadata changed since the last (a dict that
    is not the same object nor equal to the one it was made from: `StoredCache` shares its
    dicts, an update's own are read back equal), and puts it in its place. The lists returned
    are copies. Safe to call from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stored: Stored = {}  #: what the lists were made from
        self._metas: list[DocMeta] = []
        self._problems: list[Problem] = []
        self.made = 0  #: how many `DocMeta`s the last call made (for tests and benchmarks)

    def of(self, stored: Stored, order: Sequence[str] | None = None) -> tuple[list[DocMeta], list[Problem]]:
        """`documents_of(stored, order)`; `order` in corpus order (a scan's)."""
        with self._lock:
            before = self._stored
            changed = [rel for rel, meta in stored.items() if (old := before.get(rel)) is not meta and old != meta]
            gone = before.keys() - stored.keys()
            if not before or len(changed) + len(gone) > REMAKE_SHARE * len(stored):
                self._metas, self._problems = documents_of(stored, order)
                self.made = len(self._metas)
            else:
                self.made = 0
                for rel in sorted({*changed, *gone}, key=sort_key):
                    self._patch(rel, stored.get(rel))
            self._stored = dict(stored)
            return list(self._metas), list(self._problems)

    def clear(self) -> None:
        """Forget the lists (the index was replaced): the next call makes them all again."""
        with self._lock:
            self._stored, self._metas, self._problems = {}, [], []

    def _patch(self, rel: str, meta: dict[str, Any] | None) -> None:
        """Put `rel`'s row (a document's, a problem's, or none when it is gone) in its place."""
        _remove(self._metas, rel)
        _remove(self._problems, rel)
        if meta is None:
            return
        if "problem" in meta:
            self._problems.insert(_place(self._problems, rel), Problem(rel, meta["problem"]))
        else:
            self._metas.insert(_place(self._metas, rel), DocMeta.from_json(meta))
            self.made += 1


def _place(items: Sequence[_HasRel], rel: str) -> int:
    """Where `rel` goes in `items` (in corpus order)."""
    return bisect_left(items, sort_key(rel), key=lambda item: sort_key(item.rel))


def _remove(items: list[Any], rel: str) -> None:
    at = _place(items, rel)
    if at < len(items) and items[at].rel == rel:
        del items[at]
