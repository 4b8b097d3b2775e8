"""The annotation store: one JSON file per corpus, kept in step with memory and other processes.

`AnnotationStore.for_corpus` puts the file in the user data dir unless overridden.

    store = AnnotationStore.for_corpus(corpus)      # or AnnotationStore(path)
    annotations, warnings = store.load()            # read (again), merged with memory
    store.all(); store.for_document(rel); store.get(id)
    store.add(ann); store.update(ann); store.delete(id) -> old; store.restore(old)
    store.accept(anchored)                          # keep re-anchored positions
    store.save()                                    # retry after AnnotationStoreError
    store.pending; store.take_warnings()

Every change is saved at once. A save takes a `filelock` on `<file>.lock` (waiting at most
`lock_timeout` seconds), reads what another process wrote since (a version already in memory is
recognised by inode, size and mtime and not parsed again), merges by id (the newest `modified`
wins; at a tie a tombstone, then the unsaved change), keeps the previous file as `<file>.bak`,
and writes it with `atomic_io.write_atomic` (through a symlink to its target: the lock, backup and
every other companion file lie beside the target too, see `files`). A save that fails raises `AnnotationStoreError` with
a readable message and loses nothing: the change stays in memory and the next save writes it. A
damaged file of Folio's own (see `files`) is never overwritten: it is renamed to
`<file>.corrupt-<UTC timestamp>`, a warning says where, and the valid entries recovered from it
are written back (an emptied file, from which nothing can be recovered, gives way to the backup).
Any other file is refused (`AnnotationFileRefused`): left as it is, nothing written beside it;
so are folders, devices, FIFOs and files over `files.MAX_FILE_BYTES`. A file of a newer format
version is read as well as this Folio can and never rewritten (`read_only`; a save raises
`AnnotationFileReadOnly`). Every failure of a save is an `AnnotationStoreError` subclass.

A program that must end with changes it could not save (`store.rescue()`: the lock never came
free, a full or read-only disk) writes them to `<file>.unsaved-<time>-<pid>-<id>.json` beside the
store, else in the user state dir; the next save by any Folio merges them like another process's
changes (the newest version wins) and removes the file.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import filelock

from folio_reader.index import locations
from folio_reader.index.annotations import cache as decoded
from folio_reader.index.annotations import rescue as unsaved
from folio_reader.index.annotations.anchoring import Anchored
from folio_reader.index.annotations.fileformat import VERSION, Contents, by_id, encode, merge, read_contents
from folio_reader.index.annotations.files import MAX_FILE_BYTES, Fingerprint, StoreFiles, fingerprint, reason
from folio_reader.index.annotations.model import Annotation, later
from folio_reader.index.atomic_io import BoundedReadError, read_bounded, write_atomic
from folio_reader.index.corpus import Corpus

#: Seconds a save waits for another process holding the lock.
LOCK_TIMEOUT = 5.0


class AnnotationStoreError(Exception):
    """The annotations file cannot be read or written; the message is meant for the user."""


class AnnotationFileRefused(AnnotationStoreError):
    """The path is not a file Folio may use (not its own, not a regular file, too large): it is
    left as it is and nothing is written at it or beside it."""


class AnnotationFileReadOnly(AnnotationStoreError):
    """The file was written by a newer Folio: it is read, never rewritten."""


class AnnotationFileLocked(AnnotationStoreError):
    """Another program held the lock for longer than the store waits."""


class AnnotationWriteFailed(AnnotationStoreError):
    """The operating system refused the write (a full or read-only disk, permissions)."""


class Merged(NamedTuple):
    """What `merge_in` did with each annotation."""

    added: list[Annotation]  #: new here
    updated: list[Annotation]  #: newer than the version here, which they replace
    unchanged: list[Annotation]  #: the same or older than the version here (left alone)


class Loaded(NamedTuple):
    annotations: list[Annotation]
    warnings: list[str]


class AnnotationStore:
    """The annotations of one corpus, in memory and in their JSON file (see the module docstring).

    Safe to use from several threads; other processes are kept in step through the file.
    """

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._locks: dict[Path, filelock.BaseFileLock] = {}
        self._mutex = threading.RLock()
        self._items: dict[str, Annotation] = {}  #: live annotations and tombstones, by id
        self._dirty: set[str] = set()  #: ids changed since the last successful save
        self._warnings: list[str] = []
        self._seen: Fingerprint | None = None  #: the version of the file memory holds (not parsed again)
        self._lines: dict[str, tuple[Annotation, str]] = {}  #: each annotation's last JSON line
        self._records: dict[str, tuple[Annotation, decoded.Record]] = {}  #: and its record in the cache
        self._wrote = False  #: this store has written the file, so a damaged one is Folio's
        self._refused: str | None = None  #: why the file may not be written (not Folio's)
        self._newer: str | None = None  #: why it must not be rewritten (a newer Folio's)
        self._collection = ""  #: the id of these annotations as a W3C collection ("" until one is made)

    def __repr__(self) -> str:
        return f"AnnotationStore({str(self.path)!r})"

    @classmethod
    def for_corpus(cls, corpus: Corpus, override: Path | None = None) -> AnnotationStore:
        """The store of a corpus: in the user data dir, keyed like its search index, unless overridden."""
        return cls(locations.annotations_path(Path(corpus.label), override))

    @property
    def read_only(self) -> str | None:
        """Why changes cannot be written to the file (it is not Folio's, or a newer Folio's), or
        None. Changes are still kept in memory, and `rescue` keeps them at the end."""
        return self._refused or self._newer

    # reading

    def load(self) -> Loaded:
        """Read the file and merge it into memory (unsaved changes are kept). The warnings
        returned are taken: `take_warnings` will not give them again.

        Raises `AnnotationFileRefused` for a path Folio may not use, `AnnotationStoreError`
        for one it cannot read.
        """
        with self._mutex:
            first_warning = len(self._warnings)
            files = StoreFiles(self.path)
            read = self._read(files)
            if read is not None:
                contents, seen = read
                self._items = merge(self._items, by_id(contents.annotations), self._dirty)
                if contents.newer:
                    self._seen = seen
                elif contents.problems:
                    self._repair(contents.problems)
                else:
                    self._seen = seen
            if self.read_only is None and unsaved.found(
                files, beside=self._refused is None
            ):  # an earlier session's changes
                try:
                    self._sync()
                except AnnotationStoreError as exc:
                    self._warnings.append(f"Unsaved annotations of an earlier session are not merged yet. {exc}")
            warnings = self._warnings[first_warning:]
            del self._warnings[first_warning:]
            return Loaded(self.all(), warnings)

    def all(self) -> list[Annotation]:
        """The live annotations, by document and position."""
        with self._mutex:
            live = [a for a in self._items.values() if not a.deleted]
        return sorted(live, key=lambda a: (a.source, a.start, a.end, a.id))

    def for_document(self, rel: str) -> list[Annotation]:
        return [a for a in self.all() if a.source == rel]

    def get(self, ann_id: str) -> Annotation | None:
        """A live annotation by id."""
        ann = self._items.get(ann_id)
        return None if ann is None or ann.deleted else ann

    @property
    def pending(self) -> bool:
        """True while some change is not saved (after a failed save)."""
        return bool(self._dirty)

    def unsaved(self) -> list[Annotation]:
        """The changes not saved yet (annotations and tombstones)."""
        with self._mutex:
            return [self._items[i] for i in sorted(self._dirty) if i in self._items]

    def collection_id(self) -> str:
        """The id of these annotations as a W3C AnnotationCollection: a `urn:uuid:` made once and
        kept in the file (so every export of them has the same id). Made and saved at the first
        call when the file has none; where it cannot be kept (no file yet, or one this Folio may
        not write) a new one is given each time."""
        with self._mutex:
            if self._collection:
                return self._collection
            made = self._collection = f"urn:uuid:{uuid.uuid4()}"
            kept = False
            if self.read_only is None and StoreFiles(self.path).target.exists():
                try:
                    self._sync()
                    kept = True
                except AnnotationStoreError:
                    pass  # not kept: the next export makes another
            if not kept:
                self._collection = ""
                return made
            return self._collection  # (another Folio's, had it made one first)

    def rescue(self) -> Path | None:
        """Keep the unsaved changes when the program must end without saving them (the lock never
        came free, the disk is full or read-only, the file is not one Folio may write): write
        them to a file of their own, beside the store (when it is Folio's own) or else in the
        user state dir. A new name needs no lock. The next save by any Folio on this store merges
        them (the newest version of each annotation wins, so nothing deleted since comes back)
        and removes the file. Returns where they are (None only when nothing was pending); raises
        `AnnotationStoreError` when they could be written nowhere."""
        pending = self.unsaved()
        if not pending:
            return None
        where, errors = unsaved.keep(StoreFiles(self.path), pending, beside=self._refused is None)
        if where is None:
            raise AnnotationStoreError(f"Cannot keep the unsaved annotations anywhere ({'; '.join(errors)}).")
        return where

    def take_warnings(self) -> list[str]:
        """Warnings not yet taken: a damaged file set aside, recovered entries."""
        with self._mutex:
            taken, self._warnings = self._warnings, []
        return taken

    # changes: each is kept in memory, then saved

    def add(self, ann: Annotation) -> Annotation:
        with self._mutex:
            if ann.id in self._items:
                raise ValueError(f"annotation {ann.id} already exists")
            return self._put(ann)

    def update(self, ann: Annotation) -> Annotation:
        """Store a new version of a live annotation (its `modified` time is set)."""
        with self._mutex:
            current = self.get(ann.id)
            if current is None:
                raise KeyError(ann.id)
            return self._put(replace(ann, modified=later(current.modified)))

    def delete(self, ann_id: str) -> Annotation:
        """Delete a live annotation, leaving a tombstone; returns it as it was (for undo)."""
        with self._mutex:
            current = self.get(ann_id)
            if current is None:
                raise KeyError(ann_id)
            self._put(current.tombstone())
            return current

    def restore(self, ann: Annotation) -> Annotation:
        """Bring back a version of an annotation (undo of a delete or an edit), deleted or not."""
        if ann.deleted:
            raise ValueError("a tombstone cannot be restored: pass the annotation that delete() returned")
        with self._mutex:
            current = self._items.get(ann.id)
            modified = later(max(ann.modified, current.modified if current else ann.modified))
            return self._put(replace(ann, modified=modified, deleted=False))

    def merge_in(self, incoming: Iterable[Annotation], *, dry_run: bool = False) -> Merged:
        """Merge annotations from elsewhere (an import) by id, as two running Folios merge: the
        newest `modified` wins, and at a tie what is here stays (a tombstone here is a deletion:
        an older copy does not bring the annotation back). Saved at once unless `dry_run`;
        raises `AnnotationStoreError` as `save` does, keeping the merged ones pending."""
        merged = Merged([], [], [])
        with self._mutex:
            for ann in incoming:
                current = self._items.get(ann.id)
                if current is None:
                    merged.added.append(ann)
                elif ann.modified > current.modified:
                    merged.updated.append(ann)
                else:
                    merged.unchanged.append(ann)
            if dry_run:
                return merged
            for ann in merged.added + merged.updated:
                self._items[ann.id] = ann
                self._dirty.add(ann.id)
            self.save()
        return merged

    def accept(self, anchored: Iterable[Anchored]) -> int:
        """Keep re-anchored positions (written by the next save); returns how many changed.

        A result is ignored when the annotation was edited since it was anchored, and all are
        when the file cannot be written (they are found again next time).
        """
        changed = 0
        with self._mutex:
            if self.read_only is not None:
                return 0
            for result in anchored:
                new = result.annotation
                current = self._items.get(new.id)
                if current is not None and current.modified == new.modified and not current.deleted and current != new:
                    self._items[new.id] = new
                    self._dirty.add(new.id)
                    changed += 1
        return changed

    def _put(self, ann: Annotation) -> Annotation:
        self._items[ann.id] = ann
        self._dirty.add(ann.id)
        self.save()
        return ann

    # writing

    def save(self) -> None:
        """Write unsaved changes, merged with the file; raises an `AnnotationStoreError` subclass
        (and nothing else), keeping them."""
        with self._mutex:
            if self._dirty:
                self._sync()

    def _repair(self, problems: list[str]) -> None:
        """Set a damaged file aside and write what was recovered; a failure is a warning."""
        try:
            self._sync()
        except AnnotationStoreError as exc:
            self._warnings.append(
                f"The annotations file {self.path} is damaged ({_summary(problems)}) and was left as it is "
                f"(what could be read from it is shown). {exc}"
            )

    def _sync(self) -> None:
        if self._refused is not None:
            raise AnnotationFileRefused(f"{self._refused} Your changes are kept.")
        if self._newer is not None:
            raise AnnotationFileReadOnly(f"{self._newer} Your changes are kept.")
        files = StoreFiles(self.path)
        try:
            files.target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self._lock(files).acquire(timeout=self.lock_timeout):
                files.remove_stale_temporaries()
                self._items = merge(self._items, self._read_locked(files), self._dirty)
                rescued, rescue_files = unsaved.read(unsaved.found(files, beside=True), self._warnings)
                self._items = merge(rescued, self._items, set())  # a rescued version wins only if newer
                data = encode(self._items.values(), self._lines, self._collection)
                written = write_atomic(
                    files.target,
                    data,
                    temp_prefix=files.temp_prefix,
                    before_replace=lambda _target: files.keep_backup(),
                )
                self._seen, self._wrote = fingerprint(written), True
                for done in rescue_files:
                    with contextlib.suppress(FileNotFoundError):
                        done.unlink()
                if rescue_files:
                    n = len(rescued)
                    self._warnings.append(
                        f"{n} unsaved change{'s' if n != 1 else ''} left by an earlier session "
                        f"({', '.join(str(f) for f in rescue_files)}) {'were' if n != 1 else 'was'} saved now."
                    )
        except filelock.Timeout:
            raise AnnotationFileLocked(
                f"Cannot save annotations: {self.path} is locked by another program "
                f"(waited {self.lock_timeout:g} s). Your changes are kept; try again."
            ) from None
        except OSError as exc:
            raise AnnotationWriteFailed(
                f"Cannot save annotations to {self.path}: {reason(exc)}. Your changes are kept; try again."
            ) from exc
        self._dirty.clear()
        # what was written, kept decoded for the next load (outside the lock: no one waits on it)
        decoded.remember(files.target, data, self._items.values(), self._collection, self._records)

    def _lock(self, files: StoreFiles) -> filelock.BaseFileLock:
        """The lock of the file's real target (made once per target)."""
        lock = self._locks.get(files.lock)
        if lock is None:
            lock = filelock.FileLock(files.lock, timeout=self.lock_timeout, mode=0o600, poll_interval=0.01)
            self._locks[files.lock] = lock
        return lock

    def _read(self, files: StoreFiles) -> tuple[Contents, Fingerprint | None] | None:
        """What the file holds and its fingerprint (no annotations when there is no file); None
        when memory already holds this version. A file Folio may not use is refused here (and
        remembered: nothing will be written to it), a newer Folio's file remembered as such."""
        target = files.target
        try:
            seen = fingerprint(os.stat(target))
            if seen == self._seen:
                return None
            data = read_bounded(target, MAX_FILE_BYTES)  # a folder, device or FIFO is refused here
        except FileNotFoundError:
            return Contents([], [], False, None), None
        except BoundedReadError as exc:
            self._refused = f"Cannot read annotations from {exc}: Folio leaves it as it is."
            raise AnnotationFileRefused(self._refused) from None
        except OSError as exc:
            raise AnnotationStoreError(f"Cannot read annotations from {self.path}: {reason(exc)}.") from exc
        contents = _decode(files, data)
        if contents.collection:
            self._collection = contents.collection  # the file's, if another Folio made one first
        if contents.newer:
            self._enter_newer(contents)
        elif contents.problems and not self._is_folios(files, contents):
            self._refused = _not_folios(self.path, contents)
            raise AnnotationFileRefused(self._refused)
        return contents, seen

    def _is_folios(self, files: StoreFiles, contents: Contents) -> bool:
        """Whether a damaged file may be set aside: Folio wrote it (see `files`)."""
        return contents.marked or self._wrote or files.in_data_dir() or files.backup_is_folios()

    def _enter_newer(self, contents: Contents) -> None:
        if self._newer is None:
            self._newer = (
                f"The annotations file {self.path} was written by a newer Folio (format version "
                f"{contents.version}; this one writes version {VERSION}): it is shown but not rewritten."
            )
            self._warnings.append(f"{self._newer} Changes made here are kept in a file of their own at the end.")

    def _read_locked(self, files: StoreFiles) -> dict[str, Annotation]:
        """What the file holds that memory may not, read under the lock.

        A damaged file is set aside and the entries recovered from it are marked to be written.
        """
        read = self._read(files)
        if read is None:
            return {}
        contents, seen = read
        if contents.newer:
            raise AnnotationFileReadOnly(f"{self._newer} Your changes are kept.")
        found = by_id(contents.annotations)
        if contents.problems:
            aside = files.set_aside()
            recovered = f"{len(found)} annotation{'s' if len(found) != 1 else ''} recovered from it"
            if not found:  # emptied or replaced: the backup is the last good version
                found = _sound(files.read_backup())
                if found:
                    recovered = (
                        f"nothing could be read from it, so the {len(found)} of the backup {files.backup} were restored"
                    )
            self._warnings.append(
                f"The annotations file {self.path} was damaged ({_summary(contents.problems)}). "
                f"It was moved to {aside}; {recovered}."
            )
            self._dirty.update(found)
        else:
            self._seen = seen
        return found


def _decode(files: StoreFiles, data: bytes) -> Contents:
    """What a file's bytes hold: kept from the last time this file was read or written, or parsed."""
    if not data:
        return Contents([], ["the file is empty"], False, None)
    kept = decoded.lookup(files.target, data)
    if kept is not None:
        return Contents(kept[0], [], True, VERSION, kept[1])
    contents = read_contents(data)
    if not contents.problems and not contents.newer:
        decoded.remember(files.target, data, contents.annotations, contents.collection)
    return contents


def _sound(data: bytes) -> dict[str, Annotation]:
    """The annotations of a backup, when it is sound (else none)."""
    if not data:
        return {}
    contents = read_contents(data)
    return {} if contents.problems or contents.newer else by_id(contents.annotations)


def _not_folios(path: Path, contents: Contents) -> str:
    """Why a file is refused: what it is, and what to do instead."""
    what = _summary(contents.problems)
    hint = ""
    if contents.annotations or "bare list" in what:
        hint = " Annotations in it can be brought in with `folio annotations import`."
    return (
        f"{path} is not a Folio annotations file ({what}), so Folio leaves it as it is and writes nothing "
        f"beside it. Name a file that does not exist yet (Folio creates it), or one that Folio wrote.{hint}"
    )


def _summary(problems: list[str]) -> str:
    more = len(problems) - 3
    return "; ".join(problems[:3]) + (f"; and {more} more" if more > 0 else "")
