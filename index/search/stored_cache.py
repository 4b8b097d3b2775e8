"""What the index holds, by path, read segment by segment and kept while each segment lives.

A Whoosh segment never changes once written: a later commit only marks some of its documents
deleted, or merges it away into a new segment. So the stored metadata of a segment's documents
is read once (`SegmentReader.stored_fields` for each document unpickles it: most of a second
for 50,000 documents) and kept under the segment's id; a later read skips the documents the
current generation marks deleted and reads only segments it has not seen. An update of one
file then reads one small segment, not every document of the corpus.
"""

from __future__ import annotations

from typing import Any

from folio_reader.index.search.schema import KEY

#: path -> the stored metadata of a document (or of its problem)
Stored = dict[str, dict[str, Any]]


class StoredCache:
    """The stored `meta` of every document, per segment id. Not thread-safe: the caller holds
    the lock under which it uses the searcher. The metadata dicts are shared between reads:
    callers must not change them."""

    def __init__(self) -> None:
        #: segment id -> (document number, path, meta) of each document live when the segment
        #: was first read (a later generation may mark more of them deleted, never fewer)
        self._segments: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}

    def read(self, searcher: Any) -> Stored:
        """What the index that `searcher` reads holds now, by path."""
        stored: Stored = {}
        live: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
        for reader in _segment_readers(searcher.reader()):
            segment = reader.segment()
            if segment is None:  # an empty index
                continue
            key = segment.segment_id()
            documents = self._segments.get(key)
            if documents is None:
                documents = self._read_segment(reader)
            live[key] = documents
            gone = set(segment.deleted_docs())
            stored.update((rel, meta) for docnum, rel, meta in documents if docnum not in gone)
        self._segments = live  # segments merged away are forgotten
        return stored

    def _read_segment(self, reader: Any) -> list[tuple[int, str, dict[str, Any]]]:
        """The live documents of one segment. `all_doc_ids` and `all_stored_fields` both go
        through the live document numbers in order (Whoosh's per-document reader)."""
        return [
            (docnum, fields[KEY], fields["meta"])
            for docnum, fields in zip(reader.all_doc_ids(), reader.all_stored_fields(), strict=True)
        ]

    def clear(self) -> None:
        """Forget every segment (the index was replaced)."""
        self._segments = {}


def _segment_readers(reader: Any) -> list[Any]:
    """The segment readers under `reader` (a multi-segment reader or a single segment's)."""
    return [r for r, _offset in reader.leaf_readers()]
