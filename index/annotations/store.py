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
and writes it with `atomic_io.write_atomic`. A save that fails raises `AnnotationStoreError` with
a readable message and loses nothing: the change stays in memory and the next save writes it. A
file that cannot be parsed or holds invalid entries is never overwritten: it is renamed to
`<file>.corrupt-<UTC timestamp>`, a warning says where, and the valid entries recovered from it
are written back (an emptied file, from which nothing can be recovered, gives way to the backup).

A program that must end with changes it could not save (`store.rescue()`: the lock never came
free, a full or read-only disk) writes them to `<file>.unsaved-<time>-<pid>-<id>.json` beside the
store, else in the user state dir; the next save by any Folio merges them like another process's
changes (the newest version wins) and removes the file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import filelock
import platformdirs

from folio_reader.index import locations
from folio_reader.index.annotations.anchoring import Anchored
from folio_reader.index.annotations.fileformat import by_id, decode, encode, merge
from folio_reader.index.annotations.model import Annotation, later, utc_now
from folio_reader.index.atomic_io import fsync_dir, write_atomic
from folio_reader.index.corpus import Corpus

#: Seconds a save waits for another process holding the lock.
LOCK_TIMEOUT = 5.0


class AnnotationStoreError(Exception):
    """The annotations file cannot be read or written; the message is meant for the user."""


class Loaded(NamedTuple):
    annotations: list[Annotation]
    warnings: list[str]


#: What tells one version of the file from another: inode, size and modification time.
_Fingerprint = tuple[int, int, int]


class AnnotationStore:
    """The annotations of one corpus, in memory and in their JSON file (see the module docstring).

    Safe to use from several threads; other processes are kept in step through the file.
    """

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._lock = filelock.FileLock(f"{self.path}.lock", timeout=lock_timeout, mode=0o600, poll_interval=0.01)
        self._mutex = threading.RLock()
        self._items: dict[str, Annotation] = {}  #: live annotations and tombstones, by id
        self._dirty: set[str] = set()  #: ids changed since the last successful save
        self._warnings: list[str] = []
        self._seen: _Fingerprint | None = None  #: the version of the file memory holds (not parsed again)
        self._lines: dict[str, tuple[Annotation, str]] = {}  #: each annotation's last JSON line

    def __repr__(self) -> str:
        return f"AnnotationStore({str(self.path)!r})"

    @classmethod
    def for_corpus(cls, corpus: Corpus, override: Path | None = None) -> AnnotationStore:
        """The store of a corpus: in the user data dir, keyed like its search index, unless overridden."""
        return cls(locations.annotations_path(Path(corpus.label), override))

    # reading

    def load(self) -> Loaded:
        """Read the file and merge it into memory (unsaved changes are kept)."""
        with self._mutex:
            first_warning = len(self._warnings)
            read = self._read()
            if read is not None:
                data, fingerprint = read
                annotations, problems = _decode_file(data, fingerprint)
                self._items = merge(self._items, by_id(annotations), self._dirty)
                if problems:
                    self._repair(problems)
                else:
                    self._seen = fingerprint
            if self._rescued_files():  # changes an earlier session could not save: save them now
                try:
                    self._sync()
                except AnnotationStoreError as exc:
                    self._warnings.append(f"Unsaved annotations of an earlier session are not merged yet. {exc}")
            return Loaded(self.all(), self._warnings[first_warning:])

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

    def rescue(self) -> Path | None:
        """Keep the unsaved changes when the program must end without saving them (the lock never
        came free, the disk is full or read-only): write them to a file of their own, beside the
        store or else in the user state dir. A new name needs no lock. The next save by any Folio
        on this store merges them (the newest version of each annotation wins, so nothing deleted
        since comes back) and removes the file. Returns where they are (None when nothing was
        pending); raises `AnnotationStoreError` when they could be written nowhere."""
        pending = self.unsaved()
        if not pending:
            return None
        data = encode(pending)
        stamp = utc_now().strftime("%Y%m%dT%H%M%S")
        errors: list[str] = []
        for folder in self._rescue_dirs():
            path = folder / f"{self.path.name}.unsaved-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                _write_new(path, data)
                return path
            except OSError as exc:
                errors.append(f"{folder}: {_reason(exc)}")
        raise AnnotationStoreError(f"Cannot keep the unsaved annotations anywhere ({'; '.join(errors)}).")

    def _rescue_dirs(self) -> list[Path]:
        key = hashlib.sha256(str(self.path.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        return [self.path.parent, Path(platformdirs.user_state_dir(locations.APP)) / "unsaved" / key]

    def _rescued_files(self) -> list[Path]:
        pattern = f"{self.path.name}.unsaved-*.json"
        return sorted(p for folder in self._rescue_dirs() if folder.is_dir() for p in folder.glob(pattern))

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

    def accept(self, anchored: Iterable[Anchored]) -> int:
        """Keep re-anchored positions (written by the next save); returns how many changed.

        A result is ignored when the annotation was edited since it was anchored.
        """
        changed = 0
        with self._mutex:
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
        """Write unsaved changes, merged with the file; raises `AnnotationStoreError`, keeping them."""
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
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self._lock.acquire(timeout=self.lock_timeout):
                self._remove_stale_temporaries()
                self._items = merge(self._items, self._read_locked(), self._dirty)
                rescued, rescue_files = self._read_rescued()
                self._items = merge(rescued, self._items, set())  # a rescued version wins only if newer
                self._write(encode(self._items.values(), self._lines))
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
            raise AnnotationStoreError(
                f"Cannot save annotations: {self.path} is locked by another program "
                f"(waited {self.lock_timeout:g} s). Your changes are kept; try again."
            ) from None
        except OSError as exc:
            raise AnnotationStoreError(
                f"Cannot save annotations to {self.path}: {_reason(exc)}. Your changes are kept; try again."
            ) from exc
        self._dirty.clear()

    def _read(self) -> tuple[bytes, _Fingerprint | None] | None:
        """The file and its fingerprint (b"" when there is none); None when memory already holds it."""
        try:
            with open(self.path, "rb") as f:
                fingerprint = _fingerprint(os.fstat(f.fileno()))
                return None if fingerprint == self._seen else (f.read(), fingerprint)
        except FileNotFoundError:
            return b"", None
        except OSError as exc:
            raise AnnotationStoreError(f"Cannot read annotations from {self.path}: {_reason(exc)}.") from exc

    def _read_locked(self) -> dict[str, Annotation]:
        """What the file holds that memory may not, read under the lock.

        A damaged file is set aside and the entries recovered from it are marked to be written.
        """
        read = self._read()
        if read is None:
            return {}
        data, fingerprint = read
        annotations, problems = _decode_file(data, fingerprint)
        found = by_id(annotations)
        if problems:
            aside = self._set_aside()
            recovered = f"{len(found)} annotation{'s' if len(found) != 1 else ''} recovered from it"
            if not found:  # emptied or replaced: the backup is the last good version
                found = self._backup()
                if found:
                    recovered = f"nothing could be read from it, so the {len(found)} of the backup {self._backup_path} were restored"
            self._warnings.append(
                f"The annotations file {self.path} was damaged ({_summary(problems)}). It was moved to {aside}; {recovered}."
            )
            self._dirty.update(found)
        else:
            self._seen = fingerprint
        return found

    def _read_rescued(self) -> tuple[dict[str, Annotation], list[Path]]:
        """The changes left by sessions that could not save them (see `rescue`), and their files.
        A rescued file that cannot be read is left where it is, with a warning."""
        rescued: list[Annotation] = []
        files: list[Path] = []
        for path in self._rescued_files():
            try:
                annotations, problems = decode(path.read_bytes())
            except OSError as exc:
                annotations, problems = [], [_reason(exc)]
            if problems:
                self._warnings.append(
                    f"Unsaved annotations left in {path} cannot be read ({_summary(problems)}); it is kept."
                )
                continue
            rescued += annotations
            files.append(path)
        return by_id(rescued), files

    @property
    def _backup_path(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    def _backup(self) -> dict[str, Annotation]:
        """The annotations of the backup, when it is sound (else none)."""
        try:
            data = self._backup_path.read_bytes()
        except OSError:
            return {}
        annotations, problems = decode(data) if data else ([], ["empty"])
        return {} if problems else by_id(annotations)

    def _set_aside(self) -> Path:
        stamp = utc_now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.rename(self.path, aside)
        fsync_dir(self.path.parent)
        return aside

    def _write(self, data: bytes) -> None:
        """Replace the file atomically, keeping the previous one as the backup."""
        written = write_atomic(
            self.path, data, temp_prefix=self._temp_prefix, before_replace=lambda _target: self._keep_backup()
        )
        self._seen = _fingerprint(written)

    def _keep_backup(self) -> None:
        """Make the current file the backup: a hard link renamed over `<file>.bak`."""
        if not self.path.exists():
            return
        link = self.path.parent / f"{self._temp_prefix}{uuid.uuid4().hex}.tmp"
        try:
            os.link(self.path, link)
            os.replace(link, self._backup_path)
        finally:
            # Gone after the rename, except when the backup already was this file (a writer
            # killed between its backup and its rename): rename() then leaves both names.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)

    @property
    def _temp_prefix(self) -> str:
        return f".{self.path.name}."

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that was killed (only writers holding the lock make them)."""
        for stale in _glob_temporaries(self.path.parent, self._temp_prefix):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file atomically (private to its user), named `path` only once complete."""
    write_atomic(path, data, temp_prefix=".unsaved-", mode=0o600)


def _decode_file(data: bytes, fingerprint: _Fingerprint | None) -> tuple[list[Annotation], list[str]]:
    """`decode` for what `_read` returned: no file is no annotations, but a file that exists and
    is empty is damaged (Folio never writes one), so it is set aside rather than taken as the
    truth, and the backup of the last good version is not overwritten by it."""
    if data:
        return decode(data)
    return [], [] if fingerprint is None else ["the file is empty"]


def _fingerprint(st: os.stat_result) -> _Fingerprint:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _summary(problems: list[str]) -> str:
    more = len(problems) - 3
    return "; ".join(problems[:3]) + (f"; and {more} more" if more > 0 else "")


def _glob_temporaries(folder: Path, prefix: str) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp"))


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if isinstance(exc, PermissionError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"permission denied{where}: the file or its folder is read-only"
    return exc.strerror or str(exc)
