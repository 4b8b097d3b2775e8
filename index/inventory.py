"""What a corpus holds now: every document's metadata, and every file skipped with its reason.

`take_inventory(corpus, index_dir)` scans the corpus (stat only) and describes each document
from the index's listing (`listing.json`, see `index/listing.py`) when the index read the file
as it is now (same size and modification time) and no catalog entry is involved (the index
does not re-read a file whose catalog entry changed); every other file is read and described
as the index would (`Corpus.document_from_bytes`), in worker processes when there are many. A
corpus never indexed is read whole, and so is one whose index was made by other parsers (an
upgrade: the index's marker says); one just indexed costs a scan. Nothing is written: the
listing belongs to the index.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from folio_reader.index.corpus import Corpus, DocMeta, FileEntry, Problem, UnreadableError, reader_version
from folio_reader.index.listing import load_listing
from folio_reader.index.locations import index_marker

#: Read in worker processes only when at least this many files must be read.
PARALLEL_MIN_FILES = 200
MAX_PROCS = 4
#: Files a worker is handed at a time.
CHUNK_FILES = 50


@dataclass(slots=True)
class Inventory:
    documents: list[DocMeta]  #: in corpus order (by path)
    skipped: list[Problem]  #: by path


def take_inventory(corpus: Corpus, index_dir: Path | None, *, procs: int | None = None) -> Inventory:
    """The corpus as it is now; `index_dir` is where its index (and listing) would be, if any."""
    scan = corpus.scan()
    cached = _listed(index_dir)
    found: dict[str, DocMeta | Problem] = {}
    to_read: list[FileEntry] = []
    for entry in scan.entries:
        meta = cached.get(entry.rel)
        if meta is not None and _still_valid(meta, entry, corpus):
            found[entry.rel] = meta
        else:
            to_read.append(entry)
    found.update(_read_all(corpus, to_read, procs))
    documents = [d for d in (found[e.rel] for e in scan.entries) if isinstance(d, DocMeta)]
    skipped = [*scan.problems, *(p for p in found.values() if isinstance(p, Problem))]
    skipped.sort(key=lambda p: (p.rel.casefold(), p.rel))
    return Inventory(documents, skipped)


def _listed(index_dir: Path | None) -> dict[str, DocMeta]:
    """The listing's metadata by path; none when the index's documents were described by other
    parsers than this Folio's (its marker says: an upgrade), as its next update reads them all."""
    if index_dir is None or (index_marker(index_dir) or {}).get("parsers") != reader_version():
        return {}
    return {meta.rel: meta for meta in load_listing(index_dir)[0]}


def _still_valid(meta: DocMeta, entry: FileEntry, corpus: Corpus) -> bool:
    """The listing's metadata describes the file as it is, and owes nothing to a catalog (whose
    entry may have changed since: an outlet or a note comes only from the catalog)."""
    from_catalog = "catalog" in (meta.title_source, meta.date_source) or meta.outlet or meta.note
    return (
        meta.size == entry.size
        and meta.mtime_ns == entry.mtime_ns
        and entry.rel not in corpus.catalog
        and not from_catalog
    )


def _read_all(corpus: Corpus, entries: list[FileEntry], procs: int | None) -> dict[str, DocMeta | Problem]:
    workers = min(procs or os.cpu_count() or 1, MAX_PROCS)
    if workers < 2 or len(entries) < PARALLEL_MIN_FILES:
        return dict(_read(corpus, entries))
    chunks = [entries[n : n + CHUNK_FILES] for n in range(0, len(entries), CHUNK_FILES)]
    try:
        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(corpus.root, corpus.only)) as pool:
            return {rel: d for chunk in pool.map(_read_in_worker, chunks) for rel, d in chunk}
    except (OSError, BrokenProcessPool):  # no processes to be had (a sandbox, a full process table)
        return dict(_read(corpus, entries))


def _read(corpus: Corpus, entries: Iterable[FileEntry]) -> list[tuple[str, DocMeta | Problem]]:
    described: list[tuple[str, DocMeta | Problem]] = []
    for entry in entries:
        try:
            doc = corpus.document_from_bytes(entry, corpus.read_bytes(entry), with_paragraphs=False)
        except UnreadableError as exc:
            described.append((entry.rel, Problem(entry.rel, str(exc))))
        else:
            described.append((entry.rel, doc.meta))
    return described


_worker_corpus: Corpus | None = None


def _start_worker(root: Path, only: str | None) -> None:
    global _worker_corpus
    _worker_corpus = Corpus(root, only)


def _read_in_worker(entries: Sequence[FileEntry]) -> list[tuple[str, DocMeta | Problem]]:
    assert _worker_corpus is not None, "the pool's initializer sets the worker's corpus"
    return _read(_worker_corpus, entries)
