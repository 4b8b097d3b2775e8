"""Atomic file writes and bounded reads: the one place Folio writes or parses its own files.

Every file Folio writes (annotations, their backups and rescue files, the index's listing and
vocabulary, reading state, settings, cached comparisons) goes through `write_atomic`: the data is
written to a temporary file in the target's folder, flushed and fsynced, renamed over the target,
and the folder fsynced, so a reader sees the old file or the new one and never a torn one. A
symlinked target is written through: the new file replaces the link's target, in the target's
folder, and the link stays a link.

Every JSON file Folio reads goes through `read_json_file` (or `loads_bounded` for bytes already
read): the path must be a regular file (a device, FIFO or folder is refused without blocking), at
most `max_bytes` long, and nested at most `max_depth` deep. `json.loads` itself recurses in C and
raises `RecursionError` on deep nesting; measuring the depth first turns that into an ordinary
`BoundedReadError` (a `ValueError`), so callers handle it as any malformed file.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: JSON files Folio reads are refused above this size unless a caller asks for more.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class BoundedReadError(ValueError):
    """A file that is not a regular file, is too large, or nests too deeply; the message says which."""


def resolve_target(path: Path) -> Path:
    """Where a write to `path` lands: the final target of a symlink, else `path` itself."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def fsync_dir(folder: Path) -> None:
    """Make a rename or creation in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(
    path: Path,
    data: bytes | str,
    *,
    mode: int | None = None,
    before_replace: Callable[[Path], None] | None = None,
    temp_prefix: str | None = None,
) -> os.stat_result:
    """Replace `path` with `data` atomically; return the stat of the file written.

    `mode` sets the new file's permissions (temporary files are created 0600, so private data is
    never readable on the way). `before_replace(target)` runs after the data is durable and just
    before the rename (the annotations store keeps its backup there). Temporary files are named
    `<temp_prefix or .name.>…tmp` in the target's folder and removed on any failure.
    """
    target = resolve_target(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=temp_prefix or f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
            written = os.fstat(f.fileno())
        if before_replace is not None:
            before_replace(target)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)
    return written


def write_json_atomic(path: Path, value: Any, *, indent: int | None = None, mode: int | None = None) -> None:
    """`write_atomic` of `value` as UTF-8 JSON (compact unless `indent` is given)."""
    separators = (",", ":") if indent is None else None
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    write_atomic(path, text, mode=mode)


def read_bounded(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; `BoundedReadError` for anything else.

    Opened non-blocking, so a FIFO is refused at once instead of waiting for a writer; the size is
    checked on the open file and the read stops one byte past the bound (a file growing while read,
    or `/proc`-like files that report size 0, cannot make it read more).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BoundedReadError(f"{path}: not a regular file ({_kind(st.st_mode)})")
        if st.st_size > max_bytes:
            raise BoundedReadError(f"{path}: too large ({st.st_size:,} bytes; the limit is {max_bytes:,})")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise BoundedReadError(f"{path}: too large (over {max_bytes:,} bytes)")
        return b"".join(chunks)
    finally:
        os.close(fd)


def loads_bounded(data: bytes | str) -> Any:
    """`json.loads` that turns nesting too deep to parse into a `BoundedReadError`.

    The depth bound is the interpreter's recursion limit, which CPython's C decoder checks at each
    level (about 1,000 levels; Folio's own files nest a dozen). A measuring pass before the parse
    (skip strings, count brackets) was tried and cost 0.4 s on an 8.6 MB annotations file, three
    times the parse itself, so the decoder's own check is the bound.
    """
    try:
        return json.loads(data)
    except RecursionError as exc:
        raise BoundedReadError("nested too deeply to read") from exc


def read_json_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """A JSON file read with `read_bounded` and parsed with `loads_bounded`.

    Raises `OSError` when it cannot be read and `ValueError` (`BoundedReadError` or
    `json.JSONDecodeError`, or `UnicodeDecodeError`) when it is not bounded, well-formed JSON.
    """
    return loads_bounded(read_bounded(path, max_bytes))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
