"""The decoded annotations of a file's exact bytes, kept so that an unchanged file is not parsed again.

Parsing 10,000 annotations (8.6 MB of JSON) and building their objects takes 0.3-0.6 s, most of it
`json.loads` and `Annotation.from_w3c`; the store's `load` runs at every start. The store keeps
here, in the user cache dir, the annotations of the last version of each file it read or wrote,
under a BLAKE2 digest of the file's bytes and of the code that decodes them: a file changed in
any way (by another Folio, another tool, an editor) or a Folio whose decoding changed simply
misses, and is parsed. Only sound files of the current version are kept, and only large ones
(small files parse in a few milliseconds). The records are `marshal`led tuples of strings and
numbers (no code runs on reading them, as with Python's own bytecode cache); anything unexpected
in a cache file is a miss. Safe to delete at any time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import marshal
import os
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from folio_reader.index import locations
from folio_reader.index.annotations.model import EPOCH, Annotation
from folio_reader.index.atomic_io import BoundedReadError, read_bounded, write_atomic

#: Files smaller than this are parsed every time (about 300 annotations).
MIN_BYTES = 256 * 1024
_FORMAT = 2
_CODE = ("model.py", "fileformat.py", "cache.py")
Record = tuple[str, str, int, int, str, str, str, str, tuple[str, ...], str, int, int, str, bool, str]
_MICROSECOND = dt.timedelta(microseconds=1)


def lookup(target: Path, data: bytes) -> tuple[list[Annotation], str] | None:
    """The annotations and collection id of `data` (the bytes of the file at `target`) if they
    are kept, else None."""
    if len(data) < MIN_BYTES:
        return None
    try:
        kept = marshal.loads(read_bounded(_cache_path(target), 16 * len(data)))
        form, key, collection, records = kept
        if form != _FORMAT or key != _key(data) or not isinstance(collection, str):
            return None
        return [_annotation(r) for r in records], collection
    except (OSError, BoundedReadError, EOFError, ValueError, TypeError):
        return None


def remember(
    target: Path,
    data: bytes,
    annotations: Iterable[Annotation],
    collection: str,
    memo: dict[str, tuple[Annotation, Record]] | None = None,
) -> None:
    """Keep the annotations (and collection id) that `data`, the sound bytes of the file at
    `target`, decodes to. `memo` (id → (annotation, its record)) is read and filled, so that a
    store saving again builds records only for what changed. A cache that cannot be written is
    no error: the file is parsed next time."""
    if len(data) < MIN_BYTES:
        return
    memo = {} if memo is None else memo
    records = []
    for ann in annotations:
        kept = memo.get(ann.id)
        if kept is None or kept[0] is not ann:
            kept = memo[ann.id] = (ann, _record(ann))
        records.append(kept[1])
    try:
        write_atomic(_cache_path(target), marshal.dumps((_FORMAT, _key(data), collection, records)), mode=0o600)
    except OSError:
        return


def _key(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20, key=_code_digest()).digest()


@functools.cache
def _code_digest() -> bytes:
    """A digest of the modules whose code decides what a file decodes to."""
    h = hashlib.blake2b(digest_size=32)
    for name in _CODE:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.digest()


def _cache_path(target: Path) -> Path:
    key = hashlib.sha256(os.fsencode(os.path.realpath(target))).hexdigest()[:24]
    return Path(platformdirs.user_cache_dir(locations.APP)) / "annotations" / f"{key}.marshal"


def _record(a: Annotation) -> Record:
    return (
        a.id,
        a.source,
        a.start,
        a.end,
        a.exact,
        a.prefix,
        a.suffix,
        a.note,
        a.tags,
        a.color,
        (a.created - EPOCH) // _MICROSECOND,
        (a.modified - EPOCH) // _MICROSECOND,
        a.content_hash,
        a.deleted,
        a.foreign,
    )


def _annotation(r: Record) -> Annotation:
    created, modified = EPOCH + dt.timedelta(microseconds=r[10]), EPOCH + dt.timedelta(microseconds=r[11])
    return Annotation(*r[:10], created, modified, *r[12:])
