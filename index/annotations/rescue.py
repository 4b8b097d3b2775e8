"""Rescue files: changes a program had to end with, kept where the next Folio on the store finds them.

`keep` writes pending changes to `<file>.unsaved-<time>-<pid>-<id>.json`, beside the annotations
file when it is Folio's own, else in the user state dir (under a key of the file's path); a new
name needs no lock. `found` lists them and `read` reads them back for the store's next save, which
merges them like another process's changes (the newest version of each annotation wins, so
nothing deleted since comes back) and removes them. A rescue file that cannot be read is left
where it is, with a warning.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from folio_reader.index.annotations.fileformat import by_id, encode, read_contents
from folio_reader.index.annotations.files import MAX_FILE_BYTES, StoreFiles, reason
from folio_reader.index.annotations.model import Annotation, utc_now
from folio_reader.index.atomic_io import BoundedReadError, read_bounded, write_atomic


def keep(files: StoreFiles, pending: Iterable[Annotation], *, beside: bool) -> tuple[Path | None, list[str]]:
    """Write the changes to a rescue file; (where, []) or (None, why for each folder tried)."""
    data = encode(pending)
    stamp = utc_now().strftime("%Y%m%dT%H%M%S")
    errors: list[str] = []
    for folder in files.rescue_dirs(beside=beside):
        path = folder / f"{files.target.name}.unsaved-{stamp}-{os.getpid()}-{os.urandom(4).hex()}.json"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomic(path, data, temp_prefix=".unsaved-", mode=0o600)
            return path, []
        except OSError as exc:
            errors.append(f"{folder}: {reason(exc)}")
    return None, errors


def found(files: StoreFiles, *, beside: bool) -> list[Path]:
    """The rescue files of this store, oldest name first."""
    folders = files.rescue_dirs(beside=beside)
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob(files.rescue_pattern))


def read(paths: Iterable[Path], warnings: list[str]) -> tuple[dict[str, Annotation], list[Path]]:
    """The changes in these rescue files and the files read; a warning for each one that cannot be."""
    rescued: list[Annotation] = []
    done: list[Path] = []
    for path in paths:
        try:
            contents = read_contents(read_bounded(path, MAX_FILE_BYTES))
            annotations, problems = contents.annotations, contents.problems
        except (OSError, BoundedReadError) as exc:
            annotations, problems = [], [reason(exc) if isinstance(exc, OSError) else str(exc)]
        if problems:
            more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
            warnings.append(
                f"Unsaved annotations left in {path} cannot be read ({'; '.join(problems[:3])}{more}); it is kept."
            )
            continue
        rescued += annotations
        done.append(path)
    return by_id(rescued), done
