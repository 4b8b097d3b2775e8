"""The files beside an annotations file: its lock, backup, set-aside copies, rescue files, temporaries.

Every one of them lives in the folder of the file's real target (a symlinked annotations file is
written through, and so are its companions: the link stays a link, and nothing forks). This module
also tells whether a file is Folio's own, which decides whether a damaged one may be set aside:
only a file that carries Folio's format marker, lies in Folio's data dir, or has a backup that
Folio wrote. Anything else is the user's, and is never moved, renamed or written beside.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import platformdirs

from folio_reader.index import locations
from folio_reader.index.annotations.fileformat import is_marked
from folio_reader.index.annotations.model import utc_now
from folio_reader.index.atomic_io import BoundedReadError, fsync_dir, read_bounded, resolve_target

#: An annotations file (or its backup, or a rescue file) larger than this is not read.
MAX_FILE_BYTES = 256 * 1024 * 1024

#: What tells one version of a file from another: inode, size and modification time.
Fingerprint = tuple[int, int, int]


def fingerprint(st: os.stat_result) -> Fingerprint:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class StoreFiles:
    """The paths of one annotations file and its companions, all in its real target's folder."""

    def __init__(self, path: Path) -> None:
        self.path = path  #: as given (perhaps a symlink)
        self.target = resolve_target(path)  #: where the data really is
        name = self.target.name
        self.lock = self.target.with_name(f"{name}.lock")
        self.backup = self.target.with_name(f"{name}.bak")
        self.temp_prefix = f".{name}."
        self.rescue_pattern = f"{name}.unsaved-*.json"

    def in_data_dir(self) -> bool:
        """Whether the file lies in Folio's own data dir (where Folio alone writes)."""
        data_dir = Path(os.path.realpath(platformdirs.user_data_dir(locations.APP)))
        return Path(os.path.realpath(self.target)).is_relative_to(data_dir)

    def backup_is_folios(self) -> bool:
        """Whether a backup Folio wrote lies beside the file (so the file is Folio's, if damaged)."""
        try:
            return is_marked(read_bounded(self.backup, MAX_FILE_BYTES))
        except (OSError, BoundedReadError):
            return False

    def read_backup(self) -> bytes:
        """The backup's bytes (b"" when there is none, or it cannot be read)."""
        try:
            return read_bounded(self.backup, MAX_FILE_BYTES)
        except (OSError, BoundedReadError):
            return b""

    def set_aside(self) -> Path:
        """Rename the damaged file to `<file>.corrupt-<UTC time>` beside it; return the new name."""
        stamp = utc_now().strftime("%Y%m%dT%H%M%S")
        aside = self.target.with_name(f"{self.target.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.target.with_name(f"{self.target.name}.corrupt-{stamp}-{n}")
        os.rename(self.target, aside)
        fsync_dir(self.target.parent)
        return aside

    def keep_backup(self) -> None:
        """Make the current file the backup: a hard link renamed over `<file>.bak`."""
        if not self.target.exists():
            return
        link = self.target.parent / f"{self.temp_prefix}{uuid.uuid4().hex}.tmp"
        try:
            os.link(self.target, link)
            os.replace(link, self.backup)
        finally:
            # Gone after the rename, except when the backup already was this file (a writer
            # killed between its backup and its rename): rename() then leaves both names.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)

    def remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that was killed (only writers holding the lock make them)."""
        for stale in _temporaries(self.target.parent, self.temp_prefix):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()

    def rescue_dirs(self, beside: bool) -> list[Path]:
        """Where changes that could not be saved are kept: beside the file (when it is Folio's
        own), then in the user state dir under a key of the path as given."""
        key = hashlib.sha256(str(self.path.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        state = Path(platformdirs.user_state_dir(locations.APP)) / "unsaved" / key
        return [self.target.parent, state] if beside else [state]


def _temporaries(folder: Path, prefix: str) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp"))


def reason(exc: OSError) -> str:
    """An OS error in words meant for the user."""
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
