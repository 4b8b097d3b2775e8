"""The annotations file: its encoding, decoding (with salvage of a damaged file) and merging.

The file is `{"format": "folio-annotations", "version": 1, "documents": {rel: {"content_hash":
...}}, "annotations": [W3C annotation, ...]}`, one annotation a line, so that a damaged file gives
up every whole entry. `merge` joins two versions by id: the newest `modified` wins; at a tie a
tombstone, then the preferred (unsaved) side.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from folio_reader.index.annotations.model import Annotation, InvalidAnnotation, shown
from folio_reader.index.atomic_io import loads_bounded

FORMAT = "folio-annotations"
VERSION = 1


def encode(
    annotations: Iterable[Annotation], cache: dict[str, tuple[Annotation, str]] | None = None, collection: str = ""
) -> bytes:
    """The file: a small header, then one annotation a line (so a damaged file salvages well).

    `cache` (id → (annotation, its line)) is read and filled: unchanged annotations are not
    serialised again. `collection` is the id of the corpus's annotations as a W3C collection
    (kept in the header, so that every export of them has the same id).
    """
    cache = {} if cache is None else cache
    items = sorted(annotations, key=lambda a: (a.deleted, a.source, a.start, a.id))
    hashes: dict[str, Counter[str]] = defaultdict(Counter)
    for ann in items:
        if not ann.deleted and ann.content_hash:
            hashes[ann.source][ann.content_hash] += 1
    documents = {rel: {"content_hash": c.most_common(1)[0][0]} for rel, c in sorted(hashes.items())}
    lines = [
        f'{{"format": "{FORMAT}", "version": {VERSION},',
        *([f' "collection": {json.dumps(collection)},'] if collection else []),
        f' "documents": {json.dumps(documents, ensure_ascii=False)},',
        ' "annotations": [',
        ",\n".join(_line(a, cache) for a in items),
        "]}\n",
    ]
    # A lone surrogate (possible in a Python str) becomes its \\uXXXX escape: still valid JSON.
    return "\n".join(lines).encode("utf-8", "backslashreplace")


def _line(ann: Annotation, cache: dict[str, tuple[Annotation, str]]) -> str:
    cached = cache.get(ann.id)
    if cached is not None and cached[0] is ann:
        return cached[1]
    line = json.dumps(ann.to_w3c(), ensure_ascii=False)
    cache[ann.id] = (ann, line)
    return line


class Contents(NamedTuple):
    """What a file holds: its annotations and problems (see `decode`), whether it says it is a
    Folio annotations file, and its format version (None when it does not say)."""

    annotations: list[Annotation]
    problems: list[str]
    marked: bool
    version: object
    collection: str = ""  #: the collection id kept in the header ("" when there is none)

    @property
    def newer(self) -> bool:
        """Written by a newer Folio: this one may read it but must not rewrite it."""
        return self.marked and type(self.version) is int and self.version > VERSION


#: How every file Folio writes begins (the marker a damaged one is still recognised by).
_MARKER = re.compile(rb'\A\s*\{\s*"format"\s*:\s*"folio-annotations"')


def decode(data: bytes) -> tuple[list[Annotation], list[str]]:
    """The annotations of a file and its problems (empty when the file is sound).

    With problems, the annotations are what could be salvaged: the valid entries of a file that
    parses, or the lines that parse as valid entries of one that does not.
    """
    contents = read_contents(data)
    return contents.annotations, contents.problems


def read_contents(data: bytes) -> Contents:
    """`decode`, telling also whether the file is marked as Folio's and its version. A file of a
    newer version is read as well as this Folio can (its unknown parts kept) and is no problem."""
    try:
        raw = loads_bounded(data.decode("utf-8"))
    except ValueError as exc:  # UnicodeDecodeError, JSONDecodeError, BoundedReadError
        return Contents(_salvage_lines(data), [f"not valid JSON ({exc})"], bool(_MARKER.match(data)), None)
    problems: list[str] = []
    marked = isinstance(raw, dict) and raw.get("format") == FORMAT
    version = raw.get("version") if isinstance(raw, dict) else None
    if isinstance(raw, list):
        entries, hashes = raw, {}
        problems.append("a bare list of annotations, not a Folio annotations file")
    elif isinstance(raw, dict) and marked and isinstance(raw.get("annotations"), list):
        entries, hashes = raw["annotations"], _hashes(raw.get("documents"))
        newer = type(version) is int and version > VERSION
        if version != VERSION and not newer:
            problems.append(f"format version {shown(version)}, this Folio reads version {VERSION}")
    else:
        return Contents([], ["not a Folio annotations file"], marked, version)
    annotations: list[Annotation] = []
    for i, entry in enumerate(entries):
        try:
            annotations.append(Annotation.from_w3c(entry, hashes))
        except InvalidAnnotation as exc:
            problems.append(f"entry {i + 1}: {exc}")
    collection = raw.get("collection") if isinstance(raw, dict) else None
    if not isinstance(collection, str) or not collection.startswith("urn:uuid:"):
        collection = ""
    return Contents(annotations, problems, marked, version, collection)


def is_marked(data: bytes) -> bool:
    """Whether these bytes begin as a Folio annotations file does (however damaged the rest)."""
    return bool(_MARKER.match(data))


def _hashes(documents: object) -> dict[str, str]:
    if not isinstance(documents, dict):
        return {}
    return {
        rel: info["content_hash"]
        for rel, info in documents.items()
        if isinstance(info, dict) and isinstance(info.get("content_hash"), str)
    }


_DECODER = json.JSONDecoder()


def _salvage_lines(data: bytes) -> list[Annotation]:
    """Each line that starts with a whole annotation object (whatever follows it on the line:
    a comma, or the junk a damaged file ends with)."""
    salvaged: list[Annotation] = []
    for raw_line in data.decode("utf-8", errors="replace").splitlines():
        line = raw_line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj, _ = _DECODER.raw_decode(line)
            salvaged.append(Annotation.from_w3c(obj))
        except (json.JSONDecodeError, RecursionError, InvalidAnnotation):
            continue
    return salvaged


def merge(ours: Mapping[str, Annotation], theirs: Mapping[str, Annotation], prefer: set[str]) -> dict[str, Annotation]:
    """Both sets by id: the newest `modified` wins; at a tie a tombstone, then ids in `prefer` ours."""
    merged = dict(theirs)
    for ann_id, mine in ours.items():
        other = merged.get(ann_id)
        if other is None or _wins(mine, other, ann_id in prefer):
            merged[ann_id] = mine
    return merged


def _wins(a: Annotation, b: Annotation, at_tie: bool) -> bool:
    if a.modified != b.modified:
        return a.modified > b.modified
    if a.deleted != b.deleted:
        return a.deleted
    return at_tie


def by_id(annotations: Iterable[Annotation]) -> dict[str, Annotation]:
    """Annotations by id; of duplicates the winner of a merge stays."""
    result: dict[str, Annotation] = {}
    for ann in annotations:
        other = result.get(ann.id)
        if other is None or _wins(ann, other, at_tie=False):
            result[ann.id] = ann
    return result
