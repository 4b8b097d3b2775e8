"""The draft journal: notes being written, on disk as they are typed, so a note outlives the
process that was writing it (a dropped SSH link, `tmux kill-session`, a SIGKILL right after
`ctrl+s` but before the annotations file was written).

Each running Folio keeps its own journal, one JSON file in the user state dir (beside the
folder of journals of the same annotations file), rewritten whole on each change through
`atomic_io.write_json_atomic`, private to its user (0600). The process holds a lock on
`<journal>.lock` for as long as it runs; the lock dies with it, however it ends, which tells the
next start that a journal was left behind (`claim_left_behind`), never one that another running
Folio is still writing.

A draft is `saved` once the user asked for it to be stored (`ctrl+s`): the next start stores it
without asking. Otherwise it is still being typed: the next start offers it back.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import filelock
import platformdirs

from folio_reader.index import locations
from folio_reader.index.annotations import Annotation, InvalidAnnotation
from folio_reader.index.atomic_io import read_json_file, write_json_atomic

FORMAT = "folio-drafts"
VERSION = 1
#: A journal holds a few notes being typed; anything larger is not one of Folio's.
MAX_JOURNAL_BYTES = 16 * 1024 * 1024

Kind = Literal["new", "edit"]


@dataclass(frozen=True, slots=True)
class Draft:
    """A note being written: what storing it would store (`annotation`), as a new one or as a
    new version of an existing one (`kind`), and whether the user already asked to store it."""

    kind: Kind
    annotation: Annotation
    saved: bool = False

    @property
    def id(self) -> str:
        """The annotation's: one draft per annotation."""
        return self.annotation.id

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "saved": self.saved, "annotation": self.annotation.to_w3c()}

    @classmethod
    def from_json(cls, obj: object) -> Draft:
        if not isinstance(obj, dict) or obj.get("kind") not in ("new", "edit"):
            raise InvalidAnnotation("not a draft")
        return cls(obj["kind"], Annotation.from_w3c(obj.get("annotation")), obj.get("saved") is True)


def journal_folder(annotations_path: Path) -> Path:
    """Where the journals of the notes for `annotations_path` live (one folder per file)."""
    key = hashlib.sha256(str(Path(annotations_path).absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(platformdirs.user_state_dir(locations.APP)) / "drafts" / key


class DraftJournal:
    """This process's drafts for one annotations file (see the module docstring).

    Thread-safe: `put` and `remove` change memory, `write` puts memory on disk (the latest
    state, whoever calls it last)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / f"journal-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
        # (not thread-local: taken by whichever thread writes first, let go of by the one closing)
        self._lock = filelock.FileLock(f"{self.path}.lock", mode=0o600, thread_local=False)
        self._drafts: dict[str, Draft] = {}
        self._mutex = threading.Lock()
        self._written = False  #: a file exists on disk

    def drafts(self) -> list[Draft]:
        with self._mutex:
            return list(self._drafts.values())

    def put(self, draft: Draft) -> None:
        with self._mutex:
            self._drafts[draft.id] = draft

    def remove(self, draft_id: str) -> None:
        with self._mutex:
            self._drafts.pop(draft_id, None)

    def write(self) -> None:
        """Put the drafts on disk (atomically, 0600); with none left, remove the journal.
        Raises `OSError` when it cannot be written."""
        with self._mutex:
            drafts = [d.to_json() for d in self._drafts.values()]
            if not drafts:
                self._discard_file()
                return
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self._lock.is_locked:
                self._lock.acquire(timeout=0)  # (a name of our own: nobody else holds it)
            write_json_atomic(self.path, {"format": FORMAT, "version": VERSION, "drafts": drafts}, mode=0o600)
            self._written = True

    def close(self) -> None:
        """At exit: write what is left (so it is found by the next start), let go of the lock."""
        self.write()
        if self._lock.is_locked:
            self._lock.release()
        if not self._written:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}.lock")

    def _discard_file(self) -> None:
        if self._written:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self._written = False

    def claim_left_behind(self) -> list[Draft]:
        """Take over the drafts of journals whose process is gone: they become this journal's
        (written before their file is removed, so a crash now loses nothing either)."""
        found: list[Draft] = []
        for path, lock in _left_behind(self.folder, self.path):
            try:
                for obj in _read_drafts(path):
                    try:
                        found.append(Draft.from_json(obj))
                    except (InvalidAnnotation, ValueError, TypeError, KeyError):
                        continue
                for draft in found:
                    self.put(draft)
                self.write()
                path.unlink()
            except (OSError, ValueError):
                continue  # unreadable: left where it is
            finally:
                lock.release()
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{path}.lock")
        return found


def _left_behind(folder: Path, mine: Path) -> Iterator[tuple[Path, filelock.BaseFileLock]]:
    """Journals in `folder` but `mine` whose lock is free (their process has ended), each locked."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("journal-*.json")):
        if path == mine:
            continue
        lock = filelock.FileLock(f"{path}.lock", mode=0o600, thread_local=False)
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            continue  # another Folio is running and writing it
        yield path, lock


def _read_drafts(path: Path) -> list[object]:
    data = read_json_file(path, max_bytes=MAX_JOURNAL_BYTES)
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("drafts"), list):
        raise ValueError(f"{path}: not a draft journal")
    return list(data["drafts"])
