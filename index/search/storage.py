"""The index on disk: opening it, telling damage or another version, moving a broken one
aside, starting again, and an index in memory when the folder cannot be used.

Folio only ever moves or deletes what it wrote. A folder is Folio's index when it is the
default one (in Folio's cache dir) or holds the marker file (`schema.MARKER`, whatever its
content: damage may have garbled it with the rest); an empty or new
folder becomes one. Any other folder given as `--index-dir` (a user's folder, another
program's Whoosh index), or one whose marker names another corpus, is refused and left
untouched: the index lives in memory instead. Even
in a folder of its own, Folio moves aside or deletes only the files it writes
(`is_index_file`), never a file someone put beside them.

The marker also records the parsers the documents were described by (`reader_version()`): an
index of other parsers is kept, searched, and described again by the next update
(`parsers_changed`), which records the new ones once it has committed (`record_parsers`).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from whoosh import index
from whoosh.filedb.filestore import FileStorage

from folio_reader.index.atomic_io import write_json_atomic
from folio_reader.index.corpus import reader_version
from folio_reader.index.listing import LISTING
from folio_reader.index.locations import index_marker, index_owner
from folio_reader.index.search import whoosh_ext
from folio_reader.index.search.build import STAGING
from folio_reader.index.search.schema import MARKER, SCHEMA_VERSION, make_schema
from folio_reader.index.search.spelling import VOCABULARY, Vocabulary

OPEN_LOCK_TIMEOUT = 10.0
#: Held while an index is opened or created, so that two folios starting at once do not take
#: each other's half-made index for a broken one. Inside the folder: nothing is made beside it.
OPEN_LOCK = "folio-open.lock"
#: Folio's own files in an index folder, besides Whoosh's (`whoosh_ext.WHOOSH_NAME_PREFIXES`).
FOLIO_FILES = frozenset({MARKER, VOCABULARY, LISTING, STAGING, OPEN_LOCK})


def is_index_file(name: str) -> bool:
    """Whether a file of an index folder is one Folio or Whoosh writes there (the temporary
    files of Folio's atomic writes included)."""
    if name in FOLIO_FILES or name.startswith(whoosh_ext.WHOOSH_NAME_PREFIXES):
        return True
    return name.endswith(".tmp") and any(name.startswith(f".{own}.") for own in FOLIO_FILES)


class IndexStore:
    """The Whoosh index of one corpus in `folder` (or in memory), and its vocabulary.

    `default` says that `folder` is Folio's default location (its own cache dir), not one a
    user named. `messages` collects what the user should be told (fallbacks, rebuilds)."""

    def __init__(self, folder: Path, label: str, *, default: bool) -> None:
        self.dir = folder
        self.label = label
        self.default = default
        self.messages: list[str] = []
        self.in_memory = False
        #: the parsers (`reader_version()`) the index's documents were described by, as its
        #: marker says (None: not said, an index made before Folio recorded them)
        self.parsers: object = None
        self.ix: Any = self._open()
        self.vocabulary = self._vocabulary()

    def _vocabulary(self) -> Vocabulary:
        return Vocabulary(None if self.in_memory else self.dir / VOCABULARY)

    def _open(self) -> Any:
        refusal = self._refusal()
        if refusal is not None:
            return self._in_memory(refusal)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            if not os.access(self.dir, os.W_OK):
                raise PermissionError(f"{self.dir} is not writable")
        except OSError as exc:
            return self._in_memory(f"cannot write the index folder ({exc}); using an index in memory")
        try:
            with FileLock(str(self.dir / OPEN_LOCK), timeout=OPEN_LOCK_TIMEOUT):
                return self._open_or_create()
        except Timeout:
            return self._open_or_create()
        except OSError as exc:  # the lock file cannot be made
            return self._in_memory(f"cannot write the index folder ({exc}); using an index in memory")

    def _refusal(self) -> str | None:
        """Why the folder must not be used (it is not Folio's), or None."""
        # the marker's name is the sign: a marker damaged with the rest still says Folio wrote it
        if self.default:
            return None
        if (self.dir / MARKER).is_file():
            return self._owner_refusal()
        try:
            names = sorted(p.name for p in self.dir.iterdir())
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"cannot read the index folder {self.dir} ({exc}); using an index in memory"
        if not names:
            return None
        example = next((n for n in names if not is_index_file(n)), names[0])
        return (
            f"{self.dir} is not a Folio index (it holds {example!r} and no {MARKER}): left untouched;"
            " using an index in memory (give --index-dir an empty folder, or one Folio made)"
        )

    def _owner_refusal(self) -> str | None:
        """A folder named by the user holding another corpus's index: refused, so that index is
        not lost (it can take an hour to build) and its list is not shown as this corpus's."""
        owner = index_owner(self.dir)  # (None when damaged: moved aside and rebuilt by `_open_or_create`)
        if owner is None or owner == self.label:
            return None
        return (
            f"{self.dir} is the index of {owner}, not of {self.label}: left untouched; using an index"
            " in memory (give --index-dir an empty folder, or this folder's own index)"
        )

    def _open_or_create(self) -> Any:
        marker = self._read_marker()
        try:
            exists = index.exists_in(str(self.dir))
            if exists and marker == SCHEMA_VERSION:
                ix = index.open_dir(str(self.dir))
                with ix.searcher() as s:
                    s.doc_count()
                return ix
        except Exception as exc:
            if not whoosh_ext.is_damage(exc):
                raise
            self._move_aside(f"the index was damaged ({type(exc).__name__}: {exc})")
        else:
            if exists or (marker is not None and marker != SCHEMA_VERSION):
                self._move_aside("the index was made by another version of Folio")
        return self._create()

    def _read_marker(self) -> object:
        """The schema version the marker file names (None: no marker, or not one of ours)."""
        found = index_marker(self.dir)
        if found is None or "schema" not in found:
            return None
        schema: object = found["schema"]
        self.parsers = found.get("parsers")
        return schema

    def _create(self) -> Any:
        try:
            # the marker first: a folder Folio was creating an index in is Folio's from the start
            self._write_marker()
            return FileStorage(str(self.dir)).create_index(make_schema())
        except NameError:  # another folio created it a moment ago: use theirs
            return index.open_dir(str(self.dir))
        except OSError as exc:
            return self._in_memory(f"cannot create the index ({exc}); using an index in memory")

    def _write_marker(self) -> None:
        """Record the schema, the corpus and the parsers of a new (or fully re-described) index."""
        parsers = reader_version()
        write_json_atomic(self.dir / MARKER, {"schema": SCHEMA_VERSION, "corpus": self.label, "parsers": parsers})
        self.parsers = parsers

    @property
    def parsers_changed(self) -> bool:
        """Whether the documents were described by other parsers than this Folio's (an upgrade
        changed `document.cache.REVISION`, docutils', markdown-it-py's or an extractor's version):
        then the next update describes and indexes every document again, in place."""
        return not self.in_memory and self.parsers != reader_version()

    def record_parsers(self) -> None:
        """After an update that described every document again has committed: the index is of
        this Folio's parsers. Only then, so that an update cut short is taken up at next start."""
        if not self.parsers_changed:
            return
        try:
            self._write_marker()
        except OSError as exc:
            self.messages.append(f"cannot record the parsers' version in the index folder ({exc})")

    def _in_memory(self, message: str) -> Any:
        self.messages.append(message)
        self.in_memory = True
        return whoosh_ext.ram_index(make_schema())

    def _own_entries(self) -> tuple[list[Path], list[Path]]:
        """The folder's entries Folio wrote, and the others."""
        own: list[Path] = []
        other: list[Path] = []
        for path in self.dir.iterdir():
            (own if is_index_file(path.name) else other).append(path)
        return own, other

    def _move_aside(self, why: str) -> None:
        """Move Folio's files to `<folder>.broken-<time>` (the whole folder when it holds
        nothing else); when that fails, delete them."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.dir.with_name(f"{self.dir.name}.broken-{stamp}")
        try:
            own, other = self._own_entries()
            if not other:
                self.dir.rename(aside)
            else:
                aside.mkdir()
                for path in own:
                    path.rename(aside / path.name)
            self.messages.append(f"{why}: moved aside to {aside} and rebuilt")
        except OSError:
            self._delete_own()
            self.messages.append(f"{why}: removed and rebuilt")
        self.dir.mkdir(parents=True, exist_ok=True)

    def _delete_own(self) -> None:
        try:
            own, _ = self._own_entries()
        except OSError:
            return
        for path in own:
            if path.name == OPEN_LOCK:
                continue  # held while the index is opened: kept, and empty
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def rebuild(self) -> None:
        """Start again from an empty index (the old one is deleted, not kept)."""
        if self.in_memory:
            self.ix = whoosh_ext.ram_index(make_schema())
        else:
            self.ix.close()
            self._delete_own()
            self.dir.mkdir(parents=True, exist_ok=True)
            self.ix = self._create()
        self.vocabulary = self._vocabulary()

    def recover(self, exc: BaseException) -> None:
        """After a failure reading the index: move it aside and start an empty one."""
        if self.in_memory:
            self.ix = whoosh_ext.ram_index(make_schema())
        else:
            self._move_aside(f"the index was damaged ({type(exc).__name__}: {exc})")
            self.ix = self._create()
        self.vocabulary = self._vocabulary()

    def close(self) -> None:
        self.ix.close()
