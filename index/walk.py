"""The walk of a corpus folder: every file name under it, each real folder visited once.

`walk` finds the candidate files (the caller says which names it wants) and reports, as
`Problem`s, what cannot be walked: unreadable folders, names that are not UTF-8, symlinks that
loop or lead outside the corpus, a folder reached twice, a walk past its bounds. It never raises
for what is in the folder. The stat of each file comes from its `os.scandir` entry.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: A scan stops (and says so) past this many folders, or this many names looked at in them.
MAX_WALK_FOLDERS = 1_000_000
MAX_WALK_NAMES = 10_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the corpus that cannot be read as a document, and why."""

    rel: str
    reason: str


def sort_key(rel: str) -> tuple[str, str]:
    return (rel.casefold(), rel)


#: Called for each wanted file: (its absolute path, its path relative to the root, its stat
#: function). The path is a `str`: a `Path` made per file was 40% of a scan's time.
Found = Callable[[str, str, Callable[[], os.stat_result]], None]


def walk(root: Path, wanted: Callable[[str], bool], found: Found, problems: list[Problem]) -> None:
    """Walk `root` without recursion, calling `found` for each file whose name is `wanted`.

    Folders are told apart by (device, inode), so a folder reached again (through a symlink,
    a bind mount) is listed as a skip naming the path it was scanned under, and links that
    lead into a folder they are inside are loops. Real folders come first and symlinked
    folders after them, so a folder is listed under its own path rather than a link's.
    The walk stops, with a problem saying so, past `MAX_WALK_FOLDERS` folders or
    `MAX_WALK_NAMES` names looked at. A folder whose name is `wanted` is listed as such.
    Regular files are passed to `found` in the order the folder lists them (the caller sorts
    what it keeps), the rest of a folder in name order.
    """
    real_root = os.path.realpath(root)
    try:
        root_st = os.stat(root)
    except OSError as exc:
        problems.append(Problem(".", f"folder cannot be read: {os_reason(exc)}"))
        return
    visited: dict[tuple[int, int], str] = {(root_st.st_dev, root_st.st_ino): ""}
    pending: list[tuple[Path, str]] = [(root, "")]  # folders to scan: (path, rel prefix)
    links: list[tuple[Path, str]] = []  # symlinked folders, followed once the real ones are done
    folders = names = 0
    while pending or links:
        if not pending:
            path, rel = links.pop()
            try:
                st = os.stat(path)
            except OSError as exc:
                problems.append(Problem(rel, os_reason(exc)))
                continue
            seen = visited.get((st.st_dev, st.st_ino))
            if seen is not None:
                problems.append(Problem(rel, _alias_reason(rel, seen)))
                continue
            visited[(st.st_dev, st.st_ino)] = rel
            pending.append((path, rel + "/"))
            continue
        folder, prefix = pending.pop()
        folders += 1
        if folders > MAX_WALK_FOLDERS or names > MAX_WALK_NAMES:
            problems.append(Problem(".", _walk_bound_reason(folders, names)))
            return
        try:
            with os.scandir(folder) as it:
                children = list(it)
        except OSError as exc:
            problems.append(Problem(prefix.rstrip("/") or ".", f"folder cannot be read: {os_reason(exc)}"))
            continue
        names += len(children)
        others: list[os.DirEntry[str]] = []  # folders, links and the rest: looked at in name order
        for child in children:
            name = child.name
            if name.startswith("."):
                continue
            if not (name.isascii() or _utf8_name(name)):  # the index, the state and the annotations key on the name
                problems.append(
                    Problem(prefix + name, "the file name is not valid UTF-8: not read (rename it to read it)")
                )
                continue
            try:
                regular = child.is_file(follow_symlinks=False)  # (from the folder's listing: no stat)
            except OSError:
                regular = False
            if not regular:
                others.append(child)
            elif wanted(name):  # (a regular file: found in any order, the caller sorts them)
                found(child.path, prefix + name, child.stat)
        others.sort(key=_name_key)
        subfolders: list[tuple[Path, str]] = []
        sublinks: list[tuple[Path, str]] = []
        for child in others:
            rel = prefix + child.name
            try:
                is_link = child.is_symlink()
                is_dir = child.is_dir(follow_symlinks=False)
            except OSError as exc:
                problems.append(Problem(rel, os_reason(exc)))
                continue
            if is_link:
                path = Path(child.path)
                target = _link_target(path, real_root)
                if target.startswith("!"):
                    problems.append(Problem(rel, target[1:]))
                    continue
                if os.path.isdir(target):
                    sublinks.append((path, rel))
                    continue
            elif is_dir:
                if wanted(child.name):
                    problems.append(Problem(rel, "is a folder, not a file (its contents are scanned as a folder)"))
                try:
                    st = child.stat(follow_symlinks=False)
                except OSError as exc:
                    problems.append(Problem(rel, os_reason(exc)))
                    continue
                key = (st.st_dev, st.st_ino)
                if key in visited:  # a bind mount of a folder already scanned
                    problems.append(Problem(rel, _alias_reason(rel, visited[key])))
                    continue
                visited[key] = rel
                subfolders.append((Path(child.path), rel + "/"))
                continue
            if wanted(child.name):
                found(child.path, rel, child.stat)
        pending.extend(reversed(subfolders))  # popped in name order
        links.extend(reversed(sublinks))


def _name_key(entry: os.DirEntry[str]) -> tuple[str, str]:
    name = entry.name
    return (name.casefold(), name)


def _utf8_name(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (decoded by Python as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _alias_reason(rel: str, seen: str) -> str:
    """Why a path to a folder already scanned (as `seen`, "" for the root) is not scanned again."""
    if seen == "" or rel.startswith(seen + "/"):
        return f"symlink loop: leads back to {seen or 'the corpus folder'}, which holds it: not followed"
    return f"same folder as {seen}: not scanned twice"


def _walk_bound_reason(folders: int, names: int) -> str:
    return (
        f"scan stopped after {folders - 1:,} folders and {names:,} names (the limits are "
        f"{MAX_WALK_FOLDERS:,} folders and {MAX_WALK_NAMES:,} names): the rest is not listed; "
        "open a smaller folder"
    )


def _link_target(path: Path, real_root: str) -> str:
    """The real path a symlink leads to, or '!reason' when it must not be followed."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "!symlink loop: not followed"
    except FileNotFoundError:
        return "!broken symlink: its target does not exist"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "!symlink loop: not followed"
        return "!" + os_reason(exc)
    real = str(target)
    if not inside(real, real_root):
        return "!symlink leads outside the corpus: not followed"
    return real


def inside(real: str, real_root: str) -> bool:
    """True when the real path `real` is `real_root` or under it."""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def os_reason(exc: OSError) -> str:
    """The reason to show for an `OSError`, in the words of the list of skipped files."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if exc.errno == errno.ELOOP:
        return "symlink loop: not followed"
    return exc.strerror.lower() if exc.strerror else str(exc)
