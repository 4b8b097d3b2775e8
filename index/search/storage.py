"""The index on disk: opening it, telling damage or another version, moving a broken one
aside, starting again, and an index in memory when the folder cannot be written."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from whoosh import index
from whoosh.filedb.filestore import FileStorage, RamStorage

from folio_reader.index.atomic_io import read_json_file, write_json_atomic
from folio_reader.index.search.schema import MARKER, SCHEMA_VERSION, make_schema
from folio_reader.index.search.spelling import VOCABULARY, Vocabulary

OPEN_LOCK_TIMEOUT = 10.0


class IndexStore:
    """The Whoosh index of one corpus in `folder` (or in memory), and its vocabulary.

    `messages` collects what the user should be told (fallbacks, rebuilds)."""

    def __init__(self, folder: Path, label: str) -> None:
        self.dir = folder
        self.label = label
        self.messages: list[str] = []
        self.in_memory = False
        self.ix: Any = self._open()
        self.vocabulary = self._vocabulary()

    def _vocabulary(self) -> Vocabulary:
        return Vocabulary(None if self.in_memory else self.dir / VOCABULARY)

    def _open(self) -> Any:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            if not os.access(self.dir, os.W_OK):
                raise PermissionError(f"{self.dir} is not writable")
        except OSError as exc:
            return self._in_memory(f"cannot write the index folder ({exc}); using an index in memory")
        # two folios starting at once must not take each other's half-made index for a broken one
        try:
            with FileLock(str(self.dir) + ".lock", timeout=OPEN_LOCK_TIMEOUT):
                return self._open_or_create()
        except Timeout:
            return self._open_or_create()

    def _open_or_create(self) -> Any:
        marker = self._read_marker()
        try:
            exists = index.exists_in(str(self.dir))
            if exists and marker == SCHEMA_VERSION:
                ix = index.open_dir(str(self.dir))
                with ix.searcher() as s:
                    s.doc_count()
                return ix
        except Exception as exc:  # whoosh raises many kinds of error on a damaged index
            self._move_aside(f"the index was damaged ({type(exc).__name__}: {exc})")
        else:
            if exists or marker is not None:
                self._move_aside("the index was made by another version of Folio")
        return self._create()

    def _read_marker(self) -> object:
        """The schema version the marker file names (None: no marker, or not one of ours)."""
        try:
            schema: object = read_json_file(self.dir / MARKER, max_bytes=1 << 20)["schema"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return schema

    def _create(self) -> Any:
        try:
            ix = FileStorage(str(self.dir)).create_index(make_schema())
        except NameError:  # another folio created it a moment ago: use theirs
            return index.open_dir(str(self.dir))
        except OSError as exc:
            return self._in_memory(f"cannot create the index ({exc}); using an index in memory")
        try:
            write_json_atomic(self.dir / MARKER, {"schema": SCHEMA_VERSION, "corpus": self.label})
            return ix
        except OSError as exc:
            return self._in_memory(f"cannot create the index ({exc}); using an index in memory")

    def _in_memory(self, message: str) -> Any:
        self.messages.append(message)
        self.in_memory = True
        return RamStorage().create_index(make_schema())

    def _move_aside(self, why: str) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.dir.with_name(f"{self.dir.name}.broken-{stamp}")
        try:
            self.dir.rename(aside)
            self.messages.append(f"{why}: moved aside to {aside} and rebuilt")
        except OSError:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.messages.append(f"{why}: removed and rebuilt")
        self.dir.mkdir(parents=True, exist_ok=True)

    def rebuild(self) -> None:
        """Start again from an empty index (the old one is deleted, not kept)."""
        if self.in_memory:
            self.ix = RamStorage().create_index(make_schema())
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir.mkdir(parents=True, exist_ok=True)
            self.ix = self._create()
        self.vocabulary = self._vocabulary()

    def recover(self, exc: BaseException) -> None:
        """After a failure reading the index: move it aside and start an empty one."""
        if self.in_memory:
            self.ix = RamStorage().create_index(make_schema())
        else:
            self._move_aside(f"the index was damaged ({type(exc).__name__}: {exc})")
            self.ix = self._create()
        self.vocabulary = self._vocabulary()

    def close(self) -> None:
        self.ix.close()
