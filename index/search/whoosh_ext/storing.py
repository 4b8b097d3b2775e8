"""Whoosh extensions for writing and keeping the index: the body's postings in one loop, a
writer without Whoosh's slow paths, segments moved between indexes, the merge policy, fresh
searchers, private in-memory storage, and what counts as damage. See the package docstring."""

from __future__ import annotations

import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import fields
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

from folio_reader.index import analysis

# -- the index on disk ---------------------------------------------------------------------------

#: What the files Whoosh writes in an index folder are called (index name "MAIN"): the tables
#: of contents `_MAIN_<generation>.toc`, segment files `MAIN_<segment>.<ext>`, the write lock
#: `MAIN_WRITELOCK`, a writer's temporary storage `MAIN.tmp`. Relies on: the default index
#: name and FileStorage's naming.
WHOOSH_NAME_PREFIXES = ("_MAIN_", "MAIN_", "MAIN.")


#: Errors that mean a wrong call, wherever they are raised (Whoosh raises them when Folio calls
#: it wrongly, never on a garbled file: tried on every file of an index cut, garbled, deleted).
_BUGS = (AttributeError, NameError, NotImplementedError, AssertionError, RecursionError)


def is_damage(exc: BaseException) -> bool:
    """Whether an error reading the index means the index (or its files) is damaged, not that
    Folio has a bug: an OS error, or any error raised inside Whoosh's own code (reading a
    garbled file, Whoosh raises struct, zlib, pickle, Unicode, type and value errors, its own
    FileFormatError and IndexError, and even a bare Exception). An error raised in Folio's
    code (snippets, spans, spelling) is a bug, even when Whoosh called that code, and so is a
    wrong call (`_BUGS`) even when Whoosh raises it. Relies on:
    Whoosh's modules living in the `whoosh` package."""
    if isinstance(exc, OSError):
        return True
    if isinstance(exc, _BUGS):
        return False
    in_whoosh = False  # the innermost frames, after Folio's last, are Whoosh's (or below it)
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if not isinstance(module, str):
            pass
        elif module.startswith("folio_reader."):
            in_whoosh = False
        elif module == "whoosh" or module.startswith("whoosh."):
            in_whoosh = True
        tb = tb.tb_next
    return in_whoosh


class PrivateRamStorage(RamStorage):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's in-memory storage, but each writer's temporary files (its posting pool) go to
    a folder of their own. Whoosh puts those of every in-memory writer of every process in
    the one `<tmp>/MAIN.tmp` and deletes it when a writer finishes, so two processes writing
    an in-memory index at once broke each other (FileNotFoundError, found running
    `folio index` beside another test run). Relies on: SegmentWriter asking its storage's
    `temp_storage(name)` for that folder, and destroying it at the end.

    Whoosh's per-document writer asks for a temporary storage too (for its columns) and never
    destroys it, so each folder is also removed, with whatever is left in it, once nothing
    holds its storage any more (or at exit): every commit of an in-memory index left an empty
    `folio-whoosh-*` folder in the user's temporary directory before (1,682 after one test
    run). The folder is this storage's own (`mkdtemp`), so nothing else is removed."""

    def temp_storage(self, name: str | None = None) -> Any:
        folder = tempfile.mkdtemp(prefix="folio-whoosh-")
        storage = FileStorage(folder).create()
        weakref.finalize(storage, shutil.rmtree, folder, ignore_errors=True)
        return storage


def ram_index(schema: Any) -> Any:
    """A new, empty index in memory (with `PrivateRamStorage`)."""
    return PrivateRamStorage().create_index(schema)


# -- indexing -------------------------------------------------------------------------------------


class BodyField(fields.TEXT):  # type: ignore[misc]  # whoosh is untyped
    """The body: `TEXT(analyzer=text_analyzer(), phrase=True, chars=True)` whose `index()`
    computes the same postings from `analysis.term_postings` without a Token per term and
    Whoosh's generic grouping (a third of a build). A value may also be an `analysis.Analysed`
    (postings computed already: the displayed words of a document).

    Relies on: `FieldType.index()` yielding (term bytes, frequency, weight, value bytes), and
    the `Characters` format's value encoding: `pack_uint(n)` then a pickled list of
    (position delta, start-char delta from the previous end, length) per occurrence.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, analysis.Analysed) and not kwargs:
            postings = value.postings
        elif isinstance(value, str) and not kwargs:
            postings = analysis.term_postings(value, self.analyzer.profile)
        else:
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for word, poslist in postings.items():
            deltas = []
            posbase = charbase = 0
            for pos, start, end in poslist:
                deltas.append((pos - posbase, start - charbase, end - start))
                posbase, charbase = pos, end
            yield (
                word.encode("utf-8"),
                len(poslist),
                float(len(poslist)) * boost,
                pack_uint(len(deltas)) + pickle.dumps(deltas, 2),
            )


class _PostingPool(PostingPool):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's posting pool without its per-posting type assertions (same size accounting).

    Relies on: `PostingPool.add(item)` with item = (fieldname, term bytes, docnum, weight,
    value bytes), and its `fieldnames`, `currentsize`, `limit`, `current`, `save()`."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


class _Lengths:
    """The document lengths of a segment being flushed, read once per field: Whoosh reads the
    length column file again for every posting (a fifth of a build). Stands in for the
    per-document reader that `FieldWriter.add_postings` asks `doc_field_length` of."""

    def __init__(self, reader: Any, doc_count: int) -> None:
        self._reader = reader
        self._doc_count = doc_count
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            field_length = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [field_length(d, fieldname, default) for d in range(self._doc_count)]
        return lengths[docnum]


class _SegmentWriter(SegmentWriter):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's SegmentWriter, flushing postings with `_Lengths` and `_PostingPool`.

    Relies on: the `poolclass` keyword, and `_flush_segment()` (private) with the attributes
    it uses: `perdocwriter`, `codec.length_stats`, `per_document_reader()`, `docnum`,
    `docbase`, `fieldwriter.add_postings(schema, lengths, postings)`, `pool.iter_postings()`."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("poolclass", _PostingPool)
        super().__init__(ix, **kwargs)

    def _flush_segment(self) -> None:  # as Whoosh's, with the lengths read once
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.docnum - self.docbase) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def unlocked_writer(ix: Any, **kwargs: Any) -> Any:
    """A writer that takes no write lock: the caller holds `ix.lock("WRITELOCK")` for a
    whole update of several commits. Segments are written as separate files, not one
    compound file (Whoosh reads a part of a compound file by copying it whole into memory).

    Relies on: SegmentWriter's private `_lk` keyword (False: do not take the lock)."""
    kwargs.setdefault("compound", False)
    return _SegmentWriter(ix, _lk=False, **kwargs)


def segments(ix: Any) -> list[Any]:
    """The segments of the index's latest generation. Relies on: `FileIndex._segments()`."""
    found: list[Any] = ix._segments()
    return found


def adopt_segment(writer: Any, segment: Any, source: Path, target: Path) -> None:
    """Move a segment written by another index (a worker's, in `source`) into the index of
    `writer` (in `target`); the writer's next commit lists it.

    Relies on: `Segment.make_filename("")` giving the prefix of the segment's files, and the
    writer's `segments` list being what `commit(merge=False)` writes to the table of contents."""
    prefix = segment.make_filename("")
    for path in source.iterdir():
        if path.name.startswith(prefix + "."):
            path.replace(target / path.name)
    writer.segments.append(segment)


def merge_tiny_segments(writer: Any, found: list[Any], *, max_docs: int, min_count: int) -> list[Any]:
    """A merge policy (`writer.commit(mergetype=…)`): the segments of under `max_docs` live
    documents are merged once there are `min_count` of them; the others are kept.

    Whoosh's MERGE_SMALL expects segment sizes in a Fibonacci-like progression; on the dozen
    equal segments of a parallel build it merged most of the index (50,000 documents: 233 s
    to update one file).

    Relies on: the mergetype contract (called with the writer and its segments, returns the
    segments to keep) and `writer.add_reader(reader)` copying a segment's documents in."""
    tiny = [s for s in found if s.doc_count() < max_docs]
    if len(tiny) < min_count:
        return found
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged = {s.segment_id() for s in tiny}
    return [s for s in found if s.segment_id() not in merged]


def current_searcher(ix: Any, searcher: Any | None) -> Any:
    """`searcher` if the index has not changed since it was opened, else a new one (the old
    one closed).

    Not `Searcher.refresh()`: it reuses segment readers and so misses deletions made since
    (whoosh 2.7.4/2.7.5), leaving deleted documents in results. Relies on: `up_to_date()`."""
    if searcher is not None and not searcher.up_to_date():
        searcher.close()
        searcher = None
    return searcher if searcher is not None else ix.searcher()
