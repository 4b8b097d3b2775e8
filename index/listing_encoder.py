"""The listing's encoding: the columns of every document's metadata, one JSON value a line,
re-encoding only the runs of rows that changed since the last save (`ListingEncoder`).

The lines: a header, the rows the list draws (path order), the problems (path order), then the
rest of each document's metadata (`listing` reads them).
"""

from __future__ import annotations

import itertools
import json
import operator
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from folio_reader.index.atomic_io import loads_bounded
from folio_reader.index.corpus import DocMeta, Problem

#: The listing's lines: a header, the rows the list draws (path order), the problems (path
#: order), then the rest of each document's metadata; each line one JSON value (JSON escapes
#: every newline in a string, so a line is a value).
HEADER = {"format": "folio-listing", "version": 2}
ROW_FIELDS = ("rel", "title", "outlet", "author", "date", "words")
REST_FIELDS = ("title_source", "date_source", "size", "mtime_ns", "content_hash", "encoding", "note")


#: a chunk: its documents, its encoded columns, their CRC-32
_Chunk = tuple[list[DocMeta], list[bytes], int]


class ListingEncoder:
    """Encodes listings, keeping the encoded columns of each run of rows (a chunk) from one call
    to the next: a listing saved again after an update re-encodes only the chunks whose
    documents changed (at 50,000, re-encoding every column took ~0.3 s of each one-file update).

    A chunk ends after a path whose CRC-32 ends in `CHUNK_BITS` zero bits (about 256 rows), so a
    document added or removed changes only its own chunk, and every process cuts the same rows
    into the same chunks. A chunk is reused while it holds the very same `DocMeta` objects (held
    here; a `DocMeta` is never changed once made, only replaced), so the bytes are always those
    of encoding every row again.

    The listing's header says where each chunk's encoded columns are (`chunks`) and, when the
    caller gives it, which state of the index the rows are of (`state`): the first save of a
    process can take the chunks of the listing on disk (`seed`) instead of encoding every row."""

    CHUNK_BITS = 8

    def __init__(self) -> None:
        #: each chunk's documents, its encoded columns (`ROW_FIELDS`, then `REST_FIELDS`) and
        #: their CRC-32, by its first path
        self._chunks: dict[str, _Chunk] = {}
        #: chunks of a listing on disk, by first path, for the next call only: (paths not to take
        #: them for, each chunk's rows, encoded columns and their CRC-32)
        self._seeded: tuple[set[str], dict[str, tuple[int, list[bytes], int]]] = (set(), {})
        self.encoded = 0  #: how many chunks the last call encoded (the others were kept)

    @property
    def empty(self) -> bool:
        """No chunk kept: the next call encodes every row (unless seeded)."""
        return not self._chunks

    def seed(self, data: bytes, state: str, changed: set[str]) -> bool:
        """Take the chunks of `data` (a listing this class wrote) for the next call, when its
        rows are those of the index at `state` (its header says so), except any chunk holding
        a path of `changed` (what the index changed since) or whose bytes are not those its
        CRC-32 in the header is of. False when none can be taken."""
        try:
            header_end = data.index(b"\n")
            header = loads_bounded(data[:header_end])
            if not (isinstance(header, dict) and header.get("state") == state and header | HEADER == header):
                return False
            table = [_chunk_of(entry) for entry in header["chunks"]]
            seeded = _cut(data, table, header_end)
        except (ValueError, TypeError, KeyError, IndexError):
            return False
        self._seeded = (changed, seeded)
        return bool(seeded)

    def encode(self, docs: list[DocMeta], problems: Iterable[Problem], state: str | None = None) -> bytes:
        """The listing of `docs` and `problems`; `state`: which state of the index they are of."""
        chunks: dict[str, _Chunk] = {}
        changed, seeded = self._seeded
        self._seeded = (set(), {})
        self.encoded = 0
        for chunk, kept in self._split(docs, changed, seeded):
            if kept is None:
                pieces = _encoded_columns(chunk)
                kept = (chunk, pieces, _crc(pieces))
                self.encoded += 1
            chunks[chunk[0].rel] = kept
        self._chunks = chunks
        columns = [b"[" + b",".join(c[1][n] for c in chunks.values()) + b"]" for n in range(len(_FIELDS))]
        rows, rest = columns[: len(ROW_FIELDS)], columns[len(ROW_FIELDS) :]
        header: dict[str, object] = dict(HEADER)
        if state is not None:
            header["state"] = state
        header["chunks"] = [
            [first, len(kept[0]), [len(piece) for piece in kept[1]], kept[2]] for first, kept in chunks.items()
        ]
        header["documents"] = len(docs)
        lines = (
            _dumps(header),
            b"[" + b",".join(rows) + b"]",
            _dumps(problem_columns(docs, problems)),
            b"[" + b",".join(rest) + b"]",
        )
        return b"\n".join(lines)

    def _split(
        self, docs: list[DocMeta], changed: set[str], seeded: dict[str, tuple[int, list[bytes], int]]
    ) -> Iterator[tuple[list[DocMeta], _Chunk | None]]:
        """The chunks of `docs`, each with what is kept of it (None: to encode). A run of rows
        that a kept chunk holds (the same `DocMeta`s, or the rows of a seeded one) is taken
        without cutting it again: only the rows around a change are looked at one by one."""
        if not self._chunks and not seeded:
            yield from ((chunk, None) for chunk in self._cut(docs))
            return
        mask = (1 << self.CHUNK_BITS) - 1
        at, count = 0, len(docs)
        while at < count:
            first = docs[at].rel
            kept, taken = self._chunks.get(first), seeded.get(first)
            size = len(kept[0]) if kept is not None else taken[0] if taken is not None else 0
            chunk = docs[at : at + size]
            if size and len(chunk) == size and (at + size == count or not _crc_of(chunk[-1].rel) & mask):
                if kept is not None and all(map(operator.is_, kept[0], chunk)):
                    yield chunk, kept
                    at += size
                    continue
                if taken is not None and _seed_fits(chunk, taken[1], changed):
                    yield chunk, (chunk, taken[1], taken[2])
                    at += size
                    continue
            end = at + 1
            while end < count and _crc_of(docs[end - 1].rel) & mask:
                end += 1
            yield docs[at:end], None
            at = end

    def _cut(self, docs: list[DocMeta]) -> Iterator[list[DocMeta]]:
        """`docs` cut into chunks, each ending after a path whose CRC-32 ends in `CHUNK_BITS`
        zero bits (found in C)."""
        mask = (1 << self.CHUNK_BITS) - 1
        crcs = map(zlib.crc32, map(_ENCODE, map(_REL, docs)))
        ends = itertools.compress(
            itertools.count(1), map(operator.not_, map(operator.and_, crcs, itertools.repeat(mask)))
        )
        start = 0
        for end in ends:
            yield docs[start:end]
            start = end
        if start < len(docs):
            yield docs[start:]


def _crc_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogatepass"))


_REL = operator.attrgetter("rel")
_ENCODE = operator.methodcaller("encode", "utf-8", "surrogatepass")


def _seed_fits(chunk: list[DocMeta], pieces: list[bytes], changed: set[str]) -> bool:
    """A chunk from the listing on disk holds the rows of `chunk`: the same paths, none changed."""
    rels = [m.rel for m in chunk]
    return changed.isdisjoint(rels) and _dumps(rels)[1:-1] == pieces[0]


def _crc(pieces: list[bytes]) -> int:
    crc = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
    return crc


def _expect(data: bytes, at: int, byte: bytes) -> None:
    if data[at : at + 1] != byte:
        raise ValueError("not a column")


def _chunk_of(entry: object) -> tuple[str, int, list[int], int]:
    """An entry of the header's table of chunks: (first path, rows, each column's length, CRC-32)."""
    if not isinstance(entry, list) or len(entry) != 4:
        raise ValueError("not a chunk")
    first, rows, lengths, crc = entry
    if not (type(first) is str and type(rows) is int and rows > 0 and type(crc) is int):
        raise ValueError("not a chunk")
    if not (
        isinstance(lengths, list) and len(lengths) == len(_FIELDS) and all(type(n) is int and n > 0 for n in lengths)
    ):
        raise ValueError("not a chunk")
    return first, rows, lengths, crc


def _cut(
    data: bytes, table: list[tuple[str, int, list[int], int]], header_end: int
) -> dict[str, tuple[int, list[bytes], int]]:
    """Each chunk's rows, encoded columns in `data` and CRC-32, by its first path, where its
    bytes are those of its CRC-32. Raises ValueError when the columns are not where the table says."""
    if not table:
        return {}
    rows_end = data.index(b"\n", header_end + 1)
    rest_start = data.index(b"\n", rows_end + 1) + 1
    lines = (
        (header_end + 1, rows_end, range(len(ROW_FIELDS))),
        (rest_start, len(data), range(len(ROW_FIELDS), len(_FIELDS))),
    )
    pieces: list[list[bytes]] = [[] for _ in table]
    last = pieces[-1]
    for at, end, fields in lines:
        _expect(data, at, b"[")  # the line: "[", the columns joined by ",", "]"
        at += 1
        for n in fields:  # a column: "[", the chunks' pieces joined by ",", "]"
            _expect(data, at, b"[")
            at += 1
            for (_, _, lengths, _), chunk in zip(table, pieces, strict=True):
                chunk.append(data[at : at + lengths[n]])
                at += lengths[n]
                _expect(data, at, b"]" if chunk is last else b",")
                at += 1
            _expect(data, at, b"]" if n == fields[-1] else b",")
            at += 1
        if at != end:
            raise ValueError("not a line of columns")
    return {
        first: (rows, chunk, crc)
        for (first, rows, _, crc), chunk in zip(table, pieces, strict=True)
        if _crc(chunk) == crc
    }


_FIELDS = ROW_FIELDS + REST_FIELDS


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def _encoded_columns(docs: list[DocMeta]) -> list[bytes]:
    """Each of `_FIELDS`' column of `docs` (at least one), as JSON without its brackets."""
    columns: list[list[Any]] = [[getattr(m, name) for m in docs] for name in _FIELDS]
    columns[4] = [day.isoformat() if day else None for day in columns[4]]
    return [_dumps(column)[1:-1] for column in columns]


def problem_columns(docs: list[DocMeta], problems: Iterable[Problem]) -> list[list[str]]:
    """The columns of the problems (path, reason) whose paths are not documents', by path, each
    path once (the first word on it winning)."""
    problems = list(problems)
    if not problems:  # (no set of every document's path made for nothing)
        return [[], []]
    known = {m.rel for m in docs}
    bad = sorted({p.rel: p for p in reversed(list(problems)) if p.rel not in known}.values(), key=lambda p: p.rel)
    return [[p.rel for p in bad], [p.reason for p in bad]]
